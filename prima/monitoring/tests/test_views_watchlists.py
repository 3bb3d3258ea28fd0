"""Watch-lists: Boolean queries whose errors point at the position, edit and delete."""

from __future__ import annotations

import pytest
from django.urls import reverse

from prima.conftest import client_for
from prima.monitoring.models import WatchList
from prima.organizations.models import AuditEntry

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
LIST = reverse("monitoring:watchlist-list")


@pytest.fixture(autouse=True)
def _tasks(settings):
    settings.TASKS = IMMEDIATE


def test_a_malformed_query_gets_its_position_under_the_field(pr_staff, offices):
    response = client_for(pr_staff).post(LIST, {"name": "Antrean", "query": "autogate AND (antre"})
    assert response.status_code == 200
    errors = response.context["form"].errors["query"]
    assert errors and "14" in errors[0]  # the position of the unclosed "(" (1-based)
    assert response.context["form"].query_caret.splitlines()[-1].endswith("^")
    html = response.content.decode()
    assert 'data-testid="query-error"' in html and "<pre>" in html
    assert not WatchList.objects.exists()


def test_a_valid_query_is_saved_and_audited(pr_staff, offices):
    response = client_for(pr_staff).post(
        LIST,
        {
            "name": "Antrean autogate",
            "query": '(autogate OR antrean) "terminal 3" NOT iklan',
            "description": "Keluhan antrean",
            "is_active": "on",
        },
    )
    watchlist = WatchList.objects.get()
    assert response["Location"] == reverse("monitoring:watchlist-detail", args=[watchlist.pk])
    assert watchlist.office == offices["soetta"] and watchlist.created_by == pr_staff
    assert AuditEntry.objects.filter(action="watchlist.create").count() == 1


def test_a_duplicate_name_is_refused_under_the_name(pr_staff, offices):
    WatchList.objects.create(office=offices["soetta"], name="Hoaks", query="hoaks")
    response = client_for(pr_staff).post(LIST, {"name": "Hoaks", "query": "calo"})
    assert response.context["form"].errors["name"]


def test_edit_and_delete(pr_staff, offices):
    watchlist = WatchList.objects.create(office=offices["soetta"], name="Hoaks", query="hoaks")
    client = client_for(pr_staff)
    url = reverse("monitoring:watchlist-detail", args=[watchlist.pk])
    bad = client.post(url, {"name": "Hoaks", "query": "hoaks OR"})
    assert bad.context["form"].errors["query"]
    watchlist.refresh_from_db()
    assert watchlist.query == "hoaks"
    client.post(url, {"name": "Hoaks paspor", "query": "hoaks paspor*", "is_active": "on"})
    watchlist.refresh_from_db()
    assert (watchlist.name, watchlist.query) == ("Hoaks paspor", "hoaks paspor*")
    client.post(url, {"delete": "1"})
    assert not WatchList.objects.exists()


def test_readers_see_no_form(head, offices):
    watchlist = WatchList.objects.create(office=offices["soetta"], name="Hoaks", query="hoaks")
    assert client_for(head).get(LIST).context["form"] is None
    page = client_for(head).get(reverse("monitoring:watchlist-detail", args=[watchlist.pk]))
    assert page.context["form"] is None
    assert (
        client_for(head)
        .post(reverse("monitoring:watchlist-detail", args=[watchlist.pk]), {"delete": "1"})
        .status_code
        == 403
    )
