"""Social-media exports → :class:`ParsedItem` objects.

Reads CSV, JSON (an array, or an object with a ``data`` list such as an X/Twitter API v2
response), NDJSON, and any of these inside a zip archive. Columns are mapped to fields by
a :class:`~prima.monitoring.parsers.mapping.ColumnMapping` (a preset, a stored one, or one
suggested from the header names).

CSV and NDJSON are streamed: :func:`iter_social` yields one item at a time and holds one
row in memory, so a million-row export is fine. JSON is loaded whole (``json`` has no
streaming parser); keep JSON uploads within the upload size limit.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import logging
import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import IO, Any
from urllib.parse import quote, urlsplit

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .base import (
    PLATFORM_FACEBOOK,
    PLATFORM_INSTAGRAM,
    PLATFORM_NEWS,
    PLATFORM_OTHER,
    PLATFORM_TIKTOK,
    PLATFORM_TWITTER,
    PLATFORM_YOUTUBE,
    PLATFORMS,
    ParsedItem,
    ParseResult,
    Rejected,
    canonicalize_url,
    clean_text,
    clean_url,
    fit_external_id,
    stable_id,
)
from .mapping import (
    GENERIC_CSV,
    GENERIC_NDJSON,
    PRESETS,
    TWITTER_V2_JSON,
    ColumnMapping,
    Join,
    json_paths,
    missing_required,
    normalise_header,
    suggest_mapping,
)
from .values import parse_count, parse_datetime

__all__ = [
    "GENERIC_CSV",
    "GENERIC_NDJSON",
    "PRESETS",
    "TWITTER_V2_JSON",
    "ArchiveLimits",
    "ColumnMapping",
    "Join",
    "SocialStream",
    "detect_format",
    "inspect_columns",
    "unreadable_reason",
    "iter_social",
    "parse_social",
    "suggest_mapping",
]

logger = logging.getLogger(__name__)

FORMAT_CSV = "csv"
FORMAT_JSON = "json"
FORMAT_NDJSON = "ndjson"
FORMAT_ZIP = "zip"
FORMATS = (FORMAT_CSV, FORMAT_JSON, FORMAT_NDJSON, FORMAT_ZIP)

_HEAD_BYTES = 64 * 1024
_MAX_REPORTED_REJECTIONS = 10_000


@dataclass(frozen=True, slots=True)
class ArchiveLimits:
    """Guards for zip uploads (decompression bombs, archive tricks)."""

    max_members: int = 50
    max_total_bytes: int = 512 * 1024 * 1024  # uncompressed, all members together
    max_member_bytes: int = 256 * 1024 * 1024
    max_ratio: float = 100.0  # uncompressed / compressed, per member
    max_archive_bytes: int = 256 * 1024 * 1024  # compressed size read into memory


# --- decoding -------------------------------------------------------------------------

# Bytes that are not UTF-8 are read as cp1252 (the Windows/Excel default here), one by
# one, so a UTF-8 file with a few latin-1 bytes keeps both its "é" and its "ü".
_CP1252 = {
    b: bytes([b]).decode("cp1252", errors="ignore") or bytes([b]).decode("latin-1")
    for b in range(0x80, 0x100)
}
_FALLBACK_ERRORS = "prima_cp1252_fallback"


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = exc.object[exc.start : exc.end]
    return "".join(_CP1252.get(b, chr(b)) for b in bad), exc.end


codecs.register_error(_FALLBACK_ERRORS, _cp1252_fallback)


def sniff_encoding(head: bytes) -> tuple[str, str]:
    """Return ``(encoding, errors)`` for a text export from its first bytes.

    BOMs win (UTF-8, UTF-16, UTF-32); NUL-byte patterns reveal BOM-less UTF-16; anything
    else is read as UTF-8 with a per-byte cp1252 fallback.
    """
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", _FALLBACK_ERRORS
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32", "replace"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", "replace"
    sample = head[:4096]
    if len(sample) >= 4:
        even_nuls = sample[0::2].count(0)
        odd_nuls = sample[1::2].count(0)
        half = len(sample) // 2
        if odd_nuls > half * 0.4 and even_nuls < half * 0.1:
            return "utf-16-le", "replace"
        if even_nuls > half * 0.4 and odd_nuls < half * 0.1:
            return "utf-16-be", "replace"
    return "utf-8", _FALLBACK_ERRORS


def decode_bytes(data: bytes) -> str:
    """Decode a whole export with :func:`sniff_encoding`'s choice; never raises."""
    encoding, errors = sniff_encoding(data[:_HEAD_BYTES])
    return data.decode(encoding, errors=errors)


