"""What a conference's coverage says, organised by the AMEC Integrated Evaluation
Framework (inputs, activities, outputs, out-takes, outcomes, impact).

:func:`report` reads everything once and returns a :class:`Report` of plain values: the
report page renders it, the API serialises it (:meth:`Report.as_dict`), and document
generation can be given it as content (:func:`report_content`). Each figure carries the
link to the mentions behind it (a filtered mention stream or the coverage list, whose
items link to their mention pages).

- **Tone before and after**: mentions matching the coverage query in the window before
  the conference and in the window after it (same length), by sentiment.
- **Reach and engagement** of the confirmed coverage (followers of the account, likes +
  shares + comments, as monitoring records them).
- **Outlets reached vs invited**: outlets of the coverage against the outlets of the
  media contacts invited.
- **Key-message pickup**: which approved key message each confirmed item carries, by
  sentence similarity (:mod:`.postevent_similarity`), with the matching sentence.
- **Accuracy**: the figures of each confirmed item (``prima.lib.figures``) checked against
  the conference's verified facts and the catalogue with documents' verification
  (:func:`prima.documents.verification.facts.check_against_facts`), as drafts are.
- **Unforeseen questions**: logged journalists' questions that no question of the
  approved Q&A sheet resembles.

Cost: a fixed number of queries whatever the coverage (the report page has a
query-count test).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from prima.conferences.models import (
    Appointment,
    Attendance,
    Conference,
    CoverageLink,
    Fact,
    Invitation,
    Material,
    MaterialKind,
    QuestionLog,
)
from prima.documents.verification import facts as fact_checks
from prima.documents.verification import loading, matching
from prima.documents.verification.types import FindingKind
from prima.lib.figures import extract
from prima.monitoring.models import Mention

from . import coverage
from .coverage_models import CoverageProposal, CoverageQuery, ProposalStatus
from .postevent_similarity import (
    FORESEEN_THRESHOLD,
    PICKUP_THRESHOLD,
    best_matches,
    sentences_of,
    similarities,
)

TONES = ("positive", "neutral", "negative")


# --- Plain values ------------------------------------------------------------------------
@dataclass
class Figure:
    """One number of the report, what it means and where its mentions are."""

    code: str
    label: str
    value: float | int | None
    detail: str = ""
    url: str = ""
    percent: bool = False


@dataclass
class Section:
    code: str  # inputs, activities, outputs, outtakes, outcomes, impact
    title: str
    question: str  # what the framework asks at this step
    figures: list[Figure] = field(default_factory=list)


@dataclass
class Item:
    """A confirmed coverage item (a mention, or a coverage link entered by hand)."""

    title: str
    outlet: str  # a news outlet; empty for a social-media post
    published_at: datetime | None
    tone: str
    url: str  # the article
    mention_id: int | None = None
    mention_url: str = ""  # its page in monitoring
    author: str = ""
    reach: int = 0
    engagement: int = 0
    text: str = ""


@dataclass
class Pickup:
    message: str
    items: list[dict[str, Any]] = field(default_factory=list)  # title, mention_url, sentence


@dataclass
class Accuracy:
    item: str
    mention_url: str
    checked: int
    supported: int
    contradictions: list[dict[str, str]] = field(default_factory=list)  # text, expected, fact
    unsupported: list[str] = field(default_factory=list)


@dataclass
class Question:
    question: str
    asker: str
    outlet: str
    closest: str
    similarity: float
    foreseen: bool


@dataclass
class Tone:
    label: str  # before / after
    start: datetime
    end: datetime
    counts: dict[str, int]
    total: int
    url: str
    urls: dict[str, str]
    share_negative: float | None


@dataclass
class Report:
    conference_id: int
    title: str
    held_at: datetime | None
    window_hours: int
    is_exercise: bool
    query: str
    query_edited: bool
    sections: list[Section]
    coverage: list[Item]
    proposals: dict[str, int]
    tone: list[Tone]
    outlets_reached_invited: list[str]
    outlets_invited_missed: list[str]
    outlets_reached_uninvited: list[str]
    pickup: list[Pickup]
    pickup_rate: float | None
    accuracy: list[Accuracy]
    questions: list[Question]
    lessons_learned: str
    evaluation_notes: str

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready (datetimes as ISO text)."""

        def plain(value: Any) -> Any:
            if isinstance(value, datetime):
                return value.isoformat()
            if isinstance(value, dict):
                return {k: plain(v) for k, v in value.items()}
            if isinstance(value, list):
                return [plain(v) for v in value]
            return value

        result: dict[str, Any] = plain(asdict(self))
        return result


