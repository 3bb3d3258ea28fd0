"""Stage gates: a conference enters a stage only when nothing of the earlier stages is
open, and execution only with approved material and a valid, appointed spokesperson."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied

from prima.conferences import workflow
from prima.conferences.models import (
    ChecklistItem,
    Conference,
    MaterialKind,
    MaterialState,
    Stage,
    Status,
)
from prima.organizations.models import AuditEntry, Role

from .helpers import NOW, complete_stage_items, material_content, walk_to

# The tests read the workflow's messages: in English.
pytestmark = pytest.mark.usefixtures("english")


def advance(user, conf):
    conf = Conference.objects.get(pk=conf.pk)
    return workflow.advance(user, conf, expected_version=conf.version, now=NOW)


def test_it_refuses_to_advance_while_a_required_item_is_open(conference, pr_staff):
    before = AuditEntry.objects.count()
    with pytest.raises(workflow.GateError) as refused:
        advance(pr_staff, conference)
    codes = {b.code for b in refused.value.blockers}
    assert codes == {"checklist_open"}
    assert "Technical planning" in refused.value.message
    conference.refresh_from_db()
    assert conference.stage == Stage.INFORMATION and conference.version == 1
    assert AuditEntry.objects.count() == before


def test_optional_items_do_not_block(conference, pr_staff):
    complete_stage_items(conference, Stage.INFORMATION, pr_staff)
    assert conference.checklist_items.filter(
        stage=Stage.INFORMATION, required=False, done_at__isnull=True
    ).exists()
    conf = advance(pr_staff, conference)
    assert conf.stage == Stage.PLANNING and conf.version == 2


def test_a_reopened_item_of_an_earlier_stage_blocks_the_next_advance(conference, personas, jubir):
    conf = walk_to(conference, Stage.MATERIAL, personas)
    item = conf.checklist_items.filter(stage=Stage.INFORMATION, required=True).first()
    assert item is not None
    workflow.reopen_item(personas["pr_staff"], item)
    complete_stage_items(conf, Stage.MATERIAL, personas["pr_staff"])
    with pytest.raises(workflow.GateError) as refused:
        advance(personas["pr_staff"], conf)
    assert [b.obj for b in refused.value.blockers] == [item]


def test_unverified_facts_block_and_name_who_may_verify(conference, personas):
    staff, staff2 = personas["pr_staff"], personas["pr_staff2"]
    workflow.add_fact(staff, conference, statement="Dua WNA dideportasi", source="Inteldakim")
    complete_stage_items(conference, Stage.INFORMATION, staff)
    with pytest.raises(workflow.GateError) as refused:
        advance(staff, conference)
    (blocker,) = refused.value.blockers
    assert blocker.code == "fact_unverified"
    assert staff not in blocker.users  # they entered it
    assert {staff2, personas["pr_lead"], personas["head"]} <= set(blocker.users)
    assert "Rina" not in blocker.who and "Dimas Prasetyo" in blocker.who


def test_leaving_planning_needs_a_date_and_a_venue(conference, personas):
    conf = walk_to(conference, Stage.PLANNING, personas)
    complete_stage_items(conf, Stage.PLANNING, personas["pr_staff"])
    with pytest.raises(workflow.GateError) as refused:
        advance(personas["pr_staff"], conf)
    assert {b.code for b in refused.value.blockers} == {"schedule_missing", "venue_missing"}


def ready_for_execution(conference, personas, jubir):
    conf = walk_to(conference, Stage.SPOKESPERSON, personas, spokesperson=jubir)
    complete_stage_items(conf, Stage.SPOKESPERSON, personas["pr_staff"])
    return Conference.objects.get(pk=conf.pk)


def test_execution_needs_an_appointed_spokesperson(conference, personas, jubir):
    conf = ready_for_execution(conference, personas, jubir)
    with pytest.raises(workflow.GateError) as refused:
        advance(personas["pr_staff"], conf)
    (blocker,) = refused.value.blockers
    assert blocker.code == "spokesperson_missing"
    assert blocker.roles == (Role.PR_LEAD, Role.HEAD)
    assert set(blocker.users) == {personas["pr_lead"], personas["head"]}


def test_execution_needs_every_required_material_approved(conference, personas, jubir):
    conf = ready_for_execution(conference, personas, jubir)
    workflow.appoint_spokesperson(personas["pr_lead"], conf, jubir, now=NOW)
    qa = conf.materials.get(kind=MaterialKind.QA)
    workflow.edit_material(
        personas["pr_staff"],
        conf,
        MaterialKind.QA,
        expected_version=qa.version,
        **material_content(MaterialKind.QA, 2),
    )
    with pytest.raises(workflow.GateError) as refused:
        advance(personas["pr_staff"], conf)
    (blocker,) = [b for b in refused.value.blockers if b.code != "checklist_open"]
    assert blocker.code == "material_unapproved" and blocker.obj == qa
    assert blocker.users == (personas["pr_staff"],)  # the author must submit it
    # The checklist items that the approval had completed reopened with it.
    reopened = {b.obj.code for b in refused.value.blockers if b.code == "checklist_open"}
    assert reopened == {"mat-qa", "mat-cleared"}
    qa = workflow.submit_material(personas["pr_staff"], qa)
    with pytest.raises(workflow.GateError) as refused:
        advance(personas["pr_staff"], conf)
    (blocker,) = [b for b in refused.value.blockers if b.code != "checklist_open"]
    assert blocker.roles == (Role.HEAD,) and blocker.users == (personas["head"],)
    workflow.approve_material(personas["head"], qa)
    assert advance(personas["pr_staff"], conf).stage == Stage.EXECUTION


def test_a_missing_material_blocks_execution(conference, personas, jubir):
    conf = ready_for_execution(conference, personas, jubir)
    workflow.appoint_spokesperson(personas["pr_lead"], conf, jubir, now=NOW)
    conf.materials.get(kind=MaterialKind.STATEMENT).delete()
    with pytest.raises(workflow.GateError) as refused:
        advance(personas["pr_staff"], conf)
    assert [b.code for b in refused.value.blockers] == ["material_missing"]


def test_crisis_execution_needs_an_approved_holding_statement(crisis, personas, jubir):
    conf = walk_to(crisis, Stage.SPOKESPERSON, personas, spokesperson=jubir)
    workflow.appoint_spokesperson(personas["pr_lead"], conf, jubir, now=NOW)
    complete_stage_items(conf, Stage.SPOKESPERSON, personas["pr_staff"])
    holding = conf.materials.get(kind=MaterialKind.HOLDING_STATEMENT)
    workflow.edit_material(
        personas["pr_staff"],
        conf,
        MaterialKind.HOLDING_STATEMENT,
        body="Versi baru",
        expected_version=holding.version,
    )
    with pytest.raises(workflow.GateError) as refused:
        advance(personas["pr_staff"], conf)
    assert [(b.code, b.obj.kind) for b in refused.value.blockers] == [
        ("material_unapproved", MaterialKind.HOLDING_STATEMENT)
    ]


def test_an_expired_spokesperson_blocks_execution_when_the_date_moved(
    conference, personas, offices
):
    from .helpers import registry_entry

    short = registry_entry(
        offices["soetta"], personas["spokesperson"], valid_until=(NOW + timedelta(days=3)).date()
    )
    conf = ready_for_execution(conference, personas, short)
    workflow.appoint_spokesperson(personas["pr_lead"], conf, short, now=NOW)
    conf = workflow.update_conference(
        personas["pr_staff"],
        conf,
        expected_version=conf.version,
        scheduled_at=NOW + timedelta(days=10),
    )
    with pytest.raises(workflow.GateError) as refused:
        advance(personas["pr_staff"], conf)
    (blocker,) = refused.value.blockers
    assert blocker.code == "spokesperson_invalid" and "expired" in blocker.message


def test_evaluation_needs_the_actual_start(conference, personas, jubir):
    conf = walk_to(conference, Stage.EXECUTION, personas, spokesperson=jubir)
    complete_stage_items(conf, Stage.EXECUTION, personas["pr_staff"])
    with pytest.raises(workflow.GateError) as refused:
        advance(personas["pr_staff"], conf)
    assert [b.code for b in refused.value.blockers] == ["execution_not_recorded"]


def test_closing_needs_lessons_learned_and_the_close_right(conference, personas, jubir):
    conf = walk_to(conference, Stage.EVALUATION, personas, spokesperson=jubir)
    complete_stage_items(conf, Stage.EVALUATION, personas["pr_staff"])
    with pytest.raises(PermissionDenied):
        advance(personas["pr_staff"], conf)
    with pytest.raises(workflow.GateError) as refused:
        advance(personas["pr_lead"], conf)
    assert [b.code for b in refused.value.blockers] == ["lessons_missing"]
    conf = workflow.complete_evaluation(
        personas["pr_lead"],
        conf,
        expected_version=conf.version,
        lessons_learned="Undangan dikirim lebih awal.",
        now=NOW,
    )
    assert (conf.stage, conf.status, conf.completed_at) == (Stage.CLOSED, Status.COMPLETED, NOW)
    assert AuditEntry.objects.filter(action="conference.close").count() == 1
    assert not workflow.blockers(conf) or workflow.blockers(conf)[0].code == "not_active"


def test_material_cannot_change_once_under_way(conference, personas, jubir):
    conf = walk_to(conference, Stage.EXECUTION, personas, spokesperson=jubir)
    material = conf.materials.get(kind=MaterialKind.KEY_MESSAGES)
    with pytest.raises(workflow.InvalidTransition):
        workflow.edit_material(
            personas["pr_staff"],
            conf,
            MaterialKind.KEY_MESSAGES,
            items=["Baru"],
            expected_version=material.version,
        )
    appointment = conf.appointments.get()
    with pytest.raises(workflow.InvalidTransition):
        workflow.remove_appointment(personas["pr_lead"], appointment)
    assert conf.materials.get(kind=MaterialKind.KEY_MESSAGES).state == MaterialState.APPROVED


def test_blockers_lists_every_open_required_item_once(conference):
    required = ChecklistItem.objects.filter(
        conference=conference, stage=Stage.INFORMATION, required=True
    ).count()
    assert len(workflow.blockers(conference)) == required


def _shown(found):
    return [
        (
            b.code,
            b.message,
            b.stage,
            b.roles,
            tuple(u.pk for u in b.users),
            getattr(b.obj, "pk", None),
        )
        for b in found
    ]


@pytest.mark.parametrize("stage", [Stage.INFORMATION, Stage.MATERIAL, Stage.SPOKESPERSON])
def test_blockers_read_from_rows_already_read_are_the_blockers_read_afresh(
    conference, personas, jubir, stage
):
    """The detail page passes the rows it has read (no second query for them): the
    blockers are the same as those read from the database."""
    conf = walk_to(conference, stage, personas, spokesperson=jubir)
    workflow.add_fact(personas["pr_staff"], conf, statement="Belum diverifikasi", source="Humas")
    conf = Conference.objects.get(pk=conf.pk)
    materials = {m.kind: m for m in conf.materials.select_related("current__author")}
    read = workflow.blockers(
        conf,
        now=NOW,
        checklist=list(conf.checklist_items.all()),
        facts=list(conf.facts.all()),
        materials=materials,
        appointments=list(conf.appointments.select_related("spokesperson__office")),
    )
    afresh = workflow.blockers(conf, now=NOW)
    assert {b.code for b in afresh} >= {"fact_unverified"}
    assert _shown(read) == _shown(afresh)
