"""Social-media exports → :class:`ParsedItem` objects.

Reads CSV, JSON (an array, or an object with a ``data`` list such as an X/Twitter API v2
response), NDJSON, and any of these inside a zip archive. Columns are mapped to fields by
a :class:`~prima.monitoring.parsers.mapping.ColumnMapping` (a preset, a stored one, or one
suggested from the header names).

One job per module:

- :mod:`..encoding` — decoding (the parsers' one strategy);
- :mod:`.reader` — the replaying reader (the sniffed head, then the rest);
- :mod:`.formats` — format detection: the format, the CSV delimiter, the JSON records;
- :mod:`.items` — one record → one item (values, paths, joins);
- :mod:`.archive` — zip limits;
- :mod:`.stream` — the stream itself, and :func:`iter_social`, :func:`parse_social`,
  :func:`inspect_columns`.
"""

from __future__ import annotations

from ..encoding import decode as decode_bytes
from ..encoding import sniff as sniff_encoding
from ..mapping import (
    GENERIC_CSV,
    GENERIC_NDJSON,
    PRESETS,
    TWITTER_V2_JSON,
    ColumnMapping,
    Join,
    suggest_mapping,
)
from .archive import ArchiveLimits
from .formats import (
    FORMAT_CSV,
    FORMAT_JSON,
    FORMAT_NDJSON,
    FORMAT_ZIP,
    FORMATS,
    RECORD_KEYS,
    detect_format,
    sniff_delimiter,
)
from .items import normalise_platform
from .stream import SocialStream, inspect_columns, iter_social, parse_social, unreadable_reason

__all__ = [
    "FORMATS",
    "FORMAT_CSV",
    "FORMAT_JSON",
    "FORMAT_NDJSON",
    "FORMAT_ZIP",
    "GENERIC_CSV",
    "GENERIC_NDJSON",
    "PRESETS",
    "RECORD_KEYS",
    "TWITTER_V2_JSON",
    "ArchiveLimits",
    "ColumnMapping",
    "Join",
    "SocialStream",
    "unreadable_reason",
    "decode_bytes",
    "detect_format",
    "inspect_columns",
    "iter_social",
    "normalise_platform",
    "parse_social",
    "sniff_delimiter",
    "sniff_encoding",
    "suggest_mapping",
]
