"""The workflow says which material actions a user may take (``material_actions``), and
it says exactly what its functions accept: for every persona, material state and
conference state, an action is offered if and only if the function does it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404

from prima.conferences import workflow
from prima.conferences.models import Conference, Material, MaterialKind, Stage, Status
from prima.conftest import client_for

from .helpers import NOW

KEY = MaterialKind.KEY_MESSAGES
A = workflow.MaterialAction


class _Rollback(Exception):
    pass


def _accepted(call: Callable[[], object]) -> bool:
    """Does the workflow accept ``call``? Whatever it changes is rolled back."""
    try:
        with transaction.atomic():
            call()
            raise _Rollback
    except _Rollback:
        return True
    except (workflow.WorkflowError, PermissionDenied, Http404):
        return False


def _calls(user, conference: Conference, material: Material | None):
    yield A.EDIT, lambda: workflow.edit_material(user, conference, KEY, items=["Baru"], now=NOW)
    if material is not None:
        yield A.SUBMIT, lambda: workflow.submit_material(user, material, now=NOW)
        yield A.APPROVE, lambda: workflow.approve_material(user, material, now=NOW)
        yield A.RETURN, lambda: workflow.return_material(user, material, reason="Ubah", now=NOW)


def _material_in(state: str, conference: Conference, author, head) -> Material | None:
    if state == "none":
        return None
    material = workflow.edit_material(author, conference, KEY, items=["Satu"], now=NOW)
    if state == "draft":
        return material
    material = workflow.submit_material(author, material, now=NOW)
    if state == "approved":
        material = workflow.approve_material(head, material, now=NOW)
    elif state == "returned":
        material = workflow.return_material(head, material, reason="Kurang jelas", now=NOW)
    return material


@pytest.mark.parametrize("state", ["none", "draft", "submitted", "approved", "returned"])
@pytest.mark.parametrize("situation", ["preparing", "under_way", "cancelled"])
def test_offered_actions_are_exactly_the_accepted_ones(
    conference, personas, offices, state, situation
):
    head, author = personas["head"], personas["pr_staff"]
    # The PR lead approves by delegation (the head is away).
    workflow.grant_delegation(
        head,
        office=offices["soetta"],
        delegate=personas["pr_lead"],
        valid_from=NOW - timedelta(hours=1),
        valid_until=NOW + timedelta(days=1),
        reason="Dinas luar",
    )
    material = _material_in(state, conference, author, head)
    if situation == "under_way":
        Conference.objects.filter(pk=conference.pk).update(stage=Stage.EXECUTION)
    elif situation == "cancelled":
        Conference.objects.filter(pk=conference.pk).update(status=Status.CANCELLED)
    conference = Conference.objects.select_related("office").get(pk=conference.pk)
    if material is not None:
        material = Material.objects.select_related("current").get(pk=material.pk)
    for user in personas.values():
        offered = workflow.material_actions(user, conference, material, now=NOW)
        for action, call in _calls(user, conference, material):
            assert (action in offered) == _accepted(call), (user.username, action)
        if material is None:
            assert offered <= {A.EDIT}


def test_authors_are_not_offered_the_review_of_their_own_material(conference, personas):
    head, author = personas["head"], personas["pr_staff"]
    material = _material_in("submitted", conference, author, head)
    assert workflow.material_actions(head, conference, material) == {A.EDIT, A.APPROVE, A.RETURN}
    # The head writes a version too: now someone else must review it.
    material = workflow.edit_material(head, conference, KEY, items=["Satu", "Dua"])
    material = workflow.submit_material(head, material)
    assert workflow.material_actions(head, conference, material) == {A.EDIT}
    refusal = workflow.material_refusal(conference, material, A.APPROVE, head.pk)
    assert isinstance(refusal, workflow.FourEyesError)


def test_the_api_lists_the_material_with_the_users_actions(conference, personas):
    material = _material_in("submitted", conference, personas["pr_staff"], personas["head"])
    url = f"/api/v1/conferences/{conference.pk}"

    def key_messages(user) -> dict:
        rows = client_for(user).get(url).json()["materials"]
        return next(r for r in rows if r["kind"] == KEY)

    row = key_messages(personas["head"])
    assert (row["state"], row["version"], row["number"]) == ("submitted", material.version, 1)
    assert row["actions"] == ["edit", "approve", "return"]
    assert key_messages(personas["pr_staff"])["actions"] == ["edit"]
    assert key_messages(personas["regional_supervisor"])["actions"] == []
