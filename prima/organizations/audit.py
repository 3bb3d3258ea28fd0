"""The audit trail: the one function every app calls when it changes state.

Usage, inside the transaction of the change::

    with transaction.atomic():
        before = audit.snapshot(conference)
        conference.stage = Stage.EXECUTION
        conference.save()
        audit.log(user, "conference.advance", conference, before=before,
                  after=audit.snapshot(conference))

or, shorter, ``with audit.tracking(user, "conference.advance", conference): ...``.

Entries are append-only and chained with a key that is not in the database: each entry's
``hash`` is HMAC-SHA256 (under ``PRIMA_AUDIT_KEY``) of its content and of the previous
entry's hash. Someone who can write to the database but does not hold the key cannot
change, insert or remove an entry without :func:`verify` noticing; removing the newest
entries (and moving the chain head back) is caught by signed checkpoints kept outside the
database (:func:`make_checkpoint`, :func:`verify_checkpoints`). What this protects
against, and what not, is in docs/operations.md (*The audit trail*).

Each entry records the id of the key it was signed with (``key_id``), so that entries
signed before a key change still verify (``PRIMA_AUDIT_PREVIOUS_KEYS``). Entries written
before the keyed chain existed (``key_id`` empty, plain SHA-256) are re-signed once by
:func:`rekey` (migration ``organizations.0003``, or ``prima audit-rekey``); until then
:func:`verify` reports them.

Appends are serialised by locking the single :class:`AuditChainHead` row, so that two
concurrent transactions never fork the chain (on SQLite the IMMEDIATE transaction mode
already serialises writers).
"""

from __future__ import annotations

import contextvars
import csv
import functools
import hashlib
import hmac
import json
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from .exports import Column, CsvFormat
from .models import AuditChainHead, AuditEntry, Office, User

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

GENESIS_HASH = "0" * 64
ALWAYS_EXCLUDED = {"password"}
# The key id of entries chained with plain SHA-256, before the keyed chain.
LEGACY_KEY_ID = ""

# Filled by RequestContextMiddleware: the client address of the current request.
current_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("prima_ip", default=None)


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def snapshot(
    obj: models.Model | None, fields: Iterable[str] | None = None
) -> dict[str, Any] | None:
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
    data: dict[str, Any] = {}
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
    jsonable: dict[str, Any] = _jsonable(data)
    return jsonable


Snapshot = dict[str, Any]


def _diff(
    before: Snapshot | None, after: Snapshot | None
) -> tuple[Snapshot | None, Snapshot | None]:
    if before is None or after is None:
        return before, after
    keys = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


# --- keys ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditKey:
    """Keys derived from one ``PRIMA_AUDIT_KEY``: one for entries, one for checkpoints,
    and a public id (recorded with each entry) that names it without revealing it."""

    id: str
    entry: bytes
    checkpoint: bytes
    field: bytes


@functools.lru_cache(maxsize=16)
def derive_key(secret: str) -> AuditKey:
    master = secret.encode("utf-8")

    def sub(label: bytes) -> bytes:
        return hmac.new(master, label, hashlib.sha256).digest()

    key_id = hmac.new(master, b"prima-audit-key-id", hashlib.sha256).hexdigest()[:16]
    return AuditKey(
        key_id,
        sub(b"prima-audit-entry-v2"),
        sub(b"prima-audit-checkpoint-v1"),
        sub(b"prima-audit-field-v1"),
    )


def current_key() -> AuditKey:
    """The key new entries and checkpoints are signed with (``PRIMA_AUDIT_KEY``)."""
    return derive_key(settings.AUDIT_KEY)


def known_keys() -> dict[str, AuditKey]:
    """Keys by id: the current one and ``PRIMA_AUDIT_PREVIOUS_KEYS``."""
    keys = [derive_key(secret) for secret in getattr(settings, "AUDIT_PREVIOUS_KEYS", [])]
    keys.append(current_key())
    return {key.id: key for key in keys}


class UnknownKey(Exception):
    """An entry or checkpoint names a key that is not configured."""