# --- Helpers -----------------------------------------------------------------------------
def stream_url(query: str, start: datetime, end: datetime, **extra: str) -> str:
    """The mention stream filtered to ``query`` between ``start`` and ``end``."""
    params = {"q": query, "start": start.isoformat(), "end": end.isoformat(), **extra}
    return f"{reverse('monitoring:mention-list')}?{urlencode(params)}"


def _outlet_key(name: str) -> str:
    return " ".join(name.casefold().replace(".", " ").split())


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _tone_counts(mentions: Any) -> dict[str, int]:
    counts = dict.fromkeys(TONES, 0)
    for row in mentions.values("sentiment").annotate(n=Count("pk")).order_by():
        if row["sentiment"] in counts:
            counts[row["sentiment"]] = row["n"]
    return counts


def _tone(label: str, conference: Conference, query: str, start: datetime, end: datetime) -> Tone:
    counts = (
        _tone_counts(coverage.matching_mentions(conference, query, start, end))
        if query.strip()
        else dict.fromkeys(TONES, 0)
    )
    total = sum(counts.values())
    return Tone(
        label=label,
        start=start,
        end=end,
        counts=counts,
        total=total,
        url=stream_url(query, start, end),
        urls={t: stream_url(query, start, end, sentiment=t) for t in TONES},
        share_negative=_pct(counts["negative"], total),
    )


def _approved_texts(conference: Conference) -> tuple[list[str], list[str]]:
    """Approved key messages and the questions of the approved Q&A sheet (one query)."""
    messages: list[str] = []
    questions: list[str] = []
    materials = Material.objects.filter(
        conference=conference, kind__in=[MaterialKind.KEY_MESSAGES, MaterialKind.QA]
    ).prefetch_related("versions")
    for material in materials:
        approved = [v for v in material.versions.all() if v.approved_at is not None]
        if not approved:
            continue
        version = max(approved, key=lambda v: v.number)
        for item in version.items or []:
            if material.kind == MaterialKind.KEY_MESSAGES and isinstance(item, str):
                if item.strip():
                    messages.append(item.strip())
            elif isinstance(item, dict) and str(item.get("question", "")).strip():
                questions.append(str(item["question"]).strip())
    return messages, questions


def _items(conference: Conference, confirmed: list[CoverageProposal]) -> list[Item]:
    """Confirmed mentions, then coverage entered by hand (or linked by others)."""
    items: list[Item] = []
    linked: set[str] = set()
    for proposal in confirmed:
        m: Mention = proposal.mention
        linked.add(str(m.pk))
        items.append(
            Item(
                title=m.title or m.text[:120],
                outlet=m.outlet or m.source.outlet,
                author=m.author or m.author_handle,
                published_at=m.published_at,
                tone=m.sentiment,
                url=m.url,
                mention_id=m.pk,
                mention_url=reverse("monitoring:mention-detail", args=[m.pk]),
                reach=m.author_followers or 0,
                engagement=m.engagement or 0,
                text=coverage.mention_text(m),
            )
        )
    for link in CoverageLink.objects.filter(conference=conference):
        if link.source_app == coverage.SOURCE_APP and link.source_id in linked:
            continue
        items.append(
            Item(
                title=link.title,
                outlet=link.outlet,
                published_at=link.published_at,
                tone=link.tone,
                url=link.url,
                text=link.title,
            )
        )
    return items


