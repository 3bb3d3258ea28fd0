"""The audit trail: the one function every app calls when it changes state.

Usage, inside the transaction of the change::

    with transaction.atomic():
        before = audit.snapshot(conference)
        conference.stage = Stage.EXECUTION
        conference.save()
        audit.log(user, "conference.advance", conference, before=before,
                  after=audit.snapshot(conference))

or, shorter, ``with audit.tracking(user, "conference.advance", conference): ...``.

Entries are append-only and hash-chained. Appends are serialised by locking the single
:class:`AuditChainHead` row, so that two concurrent transactions never fork the chain
(on SQLite the IMMEDIATE transaction mode already serialises writers).
"""

from __future__ import annotations

import contextvars
import csv
import hashlib
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from .exports import Column, CsvFormat
from .models import AuditChainHead, AuditEntry, Office, User

GENESIS_HASH = "0" * 64
ALWAYS_EXCLUDED = {"password"}

# Filled by RequestContextMiddleware: the client address of the current request.
current_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("prima_ip", default=None)


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def snapshot(obj: models.Model | None, fields: Iterable[str] | None = None) -> dict | None:
    """A JSON-safe dict of an object's concrete fields (foreign keys as ids).

    Fields listed in the model's ``audit_exclude`` (and passwords) are left out, and so are
    ``auto_now`` timestamps: they change on every save, so a save that changed nothing
    would otherwise be logged as a change (the entry's own time records when). Returns None
    for None or an unsaved object, which is how "created" and "deleted" are recorded.
    """
    if obj is None or obj.pk is None:
        return None
    excluded = ALWAYS_EXCLUDED | set(getattr(obj, "audit_exclude", ()))
    wanted = set(fields) if fields is not None else None
    data = {}
    for field in obj._meta.concrete_fields:
        name = field.attname
        if field.name in excluded or name in excluded or getattr(field, "auto_now", False):
            continue
        if wanted is not None and field.name not in wanted and name not in wanted:
            continue
        value = field.value_from_object(obj)
        if isinstance(field, models.FileField):
            value = value.name or None  # the stored file's name, not the file
        data[field.name] = value
    return _jsonable(data)


def _diff(before: dict | None, after: dict | None) -> tuple[dict | None, dict | None]:
    if before is None or after is None:
        return before, after
    keys = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


