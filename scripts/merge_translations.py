"""Merge translation fragments into the Indonesian catalogue.

    python scripts/merge_translations.py [--po PATH] [--fragments DIR] [--check]

Apps deliver the Indonesian for their strings as ``locale/id/fragments/<app>.po`` (plain
``msgid``/``msgstr`` pairs, ``msgctxt`` and ``msgid_plural``/``msgstr[0]`` allowed).
After ``makemessages`` has brought every msgid into ``locale/id/LC_MESSAGES/django.po``,
this script sets each entry's translation from the fragments: the fragments are the source
of truth, so django.po can always be made again from the code and the fragments (two
branches that both changed django.po merge by re-running ``make messages``). An entry that
no fragment translates keeps what django.po has. It also puts the header in order (no fuzzy
flag, ``Language: id``, one plural form) so that ``compilemessages`` keeps it.

``make messages`` runs makemessages, then this script, then compilemessages. With
``--check`` nothing is written; the exit code is 1 if any entry would stay untranslated.

The small PO reader/writer here is also used by the translation tests.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PO = ROOT / "locale" / "id" / "LC_MESSAGES" / "django.po"
DEFAULT_FRAGMENTS = ROOT / "locale" / "id" / "fragments"
HEADER_FIELDS = {
    "Project-Id-Version": "PRIMA",
    "Language-Team": "Indonesian",
    "Language": "id",
    "Plural-Forms": "nplurals=1; plural=0;",
}
NPLURALS = 1
KEYWORDS = ("msgctxt", "msgid_plural", "msgid", "msgstr")


@dataclass
class Entry:
    """One catalogue entry. ``msgstr`` maps the plural index to text (0 for singular)."""

    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)  # "#." "#:" "# " lines, verbatim
    previous: list[str] = field(default_factory=list)  # "#|" lines (fuzzy matches)
    obsolete_lines: list[str] = field(default_factory=list)  # "#~" entries, verbatim

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def obsolete(self) -> bool:
        return bool(self.obsolete_lines)

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translated(self) -> bool:
        """Has a translation that gettext would use: not fuzzy, every form non-empty."""
        if self.fuzzy or not self.msgstr:
            return False
        forms = range(NPLURALS) if self.msgid_plural is not None else [0]
        return all(self.msgstr.get(i, "") for i in forms)


def unquote(text: str) -> str:
    """The value of one quoted PO string (C-style escapes)."""
    text = text.strip()
    if len(text) < 2 or text[0] != '"' or text[-1] != '"':
        raise ValueError(f"not a quoted PO string: {text!r}")
    out = []
    chars = iter(text[1:-1])
    escapes = {
        "n": "\n",
        "t": "\t",
        "r": "\r",
        '"': '"',
        "\\": "\\",
        "a": "\a",
        "b": "\b",
        "f": "\f",
        "v": "\v",
    }
    for char in chars:
        if char == "\\":
            nxt = next(chars, "")
            if nxt not in escapes:
                raise ValueError(f"unknown escape \\{nxt} in {text!r}")
            out.append(escapes[nxt])
        else:
            out.append(char)
    return "".join(out)


def quote(text: str) -> str:
    return (
        '"'
        + (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t"))
        + '"'
    )


def parse(text: str) -> list[Entry]:
    """Parse a PO file's text into entries (the header is the entry with msgid "")."""
    entries: list[Entry] = []
    current = Entry()
    seen_keyword = False
    target: tuple[str, int] | None = None  # what continuation lines append to

    def finish() -> None:
        nonlocal current, seen_keyword, target
        if seen_keyword or current.obsolete_lines:
            entries.append(current)
        current, seen_keyword, target = Entry(), False, None

    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            if seen_keyword:
                finish()
            current.obsolete_lines.append(raw)
            continue
        if line.startswith("#"):
            if seen_keyword:
                finish()
            if line.startswith("#,"):
                current.flags.extend(f.strip() for f in line[2:].split(",") if f.strip())
            elif line.startswith("#|"):
                current.previous.append(raw)
            else:
                current.comments.append(raw)
            continue
        try:
            if line.startswith('"'):
                if target is None:
                    raise ValueError("continuation line without a keyword")
                name, index = target
                value = unquote(line)
            else:
                word, _, rest = line.partition(" ")
                value = unquote(rest)
                if word.startswith("msgstr["):
                    name, index = "msgstr", int(word[len("msgstr[") : -1])
                elif word in KEYWORDS:
                    name, index = word, 0
                    if word == "msgid" and seen_keyword and target and target[0] == "msgstr":
                        finish()  # two entries without a blank line between them
                else:
                    raise ValueError(f"unknown keyword {word!r}")
                seen_keyword = True
                target = (name, index)
                if name == "msgstr":
                    current.msgstr.setdefault(index, "")
                elif name == "msgctxt":
                    current.msgctxt = ""
                elif name == "msgid_plural":
                    current.msgid_plural = ""
        except ValueError as exc:
            raise ValueError(f"line {number}: {exc}") from None
        if name == "msgstr":
            current.msgstr[index] += value
        elif name == "msgctxt":
            current.msgctxt = (current.msgctxt or "") + value
        elif name == "msgid_plural":
            current.msgid_plural = (current.msgid_plural or "") + value
        else:
            current.msgid += value
    finish()
    return entries


