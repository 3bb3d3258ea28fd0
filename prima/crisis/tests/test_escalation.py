"""Escalation timing with a controllable clock: who is called, when it climbs, what stops
it, and the home page's attention items."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from prima.conftest import make_person
from prima.crisis import assessment, cases, escalation
from prima.crisis.attention import crisis_attention
from prima.crisis.errors import InvalidAction
from prima.crisis.models import Channel, Escalation, Notification
from prima.crisis.tests.conftest import NOW
from prima.organizations.models import Role

pytestmark = pytest.mark.django_db

TINGGI: dict[str, Any] = {
    "category": "service_disruption",
    "interest": {"affected": 0.4, "safety": 0, "rights": 1, "vulnerable": 0, "reputation": 1,
                 "political": 0.5},
    "context_values": {"volume": 1, "growth": 1, "negative": 1, "reach": 0.5, "mainstream": 0,
                       "spread": 0.3},
}  # fmt: skip


@pytest.fixture
def case(soetta, pr_staff, pr_lead, head, regional_supervisor, dg_supervisor):
    for person in (pr_staff, pr_lead, head, regional_supervisor, dg_supervisor):
        person.email = f"{person.username}@imigrasi.example.go.id"
        person.save()
    opened = cases.open_case(pr_staff, soetta, title="Video pungli di konter", now=NOW)
    assessment.record(pr_staff, opened, now=NOW, **TINGGI)
    opened.refresh_from_db()
    assert opened.level == 3
    return opened


def pending_tiers(case):
    return list(
        Escalation.objects.filter(
            case=case, round=case.escalation_round, acknowledged_at__isnull=True,
            superseded_at__isnull=True,
        ).order_by("tier").values_list("tier", "responders", "expired_at")
    )  # fmt: skip


def test_a_tinggi_case_calls_the_head_and_the_pr_lead_first(case, head, pr_lead):
    (tier,) = Escalation.objects.filter(case=case, round=case.escalation_round)
    assert tier.responders == ["head", "pr_lead"] and tier.level == 3
    assert tier.due_at == NOW + timedelta(minutes=15)
    assert tier.config.version == 1
    notices = Notification.objects.filter(escalation=tier)
    assert {(n.recipient.username, n.channel) for n in notices} == {
        (head.username, Channel.IN_APP), (head.username, Channel.EMAIL),
        (pr_lead.username, Channel.IN_APP), (pr_lead.username, Channel.EMAIL),
    }  # fmt: skip
    email = notices.filter(channel=Channel.EMAIL).first()
    assert "Tinggi" in email.subject and "10.15" in email.subject  # due 10.15 WIB
    assert "https://prima.example.go.id/crisis/cases/" in email.body
    case.refresh_from_db()
    assert case.notified_at == NOW  # the in-app notice is there at once


def test_an_unacknowledged_escalation_climbs_when_its_target_passes(
    case, regional_supervisor, dg_supervisor
):
    assert escalation.advance(NOW + timedelta(minutes=14, seconds=59)) == 0
    assert escalation.advance(NOW + timedelta(minutes=15)) == 1
    tiers = pending_tiers(case)
    assert [(t, r) for t, r, _e in tiers] == [(0, ["head", "pr_lead"]), (1, ["regional"])]
    assert tiers[0][2] == NOW + timedelta(minutes=15)
    second = Escalation.objects.get(case=case, round=case.escalation_round, tier=1)
    assert second.due_at == NOW + timedelta(minutes=30)
    assert set(second.notifications.values_list("recipient__username", flat=True)) == {
        regional_supervisor.username
    }
    # Running the round again at the same moment creates nothing twice.
    assert escalation.advance(NOW + timedelta(minutes=15)) == 0
    assert escalation.advance(NOW + timedelta(minutes=30)) == 1
    third = Escalation.objects.get(case=case, round=case.escalation_round, tier=2)
    assert third.responders == ["national"]
    assert set(third.notifications.values_list("recipient__username", flat=True)) == {
        dg_supervisor.username
    }
    # The directorate general is the last tier: it stays pending, overdue.
    assert escalation.advance(NOW + timedelta(hours=5)) == 0
    assert Escalation.objects.filter(case=case).count() == 3


def test_acknowledging_stops_the_climb(case, head, pr_staff, regional_supervisor):
    with pytest.raises(PermissionDenied) as refused:
        escalation.acknowledge(pr_staff, case, now=NOW + timedelta(minutes=3))
    assert "Kepala kantor" in str(refused.value)
    escalation.acknowledge(head, case, now=NOW + timedelta(minutes=7))
    case.refresh_from_db()
    assert case.acknowledged_at == NOW + timedelta(minutes=7) and case.acknowledged_by == head
    assert escalation.advance(NOW + timedelta(hours=1)) == 0
    with pytest.raises(InvalidAction):
        escalation.acknowledge(head, case, now=NOW + timedelta(minutes=8))
    assert crisis_attention(head) == []


def test_a_later_tier_may_acknowledge_for_an_earlier_one(case, regional_supervisor):
    escalation.advance(NOW + timedelta(minutes=15))
    escalation.acknowledge(regional_supervisor, case, now=NOW + timedelta(minutes=16))
    assert pending_tiers(case) == []


def test_a_tier_nobody_holds_is_skipped(soetta, pr_staff, pr_lead, head, dg_supervisor):
    # No supervisor at the Kanwil: after the head's tier, the directorate general.
    opened = cases.open_case(pr_staff, soetta, title="Kebocoran data", now=NOW)
    assessment.record(pr_staff, opened, now=NOW, **TINGGI)
    escalation.advance(NOW + timedelta(minutes=15))
    opened.refresh_from_db()
    tiers = [t for t, _r, _e in pending_tiers(opened)]
    assert tiers == [0, 2]
    assert opened.events.filter(kind="escalation", data__skipped=True).exists()


def test_a_higher_level_starts_a_new_round_with_its_responders(case, pr_lead, regional_supervisor):
    assessment.override(pr_lead, case, level=4, reason="Diliput TV nasional", now=NOW)
    case.refresh_from_db()
    (tier,) = Escalation.objects.filter(case=case, round=case.escalation_round)
    assert tier.level == 4 and tier.responders == ["head", "pr_lead", "regional"]
    assert tier.due_at == NOW + timedelta(minutes=5)
    assert Escalation.objects.filter(case=case, round=1, superseded_at__isnull=False).exists()


def test_responders_see_the_case_on_their_home_page(case, head, pr_lead, pr_staff, outsider):
    items = crisis_attention(head)
    assert len(items) == 1
    assert items[0].kind == "crisis.acknowledge" and items[0].url == case.get_absolute_url()
    assert "Tinggi" in items[0].title and items[0].due == NOW + timedelta(minutes=15)
    assert items[0].overdue  # NOW is in the past
    assert crisis_attention(pr_staff) == [] and crisis_attention(outsider) == []


def test_only_people_who_may_acknowledge_are_called(soetta, pr_staff, head):
    # An administrator holding a "head" membership elsewhere is not called; an inactive
    # head is not called.
    inactive = make_person("lama", soetta, Role.HEAD, full_name="Kepala Lama")
    inactive.is_active = False
    inactive.save()
    opened = cases.open_case(pr_staff, soetta, title="Gangguan", now=NOW)
    assessment.record(pr_staff, opened, now=NOW, **TINGGI)
    recipients = set(
        Notification.objects.filter(case=opened).values_list("recipient__username", flat=True)
    )
    assert head.username in recipients and "lama" not in recipients
