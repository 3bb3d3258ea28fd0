"""Spokespeople: the registry, validity on the conference date, topics and levels, briefings."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from prima.conferences import workflow
from prima.conferences.attention import conference_attention
from prima.conferences.models import Appointment, IssueLevel, Topic
from prima.organizations.models import AuditEntry

from .helpers import NOW, registry_entry

# The tests read the workflow's messages: in English.
pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def scheduled(conference, pr_staff):
    """The conference takes place on Wednesday 19 November 2025 (10.00 WIB)."""
    return workflow.update_conference(
        pr_staff,
        conference,
        expected_version=conference.version,
        scheduled_at=NOW + timedelta(hours=1),
    )


def test_it_appoints_a_valid_spokesperson(scheduled, pr_lead, jubir):
    appointment = workflow.appoint_spokesperson(pr_lead, scheduled, jubir, now=NOW)
    assert appointment.is_principal and appointment.appointed_by == pr_lead
    assert AuditEntry.objects.filter(action="conference.spokesperson.appoint").count() == 1


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"valid_until": date(2025, 11, 18)}, "expired on 18 November 2025"),
        ({"valid_from": date(2025, 11, 20)}, "valid only from 20 November 2025"),
        ({"topics": [Topic.SERVICES]}, "may not speak on"),
        ({"levels": [IssueLevel.HIGH]}, "low-level issues"),
        ({"is_active": False}, "no longer in the spokesperson registry"),
    ],
    ids=["expired", "not-yet-valid", "wrong-topic", "wrong-level", "inactive"],
)
def test_it_refuses_a_spokesperson_who_is_not_valid(scheduled, pr_lead, jubir, changes, words):
    for name, value in changes.items():
        setattr(jubir, name, value)
    jubir.save()
    before = AuditEntry.objects.count()
    with pytest.raises(workflow.SpokespersonError) as refused:
        workflow.appoint_spokesperson(pr_lead, scheduled, jubir, now=NOW)
    assert words in refused.value.message
    assert not Appointment.objects.exists() and AuditEntry.objects.count() == before
    assert jubir not in workflow.eligible_spokespeople(scheduled)


def test_validity_is_judged_on_the_conference_day_in_the_office_time_zone(scheduled, jubir):
    # 19 November 2025, 23.30 WIB is still the 19th locally (16.30 UTC).
    jubir.valid_until = date(2025, 11, 19)
    jubir.save()
    scheduled.scheduled_at = NOW.replace(hour=16, minute=30)
    assert workflow.spokesperson_problems(jubir, scheduled) == []
    scheduled.scheduled_at = NOW.replace(hour=17, minute=30)  # 00.30 WIB on the 20th
    assert workflow.spokesperson_problems(jubir, scheduled)


def test_a_regional_spokesperson_may_speak_for_an_office_below(
    scheduled, pr_lead, offices, regional_supervisor
):
    regional = registry_entry(offices["kanwil"], regional_supervisor)
    assert regional in workflow.eligible_spokespeople(scheduled)
    workflow.appoint_spokesperson(pr_lead, scheduled, regional, now=NOW)


def test_a_spokesperson_of_another_office_may_not(scheduled, offices, outsider):
    other = registry_entry(offices["jakpus"], outsider)
    problems = workflow.spokesperson_problems(other, scheduled)
    assert problems == [f"{other.display_name} is not a spokesperson of this office."]


def test_only_the_pr_lead_and_the_head_appoint(scheduled, pr_staff, spokesperson, jubir):
    for user in (pr_staff, spokesperson):
        with pytest.raises(PermissionDenied):
            workflow.appoint_spokesperson(user, scheduled, jubir, now=NOW)


def test_at_most_four_speakers_and_no_one_twice(scheduled, pr_lead, offices, jubir):
    workflow.appoint_spokesperson(pr_lead, scheduled, jubir, now=NOW)
    with pytest.raises(workflow.InvalidInput):
        workflow.appoint_spokesperson(pr_lead, scheduled, jubir, now=NOW)
    for i in range(3):
        extra = registry_entry(offices["soetta"], None, name=f"Ahli {i}")
        a = workflow.appoint_spokesperson(pr_lead, scheduled, extra, now=NOW)
        assert not a.is_principal
    with pytest.raises(workflow.InvalidInput):
        workflow.appoint_spokesperson(
            pr_lead, scheduled, registry_entry(offices["soetta"], None, name="Ahli 5"), now=NOW
        )


def test_briefings_are_recorded_and_leave_the_spokespersons_to_do_list(
    scheduled, pr_lead, spokesperson, jubir
):
    appointment = workflow.appoint_spokesperson(pr_lead, scheduled, jubir, now=NOW)
    assert [i.kind for i in conference_attention(spokesperson)] == ["conference.briefing"]
    with pytest.raises(workflow.InvalidInput):  # not in the future
        workflow.record_briefing(spokesperson, appointment, held_on=date(2025, 11, 20), now=NOW)
    briefing = workflow.record_briefing(
        spokesperson,
        appointment,
        held_on=date(2025, 11, 19),
        kind="rehearsal",
        notes="Simulasi tanya jawab",
        now=NOW,
    )
    assert briefing.recorded_by == spokesperson
    assert conference_attention(spokesperson) == []


def test_the_registry_needs_a_decree_topics_and_levels(head, offices, spokesperson):
    soetta = offices["soetta"]
    base = {
        "user": spokesperson,
        "decree_number": "SK-1",
        "valid_from": date(2025, 1, 1),
        "topics": [Topic.GENERAL],
        "levels": [IssueLevel.LOW],
    }
    broken: dict[str, Any]
    for broken in (
        {"decree_number": ""},
        {"topics": []},
        {"levels": ["extreme"]},
        {"valid_until": date(2024, 1, 1)},
        {"user": None, "name": ""},
    ):
        with pytest.raises(workflow.InvalidInput):
            workflow.save_spokesperson(head, office=soetta, **(base | broken))
    entry = workflow.save_spokesperson(head, office=soetta, **base)
    assert entry.version == 1
    entry = workflow.save_spokesperson(
        head, office=soetta, spokesperson=entry, expected_version=1, valid_until=date(2025, 12, 31)
    )
    assert entry.version == 2
    with pytest.raises(workflow.ConflictError):
        workflow.save_spokesperson(
            head, office=soetta, spokesperson=entry, expected_version=1, notes="stale"
        )
    assert list(
        AuditEntry.objects.filter(object_type="conferences.spokesperson").values_list(
            "action", flat=True
        )
    ) == ["spokesperson.update", "spokesperson.create"]
