"""Coverage found automatically: after a press conference, the mentions media monitoring
collected in the window after it that match the conference's coverage query are
proposed as its coverage; staff confirm or reject each one.

- :func:`generated_query` writes the query from the conference's title, its approved key
  messages and the people named for it (appointed spokespeople), in monitoring's
  watch-list language; staff may replace it (:func:`set_query`).
- :func:`compute_proposals` finds the matches with monitoring's own search
  (:func:`prima.monitoring.search.search`, the index the mention stream uses) and stores
  one :class:`~.coverage_models.CoverageProposal` per mention. It is idempotent: a rerun
  adds what is new, drops pending proposals that no longer match, and keeps every
  decision.
- :func:`decide` confirms or rejects one proposal; a confirmed one becomes a coverage link
  of the conference through :func:`prima.conferences.workflow.link_coverage` (its audit
  entry and rules apply).

Every entry point (pages, API, the task, the scheduler hook) calls these functions.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import combinations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from prima.conferences import workflow as conference_workflow
from prima.conferences.models import (
    Appointment,
    Conference,
    Material,
    MaterialKind,
    MaterialVersion,
    Stage,
    Status,
)
from prima.lib.prose import shorten
from prima.monitoring.models import Mention, TermStat
from prima.monitoring.search import QuerySyntaxError, search, search_tokens
from prima.monitoring.services import validate_query
from prima.organizations import audit, policy
from prima.organizations.models import User

from .coverage_models import CoverageProposal, CoverageQuery, ProposalStatus
from .postevent_similarity import similarities

logger = logging.getLogger(__name__)

SOURCE_APP = "monitoring"  # CoverageLink.source_app of links made from proposals
MAX_KEYWORDS = 6
COMMON_SHARE = 0.2  # a word in more of the office's mentions says nothing about a topic
MIN_DOCUMENTS = 50  # below this many mentions, document frequencies tell nothing
MAX_PROPOSALS = 500  # per conference and run: more is a query that matches everything

# Words every mention about an immigration office carries: they tell nothing about a
# conference's topic (the office's own name is added from its record).
GENERIC_WORDS = frozenset(
    """imigrasi keimigrasian kantor kanim kanwil kelas khusus tpi direktorat jenderal
    ditjen kementerian bandara soekarno hatta soetta internasional jakarta tangerang
    banten indonesia konferensi siaran rilis pers media wartawan jurnalis bulan tahun
    minggu hari senin selasa rabu kamis jumat sabtu terkait kepada dalam untuk dengan
    tentang bahwa sebagai adalah yaitu akan telah sudah masih yang para pihak januari
    februari maret april juni juli agustus september oktober november desember kinerja
    capaian naik turun dibanding sebelumnya mencapai tetap sesuai rata-rata resmi
    layanan pelayanan masyarakat informasi program kegiatan mohon memohon maaf memahami
    terima kasih atas kami kita mereka seluruh""".split()
)
_WORD = re.compile(r"[^\W\d_][\w-]*[^\W_]|[^\W\d_]")
_UNQUOTE = re.compile(r"[\"“”„()*]")


class CoverageError(Exception):
    """A refused change (nothing was written); ``message`` is translated, ``status_code``
    is the HTTP answer (400 invalid input, 409 not possible in this state)."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotPossible(CoverageError):
    status_code = 409


# --- When --------------------------------------------------------------------------------
def window() -> timedelta:
    """How long after (and, for the tone before, before) a conference coverage is read."""
    return timedelta(hours=int(settings.EVALUATION_COVERAGE_WINDOW_HOURS))


def held_at(conference: Conference) -> datetime | None:
    """When the conference took place (its recorded start, else its scheduled time), or
    None if it has not taken place (not yet at post-event evaluation, or cancelled)."""
    if conference.status == Status.CANCELLED:
        return None
    if Stage(conference.stage).position < Stage.EVALUATION.position:
        return None
    return conference.actual_start or conference.scheduled_at


@dataclass(frozen=True)
class Windows:
    before_start: datetime
    held: datetime
    after_end: datetime


def windows(conference: Conference) -> Windows | None:
    held = held_at(conference)
    if held is None:
        return None
    return Windows(held - window(), held, held + window())