class _PrefixedReader(io.RawIOBase):
    """A raw stream that replays bytes already read (the sniffed head), then the rest."""

    def __init__(self, head: bytes, rest: IO[bytes] | None) -> None:
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        if self._head:
            count = min(len(view), len(self._head))
            view[:count] = self._head[:count]
            self._head = self._head[count:]
            return count
        if self._rest is None:
            return 0
        chunk = self._rest.read(len(view))
        if not chunk:
            return 0
        view[: len(chunk)] = chunk
        return len(chunk)


def _text_stream(head: bytes, rest: IO[bytes] | None) -> io.TextIOWrapper:
    encoding, errors = sniff_encoding(head)
    buffered = io.BufferedReader(_PrefixedReader(head, rest), buffer_size=_HEAD_BYTES)
    return io.TextIOWrapper(buffered, encoding=encoding, errors=errors, newline="")


def detect_format(head: bytes, filename: str = "") -> str | None:
    """Guess the export format from its first bytes (and file name); None if unknown."""
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return FORMAT_ZIP
    encoding, errors = sniff_encoding(head)
    text = head[:4096].decode(encoding, errors=errors).lstrip("\ufeff \t\r\n")
    name = filename.lower()
    if name.endswith((".ndjson", ".jsonl")):
        return FORMAT_NDJSON
    if text.startswith("["):
        return FORMAT_JSON
    if text.startswith("{"):
        first_line, newline, rest = text.partition("\n")
        if newline and rest.strip():
            # One complete object on the first line and more after it: JSON Lines.
            try:
                json.loads(first_line)
            except (json.JSONDecodeError, RecursionError):
                return FORMAT_JSON
            return FORMAT_NDJSON
        return FORMAT_JSON
    if name.endswith(".json"):
        return FORMAT_JSON
    if name.endswith(".zip"):
        return FORMAT_ZIP
    if not text.strip():
        return None
    return FORMAT_CSV


# --- field values -----------------------------------------------------------------------

_PLATFORM_ALIASES = {
    "twitter": PLATFORM_TWITTER, "x": PLATFORM_TWITTER, "x_twitter": PLATFORM_TWITTER,
    "twitter_x": PLATFORM_TWITTER, "tweet": PLATFORM_TWITTER, "x_com": PLATFORM_TWITTER,
    "facebook": PLATFORM_FACEBOOK, "fb": PLATFORM_FACEBOOK, "meta": PLATFORM_FACEBOOK,
    "instagram": PLATFORM_INSTAGRAM, "ig": PLATFORM_INSTAGRAM, "insta": PLATFORM_INSTAGRAM,
    "tiktok": PLATFORM_TIKTOK, "tik_tok": PLATFORM_TIKTOK,
    "youtube": PLATFORM_YOUTUBE, "yt": PLATFORM_YOUTUBE,
    "news": PLATFORM_NEWS, "berita": PLATFORM_NEWS, "online": PLATFORM_NEWS,
    "media_online": PLATFORM_NEWS, "portal_berita": PLATFORM_NEWS, "web": PLATFORM_NEWS,
    "rss": PLATFORM_NEWS, "other": PLATFORM_OTHER, "lainnya": PLATFORM_OTHER,
}  # fmt: skip
_HOST_PLATFORMS = {
    "twitter.com": PLATFORM_TWITTER, "x.com": PLATFORM_TWITTER, "t.co": PLATFORM_TWITTER,
    "facebook.com": PLATFORM_FACEBOOK, "fb.com": PLATFORM_FACEBOOK,
    "fb.watch": PLATFORM_FACEBOOK, "instagram.com": PLATFORM_INSTAGRAM,
    "tiktok.com": PLATFORM_TIKTOK, "youtube.com": PLATFORM_YOUTUBE,
    "youtu.be": PLATFORM_YOUTUBE,
}  # fmt: skip


