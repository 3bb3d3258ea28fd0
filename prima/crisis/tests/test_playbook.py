"""The playbook on a case: a crisis press conference in one action, its approved holding
statement back in the case's log, the response strategy per cluster."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied

from prima.conferences import checklists, workflow
from prima.conferences.models import ConferenceType, MaterialKind, Topic
from prima.crisis import assessment, cases, playbook, streaming, tasks
from prima.crisis.models import Case, CaseConference, CaseStatus
from prima.crisis.tests.conftest import NOW, add_mentions, make_issue
from prima.crisis.tests.test_escalation import TINGGI

pytestmark = pytest.mark.django_db
BURST = NOW + timedelta(minutes=30)


@pytest.fixture
def case(soetta, source, pr_staff):
    checklists.ensure_templates()
    streaming.ensure_series(soetta.pk, NOW)
    issue = make_issue(soetta, at=NOW - timedelta(hours=3))
    add_mentions(source, BURST, 6, issue=issue, engagement=5)
    add_mentions(source, BURST + timedelta(minutes=2), 3, issue=issue, engagement=900,
                 text="Video viral antrean imigrasi Terminal 3 mengular")  # fmt: skip
    add_mentions(source, BURST + timedelta(minutes=5), 14, issue=issue, platform="news",
                 outlet="Warta Bandara", engagement=50)  # fmt: skip
    tasks.run_tick(BURST + timedelta(minutes=11))
    opened = Case.objects.get()
    assessment.record(pr_staff, opened, now=BURST + timedelta(minutes=12), **TINGGI)
    opened.refresh_from_db()
    return opened


def test_one_action_opens_a_crisis_press_conference_from_the_case(case, pr_staff):
    at = BURST + timedelta(minutes=14)
    conference = playbook.open_conference(pr_staff, case, now=at)
    assert conference.type == ConferenceType.CRISIS and conference.topic == Topic.CRISIS
    assert conference.level == case.level == 3
    assert conference.opened_at == at and not conference.is_exercise
    assert f"#{case.pk}" in conference.summary
    facts = list(conference.facts.order_by("pk"))
    assert 1 <= len(facts) <= playbook.TOP_FACTS
    assert facts[0].statement.startswith("Beredar: “Video viral")  # most engaging first
    assert all(not f.is_verified for f in facts)  # facts to verify
    holding = conference.materials.get(kind=MaterialKind.HOLDING_STATEMENT)
    body = holding.current.body
    assert case.office.name in body and "gangguan layanan" in body
    assert "WIB" in body  # the next update is announced in office time
    assert CaseConference.objects.filter(case=case, conference=conference).exists()
    assert case.events.filter(kind="conference").exists()


def test_the_approved_holding_statement_stops_the_case_clock_once(case, pr_staff, head):
    conference = playbook.open_conference(pr_staff, case, now=BURST + timedelta(minutes=14))
    holding = conference.materials.get(kind=MaterialKind.HOLDING_STATEMENT)
    workflow.submit_material(pr_staff, holding, now=BURST + timedelta(minutes=20))
    approved_at = BURST + timedelta(minutes=41)
    workflow.approve_material(head, holding, now=approved_at)
    assert playbook.sync_conferences(BURST + timedelta(minutes=42)) == 1
    assert playbook.sync_conferences(BURST + timedelta(minutes=43)) == 0
    case.refresh_from_db()
    assert case.first_statement_at == approved_at
    statement = case.events.get(kind="statement")
    assert statement.at == approved_at and statement.data["source"] == "conference"


def test_who_may_open_the_conference(case, spokesperson, regional_supervisor, outsider):
    from django.http import Http404

    for person in (spokesperson, regional_supervisor):
        with pytest.raises(PermissionDenied):
            playbook.open_conference(person, case)
    with pytest.raises(Http404):
        playbook.open_conference(outsider, case)


def test_an_exercise_case_opens_an_exercise_conference(soetta, pr_staff):
    checklists.ensure_templates()
    drill_case = cases.open_case(pr_staff, soetta, title="Latihan", is_exercise=True, now=NOW)
    conference = playbook.open_conference(pr_staff, drill_case, now=NOW)
    assert conference.is_exercise


def test_a_closed_case_opens_no_conference(case, pr_staff, pr_lead):
    cases.close(pr_lead, case, reason="resolved")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    with pytest.raises(Exception, match="ditutup"):
        playbook.open_conference(pr_staff, case)


@pytest.mark.parametrize(
    ("category", "cluster", "strategy"),
    [("hoax", "victim", "deny"), ("service_disruption", "accidental", "diminish"),
     ("misconduct", "preventable", "rebuild"), ("positive", "none", "bolster")],
)  # fmt: skip
def test_the_strategy_follows_the_cluster(soetta, pr_staff, category, cluster, strategy):
    case = cases.open_case(pr_staff, soetta, title="Isu", now=NOW)
    assessment.record(pr_staff, case, category=category, now=NOW)
    case.refresh_from_db()
    suggestion = playbook.suggestion(case)
    assert (suggestion.cluster, suggestion.strategy, suggestion.adjusted) == (
        cluster, strategy, False
    )  # fmt: skip


def test_a_crisis_history_calls_for_a_more_accommodating_answer(soetta, pr_staff, pr_lead):
    earlier = cases.open_case(pr_staff, soetta, title="Gangguan lama", now=NOW - timedelta(days=40))
    assessment.record(pr_staff, earlier, category="service_disruption",
                      now=NOW - timedelta(days=40))  # fmt: skip
    cases.close(pr_lead, earlier, reason="resolved", now=NOW - timedelta(days=39))
    case = cases.open_case(pr_staff, soetta, title="Gangguan lagi", now=NOW)
    assessment.record(pr_staff, case, category="service_disruption", now=NOW)
    case.refresh_from_db()
    suggestion = playbook.suggestion(case)
    assert suggestion.history == 1 and suggestion.adjusted
    assert suggestion.strategy == "rebuild"
