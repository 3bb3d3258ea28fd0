"""The rollups: counters kept current as mentions are stored or change sentiment.

This module owns the rollup keys and every change to them; nothing else writes these
tables incrementally (rebuilds from the mentions, such as :func:`.issues.recompute` after
a merge, and deletions by retention are not increments).

- ``HourlyVolume`` — office, UTC hour, kind, platform, sentiment, language →
  mentions, engagement, reach;
- ``DailyActor`` — office, local day, role (outlet or author), name, platform →
  mentions, negative, engagement, reach;
- ``TermStat`` — office, term (``""``: the number of documents) → df;
- ``IssueVolume`` — issue, UTC hour → mentions, positive, neutral, negative, engagement;
- ``Issue.negative_count``.

Two kinds of change:

- :func:`add_stored` — mentions were stored (ingestion, inside the chunk's transaction);
- :func:`move_sentiment` — stored mentions changed sentiment (a staff correction, a
  re-classification with a new model): each moves from its old sentiment to its new one
  in the hourly volumes, its outlet's and author's negative counts, its issue's hourly
  volume and its issue's negative count.

Both run in the caller's transaction and add in SQL, so concurrent workers add up.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import F

from .bulk import hour_of, subtract, upsert_add
from .models import ActorRole, DailyActor, HourlyVolume, Issue, IssueVolume, Mention, TermStat

HOURLY_TABLE = HourlyVolume._meta.db_table
HOURLY_KEY = ("office_id", "hour", "kind", "platform", "sentiment", "language")
HOURLY_NUMBERS = ("mentions", "engagement", "reach")

ACTOR_TABLE = DailyActor._meta.db_table
ACTOR_KEY = ("office_id", "day", "role", "name", "platform")
ACTOR_NUMBERS = ("mentions", "negative", "engagement", "reach")
# Author rows of a compacted day that were folded into the day's "others" row.
OTHERS_NAME, OTHERS_PLATFORM = "", "other"
ACTOR_NAME_CHARS = 300

TERM_TABLE = TermStat._meta.db_table
TERM_KEY = ("office_id", "term")
TERM_CHARS = 100

ISSUE_VOLUME_TABLE = IssueVolume._meta.db_table
ISSUE_VOLUME_KEY = ("issue_id", "hour")
# Every column in the insert: the NOT NULL checks run before a conflict is seen.
ISSUE_VOLUME_NUMBERS = ("mentions", "positive", "neutral", "negative", "engagement")
_SENTIMENT_COLUMN = {"positive": 1, "neutral": 2, "negative": 3}


@dataclass(frozen=True, slots=True)
class Facts:
    """What the rollups need of one mention."""

    office_id: int
    published_at: datetime  # aware
    kind: str
    platform: str
    sentiment: str
    language: str
    engagement: int = 0
    reach: int = 0  # the author's followers (0 when unknown)
    outlet: str = ""
    author: str = ""  # "@handle", else the author's name
    issue_id: int | None = None

    @classmethod
    def of(cls, mention: Mention, sentiment: str | None = None) -> Facts:
        """The facts of a stored mention (``sentiment`` overrides the stored one)."""
        return cls(
            office_id=mention.office_id,
            published_at=mention.published_at,
            kind=mention.kind,
            platform=mention.platform,
            sentiment=sentiment or mention.sentiment,
            language=mention.language,
            engagement=mention.engagement or 0,
            reach=mention.author_followers or 0,
            outlet=mention.outlet,
            author=author_name(mention.author_handle, mention.author),
            issue_id=mention.issue_id,
        )


# Mention fields :meth:`Facts.of` reads (for ``.only()`` / ``.values_list()``).
FACT_FIELDS = ("office_id", "published_at", "kind", "platform", "sentiment", "language",
               "engagement", "author_followers", "outlet", "author_handle", "author",
               "issue_id")  # fmt: skip


def author_name(handle: str, name: str) -> str:
    """How an author is counted: ``@handle`` when there is one, else the name."""
    return (f"@{handle}" if handle else name)[:ACTOR_NAME_CHARS]


def utc_offset(tz_name: str, at: datetime | None = None) -> timedelta:
    """The office zone's offset from UTC (Indonesia's zones have no daylight saving)."""
    return ZoneInfo(tz_name).utcoffset(at or datetime.now(UTC)) or timedelta(0)


def hour_key(published_at: datetime) -> datetime:
    """The UTC hour a mention is counted in."""
    return hour_of(published_at.astimezone(UTC))


def day_key(published_at: datetime, offset: timedelta) -> date:
    """The office's calendar day a mention is counted in."""
    return (published_at.astimezone(UTC) + offset).date()


