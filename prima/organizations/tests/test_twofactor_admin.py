"""Two-step verification in the admin and on the command line: the requirement per role,
re-authentication before role changes, the reset command."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from prima.conftest import client_for
from prima.organizations import twofactor
from prima.organizations.models import AuditEntry, Role, TwoFactorRequirement

from .test_admin_audit import inline_management, user_form
from .test_twofactor import enrolled


def stale(client: Client) -> Client:
    session = client.session
    session["prima_verified_at"] = 0
    session.save()
    return client


def test_every_role_has_a_requirement_row_with_the_defaults(db):
    rows = dict(TwoFactorRequirement.objects.values_list("role", "required"))
    assert rows == {
        Role.PR_STAFF: False,
        Role.PR_LEAD: False,
        Role.SPOKESPERSON: False,
        Role.HEAD: True,
        Role.SUPERVISOR: True,
        Role.ADMIN: True,
    }


def test_administrators_set_the_requirement_in_the_admin_and_it_is_audited(administrator):
    client = client_for(administrator)
    url = reverse("admin:organizations_twofactorrequirement_changelist")
    assert client.get(url).status_code == 200
    row = TwoFactorRequirement.objects.get(role=Role.PR_LEAD)
    response = client.post(
        reverse("admin:organizations_twofactorrequirement_change", args=[row.pk]),
        {"required": "on"},
    )
    assert response.status_code == 302
    assert TwoFactorRequirement.objects.get(role=Role.PR_LEAD).required
    entry = AuditEntry.objects.get(action="twofactor.requirement")
    assert entry.after == {"required": True} and entry.actor == administrator


def test_only_top_administrators_see_the_requirement(personas, offices):
    url = reverse("admin:organizations_twofactorrequirement_changelist")
    for name in ("head", "regional_supervisor", "pr_staff"):
        assert client_for(personas[name]).get(url).status_code in (302, 403), name


def test_changing_roles_needs_a_fresh_confirmation(administrator, pr_staff, offices):
    client = stale(client_for(administrator))
    url = reverse("admin:organizations_user_change", args=[pr_staff.pk])
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("reauth"))
    data = user_form(pr_staff)
    data.update(inline_management(1, total=2))
    data.update(
        {
            "memberships-1-user": pr_staff.pk,
            "memberships-1-office": offices["soetta"].pk,
            "memberships-1-role": Role.SPOKESPERSON,
        }
    )
    response = client.post(url, data, HTTP_REFERER="http://testserver" + url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("reauth"))
    assert set(pr_staff.memberships.values_list("role", flat=True)) == {Role.PR_STAFF}
    # The user list itself stays open.
    assert client.get(reverse("admin:organizations_user_changelist")).status_code == 200


def test_the_user_page_shows_the_factor_and_links_the_reset(administrator, head):
    enrolled(head)
    response = client_for(administrator).get(
        reverse("admin:organizations_user_change", args=[head.pk])
    )
    assert reverse("twofactor-reset", args=[head.pk]) in response.content.decode()


def test_the_reset_command(head, capsys):
    enrolled(head)
    with pytest.raises(CommandError):
        call_command("reset_2fa", "budi", "--reason", " ")
    with pytest.raises(CommandError):
        call_command("reset_2fa", "nobody", "--reason", "x")
    call_command("reset_2fa", "budi", "--reason", "Ponsel hilang")
    assert not twofactor.has_device(head)
    entry = AuditEntry.objects.get(action="twofactor.reset")
    assert entry.actor is None and entry.after["reason"] == "Ponsel hilang"
    assert "reset" in capsys.readouterr().out


def test_bulk_actions_on_people_need_a_fresh_confirmation(administrator, pr_staff):
    client = stale(client_for(administrator))
    url = reverse("admin:organizations_user_changelist")
    response = client.post(
        url,
        {"action": "deactivate_selected", "_selected_action": [pr_staff.pk]},
        HTTP_REFERER="http://testserver" + url,
    )
    assert response.status_code == 302 and response["Location"].startswith(reverse("reauth"))
    pr_staff.refresh_from_db()
    assert pr_staff.is_active
