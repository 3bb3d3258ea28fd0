"""The audit trail as people read it: action labels and field names in their language,
values as they are written elsewhere (dates in WIB, "Ya"/"Tidak", choice labels, people's
names). The stored entries are untouched: this only presents them.

Apps register labels for the action codes they write (``register_labels`` in their
``AppConfig.ready``); an unregistered code still reads as a sentence from its object and
verb ("mediacontact.update" → "Media contact changed"), and a test keeps every code written
in the code base registered.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from prima.lib import dates
from prima.lib.prose import shorten

from .models import AuditEntry, User

_LABELS: dict[str, Promise | str] = {}
# Keys of entries that are not model fields ("approval_voided", "reason"…), by app.
_FIELD_LABELS: dict[str, Promise | str] = {
    "reason": gettext_lazy("reason"),
    "confirmed_warnings": gettext_lazy("warnings confirmed"),
    "confirmation_reason": gettext_lazy("reason for going ahead"),
}

# "<object>.<verb>" codes nobody registered read as "<Object> <verb>".
VERBS: dict[str, Promise] = {
    "create": gettext_lazy("%(thing)s created"),
    "add": gettext_lazy("%(thing)s added"),
    "update": gettext_lazy("%(thing)s changed"),
    "edit": gettext_lazy("%(thing)s changed"),
    "delete": gettext_lazy("%(thing)s deleted"),
    "remove": gettext_lazy("%(thing)s removed"),
}

# Fields that say nothing to a reader (row identity, optimistic-locking counters).
EMPTY: tuple[object, ...] = (None, "", [], {})
HIDDEN_FIELDS = {"id", "version", "conference", "rsvp_key", "code"}


def register_labels(labels: Mapping[str, Promise | str]) -> None:
    """Register human labels (lazy translations) for action codes."""
    _LABELS.update(labels)


def register_field_labels(labels: Mapping[str, Promise | str]) -> None:
    """Register labels for keys of entries that are not fields of the entry's model."""
    _FIELD_LABELS.update(labels)


def registered_codes() -> set[str]:
    return set(_LABELS)


def _models_by_name() -> dict[str, type[models.Model]]:
    return {m._meta.model_name: m for m in apps.get_models() if m._meta.model_name}


def action_label(code: str) -> str:
    """The action in the active language: registered, else "<object> <verb>", else the
    code itself."""
    if code in _LABELS:
        return str(_LABELS[code])
    thing, _sep, verb = code.rpartition(".")
    model = _models_by_name().get(thing.rpartition(".")[2])
    if verb in VERBS and model is not None:
        return capfirst(str(VERBS[verb]) % {"thing": model._meta.verbose_name})
    return code


@dataclass
class ChangeRow:
    field: str
    before: str
    after: str


class _Names:
    """People and parts named in a page of entries, fetched at the end: one query for the
    people, one per kind of part (checklist item, fact…), whatever the number of entries."""

    def __init__(self) -> None:
        self.wanted: set[int] = set()
        self.rows: list[tuple[ChangeRow, str, Any, Any]] = []
        self.parts: dict[type[models.Model], dict[str, list[ChangeRow]]] = {}

    def part(self, model: type[models.Model], pk: str, rows: list[ChangeRow]) -> None:
        self.parts.setdefault(model, {}).setdefault(pk, []).extend(rows)

    def resolve(self) -> None:
        if self.wanted:
            names = {u.pk: str(u) for u in User.objects.filter(pk__in=self.wanted)}
            for row, side, value, _field in self.rows:
                text = names.get(value, f"#{value}") if isinstance(value, int) else "—"
                setattr(row, side, text)
        for model, by_pk in self.parts.items():
            pks = [pk for pk in by_pk if pk.isdigit()]
            objects = model._default_manager.in_bulk([int(pk) for pk in pks])
            for pk, rows in by_pk.items():
                obj = objects.get(int(pk)) if pk.isdigit() else None
                if obj is None:
                    continue
                name = shorten(str(obj), 50)
                for row in rows:
                    head, sep, tail = row.field.partition(" · ")
                    row.field = f"{head} “{name}” · {tail}" if sep else f"{head} “{name}”"


