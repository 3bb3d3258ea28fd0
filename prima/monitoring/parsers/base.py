"""Plain values every parser returns: no Django, no I/O.

A parser turns *bytes* into :class:`ParsedItem` objects. It never raises on bad input:
an unreadable row becomes a :class:`Rejected` entry (with its row number and a reason a
person can act on) and a wholly unreadable file becomes a message in
:attr:`ParseResult.errors`.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Platform identifiers shared by all parsers (the model layer maps them to choices).
PLATFORM_NEWS = "news"
PLATFORM_TWITTER = "twitter"
PLATFORM_FACEBOOK = "facebook"
PLATFORM_INSTAGRAM = "instagram"
PLATFORM_TIKTOK = "tiktok"
PLATFORM_YOUTUBE = "youtube"
PLATFORM_OTHER = "other"
PLATFORMS = (
    PLATFORM_NEWS,
    PLATFORM_TWITTER,
    PLATFORM_FACEBOOK,
    PLATFORM_INSTAGRAM,
    PLATFORM_TIKTOK,
    PLATFORM_YOUTUBE,
    PLATFORM_OTHER,
)

# External ids longer than this are replaced by a hash so that they fit an indexed column.
MAX_EXTERNAL_ID_LENGTH = 255


@dataclass(slots=True)
class ParsedItem:
    """One mention found in a feed, an article page or a social-media export."""

    external_id: str
    text: str
    url: str = ""
    canonical_url: str = ""
    title: str = ""
    author: str = ""
    author_handle: str = ""
    author_followers: int | None = None
    outlet: str = ""
    platform: str = PLATFORM_OTHER
    published_at: datetime | None = None  # aware, UTC
    likes: int | None = None
    shares: int | None = None
    comments: int | None = None
    lang_hint: str = ""
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Rejected:
    """A row or entry that could not be used.

    ``position`` is 1-based: the spreadsheet row for CSV (the header is row 1), the element
    number for a JSON array, the line number for NDJSON, the entry number for a feed.
    ``source`` names the member of a zip archive the row came from ("" otherwise).
    """

    position: int
    reason: str
    source: str = ""

    def __str__(self) -> str:
        where = f"{self.source}: " if self.source else ""
        return f"{where}row {self.position}: {self.reason}"


@dataclass(slots=True)
class ParseResult:
    """Everything a parser got out of one file."""

    items: list[ParsedItem] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    #: The file (or a zip member) could not be read, wholly or from some point on.
    errors: list[str] = field(default_factory=list)
    #: Something was skipped or ignored, e.g. a mapped column missing from the file.
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the file as a whole could be read (rows may still be rejected)."""
        return not self.errors


def stable_id(*parts: object) -> str:
    """Return a stable ``sha256:<hex>`` id for content without an id of its own."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(str(part if part is not None else "").encode("utf-8", "surrogatepass"))
        digest.update(b"\x1f")
    return "sha256:" + digest.hexdigest()[:40]


def fit_external_id(value: str) -> str:
    """Strip an external id and hash it when it is too long for an indexed column."""
    value = value.strip()
    if len(value) > MAX_EXTERNAL_ID_LENGTH:
        return stable_id(value)
    return value


_TRACKING_PARAMS = re.compile(
    r"^(utm_[a-z]+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|_ga|ref_src|ref_url)$",
    re.IGNORECASE,
)


def clean_url(value: object) -> str:
    """Return ``value`` as an absolute http(s) URL, or "" when it is anything else.

    Dropping other schemes matters: a ``javascript:`` URL from an imported file must never
    reach a link in a page.
    """
    if not isinstance(value, str):
        return ""
    value = value.strip()
    if not value or len(value) > 4096 or any(ch in value for ch in "\r\n\t\x00 "):
        return ""
    try:
        parts = urlsplit(value)
        parts.port  # raises ValueError for an invalid port
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return ""
    return value


def canonicalize_url(value: object) -> str:
    """Return a canonical form of an http(s) URL for duplicate detection.

    Lower-cases scheme and host, drops default ports, the fragment and tracking parameters
    (``utm_*``, ``fbclid``, ...). Returns "" for anything that is not an http(s) URL.
    """
    url = clean_url(value)
    if not url:
        return ""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    netloc = (
        host
        if port is None or (scheme, port) in (("http", 80), ("https", 443))
        else (f"{host}:{port}")
    )
    query = urlencode(
        [
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not _TRACKING_PARAMS.match(k)
        ],
        doseq=True,
    )
    path = parts.path or "/"
    return urlunsplit((scheme, netloc, path, query, ""))


_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: object, *, max_length: int = 100_000) -> str:
    """Normalise a text value: NFC, no control characters, stripped, bounded length."""
    if value is None:
        return ""
    if not isinstance(value, str):
        value = str(value)
    value = unicodedata.normalize("NFC", _CONTROL_CHARS.sub("", value)).strip()
    return value[:max_length]
