"""Access to the account lifecycle pages: people per office, invitations, one's own
sessions, and the public invitation and password-reset pages."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from prima.conftest import client_for
from prima.organizations import accounts
from prima.organizations.models import Invitation, Role, User, UserSession

LOGIN = reverse("login")


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _to_login(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(LOGIN)


STAFF_URLS = [
    ("get", "people-list", {}),
    ("get", "people-invite", {}),
    ("post", "invitation-withdraw", {"pk": 1}),
    ("get", "person-detail", {"pk": 1}),
    ("post", "person-deactivate", {"pk": 1}),
    ("post", "person-reactivate", {"pk": 1}),
    ("post", "person-reset-password", {"pk": 1}),
    ("post", "person-end-sessions", {"pk": 1}),
    ("get", "my-sessions", {}),
    ("post", "my-session-end", {"pk": 1}),
    ("post", "my-sessions-end-others", {}),
]


@pytest.mark.parametrize(("method", "name", "kwargs"), STAFF_URLS)
def test_anonymous_visitors_are_sent_to_log_in(db, method, name, kwargs):
    response = getattr(Client(), method)(reverse(name, kwargs=kwargs))
    assert _to_login(response)


def test_who_sees_the_people_list(personas):
    expected = {
        "pr_staff": 403,
        "spokesperson": 403,
        "pr_lead": 200,
        "head": 200,
        "regional_supervisor": 200,
        "administrator": 200,
        "outsider": 403,
    }
    for name, status in expected.items():
        response = client_for(personas[name]).get(reverse("people-list"))
        assert response.status_code == status, name


def test_the_people_list_shows_roles_status_and_last_sign_in(personas):
    rina = personas["pr_staff"]
    client_for(rina)  # signs in: last activity
    accounts.deactivate(personas["administrator"], personas["pr_staff2"])
    response = client_for(personas["administrator"], "id").get(
        reverse("people-list"), {"status": "all"}
    )
    html = response.content.decode()
    assert "Rina Wulandari" in html and "Dimas Prasetyo" in html
    assert "tidak aktif" in html and "Staf humas" in html
    assert 'data-testid="invite"' in html


def test_the_people_list_keeps_to_the_office_tree(personas):
    html = client_for(personas["head"]).get(reverse("people-list")).content.decode()
    assert "Rina Wulandari" in html
    assert "Yusuf Maulana" not in html  # Jakarta Pusat
    assert "Maya Kusuma" not in html  # the Kanwil above


def test_the_people_list_filters_by_office(personas, offices):
    response = client_for(personas["administrator"]).get(
        reverse("people-list"), {"office": offices["jakpus"].pk}
    )
    html = response.content.decode()
    assert "Yusuf Maulana" in html and "Rina Wulandari" not in html


def test_who_may_open_a_persons_page(personas):
    rina = personas["pr_staff"]
    url = reverse("person-detail", kwargs={"pk": rina.pk})
    expected = {
        "pr_staff2": 404,
        "outsider": 404,
        "head": 200,
        "regional_supervisor": 200,
        "administrator": 200,
    }
    for name, status in expected.items():
        assert client_for(personas[name]).get(url).status_code == status, name
    html = client_for(personas["administrator"]).get(url).content.decode()
    assert 'data-testid="deactivate"' in html and 'data-testid="reset-password"' in html
    assert 'data-testid="edit-in-admin"' in html
    html = client_for(personas["head"]).get(url).content.decode()
    assert 'data-testid="deactivate"' not in html and 'data-testid="edit-in-admin"' not in html


@pytest.mark.parametrize(
    "name",
    ["person-deactivate", "person-reactivate", "person-reset-password", "person-end-sessions"],
)
def test_who_may_act_on_a_person(personas, name):
    rina = personas["pr_staff"]
    url = reverse(name, kwargs={"pk": rina.pk})
    assert client_for(personas["outsider"]).post(url).status_code == 404
    assert client_for(personas["pr_staff2"]).post(url).status_code == 404
    assert client_for(personas["head"]).post(url).status_code == 403
    assert client_for(personas["regional_supervisor"]).post(url).status_code == 403
    response = client_for(personas["administrator"]).post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("person-detail", kwargs={"pk": rina.pk})


def test_deactivating_from_the_page_ends_the_session(personas):
    rina = personas["pr_staff"]
    browser = client_for(rina)
    client_for(personas["administrator"]).post(
        reverse("person-deactivate", kwargs={"pk": rina.pk}), {"reason": "pindah tugas"}
    )
    rina.refresh_from_db()
    assert not rina.is_active
    assert _to_login(browser.get(reverse("home")))
    page = client_for(personas["administrator"], "id").get(
        reverse("person-detail", kwargs={"pk": rina.pk})
    )
    assert "pindah tugas" in page.content.decode()
    assert 'data-testid="reactivate"' in page.content.decode()


def test_who_may_invite(personas, offices, mailoutbox):
    url = reverse("people-invite")
    for name in ("pr_staff", "pr_lead", "head", "regional_supervisor", "outsider"):
        assert client_for(personas[name]).get(url).status_code == 403, name
    admin = client_for(personas["administrator"], "id")
    response = admin.get(url)
    assert response.status_code == 200 and "Undang pengguna" in response.content.decode()
    response = admin.post(
        url,
        {"email": "dewi@imigrasi.go.id", "office": offices["soetta"].pk, "role": Role.PR_STAFF},
    )
    assert response.status_code == 302 and response["Location"] == reverse("people-list")
    assert mailoutbox[-1].to == ["dewi@imigrasi.go.id"]


def test_withdrawing_an_invitation(personas, offices, mailoutbox):
    invitation, _sent = accounts.invite(
        personas["administrator"],
        email="dewi@imigrasi.go.id",
        office=offices["soetta"],
        role="pr_staff",
    )
    url = reverse("invitation-withdraw", kwargs={"pk": invitation.pk})
    assert client_for(personas["outsider"]).post(url).status_code == 404
    assert client_for(personas["head"]).post(url).status_code == 403
    assert client_for(personas["administrator"]).post(url).status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_an_unknown_invitation_link_is_gone(db):
    response = Client().get(reverse("invitation-accept", kwargs={"token": "nonsense"}))
    assert response.status_code == 410
    assert not Invitation.objects.exists()


def test_everyone_sees_only_their_own_sessions(pr_staff, pr_staff2):
    client_for(pr_staff2)
    rina = client_for(pr_staff, "id")
    response = rina.get(reverse("my-sessions"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-testid="session"') == 1
    assert 'data-testid="this-session"' in html


def test_ending_ones_own_sessions(pr_staff, pr_staff2):
    other = client_for(pr_staff)
    me = client_for(pr_staff)
    dimas = client_for(pr_staff2)
    others_row = UserSession.objects.get(session_key=other.session.session_key)
    dimas_row = UserSession.objects.get(user=pr_staff2)
    # Someone else's session is not mine to end.
    url = reverse("my-session-end", kwargs={"pk": dimas_row.pk})
    assert me.post(url).status_code == 404
    assert dimas.get(reverse("home")).status_code == 200
    assert me.post(reverse("my-session-end", kwargs={"pk": others_row.pk})).status_code == 302
    assert _to_login(other.get(reverse("home")))
    third = client_for(pr_staff)
    assert me.post(reverse("my-sessions-end-others")).status_code == 302
    assert _to_login(third.get(reverse("home")))
    assert me.get(reverse("home")).status_code == 200


def test_the_password_reset_pages_are_public(db):
    client = Client()
    assert client.get(reverse("password-reset")).status_code == 200
    assert client.get(reverse("password-reset-done")).status_code == 200
    assert client.get(reverse("password-reset-complete")).status_code == 200
    url = reverse("password-reset-confirm", kwargs={"uidb64": "x", "token": "y"})
    response = client.get(url)
    assert response.status_code == 200 and b"reset-invalid" in response.content


def test_the_log_in_page_offers_the_reset(db):
    assert b'data-testid="forgot-password"' in Client().get(LOGIN).content


def test_an_invited_administrator_gets_staff_status(personas, offices, mailoutbox):
    import re

    accounts.invite(
        personas["administrator"],
        email="ops@imigrasi.go.id",
        office=offices["kanwil"],
        role="admin",
    )
    token = re.search(r"/accounts/invitation/([^/\s]+)/", mailoutbox[-1].body).group(1)
    accounts.accept_invitation(
        token, username="ops", full_name="Ops", password="Kata-Sandi-Baru-2026"
    )
    assert User.objects.get(username="ops").is_staff


def test_the_people_list_does_not_grow_queries_with_people(
    personas, offices, django_assert_max_num_queries
):
    from prima.conftest import make_person

    admin = client_for(personas["administrator"])
    admin.get(reverse("people-list"))  # warm caches (session, translations)
    with django_assert_max_num_queries(20) as few:
        admin.get(reverse("people-list"))
    for i in range(15):
        make_person(f"staf{i}", offices["soetta"], Role.PR_STAFF)
        client_for(User.objects.get(username=f"staf{i}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = admin.get(reverse("people-list"))
    assert response.content.decode().count('data-testid="person"') >= 24


@pytest.mark.parametrize(
    "name", ["person-deactivate", "person-reset-password", "person-end-sessions"]
)
def test_a_stale_session_confirms_first_and_nothing_changes(personas, name):
    rina = personas["pr_staff"]
    rina.email = "rina@imigrasi.go.id"
    rina.save()
    browser = client_for(rina)
    admin = client_for(personas["administrator"])
    session = admin.session
    session["prima_verified_at"] = 0
    session.save()
    response = admin.post(reverse(name, kwargs={"pk": rina.pk}))
    assert response.status_code == 302 and response["Location"].startswith(reverse("reauth"))
    rina.refresh_from_db()
    assert rina.is_active and rina.has_usable_password()
    assert browser.get(reverse("home")).status_code == 200


def test_inviting_from_a_stale_session_confirms_first(personas, offices, mailoutbox):
    admin = client_for(personas["administrator"])
    session = admin.session
    session["prima_verified_at"] = 0
    session.save()
    response = admin.post(
        reverse("people-invite"),
        {"email": "dewi@imigrasi.go.id", "office": offices["soetta"].pk, "role": Role.PR_STAFF},
    )
    assert response.status_code == 302 and response["Location"].startswith(reverse("reauth"))
    assert not Invitation.objects.exists() and not mailoutbox


def test_sessions_name_the_browser_and_system(pr_staff):
    client = client_for(pr_staff)
    UserSession.objects.filter(user=pr_staff).update(
        user_agent="Mozilla/5.0 (Linux; Android 14) Chrome/120.0 Mobile Safari/537.36"
    )
    assert "Chrome · Android" in client.get(reverse("my-sessions")).content.decode()