def _format(value: Any, field: models.Field[Any, Any] | None, tz: str) -> str:
    if value is None or value == "" or value == []:
        return "—"
    lang = get_language() or "id"
    if field is not None and field.choices:
        labels = {str(k): str(v) for k, v in field.flatchoices}
        if isinstance(value, list):
            return ", ".join(labels.get(str(v), str(v)) for v in value)
        return labels.get(str(value), str(value))
    if isinstance(value, bool) or isinstance(field, models.BooleanField):
        return _("Yes") if value else _("No")
    if isinstance(field, models.DateTimeField) or (
        field is None and isinstance(value, str) and len(value) >= 19 and value[10:11] == "T"
    ):
        try:
            return dates.format_datetime(datetime.fromisoformat(str(value)), lang, tz_name=tz)
        except ValueError:
            return str(value)
    if isinstance(field, models.DateField):
        try:
            return dates.format_date(date.fromisoformat(str(value)), lang, weekday=False)
        except ValueError:
            return str(value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _field(model: type[models.Model] | None, name: str) -> models.Field[Any, Any] | None:
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - a key that is not (or no longer) a field
        return None
    return field if isinstance(field, models.Field) else None


def _field_label(model: type[models.Model] | None, name: str) -> str:
    field = _field(model, name)
    if field is not None:
        return capfirst(str(field.verbose_name))
    if name in _FIELD_LABELS:
        return capfirst(str(_FIELD_LABELS[name]))
    return capfirst(name.replace("_", " "))


def _rows_for(
    model: type[models.Model] | None,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    prefix: str,
    names: _Names,
    tz: str,
) -> list[ChangeRow]:
    rows = []
    keys = sorted(set(before) | set(after), key=lambda k: (k not in after, k))
    for key in keys:
        if key in HIDDEN_FIELDS:
            continue
        old, new = before.get(key), after.get(key)
        if (before and after and old == new) or (old in EMPTY and new in EMPTY):
            continue
        field = _field(model, key)
        label = _field_label(model, key)
        row = ChangeRow(f"{prefix}{label}", "", "")
        for side, value in (("before", old), ("after", new)):
            user_fk = (
                field is not None
                and isinstance(field, models.ForeignKey)
                and field.related_model is User
            ) or (field is None and key.endswith("_by") and isinstance(value, int))
            if user_fk and value is not None:
                names.wanted.add(value)
                names.rows.append((row, side, value, field))
            else:
                setattr(row, side, _format(value, field, tz))
        rows.append(row)
    return rows


def change_rows(
    entry: AuditEntry, names: _Names, by_name: dict[str, type[models.Model]]
) -> list[ChangeRow]:
    """What changed, one row per field: parts of a conference (``"fact:12": {…}``) get
    their own rows, named after the part ("Fact · Verified by")."""
    before, after = entry.before or {}, entry.after or {}
    try:
        model = apps.get_model(entry.object_type) if entry.object_type else None
    except (LookupError, ValueError):
        model = None
    tz = entry.office.timezone if entry.office_id and entry.office else dates.DEFAULT_TZ
    plain_before = {k: v for k, v in before.items() if ":" not in k}
    plain_after = {k: v for k, v in after.items() if ":" not in k}
    rows = _rows_for(model, plain_before, plain_after, "", names, tz)
    for key in sorted({k for k in (*before, *after) if ":" in k}):
        kind, _sep, pk = key.partition(":")
        part = by_name.get(kind)
        prefix = capfirst(str(part._meta.verbose_name)) if part else capfirst(kind)
        old, new = before.get(key), after.get(key)
        if not isinstance(old, dict) and not isinstance(new, dict):
            row = ChangeRow(prefix, _format(old, None, tz), _format(new, None, tz))
            rows.append(row)
            continue
        part_rows = _rows_for(part, old or {}, new or {}, f"{prefix} · ", names, tz)
        if part is not None:
            names.part(part, pk, part_rows)
        rows += part_rows
    return rows


def present(entries: Iterable[AuditEntry]) -> list[AuditEntry]:
    """Attach ``label`` (the action in the user's language) and ``rows`` (what changed) to
    each entry. One query for the people the changes name, whatever the number of
    entries."""
    entries = list(entries)
    names, by_name = _Names(), _models_by_name()
    for entry in entries:
        # Display attributes, read by the templates (the entries themselves never change).
        setattr(entry, "label", action_label(entry.action))
        # Entries without a person were made by PRIMA itself (a task, a journalist's link).
        actor = entry.actor_label if entry.actor_id else _("PRIMA (automatic)")
        setattr(entry, "actor_display", actor)
        setattr(entry, "rows", change_rows(entry, names, by_name))
    names.resolve()
    return entries
