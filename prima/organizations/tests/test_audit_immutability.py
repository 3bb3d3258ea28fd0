"""Audit entries cannot be changed or removed: not through the ORM, the admin or the API."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from prima.conftest import client_for
from prima.organizations import audit
from prima.organizations.models import AuditEntry


@pytest.fixture
def entry(offices, head) -> AuditEntry:
    with audit.tracking(head, "office.update", offices["soetta"]):
        offices["soetta"].city = "Tangerang"
        offices["soetta"].save()
    return AuditEntry.objects.get(action="office.update")


def _unchanged(entry: AuditEntry) -> None:
    fresh = AuditEntry.objects.get(pk=entry.pk)
    assert (fresh.action, fresh.object_label, fresh.hash) == (
        "office.update",
        entry.object_label,
        entry.hash,
    )
    assert audit.verify() == []


def test_an_entry_cannot_be_saved_again(entry):
    entry.object_label = "forged"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.save(update_fields=["object_label"])
    entry.object_label = AuditEntry.objects.get(pk=entry.pk).object_label
    _unchanged(entry)


def test_an_entry_cannot_be_deleted(entry):
    with pytest.raises(PermissionError):
        entry.delete()
    _unchanged(entry)


@pytest.mark.parametrize(
    "attempt",
    [
        lambda qs: qs.update(object_label="forged"),
        lambda qs: qs.delete(),
        lambda qs: qs.filter(action="office.update").update(action="x"),
        lambda qs: AuditEntry.objects.bulk_update([qs.get()], ["object_label"]),
    ],
    ids=["update", "delete", "filtered-update", "bulk-update"],
)
def test_querysets_cannot_update_or_delete_entries(entry, attempt):
    with pytest.raises(PermissionError), transaction.atomic():
        attempt(AuditEntry.objects.all())
    _unchanged(entry)


def test_entries_cannot_be_created_around_audit_log(offices):
    with pytest.raises(PermissionError):
        AuditEntry.objects.create(
            seq=99,
            at=timezone.now(),
            actor_label="x",
            action="forged",
            object_type="x",
            object_id="1",
            object_label="x",
            prev_hash="0" * 64,
            hash="f" * 64,
        )


# --- the admin --------------------------------------------------------------------------


def test_the_admin_shows_entries_read_only(entry, administrator):
    client = client_for(administrator)
    changelist = client.get(reverse("admin:organizations_auditentry_changelist"))
    assert changelist.status_code == 200
    assert b"office.update" in changelist.content
    assert b'name="action"' not in changelist.content  # no bulk actions (delete)
    assert reverse("admin:organizations_auditentry_add").encode() not in changelist.content

    change_url = reverse("admin:organizations_auditentry_change", args=[entry.pk])
    page = client.get(change_url)
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert b'name="_continue"' not in page.content
    assert reverse("admin:organizations_auditentry_delete", args=[entry.pk]).encode() not in (
        page.content
    )


def test_the_admin_refuses_to_add_change_or_delete_entries(entry, administrator):
    client = client_for(administrator)
    add = reverse("admin:organizations_auditentry_add")
    change = reverse("admin:organizations_auditentry_change", args=[entry.pk])
    delete = reverse("admin:organizations_auditentry_delete", args=[entry.pk])
    assert client.get(add).status_code == 403
    assert client.post(add, {"action": "forged"}).status_code == 403
    assert client.post(change, {"object_label": "forged"}).status_code == 403
    assert client.get(delete).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    _unchanged(entry)


# --- the API ----------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_api_has_no_write_endpoint_for_entries(entry, administrator, method):
    client = client_for(administrator)
    for url in ("/api/v1/audit", f"/api/v1/audit/{entry.seq}"):
        response = getattr(client, method)(url, data={}, content_type="application/json")
        assert response.status_code in (404, 405), (url, response.status_code)
    response = getattr(client, method)("/api/v1/audit", data={}, content_type="application/json")
    assert response.status_code == 405
    _unchanged(entry)
