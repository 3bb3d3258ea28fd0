"""Tampering with the trail is found by audit.verify() and `manage.py verify_audit`.

Tampering is done with raw SQL, as an attacker with database access would.
"""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from prima.organizations import audit
from prima.organizations.models import AuditChainHead, AuditEntry

TABLE = connection.ops.quote_name(AuditEntry._meta.db_table)
HEAD_TABLE = connection.ops.quote_name(AuditChainHead._meta.db_table)


@pytest.fixture
def trail(offices, head) -> list[AuditEntry]:
    """Five entries about Soekarno-Hatta."""
    soetta = offices["soetta"]
    for city in ("A", "B", "C", "D", "E"):
        with audit.tracking(head, "office.update", soetta):
            soetta.city = city
            soetta.save()
    entries = list(AuditEntry.objects.order_by("seq"))
    assert len(entries) == 5
    return entries


def _sql(sql: str, params: list | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def _command_fails() -> str:
    with pytest.raises(CommandError, match="TAMPERED") as exc:
        call_command("verify_audit")
    return str(exc.value)


def test_an_intact_trail_verifies(trail, capsys):
    assert audit.verify() == []
    call_command("verify_audit")
    assert "intact: 5 entries" in capsys.readouterr().out


def test_an_empty_trail_verifies(db, capsys):
    assert audit.verify() == []
    call_command("verify_audit")
    assert "intact: 0 entries" in capsys.readouterr().out


def test_verify_reads_in_chunks(trail):
    assert audit.verify(chunk_size=2) == []


def test_an_edited_field_is_found(trail):
    _sql(f"UPDATE {TABLE} SET object_label = %s WHERE seq = 3", ["Kantor palsu"])  # noqa: S608
    problems = audit.verify()
    assert [(p.seq, "edited" in p.message) for p in problems] == [(3, True)]
    _command_fails()


def test_an_edited_address_is_found(trail):
    _sql(f"UPDATE {TABLE} SET ip = %s WHERE seq = 2", ["10.0.0.1"])  # noqa: S608
    assert [p.seq for p in audit.verify()] == [2]


def test_a_deleted_middle_entry_is_found(trail):
    _sql(f"DELETE FROM {TABLE} WHERE seq = 3")  # noqa: S608
    problems = audit.verify()
    assert {p.seq for p in problems} == {4}
    messages = " ".join(p.message for p in problems)
    assert "missing" in messages and "broken" in messages
    _command_fails()


def test_a_deleted_last_entry_is_found(trail):
    _sql(f"DELETE FROM {TABLE} WHERE seq = 5")  # noqa: S608
    problems = audit.verify()
    assert len(problems) == 1 and "chain head" in problems[0].message
    _command_fails()


def test_a_deleted_last_entry_with_a_rewound_head_is_found(trail):
    # The attacker also rewinds the chain head's counter but leaves its hash: still found.
    _sql(f"DELETE FROM {TABLE} WHERE seq = 5")  # noqa: S608
    _sql(f"UPDATE {HEAD_TABLE} SET seq = 4 WHERE id = 1")  # noqa: S608
    problems = audit.verify()
    assert len(problems) == 1 and "does not match" in problems[0].message


def test_swapped_hashes_are_found(trail):
    h2, h3 = trail[1].hash, trail[2].hash
    with transaction.atomic():
        _sql(f"UPDATE {TABLE} SET hash = %s WHERE seq = 2", ["x" * 64])  # noqa: S608
        _sql(f"UPDATE {TABLE} SET hash = %s WHERE seq = 3", [h2])  # noqa: S608
        _sql(f"UPDATE {TABLE} SET hash = %s WHERE seq = 2", [h3])  # noqa: S608
    problems = audit.verify()
    assert {p.seq for p in problems} >= {2, 3}
    _command_fails()


def test_reordered_entries_are_found(trail):
    # Swap the sequence numbers of two entries (the order of events is rewritten).
    with transaction.atomic():
        _sql(f"UPDATE {TABLE} SET seq = 1000 WHERE seq = 2")  # noqa: S608
        _sql(f"UPDATE {TABLE} SET seq = 2 WHERE seq = 3")  # noqa: S608
        _sql(f"UPDATE {TABLE} SET seq = 3 WHERE seq = 1000")  # noqa: S608
    assert {p.seq for p in audit.verify()} >= {2, 3}
    _command_fails()


def test_the_command_lists_every_problem(trail, capsys):
    _sql(f"UPDATE {TABLE} SET object_label = 'x' WHERE seq IN (1, 4)")  # noqa: S608
    message = _command_fails()
    assert "2 problem(s) in 5 entries" in message
    err = capsys.readouterr().err
    assert "entry 1:" in err and "entry 4:" in err


# --- the keyed chain and checkpoints (issue 7) -------------------------------------------
# The probe's attacker can write to the database and recompute hashes, but does not hold
# PRIMA_AUDIT_KEY (it is not in the database).

import hashlib  # noqa: E402
import hmac  # noqa: E402
import importlib  # noqa: E402
import json  # noqa: E402

from django.apps import apps  # noqa: E402
from django.test import override_settings  # noqa: E402

from prima.organizations.models import AuditEntry as Entry  # noqa: E402


def _resign(from_seq: int, sign) -> None:
    """Rewrite the chain from ``from_seq`` on with ``sign(entry) -> hash`` (as an attacker
    would, with raw SQL), and move the chain head to the new last entry."""
    entries = list(Entry.objects.order_by("seq"))
    prev = entries[from_seq - 2].hash if from_seq > 1 else audit.GENESIS_HASH
    with transaction.atomic():
        for entry in entries[from_seq - 1 :]:
            entry.prev_hash = prev
            entry.hash = sign(entry)
            _sql(
                f"UPDATE {TABLE} SET prev_hash = %s, hash = %s, key_id = %s WHERE seq = %s",  # noqa: S608
                [entry.prev_hash, entry.hash, entry.key_id, entry.seq],
            )
            prev = entry.hash
        _sql(f"UPDATE {HEAD_TABLE} SET seq = %s, hash = %s WHERE id = 1", [entries[-1].seq, prev])  # noqa: S608


def _sha256(entry) -> str:
    return hashlib.sha256(audit._payload(entry).encode()).hexdigest()


def _edit_approver(seq: int, name: str = "kakanim-palsu") -> None:
    _sql(f"UPDATE {TABLE} SET actor_label = %s WHERE seq = %s", [name, seq])  # noqa: S608


def test_new_entries_are_signed_with_the_audit_key(trail):
    key = audit.current_key()
    assert {e.key_id for e in trail} == {key.id}
    entry = trail[0]
    expected = hmac.new(key.entry, audit._payload(entry).encode(), hashlib.sha256).hexdigest()
    assert entry.hash == expected != _sha256(entry)


def test_the_probes_rewrite_with_plain_sha256_is_found(trail):
    # Change who acted in entry 2, recompute every later hash and the head: the old chain
    # would say "intact".
    _edit_approver(2)
    _resign(2, _sha256)
    problems = audit.verify()
    assert {p.seq for p in problems} >= {2, 3, 4, 5}
    assert all("edited" in p.message for p in problems)
    _command_fails()


def test_a_rewrite_disguised_as_legacy_entries_is_found(trail):
    # Downgrade: mark the entries as "written before the keyed chain" and chain them with
    # SHA-256. Legacy entries are never accepted as they are.
    _edit_approver(3)

    def legacy(entry):
        entry.key_id = audit.LEGACY_KEY_ID
        return _sha256(entry)

    _resign(1, legacy)
    (problem,) = audit.verify()
    assert "not signed with the audit key" in problem.message and problem.seq == 1
    _command_fails()


@pytest.fixture
def server_key(settings):
    """A production-like key (tests otherwise run with the development key)."""
    settings.AUDIT_KEY = "kunci-audit-server-" + "r" * 48


def test_a_rewrite_with_a_guessed_key_is_found(server_key, trail):
    # The attacker signs with a key of their own (here the public development key) and
    # claims the server's key id.
    from django.conf import settings

    guessed = audit.derive_key(settings.DEV_AUDIT_KEY)
    claimed = audit.current_key().id
    _edit_approver(4)

    def sign(entry):
        entry.key_id = claimed
        return hmac.new(guessed.entry, audit._payload(entry).encode(), hashlib.sha256).hexdigest()

    _resign(1, sign)
    assert {p.seq for p in audit.verify()} == {1, 2, 3, 4, 5}


def test_removing_the_newest_entries_and_moving_the_head_needs_a_checkpoint_to_be_found(trail):
    checkpoint = audit.make_checkpoint()
    assert checkpoint.seq == 5
    _sql(f"DELETE FROM {TABLE} WHERE seq IN (4, 5)")  # noqa: S608
    _sql(f"UPDATE {HEAD_TABLE} SET seq = 3, hash = %s WHERE id = 1", [trail[2].hash])  # noqa: S608
    # The chain alone cannot tell: what is left is a valid, shorter chain (documented).
    assert audit.verify() == []
    (problem,) = audit.verify_checkpoints([checkpoint])
    assert problem.seq == 5 and "newest entries were removed" in problem.message


def test_truncation_without_moving_the_head_is_found_by_the_chain(trail):
    _sql(f"DELETE FROM {TABLE} WHERE seq = 5")  # noqa: S608
    assert any("chain head" in p.message for p in audit.verify())


def test_a_rewrite_with_the_key_is_found_by_an_earlier_checkpoint(trail):
    # Someone who holds the key (or a stolen copy) can re-sign a valid chain; entries up
    # to a checkpoint kept elsewhere still cannot change.
    checkpoint = audit.make_checkpoint()
    _edit_approver(2)
    key = audit.current_key()
    _resign(2, lambda e: audit.compute_hash(e, {key.id: key}))
    assert audit.verify() == []
    (problem,) = audit.verify_checkpoints([checkpoint])
    assert problem.seq == 5 and "rewritten" in problem.message


def test_an_edited_or_forged_checkpoint_is_refused(trail):
    checkpoint = audit.make_checkpoint()
    data = json.loads(checkpoint.line())
    data["seq"] = 3
    data["hash"] = trail[2].hash
    edited = audit.Checkpoint.parse(json.dumps(data))
    (problem,) = audit.verify_checkpoints([edited])
    assert "forged or was edited" in problem.message
    forged = audit.Checkpoint(5, trail[4].hash, checkpoint.at, checkpoint.key_id, "0" * 64)
    assert "forged" in audit.verify_checkpoints([forged])[0].message
    with override_settings(AUDIT_KEY="another-" + "k" * 40):
        assert "not configured" in audit.verify_checkpoints([checkpoint])[0].message


def test_entries_signed_with_a_previous_key_still_verify(trail):
    from django.conf import settings

    old_key = settings.AUDIT_KEY
    checkpoint = audit.make_checkpoint()
    with override_settings(AUDIT_KEY="new-" + "n" * 60, AUDIT_PREVIOUS_KEYS=[old_key]):
        soetta = trail[0].office
        with audit.tracking(None, "office.update", soetta):
            soetta.city = "F"
            soetta.save()
        keys = set(Entry.objects.values_list("key_id", flat=True))
        assert len(keys) == 2
        assert audit.verify() == [] and audit.verify_checkpoints([checkpoint]) == []
    with override_settings(AUDIT_KEY="new-" + "n" * 60, AUDIT_PREVIOUS_KEYS=[]):
        (problem,) = audit.verify()
        assert "not configured" in problem.message and problem.seq == 1


# --- upgrading from the plain SHA-256 chain ----------------------------------------------


def _make_legacy(trail) -> None:
    """The trail as an older PRIMA wrote it: unkeyed, plain SHA-256."""

    def legacy(entry):
        entry.key_id = audit.LEGACY_KEY_ID
        return _sha256(entry)

    _resign(1, legacy)


def test_an_intact_legacy_trail_is_re_signed_and_then_verifies(trail):
    _make_legacy(trail)
    assert audit.verify(allow_legacy=True) == []
    assert "not signed" in audit.verify()[0].message
    assert audit.rekey() == 5
    assert audit.verify() == []
    rekey_entry = Entry.objects.order_by("-seq").first()
    assert rekey_entry.action == "audit.rekey" and rekey_entry.after["entries"] == 5
    assert audit.rekey() == 0  # nothing left to do


def test_the_migration_re_signs_legacy_entries(trail):
    _make_legacy(trail)
    migration = importlib.import_module("prima.organizations.migrations.0003_rekey_audit_trail")
    migration.rekey_legacy_entries(apps, None)
    assert audit.verify() == []
    assert Entry.objects.count() == 5  # the migration writes no entry of its own


def test_a_broken_legacy_trail_is_not_re_signed(trail, capsys):
    _make_legacy(trail)
    _sql(f"UPDATE {TABLE} SET object_label = 'palsu' WHERE seq = 2")  # noqa: S608
    with pytest.raises(audit.RekeyRefused):
        audit.rekey()
    migration = importlib.import_module("prima.organizations.migrations.0003_rekey_audit_trail")
    migration.rekey_legacy_entries(apps, None)
    assert "problem(s) before this upgrade" in capsys.readouterr().out
    problems = audit.verify()
    assert any(p.seq == 2 and "edited" in p.message for p in problems)
    with pytest.raises(CommandError, match="Not re-signed"):
        call_command("audit_rekey")
    # Accepting re-signs and records what was accepted, in the keyed trail.
    call_command("audit_rekey", "--accept-problems")
    assert audit.verify() == []
    accepted = Entry.objects.get(action="audit.rekey").after["accepted_problems"]
    assert accepted and accepted[0].startswith("2: ")


# --- the commands --------------------------------------------------------------------------


def test_checkpoints_are_printed_appended_and_checked(trail, tmp_path, capsys):
    path = tmp_path / "audit-checkpoints.jsonl"
    call_command("audit_checkpoint", "--file", str(path))
    printed = capsys.readouterr().out.strip()
    assert path.read_text().strip() == printed
    assert audit.Checkpoint.parse(printed).seq == 5
    call_command("verify_audit", "--checkpoints", str(path))
    assert "matches 1 checkpoint(s)" in capsys.readouterr().out
    _sql(f"DELETE FROM {TABLE} WHERE seq = 5")  # noqa: S608
    _sql(f"UPDATE {HEAD_TABLE} SET seq = 4, hash = %s WHERE id = 1", [trail[3].hash])  # noqa: S608
    call_command("verify_audit")  # without the checkpoints: not detectable
    with pytest.raises(CommandError, match="TAMPERED"):
        call_command("verify_audit", "--checkpoints", str(path))
    assert "newest entries were removed" in capsys.readouterr().err
    # No checkpoint of a tampered trail.
    with pytest.raises(CommandError, match="No checkpoint written"):
        call_command("audit_checkpoint", "--file", str(path))
    assert len(path.read_text().splitlines()) == 1


def test_the_checkpoint_file_comes_from_the_setting(trail, tmp_path, settings, capsys):
    settings.AUDIT_CHECKPOINT_FILE = str(tmp_path / "cp.jsonl")
    call_command("audit_checkpoint")
    call_command("verify_audit")
    assert "matches 1 checkpoint(s)" in capsys.readouterr().out
    (tmp_path / "cp.jsonl").write_text("bukan checkpoint\n", encoding="utf-8")
    with pytest.raises(CommandError, match="TAMPERED"):
        call_command("verify_audit")
