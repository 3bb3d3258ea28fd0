"""API authentication: Bearer and X-API-Key tokens, session, and refusals (401)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from prima.conftest import client_for
from prima.organizations.models import ApiToken, AuditEntry

ENDPOINTS = ["/api/v1/me", "/api/v1/offices", "/api/v1/audit"]


def issue(user, name: str = "bot") -> tuple[ApiToken, str]:
    key = ApiToken.new_key()
    token = ApiToken.objects.create(
        user=user, name=name, key_prefix=key[:12], key_hash=ApiToken.hash_key(key)
    )
    return token, key


def bearer(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.mark.parametrize("url", [*ENDPOINTS, "/api/v1/offices/1"])
def test_anonymous_requests_get_401(offices, url):
    response = Client().get(url)
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


def test_a_bearer_token_authenticates(pr_staff):
    _token, key = issue(pr_staff)
    response = Client().get("/api/v1/me", **bearer(key))
    assert response.status_code == 200
    assert response.json()["username"] == "rina"


def test_an_x_api_key_header_authenticates(pr_staff):
    _token, key = issue(pr_staff)
    response = Client().get("/api/v1/me", HTTP_X_API_KEY=key)
    assert response.status_code == 200
    assert response.json()["username"] == "rina"


def test_a_browser_session_authenticates(pr_staff):
    assert client_for(pr_staff).get("/api/v1/me").json()["username"] == "rina"


@pytest.mark.parametrize("key", ["prima_not-a-real-token", "not-even-the-prefix", "", "Bearer"])
def test_wrong_tokens_get_401(pr_staff, key):
    issue(pr_staff)
    assert Client().get("/api/v1/me", **bearer(key)).status_code == 401
    assert Client().get("/api/v1/me", HTTP_X_API_KEY=key).status_code == 401


def test_a_revoked_token_gets_401(pr_staff):
    token, key = issue(pr_staff)
    token.revoked_at = timezone.now()
    token.save()
    assert Client().get("/api/v1/me", **bearer(key)).status_code == 401
    assert Client().get("/api/v1/me", HTTP_X_API_KEY=key).status_code == 401


def test_the_token_of_a_deactivated_user_gets_401(pr_staff):
    _token, key = issue(pr_staff)
    pr_staff.is_active = False
    pr_staff.save()
    assert Client().get("/api/v1/me", **bearer(key)).status_code == 401


def test_a_token_carries_its_owners_permissions(outsider, offices):
    _token, key = issue(outsider)
    client = Client()
    assert client.get(f"/api/v1/offices/{offices['soetta'].pk}", **bearer(key)).status_code == 404
    assert client.get(f"/api/v1/offices/{offices['jakpus'].pk}", **bearer(key)).status_code == 200


def test_last_use_is_recorded_at_most_every_five_minutes(pr_staff, django_assert_num_queries):
    token, key = issue(pr_staff)
    client = Client()
    client.get("/api/v1/me", **bearer(key))
    token.refresh_from_db()
    first_use = token.last_used_at
    assert first_use is not None
    client.get("/api/v1/me", **bearer(key))
    token.refresh_from_db()
    assert token.last_used_at == first_use
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first_use - timedelta(minutes=6))
    client.get("/api/v1/me", **bearer(key))
    token.refresh_from_db()
    assert token.last_used_at > first_use


def test_only_the_hash_of_a_token_is_stored(pr_staff):
    token, key = issue(pr_staff)
    assert key not in token.key_hash and len(token.key_hash) == 64
    assert token.key_prefix == key[:12]


# --- prima create_api_token --------------------------------------------------------------


def test_the_command_issues_a_working_token_and_audits_it(pr_staff, capsys):
    call_command("create_api_token", "rina", "jembatan media sosial")
    key = capsys.readouterr().out.strip()
    assert key.startswith(ApiToken.PREFIX)
    token = ApiToken.objects.get(user=pr_staff)
    assert token.name == "jembatan media sosial"
    entry = AuditEntry.objects.get(action="apitoken.create")
    assert entry.object_id == str(token.pk) and entry.office == pr_staff.office
    assert key not in str(entry.after)
    assert Client().get("/api/v1/me", **bearer(key)).json()["username"] == "rina"


def test_the_command_refuses_unknown_or_inactive_users(pr_staff):
    with pytest.raises(CommandError):
        call_command("create_api_token", "nobody", "x")
    pr_staff.is_active = False
    pr_staff.save()
    with pytest.raises(CommandError):
        call_command("create_api_token", "rina", "x")
    assert not ApiToken.objects.exists()
