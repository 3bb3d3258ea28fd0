import pytest
from django.core.management import CommandError, call_command

from prima.organizations import audit, policy
from prima.organizations.models import AuditEntry, Office, User

pytestmark = pytest.mark.django_db


def test_it_creates_the_top_office_and_an_audited_administrator(monkeypatch):
    monkeypatch.setenv("PRIMA_BOOTSTRAP_PASSWORD", "Kuat#Sekali2026")
    call_command("bootstrap", "--username", "admin.pusat", "--full-name", "Admin Pusat")
    office = Office.objects.get(parent__isnull=True)
    user = User.objects.get(username="admin.pusat")
    assert user.check_password("Kuat#Sekali2026") and user.is_staff
    assert policy.can(user, "user.manage", office)
    assert list(AuditEntry.objects.order_by("seq").values_list("action", flat=True)) == [
        "office.create",
        "user.create",
        "membership.create",
    ]
    assert audit.verify() == []


def test_it_refuses_a_weak_password_and_changes_nothing(monkeypatch):
    monkeypatch.setenv("PRIMA_BOOTSTRAP_PASSWORD", "12345678")
    with pytest.raises(CommandError):
        call_command("bootstrap", "--username", "admin.pusat")
    assert not Office.objects.exists() and not User.objects.exists()


def test_it_refuses_a_database_that_has_a_top_office(monkeypatch, offices):
    monkeypatch.setenv("PRIMA_BOOTSTRAP_PASSWORD", "Kuat#Sekali2026")
    with pytest.raises(CommandError, match="already has a top office"):
        call_command("bootstrap", "--username", "admin.pusat")