def normalise_platform(value: object, url: str = "", default: str = "") -> str:
    """Map ``"X"``, ``"IG"``, ``"Facebook"``, a URL's host … to a platform identifier."""
    if isinstance(value, str) and value.strip():
        key = normalise_header(value)
        if key in PLATFORMS:
            return key
        if key in _PLATFORM_ALIASES:
            return _PLATFORM_ALIASES[key]
        for alias, platform in _PLATFORM_ALIASES.items():
            if len(alias) > 3 and alias in key:
                return platform
    if url:
        host = (urlsplit(url).hostname or "").removeprefix("www.").removeprefix("m.")
        if host in _HOST_PLATFORMS:
            return _HOST_PLATFORMS[host]
    return default if default in PLATFORMS else PLATFORM_OTHER


def _present(value: object) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    return not isinstance(value, dict | list)


def _build_item(
    get: Callable[[str], Any],
    mapping: ColumnMapping,
    position: int,
    raw: dict[str, Any],
    source: str,
) -> ParsedItem | Rejected:
    text_value = get("text")
    text = clean_text(text_value) if isinstance(text_value, str | int | float) else ""
    if not text:
        where = ", ".join(repr(s) for s in mapping.sources("text"))
        return Rejected(position, f"the post text is empty (column {where})", source)
    warnings: list[str] = []
    handle = clean_text(get("author_handle"), max_length=200).lstrip("@")
    author = clean_text(get("author"), max_length=300) or (f"@{handle}" if handle else "")
    date_value = get("published_at")
    published = parse_datetime(date_value, mapping.timezone) if _present(date_value) else None
    if _present(date_value) and published is None:
        warnings.append(f"unreadable date {str(date_value)[:60]!r}")
    counts: dict[str, int | None] = {}
    for name in ("likes", "shares", "comments", "author_followers"):
        value = get(name)
        counts[name] = parse_count(value) if _present(value) else None
        if _present(value) and counts[name] is None:
            warnings.append(f"unreadable {name} {str(value)[:30]!r}")
    url = clean_url(get("url"))
    external = get("external_id")
    external_id = fit_external_id(str(external)) if _present(external) else ""
    platform = normalise_platform(get("platform"), url, mapping.platform)
    if not url and mapping.url_template and external_id:
        url = clean_url(
            mapping.url_template.replace("{external_id}", quote(external_id, safe="")).replace(
                "{author_handle}", quote(handle, safe="")
            )
        )
    canonical = canonicalize_url(url)
    if not external_id:
        external_id = canonical or stable_id(
            platform, handle or author, published.isoformat() if published else "", text
        )
    if warnings:
        raw = {**raw, "_warnings": warnings}
    return ParsedItem(
        external_id=external_id,
        text=text,
        url=url,
        canonical_url=canonical,
        title=clean_text(get("title"), max_length=2_000),
        author=author,
        author_handle=handle,
        author_followers=counts["author_followers"],
        outlet=clean_text(get("outlet"), max_length=300),
        platform=platform,
        published_at=published,
        likes=counts["likes"],
        shares=counts["shares"],
        comments=counts["comments"],
        lang_hint=clean_text(get("lang_hint"), max_length=20),
        raw=raw,
    )


