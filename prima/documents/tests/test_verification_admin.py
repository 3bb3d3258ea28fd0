"""The admin shows verification runs and waivers read-only, to administrators."""

from __future__ import annotations

import pytest

from prima.conferences import workflow
from prima.conferences.tests.helpers import NOW
from prima.conftest import client_for
from prima.documents.models import Verification, Waiver


@pytest.fixture
def waived(pr_staff, head, conference):
    body = "Biaya paspor biasa masa berlaku 10 tahun Rp 350.000."
    material = workflow.edit_material(pr_staff, conference, "statement", body=body, now=NOW)
    material = workflow.submit_material(pr_staff, material, now=NOW)
    workflow.approve_material(head, material, now=NOW, waiver_reason="Sengaja, pembanding.")
    return Waiver.objects.get()


def test_administrators_read_runs_and_waivers(waived, administrator):
    client = client_for(administrator)
    for url in (
        "/admin/documents/verification/",
        f"/admin/documents/verification/{Verification.objects.first().pk}/change/",
        "/admin/documents/waiver/",
        f"/admin/documents/waiver/{waived.pk}/change/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert b'name="_save"' not in response.content  # read-only
    assert client.get("/admin/documents/waiver/add/").status_code == 403


def test_others_do_not_get_in(waived, pr_staff, head):
    for user in (pr_staff, head):
        assert client_for(user).get("/admin/documents/waiver/").status_code in (302, 403)