# --- The query ---------------------------------------------------------------------------
def approved_version(conference: Conference, kind: str) -> MaterialVersion | None:
    """The approved version of one material of the conference (the current one if it is
    approved, else the latest approved), or None. Two queries."""
    material = Material.objects.filter(conference=conference, kind=kind).first()
    if material is None:
        return None
    return material.versions.filter(approved_at__isnull=False).order_by("-number").first()


def key_messages(conference: Conference) -> list[str]:
    version = approved_version(conference, MaterialKind.KEY_MESSAGES)
    if version is None:
        return []
    return [item.strip() for item in version.items or [] if isinstance(item, str) and item.strip()]


def named_people(conference: Conference) -> list[str]:
    """Names of the people who spoke for the office (its appointed spokespeople)."""
    names = []
    for appointment in Appointment.objects.filter(conference=conference).select_related(
        "spokesperson__user"
    ):
        name = _UNQUOTE.sub(" ", appointment.spokesperson.display_name).strip()
        name = " ".join(w for w in name.split(",")[0].split() if len(w) > 1)
        if len(name.split()) >= 2 and name not in names:
            names.append(name)
    return names


def _office_words(conference: Conference) -> set[str]:
    office = conference.office
    text = " ".join([office.name, office.short_name, office.city or ""])
    return {w.casefold() for w in _WORD.findall(text)}


def _document_frequency(conference: Conference, stems: Iterable[str]) -> tuple[int, dict[str, int]]:
    """How many of the office's mentions there are, and how many carry each stem
    (monitoring's own counts, kept for issue clustering). One query."""
    rows = TermStat.objects.filter(office_id=conference.office_id, term__in=[*stems, ""])
    counts = dict(rows.values_list("term", "df"))
    return counts.pop("", 0), counts


def keywords(conference: Conference, messages: Iterable[str] = ()) -> list[str]:
    """The words that say what the conference is about: content words of its title and
    key messages (one point per text they appear in), weighted by how rare they are in
    the office's mentions (inverse document frequency); words in more than
    :data:`COMMON_SHARE` of the office's mentions, and words every mention of an
    immigration office carries, are left out — except the title's own words, which name
    the topic even when the office's mentions are full of it (an autogate outage during
    an autogate storm) and come first; the query pairs them with another keyword. One word
    per stem, at most :data:`MAX_KEYWORDS`, weightiest first."""
    weights: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    stem_of: dict[str, str] = {}
    skip = GENERIC_WORDS | _office_words(conference)
    for text in [conference.title, *messages]:
        for word in {w.casefold() for w in _WORD.findall(text)}:
            if len(word) < 4 or word in skip:
                continue
            normalised = search_tokens(word)
            if not normalised or normalised[0] in skip:
                continue  # a stop word
            stem_of[word] = normalised[0]
            weights[word] += 1
        for word in _WORD.findall(text):
            first_seen.setdefault(word.casefold(), len(first_seen))
    total, df = _document_frequency(conference, set(stem_of.values()))

    def rarity(word: str) -> float:
        if total < MIN_DOCUMENTS:
            return 1.0
        return math.log((total + 1) / (df.get(stem_of[word], 0) + 1)) + 1

    chosen: list[str] = []
    stems: set[str] = set()
    in_title = {w.casefold() for w in _WORD.findall(conference.title)}
    ranked = sorted(
        weights, key=lambda w: (w not in in_title, -weights[w] * rarity(w), first_seen[w])
    )
    for word in ranked:
        stem = stem_of[word]
        if stem in stems:
            continue
        common = total >= MIN_DOCUMENTS and df.get(stem, 0) > COMMON_SHARE * total
        if common and word not in in_title:
            continue
        stems.add(stem)
        chosen.append(word)
        if len(chosen) == MAX_KEYWORDS:
            break
    return chosen


def generated_query(conference: Conference) -> str:
    """The coverage query written from the conference: any named person (as a phrase),
    or any two of its keywords together. Empty when the conference says too little."""
    clauses = [f'"{name}"' for name in named_people(conference)]
    words = keywords(conference, key_messages(conference))
    if len(words) == 1:
        clauses.append(words[0])
    clauses.extend(f"({a} {b})" for a, b in combinations(words, 2))
    return " OR ".join(clauses)