def _resolve_path(record: Any, path: str, joined: Mapping[str, Any]) -> Any:
    """Follow a dotted path (``public_metrics.like_count``, ``@author.name``, ``urls.0``)."""
    if isinstance(record, Mapping) and path in record:
        return record[path]
    current: Any
    if path.startswith("@"):
        name, _, path = path[1:].partition(".")
        current = joined.get(name)
        if not path:
            return current
    else:
        current = record
    for part in path.split("."):
        if isinstance(current, Mapping):
            current = current.get(part)
        elif isinstance(current, list) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        else:
            return None
        if current is None:
            return None
    return current


# --- the stream -------------------------------------------------------------------------


class SocialStream:
    """An iterator over one export: yields :class:`ParsedItem` and :class:`Rejected`.

    File-level problems go to :attr:`errors` (the file, or a zip member, could not be read)
    and :attr:`warnings` (something was skipped); they are complete once iteration ends.
    :attr:`mapping` is the mapping in use (suggested from the header when none was given),
    known after the first row. Single use: iterate once.
    """

    def __init__(
        self,
        source: bytes | IO[bytes],
        *,
        filename: str = "",
        mapping: ColumnMapping | None = None,
        format: str | None = None,
        limits: ArchiveLimits | None = None,
    ) -> None:
        self._source = source
        self._given_mapping = mapping
        self.filename = filename
        self.mapping = mapping
        self.format = format
        self.limits = limits or ArchiveLimits()
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.rows_seen = 0
        self._started = False

    def __iter__(self) -> Iterator[ParsedItem | Rejected]:
        if self._started:
            raise RuntimeError("a SocialStream can be iterated only once")
        self._started = True
        return self._run()

    # Top level -----------------------------------------------------------------------

    def _run(self) -> Iterator[ParsedItem | Rejected]:
        try:
            stream: IO[bytes]
            if isinstance(self._source, bytes | bytearray | memoryview):
                stream = io.BytesIO(bytes(self._source))
            else:
                stream = self._source
            start = stream.tell() if stream.seekable() else 0
            head = stream.read(_HEAD_BYTES) or b""
            fmt = self.format or detect_format(head, self.filename)
            if fmt is None:
                self.errors.append("The file is empty.")
                return
            if fmt not in FORMATS:
                self.errors.append(f"Unknown format {fmt!r}.")
                return
            self.format = fmt
            if fmt == FORMAT_ZIP:
                yield from self._zip(head, stream, start)
            else:
                yield from self._dispatch(fmt, head, stream, "")
        except Exception:  # the parser contract: report, never crash an import
            logger.exception("social export parsing failed")
            self.errors.append(
                "The file could not be read to the end because of an unexpected error; "
                "rows before that point were kept."
            )

    def _dispatch(
        self, fmt: str, head: bytes, rest: IO[bytes] | None, source: str
    ) -> Iterator[ParsedItem | Rejected]:
        if fmt == FORMAT_CSV:
            yield from self._csv(head, rest, source)
        elif fmt == FORMAT_NDJSON:
            yield from self._ndjson(head, rest, source)
        elif fmt == FORMAT_JSON:
            data = head + (rest.read() if rest is not None else b"")
            yield from self._json(data, source)
        else:
            self._error(source, f"format {fmt!r} is not supported here")

    def _error(self, source: str, message: str) -> None:
        self.errors.append(f"{source}: {message}" if source else message)

    def _emit(self, item: ParsedItem | Rejected) -> ParsedItem | Rejected:
        self.rows_seen += 1
        return item

    # CSV -------------------------------------------------------------------------------

    def _csv(
        self, head: bytes, rest: IO[bytes] | None, source: str
    ) -> Iterator[ParsedItem | Rejected]:
        text = _text_stream(head, rest)
        encoding, errors = sniff_encoding(head)
        sample = head[:8192].decode(encoding, errors=errors).lstrip("\ufeff")
        reader = csv.reader(text, delimiter=_sniff_delimiter(sample))
        header: list[str] | None = None
        indexes: dict[str, list[int]] = {}
        mapping = self._given_mapping
        row_number = 0
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                row_number += 1
                if header is None:
                    self._error(source, f"The header row could not be read ({exc}).")
                    return
                yield self._emit(Rejected(row_number, f"the row could not be read ({exc})", source))
                continue
            row_number += 1
            if not any(cell.strip() for cell in row):
                continue
            if header is None:
                header = [cell.strip().lstrip("\ufeff") for cell in row]
                mapping = mapping or suggest_mapping(header)
                if self.mapping is None:
                    self.mapping = mapping
                indexes = self._column_indexes(header, mapping, source)
                if not indexes.get("text"):
                    return
                continue
            raw: dict[str, Any] = dict(zip(header, row, strict=False))
            if len(row) > len(header):
                raw["_extra"] = row[len(header) :]

            def get(name: str, row: list[str] = row) -> str | None:
                for index in indexes.get(name, ()):
                    if index < len(row) and row[index].strip():
                        return row[index]
                return None

            yield self._emit(_build_item(get, mapping, row_number, raw, source))  # type: ignore[arg-type]
        if header is None:
            self._error(source, "The file has no header row.")

    def _column_indexes(
        self, header: list[str], mapping: ColumnMapping, source: str
    ) -> dict[str, list[int]]:
        exact = {name: i for i, name in reversed(list(enumerate(header)))}
        folded = {normalise_header(name): i for i, name in reversed(list(enumerate(header)))}
        indexes: dict[str, list[int]] = {}
        for field_name, sources in mapping.fields.items():
            found = []
            for column in sources:
                index = exact.get(column, folded.get(normalise_header(column)))
                if index is not None:
                    found.append(index)
            if found:
                indexes[field_name] = found
            elif sources and field_name != "text":
                names = ", ".join(repr(s) for s in sources)
                self.warnings.append(
                    f"{source + ': ' if source else ''}column {names} for {field_name} "
                    "is not in the file"
                )
        if not indexes.get("text"):
            wanted = ", ".join(repr(s) for s in mapping.sources("text")) or "none suggested"
            columns = ", ".join(repr(h) for h in header[:30])
            self._error(
                source,
                f"No column for the post text was found (looked for {wanted}). "
                f"Columns in the file: {columns}. Choose the text column in the mapping.",
            )
        return indexes

    # JSON ------------------------------------------------------------------------------

    def _json(self, data: bytes, source: str) -> Iterator[ParsedItem | Rejected]:
        text = decode_bytes(data).lstrip("\ufeff")
        document: Any
        salvage_error = ""
        try:
            document = json.loads(text)
        except RecursionError:
            self._error(source, "The JSON is nested too deeply to be read.")
            return
        except json.JSONDecodeError as exc:
            document, salvage_error = _salvage_json(text, exc)
            if document is None:
                self._error(source, f"This is not valid JSON ({exc.msg} at line {exc.lineno}).")
                return
        mapping = self._given_mapping
        if mapping is None and _looks_like_twitter_v2(document):
            mapping = TWITTER_V2_JSON
        records = _json_records(document, mapping.records_path if mapping else "")
        if records is None:
            self._error(
                source,
                "No list of posts was found in the JSON (expected an array, or an object "
                "with a 'data' list).",
            )
            return
        if salvage_error:
            self._error(source, salvage_error.format(count=len(records)))
        if mapping is None:
            mapping = suggest_mapping(json_paths(records))
            if missing_required(mapping):
                mapping = GENERIC_NDJSON
        if self.mapping is None:
            self.mapping = mapping
        joins = _join_tables(document, mapping.joins)
        yield from self._records(enumerate(records, start=1), mapping, joins, source)

    def _records(
        self,
        numbered: Iterator[tuple[int, Any]],
        mapping: ColumnMapping,
        joins: dict[str, tuple[Join, dict[str, Any]]],
        source: str,
    ) -> Iterator[ParsedItem | Rejected]:
        for position, record in numbered:
            if isinstance(record, Rejected):
                yield self._emit(record)
                continue
            if not isinstance(record, dict):
                yield self._emit(Rejected(position, "the element is not a JSON object", source))
                continue
            joined = {
                name: table.get(str(record.get(join.foreign_key)))
                for name, (join, table) in joins.items()
            }

            def get(name: str, record: dict[str, Any] = record, joined: dict = joined) -> Any:
                for path in mapping.sources(name):
                    value = _resolve_path(record, path, joined)
                    if _present(value):
                        return value
                return None

            yield self._emit(_build_item(get, mapping, position, record, source))

    # NDJSON ----------------------------------------------------------------------------

    def _ndjson(
        self, head: bytes, rest: IO[bytes] | None, source: str
    ) -> Iterator[ParsedItem | Rejected]:
        text = _text_stream(head, rest)
        mapping = self._given_mapping

        def numbered() -> Iterator[tuple[int, Any]]:
            for line_number, line in enumerate(text, start=1):
                line = line.strip().lstrip("\ufeff")
                if not line:
                    continue
                try:
                    yield line_number, json.loads(line)
                except RecursionError:
                    yield (
                        line_number,
                        Rejected(line_number, "the line is nested too deeply", source),
                    )
                except json.JSONDecodeError as exc:
                    reason = f"the line is not valid JSON ({exc.msg} at column {exc.colno})"
                    yield line_number, Rejected(line_number, reason, source)

        lines = numbered()
        pending: list[tuple[int, Any]] = []
        if mapping is None:
            # Suggest a mapping from the first real record, replaying what came before it.
            for entry in lines:
                pending.append(entry)
                if isinstance(entry[1], dict):
                    mapping = suggest_mapping(json_paths([entry[1]]))
                    break
            if mapping is None or missing_required(mapping):
                mapping = GENERIC_NDJSON
            if self.mapping is None:
                self.mapping = mapping

        def replay() -> Iterator[tuple[int, Any]]:
            yield from pending
            yield from lines

        yield from self._records(replay(), mapping, {}, source)

    # Zip -------------------------------------------------------------------------------

    def _zip(self, head: bytes, stream: IO[bytes], start: int) -> Iterator[ParsedItem | Rejected]:
        limits = self.limits
        if stream.seekable():
            stream.seek(start)
            archive_file: IO[bytes] = stream
        else:
            data = head + stream.read(limits.max_archive_bytes + 1 - len(head))
            if len(data) > limits.max_archive_bytes:
                self.errors.append(_("The archive is too large."))
                return
            archive_file = io.BytesIO(data)
        try:
            archive = zipfile.ZipFile(archive_file)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
            self.errors.append(
                _("The zip archive could not be opened (%(error)s).") % {"error": exc}
            )
            return
        with archive:
            members = [info for info in archive.infolist() if not info.is_dir()]
            problem = _check_archive(members, limits)
            if problem:
                self.errors.append(problem)
                return
            for info in members:
                name = info.filename
                base = posixpath.basename(name)
                if name.startswith("__MACOSX/") or base.startswith(".") or not base:
                    continue
                if info.flag_bits & 0x1:
                    self.errors.append(
                        _("%(name)s: encrypted archive members are not supported.") % {"name": name}
                    )
                    continue
                try:
                    with archive.open(info) as member:
                        member_head = member.read(_HEAD_BYTES)
                        if member_head.startswith(b"PK") or base.lower().endswith(
                            (".zip", ".gz", ".7z", ".rar", ".tar")
                        ):
                            self.errors.append(
                                _("%(name)s: archives inside archives are refused.")
                                % {"name": name}
                            )
                            continue
                        fmt = detect_format(member_head, base)
                        if (
                            fmt is None
                            or fmt == FORMAT_ZIP
                            or not base.lower().endswith(
                                (".csv", ".tsv", ".txt", ".json", ".ndjson", ".jsonl")
                            )
                        ):
                            self.warnings.append(
                                f"{name}: skipped (not a CSV, JSON or NDJSON file)."
                            )
                            continue
                        yield from self._dispatch(fmt, member_head, member, name)
                except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError,
                        RuntimeError) as exc:  # fmt: skip
                    self.errors.append(
                        f"{name}: the archive member is damaged ({exc}); rows read before "
                        "the damage were kept."
                    )


