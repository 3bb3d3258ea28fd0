"""Material: versions, four-eyes approval by the head of office (or a delegate), voiding."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from prima.conferences import workflow
from prima.conferences.models import Material, MaterialKind, MaterialState
from prima.organizations.models import AuditEntry

from .helpers import NOW

# The tests read the workflow's messages: in English.
pytestmark = pytest.mark.usefixtures("english")

KEY = MaterialKind.KEY_MESSAGES


@pytest.fixture
def submitted(conference, pr_staff):
    material = workflow.edit_material(pr_staff, conference, KEY, items=["Satu", "Dua"], now=NOW)
    return workflow.submit_material(pr_staff, material, now=NOW)


def test_editing_creates_numbered_versions(conference, pr_staff, pr_staff2):
    m = workflow.edit_material(pr_staff, conference, KEY, items=["Satu"], expected_version=0)
    m = workflow.edit_material(
        pr_staff2, conference, KEY, items=["Satu", "Dua"], expected_version=m.version
    )
    assert [v.number for v in m.versions.order_by("number")] == [1, 2]
    assert m.current.items == ["Satu", "Dua"] and m.current.author == pr_staff2
    assert m.author_ids() == {pr_staff.pk, pr_staff2.pk}


def test_an_unchanged_text_makes_no_version_and_no_audit_entry(conference, pr_staff):
    m = workflow.edit_material(pr_staff, conference, KEY, items=["Satu"])
    before = AuditEntry.objects.count()
    same = workflow.edit_material(
        pr_staff, conference, KEY, items=["Satu"], expected_version=m.version
    )
    assert same.version == m.version and m.versions.count() == 1
    assert AuditEntry.objects.count() == before


def test_it_refuses_more_than_three_key_messages(conference, pr_staff):
    with pytest.raises(workflow.InvalidInput) as refused:
        workflow.edit_material(pr_staff, conference, KEY, items=["1", "2", "3", "4"])
    assert refused.value.field == "items" and "3" in refused.value.message
    assert not Material.objects.exists()


def test_every_anticipated_question_needs_an_answer(conference, pr_staff):
    with pytest.raises(workflow.InvalidInput):
        workflow.edit_material(
            pr_staff, conference, MaterialKind.QA, items=[{"question": "Berapa WNA?", "answer": ""}]
        )


def test_a_statement_needs_a_text(conference, pr_staff):
    with pytest.raises(workflow.InvalidInput):
        workflow.edit_material(pr_staff, conference, MaterialKind.STATEMENT, body="  ")


def test_a_stale_edit_is_refused(conference, pr_staff, pr_staff2):
    m = workflow.edit_material(pr_staff, conference, KEY, items=["Satu"])
    workflow.edit_material(pr_staff2, conference, KEY, items=["Dua"], expected_version=m.version)
    with pytest.raises(workflow.ConflictError):
        workflow.edit_material(
            pr_staff, conference, KEY, items=["Tiga"], expected_version=m.version
        )
    with pytest.raises(workflow.ConflictError):  # "new" material that someone else created
        workflow.edit_material(pr_staff, conference, KEY, items=["Tiga"], expected_version=0)


def test_the_head_approves_submitted_material(submitted, head):
    m = workflow.approve_material(head, submitted, expected_version=submitted.version, now=NOW)
    assert m.state == MaterialState.APPROVED and m.current.approved_by == head
    assert m.current.approved_at == NOW
    entry = AuditEntry.objects.get(action="material.approve")
    assert entry.object_type == "conferences.conference" and entry.actor == head


def test_it_refuses_self_approval(conference, head):
    m = workflow.edit_material(head, conference, KEY, items=["Satu"])
    m = workflow.submit_material(head, m)
    before = AuditEntry.objects.count()
    with pytest.raises(workflow.FourEyesError):
        workflow.approve_material(head, m)
    assert Material.objects.get(pk=m.pk).state == MaterialState.SUBMITTED
    assert AuditEntry.objects.count() == before


def test_it_refuses_approval_by_anyone_who_wrote_an_earlier_version(conference, head, pr_staff):
    m = workflow.edit_material(head, conference, KEY, items=["Satu"])
    m = workflow.edit_material(pr_staff, conference, KEY, items=["Dua"], expected_version=m.version)
    m = workflow.submit_material(pr_staff, m)
    with pytest.raises(workflow.FourEyesError):
        workflow.approve_material(head, m)


def test_an_edit_after_approval_voids_it(submitted, head, pr_staff2):
    m = workflow.approve_material(head, submitted)
    m = workflow.edit_material(
        pr_staff2, m.conference, KEY, items=["Satu", "Tiga"], expected_version=m.version
    )
    assert m.state == MaterialState.DRAFT and m.current.approved_by is None
    assert m.versions.get(number=1).approved_by == head  # history stays
    entry = AuditEntry.objects.filter(action="material.edit").first()
    assert entry.after[f"material:{m.pk}"]["approval_voided"] is True


def test_only_submitted_material_can_be_approved(conference, pr_staff, head):
    m = workflow.edit_material(pr_staff, conference, KEY, items=["Satu"])
    with pytest.raises(workflow.InvalidTransition):
        workflow.approve_material(head, m)


def test_a_second_approval_of_the_same_version_is_a_conflict(submitted, head):
    version = submitted.version
    workflow.approve_material(head, submitted, expected_version=version)
    with pytest.raises(workflow.ConflictError):
        workflow.approve_material(head, submitted, expected_version=version)
    with pytest.raises(workflow.InvalidTransition):
        workflow.approve_material(head, submitted)


def test_people_without_the_right_cannot_approve(
    submitted, pr_lead, spokesperson, regional_supervisor, outsider
):
    for user in (pr_lead, spokesperson, regional_supervisor):
        with pytest.raises(PermissionDenied):
            workflow.approve_material(user, submitted)
    with pytest.raises(Http404):
        workflow.approve_material(outsider, submitted)


def test_a_delegate_approves_during_the_delegation_only(submitted, head, pr_lead, offices):
    delegation = workflow.grant_delegation(
        head,
        office=offices["soetta"],
        delegate=pr_lead,
        valid_from=NOW - timedelta(hours=1),
        valid_until=NOW + timedelta(days=2),
        reason="Kepala kantor dinas luar",
    )
    with pytest.raises(PermissionDenied):
        workflow.approve_material(pr_lead, submitted, now=NOW + timedelta(days=3))
    assert workflow.may_approve(pr_lead, offices["soetta"], now=NOW)
    assert pr_lead in workflow.approvers(offices["soetta"], now=NOW)
    workflow.revoke_delegation(head, delegation, now=NOW)
    with pytest.raises(PermissionDenied):
        workflow.approve_material(pr_lead, submitted, now=NOW + timedelta(minutes=1))


def test_a_delegate_is_also_bound_by_four_eyes(conference, head, pr_lead, offices):
    workflow.grant_delegation(
        head,
        office=offices["soetta"],
        delegate=pr_lead,
        valid_from=NOW,
        valid_until=NOW + timedelta(days=1),
    )
    m = workflow.submit_material(
        pr_lead, workflow.edit_material(pr_lead, conference, KEY, items=["Satu"])
    )
    with pytest.raises(workflow.FourEyesError):
        workflow.approve_material(pr_lead, m, now=NOW + timedelta(hours=1))


def test_delegation_rules(head, pr_lead, outsider, pr_staff, offices):
    soetta = offices["soetta"]
    with pytest.raises(workflow.InvalidInput):  # to oneself
        workflow.grant_delegation(
            head, office=soetta, delegate=head, valid_from=NOW, valid_until=NOW + timedelta(days=1)
        )
    with pytest.raises(workflow.InvalidInput):  # someone of another office
        workflow.grant_delegation(
            head,
            office=soetta,
            delegate=outsider,
            valid_from=NOW,
            valid_until=NOW + timedelta(days=1),
        )
    with pytest.raises(workflow.InvalidInput):  # backwards period
        workflow.grant_delegation(
            head,
            office=soetta,
            delegate=pr_lead,
            valid_from=NOW,
            valid_until=NOW - timedelta(days=1),
        )
    with pytest.raises(PermissionDenied):  # only the head delegates
        workflow.grant_delegation(
            pr_lead,
            office=soetta,
            delegate=pr_staff,
            valid_from=NOW,
            valid_until=NOW + timedelta(days=1),
        )


def test_returning_needs_a_reason_and_reaches_the_author(submitted, head, pr_staff):
    with pytest.raises(workflow.InvalidInput):
        workflow.return_material(head, submitted, reason=" ")
    m = workflow.return_material(head, submitted, reason="Data PNBP belum final")
    assert m.state == MaterialState.RETURNED and m.current.return_reason == "Data PNBP belum final"
    from prima.conferences.attention import conference_attention

    kinds = [i.kind for i in conference_attention(pr_staff)]
    assert "conference.material_returned" in kinds


def test_the_first_approved_holding_statement_stops_the_crisis_clock(crisis, pr_staff, head):
    m = workflow.edit_material(pr_staff, crisis, MaterialKind.HOLDING_STATEMENT, body="Mohon maaf")
    m = workflow.submit_material(pr_staff, m)
    later = NOW + timedelta(minutes=42)
    m = workflow.approve_material(head, m, now=later)
    crisis.refresh_from_db()
    assert crisis.holding_statement_at == later and crisis.version == 1  # forms stay valid
    m = workflow.edit_material(
        pr_staff, crisis, MaterialKind.HOLDING_STATEMENT, body="Versi 2", expected_version=m.version
    )
    workflow.approve_material(
        head, workflow.submit_material(pr_staff, m), now=later + timedelta(hours=1)
    )
    crisis.refresh_from_db()
    assert crisis.holding_statement_at == later


def test_approval_is_offered_on_the_home_page_to_approvers_but_not_authors(
    submitted, head, pr_staff
):
    from prima.conferences.attention import conference_attention

    assert [i.kind for i in conference_attention(head)] == ["conference.approve_material"]
    assert "conference.approve_material" not in [i.kind for i in conference_attention(pr_staff)]
