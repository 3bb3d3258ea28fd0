"""The ingestion pipeline: parse → normalise → dedup (exact, near) → language → sentiment
(batched) → watch-list tagging → issue assignment → store.

Input is processed in chunks (``MONITORING_CHUNK_SIZE`` entries). The analysis of a chunk
runs outside any transaction; then everything the chunk writes — mentions, watch-list
matches, issues, rollups, dedup bands, rejections — and the job's checkpoint
(``IngestJob.position`` and counters) commit in ONE transaction. A worker killed mid-job
therefore leaves whole chunks only, and the next worker resumes at the checkpoint: every
item ends up stored exactly once. Inserts are idempotent as well (unique keys with
``bulk_create(ignore_conflicts=True)``, then the ids read back), so re-running an import
adds nothing twice, and two workers racing on the same data cannot store it twice.

Bad entries are rejected with a reason (kept as :class:`~.models.IngestRejection` rows);
good ones are kept; stored data is never modified by an import.

Machine ingestion is not audited mention by mention: the audit trail gets one entry per
import started by a person (``import.start``, see :mod:`.services`); feed polls, push
batches and the demo loader are recorded as :class:`~.models.IngestJob` rows instead.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import logging
import multiprocessing
import os
import signal
import socket
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from . import analysis, hooks, neardup
from .bulk import hour_of, insert_ignore, select_in, upsert_add
from .issues import Clusterer, Doc, IssueStats
from .models import (
    IngestJob,
    IngestRejection,
    JobKind,
    JobStatus,
    Mention,
    Platform,
    Source,
    WatchList,
    WatchListMatch,
)
from .parsers.base import (
    ParsedItem,
    Rejected,
    canonicalize_url,
    clean_text,
    clean_url,
    fit_external_id,
    stable_id,
)
from .parsers.sanitize import html_to_text
from .query import Document, Query, QuerySyntaxError
from .query import parse as parse_query
from .search import search_tokens
from .sources import transport
from .sources.base import EntryStream

logger = logging.getLogger(__name__)

ACCEPTED, DUPLICATE, REJECTED = "accepted", "duplicate", "rejected"
# Texts longer than this are cut for language and sentiment (enough to decide both).
ANALYSIS_CHARS = 2_000
_MENTION_COLUMNS = (
    "office_id", "source_id", "kind", "external_id", "url", "url_hash", "content_hash",
    "dup_group", "is_original", "platform", "outlet", "programme", "author", "author_handle",
    "author_followers", "likes", "shares", "comments", "engagement", "title", "text", "summary",
    "published_at", "collected_at", "language", "sentiment", "sentiment_score",
    "sentiment_corrected", "issue_id", "search_text", "ingest_job_id",
)  # fmt: skip
# Publication times further ahead than this are refused (a wrong time zone or a typo).
FUTURE_TOLERANCE = timedelta(days=1)


class LostClaim(Exception):
    """Another worker took the job over (our lease ran out): stop without writing."""


class Cancelled(Exception):
    """Staff cancelled the job."""


@dataclass(frozen=True)
class ItemResult:
    """What happened to one entry (returned to push-API clients)."""

    index: int
    external_id: str
    status: str
    reason: str = ""
    mention_id: int | None = None


@dataclass
class ChunkReport:
    accepted: int = 0
    duplicates: int = 0
    rejected: int = 0


@dataclass
class _Chunk:
    """A chunk between its front half (checks, analysis started) and its back half (stored)."""

    entries: Sequence[tuple[int, ParsedItem | Rejected]]
    position_after: int
    now: datetime
    rows: list[_Row] = field(default_factory=list)
    results: dict[int, ItemResult] = field(default_factory=dict)
    rejections: list[tuple[int, str, str]] = field(default_factory=list)
    future: Future | None = None
    analysed: list[tuple] = field(default_factory=list)


class _Row:
    """One candidate mention while its chunk is processed."""

    __slots__ = (
        "index", "item", "external_id", "url", "url_hash", "content_hash", "platform",
        "outlet", "title", "text", "summary", "programme", "published_at", "engagement",
        "words", "search_text", "language", "sentiment", "score", "bands", "dup_group",
        "is_original", "issue", "mention_id",
    )  # fmt: skip
    external_id: str
    url: str
    url_hash: str | None
    content_hash: str
    platform: str
    outlet: str
    title: str
    text: str
    summary: str
    programme: str
    published_at: datetime
    engagement: int
    words: list[str]
    search_text: str
    language: str
    sentiment: str
    score: float
    bands: Any
    dup_group: int
    is_original: bool
    issue: Any

    def __init__(self, index: int, item: ParsedItem) -> None:
        self.index = index
        self.item = item
        self.mention_id: int | None = None


def _sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()  # noqa: S324 - a key


# Counts above this are nonsense (and would overflow a BIGINT column): capped.
MAX_COUNT = 10**15
# Publication times before this are refused (typos; and out of range for time zones).
OLDEST = datetime(1990, 1, 1, tzinfo=UTC)


def _count(value: int | None) -> int:
    return min(int(value), MAX_COUNT) if value and value > 0 else 0


def _text(value: object, max_length: int = 100_000) -> str:
    """Clean text that any database accepts: no control characters, no lone surrogates."""
    text = clean_text(value, max_length=max_length)
    if not text.isascii():
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text


def _die_with_parent() -> None:
    """In the analysis helper: end when the worker that started it ends, even if the
    worker was killed (Linux ``PR_SET_PDEATHSIG``; elsewhere the helper ends when its
    queue closes)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() == 1:  # the worker already died while we were starting
        os._exit(0)