def _payload(entry: AuditEntry) -> str:
    """The canonical text that an entry's hash covers."""
    return json.dumps(
        {
            "seq": entry.seq,
            "at": entry.at.astimezone(UTC).isoformat(timespec="microseconds"),
            "actor_id": entry.actor_id,
            "actor_label": entry.actor_label,
            "ip": entry.ip,
            "action": entry.action,
            "object_type": entry.object_type,
            "object_id": entry.object_id,
            "object_label": entry.object_label,
            "office_id": entry.office_id,
            "before": entry.before,
            "after": entry.after,
            "prev_hash": entry.prev_hash,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )


def compute_hash(entry: AuditEntry) -> str:
    return hashlib.sha256(_payload(entry).encode("utf-8")).hexdigest()


def _office_of(obj: Any) -> Office | None:
    office = getattr(obj, "office", None)
    return office if isinstance(office, Office) else None


def _lock_head() -> AuditChainHead:
    # The row may be missing (fresh database, or flushed by a test); create it without
    # racing a concurrent creator, then lock it.
    AuditChainHead.objects.bulk_create([AuditChainHead(id=1)], ignore_conflicts=True)
    return AuditChainHead.objects.select_for_update().get(id=1)


def log(
    actor: User | None,
    action: str,
    obj: models.Model | None,
    *,
    before: dict | None = None,
    after: dict | None = None,
    ip: str | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    object_label: str | None = None,
    office: Office | None = None,
    only_if_changed: bool = True,
) -> AuditEntry | None:
    """Append one entry to the audit trail, in the caller's transaction.

    ``before``/``after`` are snapshots (see :func:`snapshot`); for an update only the fields
    that changed are stored. When both are given and nothing changed, nothing is written
    and None is returned (unless ``only_if_changed`` is False). Must be called inside
    ``transaction.atomic()``: the entry commits or rolls back with the change. Costs a
    locking read of the chain head and one insert.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.log() must be called inside the transaction of the change.")
    if before is not None and after is not None:
        before, after = _diff(before, after)
        if only_if_changed and not before and not after:
            return None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_label = object_label or str(obj)[:255]
        office = office or _office_of(obj)
    if actor is not None and not actor.is_authenticated:
        actor = None
    head = _lock_head()
    entry = AuditEntry(
        seq=head.seq + 1,
        at=timezone.now(),
        actor=actor,
        actor_label=(actor.get_username() if actor else "system")[:200],
        ip=ip if ip is not None else current_ip.get(),
        action=action,
        object_type=object_type or "",
        object_id=object_id or "",
        object_label=(object_label or "")[:255],
        office=office,
        before=before,
        after=after,
        prev_hash=head.hash,
    )
    entry.hash = compute_hash(entry)
    entry.save(_from_audit_log=True)
    AuditChainHead.objects.filter(id=1).update(seq=entry.seq, hash=entry.hash)
    return entry


@contextmanager
def tracking(
    actor: User | None, action: str, obj: models.Model, *, ip: str | None = None
) -> Iterator[None]:
    """Snapshot ``obj`` before the block, log the change after it, all in one transaction.

    For a new (unsaved) object the entry records a creation.
    """
    with transaction.atomic():
        before = snapshot(obj)
        yield
        after = snapshot(obj)
        if before is None:
            log(actor, action, obj, before=None, after=after, ip=ip)
        else:
            log(actor, action, obj, before=before, after=after, ip=ip)


def log_deletion(actor: User | None, action: str, obj: models.Model, *, ip: str | None = None):
    """Log and delete ``obj`` in one transaction."""
    with transaction.atomic():
        before = snapshot(obj)
        label, pk, office = str(obj)[:255], str(obj.pk), _office_of(obj)
        obj_type = obj._meta.label_lower
        obj.delete()
        return log(
            actor,
            action,
            None,
            before=before,
            after=None,
            ip=ip,
            object_type=obj_type,
            object_id=pk,
            object_label=label,
            office=office,
        )


@dataclass(frozen=True)
class Problem:
    seq: int | None
    message: str


def verify(chunk_size: int = 2000) -> list[Problem]:
    """Recompute the chain; return every problem found (empty list = intact).

    Detects edited entries (hash mismatch), removed or inserted entries (sequence gaps,
    broken links) and a truncated tail (chain head ahead of the last entry). Reads the
    whole table in chunks.
    """
    problems: list[Problem] = []
    prev_hash = GENESIS_HASH
    expected_seq = 1
    last_seq = 0
    qs = AuditEntry.objects.order_by("seq")
    start = 0
    while True:
        chunk = list(qs.filter(seq__gt=start)[:chunk_size])
        if not chunk:
            break
        for entry in chunk:
            if entry.seq != expected_seq:
                problems.append(
                    Problem(entry.seq, f"entries {expected_seq}–{entry.seq - 1} are missing")
                )
            if entry.prev_hash != prev_hash:
                problems.append(Problem(entry.seq, "link to the previous entry is broken"))
            if compute_hash(entry) != entry.hash:
                problems.append(Problem(entry.seq, "content does not match its hash (edited)"))
            prev_hash = entry.hash
            expected_seq = entry.seq + 1
            last_seq = entry.seq
        start = chunk[-1].seq
    head = AuditChainHead.objects.filter(id=1).first()
    if head is not None and head.seq != last_seq:
        problems.append(
            Problem(head.seq, f"chain head is at entry {head.seq} but the last entry is {last_seq}")
        )
    elif head is not None and head.seq and head.hash != prev_hash:
        problems.append(Problem(head.seq, "chain head does not match the last entry"))
    return problems


def history(obj: models.Model) -> models.QuerySet[AuditEntry]:
    """Entries about one object, newest first."""
    return AuditEntry.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).select_related("actor", "office")


CSV_COLUMNS = [
    Column("seq", _("No.")),
    Column("at_utc", _("Time"), is_time=True),
    Column("actor", _("Actor")),
    Column("ip", _("IP address")),
    Column("action", _("Action code")),
    Column("action_label", _("Action")),
    Column("object_type", _("Object type")),
    Column("object_id", _("Object id")),
    Column("object", _("Object")),
    Column("office", _("Office")),
    Column("before", _("Before (JSON)")),
    Column("after", _("After (JSON)")),
    Column("hash", _("Hash")),
]


def write_csv(entries: Iterable[AuditEntry], out, *, fmt: CsvFormat | None = None) -> None:
    """Write entries as CSV to a text stream: before/after as JSON (the record itself), the
    header and times as ``fmt`` says (Indonesian words and WIB for Indonesian readers,
    codes and UTC otherwise)."""
    from .audit_display import action_label  # the labels are registered by the apps

    fmt = fmt or CsvFormat()
    writer = csv.writer(out)
    writer.writerow(fmt.header(CSV_COLUMNS))
    with translation.override(fmt.language):
        for e in entries:
            row = [
                str(e.seq),
                fmt.time(e.at),
                e.actor_label,
                e.ip or "",
                e.action,
                action_label(e.action),
                e.object_type,
                e.object_id,
                e.object_label,
                e.office.short_name if e.office_id else "",
                json.dumps(e.before, ensure_ascii=False, sort_keys=True),
                json.dumps(e.after, ensure_ascii=False, sort_keys=True),
                e.hash,
            ]
            # Every cell: user names may start with "@", "+" or "-" too.
            writer.writerow([_csv_safe(cell) for cell in row])


def _csv_safe(value: str) -> str:
    # Spreadsheet formula injection: a cell starting with = + - @ (or a tab or carriage
    # return before one) is run by Excel. Numbers, times, hashes and JSON never start so.
    return "'" + value if value[:1] in {"=", "+", "-", "@", "\t", "\r"} else value