def query_for(conference: Conference) -> CoverageQuery:
    """The conference's coverage query row, created (generated) on first use; a query
    staff have not edited follows the conference (regenerated when its words change)."""
    generated = generated_query(conference)
    row, created = CoverageQuery.objects.get_or_create(
        conference=conference, defaults={"query": generated, "generated": generated}
    )
    if not created and not row.is_edited and row.generated != generated:
        row.query = row.generated = generated
        row.save(update_fields=["query", "generated"])
    return row


def set_query(actor: User, conference: Conference, query: str) -> CoverageQuery:
    """Replace the conference's coverage query (right ``postevent.query``; audited as
    ``postevent.query.edit``) and recompute the proposals. A blank query goes back to
    the generated one. Raises :class:`CoverageError` for a malformed query."""
    policy.check(actor, "postevent.query", conference)
    query = (query or "").strip()
    if query:
        try:
            validate_query(query)
        except ValidationError as exc:
            raise CoverageError(" ".join(exc.messages), field="query") from None
    with transaction.atomic():
        row = query_for(conference)
        row = CoverageQuery.objects.select_for_update().get(pk=row.pk)
        before = {"query": row.query, "is_edited": row.is_edited}
        if query and query != row.generated:
            row.query, row.is_edited = query, True
        else:
            row.query, row.is_edited = row.generated, False
        row.edited_by, row.edited_at = actor, timezone.now()
        row.save(update_fields=["query", "is_edited", "edited_by", "edited_at"])
        audit.log(
            actor,
            "postevent.query.edit",
            row,
            before=before,
            after={"query": row.query, "is_edited": row.is_edited},
        )
    compute_proposals(conference)
    row.refresh_from_db()
    return row


# --- Proposals ---------------------------------------------------------------------------
def topic_text(conference: Conference, messages: Iterable[str] = ()) -> str:
    return "\n".join([conference.title, conference.summary, *messages])


def mention_text(mention: Mention) -> str:
    return f"{mention.title}\n{mention.text}" if mention.title else mention.text


def matching_mentions(
    conference: Conference, query: str, start: datetime, end: datetime
) -> QuerySet[Mention]:
    """Mentions of the conference's office published in [start, end) that match
    ``query`` (monitoring's search). May raise QuerySyntaxError for a malformed query."""
    qs = Mention.objects.filter(
        office_id=conference.office_id, published_at__gte=start, published_at__lt=end
    )
    return search(qs, query)


@dataclass(frozen=True)
class Refreshed:
    proposed: int  # new proposals
    dropped: int  # pending proposals that no longer match
    total: int  # proposals of the conference after the run


def compute_proposals(conference: Conference, *, now: datetime | None = None) -> Refreshed:
    """Propose the matching mentions of the window after the conference as its coverage
    (see the module docstring). Exercises get no proposals (real news is not about them).
    Idempotent; safe to run concurrently (one row per conference and mention)."""
    now = now or timezone.now()
    span = windows(conference)
    if span is None or conference.is_exercise:
        return Refreshed(0, 0, CoverageProposal.objects.filter(conference=conference).count())
    row = query_for(conference)
    matched: list[Mention] = []
    if row.query.strip():
        found = matching_mentions(conference, row.query, span.held, span.after_end)
        matched = list(found.order_by("published_at", "pk")[:MAX_PROPOSALS])
    messages = key_messages(conference)
    topic = topic_text(conference, messages)
    scores = similarities([topic], [mention_text(m) for m in matched])[0] if matched else []
    score_of = {m.pk: round(s, 3) for m, s in zip(matched, scores, strict=True)}
    with transaction.atomic():
        existing = {p.mention_id: p for p in CoverageProposal.objects.filter(conference=conference)}
        new = [
            CoverageProposal(conference=conference, mention=m, score=score_of[m.pk])
            for m in matched
            if m.pk not in existing
        ]
        CoverageProposal.objects.bulk_create(new, ignore_conflicts=True)
        changed = []
        for mention_id, proposal in existing.items():
            if mention_id in score_of and proposal.score != score_of[mention_id]:
                proposal.score = score_of[mention_id]
                changed.append(proposal)
        CoverageProposal.objects.bulk_update(changed, ["score"])
        stale = [
            p.pk
            for mention_id, p in existing.items()
            if mention_id not in score_of and p.status == ProposalStatus.PENDING
        ]
        CoverageProposal.objects.filter(pk__in=stale).delete()
        CoverageQuery.objects.filter(pk=row.pk).update(computed_at=now)
    return Refreshed(
        len(new), len(stale), CoverageProposal.objects.filter(conference=conference).count()
    )


