"""The admin applies the policy: a regional administrator manages their sub-tree only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from prima.conftest import client_for, make_person
from prima.organizations.models import ApiToken, Membership, Office, Role, User

from .helpers import entries_after, last_seq
from .test_admin_audit import inline_management, office_form, user_form


@pytest.fixture
def regional_admin(offices) -> User:
    """Administrator at Kanwil DK Jakarta (Soekarno-Hatta and Jakarta Pusat below it)."""
    return make_person("admin.kanwil", offices["kanwil"], Role.ADMIN, full_name="Admin Kanwil")


@pytest.fixture
def bali_person(offices) -> User:
    return make_person("wayan", offices["kanwil_bali"], Role.PR_STAFF)


def test_it_lists_only_the_sub_tree(regional_admin, offices, pr_staff, bali_person):
    client = client_for(regional_admin)
    users = client.get(reverse("admin:organizations_user_changelist"))
    assert b"rina" in users.content and b"wayan" not in users.content
    office_list = client.get(reverse("admin:organizations_office_changelist"))
    assert b"Soekarno-Hatta" in office_list.content
    assert b"Kanwil Bali" not in office_list.content


def test_it_hides_objects_of_other_regions(regional_admin, bali_person, offices):
    client = client_for(regional_admin)
    for url in (
        reverse("admin:organizations_user_change", args=[bali_person.pk]),
        reverse("admin:organizations_office_change", args=[offices["kanwil_bali"].pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302  # "does not exist", back to the admin index


def test_a_regional_admin_edits_their_own_regional_office(regional_admin, offices):
    kanwil = offices["kanwil"]
    client = client_for(regional_admin)  # logging in writes an entry of its own
    start = last_seq()
    response = client.post(
        reverse("admin:organizations_office_change", args=[kanwil.pk]),
        office_form(kanwil, phone="021-000"),
    )
    assert response.status_code == 302, response.content
    [entry] = entries_after(start)
    assert entry.after == {"phone": "021-000"}


def test_a_regional_admin_cannot_create_a_top_office(regional_admin):
    response = client_for(regional_admin).post(
        reverse("admin:organizations_office_add"),
        office_form(
            Office(level="directorate_general", timezone="Asia/Jakarta", is_active=True),
            name="Ditjen Palsu",
            short_name="Palsu",
            code="palsu",
        ),
    )
    assert response.status_code == 403
    assert not Office.objects.filter(code="palsu").exists()


def test_a_regional_admin_cannot_move_an_office_to_another_region(regional_admin, offices):
    soetta = offices["soetta"]
    response = client_for(regional_admin).post(
        reverse("admin:organizations_office_change", args=[soetta.pk]),
        office_form(soetta, parent=offices["kanwil_bali"].pk),
    )
    assert response.status_code in (200, 403)  # refused choice, or refused save
    soetta.refresh_from_db()
    assert soetta.parent == offices["kanwil"]


def test_a_regional_admin_cannot_grant_a_role_above_their_office(regional_admin, pr_staff, offices):
    data = user_form(pr_staff)
    data.update(inline_management(1, total=2))
    data.update(
        {
            "memberships-1-user": pr_staff.pk,
            "memberships-1-office": offices["dg"].pk,
            "memberships-1-role": Role.ADMIN,
        }
    )
    response = client_for(regional_admin).post(
        reverse("admin:organizations_user_change", args=[pr_staff.pk]), data
    )
    assert response.status_code in (200, 403)
    assert not Membership.objects.filter(user=pr_staff, office=offices["dg"]).exists()


def test_a_regional_admin_cannot_take_away_a_role_held_elsewhere(regional_admin, pr_staff, offices):
    Membership.objects.create(user=pr_staff, office=offices["kanwil_bali"], role=Role.PR_STAFF)
    data = user_form(pr_staff)
    index = [m.office_id for m in pr_staff.memberships.order_by("pk")].index(
        offices["kanwil_bali"].pk
    )
    data[f"memberships-{index}-DELETE"] = "on"
    response = client_for(regional_admin).post(
        reverse("admin:organizations_user_change", args=[pr_staff.pk]), data
    )
    assert response.status_code in (200, 403)
    assert Membership.objects.filter(user=pr_staff, office=offices["kanwil_bali"]).exists()


def test_a_regional_admin_cannot_move_a_person_to_another_region(regional_admin, pr_staff, offices):
    response = client_for(regional_admin).post(
        reverse("admin:organizations_user_change", args=[pr_staff.pk]),
        user_form(pr_staff, office=offices["kanwil_bali"].pk),
    )
    assert response.status_code in (200, 403)
    pr_staff.refresh_from_db()
    assert pr_staff.office == offices["soetta"]


def test_a_regional_admin_cannot_issue_tokens_for_other_regions(regional_admin, bali_person):
    response = client_for(regional_admin).post(
        reverse("admin:organizations_apitoken_add"), {"user": bali_person.pk, "name": "x"}
    )
    assert response.status_code in (200, 403)
    assert not ApiToken.objects.exists()


def test_people_without_an_office_belong_to_the_top(administrator, regional_admin, offices):
    loose = User.objects.create_user(username="tanpa.kantor", password="x")
    top = client_for(administrator)
    assert b"tanpa.kantor" in top.get(reverse("admin:organizations_user_changelist")).content
    change = reverse("admin:organizations_user_change", args=[loose.pk])
    assert top.get(change).status_code == 200
    response = top.post(change, user_form(loose, office=offices["soetta"].pk))
    assert response.status_code == 302, response.content
    loose.refresh_from_db()
    assert loose.office == offices["soetta"]

    other = User.objects.create_user(username="lepas", password="x")
    regional = client_for(regional_admin)
    assert b"lepas" not in regional.get(reverse("admin:organizations_user_changelist")).content
    assert (
        regional.get(reverse("admin:organizations_user_change", args=[other.pk])).status_code == 302
    )


def test_the_top_admin_may_create_a_person_without_an_office(administrator):
    response = client_for(administrator).post(
        reverse("admin:organizations_user_add"),
        {
            "username": "baru",
            "password1": "Kuat#Sekali2026",
            "password2": "Kuat#Sekali2026",
            **inline_management(0),
        },
    )
    assert response.status_code == 302, response.content
    assert User.objects.get(username="baru").office is None


def test_a_regional_admin_may_not_create_a_person_without_an_office(regional_admin):
    response = client_for(regional_admin).post(
        reverse("admin:organizations_user_add"),
        {
            "username": "baru",
            "password1": "Kuat#Sekali2026",
            "password2": "Kuat#Sekali2026",
            **inline_management(0),
        },
    )
    assert response.status_code in (200, 403)
    assert not User.objects.filter(username="baru").exists()