# Entry format versions. 1: the hash covers the values themselves. 2: the hash covers a
# keyed digest of each value that may hold personal data (REDACTABLE), so that a value
# can later be erased (:func:`redact`) while the chain still verifies.
FORMAT_RAW = 1
FORMAT_DIGESTS = 2
CURRENT_FORMAT = FORMAT_DIGESTS
REDACTABLE = ("actor_label", "ip", "object_label", "before", "after")
# What an erased value is replaced with (the IP address, a typed column, becomes empty).
REDACTED = "[redacted]"


def _entry_key(entry: Any, keys: dict[str, AuditKey] | None) -> bytes:
    """The key of an entry's field digests (empty for a legacy, unkeyed entry)."""
    if entry.key_id == LEGACY_KEY_ID:
        return b""
    key = (keys if keys is not None else known_keys()).get(entry.key_id)
    if key is None:
        raise UnknownKey(entry.key_id)
    return key.field


def field_digest(field_key: bytes, seq: int, path: list[str], value: Any) -> str:
    """The keyed digest of one value of an entry (its sequence number and place in the
    entry are part of it, so equal values in two entries do not give equal digests, and
    without the key a digest cannot be checked against guessed values)."""
    message = json.dumps([seq, path, value], sort_keys=True, ensure_ascii=False)
    return hmac.new(field_key, message.encode("utf-8"), hashlib.sha256).hexdigest()


def _digested(entry: Any, field_key: bytes) -> dict[str, Any]:
    """The redactable fields of a version-2 entry as the hash sees them: a digest of each
    value (of each key of ``before``/``after``), the stored digest where it was erased."""
    redacted = getattr(entry, "redacted", None) or {}
    out: dict[str, Any] = {}
    for name in REDACTABLE:
        value = getattr(entry, name)
        stored = redacted.get(name)
        if name in ("before", "after") and isinstance(value, dict):
            stored = stored if isinstance(stored, dict) else {}
            out[name] = {
                k: stored[k] if k in stored else field_digest(field_key, entry.seq, [name, k], v)
                for k, v in value.items()
            }
        elif isinstance(stored, str):
            out[name] = stored
        elif value is None and name in ("before", "after"):
            out[name] = None
        else:
            out[name] = field_digest(field_key, entry.seq, [name], value)
    return out


def _payload(entry: Any, keys: dict[str, AuditKey] | None = None) -> str:
    """The canonical text that an entry's hash covers (its key id too, once keyed; for a
    version-2 entry digests of the redactable values instead of the values)."""
    data = {
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
    }
    if entry.key_id:
        data["key_id"] = entry.key_id
    version = getattr(entry, "version", FORMAT_RAW)
    if version >= FORMAT_DIGESTS:
        data.update(_digested(entry, _entry_key(entry, keys)))
        data["version"] = version
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def compute_hash(entry: Any, keys: dict[str, AuditKey] | None = None) -> str:
    """The hash an entry must carry: HMAC-SHA256 under the key it names, or plain SHA-256
    for a legacy entry. Raises :class:`UnknownKey` for a key that is not configured."""
    payload = _payload(entry, keys).encode("utf-8")
    if entry.key_id == LEGACY_KEY_ID:
        return hashlib.sha256(payload).hexdigest()
    key = (keys if keys is not None else known_keys()).get(entry.key_id)
    if key is None:
        raise UnknownKey(entry.key_id)
    return hmac.new(key.entry, payload, hashlib.sha256).hexdigest()


def _office_of(obj: Any) -> Office | None:
    office = getattr(obj, "office", None)
    return office if isinstance(office, Office) else None


def _lock_head() -> AuditChainHead:
    # The row may be missing (fresh database, or flushed by a test); create it without
    # racing a concurrent creator, then lock it.
    AuditChainHead.objects.bulk_create([AuditChainHead(id=1)], ignore_conflicts=True)
    return AuditChainHead.objects.select_for_update().get(id=1)