def _actor_keys(facts: Facts, offset: timedelta) -> list[tuple]:
    day = day_key(facts.published_at, offset)
    keys = []
    if facts.outlet:
        keys.append((facts.office_id, day, ActorRole.OUTLET.value, facts.outlet, facts.platform))
    if facts.author:
        keys.append((facts.office_id, day, ActorRole.AUTHOR.value, facts.author, facts.platform))
    return keys


def _hourly(facts: Facts, sentiment: str) -> tuple:
    return (facts.office_id, hour_key(facts.published_at), facts.kind, facts.platform,
            sentiment, facts.language)  # fmt: skip


def issue_counts(sentiment: str, engagement: int) -> list[int]:
    """One mention as an ``IssueVolume`` increment (``ISSUE_VOLUME_NUMBERS`` order)."""
    counts = [1, 0, 0, 0, engagement]
    counts[_SENTIMENT_COLUMN[sentiment]] = 1
    return counts


# --- mentions stored ------------------------------------------------------------------------


@dataclass
class IssueStats:
    """What one chunk added to one issue (applied with :meth:`.issues.Clusterer.save`)."""

    mentions: int = 0
    negative: int = 0
    engagement: int = 0
    first: datetime | None = None
    last: datetime | None = None
    hours: dict[datetime, list[int]] = field(default_factory=dict)


def add_stored(
    stored: Sequence[Facts], terms: Iterable[Iterable[str]], offset: timedelta
) -> dict[int, IssueStats]:
    """Count newly stored mentions (all of one office) in the hourly volumes, the daily
    outlets and authors and the term statistics; ``terms`` are their search terms.

    Returns what they add to each issue, for :meth:`.issues.Clusterer.save` (which writes
    the issues' counters and hourly volumes with :func:`add_issue_volumes`). Three upserts.
    """
    hourly, actors = [], []
    df: dict[str, int] = defaultdict(int)
    issues: dict[int, IssueStats] = {}
    for facts in stored:
        negative = 1 if facts.sentiment == "negative" else 0
        hourly.append((_hourly(facts, facts.sentiment), (1, facts.engagement, facts.reach)))
        for key in _actor_keys(facts, offset):
            actors.append((key, (1, negative, facts.engagement, facts.reach)))
        if facts.issue_id is not None:
            stats = issues.setdefault(facts.issue_id, IssueStats())
            stats.mentions += 1
            stats.negative += negative
            stats.engagement += facts.engagement
            stats.first = min(stats.first or facts.published_at, facts.published_at)
            stats.last = max(stats.last or facts.published_at, facts.published_at)
            counts = stats.hours.setdefault(hour_key(facts.published_at), [0, 0, 0, 0, 0])
            for i, n in enumerate(issue_counts(facts.sentiment, facts.engagement)):
                counts[i] += n
    documents = 0
    for term_list in terms:
        documents += 1
        for term in set(term_list):
            if len(term) <= TERM_CHARS:
                df[term] += 1
    if documents:
        df[""] += documents
    upsert_add(HOURLY_TABLE, HOURLY_KEY, HOURLY_NUMBERS, hourly)
    upsert_add(ACTOR_TABLE, ACTOR_KEY, ACTOR_NUMBERS, actors)
    if stored:
        office_id = stored[0].office_id
        upsert_add(TERM_TABLE, TERM_KEY, ("df",), [((office_id, t), (n,)) for t, n in df.items()])
    return issues


def add_issue_volumes(rows: Iterable[tuple[tuple[int, datetime], Sequence[int]]]) -> None:
    """Add ``((issue id, UTC hour), ISSUE_VOLUME_NUMBERS)`` increments (one upsert)."""
    upsert_add(ISSUE_VOLUME_TABLE, ISSUE_VOLUME_KEY, ISSUE_VOLUME_NUMBERS, rows)


