"""The verification API, and approval through the conferences API: the same pre-approval
check as the page."""

from __future__ import annotations

import json

import pytest

from prima.conferences import workflow
from prima.conferences.models import MaterialState
from prima.conferences.tests.helpers import NOW
from prima.conftest import client_for
from prima.documents.models import Waiver

pytestmark = pytest.mark.usefixtures("english")

WRONG = "Biaya paspor biasa masa berlaku 10 tahun Rp 350.000."


def post(user, url, data):
    return client_for(user).post(url, json.dumps(data), content_type="application/json")


@pytest.fixture
def submitted(pr_staff, conference):
    material = workflow.edit_material(pr_staff, conference, "statement", body=WRONG, now=NOW)
    return workflow.submit_material(pr_staff, material, now=NOW)


def test_findings_of_a_version(submitted, personas):
    url = f"/api/v1/documents/verification/material-versions/{submitted.current_id}"
    assert client_for(None).get(url).status_code == 401
    assert client_for(personas["outsider"]).get(url).status_code == 404
    response = client_for(personas["pr_staff"]).get(url)
    assert response.status_code == 200
    data = response.json()
    assert (data["material"], data["errors"]) == ("statement", 1)
    assert data["findings"][0]["expected"] == "Rp 650.000"


def test_checking_a_text(passports, personas, offices):
    url = "/api/v1/documents/verification/check"
    payload = {"office_id": offices["soetta"].pk, "text": WRONG, "day": "2025-11-19"}
    assert post(None, url, payload).status_code == 401
    assert post(personas["outsider"], url, payload).status_code == 404
    assert post(personas["pr_staff"], url, {**payload, "office_id": 99999}).status_code == 404
    response = post(personas["regional_supervisor"], url, payload)
    assert response.status_code == 200
    (finding,) = [f for f in response.json() if f["severity"] == "error"]
    assert (finding["kind"], finding["text"]) == ("contradiction", "Rp 350.000")
    assert post(personas["pr_staff"], url, {**payload, "kind": "nonsense"}).status_code == 422


def test_api_approval_is_held_by_the_same_check(submitted, conference, personas):
    url = f"/api/v1/conferences/{conference.pk}/material/statement/approve"
    version = {"expected_version": submitted.version}
    assert post(None, url, version).status_code == 401
    assert post(personas["outsider"], url, version).status_code == 404
    assert post(personas["pr_staff2"], url, version).status_code == 403
    refused = post(personas["head"], url, version)
    assert refused.status_code == 400
    body = refused.json()
    assert body["field"] == "waiver_reason"
    assert body["objections"][0]["check"] == "verification"
    assert "Rp 350.000" in body["objections"][0]["details"][0]
    submitted.refresh_from_db()
    assert submitted.state == MaterialState.SUBMITTED
    done = post(personas["head"], url, {**version, "waiver_reason": "Dicek ulang, sesuai."})
    assert done.status_code == 200 and done.json()["state"] == "approved"
    assert Waiver.objects.get().reason == "Dicek ulang, sesuai."


def test_api_approval_of_missing_material_is_404(conference, personas):
    url = f"/api/v1/conferences/{conference.pk}/material/qa/approve"
    assert post(personas["head"], url, {"expected_version": 1}).status_code == 404
