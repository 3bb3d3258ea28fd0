"""Very large numbers are a clear 4xx, never a 500 (the probe's cases, issue 7): limits
and offsets of 10^19 on the API's lists, ids of 10^20 in the API's and the pages' filters
and paths."""

from __future__ import annotations

import pytest
from django.urls import reverse

from prima.conftest import client_for

HUGE_PAGE = 10**19
HUGE_ID = 10**20

API_LISTS = [
    "/api/v1/conferences",
    "/api/v1/monitoring/mentions",
    "/api/v1/monitoring/issues",
    "/api/v1/audit",
]
API_FILTERS = [
    ("/api/v1/conferences", "office_id"),
    ("/api/v1/monitoring/mentions", "source"),
    ("/api/v1/monitoring/mentions", "watchlist"),
    ("/api/v1/monitoring/mentions", "issue"),
    ("/api/v1/monitoring/mentions", "office"),
]
PAGE_FILTERS = ["source", "watchlist", "issue", "office"]


@pytest.fixture
def client(head):
    # The head of office may read every list above, the audit trail included.
    return client_for(head)


@pytest.mark.parametrize("url", API_LISTS)
@pytest.mark.parametrize("name", ["limit", "offset"])
def test_huge_limits_and_offsets_are_422_naming_the_parameter(client, url, name):
    response = client.get(url, {name: HUGE_PAGE})
    assert response.status_code == 422, response.content
    assert response.json()["detail"][0]["loc"] == ["query", name]


@pytest.mark.parametrize("url", API_LISTS)
def test_limits_within_bounds_still_work(client, url):
    assert client.get(url, {"limit": 1000, "offset": 10**9}).status_code == 200


@pytest.mark.parametrize(("url", "name"), API_FILTERS)
@pytest.mark.parametrize("value", [HUGE_ID, 0, -1, "abc"])
def test_bad_ids_in_api_filters_are_422(client, url, name, value):
    response = client.get(url, {name: value})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", name]


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/conferences/{HUGE_ID}",
        f"/api/v1/monitoring/mentions/{HUGE_ID}",
        f"/api/v1/monitoring/issues/{HUGE_ID}",
        f"/api/v1/offices/{HUGE_ID}",
    ],
)
def test_huge_ids_in_api_paths_are_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize("name", PAGE_FILTERS)
@pytest.mark.parametrize("url_name", ["monitoring:mention-list", "monitoring:mention-export"])
def test_huge_ids_in_page_filters_are_a_400_page(client, name, url_name):
    response = client.get(reverse(url_name), {name: HUGE_ID})
    assert response.status_code == 400
    html = response.content.decode()
    assert f"“{name}”" in html and "9223372036854775807" in html


def test_huge_ids_in_page_paths_are_404(client):
    for url in (
        f"/monitoring/mentions/{HUGE_ID}/",
        f"/monitoring/issues/{HUGE_ID}/",
        f"/monitoring/sources/{HUGE_ID}/",
        f"/conferences/{HUGE_ID}/",
        f"/offices/{HUGE_ID}/",
    ):
        assert client.get(url).status_code == 404, url


def test_huge_page_numbers_show_the_last_possible_page(client):
    response = client.get(reverse("monitoring:mention-list"), {"page": HUGE_ID})
    assert response.status_code == 200
    response = client.get(reverse("conferences:list"), {"page": HUGE_ID})
    assert response.status_code == 200


# --- NUL characters (found by the API fuzzer on PostgreSQL) ------------------------------


def test_a_nul_character_in_a_query_string_is_400(client):
    response = client.get(reverse("monitoring:mention-list"), {"outlet": "Antara\x00"})
    assert response.status_code == 400 and "NUL" in response.content.decode()
    response = client.get("/api/v1/monitoring/mentions", {"q": "paspor\x00"})
    assert response.status_code == 400 and "NUL" in response.json()["detail"]


def test_a_nul_character_in_a_json_body_is_400(client, offices):
    import json

    body = {"office_id": offices["soetta"].pk, "kind": "push", "name": "Jembatan\x00"}
    response = client.post("/api/v1/monitoring/sources", json.dumps(body), "application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "Cannot parse request body"}
