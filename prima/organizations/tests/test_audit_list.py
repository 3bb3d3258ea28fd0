"""/audit/: the audit trail page, its filters and its CSV export."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from prima.conftest import client_for, make_person
from prima.organizations import audit
from prima.organizations.models import AuditEntry, Role

from .helpers import touch

URL = reverse("audit-list")


@pytest.fixture
def trail(offices, administrator):
    """One change in each office (the actor is the DG administrator)."""
    for key in ("dg", "kanwil", "soetta", "jakpus", "kanwil_bali"):
        touch(administrator, offices[key], city=f"city-{key}")


def _offices_seen(response) -> set[str]:
    return {e.office.code for e in response.context["page"].object_list if e.office_id}


def test_anonymous_visitors_are_sent_to_log_in(offices):
    response = client_for(None).get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


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
        ("administrator", 200),
    ],
)
def test_who_may_read_the_trail(personas, persona, status):
    assert client_for(personas[persona]).get(URL).status_code == status


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("pr_lead", {"soetta"}),
        ("head", {"soetta"}),
        ("regional_supervisor", {"kanwil-dki", "soetta", "jakpus"}),
        ("dg_supervisor", {"ditjen", "kanwil-dki", "soetta", "jakpus", "kanwil-bali"}),
    ],
)
def test_each_reader_sees_the_entries_of_their_offices(personas, trail, persona, expected):
    response = client_for(personas[persona]).get(URL)
    assert _offices_seen(response) == expected


def test_bali_sees_nothing_of_jakarta(bali_supervisor, trail):
    response = client_for(bali_supervisor).get(URL)
    assert _offices_seen(response) == {"kanwil-bali"}
    assert b"city-soetta" not in response.content


def test_entries_without_an_office_are_for_the_top_only(personas, offices):
    with transaction.atomic():
        audit.log(None, "system.maintenance", None, only_if_changed=False)
    assert client_for(personas["dg_supervisor"]).get(URL).context["page"].object_list
    top_entries = client_for(personas["dg_supervisor"]).get(URL).context["page"].object_list
    assert any(e.action == "system.maintenance" for e in top_entries)
    regional = client_for(personas["regional_supervisor"]).get(URL).context["page"].object_list
    assert not any(e.action == "system.maintenance" for e in regional)


def test_it_filters_by_action_actor_and_date(dg_supervisor, trail, offices, head):
    touch(head, offices["soetta"], phone="021")
    client = client_for(dg_supervisor)

    by_actor = client.get(URL, {"actor": "budi"}).context["page"].object_list
    assert {e.actor_label for e in by_actor} == {"budi"}
    by_action = client.get(URL, {"action": "auth."}).context["page"].object_list
    assert by_action and {e.action.split(".")[0] for e in by_action} == {"auth"}
    today = timezone.localdate()
    in_range = client.get(URL, {"date_from": str(today), "date_to": str(today)}).context["page"]
    assert len(in_range.object_list) == AuditEntry.objects.count()
    tomorrow = today + timedelta(days=1)
    assert not client.get(URL, {"date_from": str(tomorrow)}).context["page"].object_list


def test_the_list_is_paginated(dg_supervisor, offices, administrator):
    for n in range(55):
        touch(administrator, offices["soetta"], city=f"c{n}")
    client = client_for(dg_supervisor)
    first = client.get(URL).context["page"]
    assert len(first.object_list) == 50 and first.has_next()
    second = client.get(URL, {"page": 2}).context["page"]
    assert not second.has_next()


def test_the_number_of_queries_does_not_grow_with_entries(
    dg_supervisor, offices, administrator, django_assert_max_num_queries
):
    client = client_for(dg_supervisor)
    touch(administrator, offices["soetta"])
    client.get(URL)
    with django_assert_max_num_queries(12) as first:
        client.get(URL)
    for key in ("dg", "kanwil", "jakpus", "kanwil_bali") * 5:
        touch(administrator, offices[key])
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(URL)


def test_entries_about_nothing_in_particular_are_listed(dg_supervisor, offices):
    # An entry without an object (e.g. a system event) has no history page to link to.
    with transaction.atomic():
        audit.log(None, "system.maintenance", None, only_if_changed=False)
    response = client_for(dg_supervisor).get(URL)
    assert response.status_code == 200
    assert b"system.maintenance" in response.content


# --- CSV export -------------------------------------------------------------------------


def _rows(response) -> list[dict]:
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("pr_staff", 403),
        ("pr_lead", 403),
        ("spokesperson", 403),
        ("outsider", 403),
        ("head", 200),
        ("regional_supervisor", 200),
        ("administrator", 200),
    ],
)
def test_who_may_export(personas, persona, status):
    assert client_for(personas[persona]).get(URL, {"format": "csv"}).status_code == status


def test_the_export_button_shows_only_to_exporters(pr_lead, head):
    assert b'data-testid="export-csv"' not in client_for(pr_lead).get(URL).content
    assert b'data-testid="export-csv"' in client_for(head).get(URL).content


def test_the_export_has_utc_times_and_json_changes(head, offices, trail):
    touch(head, offices["soetta"], city="Tangerang")
    response = client_for(head, "en").get(URL, {"format": "csv", "action": "office."})
    rows = _rows(response)
    assert {r["office"] for r in rows} == {offices["soetta"].short_name}
    newest = rows[0]
    entry = AuditEntry.objects.filter(action="office.update").order_by("-seq").first()
    assert newest["seq"] == str(entry.seq)
    assert newest["at_utc"].endswith("+00:00")
    assert newest["at_utc"][:19] == entry.at.astimezone(UTC).isoformat()[:19]
    assert json.loads(newest["before"]) == {"city": "city-soetta"}
    assert json.loads(newest["after"]) == {"city": "Tangerang"}
    assert newest["actor"] == "budi" and newest["hash"] == entry.hash


def test_the_export_escapes_spreadsheet_formulas(offices, administrator):
    evil = make_person("@evil", offices["dg"], Role.ADMIN)
    touch(evil, offices["soetta"], name='=HYPERLINK("http://x")')
    touch(administrator, offices["jakpus"], name="+SUM(1)")
    touch(administrator, offices["kanwil"], name="-2+3")
    rows = _rows(client_for(administrator, "en").get(URL, {"format": "csv", "action": "office."}))
    for row in rows:
        for column, value in row.items():
            assert value[:1] not in {"=", "+", "-", "@", "\t", "\r"}, (column, value)
    assert {r["object"] for r in rows} >= {'\'=HYPERLINK("http://x")', "'+SUM(1)", "'-2+3"}
    assert "'@evil" in {r["actor"] for r in rows}


def test_the_export_follows_the_filters(head, offices):
    touch(head, offices["soetta"], city="A")
    rows = _rows(client_for(head, "en").get(URL, {"format": "csv", "action": "office.update"}))
    assert [r["action"] for r in rows] == ["office.update"]


def test_an_indonesian_reader_gets_words_and_wib(head, offices, trail):
    touch(head, offices["soetta"], city="Tangerang")
    response = client_for(head).get(URL, {"format": "csv", "action": "office.update"})
    rows = _rows(response)
    newest = rows[0]
    entry = AuditEntry.objects.filter(action="office.update").order_by("-seq").first()
    assert newest["Waktu (WIB)"] == entry.at.astimezone(ZoneInfo("Asia/Jakarta")).strftime(
        "%Y-%m-%d %H:%M:%S"
    )
    assert newest["Tindakan"] == "Kantor diubah" and newest["Kode tindakan"] == "office.update"
    assert newest["Pelaku"] == "budi" and newest["Kantor"] == offices["soetta"].short_name
    assert json.loads(newest["Sesudah (JSON)"]) == {"city": "Tangerang"}


def test_the_trail_reads_as_sentences_with_field_names(head, offices, trail):
    touch(head, offices["soetta"], city="Tangerang")
    page = client_for(head).get(URL, {"action": "office.update"}).content.decode()
    assert "Kantor diubah" in page and "<code>office.update</code>" in page
    assert "<th>Kota</th>" in page and "Tangerang" in page
    english = client_for(head, "en").get(URL, {"action": "office.update"}).content.decode()
    assert "Office changed" in english and "<th>City</th>" in english
