"""The stream: an export (bytes or a binary file) → :class:`ParsedItem` and
:class:`Rejected` entries, one at a time.

CSV and NDJSON are streamed: :func:`iter_social` yields one item at a time and holds one
row in memory, so a million-row export is fine. JSON is loaded whole (``json`` has no
streaming parser); keep JSON uploads within the upload size limit. Zip archives are read
member by member within :class:`.archive.ArchiveLimits`.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import posixpath
import zipfile
import zlib
from collections.abc import Iterator
from typing import IO, Any

from django.utils.translation import gettext as _

from ..base import ParsedItem, ParseResult, Rejected
from ..encoding import decode, sniff
from ..mapping import (
    GENERIC_NDJSON,
    TWITTER_V2_JSON,
    ColumnMapping,
    Join,
    json_paths,
    missing_required,
    normalise_header,
    suggest_mapping,
)
from .archive import NESTED_ARCHIVE_SUFFIXES, READABLE_SUFFIXES, ArchiveLimits, check_archive
from .formats import (
    FORMAT_CSV,
    FORMAT_JSON,
    FORMAT_NDJSON,
    FORMAT_ZIP,
    FORMATS,
    detect_format,
    excel_separator,
    json_records,
    looks_like_twitter_v2,
    salvage_json,
    sniff_delimiter,
)
from .items import build_item, join_tables, present, resolve_path
from .reader import HEAD_BYTES, text_stream

logger = logging.getLogger(__name__)

MAX_REPORTED_REJECTIONS = 10_000


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
            head = stream.read(HEAD_BYTES) or b""
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
        text = text_stream(head, rest)
        encoding, errors = sniff(head)
        sample = head.decode(encoding, errors=errors).lstrip("\ufeff")
        delimiter = sniff_delimiter(sample)
        reader = csv.reader(text, delimiter=delimiter)
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
                if excel_separator(row):
                    continue  # Excel's "sep=;" line
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

            yield self._emit(build_item(get, mapping, row_number, raw, source))  # type: ignore[arg-type]
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
        text = decode(data).lstrip("\ufeff")
        document: Any
        salvage_error = ""
        try:
            document = json.loads(text)
        except RecursionError:
            self._error(source, "The JSON is nested too deeply to be read.")
            return
        except json.JSONDecodeError as exc:
            document, salvage_error = salvage_json(text, exc)
            if document is None:
                self._error(source, f"This is not valid JSON ({exc.msg} at line {exc.lineno}).")
                return
        mapping = self._given_mapping
        if mapping is None and looks_like_twitter_v2(document):
            mapping = TWITTER_V2_JSON
        records = json_records(document, mapping.records_path if mapping else "")
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
        joins = join_tables(document, mapping.joins)
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
                    value = resolve_path(record, path, joined)
                    if present(value):
                        return value
                return None

            yield self._emit(build_item(get, mapping, position, record, source))

    # NDJSON ----------------------------------------------------------------------------

    def _ndjson(
        self, head: bytes, rest: IO[bytes] | None, source: str
    ) -> Iterator[ParsedItem | Rejected]:
        text = text_stream(head, rest)
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
            problem = check_archive(members, limits)
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
                        member_head = member.read(HEAD_BYTES)
                        if member_head.startswith(b"PK") or base.lower().endswith(
                            NESTED_ARCHIVE_SUFFIXES
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
                            or not base.lower().endswith(READABLE_SUFFIXES)
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
            if len(result.rejected) < MAX_REPORTED_REJECTIONS:
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
        head = bytes(source[:HEAD_BYTES])
    else:
        start = source.tell()
        head = source.read(HEAD_BYTES)
        source.seek(start)
    fmt = detect_format(head, filename)
    if fmt == FORMAT_CSV:
        sample = decode(head)
        reader = csv.reader(io.StringIO(sample), delimiter=sniff_delimiter(sample))
        try:
            header = next(
                (r for r in reader if any(c.strip() for c in r) and not excel_separator(r)), []
            )
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
