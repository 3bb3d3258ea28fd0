"""Erasing a person's values from the audit trail keeps the chain verifiable."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, models, transaction

from prima.organizations import audit
from prima.organizations.models import AuditChainHead, AuditEntry

TABLE = connection.ops.quote_name(AuditEntry._meta.db_table)


def _sql(sql: str, params: list | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])


@pytest.fixture
def trail(offices, head) -> list[AuditEntry]:
    """Entries naming a journalist, Rina Wartawati, and one that does not."""
    soetta = offices["soetta"]
    with transaction.atomic():
        audit.log(
            head,
            "contact.create",
            None,
            after={"name": "Rina Wartawati", "phone": "0812-1111-2222", "outlet": "Kompas"},
            object_type="conferences.mediacontact",
            object_id="7",
            object_label="Rina Wartawati (Kompas)",
            office=soetta,
        )
        audit.log(
            head,
            "contact.update",
            None,
            before={"phone": "0812-1111-2222", "outlet": "Kompas"},
            after={"phone": "0812-9999-0000", "outlet": "Tempo"},
            object_type="conferences.mediacontact",
            object_id="7",
            object_label="Rina Wartawati (Tempo)",
            office=soetta,
        )
    with audit.tracking(head, "office.update", soetta):
        soetta.city = "Tangerang"
        soetta.save()
    return list(AuditEntry.objects.order_by("seq"))


ERASED = ["Rina Wartawati", "0812-1111-2222", "0812-9999-0000"]


def _dump() -> str:
    return repr(list(AuditEntry.objects.values()))


def test_entries_holding_finds_whole_words_only(trail):
    assert [e.seq for e in audit.entries_holding(["Rina Wartawati"])] == [1, 2]
    assert [e.seq for e in audit.entries_holding(["0812-9999-0000"])] == [2]
    assert audit.entries_holding(["Wartawat"]) == []  # a part of a word is not a match
    assert audit.entries_holding(["ab"]) == []  # too short to mean a person


def test_redaction_erases_the_values_and_the_chain_still_verifies(trail, head, capsys):
    before_dump = _dump()
    assert all(v in before_dump for v in ERASED)
    result = audit.redact(head, ERASED, reason="Permintaan subjek data #1")
    assert result.redacted == [1, 2] and result.refused == []
    dump = _dump()
    assert not any(v in dump for v in ERASED)
    assert "Kompas" in dump and "Tempo" in dump  # what is not theirs stays
    first = AuditEntry.objects.get(seq=1)
    assert first.object_label == audit.REDACTED
    assert first.after == {"name": audit.REDACTED, "phone": audit.REDACTED, "outlet": "Kompas"}
    assert set(first.redacted or {}) == {"object_label", "after"}
    assert audit.verify() == []
    call_command("verify_audit")
    assert "intact" in capsys.readouterr().out
    # The erasure itself is in the trail, without the values.
    entry = AuditEntry.objects.get(action="audit.redact")
    assert entry.after["entries"] == [1, 2] and result.entry == entry
    assert not any(v in repr(entry.after) for v in ERASED)


def test_a_redacted_entry_edited_afterwards_is_found(trail, head):
    audit.redact(head, ERASED, reason="Permintaan #1")
    _sql(f"UPDATE {TABLE} SET after = %s WHERE seq = 1", ['{"outlet": "Palsu"}'])  # noqa: S608
    assert {p.seq for p in audit.verify()} == {1}


def test_a_forged_redaction_without_the_key_is_found(trail):
    # Someone with database access replaces a value by the marker and invents a digest.
    _sql(
        f"UPDATE {TABLE} SET object_label = %s, redacted = %s WHERE seq = 3",  # noqa: S608
        [audit.REDACTED, '{"object_label": "' + "0" * 64 + '"}'],
    )
    assert {p.seq for p in audit.verify()} == {3}


def test_redacting_twice_changes_nothing_more(trail, head):
    audit.redact(head, ERASED, reason="#1")
    again = audit.redact(head, ERASED, reason="#1")
    assert again.redacted == [] and again.entry is None
    assert audit.verify() == []


def test_old_format_entries_are_re_signed_by_the_migration_and_then_redactable(trail, head):
    # The trail as PRIMA wrote it before format 2: the hash covers the values.
    key = audit.current_key()
    base: models.QuerySet[AuditEntry] = models.QuerySet(model=AuditEntry)
    prev = audit.GENESIS_HASH
    for entry in AuditEntry.objects.order_by("seq"):
        entry.version, entry.prev_hash = audit.FORMAT_RAW, prev
        entry.hash = audit.compute_hash(entry, {key.id: key})
        base.filter(pk=entry.pk).update(version=1, prev_hash=prev, hash=entry.hash)
        prev = entry.hash
    base_head: models.QuerySet[AuditChainHead] = models.QuerySet(model=AuditChainHead)
    base_head.filter(id=1).update(hash=prev)
    assert audit.verify() == []  # format 1 still verifies
    refused = audit.redact(head, ERASED, reason="#1")
    assert refused.redacted == [] and refused.refused == [1, 2]
    assert "Rina Wartawati" in _dump()

    migration = importlib.import_module("prima.organizations.migrations.0007_audit_field_digests")
    migration.resign_in_digest_format(apps, None)
    assert set(AuditEntry.objects.values_list("version", flat=True)) == {audit.FORMAT_DIGESTS}
    assert audit.verify() == []
    assert audit.redact(head, ERASED, reason="#1").redacted == [1, 2]
    assert audit.verify() == []