def log(
    actor: User | AnonymousUser | None,
    action: str,
    obj: models.Model | None,
    *,
    before: Snapshot | None = None,
    after: Snapshot | None = None,
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
    user = actor if isinstance(actor, User) else None  # anonymous: the system acted
    key = current_key()
    head = _lock_head()
    entry = AuditEntry(
        seq=head.seq + 1,
        at=timezone.now(),
        actor=user,
        actor_label=(user.get_username() if user else "system")[:200],
        ip=ip if ip is not None else current_ip.get(),
        action=action,
        object_type=object_type or "",
        object_id=object_id or "",
        object_label=(object_label or "")[:255],
        office=office,
        before=before,
        after=after,
        prev_hash=head.hash,
        key_id=key.id,
        version=CURRENT_FORMAT,
    )
    entry.hash = compute_hash(entry, {key.id: key})
    entry.save(_from_audit_log=True)
    AuditChainHead.objects.filter(id=1).update(seq=entry.seq, hash=entry.hash)
    return entry


@contextmanager
def tracking(
    actor: User | AnonymousUser | None, action: str, obj: models.Model, *, ip: str | None = None
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


def log_deletion(
    actor: User | AnonymousUser | None, action: str, obj: models.Model, *, ip: str | None = None
) -> AuditEntry | None:
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


def _entries(model: Any, chunk_size: int) -> Iterator[Any]:
    """Every entry in sequence order, read in chunks."""
    start = -1
    while True:
        chunk = list(model._default_manager.order_by("seq").filter(seq__gt=start)[:chunk_size])
        if not chunk:
            return
        yield from chunk
        start = chunk[-1].seq


def verify(
    chunk_size: int = 2000,
    *,
    allow_legacy: bool = False,
    model: Any = None,
    head_model: Any = None,
) -> list[Problem]:
    """Recompute the chain; return every problem found (empty list = intact).

    Detects edited entries (the keyed hash does not match: nobody without the key can
    recompute it), removed or inserted entries (sequence gaps, broken links), a truncated
    tail (chain head ahead of the last entry), entries signed with an unknown key, and
    entries that are not keyed (legacy plain SHA-256; accepted only with
    ``allow_legacy``, which :func:`rekey` uses before re-signing them). Removing the
    newest entries *and* moving the head back is found only against checkpoints
    (:func:`verify_checkpoints`). Reads the whole table in chunks; ``model`` and
    ``head_model`` let a data migration pass its historical models.
    """
    model = model or AuditEntry
    head_model = head_model or AuditChainHead
    keys = known_keys()
    problems: list[Problem] = []
    prev_hash = GENESIS_HASH
    expected_seq = 1
    last_seq = 0
    legacy: list[int] = []
    unknown: dict[str, list[int]] = {}
    for entry in _entries(model, chunk_size):
        if entry.seq != expected_seq:
            problems.append(
                Problem(entry.seq, f"entries {expected_seq}–{entry.seq - 1} are missing")
            )
        if entry.prev_hash != prev_hash:
            problems.append(Problem(entry.seq, "link to the previous entry is broken"))
        if entry.key_id == LEGACY_KEY_ID:
            legacy.append(entry.seq)
        try:
            if compute_hash(entry, keys) != entry.hash:
                problems.append(Problem(entry.seq, "content does not match its hash (edited)"))
        except UnknownKey:
            unknown.setdefault(entry.key_id, []).append(entry.seq)
        prev_hash = entry.hash
        expected_seq = entry.seq + 1
        last_seq = entry.seq
    if legacy and not allow_legacy:
        problems.append(
            Problem(
                legacy[0],
                f"{len(legacy)} entries ({legacy[0]}–{legacy[-1]}) are not signed with the "
                "audit key (written before the keyed chain, or rewritten without the key); "
                "see `prima audit-rekey`",
            )
        )
    for key_id, seqs in unknown.items():
        problems.append(
            Problem(
                seqs[0],
                f"{len(seqs)} entries ({seqs[0]}–{seqs[-1]}) are signed with key {key_id}, "
                "which is not configured (PRIMA_AUDIT_KEY or PRIMA_AUDIT_PREVIOUS_KEYS)",
            )
        )
    head = head_model._default_manager.filter(id=1).first()
    if head is not None and head.seq != last_seq:
        problems.append(
            Problem(head.seq, f"chain head is at entry {head.seq} but the last entry is {last_seq}")
        )
    elif head is not None and head.seq and head.hash != prev_hash:
        problems.append(Problem(head.seq, "chain head does not match the last entry"))
    return sorted(problems, key=lambda p: p.seq or 0)


# --- re-signing legacy entries ---------------------------------------------------------


class RekeyRefused(Exception):
    """The trail has problems: re-signing it would hide them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the audit trail")


def rekey(
    *,
    accept_problems: bool = False,
    model: Any = None,
    head_model: Any = None,
    log_entry: bool = True,
    chunk_size: int = 2000,
) -> int:
    """Sign the entries that are not keyed yet, or are in an older format, with the current
    key in the current format; return how many entries were re-signed (0: nothing to do).

    Run once after upgrading from the plain SHA-256 chain (migration
    ``organizations.0003`` does it) and from the format without field digests
    (``organizations.0007``). The trail is verified first, legacy entries by
    their SHA-256 chain: a trail with problems is refused (:class:`RekeyRefused`) unless
    ``accept_problems``, because re-signing would make the damage undetectable; accepted
    problems are then written into the ``audit.rekey`` entry that records the re-keying.
    From the first legacy entry on, every entry gets the current key, its link and its
    hash again (later entries are re-signed too, as their links change). Checkpoints
    taken before cover the old hashes: take a new one afterwards.
    """
    model = model or AuditEntry
    head_model = head_model or AuditChainHead
    with transaction.atomic():
        head_model._default_manager.bulk_create([head_model(id=1)], ignore_conflicts=True)
        head_model._default_manager.select_for_update().get(id=1)
        # Entries to re-sign: unkeyed ones, and (once the model has the format version)
        # ones in an older format, which are re-signed in the current one.
        has_version = any(f.name == "version" for f in model._meta.concrete_fields)
        stale = models.Q(key_id=LEGACY_KEY_ID)
        if has_version:
            stale |= models.Q(version__lt=CURRENT_FORMAT)
        first = model._default_manager.filter(stale).order_by("seq").first()
        if first is None:
            return 0
        problems = verify(chunk_size, allow_legacy=True, model=model, head_model=head_model)
        if problems and not accept_problems:
            raise RekeyRefused(problems)
        key = current_key()
        keys = {key.id: key}
        base: models.QuerySet[AuditEntry] = models.QuerySet(
            model=model
        )  # the append-only manager refuses updates
        previous = model._default_manager.filter(seq__lt=first.seq).order_by("-seq").first()
        prev_hash = previous.hash if previous is not None else GENESIS_HASH
        fields = ["prev_hash", "key_id", "hash", *(["version"] if has_version else [])]
        count = 0
        batch: list[Any] = []
        for entry in _entries(model, chunk_size):
            if entry.seq < first.seq:
                continue
            entry.prev_hash, entry.key_id = prev_hash, key.id
            if has_version:
                entry.version = CURRENT_FORMAT
            entry.hash = compute_hash(entry, keys)
            prev_hash = entry.hash
            batch.append(entry)
            count += 1
            if len(batch) >= chunk_size:
                base.bulk_update(batch, fields)
                batch = []
        if batch:
            base.bulk_update(batch, fields)
        last = model._default_manager.order_by("-seq").first()
        models.QuerySet(model=head_model).filter(id=1).update(seq=last.seq, hash=last.hash)
        if log_entry:
            log(
                None,
                "audit.rekey",
                None,
                after={
                    "entries": count,
                    "from_seq": first.seq,
                    "key_id": key.id,
                    "accepted_problems": [f"{p.seq}: {p.message}" for p in problems],
                },
                object_type="organizations.auditentry",
                object_label="audit trail",
            )
    return count


# --- erasing a data subject's values -------------------------------------------------


def _pattern(values: Iterable[str]) -> re.Pattern[str] | None:
    words = sorted({v.strip() for v in values if v and len(v.strip()) >= 3}, key=len, reverse=True)
    if not words:
        return None
    # Whole words only: "Ali" must not match "Kalimantan".
    return re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.IGNORECASE
    )


def _holds(value: Any, pattern: re.Pattern[str] | None, exact: frozenset[str]) -> bool:
    """Whether a JSON value holds a match anywhere (in strings, keys excluded): the
    pattern inside text, an ``exact`` value (case-folded) as a whole string."""
    if isinstance(value, str):
        if value.strip().casefold() in exact:
            return True
        return pattern is not None and pattern.search(value) is not None
    if isinstance(value, dict):
        return any(_holds(v, pattern, exact) for v in value.values())
    if isinstance(value, list):
        return any(_holds(v, pattern, exact) for v in value)
    return False


def parts_holding(
    entry: Any, pattern: re.Pattern[str] | None, exact: frozenset[str] = frozenset()
) -> list[list[str]]:
    """Where an entry holds a match: ["object_label"], ["after", "phone"], ..."""
    parts: list[list[str]] = []
    for name in REDACTABLE:
        value = getattr(entry, name)
        if name in ("before", "after") and isinstance(value, dict):
            parts.extend([name, k] for k, v in value.items() if _holds(v, pattern, exact))
        elif _holds(value, pattern, exact):
            parts.append([name])
    return parts


def part_value(entry: Any, part: list[str]) -> Any:
    """The value at one place of an entry (see :func:`parts_holding`)."""
    value = getattr(entry, part[0])
    return value[part[1]] if len(part) == 2 else value


def _candidates(values: list[str], exact: list[str]) -> models.QuerySet[AuditEntry]:
    """Entries that may hold one of the values (a coarse text filter in the database;
    JSON may store non-ASCII letters escaped, so both spellings are looked for)."""
    from django.db.models.functions import Cast

    query = models.Q()
    for value in exact:
        query |= models.Q(object_label__iexact=value) | models.Q(actor_label__iexact=value)
        query |= models.Q(before_text__icontains=json.dumps(value))
        query |= models.Q(after_text__icontains=json.dumps(value))
    for value in values:
        for spelling in {value, json.dumps(value)[1:-1]}:
            query |= models.Q(object_label__icontains=spelling)
            query |= models.Q(actor_label__icontains=spelling)
            query |= models.Q(before_text__icontains=spelling)
            query |= models.Q(after_text__icontains=spelling)
    return (
        AuditEntry.objects.annotate(
            before_text=Cast("before", models.TextField()),
            after_text=Cast("after", models.TextField()),
        )
        .filter(query)
        .order_by("seq")
    )


def _wanted(values: Iterable[str]) -> list[str]:
    return [v.strip() for v in values if v and len(v.strip()) >= 3]


def entries_holding(values: Iterable[str], exact: Iterable[str] = ()) -> list[AuditEntry]:
    """The entries that hold one of ``values`` (whole words, any case) or one of ``exact``
    (as a whole value, any case) in their actor, object label or before/after content:
    what the trail holds about a person."""
    wanted, whole = _wanted(values), _wanted(exact)
    pattern, folded = _pattern(wanted), frozenset(v.casefold() for v in whole)
    if pattern is None and not folded:
        return []
    return [e for e in _candidates(wanted, whole) if parts_holding(e, pattern, folded)]


@dataclass
class Redaction:
    """What :func:`redact` did: the entries whose values it erased, and those it could
    not (in the old format, or signed with a key that is no longer configured)."""

    redacted: list[int]
    refused: list[int]
    entry: AuditEntry | None = None


def redact(
    actor: User | AnonymousUser | None,
    values: Iterable[str],
    *,
    exact: Iterable[str] = (),
    reason: str,
    object_type: str = "",
    object_id: str = "",
    office: Office | None = None,
) -> Redaction:
    """Erase ``values`` from the audit trail, keeping the chain verifiable.

    ``exact`` values are erased only where they are a whole value (a user name).
    Each value of an entry that holds one of them (its actor or object label, or one key
    of its before/after content) is replaced by :data:`REDACTED` and its keyed digest is
    kept in ``redacted``, which the hash covers in place of the value: the entry still
    verifies, the erased value is gone, and nobody without the audit key can check a
    guess against the digest. An ``audit.redact`` entry records which entries and why,
    not the values. Runs in one transaction; reads the matching entries.
    """
    wanted, whole = _wanted(values), _wanted(exact)
    pattern, folded = _pattern(wanted), frozenset(v.casefold() for v in whole)
    result = Redaction([], [])
    if pattern is None and not folded:
        return result
    keys = known_keys()
    base: models.QuerySet[AuditEntry] = models.QuerySet(model=AuditEntry)  # append-only
    with transaction.atomic():
        _lock_head()
        for entry in _candidates(wanted, whole):
            parts = parts_holding(entry, pattern, folded)
            if not parts:
                continue
            if entry.version < FORMAT_DIGESTS or entry.key_id not in keys:
                result.refused.append(entry.seq)
                continue
            field_key = keys[entry.key_id].field
            redacted: dict[str, Any] = dict(entry.redacted or {})
            changes: dict[str, Any] = {}
            for part in parts:
                name = part[0]
                value = getattr(entry, name)
                if len(part) == 2:
                    key_name = part[1]
                    digests = dict(redacted.get(name) or {})
                    digests[key_name] = field_digest(field_key, entry.seq, part, value[key_name])
                    redacted[name] = digests
                    content = dict(changes.get(name, value))
                    content[key_name] = REDACTED
                    changes[name] = content
                else:
                    redacted[name] = field_digest(field_key, entry.seq, part, value)
                    changes[name] = None if name == "ip" else REDACTED
            base.filter(pk=entry.pk).update(redacted=redacted, **changes)
            result.redacted.append(entry.seq)
        if result.redacted or result.refused:
            result.entry = log(
                actor,
                "audit.redact",
                None,
                after={
                    "entries": result.redacted,
                    "refused": result.refused,
                    "reason": reason,
                },
                object_type=object_type or "organizations.auditentry",
                object_id=object_id,
                object_label=reason[:255],
                office=office,
            )
    return result


# --- checkpoints ------------------------------------------------------------------------


CHECKPOINT_VERSION = 1


@dataclass(frozen=True)
class Checkpoint:
    """The chain's newest entry at a moment, signed with the audit key, to be kept outside
    the database (a file on another machine, a printout, an e-mail to the supervisor)."""

    seq: int
    hash: str
    at: datetime
    key_id: str
    mac: str = ""

    def _message(self) -> bytes:
        at = self.at.astimezone(UTC).isoformat(timespec="seconds")
        fields = (
            "prima-audit-checkpoint",
            CHECKPOINT_VERSION,
            self.seq,
            self.hash,
            at,
            self.key_id,
        )
        return "|".join(str(f) for f in fields).encode()

    def signed(self, key: AuditKey) -> Checkpoint:
        unsigned = Checkpoint(self.seq, self.hash, self.at, key.id)
        mac = hmac.new(key.checkpoint, unsigned._message(), hashlib.sha256).hexdigest()
        return Checkpoint(self.seq, self.hash, self.at, key.id, mac)

    def is_authentic(self, keys: dict[str, AuditKey]) -> bool:
        key = keys.get(self.key_id)
        if key is None:
            raise UnknownKey(self.key_id)
        expected = hmac.new(key.checkpoint, self._message(), hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, self.mac)

    def line(self) -> str:
        """One line of JSON, as written to the checkpoint file."""
        return json.dumps(
            {
                "prima_audit_checkpoint": CHECKPOINT_VERSION,
                "seq": self.seq,
                "hash": self.hash,
                "at": self.at.astimezone(UTC).isoformat(timespec="seconds"),
                "key_id": self.key_id,
                "mac": self.mac,
            },
            separators=(",", ":"),
        )

    @classmethod
    def parse(cls, line: str) -> Checkpoint:
        """Read one line written by :meth:`line`; ValueError if it is not one."""
        data = json.loads(line)
        if not isinstance(data, dict) or data.get("prima_audit_checkpoint") != CHECKPOINT_VERSION:
            raise ValueError("not a PRIMA audit checkpoint")
        at = datetime.fromisoformat(str(data["at"]))
        if at.tzinfo is None:
            raise ValueError("checkpoint time without a time zone")
        return cls(int(data["seq"]), str(data["hash"]), at, str(data["key_id"]), str(data["mac"]))


def make_checkpoint(now: datetime | None = None) -> Checkpoint:
    """A signed checkpoint of the newest entry (sequence 0 for an empty trail)."""
    last = AuditEntry.objects.order_by("-seq").first()
    seq, chain_hash = (last.seq, last.hash) if last is not None else (0, GENESIS_HASH)
    moment = (now or timezone.now()).replace(microsecond=0)
    return Checkpoint(seq, chain_hash, moment, "").signed(current_key())


def read_checkpoints(path: str | Path) -> tuple[list[Checkpoint], list[Problem]]:
    """The checkpoints of a file (one per line; blank lines and ``#`` comments skipped),
    and a problem for each line that is not a checkpoint."""
    checkpoints: list[Checkpoint] = []
    problems: list[Problem] = []
    text = Path(path).read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            checkpoints.append(Checkpoint.parse(line))
        except (ValueError, KeyError, TypeError):
            problems.append(Problem(None, f"checkpoint file line {number} is not a checkpoint"))
    return checkpoints, problems


def verify_checkpoints(checkpoints: Iterable[Checkpoint]) -> list[Problem]:
    """Compare the trail with checkpoints taken earlier.

    A checkpoint must be authentic (signed with a configured key: a forged or edited line
    is reported) and its entry must still be in the trail with the same hash. Together
    with :func:`verify` (which links every earlier entry to it) this finds rewriting of
    any entry up to the newest checkpoint, even by someone holding the key, and removal
    of the newest entries with the chain head moved back.
    """
    keys = known_keys()
    problems: list[Problem] = []
    last = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    for checkpoint in checkpoints:
        when = checkpoint.at.astimezone(UTC).isoformat(timespec="seconds")
        try:
            authentic = checkpoint.is_authentic(keys)
        except UnknownKey:
            problems.append(
                Problem(
                    checkpoint.seq,
                    f"the checkpoint of {when} is signed with key {checkpoint.key_id}, which "
                    "is not configured",
                )
            )
            continue
        if not authentic:
            problems.append(
                Problem(checkpoint.seq, f"the checkpoint of {when} is forged or was edited")
            )
            continue
        if checkpoint.seq == 0:
            continue
        found = AuditEntry.objects.filter(seq=checkpoint.seq).values_list("hash", flat=True)
        stored = found.first()
        if stored is None and checkpoint.seq > last:
            problems.append(
                Problem(
                    checkpoint.seq,
                    f"the trail ends at entry {last}, but the checkpoint of {when} saw entry "
                    f"{checkpoint.seq}: the newest entries were removed",
                )
            )
        elif stored is None:
            problems.append(
                Problem(
                    checkpoint.seq, f"entry {checkpoint.seq} of the checkpoint of {when} is missing"
                )
            )
        elif stored != checkpoint.hash:
            problems.append(
                Problem(
                    checkpoint.seq,
                    f"entry {checkpoint.seq} differs from the checkpoint of {when}: the trail "
                    "up to it was rewritten",
                )
            )
    return problems


@dataclass
class TrailReport:
    """What :func:`verify_trail` found: problems of the chain itself and of the
    checkpoints (unreadable lines included), the checkpoints read and the entry count."""

    problems: list[Problem]
    checkpoint_problems: list[Problem]
    checkpoints: list[Checkpoint]
    total: int


def verify_trail(checkpoint_file: str | Path | None = None) -> TrailReport:
    """The whole check of ``prima verify-audit`` (also run after a restore): the keyed
    chain (:func:`verify`) and, when a checkpoint file is given, every checkpoint in it
    (:func:`verify_checkpoints`). Raises FileNotFoundError for a missing file."""
    problems = verify()
    checkpoints: list[Checkpoint] = []
    checkpoint_problems: list[Problem] = []
    if checkpoint_file:
        if not Path(checkpoint_file).is_file():
            raise FileNotFoundError(str(checkpoint_file))
        checkpoints, unreadable = read_checkpoints(checkpoint_file)
        checkpoint_problems = unreadable + verify_checkpoints(checkpoints)
    return TrailReport(problems, checkpoint_problems, checkpoints, AuditEntry.objects.count())


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


def write_csv(
    entries: Iterable[AuditEntry], out: SupportsWrite[str], *, fmt: CsvFormat | None = None
) -> None:
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
                e.office.short_name if e.office_id and e.office else "",
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
