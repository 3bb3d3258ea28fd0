"""Which source column (CSV header or JSON path) feeds which field of a mention.

A :class:`ColumnMapping` is plain data, so it can be stored as JSON on a media source and
edited in a form. Built-in presets cover the common exports; :func:`suggest_mapping`
guesses one from Indonesian or English header names.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .base import PLATFORM_TWITTER

#: Fields of :class:`~prima.monitoring.parsers.base.ParsedItem` a mapping can fill.
MAPPABLE_FIELDS = (
    "external_id",
    "url",
    "title",
    "text",
    "author",
    "author_handle",
    "author_followers",
    "outlet",
    "platform",
    "published_at",
    "likes",
    "shares",
    "comments",
    "lang_hint",
)


@dataclass(frozen=True, slots=True)
class Join:
    """Attach an object from elsewhere in a JSON document to each record.

    X/Twitter API v2 puts authors in ``includes.users`` and only ``author_id`` on a post:
    ``Join("author", "includes.users", "id", "author_id")`` makes the matching user
    available to paths as ``@author`` (``@author.username``).
    """

    name: str
    collection: str
    key: str
    foreign_key: str


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """Our field → source columns (CSV) or dotted JSON paths, first non-empty one wins."""

    fields: Mapping[str, tuple[str, ...]]
    name: str = "custom"
    #: JSON only: dotted path of the list of records ("" = the top-level list, or ``data``).
    records_path: str = ""
    joins: tuple[Join, ...] = ()
    #: Platform used when no platform column gives one (and the URL does not tell).
    platform: str = ""
    #: Builds ``url`` when the source has none, e.g. ``https://x.com/i/status/{external_id}``.
    url_template: str = ""
    #: Zone for dates written without one.
    timezone: str = "Asia/Jakarta"

    def __post_init__(self) -> None:
        unknown = set(self.fields) - set(MAPPABLE_FIELDS)
        if unknown:
            raise ValueError(f"unknown field(s) in column mapping: {', '.join(sorted(unknown))}")

    def sources(self, name: str) -> tuple[str, ...]:
        return self.fields.get(name, ())

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ColumnMapping:
        """Build a mapping from JSON-able data, e.g. ``{"fields": {"text": "Isi"}}``.

        A field's source may be one string or a list of strings. Raises ``ValueError`` for
        unknown fields.
        """
        raw_fields = data.get("fields", {})
        fields: dict[str, tuple[str, ...]] = {}
        for key, value in raw_fields.items():
            values = (value,) if isinstance(value, str) else tuple(value)
            fields[key] = tuple(v for v in values if isinstance(v, str) and v)
        joins = tuple(Join(**j) for j in data.get("joins", ()))
        return cls(
            fields=fields,
            name=data.get("name", "custom"),
            records_path=data.get("records_path", ""),
            joins=joins,
            platform=data.get("platform", ""),
            url_template=data.get("url_template", ""),
            timezone=data.get("timezone", "Asia/Jakarta"),
        )

    def to_dict(self) -> dict[str, Any]:
        """Return JSON-able data that :meth:`from_dict` reads back."""
        return {
            "name": self.name,
            "fields": {k: list(v) for k, v in self.fields.items()},
            "records_path": self.records_path,
            "joins": [
                {
                    "name": j.name,
                    "collection": j.collection,
                    "key": j.key,
                    "foreign_key": j.foreign_key,
                }
                for j in self.joins
            ],  # fmt: skip
            "platform": self.platform,
            "url_template": self.url_template,
            "timezone": self.timezone,
        }


GENERIC_CSV = ColumnMapping(
    name="generic_csv",
    fields={
        "external_id": ("id",),
        "text": ("text",),
        "title": ("title",),
        "author": ("author",),
        "author_handle": ("author_handle", "handle", "username"),
        "author_followers": ("followers",),
        "url": ("url",),
        "outlet": ("outlet",),
        "platform": ("platform",),
        "published_at": ("posted_at",),
        "likes": ("likes",),
        "shares": ("shares",),
        "comments": ("comments",),
        "lang_hint": ("lang",),
    },
)

TWITTER_V2_JSON = ColumnMapping(
    name="twitter_v2_json",
    fields={
        "external_id": ("id",),
        # Long posts carry their full text in note_tweet; text is then cut.
        "text": ("note_tweet.text", "text"),
        "author": ("@author.name",),
        "author_handle": ("@author.username",),
        "author_followers": ("@author.public_metrics.followers_count",),
        "published_at": ("created_at",),
        "likes": ("public_metrics.like_count",),
        "shares": ("public_metrics.retweet_count",),
        "comments": ("public_metrics.reply_count",),
        "lang_hint": ("lang",),
    },
    records_path="data",
    joins=(Join("author", "includes.users", "id", "author_id"),),
    platform=PLATFORM_TWITTER,
    url_template="https://x.com/i/status/{external_id}",
)

GENERIC_NDJSON = ColumnMapping(
    name="generic_ndjson",
    fields={
        "external_id": ("id", "post_id"),
        "text": ("text", "content", "message", "body"),
        "title": ("title",),
        "author": ("author", "author.name", "user.name"),
        "author_handle": ("author_handle", "username", "author.username", "user.screen_name"),
        "author_followers": ("followers", "author.followers", "user.followers_count"),
        "url": ("url", "link", "permalink"),
        "outlet": ("outlet", "source"),
        "platform": ("platform",),
        "published_at": ("posted_at", "created_at", "timestamp", "date"),
        "likes": ("likes", "like_count", "metrics.likes"),
        "shares": ("shares", "share_count", "metrics.shares"),
        "comments": ("comments", "comment_count", "metrics.comments"),
        "lang_hint": ("lang", "language"),
    },
)

PRESETS: dict[str, ColumnMapping] = {
    m.name: m for m in (GENERIC_CSV, TWITTER_V2_JSON, GENERIC_NDJSON)
}

# Normalised header names (see normalise_header) per field, most specific first.
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "text": ("text", "teks", "isi", "isi_postingan", "isi_konten", "isi_berita", "konten",
             "content", "message", "pesan", "caption", "body", "tweet", "full_text",
             "postingan", "unggahan", "cuitan", "status", "snippet", "mention", "post",
             "isi_pesan", "komentar_teks", "post_text", "tweet_text"),
    "title": ("title", "judul", "headline", "judul_berita"),
    "author_handle": ("akun", "handle", "username", "screen_name", "user_handle",
                      "author_handle", "akun_pengguna", "account", "user_name", "nama_pengguna"),
    "author": ("author", "penulis", "nama_akun", "author_name", "nama", "name", "pengguna",
               "user", "from", "oleh", "sender", "pengirim", "wartawan", "reporter"),
    "author_followers": ("followers", "pengikut", "jumlah_pengikut", "followers_count",
                         "follower", "follower_count", "subscribers", "pelanggan", "fans"),
    "url": ("url", "link", "tautan", "permalink", "post_url", "tweet_url", "alamat", "uri",
            "link_postingan", "tautan_postingan"),
    "published_at": ("posted_at", "tanggal", "waktu", "date", "datetime", "time", "timestamp",
                     "created_at", "published_at", "published", "tgl", "tanggal_posting",
                     "tanggal_unggah", "tanggal_terbit", "waktu_posting", "date_published",
                     "posted", "post_date", "tanggal_waktu", "jam", "diunggah", "dibuat"),
    "platform": ("platform", "media_sosial", "sosmed", "kanal", "channel", "network",
                 "jenis_media", "source_type", "platform_media"),
    "outlet": ("outlet", "media", "nama_media", "sumber", "source", "publisher", "penerbit",
               "site", "situs", "portal"),
    "likes": ("likes", "like", "suka", "jumlah_suka", "favorite_count", "favorites",
              "like_count", "reactions", "reaksi", "likes_count", "disukai", "love"),
    "shares": ("shares", "share", "bagikan", "dibagikan", "retweets", "retweet_count",
               "repost", "reposts", "share_count", "jumlah_bagikan", "retweet", "rt"),
    "comments": ("comments", "comment", "komentar", "jumlah_komentar", "replies",
                 "reply_count", "balasan", "comment_count", "tanggapan"),
    "external_id": ("id", "post_id", "tweet_id", "status_id", "id_post", "id_postingan",
                    "message_id", "id_unggahan"),
    "lang_hint": ("lang", "language", "bahasa"),
}  # fmt: skip
# Order matters: author_handle before author ("nama_akun" is a name, "akun" a handle).
_FIELD_ORDER = ("text", "title", "external_id", "url", "published_at", "author_handle",
                "author", "author_followers", "likes", "shares", "comments", "platform",
                "outlet", "lang_hint")  # fmt: skip


def normalise_header(name: str) -> str:
    """Fold a column name for comparison: ``"Tanggal Posting (WIB)"`` → ``tanggal_posting_wib``."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    folded = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", folded)  # camelCase → camel_case
    return re.sub(r"[^a-z0-9]+", "_", folded.lower()).strip("_")


