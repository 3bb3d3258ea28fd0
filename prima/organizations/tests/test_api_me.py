"""GET /api/v1/me: the caller and their roles."""

from __future__ import annotations

from django.test import Client

from prima.conftest import client_for
from prima.organizations.models import Membership, Role


def test_anonymous_requests_get_401(db):
    assert Client().get("/api/v1/me").status_code == 401


def test_it_describes_the_caller_and_their_roles(pr_staff, offices):
    Membership.objects.create(user=pr_staff, office=offices["soetta"], role=Role.SPOKESPERSON)
    data = client_for(pr_staff).get("/api/v1/me").json()
    assert data["username"] == "rina"
    assert data["full_name"] == "Rina Wulandari"
    assert data["office_id"] == offices["soetta"].pk
    assert sorted(m["role"] for m in data["memberships"]) == ["pr_staff", "spokesperson"]
    assert {m["office"] for m in data["memberships"]} == {offices["soetta"].short_name}


def test_every_persona_gets_their_own_data(personas):
    for name, user in personas.items():
        data = client_for(user).get("/api/v1/me").json()
        assert data["username"] == user.username, name
