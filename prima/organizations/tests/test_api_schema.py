"""GET /api/v1/openapi.json: the published schema (no data, no log-in needed)."""

from __future__ import annotations

from django.test import Client


def test_the_schema_is_public_and_lists_the_endpoints(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "PRIMA API"
    assert {"/api/v1/me", "/api/v1/offices", "/api/v1/offices/{office_id}", "/api/v1/audit"} <= set(
        schema["paths"]
    )


def test_the_schema_documents_both_token_headers(db):
    schemes = Client().get("/api/v1/openapi.json").json()["components"]["securitySchemes"]
    kinds = {(s["type"], s.get("scheme"), s.get("name")) for s in schemes.values()}
    assert ("http", "bearer", None) in kinds
    assert ("apiKey", None, "X-API-Key") in kinds


def test_the_api_offers_only_reads_for_the_foundation(db):
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    for path in ("/api/v1/me", "/api/v1/offices", "/api/v1/offices/{office_id}", "/api/v1/audit"):
        assert set(paths[path]) == {"get"}, path
