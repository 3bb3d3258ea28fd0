"""What the home page asks of each persona about press conferences: supervisors see what is
late or blocked below them, and crisis work comes first with its deadline."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from prima.conferences import workflow
from prima.conferences.attention import conference_attention
from prima.conferences.models import ConferenceType, MaterialKind, Topic
from prima.conftest import client_for
from prima.organizations import attention
from prima.organizations.attention import AttentionItem, Urgency

from .helpers import NOW, material_content

pytestmark = pytest.mark.usefixtures("english")
HOUR = timedelta(hours=1)


def kinds(items):
    return [(i.kind, i.title) for i in items]


def test_supervisors_see_a_missed_crisis_deadline_below_them(
    crisis, regional_supervisor, dg_supervisor, bali_supervisor, outsider
):
    later = NOW + 2 * HOUR  # the one-hour holding-statement deadline has passed
    for supervisor in (regional_supervisor, dg_supervisor):
        items = conference_attention(supervisor, now=later)
        overdue = [i for i in items if i.kind == "conference.deadline_overdue"]
        assert len(overdue) == 1, supervisor
        item = overdue[0]
        assert item.overdue and item.rank is Urgency.CRITICAL
        assert "Holding statement" in item.title and crisis.title in item.title
        assert item.due == NOW + HOUR
        # What blocks it is said in the same line, not as a second item.
        assert item.detail.startswith("Blocked: ")
        assert not [i for i in items if i.kind == "conference.crisis_blocked"]
    assert conference_attention(bali_supervisor, now=later) == []
    assert conference_attention(outsider, now=later) == []


def test_supervisors_see_a_blocked_crisis_conference_with_its_deadline(crisis, regional_supervisor):
    items = conference_attention(regional_supervisor, now=NOW + timedelta(minutes=10))
    assert [i.kind for i in items] == ["conference.crisis_blocked"]
    item = items[0]
    assert crisis.title in item.title
    assert item.rank is Urgency.CRITICAL and not item.overdue
    assert item.due == NOW + HOUR  # the holding statement's deadline is the next one
    assert "(and " in item.detail  # the first blocker and how many more


def test_exercises_do_not_reach_supervisors(templates, offices, pr_lead, regional_supervisor):
    workflow.create_conference(
        pr_lead,
        office=offices["soetta"],
        type=ConferenceType.CRISIS,
        title="Simulasi krisis",
        is_exercise=True,
        now=NOW,
    )
    assert conference_attention(regional_supervisor, now=NOW + 3 * HOUR) == []


def test_a_date_that_passed_without_the_conference_is_a_missed_deadline(
    conference, pr_staff, head, regional_supervisor, spokesperson
):
    conference = workflow.update_conference(
        pr_staff, conference, expected_version=conference.version, scheduled_at=NOW + HOUR
    )
    assert not [i for i in conference_attention(pr_staff, now=NOW) if i.overdue]
    later = NOW + 3 * HOUR
    for user in (pr_staff, head, regional_supervisor):
        items = [i for i in conference_attention(user, now=later) if i.kind.endswith("passed")]
        assert len(items) == 1, user
        assert items[0].overdue and items[0].rank is Urgency.HIGH
        assert items[0].due == NOW + HOUR
        assert "Information gathering" in items[0].detail
    # The spokesperson does not run the conference.
    assert not [i for i in conference_attention(spokesperson, now=later) if i.overdue]


def test_urgency_orders_every_providers_items_together():
    now = timezone.now()
    items = [
        AttentionItem("a", "Rilis minggu depan", "/1", due=now + timedelta(days=7)),
        AttentionItem("b", "Tanpa tenggat", "/2"),
        AttentionItem("c", "Kasus krisis", "/3", due=now + HOUR, urgency=Urgency.CRITICAL),
        AttentionItem("d", "Terlambat", "/4", due=now - HOUR, overdue=True),
        AttentionItem("e", "Krisis lewat", "/5", due=now - HOUR, urgency=Urgency.CRITICAL),
        AttentionItem("f", "Info", "/6", urgency=Urgency.LOW),
    ]
    assert [i.kind for i in sorted(items, key=attention.sort_key)] == list("ecdabf")


def _approval_waiting(conference, personas, kind, now):
    material = workflow.edit_material(
        personas["pr_staff"], conference, kind, **material_content(kind), now=now
    )
    return workflow.submit_material(personas["pr_staff"], material, now=now)


def test_a_crisis_holding_statement_comes_first_for_the_head(templates, offices, personas):
    now = timezone.now()
    regular = workflow.create_conference(
        personas["pr_staff"],
        office=offices["soetta"],
        type=ConferenceType.REGULAR,
        title="Rilis kinerja bulanan",
        topic=Topic.PERFORMANCE,
        scheduled_at=now + timedelta(days=7),
        now=now - timedelta(days=2),
    )
    _approval_waiting(regular, personas, MaterialKind.STATEMENT, now - timedelta(days=1))
    crisis = workflow.create_conference(
        personas["pr_staff"],
        office=offices["soetta"],
        type=ConferenceType.CRISIS,
        title="Gangguan autogate Terminal 3",
        now=now - timedelta(minutes=20),
    )
    _approval_waiting(crisis, personas, MaterialKind.HOLDING_STATEMENT, now)
    items = [i for i in attention.items_for(personas["head"]) if i.kind.startswith("conference.")]
    assert [i.kind for i in items[:2]] == ["conference.approve_material"] * 2
    first, second = items[0], items[1]
    assert crisis.title in first.title and regular.title in second.title
    assert first.rank is Urgency.CRITICAL
    assert first.due == crisis.opened_at + timedelta(minutes=60)

    page = client_for(personas["head"]).get(reverse("home")).content.decode()
    assert page.index(crisis.title) < page.index(regular.title)
    assert 'data-testid="attention-countdown"' in page
    assert "sisa " in page  # "… left", in Indonesian


def test_pr_staff_see_the_running_crisis_deadline_with_its_countdown(crisis, pr_staff, head):
    items = conference_attention(pr_staff, now=NOW + timedelta(minutes=10))
    running = [i for i in items if i.kind == "conference.deadline_running"]
    assert len(running) == 1
    assert running[0].due == NOW + HOUR and running[0].rank is Urgency.CRITICAL
    assert "Holding statement" in running[0].title


# --- The kept lists (HOME_ATTENTION_CACHE_SECONDS, on in these tests) --------------------


def _home(user) -> str:
    return client_for(user).get(reverse("home")).content.decode()


def test_a_kept_list_is_never_shown_to_someone_else(templates, offices, personas):
    regular = workflow.create_conference(
        personas["pr_staff"],
        office=offices["soetta"],
        type=ConferenceType.REGULAR,
        title="Rilis kinerja bulanan",
        topic=Topic.PERFORMANCE,
        scheduled_at=timezone.now() + timedelta(days=7),
    )
    _approval_waiting(regular, personas, MaterialKind.STATEMENT, timezone.now())
    assert 'data-kind="conference.approve_material"' in _home(personas["head"])  # kept
    # The author (same office) may not approve their own text; the outsider sees nothing
    # of Soekarno-Hatta; a supervisor above has other work: none gets the head's list.
    assert 'data-kind="conference.approve_material"' not in _home(personas["pr_staff"])
    assert regular.title not in _home(personas["outsider"])
    assert 'data-kind="conference.approve_material"' not in _home(personas["regional_supervisor"])
    assert 'data-kind="conference.approve_material"' in _home(personas["head"])


def test_a_person_sees_their_own_change_at_once(templates, offices, personas):
    regular = workflow.create_conference(
        personas["pr_staff"],
        office=offices["soetta"],
        type=ConferenceType.REGULAR,
        title="Rilis kinerja bulanan",
        topic=Topic.PERFORMANCE,
        scheduled_at=timezone.now() + timedelta(days=7),
    )
    head = personas["head"]
    assert 'data-kind="conference.approve_material"' not in _home(head)  # kept: nothing
    # Somebody else's change shows at once...
    material = _approval_waiting(regular, personas, MaterialKind.STATEMENT, timezone.now())
    assert 'data-kind="conference.approve_material"' in _home(head)
    # ...and so does the head's own.
    workflow.approve_material(head, material)
    assert 'data-kind="conference.approve_material"' not in _home(head)


def test_a_look_at_a_kept_list_costs_no_query_of_the_list(
    templates, offices, personas, django_assert_max_num_queries
):
    regular = workflow.create_conference(
        personas["pr_staff"],
        office=offices["soetta"],
        type=ConferenceType.REGULAR,
        title="Rilis kinerja bulanan",
        topic=Topic.PERFORMANCE,
        scheduled_at=timezone.now() + timedelta(days=7),
    )
    _approval_waiting(regular, personas, MaterialKind.STATEMENT, timezone.now())
    client = client_for(personas["head"])
    client.get(reverse("home"))
    # The session, the person, their memberships (roles and the page's office list).
    with django_assert_max_num_queries(3):
        page = client.get(reverse("home")).content.decode()
    assert 'data-kind="conference.approve_material"' in page


def test_a_delegate_is_asked_to_approve_during_the_delegation_only(templates, offices, personas):
    """Material to approve for holders of the right and for delegates, in one query."""
    now = timezone.now()
    regular = workflow.create_conference(
        personas["pr_staff"],
        office=offices["soetta"],
        type=ConferenceType.REGULAR,
        title="Rilis kinerja bulanan",
        topic=Topic.PERFORMANCE,
        scheduled_at=now + timedelta(days=7),
    )
    _approval_waiting(regular, personas, MaterialKind.STATEMENT, now)

    def asked(user):
        return [
            i for i in conference_attention(user, now=now) if i.kind.endswith("approve_material")
        ]

    lead, head = personas["pr_lead"], personas["head"]
    assert asked(lead) == [] and len(asked(head)) == 1
    delegation = workflow.grant_delegation(
        head,
        office=offices["soetta"],
        delegate=lead,
        valid_from=now - HOUR,
        valid_until=now + timedelta(days=2),
        reason="Kepala kantor dinas luar",
    )
    assert len(asked(lead)) == 1
    assert asked(personas["outsider"]) == [] and asked(personas["pr_staff"]) == []
    workflow.revoke_delegation(head, delegation, now=now)
    assert asked(lead) == []
