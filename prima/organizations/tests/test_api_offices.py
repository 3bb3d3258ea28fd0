"""GET /api/v1/offices and /api/v1/offices/{id}: the same policy as the pages."""

from __future__ import annotations

import pytest

from prima.conftest import client_for


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("pr_staff", {"soetta"}),
        ("head", {"soetta"}),
        ("outsider", {"jakpus"}),
        ("regional_supervisor", {"kanwil-dki", "soetta", "jakpus"}),
        ("dg_supervisor", {"ditjen", "kanwil-dki", "soetta", "jakpus", "kanwil-bali"}),
    ],
)
def test_the_list_holds_the_offices_the_caller_may_see(personas, persona, expected):
    response = client_for(personas[persona]).get("/api/v1/offices")
    assert response.status_code == 200
    assert {o["code"] for o in response.json()} == expected


def test_bali_sees_nothing_of_jakarta(bali_supervisor, offices):
    client = client_for(bali_supervisor)
    assert {o["code"] for o in client.get("/api/v1/offices").json()} == {"kanwil-bali"}
    for key in ("soetta", "jakpus", "kanwil", "dg"):
        assert client.get(f"/api/v1/offices/{offices[key].pk}").status_code == 404


@pytest.mark.parametrize(
    ("persona", "office", "status"),
    [
        ("pr_staff", "soetta", 200),
        ("outsider", "soetta", 404),
        ("outsider", "jakpus", 200),
        ("pr_staff", "kanwil", 404),
        ("regional_supervisor", "soetta", 200),
        ("regional_supervisor", "kanwil_bali", 404),
    ],
)
def test_one_office(personas, offices, persona, office, status):
    response = client_for(personas[persona]).get(f"/api/v1/offices/{offices[office].pk}")
    assert response.status_code == status


def test_one_office_has_its_data(pr_staff, offices):
    soetta = offices["soetta"]
    data = client_for(pr_staff).get(f"/api/v1/offices/{soetta.pk}").json()
    assert data == {
        "id": soetta.pk,
        "name": soetta.name,
        "short_name": soetta.short_name,
        "code": "soetta",
        "level": "office",
        "parent_id": offices["kanwil"].pk,
        "timezone": "Asia/Jakarta",
        "city": "",
    }


def test_a_missing_office_is_404_and_a_malformed_id_is_refused(pr_staff):
    client = client_for(pr_staff)
    assert client.get("/api/v1/offices/999999").status_code == 404
    assert client.get("/api/v1/offices/abc").status_code in (404, 422)


def test_the_number_of_queries_does_not_grow_with_offices(
    dg_supervisor, offices, django_assert_max_num_queries
):
    from prima.organizations.models import Office, OfficeLevel

    client = client_for(dg_supervisor)
    with django_assert_max_num_queries(8) as first:
        client.get("/api/v1/offices")
    for n in range(5):
        Office.objects.create(
            code=f"k{n}",
            name=f"K{n}",
            short_name=f"K{n}",
            level=OfficeLevel.OFFICE,
            parent=offices["kanwil"],
        )
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert len(client.get("/api/v1/offices").json()) == 10
