"""The pre-approval check point: whatever a higher app registers is asked before material
is approved; an objection blocks it unless the approver gives a reason, which the check
records."""

from __future__ import annotations

import pytest

from prima.conferences import hooks, workflow
from prima.conferences.models import MaterialState

from .helpers import NOW


class StandIn:
    name = "stand-in"

    def __init__(self) -> None:
        self.waived: list[str] = []

    def objections(self, material, version, *, now):
        if "salah" in version.body:
            return [hooks.Objection(self.name, "the stand-in check objects.")]
        return []

    def waive(self, actor, material, version, objections, reason, *, now):
        self.waived.append(reason)
        return {"seen": len(objections)}


@pytest.fixture
def stand_in():
    check = hooks.register_pre_approval(StandIn())
    yield check
    hooks._pre_approval.remove(check)


def _submitted(pr_staff, conference, body):
    material = workflow.edit_material(pr_staff, conference, "statement", body=body, now=NOW)
    return workflow.submit_material(pr_staff, material, now=NOW)


def test_an_objection_blocks_approval(stand_in, pr_staff, head, conference):
    material = _submitted(pr_staff, conference, "Teks yang salah.")
    with pytest.raises(workflow.ApprovalBlocked) as refused:
        workflow.approve_material(head, material, now=NOW)
    assert "stand-in check objects" in refused.value.message
    assert refused.value.field == "waiver_reason"
    material.refresh_from_db()
    assert material.state == MaterialState.SUBMITTED and stand_in.waived == []


def test_a_reason_waives_it_and_the_check_records_it(stand_in, pr_staff, head, conference):
    material = _submitted(pr_staff, conference, "Teks yang salah.")
    workflow.approve_material(head, material, now=NOW, waiver_reason=" Sudah dicek. ")
    material.refresh_from_db()
    assert material.state == MaterialState.APPROVED
    assert stand_in.waived == ["Sudah dicek."]


def test_without_objection_nothing_is_asked(stand_in, pr_staff, head, conference):
    material = _submitted(pr_staff, conference, "Teks yang benar.")
    workflow.approve_material(head, material, now=NOW)
    assert stand_in.waived == []


def test_registering_again_replaces_the_check(stand_in):
    again = hooks.register_pre_approval(StandIn())
    assert again in hooks.pre_approval_checks() and stand_in not in hooks.pre_approval_checks()
    hooks._pre_approval.remove(again)
    hooks._pre_approval.append(stand_in)


def test_panels_come_from_registered_providers(conference):
    def provider(conf, kind, version):
        return hooks.MaterialPanel("x", "X", f"/x/{conf.pk}/{kind}/")

    hooks.register_material_panel(provider)
    try:
        panels = hooks.material_panels(conference, "statement", None)
        assert hooks.MaterialPanel("x", "X", f"/x/{conference.pk}/statement/") in panels
    finally:
        hooks._panels.remove(provider)
