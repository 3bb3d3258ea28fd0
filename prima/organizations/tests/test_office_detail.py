"""/offices/<pk>/: 404 to whoever may not see the office; people and history by role."""

from __future__ import annotations

import pytest
from django.urls import reverse

from prima.conftest import client_for


def url(office) -> str:
    return reverse("office-detail", args=[office.pk])


def test_anonymous_visitors_are_sent_to_log_in(offices):
    response = client_for(None).get(url(offices["soetta"]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("persona", "office", "status"),
    [
        ("pr_staff", "soetta", 200),
        ("spokesperson", "soetta", 200),
        ("head", "soetta", 200),
        ("pr_staff", "kanwil", 404),  # not even the parent office
        ("pr_staff", "jakpus", 404),
        ("outsider", "soetta", 404),
        ("outsider", "jakpus", 200),
        ("regional_supervisor", "soetta", 200),
        ("regional_supervisor", "kanwil", 200),
        ("regional_supervisor", "dg", 404),
        ("regional_supervisor", "kanwil_bali", 404),
        ("dg_supervisor", "kanwil_bali", 200),
        ("administrator", "soetta", 200),
    ],
)
def test_who_may_open_which_office(personas, offices, persona, office, status):
    assert client_for(personas[persona]).get(url(offices[office])).status_code == status


def test_bali_sees_nothing_of_jakarta(bali_supervisor, offices):
    client = client_for(bali_supervisor)
    for key in ("soetta", "jakpus", "kanwil", "dg"):
        assert client.get(url(offices[key])).status_code == 404
    assert client.get(url(offices["kanwil_bali"])).status_code == 200


def test_a_missing_office_is_404(pr_staff):
    assert client_for(pr_staff).get("/offices/999999/").status_code == 404


def test_people_are_listed_only_for_those_who_may_see_them(personas, offices):
    soetta = url(offices["soetta"])
    staff_page = client_for(personas["pr_staff"]).get(soetta)
    assert staff_page.context["people"] is None
    assert b"Budi Santoso" not in staff_page.content

    lead_page = client_for(personas["pr_lead"]).get(soetta)
    names = {m.user.username for m in lead_page.context["people"]}
    assert {"rina", "dimas", "andi", "sri", "budi"} <= names
    assert "yusuf" not in names  # Jakarta Pusat


def test_the_history_link_shows_only_with_audit_rights(personas, offices):
    history = reverse("audit-object-history", args=["organizations.office", offices["soetta"].pk])
    assert (
        history.encode() not in client_for(personas["pr_staff"]).get(url(offices["soetta"])).content
    )
    assert history.encode() in client_for(personas["pr_lead"]).get(url(offices["soetta"])).content


def test_it_shows_the_sub_offices_and_the_way_up(regional_supervisor, offices):
    response = client_for(regional_supervisor).get(url(offices["kanwil"]))
    assert set(response.context["children"]) == {offices["soetta"], offices["jakpus"]}
    assert response.context["ancestors"] == [offices["dg"]]