def suggest_mapping(headers: Iterable[str], *, base: ColumnMapping | None = None) -> ColumnMapping:
    """Guess a mapping from column names (Indonesian or English); never raises.

    Exact names win (``isi``, ``tanggal``, ``akun``, ``pengikut``, ``suka``), then names
    containing a known word (``Tanggal Posting (WIB)``). Each column is used once. The
    result may lack ``text``: check :func:`missing_required` before importing.
    """
    header_list = [h for h in headers if isinstance(h, str) and h.strip()]
    # JSON paths are judged by their last segment: "user.screen_name" is a handle.
    normalised = {h: normalise_header(h.rsplit(".", 1)[-1]) for h in header_list}
    used: set[str] = set()
    chosen: dict[str, tuple[str, ...]] = {}
    for exact in (True, False):
        for field_name in _FIELD_ORDER:
            if field_name in chosen:
                continue
            for synonym in _SYNONYMS[field_name]:
                match = next(
                    (
                        h for h in header_list
                        if h not in used and (
                            normalised[h] == synonym if exact
                            else synonym in normalised[h].split("_") and len(synonym) > 2
                        )
                    ),
                    None,
                )  # fmt: skip
                if match is not None:
                    chosen[field_name] = (match,)
                    used.add(match)
                    break
    if base is not None:
        return ColumnMapping(
            fields=chosen, name="suggested", records_path=base.records_path, joins=base.joins,
            platform=base.platform, url_template=base.url_template, timezone=base.timezone,
        )  # fmt: skip
    return ColumnMapping(fields=chosen, name="suggested")


def missing_required(mapping: ColumnMapping) -> list[str]:
    """Fields a mapping must have but does not (only ``text`` today)."""
    return [] if mapping.sources("text") else ["text"]


def json_paths(records: Sequence[Any], *, limit: int = 20, max_depth: int = 3) -> list[str]:
    """Dotted paths of the scalar values in the first ``limit`` JSON records, in order."""
    seen: dict[str, None] = {}

    def walk(value: Any, prefix: str, depth: int) -> None:
        if isinstance(value, Mapping) and depth < max_depth:
            for key, sub in value.items():
                walk(sub, f"{prefix}.{key}" if prefix else str(key), depth + 1)
        elif prefix and not isinstance(value, Mapping | list):
            seen.setdefault(prefix, None)

    for record in list(records[:limit]):
        walk(record, "", 0)
    return list(seen)
