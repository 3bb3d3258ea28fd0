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
