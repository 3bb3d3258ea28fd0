"""Reading mentions: the one filter used by the stream page, the API and the CSV export.

:func:`filter_mentions` applies the policy scope first, then the filters and the search,
so every caller shows exactly the same rows for the same parameters.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Case, CharField, Count, F, Q, QuerySet, When
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _

from prima.lib.params import query_id
from prima.organizations import policy
from prima.organizations.exports import Column, CsvFormat
from prima.organizations.models import User

from .models import Language, Mention, Platform, Sentiment, SourceKind
from .search import search


def _choices(values: Iterable[str], allowed: Iterable[str]) -> list[str]:
    allowed_set = set(allowed)
    return [v for v in values if v in allowed_set]


def _local_bound(value: str, tz: ZoneInfo, *, end: bool) -> datetime | None:
    if not value:
        return None
    try:
        day = parse_date(value)
        moment = None if day is not None else parse_datetime(value)
    except ValueError:
        return None
    if day is not None:
        # A whole day: an end date includes that day.
        if end:
            day = day + timedelta(days=1)
        return datetime.combine(day, time.min, tzinfo=tz)
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)


@dataclass
class MentionFilters:
    """What the stream shows. ``end`` is exclusive. Empty lists mean "any"."""

    start: datetime | None = None
    end: datetime | None = None
    kinds: list[str] = field(default_factory=list)
    platforms: list[str] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    sentiments: list[str] = field(default_factory=list)
    watchlist: int | None = None
    issue: int | None = None
    source: int | None = None
    office: int | None = None
    q: str = ""
    originals_only: bool = False

    @classmethod
    def from_query(cls, params: Mapping[str, Any], *, tz: str | None = None) -> MentionFilters:
        """Read GET parameters (a QueryDict or a dict of lists/strings).

        Unknown choices and unreadable dates are ignored; an id (``watchlist``, ``issue``,
        ``source``, ``office``) that is not a whole number from 1 to 2⁶³−1 raises
        :class:`~prima.lib.params.ParameterError` (a 400 for the caller).
        ``start``/``end`` are dates (``YYYY-MM-DD``, whole days in ``tz``, default the
        site's time zone; ``end`` inclusive) or ISO datetimes. Repeatable: ``kind``,
        ``platform``, ``outlet``, ``language``, ``sentiment``.
        """
        zone = ZoneInfo(tz or settings.TIME_ZONE)

        def many(name: str) -> list[str]:
            if hasattr(params, "getlist"):
                values = params.getlist(name)
            else:
                raw = params.get(name, [])
                values = raw if isinstance(raw, list | tuple) else [raw]
            return [str(v).strip() for v in values if v not in (None, "")]

        def one(name: str) -> str:
            values = many(name)
            return values[-1] if values else ""

        def one_int(name: str) -> int | None:
            return query_id({name: one(name)}, name)

        return cls(
            start=_local_bound(one("start"), zone, end=False),
            end=_local_bound(one("end"), zone, end=True),
            kinds=_choices(many("kind"), SourceKind.values),
            platforms=_choices(many("platform"), Platform.values),
            outlets=[o[:300] for o in many("outlet")],
            languages=_choices(many("language"), Language.values),
            sentiments=_choices(many("sentiment"), Sentiment.values),
            watchlist=one_int("watchlist"),
            issue=one_int("issue"),
            source=one_int("source"),
            office=one_int("office"),
            q=one("q")[:500],
            originals_only=one("originals") in {"1", "true", "on", "yes"},
        )

    def apply(self, queryset: QuerySet[Mention]) -> QuerySet[Mention]:
        """Apply the filters (not the policy) to a mention queryset; may raise
        :class:`~prima.monitoring.query.QuerySyntaxError` for a malformed ``q``."""
        qs = queryset
        if self.office:
            qs = qs.filter(office_id=self.office)
        if self.start:
            qs = qs.filter(published_at__gte=self.start)
        if self.end:
            qs = qs.filter(published_at__lt=self.end)
        if self.kinds:
            qs = qs.filter(kind__in=self.kinds)
        if self.platforms:
            qs = qs.filter(platform__in=self.platforms)
        if self.outlets:
            qs = qs.filter(outlet__in=self.outlets)
        if self.languages:
            qs = qs.filter(language__in=self.languages)
        if self.sentiments:
            qs = qs.filter(sentiment__in=self.sentiments)
        if self.watchlist:
            qs = qs.filter(watch_matches__watchlist_id=self.watchlist)
        if self.issue:
            qs = qs.filter(issue_id=self.issue)
        if self.source:
            qs = qs.filter(source_id=self.source)
        if self.originals_only:
            qs = qs.filter(is_original=True)
        if self.q:
            qs = search(qs, self.q)
        return qs


UNSHOWN = ("search_text", "issue__centroid", "issue__words", "issue__phrases")


def filter_mentions(
    user: User, filters: MentionFilters | None = None, action: str = "mention.view"
) -> QuerySet[Mention]:
    """Mentions ``user`` may see (``action``), filtered, newest first.

    Selects the source and the issue with each mention (no per-row queries). Raises
    :class:`~prima.monitoring.query.QuerySyntaxError` for a malformed search.
    """
    qs = policy.scope(user, action, Mention.objects.all())
    if filters is not None:
        qs = filters.apply(qs)
    # The search index text and the issue's term vectors (large JSON) are for search and
    # clustering, not for showing a mention.
    return qs.select_related("source", "issue").defer(*UNSHOWN).order_by("-published_at", "-id")


# The columns a row of a mention list reads (prima/monitoring/templatetags/mention_rows.py,
# and story_sizes): ``filter_mentions(...).only(*ROW_COLUMNS)`` loads nothing more.
ROW_COLUMNS = (
    "id", "office_id", "source_id", "platform", "outlet", "author", "author_handle",
    "title", "text", "published_at", "sentiment", "engagement", "issue_id", "dup_group",
    "source__name", "issue__name", "issue__label",
)  # fmt: skip


@dataclass(frozen=True)
class StorySize:
    mentions: int
    outlets: int


def story_key():
    """The expression naming who carried a story: the outlet, else the account, else the
    author."""
    return Case(
        When(~Q(outlet=""), then=F("outlet")),
        When(~Q(author_handle=""), then=F("author_handle")),
        default=F("author"),
        output_field=CharField(),
    )


def story_sizes(mentions: Iterable[Mention]) -> dict[int, StorySize]:
    """Size of the near-duplicate group of each mention: ``{dup_group: StorySize}``.

    ``outlets`` counts distinct outlets (news) or accounts (posts) that carried the story:
    "N outlets carried this story". One query for the whole page.
    """
    rows = list(mentions)
    if not rows:
        return {}
    groups = {m.dup_group for m in rows}
    offices = {m.office_id for m in rows}
    result = (
        Mention.objects.filter(office_id__in=offices, dup_group__in=groups)
        .values("dup_group")
        .annotate(n=Count("id"), carriers=Count(story_key(), distinct=True))
    )
    return {r["dup_group"]: StorySize(r["n"], r["carriers"]) for r in result}


CSV_COLUMNS = [
    "id", "published_at", "source_kind", "platform", "outlet", "programme", "author",
    "account", "followers", "title", "text", "summary", "url", "language", "sentiment",
    "sentiment_corrected", "likes", "shares", "comments", "engagement", "issue",
    "story_group", "original",
]  # fmt: skip


def _cell(value: Any) -> Any:
    # Spreadsheet formula injection: a cell starting with = + - @ is run by Excel.
    if isinstance(value, str) and value[:1] in {"=", "+", "-", "@", "\t", "\r"}:
        return "'" + value
    return value


# The same columns in words, for people (see prima.organizations.exports).
CSV_LABELS = {
    "id": _("No."), "published_at": _("Time published"), "source_kind": _("Source kind"),
    "platform": _("Platform"), "outlet": _("Outlet"), "programme": _("Programme or section"),
    "author": _("Author"), "account": _("Account"), "followers": _("Followers"),
    "title": _("Title"), "text": _("Text"), "summary": _("Summary"), "url": _("Link"),
    "language": _("Language"), "sentiment": _("Sentiment"),
    "sentiment_corrected": _("Sentiment corrected by staff"), "likes": _("Likes"),
    "shares": _("Shares"), "comments": _("Comments"), "engagement": _("Engagement"),
    "issue": _("Issue"), "story_group": _("Story group"), "original": _("Original"),
}  # fmt: skip
CSV_HEADERS = [Column(c, CSV_LABELS[c], is_time=c == "published_at") for c in CSV_COLUMNS]


def csv_row(m: Mention, fmt: CsvFormat | None = None) -> list[Any]:
    """One mention as a CSV row (``CSV_COLUMNS``), spreadsheet-formula safe; the time as
    ``fmt`` says (UTC ISO 8601 without one)."""
    published = fmt.time(m.published_at) if fmt else m.published_at.isoformat(timespec="seconds")
    corrected: str | int
    original: str | int
    if fmt and fmt.localised:  # values in words too: labels, "Ya"/"Tidak"
        yes, no = str(_("Yes")), str(_("No"))
        kind, platform = m.get_kind_display(), m.get_platform_display()
        language, sentiment = m.get_language_display(), m.get_sentiment_display()
        corrected, original = (
            yes if flag else no for flag in (m.sentiment_corrected, m.is_original)
        )
    else:
        kind, platform, language, sentiment = m.kind, m.platform, m.language, m.sentiment
        corrected, original = int(m.sentiment_corrected), int(m.is_original)
    return [_cell(v) for v in (
        m.pk, published, kind, platform,
        m.outlet, m.programme, m.author, m.author_handle, m.author_followers, m.title,
        m.text, m.summary, m.url, language, sentiment, corrected,
        m.likes, m.shares, m.comments, m.engagement,
        m.issue.display_name if m.issue_id and m.issue else "", m.dup_group, original,
    )]  # fmt: skip


class _Echo:
    def write(self, value: str) -> str:
        return value


def iter_csv(
    queryset: QuerySet[Mention], *, chunk_size: int = 2000, fmt: CsvFormat | None = None
) -> Iterator[str]:
    """CSV lines (header first) for a ``StreamingHttpResponse``; memory stays flat. With
    ``fmt``, the header and times follow the reader (Indonesian words and WIB)."""
    writer = csv.writer(_Echo())
    yield writer.writerow(fmt.header(CSV_HEADERS) if fmt else CSV_COLUMNS)
    qs = queryset.select_related("issue") if not queryset.query.select_related else queryset
    for m in qs.iterator(chunk_size=chunk_size):
        yield writer.writerow(csv_row(m, fmt))


def write_csv(queryset: QuerySet[Mention], out: TextIO, *, chunk_size: int = 2000) -> int:
    """Write mentions as CSV (times in UTC ISO 8601) to a text stream; returns the row count.

    Streams with ``iterator()``: memory stays flat for any size of export.
    """
    count = -1
    for line in iter_csv(queryset, chunk_size=chunk_size):
        out.write(line)
        count += 1
    return count


def local_day_bounds(day: date, tz: str) -> tuple[datetime, datetime]:
    """Start (inclusive) and end (exclusive) of a calendar day in a time zone."""
    zone = ZoneInfo(tz)
    start = datetime.combine(day, time.min, tzinfo=zone)
    return start, datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)
