"""The calendar: a month grid in each office's own time zone, previous/next month, and the
list of days that phones show instead of the grid."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from prima.conferences import workflow
from prima.conferences.models import ConferenceType, Topic
from prima.conftest import client_for, make_person
from prima.organizations.models import Office, OfficeLevel, Role

from .helpers import NOW


def _open(user, office, title, scheduled_at, **extra):
    return workflow.create_conference(
        user,
        office=office,
        type=ConferenceType.REGULAR,
        title=title,
        topic=Topic.GENERAL,
        scheduled_at=scheduled_at,
        now=NOW,
        **extra,
    )


def _cells(response) -> dict[int, list[str]]:
    return {
        cell["day"].day: [c.title for c in cell["conferences"]]
        for week in response.context["weeks"]
        for cell in week
        if cell["in_month"]
    }


def test_it_shows_a_conference_on_its_day_in_wib(templates, offices, pr_staff):
    # 30 November 2025, 17.30 UTC is 1 December 2025, 00.30 WIB.
    _open(
        pr_staff, offices["soetta"], "Rilis akhir bulan", datetime(2025, 11, 30, 17, 30, tzinfo=UTC)
    )
    _open(pr_staff, offices["soetta"], "Rilis kinerja", datetime(2025, 11, 20, 3, 0, tzinfo=UTC))
    client = client_for(pr_staff)
    november = client.get(reverse("conferences:calendar"), {"month": "2025-11"})
    assert november.status_code == 200
    assert _cells(november)[20] == ["Rilis kinerja"]
    assert "Rilis akhir bulan" not in sum(_cells(november).values(), [])
    html = november.content.decode()
    assert "10.00 WIB" in html
    assert 'data-testid="calendar-grid"' in html and 'data-testid="calendar-list"' in html
    december = client.get(reverse("conferences:calendar"), {"month": "2025-12"})
    assert _cells(december)[1] == ["Rilis akhir bulan"]
    assert "00.30 WIB" in december.content.decode()


def test_it_uses_the_office_time_zone(templates, offices):
    ngurah_rai = Office.objects.create(
        code="ngurah-rai",
        name="Kanim Ngurah Rai",
        short_name="Kanim Ngurah Rai",
        level=OfficeLevel.OFFICE,
        parent=offices["kanwil_bali"],
        timezone="Asia/Makassar",
    )
    staff = make_person("wayan", ngurah_rai, Role.PR_STAFF)
    # 16.30 UTC is 23.30 WIB but already 00.30 WITA the next day in Bali.
    _open(staff, ngurah_rai, "Rilis Bali", datetime(2025, 11, 19, 16, 30, tzinfo=UTC))
    response = client_for(staff).get(reverse("conferences:calendar"), {"month": "2025-11"})
    assert _cells(response)[20] == ["Rilis Bali"]
    assert "00.30 WITA" in response.content.decode()


def test_it_links_the_previous_and_next_month(offices, pr_staff):
    response = client_for(pr_staff).get(reverse("conferences:calendar"), {"month": "2025-01"})
    assert response.context["previous"] == "2024-12"
    assert response.context["next"] == "2025-02"
    html = response.content.decode()
    assert "Desember 2024" in html and "Februari 2025" in html


@pytest.mark.parametrize("month", ["", "garbage", "2025-13"])
def test_a_bad_month_shows_the_current_one(offices, pr_staff, month):
    response = client_for(pr_staff).get(reverse("conferences:calendar"), {"month": month})
    assert response.status_code == 200
    assert response.context["month"].day == 1


def test_it_hides_cancelled_conferences_and_other_offices(
    templates, offices, pr_staff, pr_lead, outsider
):
    when = datetime(2025, 11, 21, 3, 0, tzinfo=UTC)
    cancelled = _open(pr_staff, offices["soetta"], "Batal", when)
    workflow.cancel(pr_lead, cancelled, reason="Agenda berubah", now=NOW)
    _open(outsider, offices["jakpus"], "Jakarta Pusat", when)
    response = client_for(pr_staff).get(reverse("conferences:calendar"), {"month": "2025-11"})
    assert _cells(response)[21] == []


def test_it_filters_by_type(templates, offices, pr_staff):
    when = datetime(2025, 11, 21, 3, 0, tzinfo=UTC)
    _open(pr_staff, offices["soetta"], "Reguler", when)
    response = client_for(pr_staff).get(
        reverse("conferences:calendar"), {"month": "2025-11", "type": "crisis"}
    )
    assert _cells(response)[21] == []


def test_the_calendar_query_count_does_not_grow_with_the_conferences(
    templates, offices, pr_staff, django_assert_num_queries
):
    client = client_for(pr_staff)
    when = datetime(2025, 11, 21, 3, 0, tzinfo=UTC)
    _open(pr_staff, offices["soetta"], "Satu", when)
    client.get(reverse("conferences:calendar"), {"month": "2025-11"})
    # No session write on every request; the user comes with their office.
    with django_assert_num_queries(5) as few:
        client.get(reverse("conferences:calendar"), {"month": "2025-11"})
    for i in range(10):
        _open(pr_staff, offices["soetta"], f"Lagi {i}", when)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(reverse("conferences:calendar"), {"month": "2025-11"})