def _pickup(messages: list[str], items: list[Item]) -> tuple[list[Pickup], float | None]:
    picked = [Pickup(message) for message in messages]
    with_text = [i for i in items if i.mention_id]
    if not messages or not with_text:
        return picked, None
    owners: list[int] = []
    pool: list[str] = []
    for n, item in enumerate(with_text):
        for sentence in sentences_of(item.text, matching.sentences):
            owners.append(n)
            pool.append(sentence)
    if not pool:
        return picked, 0.0
    carrying: set[int] = set()
    for pickup, row in zip(picked, similarities(messages, pool), strict=True):
        best: dict[int, tuple[float, str]] = {}
        for owner, sentence, value in zip(owners, pool, row, strict=True):
            if value >= PICKUP_THRESHOLD and value > best.get(owner, (0.0, ""))[0]:
                best[owner] = (value, sentence)
        for owner, (value, sentence) in sorted(best.items()):
            item = with_text[owner]
            carrying.add(owner)
            pickup.items.append(
                {
                    "title": item.title,
                    "mention_url": item.mention_url,
                    "sentence": sentence,
                    "similarity": round(value, 2),
                }
            )
    return picked, _pct(len(carrying), len(with_text))


def _accuracy(conference: Conference, items: list[Item]) -> list[Accuracy]:
    checked_items = [i for i in items if i.mention_id]
    if not checked_items:
        return []
    context = loading.conference_context(conference)
    index = fact_checks.Index(context.facts)
    found: list[Accuracy] = []
    for item in checked_items:
        figures = extract(item.text)
        contexts = matching.figure_contexts(item.text, figures)
        located = [
            fact_checks.Located(f, "text", c) for f, c in zip(figures, contexts, strict=True)
        ]
        findings, supported, _flagged = fact_checks.check_against_facts(located, context, index)
        result = Accuracy(
            item=item.title,
            mention_url=item.mention_url,
            checked=sum(1 for f in figures if fact_checks.checked(f)),
            supported=len(supported),
        )
        for finding in findings:  # the same words twice (title and text) are said once
            if finding.kind == FindingKind.CONTRADICTION:
                said = {"text": finding.text, "expected": finding.expected, "fact": finding.fact}
                if said not in result.contradictions:
                    result.contradictions.append(said)
            elif finding.kind == FindingKind.UNSUPPORTED and finding.text not in result.unsupported:
                result.unsupported.append(finding.text)
        found.append(result)
    return found


def unforeseen(asked: list[str], foreseen: list[str]) -> list[tuple[str, float, bool]]:
    """For each asked question: the closest foreseen question, its similarity and
    whether it counts as foreseen (at or above the threshold)."""
    result = []
    for match in best_matches(asked, foreseen):
        if match is None:
            result.append(("", 0.0, False))
        else:
            result.append(
                (match.text, round(match.similarity, 2), match.similarity >= FORESEEN_THRESHOLD)
            )
    return result


