"""Format detection for exports: which format a file is (CSV, JSON, NDJSON, zip), which
delimiter a CSV uses, and where the list of posts is in a JSON document."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from typing import Any

from ..encoding import sniff
from .items import resolve_path

FORMAT_CSV = "csv"
FORMAT_JSON = "json"
FORMAT_NDJSON = "ndjson"
FORMAT_ZIP = "zip"
FORMATS = (FORMAT_CSV, FORMAT_JSON, FORMAT_NDJSON, FORMAT_ZIP)

DELIMITERS = (",", ";", "\t", "|")
# Records a delimiter is judged on (quoted fields may span lines).
DELIMITER_RECORDS = 50
# Keys of an object that hold the list of posts, in order of preference (API responses
# and exports of monitoring tools).
RECORD_KEYS = ("data", "items", "results", "posts", "statuses", "records", "mentions")


def detect_format(head: bytes, filename: str = "") -> str | None:
    """Guess the export format from its first bytes (and file name); None if unknown."""
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return FORMAT_ZIP
    encoding, errors = sniff(head)
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


def excel_separator(row: list[str]) -> str | None:
    """The delimiter named by Excel's ``sep=;`` first line, if ``row`` is one."""
    line = ",".join(row).strip()
    if line.startswith("sep=") and len(line) in (5, 6):
        return line[4]
    return None


def sniff_delimiter(sample: str) -> str:
    """The delimiter of a CSV file, judged on its first records (``sample``, decoded).

    Each candidate (``,``, ``;``, tab, ``|``) reads the records the way the CSV reader
    will — quoted fields may hold delimiters and line breaks — and the one that splits
    them most consistently into the same number of fields wins (more than one field; a
    header with that number of fields first, then consistency, then more fields). So a
    semicolon file from Indonesian Excel whose texts are full of commas reads right, and
    so does a file whose first record spans several lines. Excel's ``sep=;`` line is
    obeyed. Defaults to a comma.
    """
    first = next((line for line in sample.splitlines() if line.strip()), "")
    named = excel_separator([first])
    if named:
        return named
    best, best_score = ",", (False, 0.0, 0)
    for delimiter in DELIMITERS:
        rows = _records(sample, delimiter)
        if len(rows) > 2:
            rows = rows[:-1]  # the sample may end in the middle of a record
        if not rows:
            continue
        width, count = Counter(len(r) for r in rows).most_common(1)[0]
        if width < 2:
            continue
        score = (len(rows[0]) == width, count / len(rows), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _records(sample: str, delimiter: str) -> list[list[str]]:
    rows: list[list[str]] = []
    reader = csv.reader(io.StringIO(sample), delimiter=delimiter)
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                rows.append(row)
                if len(rows) > DELIMITER_RECORDS:
                    break
    except csv.Error:
        pass  # judged on the records read so far
    return rows


def looks_like_twitter_v2(document: Any) -> bool:
    """An X/Twitter API v2 response (``data`` with ``includes.users``, or posts with
    ``author_id`` and ``text``)."""
    if not isinstance(document, dict) or not isinstance(document.get("data"), list):
        return False
    includes = document.get("includes")
    first = next((r for r in document["data"] if isinstance(r, dict)), {})
    return (isinstance(includes, dict) and "users" in includes) or (
        "author_id" in first and "text" in first
    )


def json_records(document: Any, path: str) -> list[Any] | None:
    """The list of posts in a JSON document: at ``path`` when given, else the document
    itself (an array), else the first of :data:`RECORD_KEYS` holding a list, else the
    object as one record."""
    if path:
        found = resolve_path(document, path, {})
        return found if isinstance(found, list) else None
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        for key in RECORD_KEYS:
            if isinstance(document.get(key), list):
                return document[key]
        if document:
            return [document]
    return None


_SALVAGEABLE = re.compile(
    r'\s*\[|\s*\{\s*"(?:' + "|".join(map(re.escape, RECORD_KEYS)) + r')"\s*:\s*\['
)


def salvage_json(text: str, exc: json.JSONDecodeError) -> tuple[Any, str]:
    """Recover the complete elements of a cut-off JSON array (a truncated download): a
    top-level array, or the list under one of :data:`RECORD_KEYS` when it comes first."""
    match = _SALVAGEABLE.match(text)
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
