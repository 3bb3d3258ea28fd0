"""/offices/: each person sees the offices their roles reach, and nothing else."""

from __future__ import annotations

import pytest
from django.urls import reverse

from prima.conftest import client_for
from prima.organizations.models import Office, OfficeLevel

URL = reverse("office-list")


def _codes(response) -> set[str]:
    return {office.code for office in response.context["offices"]}


def test_anonymous_visitors_are_sent_to_log_in(offices):
    response = client_for(None).get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("pr_staff", {"soetta"}),
        ("pr_lead", {"soetta"}),
        ("spokesperson", {"soetta"}),
        ("head", {"soetta"}),
        ("regional_supervisor", {"kanwil-dki", "soetta", "jakpus"}),
        ("dg_supervisor", {"ditjen", "kanwil-dki", "soetta", "jakpus", "kanwil-bali"}),
        ("administrator", {"ditjen", "kanwil-dki", "soetta", "jakpus", "kanwil-bali"}),
        ("outsider", {"jakpus"}),
    ],
)
def test_each_persona_sees_the_offices_their_roles_reach(personas, persona, expected):
    response = client_for(personas[persona]).get(URL)
    assert response.status_code == 200
    assert _codes(response) == expected


def test_the_outsider_does_not_see_soekarno_hatta(outsider):
    response = client_for(outsider).get(URL)
    assert b"Soekarno-Hatta" not in response.content
    assert b"Jakarta Pusat" in response.content


def test_bali_sees_nothing_of_jakarta(bali_supervisor):
    response = client_for(bali_supervisor).get(URL)
    assert _codes(response) == {"kanwil-bali"}
    assert b"Jakarta" not in response.content


def test_a_person_without_roles_sees_an_empty_list(offices):
    from prima.conftest import make_person

    nobody = make_person("tamu", offices["soetta"])
    response = client_for(nobody).get(URL)
    assert response.status_code == 200
    assert _codes(response) == set()


def test_the_number_of_queries_does_not_grow_with_offices(
    dg_supervisor, offices, django_assert_max_num_queries
):
    client = client_for(dg_supervisor)
    client.get(URL)  # warm up (session, caches)
    with django_assert_max_num_queries(10) as first:
        client.get(URL)
    for n in range(10):
        Office.objects.create(
            code=f"kanim-{n}",
            name=f"Kanim {n}",
            short_name=f"K{n}",
            level=OfficeLevel.OFFICE,
            parent=offices["kanwil_bali"],
        )
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get(URL)
    assert len(response.context["offices"]) == 15
