"""Approving material is a sensitive action: a session must have confirmed its identity
(second factor, or password) within REAUTH_MINUTES; API token calls are exempt."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client
from django.urls import reverse

from prima.conferences import workflow
from prima.conferences.models import MaterialState, Stage
from prima.conftest import PASSWORD, client_for
from prima.organizations.models import ApiToken

from .helpers import walk_to

HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}


def _submitted(conference, personas, jubir):
    conf = walk_to(conference, Stage.MATERIAL, personas, spokesperson=jubir)
    workflow.edit_material(personas["pr_staff"], conf, "statement", body="Teks")
    material = conf.materials.get(kind="statement")
    workflow.submit_material(personas["pr_staff"], material, expected_version=material.version)
    material.refresh_from_db()
    return conf, material


def _stale(client: Client) -> Client:
    session = client.session
    session["prima_verified_at"] = 0
    session.save()
    return client


def test_a_stale_session_confirms_first_and_nothing_is_approved(conference, personas, jubir):
    conf, material = _submitted(conference, personas, jubir)
    client = _stale(client_for(personas["head"]))
    url = reverse("conferences:material-approve", args=[conf.pk, "statement"])
    page_url = "http://testserver" + conf.get_absolute_url()
    response = client.post(url, {"version": material.version}, HTTP_REFERER=page_url, **HTMX)
    assert response["HX-Redirect"].startswith(reverse("reauth"))
    material.refresh_from_db()
    assert material.state == MaterialState.SUBMITTED
    response = client.post(url, {"version": material.version}, HTTP_REFERER=page_url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("reauth"))
    # The head has no authenticator app in this test: the password confirms.
    response = client.post(response["Location"], {"password": "x"})
    assert response.status_code == 200
    response = client.post(
        reverse("reauth"), {"password": PASSWORD, "next": conf.get_absolute_url()}
    )
    assert response["Location"] == conf.get_absolute_url()
    response = client.post(url, {"version": material.version}, **HTMX)
    assert response.status_code == 200
    material.refresh_from_db()
    assert material.state == MaterialState.APPROVED


def test_outsiders_still_get_404_not_the_confirmation(conference, personas, jubir):
    conf, material = _submitted(conference, personas, jubir)
    url = reverse("conferences:material-approve", args=[conf.pk, "statement"])
    client = _stale(client_for(personas["outsider"]))
    assert client.post(url, {"version": material.version}).status_code == 404
    client = _stale(client_for(personas["pr_staff2"]))
    assert client.post(url, {"version": material.version}).status_code == 403


def _api_url(conf) -> str:
    return f"/api/v1/conferences/{conf.pk}/material/statement/approve"


def test_the_api_with_a_stale_session_answers_reauth_required(conference, personas, jubir):
    conf, material = _submitted(conference, personas, jubir)
    client = _stale(client_for(personas["head"]))
    response = client.post(
        _api_url(conf),
        json.dumps({"expected_version": material.version}),
        content_type="application/json",
    )
    assert response.status_code == 403 and response.json()["code"] == "reauth_required"
    material.refresh_from_db()
    assert material.state == MaterialState.SUBMITTED


def test_api_token_calls_are_exempt(conference, personas, jubir):
    conf, material = _submitted(conference, personas, jubir)
    key = ApiToken.new_key()
    ApiToken.objects.create(
        user=personas["head"], name="t", key_prefix=key[:12], key_hash=ApiToken.hash_key(key)
    )
    response = Client().post(
        _api_url(conf),
        json.dumps({"expected_version": material.version}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 200, response.content
    material.refresh_from_db()
    assert material.state == MaterialState.APPROVED
