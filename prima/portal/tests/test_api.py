"""The open data API: anonymous, read-only, published data only, ETag, CORS, rate limit,
in the one OpenAPI schema."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db
BASE = "/api/v1/public/offices"


@pytest.fixture(autouse=True)
def _fresh_rate_counters():
    cache.clear()
    yield
    cache.clear()


def test_offices_are_listed_without_a_log_in(world):
    response = Client().get(BASE)
    assert response.status_code == 200
    rows = response.json()
    soetta = next(r for r in rows if r["code"] == "soetta")
    assert soetta["parent"] == "kanwil-dki" and soetta["services_url"].endswith(
        "/api/v1/public/offices/soetta/services"
    )


def test_services_with_their_versions_and_structured_fees(world):
    rows = Client().get(f"{BASE}/soetta/services").json()
    assert [r["code"] for r in rows] == ["paspor-biasa"]  # the draft-only service is absent
    service = rows[0]
    assert service["current"]["number"] == 2 and service["current"]["in_force"] is True
    assert [v["number"] for v in service["versions"]] == [2, 1]
    fee = service["current"]["fees"][0]
    assert fee == {
        "code": "fee-1", "label": "Tarif 1", "label_en": "", "amount": "350000.00",
        "currency": "IDR", "unit": "document", "legal_basis": "PP No. 45 Tahun 2024",
        "is_surcharge": False, "text": "Rp 350.000",
    }  # fmt: skip
    assert service["current"]["duration"] == {
        "value": 4, "unit": "working_days", "note": "", "text": "4 (empat) hari kerja",
    }  # fmt: skip
    assert service["versions"][1]["effective_until"] == "2024-12-16"
    one = Client().get(f"{BASE}/soetta/services/paspor-biasa").json()
    assert one["code"] == "paspor-biasa"


def test_hidden_things_are_404_or_absent(world):
    client = Client()
    assert client.get(f"{BASE}/soetta/services/izin-rahasia").status_code == 404
    assert client.get(f"{BASE}/nope/services").status_code == 404
    assert client.get(f"{BASE}/nope/releases").status_code == 404
    titles = {r["title"] for r in client.get(f"{BASE}/soetta/releases").json()}
    assert titles == {"Rilis Kinerja Oktober", "Paspor lansia ditemukan"}


def test_etag_and_if_none_match(world):
    client = Client()
    first = client.get(f"{BASE}/soetta/releases")
    assert first.has_header("ETag") and "public" in first["Cache-Control"]
    again = client.get(f"{BASE}/soetta/releases", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert again["Access-Control-Allow-Origin"] == "*"


def test_cors_for_reading(world):
    response = Client().get(BASE, HTTP_ORIGIN="https://data.example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]


@override_settings(PORTAL_API_REQUESTS_PER_MINUTE=5)
def test_rate_limit_per_client(world):
    client = Client()
    statuses = [client.get(BASE, REMOTE_ADDR="192.0.2.1").status_code for _i in range(7)]
    assert statuses == [200] * 5 + [429] * 2
    refused = client.get(BASE, REMOTE_ADDR="192.0.2.1")
    assert 0 < int(refused["Retry-After"]) <= 60
    assert client.get(BASE, REMOTE_ADDR="192.0.2.2").status_code == 200


def test_the_open_data_is_in_the_one_openapi_schema(world):
    schema = Client().get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    for path in ["/api/v1/public/offices", "/api/v1/public/offices/{office}/services",
                 "/api/v1/public/offices/{office}/services/{code}",
                 "/api/v1/public/offices/{office}/releases"]:  # fmt: skip
        assert "get" in paths[path], path
        assert paths[path]["get"].get("security") in (None, [], [{}]), path
    assert "ServiceOut" in schema["components"]["schemas"]


def test_the_api_answers_match_their_schema(world):
    from prima.portal.api import PublicOfficeOut, ReleaseOut, ServiceOut

    client = Client()
    for row in client.get(BASE).json():
        PublicOfficeOut.model_validate(row)
    for row in client.get(f"{BASE}/soetta/services").json():
        ServiceOut.model_validate(row)
    for row in client.get(f"{BASE}/soetta/releases").json():
        ReleaseOut.model_validate(row)


def test_writing_is_not_possible(world):
    client = Client()
    assert client.post(BASE, {}).status_code == 405
    assert client.delete(f"{BASE}/soetta/releases").status_code == 405


def test_only_published_real_clarifications_are_listed(world):
    client = Client()
    rows = client.get(f"{BASE}/soetta/clarifications").json()
    assert [r["title"] for r in rows] == ["Tidak ada biaya pemeriksaan imigrasi"]
    row = rows[0]
    assert row["verdict"] == "hoax" and row["title_en"] == "No fee at the immigration check"
    assert row["facts_en"] == "The immigration check at the airport is free of charge."
    assert row["channels"] == [{"channel": "website", "url": "https://example.org/k/1"},
                               {"channel": "whatsapp", "url": ""}]  # fmt: skip
    assert row["url"].endswith(f"/public/soetta/clarifications/{world['clarification'].pk}/")
    assert client.get(f"{BASE}/jakpus/clarifications").json() == []
    assert client.get(f"{BASE}/nope/clarifications").status_code == 404
    assert client.get(f"{BASE}/soetta/clarifications?limit=0").status_code == 422
    offices = client.get(BASE).json()
    soetta = next(r for r in offices if r["code"] == "soetta")
    assert soetta["clarifications_url"].endswith("/api/v1/public/offices/soetta/clarifications")


def test_clarifications_carry_an_etag(world, personas):
    from prima.crisis import clarifications

    client = Client()
    url = f"{BASE}/soetta/clarifications"
    first = client.get(url)
    assert first.status_code == 200 and first["Access-Control-Allow-Origin"] == "*"
    assert "public" in first["Cache-Control"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    clarifications.withdraw(personas["pr_lead"], world["clarification"], reason="Data baru")
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed.json() == []