# --- The report --------------------------------------------------------------------------
def report(conference: Conference) -> Report:
    """Everything the evaluation report shows (see the module docstring)."""
    span = coverage.windows(conference)
    row = CoverageQuery.objects.filter(conference=conference).first()
    query = row.query if row else coverage.generated_query(conference)
    proposals = list(
        CoverageProposal.objects.filter(conference=conference).select_related("mention__source")
    )
    status_counts = Counter(p.status for p in proposals)
    confirmed = sorted(
        (p for p in proposals if p.status == ProposalStatus.CONFIRMED),
        key=lambda p: (p.mention.published_at, p.pk),
    )
    items = _items(conference, confirmed)
    messages, foreseen = _approved_texts(conference)

    tones: list[Tone] = []
    if span is not None:
        tones = [
            _tone(_("Before"), conference, query, span.before_start, span.held),
            _tone(_("After"), conference, query, span.held, span.after_end),
        ]

    invited: dict[str, str] = {}
    for invitation in Invitation.objects.filter(conference=conference).select_related("contact"):
        name = invitation.contact.outlet
        invited.setdefault(_outlet_key(name), name)
    reached: dict[str, str] = {}
    for item in items:
        if item.outlet:
            reached.setdefault(_outlet_key(item.outlet), item.outlet)

    pickup, pickup_rate = _pickup(messages, items)
    accuracy = _accuracy(conference, items)
    logged = list(QuestionLog.objects.filter(conference=conference))
    questions = [
        Question(q.question, q.asker, q.outlet, closest, similarity, foreseen_)
        for q, (closest, similarity, foreseen_) in zip(
            logged, unforeseen([q.question for q in logged], foreseen), strict=True
        )
    ]

    counts = {
        "facts": Fact.objects.filter(conference=conference, verified_at__isnull=False).count(),
        "speakers": Appointment.objects.filter(conference=conference).count(),
        "attendance": Attendance.objects.filter(conference=conference).count(),
    }
    sections = _sections(
        conference,
        counts=counts,
        messages=messages,
        foreseen=foreseen,
        invited=invited,
        reached=reached,
        items=items,
        status_counts=status_counts,
        tones=tones,
        pickup=pickup,
        pickup_rate=pickup_rate,
        accuracy=accuracy,
        questions=questions,
    )
    return Report(
        conference_id=conference.pk,
        title=conference.title,
        held_at=span.held if span else None,
        window_hours=int(coverage.window().total_seconds() // 3600),
        is_exercise=conference.is_exercise,
        query=query,
        query_edited=bool(row and row.is_edited),
        sections=sections,
        coverage=items,
        proposals={s: status_counts.get(s, 0) for s in ProposalStatus.values},
        tone=tones,
        outlets_reached_invited=sorted(invited[k] for k in invited if k in reached),
        outlets_invited_missed=sorted(invited[k] for k in invited if k not in reached),
        outlets_reached_uninvited=sorted(reached[k] for k in reached if k not in invited),
        pickup=pickup,
        pickup_rate=pickup_rate,
        accuracy=accuracy,
        questions=questions,
        lessons_learned=conference.lessons_learned,
        evaluation_notes=conference.evaluation_notes,
    )


def _sections(
    conference: Conference,
    *,
    counts: dict[str, int],
    messages: list[str],
    foreseen: list[str],
    invited: dict[str, str],
    reached: dict[str, str],
    items: list[Item],
    status_counts: Counter[str],
    tones: list[Tone],
    pickup: list[Pickup],
    pickup_rate: float | None,
    accuracy: list[Accuracy],
    questions: list[Question],
) -> list[Section]:
    detail = reverse("conferences:detail", args=[conference.pk])
    here = reverse("evaluation:postevent-report", args=[conference.pk])
    duration = None
    if conference.actual_start and conference.actual_end:
        duration = int((conference.actual_end - conference.actual_start).total_seconds() // 60)
    contradicted = sum(1 for a in accuracy if a.contradictions)
    unforeseen_count = sum(1 for q in questions if not q.foreseen)
    before = tones[0] if tones else None
    after = tones[1] if tones else None
    shift = None
    if before and after and before.share_negative is not None and after.share_negative is not None:
        shift = round(after.share_negative - before.share_negative, 1)
    follow_ups = QuestionLog.objects.filter(conference=conference, follow_up_needed=True)
    pending = sum(1 for q in follow_ups if q.follow_up_done_at is None)
    return [
        Section(
            "inputs",
            _("Inputs"),
            _("What was prepared: verified facts, approved key messages and answers, speakers."),
            [
                Figure(
                    "facts", _("Verified facts"), counts["facts"], url=f"{detail}#panel-information"
                ),
                Figure(
                    "key_messages",
                    _("Approved key messages"),
                    len(messages),
                    url=f"{detail}#panel-material",
                ),
                Figure(
                    "qa",
                    _("Questions foreseen in the Q&A sheet"),
                    len(foreseen),
                    url=f"{detail}#panel-material",
                ),
                Figure(
                    "speakers",
                    _("Spokespeople appointed"),
                    counts["speakers"],
                    url=f"{detail}#panel-spokesperson",
                ),
            ],
        ),  # fmt: skip
        Section(
            "activities",
            _("Activities"),
            _("What was done: invitations, the conference itself, questions taken."),
            [
                Figure(
                    "invited", _("Outlets invited"), len(invited), url=f"{detail}#panel-planning"
                ),
                Figure(
                    "attendance",
                    _("Journalists attending"),
                    counts["attendance"],
                    url=f"{detail}#panel-execution",
                ),
                Figure(
                    "duration",
                    _("Duration (minutes)"),
                    duration,
                    detail=_("target: 30 minutes or less"),
                ),
                Figure("questions", _("Questions asked"), len(questions), url=f"{here}#questions"),
            ],
        ),  # fmt: skip
        Section(
            "outputs",
            _("Outputs"),
            _("What was published: coverage, outlets, reach and engagement."),
            [
                Figure(
                    "coverage",
                    _("Coverage items"),
                    len(items),
                    url=f"{here}#coverage",
                    detail=_("%(n)s proposals still to review")
                    % {"n": status_counts.get(ProposalStatus.PENDING, 0)},
                ),
                Figure(
                    "outlets",
                    _("Outlets reached"),
                    len(reached),
                    url=f"{here}#outlets",
                    detail=_("%(n)s of %(m)s invited outlets")
                    % {"n": sum(1 for k in invited if k in reached), "m": len(invited)},
                ),
                Figure(
                    "reach",
                    _("Reach (followers of the accounts)"),
                    sum(i.reach for i in items),
                    url=f"{here}#coverage",
                ),
                Figure(
                    "engagement",
                    _("Engagement (likes, shares, comments)"),
                    sum(i.engagement for i in items),
                    url=f"{here}#coverage",
                ),
            ],
        ),  # fmt: skip
        Section(
            "outtakes",
            _("Out-takes"),
            _("What audiences received: key messages carried, accuracy, what journalists asked."),
            [
                Figure(
                    "pickup",
                    _("Items carrying a key message"),
                    pickup_rate,
                    percent=True,
                    url=f"{here}#pickup",
                ),
                Figure(
                    "accurate",
                    _("Items with a figure contradicting the facts"),
                    contradicted,
                    url=f"{here}#accuracy",
                    detail=_("of %(n)s items checked") % {"n": len(accuracy)},
                ),
                Figure(
                    "unforeseen",
                    _("Questions the Q&A sheet did not foresee"),
                    unforeseen_count,
                    url=f"{here}#questions",
                ),
            ],
        ),  # fmt: skip
        Section(
            "outcomes",
            _("Outcomes"),
            _("What changed: the tone of coverage before and after the conference."),
            [
                Figure(
                    "negative_before",
                    _("Negative share before"),
                    before.share_negative if before else None,
                    percent=True,
                    url=before.urls["negative"] if before else "",
                ),
                Figure(
                    "negative_after",
                    _("Negative share after"),
                    after.share_negative if after else None,
                    percent=True,
                    url=after.urls["negative"] if after else "",
                ),
                Figure(
                    "negative_shift",
                    _("Change in negative share (points)"),
                    shift,
                    url=f"{here}#tone",
                ),
            ],
        ),  # fmt: skip
        Section(
            "impact",
            _("Impact"),
            _("What it means for the office: lessons learned and commitments still open."),
            [
                Figure(
                    "follow_ups",
                    _("Follow-ups promised to journalists still open"),
                    pending,
                    url=f"{detail}#panel-execution",
                ),
            ],
        ),  # fmt: skip
    ]


def report_content(conference: Conference) -> dict[str, Any]:
    """The report as plain, JSON-ready values: what document generation (documents app)
    is given to render the evaluation as DOCX/PDF, and what the API returns."""
    return report(conference).as_dict()