def add_actor_rows(rows: Iterable[tuple[tuple, Sequence[int]]]) -> None:
    """Add ``(ACTOR_KEY values, ACTOR_NUMBERS)`` rows (used when compacting authors)."""
    upsert_add(ACTOR_TABLE, ACTOR_KEY, ACTOR_NUMBERS, rows)


# --- sentiment changed ----------------------------------------------------------------------


def move_sentiment(changes: Sequence[tuple[Facts, str]]) -> None:
    """Move stored mentions to a new sentiment in every rollup.

    ``changes`` are ``(facts with the OLD sentiment, new sentiment)``; unchanged ones are
    ignored. Offices' zones are read once (one query) for the daily rows. Runs in the
    caller's transaction.
    """
    changes = [(f, new) for f, new in changes if new != f.sentiment]
    if not changes:
        return
    minus: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
    plus: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
    issue_minus: dict[tuple[int, datetime, str], int] = defaultdict(int)
    issue_plus: dict[tuple[tuple[int, datetime], str], int] = defaultdict(int)
    issue_negative: dict[int, int] = defaultdict(int)
    actor_negative: dict[tuple, int] = defaultdict(int)
    offsets = _offsets({f.office_id for f, _new in changes})
    for facts, new in changes:
        old = facts.sentiment
        numbers = (1, facts.engagement, facts.reach)
        for target, sentiment in ((minus, old), (plus, new)):
            entry = target[_hourly(facts, sentiment)]
            for i, value in enumerate(numbers):
                entry[i] += value
        delta = (new == "negative") - (old == "negative")
        if delta:
            for key in _actor_keys(facts, offsets[facts.office_id]):
                actor_negative[key] += delta
        if facts.issue_id is not None:
            hour = hour_key(facts.published_at)
            issue_minus[(facts.issue_id, hour, old)] += 1
            issue_plus[((facts.issue_id, hour), new)] += 1
            issue_negative[facts.issue_id] += delta
    subtract(HOURLY_TABLE, HOURLY_KEY, HOURLY_NUMBERS, list(minus.items()))
    upsert_add(HOURLY_TABLE, HOURLY_KEY, HOURLY_NUMBERS, list(plus.items()))
    _shift_actor_negatives(actor_negative)
    for (issue_id, hour, sentiment), n in issue_minus.items():
        subtract(ISSUE_VOLUME_TABLE, ISSUE_VOLUME_KEY, (sentiment,), [((issue_id, hour), (n,))])
    add_issue_volumes(
        (key, [n if c == sentiment else 0 for c in ISSUE_VOLUME_NUMBERS])
        for (key, sentiment), n in issue_plus.items()
    )
    for issue_id, delta in issue_negative.items():
        if delta:
            Issue.objects.filter(pk=issue_id).update(negative_count=F("negative_count") + delta)


def _offsets(office_ids: set[int]) -> dict[int, timedelta]:
    from prima.organizations.models import Office

    zones = dict(Office.objects.filter(pk__in=office_ids).values_list("pk", "timezone"))
    return {pk: utc_offset(zones.get(pk) or "Asia/Jakarta") for pk in office_ids}


def _shift_actor_negatives(deltas: dict[tuple, int]) -> None:
    """Add signed ``deltas`` to the negative counts of daily actor rows (never below 0).

    An author whose day was compacted has no row of their own any more: the day's
    "others" row carries them.
    """
    qn = connection.ops.quote_name
    greatest = "GREATEST" if connection.vendor == "postgresql" else "MAX"
    where = " AND ".join(f"{qn(c)} = %s" for c in ACTOR_KEY)
    sql = (f"UPDATE {qn(ACTOR_TABLE)} SET {qn('negative')} = "  # noqa: S608 - names from code
           f"{greatest}(0, {qn('negative')} + %s) WHERE {where}")  # fmt: skip
    from .bulk import adapter

    adapt = adapter()
    with connection.cursor() as cursor:
        for key, delta in deltas.items():
            if not delta:
                continue
            office_id, day, role, name, platform = key
            cursor.execute(sql, [delta, office_id, adapt(day), role, name, platform])
            if cursor.rowcount == 0 and role == ActorRole.AUTHOR:
                others = (office_id, adapt(day), role, OTHERS_NAME, OTHERS_PLATFORM)
                cursor.execute(sql, [delta, *others])
