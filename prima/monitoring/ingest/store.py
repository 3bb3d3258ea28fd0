"""Storing a chunk: the database side of ingestion, inside the chunk's transaction.

:class:`Store` drops rows already stored (by source and external id, URL or content),
groups near-duplicates (:mod:`..neardup`), assigns issues (:mod:`..issues`), inserts the
mentions with one conflict-ignoring statement per batch and reads back which ones are
ours, then writes what hangs off them: watch-list matches, the near-duplicate bands of
new stories, the rollups (:mod:`..rollups`) and the issues' counters.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from .. import analysis, neardup, rollups
from ..bulk import insert_ignore, select_in
from ..issues import Clusterer, Doc
from ..models import IngestJob, Mention, Source, WatchList, WatchListMatch
from ..query import Document, Query, QuerySyntaxError
from ..query import parse as parse_query
from ..search import search_tokens
from .results import DUPLICATE, ItemResult
from .rows import Row, count, followers, optional_count

WATCHLIST_MATCH_TABLE = WatchListMatch._meta.db_table
MENTION_COLUMNS = (
    "office_id", "source_id", "kind", "external_id", "url", "url_hash", "content_hash",
    "dup_group", "is_original", "platform", "outlet", "programme", "author", "author_handle",
    "author_followers", "likes", "shares", "comments", "engagement", "title", "text", "summary",
    "published_at", "collected_at", "language", "sentiment", "sentiment_score",
    "sentiment_corrected", "issue_id", "search_text", "ingest_job_id",
)  # fmt: skip


class WatchListMatcher:
    """Compiled watch-lists of one office, re-read when one changes (one query per chunk)."""

    def __init__(self, office_id: int) -> None:
        self.office_id = office_id
        self._cache: dict[int, tuple[datetime, Query | None]] = {}
        self.active: list[tuple[int, Query]] = []

    def refresh(self) -> None:
        rows = WatchList.objects.filter(office_id=self.office_id, is_active=True).values_list(
            "id", "query", "updated_at"
        )
        active = []
        for pk, text, updated in rows:
            cached = self._cache.get(pk)
            if cached is None or cached[0] != updated:
                try:
                    compiled: Query | None = parse_query(text)
                except QuerySyntaxError:
                    compiled = None  # stored before validation existed: never matches
                cached = (updated, compiled)
                self._cache[pk] = cached
            if cached[1] is not None:
                active.append((pk, cached[1]))
        self.active = active

    def match(self, tokens: Sequence[str]) -> list[int]:
        if not self.active:
            return []
        doc = Document(tokens)
        return [pk for pk, q in self.active if q.matches(doc, search_tokens)]


class Store:
    """Writes the chunks of one source (and job); keeps per-office state between chunks."""

    def __init__(self, source: Source, job: IngestJob | None) -> None:
        self.source = source
        self.office = source.office
        self.job = job
        self.zone = ZoneInfo(self.office.timezone)
        self.matcher = WatchListMatcher(self.office.pk)
        self.clusterer = Clusterer(self.office)
        self.finder = neardup.GroupFinder(self.office.pk)

    def forget(self) -> None:
        """Drop in-memory state after a rolled-back chunk: it may name issues and stories
        that were never stored."""
        self.clusterer.reset()
        self.finder = neardup.GroupFinder(self.office.pk)

    # Before analysis and again inside the transaction ------------------------------------

    def drop_known(
        self, rows: list[Row], results: dict[int, ItemResult], *, full: bool = True
    ) -> list[Row]:
        """Remove rows already stored: same source and external id, and with ``full`` also
        same URL or content (one indexed query each)."""
        if not rows:
            return rows
        known_ids: dict[str, int] = {}
        known_urls: dict[str, int] = {}
        known_hashes: dict[str, int] = {}
        columns = (
            "SELECT id, source_id, external_id, url_hash, content_hash FROM monitoring_mention "
        )
        found = select_in(columns + "WHERE source_id = %s AND external_id IN ({in})",
                          [r.external_id for r in rows], [self.source.pk])  # fmt: skip
        if full:
            found += select_in(columns + "WHERE office_id = %s AND content_hash IN ({in})",
                               [r.content_hash for r in rows], [self.office.pk])  # fmt: skip
        urls = [r.url_hash for r in rows if r.url_hash] if full else []
        if urls:
            found += select_in(columns + "WHERE office_id = %s AND url_hash IN ({in})", urls,
                               [self.office.pk])  # fmt: skip
        for pk, source_id, ext, url_hash, content_hash in found:
            if source_id == self.source.pk:
                known_ids[ext] = pk
            if url_hash:
                known_urls[url_hash] = pk
            known_hashes[content_hash] = pk
        kept = []
        for row in rows:
            pk = (
                known_ids.get(row.external_id)
                or known_hashes.get(row.content_hash)
                or (known_urls.get(row.url_hash) if row.url_hash else None)
            )
            if pk is None:
                kept.append(row)
            else:
                results[row.index] = ItemResult(row.index, row.external_id, DUPLICATE,
                                                "already stored", pk)  # fmt: skip
        return kept

    # Inside the chunk's transaction ---------------------------------------------------------

    def group_near_duplicates(self, rows: list[Row]) -> list[tuple[int, int, int, object]]:
        """Give each row its near-duplicate group; returns the bands of new stories."""
        finder = self.finder
        finder.load({b for r in rows for b in r.bands})
        for row in rows:
            group = finder.find(row.bands, row.words)
            if group is None:
                row.dup_group = int(row.content_hash[:15], 16)
                row.is_original = True
                finder.add_original(row.dup_group, row.bands, row.words,
                                    row.published_at.astimezone(self.zone).date())  # fmt: skip
            else:
                row.dup_group = group
                row.is_original = False
        return list(finder.new_bands)

    def assign_issues(self, rows: list[Row]) -> None:
        docs = [
            Doc(r.search_text.split(), analysis.analysed_text(r.title, r.text), r.published_at,
                r.language)
            for r in rows
        ]  # fmt: skip
        for row, issue in zip(rows, self.clusterer.assign(docs), strict=True):
            row.issue = issue

    def insert(self, rows: list[Row], now: datetime) -> set[Row]:
        """Insert the rows (conflicts ignored) and read back which ones are ours.

        Plain SQL (see :mod:`..bulk`): building 500 model instances per chunk would cost
        more than the insert itself.
        """
        if not rows:
            return set()
        job_id = self.job.pk if self.job else None
        office_id, source_id, kind = self.office.pk, self.source.pk, self.source.kind
        values = []
        for r in rows:
            item = r.item
            values.append((
                office_id, source_id, kind, r.external_id, r.url, r.url_hash, r.content_hash,
                r.dup_group, r.is_original, r.platform, r.outlet, r.programme, item.author,
                item.author_handle, followers(item.author_followers),
                optional_count(item.likes), optional_count(item.shares),
                optional_count(item.comments), r.engagement, r.title, r.text, r.summary,
                r.published_at, now, r.language, r.sentiment, round(r.score, 4), False,
                r.issue.pk if r.issue else None, r.search_text, job_id,
            ))  # fmt: skip
        insert_ignore(Mention._meta.db_table, MENTION_COLUMNS, values)
        stored = {
            ext: (pk, stored_job)
            for ext, pk, stored_job in select_in(
                "SELECT external_id, id, ingest_job_id FROM monitoring_mention "
                "WHERE source_id = %s AND external_id IN ({in})",
                [r.external_id for r in rows],
                [source_id],
            )
        }
        ours: set[Row] = set()
        for row in rows:
            found = stored.get(row.external_id)
            if found is None:
                continue  # lost to a concurrent insert of the same URL or content
            row.mention_id = found[0]
            if found[1] == job_id:
                ours.add(row)
        return ours

    def write_side_tables(
        self, inserted: set[Row], new_bands: list[tuple[int, int, int, object]]
    ) -> None:
        """Watch-list matches, the bands of new stories, rollups and issue counters of the
        rows this chunk inserted."""
        rows = sorted(inserted, key=lambda r: r.index)
        self.matcher.refresh()
        if self.matcher.active:
            matches = [
                (pk, row.mention_id)
                for row in rows
                for pk in self.matcher.match(row.search_text.split())
            ]
            insert_ignore(WATCHLIST_MATCH_TABLE, ("watchlist_id", "mention_id"), matches)
        insert_ignore("monitoring_dupband", ("office_id", "band", "dup_group", "day"), new_bands)
        facts = [self._facts(row) for row in rows]
        offset = rollups.utc_offset(self.office.timezone)
        issue_stats = rollups.add_stored(facts, (r.search_text.split() for r in rows), offset)
        self.clusterer.save(issue_stats)

    def _facts(self, row: Row) -> rollups.Facts:
        item = row.item
        return rollups.Facts(
            office_id=self.office.pk,
            published_at=row.published_at,
            kind=self.source.kind,
            platform=row.platform,
            sentiment=row.sentiment,
            language=row.language,
            engagement=row.engagement,
            reach=count(item.author_followers),
            outlet=row.outlet,
            author=rollups.author_name(item.author_handle, item.author),
            issue_id=row.issue.pk if row.issue is not None else None,
        )
