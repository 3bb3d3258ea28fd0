"""Every change made in the admin writes exactly one audit entry (and none without change)."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from prima.conftest import client_for
from prima.organizations.models import ApiToken, LoginFailure, Membership, Office, Role, User

from .helpers import entries_after, last_seq

OFFICE_FIELDS = [
    "name",
    "short_name",
    "code",
    "level",
    "parent",
    "timezone",
    "city",
    "address",
    "phone",
    "email",
    "website",
]


def office_form(office: Office, **changes) -> dict:
    data = {f: getattr(office, f"{f}_id" if f == "parent" else f) or "" for f in OFFICE_FIELDS}
    if office.is_active:
        data["is_active"] = "on"
    data.update(changes)
    return data


def inline_management(initial: int, total: int | None = None) -> dict:
    return {
        "memberships-TOTAL_FORMS": str(initial if total is None else total),
        "memberships-INITIAL_FORMS": str(initial),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }


def user_form(user: User, **changes) -> dict:
    data = {
        "username": user.username,
        "full_name": user.full_name,
        "title": user.title,
        "email": user.email,
        "phone": user.phone,
        "office": user.office_id or "",
    }
    if user.is_active:
        data["is_active"] = "on"
    if user.is_staff:
        data["is_staff"] = "on"
    memberships = list(user.memberships.order_by("pk"))
    data.update(inline_management(len(memberships)))
    for i, m in enumerate(memberships):
        data.update(
            {
                f"memberships-{i}-id": m.pk,
                f"memberships-{i}-user": user.pk,
                f"memberships-{i}-office": m.office_id,
                f"memberships-{i}-role": m.role,
            }
        )
    data.update(changes)
    return data


@pytest.fixture
def admin_client(administrator):
    return client_for(administrator)


def test_creating_an_office_writes_one_entry(admin_client, administrator, offices):
    start = last_seq()
    response = admin_client.post(
        reverse("admin:organizations_office_add"),
        office_form(
            Office(level="office", timezone="Asia/Jakarta", is_active=True),
            name="Kantor Imigrasi Kelas I Tangerang",
            short_name="Kanim Tangerang",
            code="kanim-tangerang",
            parent=offices["kanwil"].pk,
        ),
    )
    assert response.status_code == 302, response.content
    office = Office.objects.get(code="kanim-tangerang")
    [entry] = entries_after(start)
    assert (entry.action, entry.actor, entry.object_id) == (
        "office.create",
        administrator,
        str(office.pk),
    )
    assert entry.before is None and entry.after["path"] == office.path
    assert entry.ip == "127.0.0.1"


def test_changing_an_office_writes_one_entry(admin_client, offices):
    soetta = offices["soetta"]
    start = last_seq()
    response = admin_client.post(
        reverse("admin:organizations_office_change", args=[soetta.pk]),
        office_form(soetta, city="Tangerang"),
    )
    assert response.status_code == 302, response.content
    [entry] = entries_after(start)
    assert entry.action == "office.update"
    assert (entry.before, entry.after) == ({"city": ""}, {"city": "Tangerang"})


def test_saving_an_unchanged_office_writes_nothing(admin_client, offices):
    soetta = offices["soetta"]
    start = last_seq()
    response = admin_client.post(
        reverse("admin:organizations_office_change", args=[soetta.pk]), office_form(soetta)
    )
    assert response.status_code == 302
    assert entries_after(start) == []


def test_creating_a_user_writes_one_entry(admin_client, offices):
    start = last_seq()
    data = {
        "username": "rudi",
        "full_name": "Rudi Hartono",
        "office": offices["soetta"].pk,
        "password1": "Kuat#Sekali2026",
        "password2": "Kuat#Sekali2026",
        **inline_management(0),
    }
    response = admin_client.post(reverse("admin:organizations_user_add"), data)
    assert response.status_code == 302, response.content
    user = User.objects.get(username="rudi")
    [entry] = entries_after(start)
    assert (entry.action, entry.object_id) == ("user.create", str(user.pk))
    assert "password" not in entry.after
    assert entry.office == offices["soetta"]


def test_changing_a_user_writes_one_entry(admin_client, pr_staff):
    start = last_seq()
    response = admin_client.post(
        reverse("admin:organizations_user_change", args=[pr_staff.pk]),
        user_form(pr_staff, title="Pranata Humas Ahli Muda"),
    )
    assert response.status_code == 302, response.content
    [entry] = entries_after(start)
    assert entry.action == "user.update"
    assert entry.after == {"title": "Pranata Humas Ahli Muda"}


def test_saving_an_unchanged_user_writes_nothing(admin_client, pr_staff):
    start = last_seq()
    response = admin_client.post(
        reverse("admin:organizations_user_change", args=[pr_staff.pk]), user_form(pr_staff)
    )
    assert response.status_code == 302, response.content
    assert entries_after(start) == []


def test_adding_a_role_in_the_inline_writes_one_entry(admin_client, pr_staff, offices):
    start = last_seq()
    data = user_form(pr_staff)
    data.update(inline_management(1, total=2))
    data.update(
        {
            "memberships-1-user": pr_staff.pk,
            "memberships-1-office": offices["soetta"].pk,
            "memberships-1-role": Role.SPOKESPERSON,
        }
    )
    response = admin_client.post(
        reverse("admin:organizations_user_change", args=[pr_staff.pk]), data
    )
    assert response.status_code == 302, response.content
    [entry] = entries_after(start)
    assert entry.action == "membership.create"
    assert entry.after["role"] == Role.SPOKESPERSON
    assert set(pr_staff.memberships.values_list("role", flat=True)) == {
        Role.PR_STAFF,
        Role.SPOKESPERSON,
    }


def test_removing_a_role_in_the_inline_writes_one_entry(admin_client, pr_staff):
    membership = pr_staff.memberships.get()
    start = last_seq()
    data = user_form(pr_staff, **{"memberships-0-DELETE": "on"})
    response = admin_client.post(
        reverse("admin:organizations_user_change", args=[pr_staff.pk]), data
    )
    assert response.status_code == 302, response.content
    [entry] = entries_after(start)
    assert (entry.action, entry.object_id) == ("membership.delete", str(membership.pk))
    assert entry.before["role"] == Role.PR_STAFF and entry.after is None
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_changing_a_password_writes_one_entry(admin_client, pr_staff):
    start = last_seq()
    response = admin_client.post(
        reverse("admin:auth_user_password_change", args=[pr_staff.pk]),
        {
            "password1": "Baru#Sekali2026",
            "password2": "Baru#Sekali2026",
            "usable_password": "true",
            "set-password": "1",
        },
    )
    assert response.status_code == 302, response.content
    pr_staff.refresh_from_db()
    assert pr_staff.check_password("Baru#Sekali2026")
    [entry] = entries_after(start)
    assert (entry.action, entry.object_id) == ("user.password_change", str(pr_staff.pk))
    assert "Baru" not in str(entry.before) + str(entry.after)


def test_creating_an_api_token_writes_one_entry_and_shows_the_key_once(admin_client, pr_staff):
    start = last_seq()
    response = admin_client.post(
        reverse("admin:organizations_apitoken_add"),
        {"user": pr_staff.pk, "name": "jembatan media sosial"},
    )
    assert response.status_code == 302, response.content
    token = ApiToken.objects.get(user=pr_staff)
    [entry] = entries_after(start)
    assert (entry.action, entry.object_id) == ("apitoken.create", str(token.pk))
    assert "key_hash" not in entry.after
    words = " ".join(str(m) for m in get_messages(response.wsgi_request)).split()
    [key] = [word for word in words if word.startswith(ApiToken.PREFIX)]
    assert ApiToken.hash_key(key) == token.key_hash
    assert key not in str(entry.after)


def test_revoking_an_api_token_writes_one_entry(admin_client, pr_staff):
    token = ApiToken.objects.create(
        user=pr_staff, name="bot", key_prefix="prima_x", key_hash="h" * 64
    )
    start = last_seq()
    response = admin_client.post(
        reverse("admin:organizations_apitoken_change", args=[token.pk]),
        {
            "user": pr_staff.pk,
            "name": "bot",
            "revoked_at_0": "2026-11-26",
            "revoked_at_1": "10:00:00",
        },
    )
    assert response.status_code == 302, response.content
    [entry] = entries_after(start)
    assert entry.action == "apitoken.update"
    assert entry.before == {"revoked_at": None} and entry.after["revoked_at"]


def test_unlocking_a_log_in_writes_one_entry_per_failure_removed(admin_client):
    failures = [LoginFailure.objects.create(username="rina", ip="10.1.1.1") for _ in range(2)]
    start = last_seq()
    response = admin_client.post(
        reverse("admin:organizations_loginfailure_changelist"),
        {"action": "delete_selected", "_selected_action": [f.pk for f in failures], "post": "yes"},
    )
    assert response.status_code == 302, response.content
    assert not LoginFailure.objects.exists()
    entries = entries_after(start)
    assert [e.action for e in entries] == ["loginfailure.delete"] * 2
    assert entries[0].before["username"] == "rina"


def test_a_login_failure_can_be_looked_at(admin_client):
    failure = LoginFailure.objects.create(username="rina", ip="10.1.1.1")
    url = reverse("admin:organizations_loginfailure_change", args=[failure.pk])
    assert admin_client.get(url).status_code == 200


def test_unticking_active_in_the_admin_deactivates_through_the_lifecycle(admin_client, pr_staff):
    from prima.organizations.models import UserSession

    browser = client_for(pr_staff)
    key = ApiToken.new_key()
    ApiToken.objects.create(
        user=pr_staff, name="bot", key_prefix=key[:12], key_hash=ApiToken.hash_key(key)
    )
    start = last_seq()
    data = user_form(pr_staff)
    del data["is_active"]
    url = reverse("admin:organizations_user_change", args=[pr_staff.pk])
    assert admin_client.post(url, data).status_code == 302
    assert [e.action for e in entries_after(start)] == ["user.deactivate"]
    pr_staff.refresh_from_db()
    assert not pr_staff.is_active
    assert not UserSession.objects.filter(user=pr_staff).exists()
    assert ApiToken.objects.get(user=pr_staff).revoked_at is not None
    assert browser.get(reverse("home")).status_code == 302
    data["is_active"] = "on"
    assert admin_client.post(url, data).status_code == 302
    pr_staff.refresh_from_db()
    assert pr_staff.is_active
    assert [e.action for e in entries_after(start)] == ["user.deactivate", "user.reactivate"]


def test_the_admin_resets_passwords_and_ends_sessions_through_the_lifecycle(
    admin_client, pr_staff, mailoutbox
):
    pr_staff.email = "rina@imigrasi.go.id"
    pr_staff.save()
    browser = client_for(pr_staff)
    url = reverse("admin:organizations_user_changelist")
    start = last_seq()
    response = admin_client.post(
        url, {"action": "end_sessions_selected", "_selected_action": [pr_staff.pk]}
    )
    assert response.status_code == 302
    assert browser.get(reverse("home")).status_code == 302
    response = admin_client.post(
        url, {"action": "reset_password_selected", "_selected_action": [pr_staff.pk]}
    )
    assert response.status_code == 302
    pr_staff.refresh_from_db()
    assert not pr_staff.has_usable_password()
    assert mailoutbox[-1].to == ["rina@imigrasi.go.id"]
    assert [e.action for e in entries_after(start)] == [
        "user.sessions_ended",
        "user.password_reset_by_admin",
    ]
