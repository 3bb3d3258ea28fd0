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


# --- every operation documents its answers and bounds its numbers (issue 7) -------------


def _operations(db_unused=None):
    schema = Client().get("/api/v1/openapi.json").json()
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_every_operation_documents_its_error_answers(db):
    missing = []
    for path, method, operation in _operations():
        codes = set(operation["responses"])
        wanted = {"400"}  # a query string or body that cannot be read (e.g. a NUL)
        if operation.get("security"):
            wanted.add("401")
        if operation.get("parameters") or operation.get("requestBody"):
            wanted.add("422")
        if "{" in path:
            wanted.add("404")
        if method != "get":
            wanted.add("403")
        for code in sorted(wanted - codes):
            missing.append(f"{method.upper()} {path}: {code}")
        for code, answer in operation["responses"].items():
            if code.startswith(("4", "5")):
                assert "content" in answer, f"{method.upper()} {path}: {code} has no body schema"
    assert not missing, "Undocumented error answers:\n  " + "\n  ".join(missing)


def test_every_integer_query_parameter_is_bounded(db):
    unbounded = []
    for path, method, operation in _operations():
        for parameter in operation.get("parameters", []):
            schema = parameter.get("schema", {})
            options = schema.get("anyOf", [schema])
            for option in options:
                if option.get("type") == "integer" and parameter["in"] == "query":
                    if option.get("maximum") is None:
                        unbounded.append(f"{method.upper()} {path} ?{parameter['name']}")
    assert not unbounded, (
        "Integer query parameters without a maximum (use prima.organizations.apitypes.Id or "
        "BoundedPagination):\n  " + "\n  ".join(unbounded)
    )


def test_pages_are_bounded(db):
    for path, method, operation in _operations():
        names = {p["name"]: p["schema"] for p in operation.get("parameters", [])}
        if "limit" in names and "offset" in names:  # paginated lists
            assert names["limit"]["maximum"] == 1000, path
            assert names["offset"]["maximum"] == 10**9, path


def test_the_richer_error_schemas_of_an_operation_win(db):
    schema = Client().get("/api/v1/openapi.json").json()
    advance = schema["paths"]["/api/v1/conferences/{conference_id}/advance"]["post"]
    ref = advance["responses"]["400"]["content"]["application/json"]["schema"]["$ref"]
    assert "blockers" in schema["components"]["schemas"][ref.rsplit("/", 1)[1]]["properties"]
