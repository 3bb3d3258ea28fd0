"""The playbook applied to a case: responders and targets for its level, the response
strategy for its cluster (Coombs' situational crisis communication theory), the holding
statement draft, and opening a crisis press conference from the case.

A crisis conference is opened through the conferences workflow (the same rules and audit
as on the conference pages): it takes the case's level, its top mentions become facts to
verify, and its holding statement is prefilled from the playbook's template. Conferences
never import the crisis app: :func:`sync_conferences` reads their approved holding
statements into the cases' logs and response clocks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from prima.conferences import workflow
from prima.conferences.models import Conference, ConferenceType, MaterialKind, Topic
from prima.lib import dates
from prima.organizations import audit, policy
from prima.organizations.models import User

from . import casedata, configs, events
from .cases import first_statement
from .config import Config, LevelPlaybook, Strategy
from .errors import InvalidAction
from .models import Case, CaseAction, CaseConference, CaseStatus, EventKind

ACTION_LABELS = {
    "keep_monitoring": gettext_lazy("Keep monitoring the conversation"),
    "clarification_post": gettext_lazy("Publish a clarification post"),
    "holding_statement": gettext_lazy("Issue a holding statement"),
    "incidental_conference": gettext_lazy("Hold an incidental press conference"),
    "crisis_conference": gettext_lazy("Crisis press conference led by the head of office"),
    "escalate_upward": gettext_lazy("Report to the regional office / directorate general"),
}
STRATEGY_LABELS = {
    "deny": gettext_lazy("Deny"),
    "diminish": gettext_lazy("Diminish"),
    "rebuild": gettext_lazy("Rebuild"),
    "bolster": gettext_lazy("Bolster"),
}
CLUSTER_LABELS = {
    "victim": gettext_lazy("Victim"),
    "accidental": gettext_lazy("Accidental"),
    "preventable": gettext_lazy("Preventable"),
    "none": gettext_lazy("Not a crisis"),
}
# One step more accommodating (Coombs: a crisis history calls for it).
MORE_ACCOMMODATING = {"deny": "diminish", "diminish": "rebuild", "rebuild": "rebuild",
                      "bolster": "bolster"}  # fmt: skip
HISTORY_DAYS = 365
TOP_FACTS = 5


def done_actions(case: Case, codes: list[str], actor: User | None, at: datetime) -> None:
    """Tick the case's required actions that PRIMA saw done (a conference opened from the
    case, its holding statement approved, a clarification published)."""
    CaseAction.objects.filter(case=case, code__in=codes, done_at__isnull=True).update(
        done_at=at, done_by=actor
    )


def action_label(code: str) -> str:
    return str(ACTION_LABELS.get(code, code))


@dataclass(frozen=True)
class Suggestion:
    cluster: str
    strategy: str
    guidance: str
    history: int  # earlier cases of the same category in the last year
    adjusted: bool  # stepped up because of the crisis history


def for_level(case: Case, config: Config | None = None) -> LevelPlaybook:
    return (config or configs.current().parsed).playbook(case.level)


def suggestion(case: Case, config: Config | None = None, lang: str = "id") -> Suggestion | None:
    """The response strategy for the case's cluster, one step more accommodating when the
    office had cases of the same category in the past year."""
    config = config or configs.current().parsed
    if not case.cluster:
        return None
    strategy: Strategy = config.strategies[case.cluster]
    history = 0
    if case.category:
        history = (
            Case.objects.performance()
            .filter(
                office_id=case.office_id,
                category=case.category,
                opened_at__gte=case.opened_at - timedelta(days=HISTORY_DAYS),
                opened_at__lt=case.opened_at,
            )
            .exclude(close_reason="false_alarm")
            .count()
        )
    chosen = strategy.strategy
    adjusted = False
    if history and case.cluster in ("victim", "accidental"):
        chosen, adjusted = MORE_ACCOMMODATING[chosen], True
    return Suggestion(case.cluster, chosen, strategy.guidance(lang), history, adjusted)


def holding_statement(case: Case, now: datetime | None = None) -> str:
    """The holding-statement draft: the playbook's template filled for the case."""
    config = configs.current().parsed
    now = now or timezone.now()
    playbook = config.playbook(case.level)
    tz = case.office.timezone
    next_update = now + timedelta(minutes=playbook.response_minutes)
    with translation.override("id"):
        topic = case.title
        category = config.category(case.category)
        if category is not None:
            topic = f"{category.label('id').lower()} ({case.title})"
        return config.holding_statement.format(
            office=case.office.name,
            topic=topic,
            date=dates.format_date(now, "id", tz_name=tz),
            next_update=dates.format_datetime(next_update, "id", tz_name=tz),
        )


def open_conference(actor: User, case: Case, *, now: datetime | None = None) -> Conference:
    """Open a crisis press conference from the case (one action): the case's level, its
    top mentions as facts to verify, a holding-statement draft from the playbook."""
    policy.check(actor, "crisis.open_conference", case)
    now = now or timezone.now()
    if case.status != CaseStatus.OPEN:
        raise InvalidAction(_("The case is closed."))
    with transaction.atomic():
        with translation.override(settings.LANGUAGE_CODE):
            summary = _("Opened from crisis case #%(n)d: %(title)s") % {
                "n": case.pk,
                "title": case.title,
            }
        conference = workflow.create_conference(
            actor,
            office=case.office,
            type=ConferenceType.CRISIS,
            title=case.title[:250],
            summary=summary,
            topic=Topic.CRISIS,
            level=case.level,
            is_exercise=case.is_exercise,
            now=now,
        )
        for mention in casedata.top_mentions(case, TOP_FACTS):
            source = mention.outlet or mention.display_author or mention.get_platform_display()
            if mention.url:
                source = f"{source} — {mention.url}"
            workflow.add_fact(
                actor,
                conference,
                statement=_("Circulating: “%(text)s”") % {"text": str(mention)},
                source=source[:300],
                source_date=mention.published_at.date(),
                now=now,
            )
        workflow.edit_material(
            actor,
            conference,
            MaterialKind.HOLDING_STATEMENT,
            body=holding_statement(case, now),
            expected_version=0,
            now=now,
        )
        CaseConference.objects.create(case=case, conference=conference, created_at=now)
        done_actions(case, ["crisis_conference", "incidental_conference"], actor, now)
        events.log(case, EventKind.CONFERENCE, actor=actor, at=now, conference=conference.pk,
                   title=conference.title)  # fmt: skip
        Case.objects.filter(pk=case.pk).update(last_activity_at=now)
        audit.log(actor, "crisis.conference", case, after={"conference": conference.pk})
    return conference


def sync_conferences(now: datetime | None = None) -> int:
    """Write approved holding statements of conferences opened from cases into the cases'
    logs and response clocks, once each (conditional UPDATE). Returns how many."""
    now = now or timezone.now()
    done = 0
    links = CaseConference.objects.filter(
        statement_logged_at__isnull=True, conference__holding_statement_at__isnull=False
    ).select_related("case", "conference")
    for link in links:
        with transaction.atomic():
            if not CaseConference.objects.filter(
                pk=link.pk, statement_logged_at__isnull=True
            ).update(statement_logged_at=now):
                continue
            at = link.conference.holding_statement_at
            if at is None:  # voided meanwhile (it never is: kept once approved)
                continue
            events.log(link.case, EventKind.STATEMENT, at=at, source="conference",
                       conference=link.conference_id, title=link.conference.title)  # fmt: skip
            first_statement(link.case, at)
            done_actions(link.case, ["holding_statement"], None, at)
            done += 1
    return done
