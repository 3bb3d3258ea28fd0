"""The people a draft quotes: a quoted spokesperson must be in the office's registry,
appointed for the conference and valid on its date, and the title written beside a name
must be the one the registry gives.

Quotes are found by their attribution: a reporting verb after the closing quotation mark
(“…,” kata Budi Santoso), or a name and title before a reporting verb (Budi Santoso,
Kepala Kantor, mengatakan …), or "menurut …". Names are matched ignoring case, academic
degrees and word order gaps; titles by their role ("Kepala Bidang", "Juru Bicara"), with
the usual abbreviations expanded (Kakanim, Kasi, Kabid, Jubir).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from prima.lib import dates

from .types import Context, Finding, FindingKind, Part, Person, Severity

_SAID_AFTER = (
    r"kata|ujar|ucap|ungkap|jelas|tegas|tutur|terang|imbuh|tambah|sebut|pungkas|papar|"
    r"lanjut|said|says|added|explained|stated|noted"
)
_SAID_BEFORE = (
    r"mengatakan|menyampaikan|menjelaskan|menegaskan|mengungkapkan|menuturkan|menerangkan|"
    r"menyatakan|mengimbau|menambahkan|said|stated|explained|told|added|noted"
)
_TITLE_HEAD = re.compile(
    r"^(?:Plt\.?\s+|Plh\.?\s+)?(?:Kepala|Kakanim|Kanim|Kasi|Kasubsi|Kabid|Kasubbag|Kasubag|"
    r"Kabag|Kakanwil|Juru\s+Bicara|Jubir|Direktur|Dirjen|Sekretaris|Koordinator|"
    r"Subkoordinator|Analis|Pranata|Staf|Kapolres|Head|Director|Spokesperson|Chief|Deputy|"
    r"Acting)\b",
    re.IGNORECASE,
)
_DEGREE = re.compile(
    r"^(?:Dr|Drs|Dra|Ir|H|Hj|Prof|S\.?H|M\.?H|S\.?Kom|M\.?Si|M\.?Hum|S\.?Sos|M\.?M|"
    r"S\.?E|M\.?A|S\.?T|M\.?T|S\.?Ip|S\.?IP|M\.?Kn|Ph\.?D|MBA|A\.?Md)\.?$",
    re.IGNORECASE,
)
_NAME_WORD = r"(?:[A-Z][\w'’.-]*)"
_AFTER_QUOTE = re.compile(
    rf"[”\"’]\s*,?\s*(?:{_SAID_AFTER})\s+(?P<who>[^.\n“”\"]{{2,200}})", re.IGNORECASE
)
_VERB = re.compile(rf"\b(?:{_SAID_BEFORE})\b")
_SEGMENT_START = re.compile(r"[.\n“”\";]")
_ACCORDING = re.compile(r"\b(?:[Mm]enurut|[Aa]ccording\s+to)\s+(?P<who>[^.\n“”\"]{2,200})")
_ABBREVIATIONS = {
    "kakanim": "kepala kantor imigrasi",
    "kanim": "kantor imigrasi",
    "kasi": "kepala seksi",
    "kasubsi": "kepala subseksi",
    "kabid": "kepala bidang",
    "kabag": "kepala bagian",
    "kasubag": "kepala subbagian",
    "kasubbag": "kepala subbagian",
    "kakanwil": "kepala kantor wilayah",
    "jubir": "juru bicara",
    "dirjen": "direktur jenderal",
}
_SPOKESPERSON_TITLES = ("juru bicara", "spokesperson")


@dataclass(frozen=True)
class Quoted:
    name: str
    start: int
    end: int
    title: str = ""
    title_start: int = 0
    title_end: int = 0


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[\s,]+", text) if w and not _DEGREE.match(w.strip("."))]


def _name_key(name: str) -> tuple[str, ...]:
    return tuple(w.lower().strip(".,'’") for w in _words(name))


def normalise_title(title: str) -> str:
    words = re.findall(r"[\w-]+", title.lower())
    out: list[str] = []
    for word in words:
        out.extend(_ABBREVIATIONS.get(word, word).split())
    return " ".join(out)


def _chunks(segment: str, offset: int) -> list[tuple[str, int, int]]:
    """Comma-separated pieces of ``segment`` with their absolute offsets."""
    pieces = []
    pos = 0
    for raw in segment.split(","):
        start = pos + len(raw) - len(raw.lstrip())
        text = raw.strip()
        if text:
            pieces.append((text, offset + start, offset + start + len(text)))
        pos += len(raw) + 1
    return pieces


def _is_name(text: str) -> bool:
    words = text.split()
    if not 1 <= len(words) <= 5 or _TITLE_HEAD.match(text):
        return False
    return all(re.fullmatch(_NAME_WORD, w) or _DEGREE.match(w) for w in words)


def _leading_name(text: str) -> str:
    """The capitalised words at the start of ``text`` ("Budi Santoso kepada …" → "Budi
    Santoso")."""
    found = []
    for word in text.split():
        if re.fullmatch(_NAME_WORD, word) or _DEGREE.match(word):
            found.append(word)
        else:
            break
    return " ".join(found).rstrip(".,")


def _parse(segment: str, offset: int, *, name_first: bool) -> Quoted | None:
    """Name and title in an attribution segment ("Budi Santoso, Kepala Kantor" or
    "Kepala Kantor Imigrasi Soekarno-Hatta, Budi Santoso")."""
    pieces = _chunks(segment, offset)
    if not pieces:
        return None
    name = next((p for p in pieces if _is_name(p[0])), None)
    title = next((p for p in pieces if _TITLE_HEAD.match(p[0])), None)
    if name is None and name_first:
        text, start, _end = pieces[0]
        lead = _leading_name(text)
        if lead and not _TITLE_HEAD.match(lead):
            name = (lead, start, start + len(lead))
    if name is None:
        return None
    if title is not None:
        return Quoted(name[0], name[1], name[2], title[0], title[1], title[2])
    return Quoted(name[0], name[1], name[2])


def _before_verbs(text: str) -> Iterator[tuple[str, int]]:
    """(segment, offset) of the words before each reporting verb, back to the start of
    the sentence or the closing quotation mark (at most 220 characters)."""
    for m in _VERB.finditer(text):
        end = m.start()
        start = max(0, end - 220)
        for cut in _SEGMENT_START.finditer(text, start, end):
            start = cut.end()
        segment = text[start:end].rstrip().rstrip(",")
        if len(segment.strip()) >= 3:
            yield segment, start


def attributions(text: str) -> Iterator[Quoted]:
    """The people quoted in ``text``, each with the title written beside them."""
    seen: set[int] = set()
    found: list[Quoted | None] = []
    for regex in (_AFTER_QUOTE, _ACCORDING):
        found.extend(
            _parse(m.group("who"), m.start("who"), name_first=True) for m in regex.finditer(text)
        )
    found.extend(_parse(seg, at, name_first=False) for seg, at in _before_verbs(text))
    for quoted in found:
        if quoted is not None and quoted.start not in seen:
            seen.add(quoted.start)
            yield quoted


def find_person(name: str, people: Sequence[Person]) -> Person | None:
    """The person ``name`` refers to: every written word is one of their name's words (two
    words at least, or the whole name)."""
    written = _name_key(name)
    if not written:
        return None
    for person in people:
        key = _name_key(person.name)
        if not key:
            continue
        if written == key or (len(written) >= 2 and set(written) <= set(key)):
            return person
    return None


def title_matches(title: str, person: Person, office_name: str = "") -> bool:
    written = normalise_title(title)
    if person.is_spokesperson and written.startswith(_SPOKESPERSON_TITLES):
        return True
    position = normalise_title(person.position)
    if not position:
        return True  # nothing to compare with
    head = " ".join(written.split()[:2])
    if head and head not in position:
        return False
    extra = set(written.split()) - set(position.split()) - set(normalise_title(office_name).split())
    # Words beyond the office's name (e.g. "Soekarno-Hatta") may follow; a different unit
    # ("Intelijen" for "Lalu Lintas") may not.
    return len(extra) <= 2


def check_people(part: Part, context: Context) -> list[Finding]:
    findings: list[Finding] = []
    appointed = [p.name for p in context.people if p.appointed]
    for quoted in attributions(part.text):
        person = find_person(quoted.name, context.people)
        if person is None:
            findings.append(
                Finding(
                    severity=Severity.WARNING,
                    kind=FindingKind.SPOKESPERSON,
                    message=_(
                        "“%(name)s” is quoted but is not in the office's registry of spokespeople."
                    )
                    % {"name": quoted.name},
                    part=part.name,
                    start=quoted.start,
                    end=quoted.end,
                    text=quoted.name,
                    source="registry",
                )
            )
            continue
        if person.is_spokesperson and not person.valid:
            findings.append(
                Finding(
                    severity=Severity.ERROR,
                    kind=FindingKind.SPOKESPERSON,
                    message=_("%(name)s's appointment as spokesperson is not valid on %(day)s.")
                    % {"name": person.name, "day": dates.format_date(context.day)},
                    part=part.name,
                    start=quoted.start,
                    end=quoted.end,
                    text=quoted.name,
                    fact=person.name,
                    fact_url=person.url,
                    source="registry",
                )
            )
        elif context.checks_appointment and not person.appointed:
            if appointed:
                message = _(
                    "%(name)s is quoted but not appointed to speak at this conference "
                    "(appointed: %(appointed)s)."
                ) % {"name": person.name, "appointed": ", ".join(appointed)}
                severity = Severity.ERROR
            else:
                message = _(
                    "%(name)s is quoted, but nobody is appointed to speak at this conference yet."
                ) % {"name": person.name}
                severity = Severity.WARNING
            findings.append(
                Finding(
                    severity=severity,
                    kind=FindingKind.SPOKESPERSON,
                    message=message,
                    part=part.name,
                    start=quoted.start,
                    end=quoted.end,
                    text=quoted.name,
                    expected=", ".join(appointed),
                    fact=person.name,
                    fact_url=person.url,
                    source="registry",
                )
            )
        if quoted.title and not title_matches(quoted.title, person, context.office_name):
            findings.append(
                Finding(
                    severity=Severity.ERROR,
                    kind=FindingKind.TITLE,
                    message=_("The registry gives %(name)s's position as “%(position)s”.")
                    % {"name": person.name, "position": person.position},
                    part=part.name,
                    start=quoted.title_start,
                    end=quoted.title_end,
                    text=quoted.title,
                    expected=person.position,
                    fact=person.name,
                    fact_url=person.url,
                    source="registry",
                )
            )
    return findings
