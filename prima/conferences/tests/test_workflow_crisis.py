"""Crisis fast track: deadlines from the opening time, countdowns, missed deadlines."""

from __future__ import annotations

from datetime import timedelta

import pytest

from prima.conferences import workflow
from prima.conferences.attention import conference_attention
from prima.conferences.models import Conference, ConferenceType, MaterialKind, Stage
from prima.conferences.workflow import DeadlineStatus

from .helpers import NOW, walk_to

# The tests read the workflow's messages: in English.
pytestmark = pytest.mark.usefixtures("english")

HOUR = timedelta(hours=1)


def by_code(conference, now):
    return {d.code: d for d in workflow.deadlines(conference, now=now)}


def approve_holding_statement(crisis, personas, at):
    m = workflow.edit_material(
        personas["pr_staff"],
        crisis,
        MaterialKind.HOLDING_STATEMENT,
        body="Kami mohon maaf atas gangguan autogate.",
        now=at,
    )
    m = workflow.submit_material(personas["pr_staff"], m, now=at)
    workflow.approve_material(personas["head"], m, now=at)
    return Conference.objects.get(pk=crisis.pk)


def test_deadlines_count_down_from_the_opening(crisis):
    d = by_code(crisis, NOW + timedelta(minutes=20))
    assert d["holding_statement"].due == NOW + HOUR
    assert d["holding_statement"].remaining_seconds == 40 * 60
    assert d["holding_statement"].status is DeadlineStatus.OPEN
    assert d["conference"].due == NOW + 4 * HOUR
    assert d["conference"].remaining_seconds == 220 * 60


def test_an_open_deadline_past_due_is_missed_and_overdue(crisis, pr_staff):
    d = by_code(crisis, NOW + 2 * HOUR)
    assert d["holding_statement"].status is DeadlineStatus.MISSED
    assert d["holding_statement"].remaining_seconds == -3600
    assert d["conference"].status is DeadlineStatus.OPEN
    assert list(Conference.objects.overdue(NOW + 2 * HOUR)) == [crisis]
    assert list(Conference.objects.overdue(NOW + HOUR - timedelta(seconds=1))) == []
    items = conference_attention(pr_staff, now=NOW + 2 * HOUR)
    assert [(i.kind, i.overdue) for i in items] == [("conference.deadline_overdue", True)]


def test_a_holding_statement_approved_in_time_meets_its_deadline(crisis, personas):
    crisis = approve_holding_statement(crisis, personas, NOW + timedelta(minutes=59))
    d = by_code(crisis, NOW + 3 * HOUR)
    assert d["holding_statement"].status is DeadlineStatus.MET
    assert d["holding_statement"].remaining_seconds is None
    assert not Conference.objects.missed_deadline(NOW + 3 * HOUR).exists()


def test_a_late_holding_statement_stays_flagged_as_missed(crisis, personas):
    crisis = approve_holding_statement(crisis, personas, NOW + timedelta(minutes=61))
    d = by_code(crisis, NOW + 2 * HOUR)
    assert (
        d["holding_statement"].status is DeadlineStatus.MISSED and d["holding_statement"].is_missed
    )
    assert d["holding_statement"].met_at == NOW + timedelta(minutes=61)
    assert list(Conference.objects.missed_deadline(NOW + 2 * HOUR)) == [crisis]
    assert not Conference.objects.overdue(NOW + 2 * HOUR).exists()


def test_the_conference_deadline_is_met_by_the_actual_start(crisis, personas, jubir):
    conf = walk_to(crisis, Stage.EXECUTION, personas, spokesperson=jubir)
    conf = workflow.record_execution(
        personas["pr_staff"],
        conf,
        expected_version=conf.version,
        actual_start=NOW + 3 * HOUR,
        now=NOW + 3 * HOUR,
    )
    assert by_code(conf, NOW + 5 * HOUR)["conference"].status is DeadlineStatus.MET


def test_the_deadlines_are_configurable(crisis, settings):
    settings.CRISIS_HOLDING_STATEMENT_MINUTES = 30
    settings.CRISIS_CONFERENCE_MINUTES = 120
    d = by_code(crisis, NOW)
    assert (d["holding_statement"].due, d["conference"].due) == (NOW + HOUR / 2, NOW + 2 * HOUR)
    assert list(Conference.objects.overdue(NOW + 40 * timedelta(minutes=1))) == [crisis]


def test_cancelling_before_the_deadline_voids_it(crisis, pr_lead):
    crisis = workflow.cancel(
        pr_lead,
        crisis,
        reason="Isu ternyata hoaks dan sudah diklarifikasi",
        now=NOW + timedelta(minutes=30),
    )
    d = by_code(crisis, NOW + 5 * HOUR)
    assert d["holding_statement"].status is DeadlineStatus.VOID
    assert not Conference.objects.overdue(NOW + 5 * HOUR).exists()


def test_regular_conferences_have_no_deadlines(conference):
    assert workflow.deadlines(conference, now=NOW) == []


def test_the_crisis_checklist_is_shorter(conference, crisis):
    assert 0 < crisis.checklist_items.count() < conference.checklist_items.count() / 2


def test_the_crisis_clock_can_start_before_the_conference_was_entered(templates, offices, pr_lead):
    conf = workflow.create_conference(
        pr_lead,
        office=offices["soetta"],
        type=ConferenceType.CRISIS,
        title="Video viral",
        opened_at=NOW - timedelta(minutes=50),
        now=NOW,
    )
    assert by_code(conf, NOW)["holding_statement"].remaining_seconds == 600
    with pytest.raises(workflow.InvalidInput):
        workflow.create_conference(
            pr_lead,
            office=offices["soetta"],
            type="crisis",
            title="X",
            opened_at=NOW + HOUR,
            now=NOW,
        )