def read(path: Path) -> list[Entry]:
    try:
        return parse(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from None


def format_string(keyword: str, text: str) -> list[str]:
    """``keyword "text"``, wrapped the way gettext does for long or multi-line text."""
    single = f"{keyword} {quote(text)}"
    if len(single) <= 79 and "\n" not in text[:-1]:
        return [single]
    lines = [f'{keyword} ""']
    for part in text.splitlines(keepends=True):
        chunk = ""
        for word in part.split(" "):
            candidate = f"{chunk} {word}" if chunk else word
            if chunk and len(quote(candidate + " ")) > 78:
                lines.append(quote(chunk + " "))
                chunk = word
            else:
                chunk = candidate
        lines.append(quote(chunk))
    return lines


def format_entry(entry: Entry) -> str:
    if entry.obsolete:
        return "\n".join(entry.comments + entry.obsolete_lines)
    lines = list(entry.comments)
    if entry.flags:
        lines.append("#, " + ", ".join(entry.flags))
    if entry.fuzzy:
        lines.extend(entry.previous)
    if entry.msgctxt is not None:
        lines += format_string("msgctxt", entry.msgctxt)
    lines += format_string("msgid", entry.msgid)
    if entry.msgid_plural is not None:
        lines += format_string("msgid_plural", entry.msgid_plural)
        for index in sorted(entry.msgstr):
            lines += format_string(f"msgstr[{index}]", entry.msgstr[index])
    else:
        lines += format_string("msgstr", entry.msgstr.get(0, ""))
    return "\n".join(lines)


def write(path: Path, entries: list[Entry]) -> None:
    path.write_text("\n\n".join(format_entry(e) for e in entries) + "\n", encoding="utf-8")


def fix_header(entry: Entry) -> None:
    """Un-fuzzy the header and set PRIMA's metadata (compilemessages drops a fuzzy one)."""
    entry.flags = [f for f in entry.flags if f != "fuzzy"]
    fields: list[list[str]] = []
    for line in entry.msgstr.get(0, "").splitlines():
        name, _, value = line.partition(":")
        fields.append([name.strip(), value.strip()])
    names = [name for name, _ in fields]
    for name, value in HEADER_FIELDS.items():
        if name in names:
            fields[names.index(name)][1] = value
        else:
            fields.append([name, value])
    for pair in fields:
        if pair[0] == "Last-Translator" and "EMAIL@" in pair[1]:
            pair[1] = "PRIMA"
        if pair[0] == "PO-Revision-Date" and pair[1].startswith("YEAR"):
            pair[1] = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M%z")
    entry.msgstr[0] = "".join(f"{name}: {value}\n" for name, value in fields)
    entry.comments = [
        "# Indonesian messages for PRIMA.",
        "# Run `make messages` after changing strings; see docs/translations.md.",
        "#",
    ]


def translations(entries: list[Entry]) -> dict[tuple[str | None, str], Entry]:
    return {e.key: e for e in entries if e.msgid and not e.obsolete and e.translated}


def merge(catalogue: list[Entry], fragments: dict[str, list[Entry]]) -> dict[str, list[str]]:
    """Set catalogue entries from the fragments (in place); the fragments win.

    Returns a report: ``filled`` (entries set or changed), ``missing`` (still
    untranslated), ``unused`` (fragment
    strings that no longer occur in the code) and ``conflicts`` (fragments disagreeing).
    """
    offered: dict[tuple[str | None, str], tuple[str, Entry]] = {}
    report: dict[str, list[str]] = {"filled": [], "missing": [], "unused": [], "conflicts": []}
    for name, entries in sorted(fragments.items()):
        for key, entry in translations(entries).items():
            if key in offered and offered[key][1].msgstr != entry.msgstr:
                report["conflicts"].append(f"{key[1]!r}: {offered[key][0]} vs {name}")
                continue
            offered.setdefault(key, (name, entry))
    keys = set()
    for entry in catalogue:
        if entry.obsolete:
            continue
        if entry.msgid == "":
            fix_header(entry)
            continue
        keys.add(entry.key)
        # Only one plural form in Indonesian: drop the extra empty msgstr[1] that a
        # freshly made catalogue carries.
        if entry.msgid_plural is not None:
            entry.msgstr = {i: entry.msgstr.get(i, "") for i in range(NPLURALS)}
        if entry.key in offered:
            source = offered[entry.key][1]
            if entry.msgid_plural is not None:
                wanted = {
                    i: source.msgstr.get(i, source.msgstr.get(0, "")) for i in range(NPLURALS)
                }
            else:
                wanted = {0: source.msgstr.get(0, "")}
            if wanted != entry.msgstr or not entry.translated:
                entry.msgstr = wanted
                entry.flags = [f for f in entry.flags if f != "fuzzy"]
                entry.previous = []
                report["filled"].append(entry.msgid)
        elif not entry.translated:
            report["missing"].append(entry.msgid)
    report["unused"] = sorted(f"{offered[k][0]}: {k[1]!r}" for k in offered if k not in keys)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--po", type=Path, default=DEFAULT_PO)
    parser.add_argument("--fragments", type=Path, default=DEFAULT_FRAGMENTS)
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if anything stays untranslated"
    )
    args = parser.parse_args(argv)

    catalogue = read(args.po)
    fragments = {p.name: read(p) for p in sorted(args.fragments.glob("*.po"))}
    report = merge(catalogue, fragments)
    if not args.check:
        write(args.po, catalogue)
    print(
        f"{args.po}: {len(report['filled'])} filled from {len(fragments)} fragment(s), "
        f"{len(report['missing'])} untranslated"
    )
    for msgid in report["missing"]:
        print(f"  untranslated: {msgid!r}")
    for line in report["conflicts"]:
        print(f"  conflicting fragments (first one used): {line}")
    for line in report["unused"]:
        print(f"  not in the code (any more): {line}")
    return 1 if args.check and report["missing"] else 0


if __name__ == "__main__":
    sys.exit(main())
