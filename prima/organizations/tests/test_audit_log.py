"""audit.log, snapshot, tracking and log_deletion: one entry per change, none without."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from prima.organizations import audit
from prima.organizations.models import AuditChainHead, AuditEntry, Membership, Office, Role

from .helpers import entries_after, last_seq


def test_tracking_writes_one_entry_with_only_the_changed_fields(offices, head):
    soetta = offices["soetta"]
    start = last_seq()
    with audit.tracking(head, "office.update", soetta):
        soetta.city = "Tangerang"
        soetta.phone = "021-5507088"
        soetta.save()
    [entry] = entries_after(start)
    assert entry.action == "office.update"
    assert entry.actor == head and entry.actor_label == "budi"
    assert entry.object_type == "organizations.office"
    assert entry.object_id == str(soetta.pk)
    assert entry.object_label == soetta.name
    assert entry.office == soetta
    assert entry.before == {"city": "", "phone": ""}
    assert entry.after == {"city": "Tangerang", "phone": "021-5507088"}


def test_it_writes_nothing_when_nothing_changed(offices, head):
    soetta = offices["soetta"]
    start = last_seq()
    with audit.tracking(head, "office.update", soetta):
        soetta.save()  # bumps updated_at only: bookkeeping, not a change
    with transaction.atomic():
        same = audit.snapshot(soetta)
        assert audit.log(head, "office.update", soetta, before=same, after=same) is None
    assert entries_after(start) == []


def test_only_if_changed_false_writes_an_entry_anyway(offices, head):
    soetta = offices["soetta"]
    start = last_seq()
    with transaction.atomic():
        same = audit.snapshot(soetta)
        audit.log(head, "office.confirm", soetta, before=same, after=same, only_if_changed=False)
    [entry] = entries_after(start)
    assert entry.before == {} and entry.after == {}


def test_a_creation_records_the_new_state(offices, administrator):
    start = last_seq()
    office = Office(
        code="kanim-tangerang",
        name="Kanim Tangerang",
        short_name="Tangerang",
        level="office",
        parent=offices["kanwil"],
    )
    with audit.tracking(administrator, "office.create", office):
        office.save()
    [entry] = entries_after(start)
    assert entry.before is None
    assert entry.after["code"] == "kanim-tangerang"
    assert entry.after["path"] == office.path
    assert entry.after["parent"] == offices["kanwil"].pk


def test_a_deletion_records_the_old_state_and_deletes(offices, pr_staff, administrator):
    membership = Membership.objects.get(user=pr_staff)
    pk = membership.pk
    start = last_seq()
    audit.log_deletion(administrator, "membership.delete", membership)
    assert not Membership.objects.filter(pk=pk).exists()
    [entry] = entries_after(start)
    assert entry.action == "membership.delete"
    assert entry.object_type == "organizations.membership" and entry.object_id == str(pk)
    assert entry.before["role"] == Role.PR_STAFF and entry.after is None
    assert entry.office == offices["soetta"]


def test_the_entry_rolls_back_with_the_change(offices, head):
    soetta = offices["soetta"]
    start = last_seq()
    head_before = AuditChainHead.objects.filter(id=1).values_list("seq", flat=True).first()
    with pytest.raises(ZeroDivisionError), audit.tracking(head, "office.update", soetta):
        soetta.city = "Nowhere"
        soetta.save()
        1 / 0  # the change fails after the save
    assert entries_after(start) == []
    assert Office.objects.get(pk=soetta.pk).city == ""
    assert AuditChainHead.objects.filter(id=1).values_list("seq", flat=True).first() == head_before


@pytest.mark.django_db(transaction=True)
def test_it_refuses_to_log_outside_a_transaction(offices, head):
    with pytest.raises(RuntimeError, match="inside the transaction"):
        audit.log(head, "office.update", offices["soetta"])
    assert not AuditEntry.objects.exists()


def test_snapshots_leave_out_secrets_and_bookkeeping(pr_staff):
    data = audit.snapshot(pr_staff)
    assert "password" not in data and "last_login" not in data
    assert data["username"] == "rina"
    assert data["office"] == pr_staff.office_id  # foreign keys as ids
    assert isinstance(data["date_joined"], str)  # JSON-safe
    assert audit.snapshot(None) is None
    assert audit.snapshot(Office(code="unsaved")) is None


def test_snapshot_can_be_limited_to_some_fields(offices):
    assert audit.snapshot(offices["soetta"], fields=["code", "parent"]) == {
        "code": "soetta",
        "parent": offices["kanwil"].pk,
    }


def test_the_system_and_anonymous_visitors_are_recorded_as_system(offices):
    start = last_seq()
    with transaction.atomic():
        audit.log(None, "office.sync", offices["dg"], only_if_changed=False)
        audit.log(AnonymousUser(), "office.sync", offices["dg"], only_if_changed=False)
    assert [(e.actor_id, e.actor_label) for e in entries_after(start)] == [
        (None, "system"),
        (None, "system"),
    ]


def test_entries_form_a_hash_chain(offices, head):
    with transaction.atomic():
        for city in ("A", "B", "C"):
            with audit.tracking(head, "office.update", offices["soetta"]):
                offices["soetta"].city = city
                offices["soetta"].save()
    entries = list(AuditEntry.objects.order_by("seq"))
    assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
    assert entries[0].prev_hash == audit.GENESIS_HASH
    for previous, entry in zip(entries, entries[1:], strict=False):
        assert entry.prev_hash == previous.hash
        assert entry.hash == audit.compute_hash(entry)
    head_row = AuditChainHead.objects.get(id=1)
    assert (head_row.seq, head_row.hash) == (entries[-1].seq, entries[-1].hash)
    assert audit.verify() == []


def test_history_lists_the_entries_of_one_object_newest_first(offices, head):
    soetta = offices["soetta"]
    for city in ("A", "B"):
        with audit.tracking(head, "office.update", soetta):
            soetta.city = city
            soetta.save()
    with audit.tracking(head, "office.update", offices["jakpus"]):
        offices["jakpus"].city = "X"
        offices["jakpus"].save()
    assert [e.after["city"] for e in audit.history(soetta)] == ["B", "A"]
