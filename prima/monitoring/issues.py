"""Issues: related mentions clustered over a sliding window, and what staff do with them.

Clustering is incremental (single pass, like newsroom "first story detection"): each new
mention is a TF-IDF vector over its search terms (IDF from the office's
:class:`~.models.TermStat`); it joins the most similar open issue whose latest mention is
within ``MONITORING_ISSUE_WINDOW_HOURS`` if the cosine similarity with the issue's
centroid reaches ``MONITORING_ISSUE_SIMILARITY_PERCENT``, and starts a new issue
otherwise. An issue is shown from ``MONITORING_ISSUE_MIN_SIZE`` mentions on; smaller ones
that went quiet are pruned by the scheduler. Labels are the top three centroid terms in a
readable (unstemmed) form.

Staff rename, merge, split, close and reopen issues through the services at the end of
this module; each writes one audit entry per changed issue. Volume series come from
:class:`~.models.IssueVolume` (hourly, by sentiment), which ingestion keeps current, so
growth rates for storm detection are cheap (:func:`growth`).
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import Count, F, Max, Min, Q, Sum
from django.db.models.functions import TruncHour
from django.utils import timezone
from django.utils.translation import gettext as _

from prima.lib import text as textlib
from prima.organizations import audit, policy
from prima.organizations.models import Office, User

from . import issue_text
from .models import Issue, IssueStatus, IssueVolume, Mention, TermStat
from .rollups import IssueStats, add_issue_volumes

CENTROID_TERMS = 60
# Weight of a term that every post of the office uses ("imigrasi", "soekarno-hatta"):
# low, so that a month of posts about the office does not chain into one catch-all issue
# (the demo's deportation news joined the autogate storm with the usual +1 smoothing),
# yet not zero, so that a storm that is most of the stream still holds together. Chosen
# on benchmarks/issues.py and the demo month (0.25: storms fragment; 1.0: catch-all).
IDF_FLOOR = 0.5
DOC_TERMS = 30
LABEL_TERMS = 3


# --- clustering ---------------------------------------------------------------------------


@dataclass
class Doc:
    """What clustering needs of one mention."""

    terms: list[str]  # normalised search tokens (stemmed, no stop words)
    text: str  # for readable label words
    published_at: datetime
    lang: str = "id"


@dataclass
class _State:
    issue: Issue
    centroid: dict[str, float]
    norm: float
    words: dict[str, str]
    last_seen: datetime
    first_seen: datetime
    is_new: bool = False
    touched: bool = False
    # The last few texts absorbed (text, language): readable label words come from them.
    samples: list[tuple[str, str]] = field(default_factory=list)
    sum_squares: float = -1.0
    phrases: dict = field(default_factory=dict)
    size: int = 0  # mentions known to be in the issue (stored ones plus this chunk's)
    merged_into: _State | None = None

    def label(self, centroid: dict[str, float] | None = None) -> str:
        centroid = self.centroid if centroid is None else centroid
        return issue_text.label(self.phrases, centroid, fallback=label_for(centroid, self.words))

    def fill_words(self, centroid: dict[str, float]) -> None:
        """Find readable forms for label terms that have none yet (costs one tokenising
        pass per sample, and only when a label term is new)."""
        top = sorted(centroid, key=lambda t: -centroid[t])[: LABEL_TERMS * 2]
        missing = [t for t in top if t not in self.words]
        for text, lang in reversed(self.samples):
            if not missing:
                break
            self.words.update(surface_words(text, lang, missing))
            missing = [t for t in missing if t not in self.words]


def _norm(vector: dict[str, float]) -> float:
    return math.sqrt(sum(w * w for w in vector.values())) or 1.0


def label_for(centroid: dict[str, float], words: dict[str, str]) -> str:
    top = sorted(centroid.items(), key=lambda kv: (-kv[1], kv[0]))[:LABEL_TERMS]
    return " · ".join(words.get(term, term) for term, _w in top)[:300] or "—"


def surface_words(text: str, lang: str, wanted: Iterable[str]) -> dict[str, str]:
    """Readable forms of stemmed terms, from the text itself: ``{"antre": "antrean"}``."""
    want = set(wanted)
    out: dict[str, str] = {}
    for word in textlib.tokens(text, lang=lang, stem=False):
        stem = textlib.stem(word) if lang != "en" else word
        if stem in want and stem not in out:
            out[stem] = word
    return out


class Clusterer:
    """Assigns mentions of one office to issues, inside the caller's transaction.

    Use per chunk: ``assign(docs)`` (reads open issues and term statistics: two queries,
    creates new issues: one insert), then, once the mentions are stored, ``save(stats)``.
    """

    def __init__(
        self,
        office: Office,
        *,
        window_hours: int | None = None,
        threshold: float | None = None,
        merge_threshold: float | None = None,
    ) -> None:
        self.office = office
        self.window = timedelta(hours=window_hours or settings.MONITORING_ISSUE_WINDOW_HOURS)
        self.threshold = (
            threshold if threshold is not None
            else settings.MONITORING_ISSUE_SIMILARITY_PERCENT / 100
        )  # fmt: skip
        self.merge_threshold = (
            merge_threshold if merge_threshold is not None
            else settings.MONITORING_ISSUE_MERGE_PERCENT / 100
        )  # fmt: skip
        self.states: dict[int, _State] = {}
        # Stored issues merged into others by this chunk: moved in the database by save().
        self.db_merges: list[tuple[int, _State]] = []
        self._synced_at: datetime | None = None
        self._loaded_since: datetime | None = None

    # Reading state -----------------------------------------------------------------------

    def reset(self) -> None:
        """Forget the in-memory state (after a rolled-back chunk): the next chunk reloads."""
        self.states = {}
        self.db_merges = []
        self._synced_at = None
        self._loaded_since = None

    def _load(self, since: datetime, terms: set[str]) -> tuple[float, dict[str, int]]:
        """Bring the open issues of the window into memory and read the terms' document
        frequencies (two queries).

        The first chunk loads every open issue of the window; later chunks only re-read
        issues changed since (by this pipeline, another worker or staff closing, merging
        or renaming them), so the cost per chunk does not grow with the number of issues.
        """
        fields = ("id", "office_id", "label", "name", "status", "centroid", "words", "phrases",
                  "first_seen_at", "last_seen_at", "mention_count")  # fmt: skip
        qs = Issue.objects.filter(office=self.office).only(*fields)
        synced = timezone.now()
        if self._synced_at is None or self._loaded_since is None or since < self._loaded_since:
            self.states = {}
            qs = qs.filter(status=IssueStatus.OPEN, last_seen_at__gte=since)
            self._loaded_since = since
        else:
            # A second of overlap: clocks of workers writing at the same moment.
            qs = qs.filter(updated_at__gte=self._synced_at - timedelta(seconds=1))
        for issue in qs:
            if issue.status != IssueStatus.OPEN or issue.last_seen_at < since:
                self.states.pop(issue.pk, None)
                continue
            centroid = {k: float(v) for k, v in (issue.centroid or {}).items()}
            self.states[issue.pk] = _State(
                issue, centroid, _norm(centroid), dict(issue.words or {}), issue.last_seen_at,
                issue.first_seen_at, phrases=dict(issue.phrases or {}),
                size=issue.mention_count,
            )  # fmt: skip
        for pk in [pk for pk, state in self.states.items() if state.last_seen < since]:
            del self.states[pk]
        self._synced_at = synced
        stats = dict(
            TermStat.objects.filter(office=self.office, term__in=[*terms, ""]).values_list(
                "term", "df"
            )
        )
        return float(stats.pop("", 0)), stats

    def _drop_vanished(self, used: set[int]) -> bool:
        """Forget issues deleted meanwhile (pruned, or merged away); True if any were."""
        if not used:
            return False
        alive = set(
            Issue.objects.filter(pk__in=used, status=IssueStatus.OPEN).values_list("pk", flat=True)
        )
        gone = used - alive
        for pk in gone:
            self.states.pop(pk, None)
        return bool(gone)

    def vector(self, terms: Sequence[str], n_docs: float, df: dict[str, int]) -> dict[str, float]:
        """Unit TF-IDF vector of a document (at most ``DOC_TERMS`` strongest terms)."""
        counts: dict[str, int] = defaultdict(int)
        for term in terms:
            if len(term) > 1 and not term.isdigit():
                counts[term] += 1
        weights = {
            t: (1 + math.log(c)) * (math.log((n_docs + 1) / (df.get(t, 0) + 1)) + IDF_FLOOR)
            for t, c in counts.items()
        }
        if len(weights) > DOC_TERMS:
            weights = dict(sorted(weights.items(), key=lambda kv: -kv[1])[:DOC_TERMS])
        norm = _norm(weights)
        return {t: w / norm for t, w in weights.items()}

    # Assigning ---------------------------------------------------------------------------

    def assign(self, docs: Sequence[Doc]) -> list[Issue | None]:
        """The issue of each document (existing or new, saved), or None for documents
        too short to start one. Updates centroids in memory (see :meth:`save`)."""
        if not docs:
            return []
        docs = [
            Doc(issue_text.cluster_terms(d.terms, d.text), d.text, d.published_at, d.lang)
            for d in docs
        ]
        all_terms = {t for d in docs for t in d.terms}
        since = min(d.published_at for d in docs) - self.window
        n_docs, df = self._load(since, all_terms)
        # Documents of this chunk count in the IDF as well (they are about to be stored).
        n_docs += len(docs)
        chunk_df: dict[str, int] = defaultdict(int)
        for d in docs:
            for t in set(d.terms):
                chunk_df[t] += 1
        for t, c in chunk_df.items():
            df[t] = df.get(t, 0) + c

        # Work on copies: if an issue turns out to be gone, the chunk is assigned again.
        snapshot = {
            pk: (dict(st.centroid), st.norm, st.sum_squares, list(st.samples), st.last_seen,
                 st.first_seen, json.loads(json.dumps(st.phrases)), st.size)
            for pk, st in self.states.items()
        }  # fmt: skip
        out, pending, used = self._assign_all(docs, n_docs, df)
        if self._drop_vanished(used):
            for pk, state in self.states.items():
                (state.centroid, state.norm, state.sum_squares, state.samples, state.last_seen,
                 state.first_seen, state.phrases, state.size) = snapshot[pk]  # fmt: skip
                state.touched = False
            for key in [k for k in self.states if k < 0]:
                del self.states[key]
            out, pending, used = self._assign_all(docs, n_docs, df)
        out, pending = self._merge_converged(out, pending, docs)
        for state in pending:
            state.fill_words(state.centroid)
            state.issue.centroid = state.centroid
            state.issue.words = state.words
            state.issue.phrases = state.phrases
            state.issue.label = state.label()
        if pending:
            Issue.objects.bulk_create([s.issue for s in pending])
            # Re-key the new issues by their ids, for the next chunks.
            for key in [k for k in self.states if k < 0]:
                state = self.states.pop(key)
                self.states[state.issue.pk] = state
        return out

    def _assign_all(
        self, docs: Sequence[Doc], n_docs: float, df: dict[str, int]
    ) -> tuple[list[Issue | None], list[_State], set[int]]:
        index: dict[str, list[int]] = defaultdict(list)
        for pk, state in self.states.items():
            for term in state.centroid:
                index[term].append(pk)
        pending: list[_State] = []
        used: set[int] = set()
        out: list[Issue | None] = []
        for doc in docs:
            vec = self.vector(doc.terms, n_docs, df)
            if not vec:
                out.append(None)
                continue
            scores: dict[int, float] = defaultdict(float)
            for term, weight in vec.items():
                for key in index.get(term, ()):
                    scores[key] += weight * self.states[key].centroid[term]
            best, best_score = None, 0.0
            for key, dot in scores.items():
                state = self.states[key]
                if state.last_seen < doc.published_at - self.window:
                    continue
                score = dot / state.norm
                if score > best_score:
                    best, best_score = key, score
            if best is not None and best_score >= self.threshold:
                state = self.states[best]
                self._absorb(state, vec, doc, index, best)
                if best > 0:
                    used.add(best)
                out.append(state.issue)
                continue
            if len(vec) < 2:
                out.append(None)
                continue
            issue = Issue(
                office=self.office, label="", first_seen_at=doc.published_at,
                last_seen_at=doc.published_at,
            )  # fmt: skip
            state = _State(issue, {}, 1.0, {}, doc.published_at, doc.published_at, is_new=True)
            key = -(len(pending) + 1)  # temporary key until saved
            self.states[key] = state
            pending.append(state)
            self._absorb(state, vec, doc, index, key)
            out.append(issue)
        return out, pending, used

    def _merge_converged(
        self, out: list[Issue | None], pending: list[_State], docs: Sequence[Doc]
    ) -> tuple[list[Issue | None], list[_State]]:
        """Merge issues of the window that this chunk made alike (centroid cosine at least
        ``merge_threshold``): early posts of one event often start several issues that
        later posts show to be one. The smaller issue goes into the larger (an issue
        staff named is always kept, two named issues are never merged). Issues already
        stored are moved in the database by :meth:`save`."""
        touched = [k for k, st in self.states.items() if st.touched]
        if not touched:
            return out, pending
        index: dict[str, list[int]] = defaultdict(list)
        for key, state in self.states.items():
            for term in state.centroid:
                index[term].append(key)
        redirect: dict[int, int] = {}
        for key in sorted(touched, key=lambda k: self.states[k].size):
            if key in redirect:
                continue
            state = self.states[key]
            scores: dict[int, float] = defaultdict(float)
            for term, weight in state.centroid.items():
                for other in index.get(term, ()):
                    if other != key and other not in redirect:
                        scores[other] += weight * self.states[other].centroid[term]
            best, best_score = None, 0.0
            for other, dot in scores.items():
                other_state = self.states[other]
                if abs((other_state.last_seen - state.last_seen).total_seconds()) > (
                    self.window.total_seconds()
                ):
                    continue
                score = dot / (state.norm * other_state.norm)
                if score > best_score:
                    best, best_score = other, score
            if best is None or best_score < self.merge_threshold:
                continue
            source, target = self._merge_roles(key, best)
            if source is None or target is None:
                continue
            self._merge_state(self.states[target], self.states[source])
            redirect[source] = target
            for term in self.states[target].centroid:
                if target not in index[term]:
                    index[term].append(target)
        if not redirect:
            return out, pending
        moved = {id(self.states[k].issue): self.states[v] for k, v in redirect.items()}
        for key, target in list(redirect.items()):
            while target in redirect:
                target = redirect[target]
            redirect[key] = target
        for i, issue in enumerate(out):
            if issue is not None and id(issue) in moved:
                final = moved[id(issue)]
                while final.merged_into is not None:
                    final = final.merged_into
                out[i] = final.issue
        for key, target in redirect.items():
            state = self.states.pop(key)
            if key > 0:
                self.db_merges.append((key, self.states[target]))
        pending = [p for p in pending if p.merged_into is None]
        return out, pending

    def _merge_roles(self, a: int, b: int) -> tuple[int | None, int | None]:
        """(source, target) keys for merging issues ``a`` and ``b``: a stored issue is kept
        over a new one, a named one over an unnamed one, then the larger one."""
        sa, sb = self.states[a], self.states[b]
        if sa.issue.name and sb.issue.name:
            return None, None

        def rank(key: int, st: _State) -> tuple[bool, bool, int, int]:
            return (bool(st.issue.name), key > 0, st.size, -abs(key))

        return (a, b) if rank(a, sa) <= rank(b, sb) else (b, a)

    def _merge_state(self, target: _State, source: _State) -> None:
        squares = 0.0
        for term, weight in source.centroid.items():
            target.centroid[term] = target.centroid.get(term, 0.0) + weight
        if len(target.centroid) > CENTROID_TERMS * 2:
            kept = sorted(target.centroid.items(), key=lambda kv: -kv[1])[:CENTROID_TERMS]
            target.centroid.clear()
            target.centroid.update(kept)
        squares = sum(w * w for w in target.centroid.values())
        target.sum_squares = squares
        target.norm = math.sqrt(squares) or 1.0
        target.words.update({t: w for t, w in source.words.items() if t not in target.words})
        target.samples = (target.samples + source.samples)[-3:]
        issue_text.merge_phrases(target.phrases, source.phrases)
        target.size += source.size
        target.last_seen = max(target.last_seen, source.last_seen)
        target.first_seen = min(target.first_seen, source.first_seen)
        target.touched = True
        source.merged_into = target

    def _absorb(
        self, state: _State, vec: dict[str, float], doc: Doc, index: dict[str, list[int]], key: int
    ) -> None:
        centroid = state.centroid
        squares = state.sum_squares
        if squares < 0:
            squares = sum(w * w for w in centroid.values())
        for term, weight in vec.items():
            old = centroid.get(term)
            if old is None:
                index[term].append(key)
                old = 0.0
            new = old + weight
            centroid[term] = new
            squares += new * new - old * old
        if len(centroid) > CENTROID_TERMS * 2:
            kept = dict(sorted(centroid.items(), key=lambda kv: -kv[1])[:CENTROID_TERMS])
            centroid.clear()
            centroid.update(kept)
            squares = sum(w * w for w in centroid.values())
        state.sum_squares = squares
        state.norm = math.sqrt(squares) or 1.0
        state.samples.append((doc.text, doc.lang))
        if len(state.samples) > 3:
            del state.samples[0]
        issue_text.add_phrases(state.phrases, doc.text, doc.lang)
        state.size += 1
        state.last_seen = max(state.last_seen, doc.published_at)
        state.first_seen = min(state.first_seen, doc.published_at)
        state.touched = True

    # Saving ------------------------------------------------------------------------------

    def save(self, stats: dict[int, IssueStats]) -> None:
        """Write counts, centroids, labels and hourly volumes of the touched issues.

        ``stats`` maps issue ids to what was actually stored for them (rows that lost an
        insert race are not counted). Counts are added in SQL (concurrent workers add up
        correctly); one statement for all touched issues and one upsert of the hourly
        volumes.
        """
        now = timezone.now()
        updates = []
        volume_rows = []
        for state in self.states.values():
            if not state.touched:
                continue
            issue = state.issue
            added = stats.get(issue.pk, IssueStats())
            centroid = dict(sorted(state.centroid.items(), key=lambda kv: -kv[1])[:CENTROID_TERMS])
            state.fill_words(centroid)
            words = {t: w for t, w in state.words.items() if t in centroid}
            updates.append((
                json.dumps({t: round(w, 4) for t, w in centroid.items()}, ensure_ascii=False),
                json.dumps(words, ensure_ascii=False),
                json.dumps(state.phrases, ensure_ascii=False), state.label(centroid), now,
                added.mentions, added.negative, added.engagement,
                added.last or state.last_seen, added.first or state.first_seen, issue.pk,
            ))  # fmt: skip
            for hour, (n, pos, neu, neg, eng) in added.hours.items():
                volume_rows.append(((issue.pk, hour), (n, pos, neu, neg, eng)))
            state.touched = False
        if updates:
            _update_issues(updates)
        add_issue_volumes(volume_rows)
        for source_pk, target in self.db_merges:
            while target.merged_into is not None:
                target = target.merged_into
            _move_issue(source_pk, target.issue.pk, now)
        self.db_merges = []


_UPDATE_SQL = (
    "UPDATE monitoring_issue SET centroid = %%s, words = %%s, phrases = %%s, label = %%s, "
    "updated_at = %%s, "
    "mention_count = mention_count + %%s, negative_count = negative_count + %%s, "
    "engagement = engagement + %%s, last_seen_at = %s(last_seen_at, %%s), "
    "first_seen_at = %s(first_seen_at, %%s) WHERE id = %%s"
)


def _update_issues(rows: list[tuple]) -> None:
    """One executemany UPDATE of the touched issues (raw SQL: the ORM's per-row update
    compilation cost more than the writes)."""
    from .bulk import adapter

    adapt = adapter()

    sql = _UPDATE_SQL % (("GREATEST", "LEAST") if connection.vendor == "postgresql"
                         else ("MAX", "MIN"))  # fmt: skip
    adapted = [
        (c, w, p, label, adapt(now), n, neg, eng, adapt(last), adapt(first), pk)
        for c, w, p, label, now, n, neg, eng, last, first, pk in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, adapted)


def _move_issue(source_pk: int, target_pk: int, now: datetime) -> None:
    """Move a stored issue into another one that clustering found to be the same event:
    its mentions, hourly volumes and counters; the source is left "merged" (a few
    statements; merges are rare)."""
    from .bulk import upsert_add

    source = (
        Issue.objects.filter(pk=source_pk)
        .values("mention_count", "negative_count", "engagement", "first_seen_at", "last_seen_at")
        .first()
    )
    if source is None:
        return
    Mention.objects.filter(issue_id=source_pk).update(issue_id=target_pk)
    columns = ("mentions", "positive", "neutral", "negative", "engagement")
    volumes = IssueVolume.objects.filter(issue_id=source_pk).values_list("hour", *columns)
    upsert_add("monitoring_issuevolume", ("issue_id", "hour"), columns,
               [((target_pk, hour), tuple(values)) for hour, *values in volumes])  # fmt: skip
    IssueVolume.objects.filter(issue_id=source_pk).delete()
    target = Issue.objects.filter(pk=target_pk)
    target.update(
        mention_count=F("mention_count") + source["mention_count"],
        negative_count=F("negative_count") + source["negative_count"],
        engagement=F("engagement") + source["engagement"],
        updated_at=now,
    )
    target.filter(first_seen_at__gt=source["first_seen_at"]).update(
        first_seen_at=source["first_seen_at"]
    )
    target.filter(last_seen_at__lt=source["last_seen_at"]).update(
        last_seen_at=source["last_seen_at"]
    )
    Issue.objects.filter(pk=source_pk).update(
        status=IssueStatus.MERGED, merged_into_id=target_pk, closed_at=now, mention_count=0,
        negative_count=0, engagement=0, updated_at=now,
    )  # fmt: skip


# --- reading ------------------------------------------------------------------------------


@dataclass(frozen=True)
class VolumePoint:
    at: datetime
    mentions: int
    positive: int
    neutral: int
    negative: int
    engagement: int


def volume_series(
    issue: Issue,
    *,
    bucket: str = "hour",
    start: datetime | None = None,
    end: datetime | None = None,
    tz: str | None = None,
) -> list[VolumePoint]:
    """The issue's volume per hour or per (local) day, zeros filled, oldest first. One query.

    Defaults to the issue's whole life. Bucket starts are aware datetimes in ``tz``
    (default: the issue's office time zone).
    """
    zone = ZoneInfo(tz or issue.office.timezone)
    start = start or issue.first_seen_at
    end = end or issue.last_seen_at + timedelta(hours=1)

    def floor(moment: datetime) -> datetime:
        local = moment.astimezone(zone).replace(minute=0, second=0, microsecond=0)
        return local.replace(hour=0) if bucket == "day" else local

    step = timedelta(days=1) if bucket == "day" else timedelta(hours=1)
    buckets: dict[datetime, list[int]] = {}
    at = floor(start)
    while at < end and len(buckets) < 20_000:
        buckets[at] = [0, 0, 0, 0, 0]
        at = floor(at + step)
    rows = IssueVolume.objects.filter(
        issue=issue, hour__gte=floor(start).astimezone(UTC), hour__lt=end
    ).values_list("hour", "mentions", "positive", "neutral", "negative", "engagement")
    for hour, *values in rows:
        entry = buckets.get(floor(hour))
        if entry is not None:
            for i, v in enumerate(values):
                entry[i] += v
    return [VolumePoint(at, *v) for at, v in buckets.items()]


@dataclass(frozen=True)
class Growth:
    recent: int  # mentions in the last ``hours``
    previous: int  # mentions in the ``baseline_hours`` before that
    rate: float | None  # hourly rate now / hourly rate before; None without a baseline


def growth(
    issue: Issue, *, hours: int = 6, baseline_hours: int = 24, now: datetime | None = None
) -> Growth:
    """How fast the issue is growing: the last ``hours`` against the hours before. One query."""
    now = now or timezone.now()
    split = now - timedelta(hours=hours)
    since = split - timedelta(hours=baseline_hours)
    agg = IssueVolume.objects.filter(issue=issue, hour__gte=since, hour__lt=now).aggregate(
        recent=Sum("mentions", filter=Q(hour__gte=split)),
        previous=Sum("mentions", filter=Q(hour__lt=split)),
    )
    recent, previous = agg["recent"] or 0, agg["previous"] or 0
    rate = (recent / hours) / (previous / baseline_hours) if previous else None
    return Growth(recent, previous, rate)


# --- finding -----------------------------------------------------------------------------


def search_issues(issues: models.QuerySet[Issue], query: str) -> models.QuerySet[Issue]:
    """Issues whose name or label contains every word of ``query`` (case-insensitive);
    all of them for a blank query."""
    for word in query.split()[:10]:
        issues = issues.filter(Q(name__icontains=word) | Q(label__icontains=word))
    return issues


def similar_first(issue: Issue, candidates: Iterable[Issue], limit: int = 30) -> list[Issue]:
    """``candidates`` ranked by how alike their centroids are to ``issue``'s (cosine), the
    most recent first among equals; at most ``limit``."""
    mine = {k: float(v) for k, v in (issue.centroid or {}).items()}
    norm = _norm(mine)

    def similarity(other: Issue) -> float:
        theirs = other.centroid or {}
        dot = sum(w * float(theirs.get(t, 0.0)) for t, w in mine.items())
        return dot / (norm * _norm({k: float(v) for k, v in theirs.items()}))

    ranked = sorted(
        candidates, key=lambda o: (-round(similarity(o), 3), -o.last_seen_at.timestamp())
    )
    return ranked[:limit]


# --- maintenance ----------------------------------------------------------------------------


def recompute(issue: Issue, *, centroid_sample: int = 500) -> None:
    """Rebuild an issue's counts, hourly volumes and centroid from its mentions.

    Used after merges and splits. Reads up to ``centroid_sample`` recent mentions for the
    centroid; counts and volumes are aggregates (two queries plus the volume inserts).
    """
    mentions = Mention.objects.filter(issue=issue)
    agg = mentions.aggregate(
        n=Count("id"),
        neg=Count("id", filter=Q(sentiment="negative")),
        eng=Sum("engagement"),
        first=Min("published_at"),
        last=Max("published_at"),
    )
    IssueVolume.objects.filter(issue=issue).delete()
    hourly = (
        mentions.annotate(h=TruncHour("published_at", tzinfo=UTC))
        .values("h")
        .annotate(
            n=Count("id"),
            pos=Count("id", filter=Q(sentiment="positive")),
            neu=Count("id", filter=Q(sentiment="neutral")),
            neg=Count("id", filter=Q(sentiment="negative")),
            eng=Sum("engagement"),
        )
        .order_by()
    )
    IssueVolume.objects.bulk_create(
        [IssueVolume(issue=issue, hour=r["h"], mentions=r["n"], positive=r["pos"], neutral=r["neu"],
                     negative=r["neg"], engagement=r["eng"] or 0) for r in hourly]
    )  # fmt: skip
    centroid: dict[str, float] = defaultdict(float)
    words: dict[str, str] = {}
    sample = list(
        mentions.order_by("-published_at").values_list("search_text", "title", "text", "language")[
            :centroid_sample
        ]
    )
    if sample:
        all_terms = {t for s in sample for t in s[0].split()}
        stats = dict(
            TermStat.objects.filter(office_id=issue.office_id, term__in=[*all_terms, ""])
            .values_list("term", "df")
        )  # fmt: skip
        n_docs = float(stats.pop("", 0)) or float(len(sample))
        clusterer = Clusterer(issue.office)
        for search_text, _title, text, _lang in sample:
            terms = issue_text.cluster_terms(search_text.split(), text)
            for term, weight in clusterer.vector(terms, n_docs, stats).items():
                centroid[term] += weight
        top = dict(sorted(centroid.items(), key=lambda kv: -kv[1])[:CENTROID_TERMS])
        phrases: dict = {}
        for _s, title, text, lang in sample:
            issue_text.add_phrases(phrases, f"{title}\n{text}".strip(), lang)
        issue.phrases = phrases
        for _s, title, text, lang in sample[:50]:
            missing = [t for t in top if t not in words]
            if not missing:
                break
            words.update(surface_words(f"{title}\n{text}", lang, missing))
        centroid = top
    issue.mention_count = agg["n"]
    issue.negative_count = agg["neg"]
    issue.engagement = agg["eng"] or 0
    if agg["first"]:
        issue.first_seen_at, issue.last_seen_at = agg["first"], agg["last"]
    issue.centroid = {t: round(w, 4) for t, w in centroid.items()}
    issue.words = {t: w for t, w in words.items() if t in centroid}
    if centroid:
        issue.label = issue_text.label(
            issue.phrases, issue.centroid, fallback=label_for(issue.centroid, issue.words)
        )
    issue.save()


def prune_small_issues(*, now: datetime | None = None) -> int:
    """Delete open issues that stayed below the minimum size and went quiet (outside the
    window), unless staff named them. Their mentions keep no issue. Returns the count."""
    now = now or timezone.now()
    cutoff = now - timedelta(hours=settings.MONITORING_ISSUE_WINDOW_HOURS)
    stale = Issue.objects.filter(
        status=IssueStatus.OPEN,
        name="",
        last_seen_at__lt=cutoff,
        mention_count__lt=settings.MONITORING_ISSUE_MIN_SIZE,
    )
    count = 0
    for ids in _batches(list(stale.values_list("pk", flat=True)), 500):
        with transaction.atomic():
            Mention.objects.filter(issue_id__in=ids).update(issue=None)
            count += Issue.objects.filter(pk__in=ids).delete()[1].get("monitoring.Issue", 0)
    return count


def _batches(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i : i + size]


# --- staff actions (audited) --------------------------------------------------------------


def rename_issue(user: User, issue: Issue, name: str) -> Issue:
    """Give the issue a name chosen by staff (blank: back to the computed label)."""
    policy.check(user, "issue.manage", issue)
    with audit.tracking(user, "issue.rename", issue):
        issue.name = name.strip()[:300]
        issue.save(update_fields=["name", "updated_at"])
    return issue


def close_issue(user: User, issue: Issue) -> Issue:
    """Close the issue: new mentions no longer join it."""
    policy.check(user, "issue.manage", issue)
    if issue.status != IssueStatus.OPEN:
        raise ValidationError(_("Only an open issue can be closed."))
    with audit.tracking(user, "issue.close", issue):
        issue.status = IssueStatus.CLOSED
        issue.closed_at = timezone.now()
        issue.save(update_fields=["status", "closed_at", "updated_at"])
    return issue


def reopen_issue(user: User, issue: Issue) -> Issue:
    policy.check(user, "issue.manage", issue)
    if issue.status != IssueStatus.CLOSED:
        raise ValidationError(_("Only a closed issue can be reopened."))
    with audit.tracking(user, "issue.reopen", issue):
        issue.status = IssueStatus.OPEN
        issue.closed_at = None
        issue.save(update_fields=["status", "closed_at", "updated_at"])
    return issue


def merge_issues(user: User, target: Issue, others: Iterable[Issue]) -> Issue:
    """Move the mentions of ``others`` into ``target``; the others become "merged".

    All issues must belong to the same office. Writes one audit entry per issue.
    """
    others = [o for o in others if o.pk != target.pk]
    policy.check(user, "issue.manage", target)
    for other in others:
        policy.check(user, "issue.manage", other)
        if other.office_id != target.office_id:
            raise ValidationError(_("Only issues of the same office can be merged."))
        if other.status == IssueStatus.MERGED:
            raise ValidationError(_("“%(name)s” was already merged.") % {"name": other})
    if not others:
        raise ValidationError(_("Choose at least one other issue to merge."))
    with transaction.atomic():
        before = audit.snapshot(target)
        Mention.objects.filter(issue__in=others).update(issue=target)
        for other in others:
            other_before = audit.snapshot(other)
            other.status = IssueStatus.MERGED
            other.merged_into = target
            other.closed_at = timezone.now()
            other.mention_count = other.negative_count = other.engagement = 0
            other.save()
            IssueVolume.objects.filter(issue=other).delete()
            audit.log(user, "issue.merge", other, before=other_before,
                      after=audit.snapshot(other))  # fmt: skip
        if target.status == IssueStatus.CLOSED:
            target.status, target.closed_at = IssueStatus.OPEN, None
        recompute(target)
        after = audit.snapshot(target) or {}
        after["merged_from"] = [o.pk for o in others]
        audit.log(user, "issue.merge", target, before=before, after=after)
    return target


def split_issue(user: User, issue: Issue, mention_ids: Iterable[int], name: str = "") -> Issue:
    """Move the given mentions of ``issue`` into a new issue (named ``name``) and return it."""
    policy.check(user, "issue.manage", issue)
    ids = list({int(i) for i in mention_ids})
    with transaction.atomic():
        moving = Mention.objects.filter(issue=issue, pk__in=ids)
        found = moving.count()
        if not found:
            raise ValidationError(_("Choose mentions of this issue to split off."))
        if found == issue.mention_count:
            raise ValidationError(_("An issue cannot be split into itself: keep some mentions."))
        before = audit.snapshot(issue)
        now = timezone.now()
        new = Issue.objects.create(
            office=issue.office,
            label=issue.label,
            name=name.strip()[:300],
            first_seen_at=now,
            last_seen_at=now,
        )
        moving.update(issue=new)
        recompute(new)
        recompute(issue)
        audit.log(user, "issue.split", issue, before=before, after=audit.snapshot(issue))
        after_new = audit.snapshot(new) or {}
        after_new["split_from"] = issue.pk
        audit.log(user, "issue.split", new, before=None, after=after_new)
    return new