def _check_archive(members: list[zipfile.ZipInfo], limits: ArchiveLimits) -> str:
    if len(members) > limits.max_members:
        return _("The archive has %(count)s files; at most %(max)s are allowed.") % {
            "count": len(members),
            "max": limits.max_members,
        }
    total = 0
    for info in members:
        name = info.filename
        parts = name.replace("\\", "/").split("/")
        if name.startswith(("/", "\\")) or ".." in parts or re.match(r"^[A-Za-z]:", name):
            return _("The archive contains an unsafe path (%(name)s) and was refused.") % {
                "name": repr(name)
            }
        if info.file_size > limits.max_member_bytes:
            return _("%(name)s is too large once uncompressed (%(size)s).") % {
                "name": name,
                "size": filesizeformat(info.file_size),
            }
        if info.file_size > 1024 * 1024 and info.file_size > limits.max_ratio * max(
            info.compress_size, 1
        ):
            return _(
                "%(name)s expands %(ratio)s times when uncompressed; the archive looks like "
                "a decompression bomb and was refused."
            ) % {"name": name, "ratio": f"{info.file_size / max(info.compress_size, 1):.0f}"}
        total += info.file_size
    if total > limits.max_total_bytes:
        return _("The archive is too large once uncompressed (%(size)s).") % {
            "size": filesizeformat(total)
        }
    return ""


