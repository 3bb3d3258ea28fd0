"""Permission comes before the version check, everywhere (probe, issue 7).

A supervisor who posts a stale ``expected_version`` must hear "not allowed" (403), not
"someone else changed it" (409): the version check would otherwise tell people without
the right that (and when) a conference changed. Every workflow function that takes an
``expected_version`` is listed here; a new one without a line fails
:func:`test_every_version_checked_function_is_covered`.
"""

from __future__ import annotations

import inspect
import json

import pytest
from django.core.exceptions import PermissionDenied

from prima.conferences import workflow
from prima.conferences.models import Conference, MaterialKind
from prima.conftest import client_for

from .helpers import NOW, registry_entry

STALE = 999


@pytest.fixture
def parts(conference, pr_staff, pr_staff2, offices):
    item = conference.checklist_items.filter(evidence_kind="note").first()
    done = conference.checklist_items.filter(evidence_kind="note").last()
    workflow.complete_item(pr_staff, done, note="Sudah", now=NOW)
    fact = workflow.add_fact(pr_staff, conference, statement="Dua WNA", source="Sistem")
    material = workflow.edit_material(
        pr_staff, conference, MaterialKind.STATEMENT, body="Siaran pers.", now=NOW
    )
    workflow.submit_material(pr_staff, material, now=NOW)
    contact = workflow.save_media_contact(
        pr_staff, office=offices["soetta"], outlet="Antara", journalist="Wartawan A"
    )
    conference.refresh_from_db()
    material.refresh_from_db()
    return {
        "conference": conference,
        "item": item,
        "done": done,
        "fact": fact,
        "material": material,
        "contact": contact,
        "spokesperson": registry_entry(offices["soetta"], None, name="Juru Bicara B"),
        "office": offices["soetta"],
    }


CALLS = {
    "advance": lambda p, u: workflow.advance(u, p["conference"], expected_version=STALE),
    "cancel": lambda p, u: workflow.cancel(
        u, p["conference"], reason="Ditunda", expected_version=STALE
    ),
    "update_conference": lambda p, u: workflow.update_conference(
        u, p["conference"], expected_version=STALE, venue="Aula"
    ),
    "record_execution": lambda p, u: workflow.record_execution(
        u, p["conference"], expected_version=STALE
    ),
    "record_evaluation": lambda p, u: workflow.record_evaluation(
        u, p["conference"], expected_version=STALE
    ),
    "complete_evaluation": lambda p, u: workflow.complete_evaluation(
        u, p["conference"], expected_version=STALE
    ),
    "complete_item": lambda p, u: workflow.complete_item(
        u, p["item"], note="x", expected_version=STALE
    ),
    "reopen_item": lambda p, u: workflow.reopen_item(u, p["done"], expected_version=STALE),
    "edit_fact": lambda p, u: workflow.edit_fact(
        u, p["fact"], expected_version=STALE, statement="x", source="y"
    ),
    "verify_fact": lambda p, u: workflow.verify_fact(u, p["fact"], expected_version=STALE),
    "edit_material": lambda p, u: workflow.edit_material(
        u, p["conference"], MaterialKind.STATEMENT, body="x", expected_version=STALE
    ),
    "submit_material": lambda p, u: workflow.submit_material(
        u, p["material"], expected_version=STALE
    ),
    "approve_material": lambda p, u: workflow.approve_material(
        u, p["material"], expected_version=STALE
    ),
    "return_material": lambda p, u: workflow.return_material(
        u, p["material"], reason="x", expected_version=STALE
    ),
    "save_media_contact": lambda p, u: workflow.save_media_contact(
        u, office=p["office"], contact=p["contact"], expected_version=STALE, beat="x"
    ),
    "save_spokesperson": lambda p, u: workflow.save_spokesperson(
        u, office=p["office"], spokesperson=p["spokesperson"], expected_version=STALE, notes="x"
    ),
}


def _version_checked() -> set[str]:
    found = set()
    for name in dir(workflow):
        function = getattr(workflow, name)
        if (
            inspect.isfunction(function)
            and "expected_version" in inspect.signature(function).parameters
        ):
            found.add(name)
    return found


def test_every_version_checked_function_is_covered():
    assert _version_checked() == set(CALLS)


@pytest.mark.parametrize("name", sorted(CALLS))
def test_a_supervisor_with_a_stale_version_is_refused_not_told_of_a_conflict(
    name, parts, regional_supervisor
):
    with pytest.raises(PermissionDenied):
        CALLS[name](parts, regional_supervisor)


def test_the_api_answers_403_before_409(conference, regional_supervisor, pr_staff):
    # The probe's case: kanwil posting a stale version to /advance got "just changed".
    url = f"/api/v1/conferences/{conference.pk}/advance"
    body = json.dumps({"expected_version": STALE})
    response = client_for(regional_supervisor).post(url, body, content_type="application/json")
    assert response.status_code == 403
    cancel = f"/api/v1/conferences/{conference.pk}/cancel"
    response = client_for(pr_staff).post(
        cancel, json.dumps({"expected_version": STALE, "reason": "x"}), "application/json"
    )
    assert response.status_code == 403  # PR staff may not cancel
    # Someone with the right still hears about the conflict.
    response = client_for(pr_staff).post(url, body, content_type="application/json")
    assert response.status_code == 409
    assert Conference.objects.get(pk=conference.pk).version == conference.version


def test_the_pages_answer_403_before_409(conference, regional_supervisor):
    from django.urls import reverse

    response = client_for(regional_supervisor).post(
        reverse("conferences:advance", args=[conference.pk]), {"version": STALE}
    )
    assert response.status_code == 403
