"""GET /api/v1/audit: the trail, as the page shows it; no way to write."""

from __future__ import annotations

import pytest
from django.test import Client

from prima.conftest import client_for

from .helpers import touch


@pytest.fixture
def trail(offices, administrator):
    for key in ("dg", "kanwil", "soetta", "jakpus", "kanwil_bali"):
        touch(administrator, offices[key], city=f"city-{key}")


def _office_ids(response) -> set:
    return {e["office_id"] for e in response.json()["items"] if e["action"] == "office.update"}


def test_anonymous_requests_get_401(db):
    assert Client().get("/api/v1/audit").status_code == 401


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("pr_staff", 403),
        ("spokesperson", 403),
        ("outsider", 403),
        ("pr_lead", 200),
        ("head", 200),
        ("regional_supervisor", 200),
        ("dg_supervisor", 200),
    ],
)
def test_who_may_read_the_trail(personas, persona, status):
    assert client_for(personas[persona]).get("/api/v1/audit").status_code == status


def test_each_reader_sees_their_offices_only(personas, offices, trail):
    assert _office_ids(client_for(personas["head"]).get("/api/v1/audit")) == {offices["soetta"].pk}
    assert _office_ids(client_for(personas["regional_supervisor"]).get("/api/v1/audit")) == {
        offices[k].pk for k in ("kanwil", "soetta", "jakpus")
    }


def test_bali_sees_nothing_of_jakarta(bali_supervisor, offices, trail):
    response = client_for(bali_supervisor).get("/api/v1/audit")
    assert _office_ids(response) == {offices["kanwil_bali"].pk}


def test_it_filters_by_object_and_pages(head, offices, trail):
    soetta = offices["soetta"]
    for n in range(3):
        touch(head, soetta, city=f"c{n}")
    client = client_for(head)
    response = client.get(
        "/api/v1/audit",
        {"object_type": "organizations.office", "object_id": soetta.pk, "limit": 2},
    )
    data = response.json()
    assert data["count"] == 4
    assert [e["after"] for e in data["items"]] == [{"city": "c2"}, {"city": "c1"}]
    assert data["items"][0]["seq"] > data["items"][1]["seq"]
    page2 = client.get(
        "/api/v1/audit",
        {"object_type": "organizations.office", "object_id": soetta.pk, "limit": 2, "offset": 2},
    ).json()
    assert [e["after"] for e in page2["items"]] == [{"city": "c0"}, {"city": "city-soetta"}]


def test_an_entry_has_its_chain_fields(head, offices, trail):
    item = client_for(head).get("/api/v1/audit", {"limit": 1}).json()["items"][0]
    assert len(item["hash"]) == 64
    assert {"seq", "at", "actor_label", "action", "before", "after", "office_id"} <= set(item)