def _sniff_delimiter(sample: str) -> str:
    lines = (line for line in sample.splitlines() if line.strip())
    first_line = re.sub(r'"[^"]*"', "", next(lines, ""))
    counts = {d: first_line.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _looks_like_twitter_v2(document: Any) -> bool:
    if not isinstance(document, dict) or not isinstance(document.get("data"), list):
        return False
    includes = document.get("includes")
    first = next((r for r in document["data"] if isinstance(r, dict)), {})
    return (isinstance(includes, dict) and "users" in includes) or (
        "author_id" in first and "text" in first
    )


_RECORD_KEYS = ("data", "items", "results", "posts", "statuses", "records", "mentions")


def _json_records(document: Any, path: str) -> list[Any] | None:
    if path:
        found = _resolve_path(document, path, {})
        return found if isinstance(found, list) else None
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        for key in _RECORD_KEYS:
            if isinstance(document.get(key), list):
                return document[key]
        if document:
            return [document]
    return None


def _join_tables(document: Any, joins: tuple[Join, ...]) -> dict[str, tuple[Join, dict[str, Any]]]:
    tables: dict[str, tuple[Join, dict[str, Any]]] = {}
    for join in joins:
        collection = _resolve_path(document, join.collection, {})
        table: dict[str, Any] = {}
        if isinstance(collection, list):
            for element in collection:
                if isinstance(element, dict) and join.key in element:
                    table.setdefault(str(element[join.key]), element)
        tables[join.name] = (join, table)
    return tables


def _salvage_json(text: str, exc: json.JSONDecodeError) -> tuple[Any, str]:
    """Recover the complete elements of a cut-off JSON array (a truncated download)."""
    match = re.match(r'\s*\[|\s*\{\s*"(?:data|items|results|posts|records)"\s*:\s*\[', text)
    if not match:
        return None, ""
    decoder = json.JSONDecoder()
    position = match.end()
    elements: list[Any] = []
    while True:
        while position < len(text) and text[position] in " \t\r\n,":
            position += 1
        if position >= len(text) or text[position] == "]":
            break
        try:
            element, position = decoder.raw_decode(text, position)
        except (json.JSONDecodeError, RecursionError):
            break
        elements.append(element)
    if not elements:
        return None, ""
    message = (
        f"The JSON is cut off or damaged ({exc.msg} at line {exc.lineno}); the {{count}} "
        "complete elements before that point were read."
    )
    return elements, message


# --- public functions -------------------------------------------------------------------


def iter_social(
    source: bytes | IO[bytes],
    *,
    filename: str = "",
    mapping: ColumnMapping | None = None,
    format: str | None = None,
    limits: ArchiveLimits | None = None,
) -> SocialStream:
    """Stream an export: iterate the result for items and rejections, then read its errors.

    ``source`` is bytes or a binary file object (an upload); CSV and NDJSON are read in
    64 KB chunks, JSON whole. ``filename`` helps detect the format; ``format`` forces it.
    Without ``mapping`` one is suggested from the header (X/Twitter v2 JSON is recognised).
    """
    return SocialStream(source, filename=filename, mapping=mapping, format=format, limits=limits)


def unreadable_reason(source: bytes | IO[bytes], *, filename: str = "") -> str:
    """Why PRIMA cannot read rows from an export ("" when it can read at least one).

    The same checks and words as an import's report (the errors of :class:`SocialStream`:
    a zip bomb, an archive inside the archive, too many files, …), so that the upload
    page says what ``prima ingest`` says. Reads until the first row; a file object is
    rewound to where it was.
    """
    start = source.tell() if not isinstance(source, bytes | bytearray | memoryview) else 0
    stream = iter_social(source, filename=filename)
    try:
        for seen, entry in enumerate(stream):
            if isinstance(entry, ParsedItem) or seen >= 1000:
                return ""
    finally:
        if not isinstance(source, bytes | bytearray | memoryview):
            source.seek(start)
    return stream.errors[0] if stream.errors else ""


def parse_social(
    source: bytes | IO[bytes],
    *,
    filename: str = "",
    mapping: ColumnMapping | None = None,
    format: str | None = None,
    limits: ArchiveLimits | None = None,
    max_items: int | None = None,
) -> ParseResult:
    """Parse a whole export into a :class:`ParseResult`; never raises on bad input.

    Keeps every item in memory: for big files iterate :func:`iter_social` instead.
    ``max_items`` stops reading after that many good items (with an error saying so).
    """
    stream = iter_social(source, filename=filename, mapping=mapping, format=format, limits=limits)
    result = ParseResult()
    for entry in stream:
        if isinstance(entry, Rejected):
            if len(result.rejected) < _MAX_REPORTED_REJECTIONS:
                result.rejected.append(entry)
            continue
        result.items.append(entry)
        if max_items is not None and len(result.items) >= max_items:
            result.errors.append(f"Only the first {max_items} posts were read.")
            break
    result.errors[:0] = stream.errors
    result.warnings.extend(stream.warnings)
    return result


def inspect_columns(
    source: bytes | IO[bytes], *, filename: str = "", max_records: int = 20
) -> tuple[str | None, list[str], ColumnMapping | None]:
    """Return ``(format, column names or JSON paths, suggested mapping)`` for a mapping form.

    Reads only the start of CSV/NDJSON files; JSON is decoded whole. Zips report their
    first readable member.
    """
    if isinstance(source, bytes | bytearray | memoryview):
        head = bytes(source[:_HEAD_BYTES])
    else:
        start = source.tell()
        head = source.read(_HEAD_BYTES)
        source.seek(start)
    fmt = detect_format(head, filename)
    if fmt == FORMAT_CSV:
        sample = decode_bytes(head).lstrip("\ufeff")
        reader = csv.reader(io.StringIO(sample), delimiter=_sniff_delimiter(sample))
        try:
            header = next((r for r in reader if any(c.strip() for c in r)), [])
        except csv.Error:
            header = []
        columns = [c.strip() for c in header]
        return fmt, columns, suggest_mapping(columns)
    if fmt in (FORMAT_JSON, FORMAT_NDJSON, FORMAT_ZIP):
        stream = iter_social(source, filename=filename)
        records: list[Any] = []
        for entry in stream:
            if isinstance(entry, ParsedItem):
                records.append(entry.raw)
            if len(records) >= max_records:
                break
        columns = json_paths(records)
        return fmt, columns, stream.mapping
    return fmt, [], None
