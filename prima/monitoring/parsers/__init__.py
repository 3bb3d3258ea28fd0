"""Parsers: bytes in, plain :class:`ParsedItem` objects out (no Django, no network).

Each parser takes bytes that :mod:`prima.monitoring.fetch` (or an upload) produced and
returns a :class:`ParseResult`; none raises on bad input.
"""

from __future__ import annotations

from .article import parse_article
from .base import (
    PLATFORMS,
    ParsedItem,
    ParseResult,
    Rejected,
    canonicalize_url,
    clean_url,
    stable_id,
)
from .feed import parse_feed
from .mapping import (
    GENERIC_CSV,
    GENERIC_NDJSON,
    MAPPABLE_FIELDS,
    PRESETS,
    TWITTER_V2_JSON,
    ColumnMapping,
    Join,
    suggest_mapping,
)
from .sanitize import clean_html, html_to_text
from .social import (
    ArchiveLimits,
    SocialStream,
    detect_format,
    inspect_columns,
    iter_social,
    parse_social,
)
from .values import parse_count, parse_datetime

__all__ = [
    "GENERIC_CSV",
    "GENERIC_NDJSON",
    "MAPPABLE_FIELDS",
    "PLATFORMS",
    "PRESETS",
    "TWITTER_V2_JSON",
    "ArchiveLimits",
    "ColumnMapping",
    "Join",
    "ParseResult",
    "ParsedItem",
    "Rejected",
    "SocialStream",
    "canonicalize_url",
    "clean_html",
    "clean_url",
    "detect_format",
    "html_to_text",
    "inspect_columns",
    "iter_social",
    "parse_article",
    "parse_count",
    "parse_datetime",
    "parse_feed",
    "parse_social",
    "stable_id",
    "suggest_mapping",
]
