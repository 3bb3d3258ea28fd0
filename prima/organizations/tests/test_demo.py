"""Demo offices and people: loaded once, audited, refused in production."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from prima.organizations import audit, demo, policy
from prima.organizations.models import AuditEntry, Membership, Office, User


def test_it_loads_the_office_tree_and_one_person_per_role(db):
    demo.load_organizations(lambda _text: None)
    assert Office.objects.count() == len(demo.OFFICES)
    soetta = Office.objects.get(code=demo.SOETTA)
    assert [o.code for o in soetta.ancestors()] == ["ditjen-imigrasi", "kanwil-dki-jakarta"]
    assert User.objects.count() == len(demo.PEOPLE)
    humas = User.objects.get(username="humas")
    assert humas.check_password(settings.DEMO_PASSWORD)
    assert policy.can(humas, "office.view", soetta)
    jakpus = User.objects.get(username="humas.jakpus")
    assert not policy.can(jakpus, "office.view", soetta)
    assert User.objects.get(username="admin").is_staff


def test_loading_twice_changes_nothing(db):
    demo.load_organizations(lambda _text: None)
    counts = (
        Office.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        AuditEntry.objects.count(),
    )
    demo.load_organizations(lambda _text: None)
    assert counts == (
        Office.objects.count(),
        User.objects.count(),
        Membership.objects.count(),
        AuditEntry.objects.count(),
    )


def test_every_demo_row_is_audited(db):
    demo.load_organizations(lambda _text: None)
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert actions.count("office.create") == len(demo.OFFICES)
    assert actions.count("user.create") == len(demo.PEOPLE)
    assert actions.count("membership.create") == Membership.objects.count()
    assert audit.verify() == []


def test_it_is_refused_when_debug_is_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="PRIMA_DEBUG"):
        call_command("demo")
    assert not Office.objects.exists()


def test_personas_whose_role_requires_it_have_the_documented_demo_factor(db):
    import pyotp

    from prima.organizations import twofactor

    demo.load_organizations(lambda _text: None)
    enrolled = {u.username for u in User.objects.all() if twofactor.has_device(u)}
    assert enrolled == {"kakanim", "kanwil", "ditjen", "admin"}
    kakanim = User.objects.get(username="kakanim")
    code = pyotp.TOTP(demo.DEMO_TOTP_SECRET).now()
    assert twofactor.verify(kakanim, code, ip=None, context="login").ok
    readme = (settings.BASE_DIR / "README.md").read_text(encoding="utf-8")
    assert demo.DEMO_TOTP_SECRET in readme


def test_the_demo_has_a_deactivated_account_and_an_open_invitation(db, settings, mailoutbox):
    from prima.organizations import accounts

    settings.DEBUG = True
    demo.load_organizations(lambda _text: None)
    demo.load_accounts(lambda _text: None)
    demo.load_accounts(lambda _text: None)  # twice: nothing new
    former = User.objects.get(username="humas.lama")
    assert not former.is_active and former.memberships.exists()
    admin = User.objects.get(username="admin")
    assert accounts.pending_invitations(admin).count() == 1
    assert len(mailoutbox) == 1
    assert audit.verify() == []
