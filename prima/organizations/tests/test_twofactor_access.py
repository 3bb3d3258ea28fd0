"""Who may open the pages of two-step verification."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from prima.conftest import client_for

OWN_PAGES = ("twofactor", "twofactor-setup", "reauth")
OWN_ACTIONS = ("twofactor-disable", "twofactor-recovery-codes")


def test_anonymous_visitors_are_sent_to_log_in(db, head):
    client = Client()
    for name in (*OWN_PAGES, *OWN_ACTIONS):
        response = client.post(reverse(name)) if name in OWN_ACTIONS else client.get(reverse(name))
        assert response.status_code == 302 and "/accounts/login/?next=" in response["Location"], (
            name
        )
    response = client.get(reverse("twofactor-reset", args=[head.pk]))
    assert response.status_code == 302 and "/accounts/login/?next=" in response["Location"]


def test_the_second_step_pages_open_only_after_the_password(db):
    for name in ("login-code", "login-setup"):
        response = Client().get(reverse(name))
        assert response.status_code == 302 and response["Location"] == reverse("login")


def test_every_persona_opens_their_own_settings(personas):
    for persona, user in personas.items():
        client = client_for(user)
        for name in OWN_PAGES:
            assert client.get(reverse(name)).status_code == 200, (persona, name)


def test_own_actions_need_a_post(pr_staff):
    client = client_for(pr_staff)
    for name in OWN_ACTIONS:
        assert client.get(reverse(name)).status_code == 405, name


def test_only_administrators_over_the_person_s_office_may_reset(personas):
    head = personas["head"]
    url = reverse("twofactor-reset", args=[head.pk])
    expected = {
        "pr_staff": 403,
        "pr_staff2": 403,
        "pr_lead": 403,
        "spokesperson": 403,
        "regional_supervisor": 403,
        "dg_supervisor": 403,
        "administrator": 200,
        "outsider": 404,
    }
    for persona, status in expected.items():
        assert client_for(personas[persona]).get(url).status_code == status, persona
    # Nobody resets their own (that would turn off the factor without a witness).
    admin_url = reverse("twofactor-reset", args=[personas["administrator"].pk])
    assert client_for(personas["administrator"]).get(admin_url).status_code == 403
    assert (
        client_for(personas["administrator"])
        .get(reverse("twofactor-reset", args=[99999]))
        .status_code
        == 404
    )


def test_the_person_page_shows_the_factor_and_offers_the_reset_to_administrators(personas):
    head = personas["head"]
    url = reverse("person-detail", kwargs={"pk": head.pk})
    reset = reverse("twofactor-reset", args=[head.pk])
    page = client_for(personas["administrator"]).get(url).content.decode()
    assert 'data-testid="second-factor"' in page and reset in page
    page = client_for(personas["regional_supervisor"]).get(url).content.decode()
    assert 'data-testid="second-factor"' in page and reset not in page