def worker_id() -> str:
    """A name for this worker process, unique enough to tell claimants apart."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


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


class Pipeline:
    """Stores parsed entries of one source, chunk by chunk (see the module docstring).

    ``job`` (optional) receives the checkpoint and counters with each chunk; ``worker``
    must hold the job's claim (the chunk is refused otherwise). With ``collect=True`` the
    per-entry :class:`ItemResult` list is kept in ``results`` (push API).
    """

    def __init__(
        self,
        source: Source,
        *,
        job: IngestJob | None = None,
        worker: str = "",
        chunk_size: int | None = None,
        collect: bool = False,
        fail_after_chunks: int | None = None,
    ) -> None:
        self.source = source
        self.office = source.office
        self.job = job
        self.worker = worker
        self.chunk_size = chunk_size or settings.MONITORING_CHUNK_SIZE
        self.collect = collect
        self.results: list[ItemResult] = []
        self.report = ChunkReport()
        self.zone = ZoneInfo(self.office.timezone)
        self.matcher = WatchListMatcher(self.office.pk)
        self.clusterer = Clusterer(self.office)
        self.finder = neardup.GroupFinder(self.office.pk)
        self.rejections_kept = 0 if job is None else None
        self.item_warnings: list[str] = []
        # Tests inject a crash after this many committed chunks (kill-and-restart).
        self._fail_after = fail_after_chunks
        self._chunks_done = 0
        self._executor: ProcessPoolExecutor | None = None
        self._pool_disabled = False

    # Driving ---------------------------------------------------------------------------

    def run(
        self,
        entries: Iterable[ParsedItem | Rejected],
        *,
        start: int = 0,
        progress: Callable[[int], None] | None = None,
    ) -> ChunkReport:
        """Process ``entries`` (already positioned after ``start`` processed ones).

        From the second chunk on, the text analysis of the next chunk runs in a helper
        process (``MONITORING_ANALYSIS_WORKERS``) while this one stores the current chunk;
        the order of commits and checkpoints is unchanged.
        """
        position = start
        pending: _Chunk | None = None
        chunk: list[tuple[int, ParsedItem | Rejected]] = []

        def submit(entries_: list[tuple[int, ParsedItem | Rejected]], after: int) -> None:
            nonlocal pending
            front = self._front(entries_, after, parallel=pending is not None)
            if pending is not None:
                self._back(pending)
                if progress:
                    progress(pending.position_after)
            pending = front

        try:
            for entry in entries:
                position += 1
                chunk.append((position, entry))
                if len(chunk) >= self.chunk_size:
                    submit(chunk, position)
                    chunk = []
            if chunk:
                submit(chunk, position)
            if pending is not None:
                self._back(pending)
                if progress:
                    progress(pending.position_after)
        finally:
            self._close_pool()
        return self.report

    # One chunk -------------------------------------------------------------------------

    def process_chunk(
        self, entries: Sequence[tuple[int, ParsedItem | Rejected]], position_after: int
    ) -> ChunkReport:
        """Analyse and store one chunk; commit it with the checkpoint ``position_after``."""
        return self._back(self._front(entries, position_after, parallel=False))

    def _front(
        self,
        entries: Sequence[tuple[int, ParsedItem | Rejected]],
        position_after: int,
        *,
        parallel: bool,
    ) -> _Chunk:
        """Validate and normalise a chunk, drop known repeats, start its analysis."""
        chunk = _Chunk(entries, position_after, timezone.now())
        for index, entry in entries:
            if isinstance(entry, Rejected):
                chunk.rejections.append((entry.position, entry.source, entry.reason))
                chunk.results[index] = ItemResult(index, "", REJECTED, entry.reason)
                continue
            row, reason = self._prepare(index, entry, chunk.now)
            if row is None:
                position = int(entry.raw.get("_position", index)) if entry.raw else index
                member = str(entry.raw.get("_source", "")) if entry.raw else ""
                chunk.rejections.append((position, member, reason))
                chunk.results[index] = ItemResult(index, entry.external_id, REJECTED, reason)
                continue
            chunk.rows.append(row)
        # Exact duplicates inside the chunk, then (optimistically) against the database:
        # a cheap check that catches re-runs of an import before any analysis.
        chunk.rows = self._unique_in_chunk(chunk.rows, chunk.results)
        chunk.rows = self._drop_known(chunk.rows, chunk.results, full=False)
        payload = self._payload(chunk.rows)
        pool = self._pool() if parallel and payload else None
        if pool is not None:
            try:
                chunk.future = pool.submit(analysis.analyse_texts, payload)
            except (BrokenProcessPool, RuntimeError, OSError):
                self._close_pool(broken=True)
                chunk.future = None
        if chunk.future is None:
            chunk.analysed = analysis.analyse_texts(payload)
        return chunk

    def _back(self, chunk: _Chunk) -> ChunkReport:
        """Finish the analysis of a chunk and store it (one transaction)."""
        if chunk.future is not None:
            try:
                chunk.analysed = chunk.future.result()
            except (BrokenProcessPool, OSError):
                # The helper died: analyse here instead; nothing was written yet.
                self._close_pool(broken=True)
                chunk.analysed = analysis.analyse_texts(self._payload(chunk.rows))
        self._apply_analysis(chunk.rows, chunk.analysed)
        report = ChunkReport()
        try:
            self._store_chunk(chunk.entries, chunk.rows, chunk.results, chunk.rejections,
                              report, chunk.position_after, chunk.now)  # fmt: skip
        except BaseException:
            # Rolled back: in-memory state may name issues and stories never stored.
            self.clusterer.reset()
            self.finder = neardup.GroupFinder(self.office.pk)
            raise
        self.report.accepted += report.accepted
        self.report.duplicates += report.duplicates
        self.report.rejected += report.rejected
        if self.collect:
            self.results.extend(chunk.results[i] for i, _e in chunk.entries)
        self._chunks_done += 1
        if self._fail_after is not None and self._chunks_done >= self._fail_after:
            raise RuntimeError("injected failure after a committed chunk (test)")
        return report

    # The helper process ------------------------------------------------------------------

    def _pool(self) -> ProcessPoolExecutor | None:
        """The analysis helper process, started on first use (None when disabled)."""
        if self._pool_disabled or settings.MONITORING_ANALYSIS_WORKERS < 1:
            return None
        if self._executor is None:
            if "fork" not in multiprocessing.get_all_start_methods():
                self._pool_disabled = True
                return None
            # Forked: the child inherits the loaded models and caches, and never touches
            # the database connection it inherits (analysis is pure).
            self._executor = ProcessPoolExecutor(
                max_workers=settings.MONITORING_ANALYSIS_WORKERS,
                mp_context=multiprocessing.get_context("fork"),
                initializer=_die_with_parent,
            )
        return self._executor

    def _close_pool(self, *, broken: bool = False) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=not broken, cancel_futures=True)
            self._executor = None
        if broken:
            logger.warning("analysis helper process failed; analysing in the worker itself")
            self._pool_disabled = True

    def _store_chunk(
        self,
        entries: Sequence[tuple[int, ParsedItem | Rejected]],
        rows: list[_Row],
        results: dict[int, ItemResult],
        rejections: list[tuple[int, str, str]],
        report: ChunkReport,
        position_after: int,
        now: datetime,
    ) -> None:
        """Everything the chunk writes, and its checkpoint, in one transaction."""
        with transaction.atomic():
            # Again, inside the transaction: another writer may have stored some meanwhile.
            rows = self._drop_known(rows, results)
            self._group_near_duplicates(rows)
            self._assign_issues(rows)
            inserted = self._insert(rows, now)
            for row in rows:
                if row.mention_id is not None and row in inserted:
                    results[row.index] = ItemResult(row.index, row.external_id, ACCEPTED, "",
                                                    row.mention_id)  # fmt: skip
                else:
                    results[row.index] = ItemResult(row.index, row.external_id, DUPLICATE,
                                                    "already stored", row.mention_id)  # fmt: skip
            self._store_side_tables(inserted)
            report.accepted = len(inserted)
            report.rejected = len(rejections)
            report.duplicates = len(entries) - report.accepted - report.rejected
            self._checkpoint(position_after, report, rejections, now)

    def _prepare(self, index: int, item: ParsedItem, now: datetime) -> tuple[_Row | None, str]:
        text = html_to_text(_text(item.text))
        title = html_to_text(_text(item.title, max_length=1000))
        raw = item.raw or {}
        summary = _text(raw.get("summary", "")) if raw else ""
        if not text and not title and not summary:
            return None, "the text is empty"
        text = text or summary or title
        published = item.published_at
        if published is None:
            published = now
        elif timezone.is_naive(published):
            published = published.replace(tzinfo=self.zone)
        if published < OLDEST:
            return None, f"the publication time {published:%Y-%m-%d} is implausibly old"
        if published > now + FUTURE_TOLERANCE:
            return None, (
                f"the publication time {published.isoformat(timespec='minutes')} is in the "
                "future (check the time zone of the file)"
            )
        if raw.get("_warnings") and len(self.item_warnings) < 100:
            self.item_warnings.extend(f"row {raw.get('_position', index)}: {w}"
                                      for w in raw["_warnings"])  # fmt: skip
        row = _Row(index, item)
        row.external_id = fit_external_id(_text(item.external_id or "", 1000)) or stable_id(
            item.url, title, text
        )
        # Only http(s) addresses are kept: a javascript: URL must never become a link.
        row.url = clean_url(_text(item.url or "", 2000))
        canonical = item.canonical_url or canonicalize_url(item.url)
        row.url_hash = _sha1(canonical) if canonical else None
        row.platform = (
            item.platform
            if item.platform in Platform.values
            else (self.source.platform or Platform.OTHER)
        )
        if row.platform == Platform.OTHER and self.source.platform:
            row.platform = self.source.platform
        row.outlet = _text(item.outlet or self.source.outlet, max_length=300)
        row.title = title
        row.text = text
        row.summary = summary
        row.programme = _text(raw.get("programme", ""), max_length=300) if raw else ""
        row.published_at = published
        row.engagement = _count(item.likes) + _count(item.shares) + _count(item.comments)
        row.words = neardup.words(f"{title} {text}")
        item.author = _text(item.author, max_length=300)
        item.author_handle = _text(item.author_handle, max_length=150).lstrip("@")
        carrier = item.author_handle or item.author or row.outlet
        row.content_hash = _sha1(f"{row.platform}\x1f{carrier.lower()}\x1f{' '.join(row.words)}")
        return row, ""

    def _unique_in_chunk(self, rows: list[_Row], results: dict[int, ItemResult]) -> list[_Row]:
        seen_ids: set[str] = set()
        seen_urls: set[str] = set()
        seen_hashes: set[str] = set()
        kept = []
        for row in rows:
            if (row.external_id in seen_ids or row.content_hash in seen_hashes
                    or (row.url_hash and row.url_hash in seen_urls)):  # fmt: skip
                results[row.index] = ItemResult(row.index, row.external_id, DUPLICATE,
                                                "repeated in the same input")  # fmt: skip
                continue
            seen_ids.add(row.external_id)
            seen_hashes.add(row.content_hash)
            if row.url_hash:
                seen_urls.add(row.url_hash)
            kept.append(row)
        return kept

    def _drop_known(
        self, rows: list[_Row], results: dict[int, ItemResult], *, full: bool = True
    ) -> list[_Row]:
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

    @staticmethod
    def _payload(rows: list[_Row]) -> list[tuple[str, str, str, str, list[str]]]:
        return [(r.title, r.text, r.summary, r.item.lang_hint, r.words) for r in rows]

    @staticmethod
    def _apply_analysis(rows: list[_Row], analysed: list[tuple]) -> None:
        for row, (lang, label, score, search_text, bands) in zip(rows, analysed, strict=True):
            row.language, row.sentiment, row.score = lang, label, score
            row.search_text, row.bands = search_text, bands

    def _group_near_duplicates(self, rows: list[_Row]) -> None:
        finder = self.finder
        finder.load({b for r in rows for b in r.bands})
        for row in rows:
            item_shingles = neardup.shingles(row.words)
            group = finder.find(row.bands, item_shingles)
            if group is None:
                row.dup_group = int(row.content_hash[:15], 16)
                row.is_original = True
                finder.add_original(row.dup_group, row.bands, item_shingles,
                                    row.published_at.astimezone(self.zone).date())  # fmt: skip
            else:
                row.dup_group = group
                row.is_original = False
        self._new_bands = finder.new_bands

    def _assign_issues(self, rows: list[_Row]) -> None:
        docs = [
            Doc(r.search_text.split(), f"{r.title}\n{r.text}"[:ANALYSIS_CHARS], r.published_at,
                r.language)
            for r in rows
        ]  # fmt: skip
        for row, issue in zip(rows, self.clusterer.assign(docs), strict=True):
            row.issue = issue

    def _insert(self, rows: list[_Row], now: datetime) -> set[_Row]:
        """Insert the rows (conflicts ignored) and read back which ones are ours.

        Plain SQL (see :mod:`.bulk`): building 500 model instances per chunk would cost
        more than the insert itself.
        """
        if not rows:
            return set()
        job_id = self.job.pk if self.job else None
        office_id, source_id, kind = self.office.pk, self.source.pk, self.source.kind
        values = []
        for r in rows:
            item = r.item
            followers = item.author_followers
            values.append((
                office_id, source_id, kind, r.external_id, r.url, r.url_hash, r.content_hash,
                r.dup_group, r.is_original, r.platform, r.outlet, r.programme,
                item.author,
                item.author_handle,
                min(followers, MAX_COUNT) if followers is not None and followers >= 0 else None,
                _count(item.likes) if item.likes is not None else None,
                _count(item.shares) if item.shares is not None else None,
                _count(item.comments) if item.comments is not None else None,
                r.engagement, r.title, r.text, r.summary, r.published_at, now, r.language,
                r.sentiment, round(r.score, 4), False, r.issue.pk if r.issue else None,
                r.search_text, job_id,
            ))  # fmt: skip
        insert_ignore(Mention._meta.db_table, _MENTION_COLUMNS, values)
        stored = {
            ext: (pk, stored_job)
            for ext, pk, stored_job in select_in(
                "SELECT external_id, id, ingest_job_id FROM monitoring_mention "
                "WHERE source_id = %s AND external_id IN ({in})",
                [r.external_id for r in rows],
                [source_id],
            )
        }
        ours: set[_Row] = set()
        for row in rows:
            found = stored.get(row.external_id)
            if found is None:
                continue  # lost to a concurrent insert of the same URL or content
            row.mention_id = found[0]
            if found[1] == job_id:
                ours.add(row)
        return ours

    def _store_side_tables(self, inserted: set[_Row]) -> None:
        rows = sorted(inserted, key=lambda r: r.index)
        # Watch-list matches.
        self.matcher.refresh()
        if self.matcher.active:
            matches = []
            for row in rows:
                for pk in self.matcher.match(row.search_text.split()):
                    mention_id = cast(int, row.mention_id)  # set: the row was inserted
                    matches.append(WatchListMatch(watchlist_id=pk, mention_id=mention_id))
            WatchListMatch.objects.bulk_create(matches, ignore_conflicts=True)
        # Dedup bands of new stories.
        insert_ignore("monitoring_dupband", ("office_id", "band", "dup_group", "day"),
                      getattr(self, "_new_bands", []))  # fmt: skip
        self._new_bands = []
        # Rollups.
        office_id = self.office.pk
        offset = self.zone.utcoffset(timezone.now()) or timedelta(0)
        hourly: list[Any] = []
        actors: list[Any] = []
        terms: defaultdict[Any, int] = defaultdict(int)
        issue_stats: dict[int, IssueStats] = {}
        kind = self.source.kind
        for row in rows:
            item = row.item
            hour = hour_of(row.published_at.astimezone(ZoneInfo("UTC")))
            reach = _count(item.author_followers)
            negative = 1 if row.sentiment == "negative" else 0
            hourly.append(((office_id, hour, kind, row.platform, row.sentiment, row.language),
                           (1, row.engagement, reach)))  # fmt: skip
            day = (row.published_at + offset).date()
            if row.outlet:
                actors.append(((office_id, day, "outlet", row.outlet, row.platform),
                               (1, negative, row.engagement, reach)))  # fmt: skip
            author = f"@{item.author_handle}" if item.author_handle else item.author
            if author:
                actors.append(((office_id, day, "author", author[:300], row.platform),
                               (1, negative, row.engagement, reach)))  # fmt: skip
            for term in set(row.search_text.split()):
                if len(term) <= 100:
                    terms[term] += 1
            if row.issue is not None:
                stats = issue_stats.setdefault(row.issue.pk, IssueStats())
                stats.mentions += 1
                stats.negative += negative
                stats.engagement += row.engagement
                stats.first = min(stats.first or row.published_at, row.published_at)
                stats.last = max(stats.last or row.published_at, row.published_at)
                counts = stats.hours.setdefault(hour, [0, 0, 0, 0, 0])
                counts[0] += 1
                counts[{"positive": 1, "neutral": 2, "negative": 3}[row.sentiment]] += 1
                counts[4] += row.engagement
        if rows:
            terms[""] += len(rows)
        upsert_add("monitoring_hourlyvolume",
                   ("office_id", "hour", "kind", "platform", "sentiment", "language"),
                   ("mentions", "engagement", "reach"), hourly)  # fmt: skip
        upsert_add("monitoring_dailyactor", ("office_id", "day", "role", "name", "platform"),
                   ("mentions", "negative", "engagement", "reach"), actors)  # fmt: skip
        upsert_add("monitoring_termstat", ("office_id", "term"), ("df",),
                   [((office_id, t), (n,)) for t, n in terms.items()])  # fmt: skip
        self.clusterer.save(issue_stats)

    def _checkpoint(
        self,
        position: int,
        report: ChunkReport,
        rejections: list[tuple[int, str, str]],
        now: datetime,
    ) -> None:
        if self.job is None:
            return
        job = self.job
        keep = max(0, IngestRejection.MAX_PER_JOB - (self.rejections_kept or 0))
        if self.rejections_kept is None:
            self.rejections_kept = job.rejections.count()
            keep = max(0, IngestRejection.MAX_PER_JOB - self.rejections_kept)
        if rejections and keep:
            IngestRejection.objects.bulk_create([
                IngestRejection(job=job, position=min(pos, MAX_COUNT), member=_text(member, 255),
                                reason=_text(reason, 500))
                for pos, member, reason in rejections[:keep]
            ])  # fmt: skip
            self.rejections_kept += min(keep, len(rejections))
        updated = IngestJob.objects.filter(pk=job.pk, claimed_by=self.worker).update(
            position=position,
            heartbeat_at=now,
            accepted=F("accepted") + report.accepted,
            duplicates=F("duplicates") + report.duplicates,
            rejected=F("rejected") + report.rejected,
        )
        if not updated:
            raise LostClaim(f"job {job.pk} was taken over by another worker")
        job.position = position


# --- jobs -----------------------------------------------------------------------------------


def claim_job(job_id: int, worker: str, *, now: datetime | None = None) -> bool:
    """Claim a queued job, or a running one whose worker stopped reporting (lease expired).

    One conditional UPDATE: of several workers (processes, machines) exactly one wins.
    """
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.MONITORING_JOB_LEASE_SECONDS)
    claimable = (
        Q(status=JobStatus.QUEUED)
        | Q(status=JobStatus.RUNNING, heartbeat_at__lt=stale)
        | Q(status=JobStatus.RUNNING, heartbeat_at__isnull=True)
    )
    updated = (
        IngestJob.objects.filter(claimable, pk=job_id, cancel_requested=False)
        .update(status=JobStatus.RUNNING, claimed_by=worker, heartbeat_at=now,
                attempts=F("attempts") + 1)
    )  # fmt: skip
    if updated:
        IngestJob.objects.filter(pk=job_id, started_at__isnull=True).update(started_at=now)
    return bool(updated)


def open_job_entries(job: IngestJob) -> EntryStream:
    """The job's input from its checkpoint on, through its source kind's transport."""
    # Push batches, clippings and demo data were processed in the request that made them:
    # a job of theirs left running (the process died) has nothing more to read.
    kinds: dict[str, str] = {
        JobKind.URLS: "article",
        JobKind.FEED: "rss",
        JobKind.FILE: "social_import",
    }
    kind = kinds.get(job.kind, "push")
    return transport(kind).open_entries(job, job.position)


def process_job(
    job_id: int,
    *,
    worker: str | None = None,
    progress: Callable[[IngestJob], None] | None = None,
    fail_after_chunks: int | None = None,
) -> IngestJob | None:
    """Claim the job and process it from its checkpoint to the end; returns the job
    (reloaded), or None when another worker holds it or it is finished/cancelled.

    Exceptions other than losing the claim mark the job failed with the message; the
    checkpoint is kept, so ``retry_job`` resumes where it stopped.
    """
    worker = worker or worker_id()
    if not claim_job(job_id, worker):
        return None
    job = IngestJob.objects.select_related("source", "source__office").get(pk=job_id)
    try:
        stream = open_job_entries(job)
        # Transports report the size of the whole input (not of what is left).
        if stream.total and job.total != stream.total:
            IngestJob.objects.filter(pk=job.pk).update(total=stream.total)
            job.total = stream.total
        pipeline = Pipeline(job.source, job=job, worker=worker, fail_after_chunks=fail_after_chunks)

        def on_chunk(position: int) -> None:
            if IngestJob.objects.filter(pk=job.pk, cancel_requested=True).exists():
                raise Cancelled
            if progress:
                job.refresh_from_db()
                progress(job)

        pipeline.run(stream, start=job.position, progress=on_chunk)
        errors = [e[:1000] for e in stream.errors][:50]
        warnings = [w[:1000] for w in [*stream.warnings, *pipeline.item_warnings]][:100]
        job.refresh_from_db()
        status = JobStatus.DONE
        if errors and not (job.accepted or job.duplicates):
            status = JobStatus.FAILED
        IngestJob.objects.filter(pk=job.pk, claimed_by=worker).update(
            status=status,
            finished_at=timezone.now(),
            errors=errors,
            warnings=warnings,
            total=job.position,
        )
    except LostClaim:
        logger.warning("job %s: lost the claim to another worker", job_id)
        return None
    except Cancelled:
        IngestJob.objects.filter(pk=job.pk, claimed_by=worker).update(
            status=JobStatus.CANCELLED, finished_at=timezone.now()
        )
    except Exception as exc:
        logger.exception("ingestion job %s failed", job_id)
        IngestJob.objects.filter(pk=job.pk, claimed_by=worker).update(
            status=JobStatus.FAILED, finished_at=timezone.now(),
            errors=[f"Stopped after {job.position} entries: {str(exc)[:500]} "
                    "(retrying continues from there)."],
        )  # fmt: skip
        if fail_after_chunks is not None:
            raise
    job.refresh_from_db()
    hooks.announce_mentions_stored(job.office_id, job.pk, job.accepted)
    return job


def ingest_items(
    source: Source,
    items: Iterable[ParsedItem | Rejected],
    *,
    kind: str = JobKind.PUSH,
    user=None,
    collect: bool = False,
    chunk_size: int | None = None,
) -> tuple[IngestJob, list[ItemResult]]:
    """Store items synchronously as one job of ``kind`` (push batches, clippings, demo data).

    Returns the finished job and, with ``collect``, the result of every entry.
    """
    worker = worker_id()
    now = timezone.now()
    job = IngestJob.objects.create(
        office=source.office,
        source=source,
        kind=kind,
        status=JobStatus.RUNNING,
        claimed_by=worker,
        heartbeat_at=now,
        started_at=now,
        attempts=1,
        created_by=user if user is not None and user.is_authenticated else None,
    )
    job.source = source
    pipeline = Pipeline(source, job=job, worker=worker, collect=collect, chunk_size=chunk_size)
    pipeline.run(items)
    IngestJob.objects.filter(pk=job.pk).update(
        status=JobStatus.DONE,
        finished_at=timezone.now(),
        total=F("position"),
        warnings=pipeline.item_warnings[:100],
    )
    job.refresh_from_db()
    hooks.announce_mentions_stored(job.office_id, job.pk, job.accepted)
    return job, pipeline.results
