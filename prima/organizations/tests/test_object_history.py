"""/audit/<type>/<id>/: the history of one object, as a page and as CSV."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.urls import reverse

from prima.conftest import client_for

from .helpers import touch


def url(office) -> str:
    return reverse("audit-object-history", args=["organizations.office", office.pk])


@pytest.fixture
def history(offices, administrator):
    touch(administrator, offices["soetta"], city="Tangerang")
    touch(administrator, offices["soetta"], city="Kota Tangerang", phone="021-5507088")
    touch(administrator, offices["jakpus"], city="Jakarta Pusat")


def test_anonymous_visitors_are_sent_to_log_in(offices, history):
    response = client_for(None).get(url(offices["soetta"]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("outsider", 404),
        ("pr_staff", 404),  # may not read the trail at all
        ("spokesperson", 404),
        ("pr_lead", 200),
        ("head", 200),
        ("regional_supervisor", 200),
        ("dg_supervisor", 200),
    ],
)
def test_who_may_read_the_history_of_soekarno_hatta(personas, offices, history, persona, status):
    assert client_for(personas[persona]).get(url(offices["soetta"])).status_code == status


def test_bali_sees_no_history_of_jakarta(bali_supervisor, offices, history):
    assert client_for(bali_supervisor).get(url(offices["soetta"])).status_code == 404


def test_an_object_without_history_is_404(head, offices):
    assert client_for(head).get(url(offices["dg"])).status_code == 404
    missing = reverse("audit-object-history", args=["organizations.office", "999999"])
    assert client_for(head).get(missing).status_code == 404


def test_it_shows_the_changes_newest_first(head, offices, history):
    response = client_for(head).get(url(offices["soetta"]))
    entries = list(response.context["entries"])
    assert [e.after for e in entries] == [
        {"city": "Kota Tangerang", "phone": "021-5507088"},
        {"city": "Tangerang"},
    ]
    assert response.context["object_label"] == offices["soetta"].name
    content = response.content.decode()
    assert "Kota Tangerang" in content and "021-5507088" in content
    assert "Jakarta Pusat" not in content.split("<main", 1)[1]


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("outsider", 404),
        ("pr_staff", 404),
        ("pr_lead", 403),
        ("head", 200),
        ("regional_supervisor", 200),
    ],
)
def test_who_may_export_the_history(personas, offices, history, persona, status):
    response = client_for(personas[persona]).get(url(offices["soetta"]), {"format": "csv"})
    assert response.status_code == status


def test_the_export_link_shows_only_to_exporters(pr_lead, head, offices, history):
    assert b"export-csv" not in client_for(pr_lead).get(url(offices["soetta"])).content
    assert b"export-csv" in client_for(head).get(url(offices["soetta"])).content


def test_the_export_has_utc_times_and_json_changes(head, offices, history):
    response = client_for(head, "en").get(url(offices["soetta"]), {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert (
        f"history-organizations.office-{offices['soetta'].pk}.csv"
        in (response["Content-Disposition"])
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 2
    assert all(r["at_utc"].endswith("+00:00") for r in rows)
    assert json.loads(rows[1]["before"]) == {"city": ""}
    assert json.loads(rows[1]["after"]) == {"city": "Tangerang"}
    assert rows[0]["object"] == offices["soetta"].name


def test_the_export_escapes_spreadsheet_formulas(head, offices, administrator):
    touch(administrator, offices["soetta"], name="=1+1")
    response = client_for(head, "en").get(url(offices["soetta"]), {"format": "csv"})
    [row] = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert row["object"] == "'=1+1"
