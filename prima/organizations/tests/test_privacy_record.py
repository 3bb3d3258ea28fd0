"""/personal-data/: the record of processing (UU No. 27/2022 Ps. 31), page and CSV,
generated from the models' declarations."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from prima.conftest import client_for
from prima.organizations.privacy import declarations as pdp
from prima.organizations.privacy import record

URL = reverse("privacy-record")
CSV_URL = reverse("privacy-record-csv")


def test_anonymous_visitors_are_sent_to_log_in(offices):
    for url in (URL, CSV_URL):
        response = client_for(None).get(url)
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
def test_who_may_see_the_record(personas, persona, status):
    client = client_for(personas[persona])
    assert client.get(URL).status_code == status
    assert client.get(CSV_URL).status_code == status


def test_an_office_out_of_reach_is_not_found(personas, offices):
    head = client_for(personas["head"])
    for url in (URL, CSV_URL):
        assert head.get(url, {"office": offices["jakpus"].pk}).status_code == 404
        assert head.get(url, {"office": offices["soetta"].pk}).status_code == 200


def test_bali_sees_nothing_of_jakarta(bali_supervisor, offices):
    client = client_for(bali_supervisor)
    assert client.get(URL, {"office": offices["soetta"].pk}).status_code == 404
    response = client.get(URL)
    assert response.context["office"] == offices["kanwil_bali"]
    assert [o.code for o in response.context["choices"]] == ["kanwil-bali"]


def test_the_page_lists_every_model_that_holds_personal_data(personas):
    response = client_for(personas["head"], "id").get(URL)
    html = response.content.decode()
    for model, _declaration in pdp.personal():
        assert f'data-testid="record-{model._meta.label}"' in html
    assert 'data-testid="record-organizations.AuditChainHead"' not in html
    assert "Kantor Imigrasi Kelas I Khusus TPI Soekarno-Hatta" in html
    assert "Catatan pemrosesan" in html or "Pencatatan" in html


def test_the_csv_has_a_row_per_model_grouped_by_activity_in_indonesian(personas):
    response = client_for(personas["head"], "id").get(CSV_URL)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    header, body = rows[0], rows[1:]
    assert header[0] == "Pengendali"
    assert len(body) == len(list(pdp.personal()))
    activities = [row[1] for row in body]
    # Grouped: an activity's rows are consecutive.
    assert len(set(activities)) == len(
        [a for i, a in enumerate(activities) if i == 0 or a != activities[i - 1]]
    )
    assert all(
        row[0].startswith("Kantor Imigrasi Kelas I Khusus TPI Soekarno-Hatta") for row in body
    )
    mention = next(row for row in body if row[-1] == "monitoring.Mention")
    assert "365 hari" in mention[8]


def test_the_csv_is_in_english_for_english_readers(personas):
    response = client_for(personas["head"], "en").get(CSV_URL)
    header = next(csv.reader(io.StringIO(response.content.decode())))
    assert header[:3] == ["controller", "activity", "record"]


def test_a_new_declaration_appears_in_the_record_without_anything_else(monkeypatch):
    """The record is read from the declarations: no list to keep in step by hand."""
    before = {e.label for a in record.build() for e in a.entries}
    assert "monitoring.Mention" in before
    assert "organizations.AuditChainHead" not in before


def test_the_retention_text_reads_the_setting(settings):
    retention = pdp.Retention(pdp.Start.LAST_USED, days=730, setting="PDP_MEDIA_CONTACT_DAYS")
    settings.PDP_MEDIA_CONTACT_DAYS = 30
    assert retention.period_days == 30
    assert record.retention_text(retention).startswith("30 ")


def test_the_menu_offers_the_page_to_those_who_may_see_it(personas):
    assert URL in client_for(personas["head"]).get(reverse("home")).content.decode()
    assert URL not in client_for(personas["pr_staff"]).get(reverse("home")).content.decode()
