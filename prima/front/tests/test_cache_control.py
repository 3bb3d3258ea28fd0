"""Private answers are never cached; public ones may be (probe, issue 7: conference pages,
/api/v1/me and the CSV exports sent no Cache-Control)."""

from __future__ import annotations

from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from prima.conftest import client_for
from prima.front.middleware import PrivateCacheMiddleware
from prima.lib.http import cache_public
from prima.organizations.tests.test_api_auth import issue


def _no_store(response) -> bool:
    value = response.get("Cache-Control", "")
    return "no-store" in value and "private" in value


def test_logged_in_pages_exports_and_api_answers_are_not_stored(pr_staff, head):
    client = client_for(pr_staff)
    for url in (
        reverse("home"),
        reverse("conferences:list"),
        reverse("monitoring:mention-list"),
        reverse("monitoring:mention-export"),
        "/api/v1/me",
        "/api/v1/conferences",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert _no_store(response), url
    export = client_for(head).get(reverse("audit-list"), {"format": "csv"})
    assert export["Content-Type"].startswith("text/csv") and _no_store(export)


def test_token_clients_get_no_store_too(pr_staff):
    _token, key = issue(pr_staff)
    client = client_for(None)
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200 and _no_store(response)
    response = client.get("/api/v1/me", HTTP_X_API_KEY=key)
    assert response.status_code == 200 and _no_store(response)


def test_errors_for_logged_in_people_are_not_stored(pr_staff):
    response = client_for(pr_staff).get("/conferences/999999/")
    assert response.status_code == 404 and _no_store(response)


def test_public_answers_keep_their_own_caching(db):
    anonymous = client_for(None)
    assert "no-cache" in anonymous.get(reverse("healthz"))["Cache-Control"]  # its own
    schema = anonymous.get("/api/v1/openapi.json")
    assert schema.status_code == 200 and "Cache-Control" not in schema


def test_a_public_view_opts_out(pr_staff):
    @cache_public(max_age=300)
    def public_page(request):
        return HttpResponse("Layanan paspor: Rp 350.000")

    request = RequestFactory().get("/public/")
    request.user = pr_staff
    response = PrivateCacheMiddleware(public_page)(request)
    assert response["Cache-Control"] == "public, max-age=300"

    @cache_public
    def plain(request):
        return HttpResponse("x")

    assert "Cache-Control" not in PrivateCacheMiddleware(plain)(request)

    def private_page(request):
        return HttpResponse("x")

    assert _no_store(PrivateCacheMiddleware(private_page)(request))