def refresh(actor: User, conference: Conference) -> Refreshed:
    """The "refresh" button: recompute now (right ``postevent.review``; audited as
    ``postevent.proposals.refresh`` with what changed)."""
    policy.check(actor, "postevent.review", conference)
    if windows(conference) is None:
        raise NotPossible(_("Coverage is looked for once the conference has taken place."))
    if conference.is_exercise:
        raise NotPossible(_("An exercise has no news coverage to look for."))
    result = compute_proposals(conference)
    with transaction.atomic():
        audit.log(
            actor,
            "postevent.proposals.refresh",
            conference,
            after={"proposed": result.proposed, "dropped": result.dropped, "total": result.total},
        )
    return result


def due(now: datetime) -> list[Conference]:
    """Held conferences (not exercises) whose coverage window was still open when their
    proposals were last computed (or never computed): the scheduler refreshes these."""
    horizon = now - window() - timedelta(days=30)
    candidates = (
        Conference.objects.filter(stage__in=[Stage.EVALUATION, Stage.CLOSED], is_exercise=False)
        .exclude(status=Status.CANCELLED)
        .filter(Q(actual_start__gte=horizon) | Q(scheduled_at__gte=horizon))
        .select_related("office", "coverage_query")
    )
    found = []
    for conference in candidates:
        span = windows(conference)
        if span is None or span.held > now:
            continue
        row = getattr(conference, "coverage_query", None)
        if row is None or row.computed_at is None or row.computed_at < span.after_end:
            found.append(conference)
    return found


def refresh_due(now: datetime | None = None) -> int:
    """Compute the proposals of every :func:`due` conference; returns how many."""
    now = now or timezone.now()
    conferences = due(now)
    for conference in conferences:
        try:
            compute_proposals(conference, now=now)
        except QuerySyntaxError:
            # An edited query the search engine cannot run (the page shows why): the
            # other conferences are still searched.
            logger.warning("conference %s: coverage query cannot be searched", conference.pk)
    return len(conferences)


def _tone(mention: Mention) -> str:
    return mention.sentiment if mention.sentiment in {"positive", "neutral", "negative"} else ""


def decide(actor: User, proposal: CoverageProposal, status: str) -> CoverageProposal:
    """Confirm or reject a proposal (or put a rejected one back to review); right
    ``postevent.review``, audited as ``postevent.proposal.<status>``. Confirming links
    the mention as coverage of the conference (``link_coverage``). A confirmed proposal
    stays confirmed (its coverage link is the conference's record). Deciding again what
    was already decided changes nothing."""
    conference = proposal.conference
    policy.check(actor, "postevent.review", conference)
    if status not in ProposalStatus.values:
        raise CoverageError(_("Choose confirm or reject."), field="status")
    with transaction.atomic():
        current = (
            CoverageProposal.objects.select_for_update()
            .select_related("mention__source")
            .get(pk=proposal.pk)
        )
        if current.status == status:
            return current
        if current.status == ProposalStatus.CONFIRMED:
            raise NotPossible(_("This item is already confirmed as coverage."))
        before = {"status": current.status}
        if status == ProposalStatus.CONFIRMED:
            mention = current.mention
            link, _created = conference_workflow.link_coverage(
                conference,
                source_app=SOURCE_APP,
                source_id=str(mention.pk),
                title=mention.title or shorten(mention.text, 200),
                url=mention.url if len(mention.url) <= 500 else "",
                outlet=(mention.outlet or mention.source.outlet or mention.author)[:200],
                published_at=mention.published_at,
                tone=_tone(mention),
                actor=actor,
            )
            current.coverage_link = link
        current.status = status
        pending = status == ProposalStatus.PENDING
        current.decided_by = None if pending else actor
        current.decided_at = None if pending else timezone.now()
        current.save(update_fields=["status", "decided_by", "decided_at", "coverage_link"])
        audit.log(
            actor,
            f"postevent.proposal.{status}",
            current,
            before=before,
            after={"status": status, "mention": current.mention_id, "score": current.score},
        )
    return current
