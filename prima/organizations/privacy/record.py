"""The record of processing activities (UU No. 27/2022 Ps. 31), generated from the
declarations every model carries (:mod:`.declarations`): there is no hand-written list.

:func:`build` groups the models that hold personal data by processing activity; the page
and the CSV are two views of it.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from django.db.models import Model
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .. import policy
from ..exports import Column, CsvFormat
from ..models import Office, Role
from . import labels
from .declarations import (
    Activity,
    DataCategory,
    LegalBasis,
    PersonalData,
    Retention,
    Start,
    Subject,
    personal,
)

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

_E = TypeVar("_E", bound=str)


@dataclass(frozen=True)
class Entry:
    """One kind of record holding personal data."""

    label: str  # app_label.ModelName
    name: str
    declaration: PersonalData
    field_names: tuple[str, ...]  # the verbose names of the declared fields

    @property
    def retention(self) -> str:
        return retention_text(self.declaration.retention)


@dataclass(frozen=True)
class ActivityRecord:
    """One processing activity: its purposes, bases, categories and kinds of record."""

    activity: Activity
    entries: tuple[Entry, ...]

    @property
    def purposes(self) -> list[str]:
        return _unique(str(e.declaration.purpose) for e in self.entries)

    @property
    def legal_bases(self) -> list[LegalBasis]:
        return _ordered(LegalBasis, (e.declaration.legal_basis for e in self.entries))

    @property
    def data(self) -> list[DataCategory]:
        return _ordered(DataCategory, (d for e in self.entries for d in e.declaration.data))

    @property
    def subjects(self) -> list[Subject]:
        return _ordered(Subject, (s for e in self.entries for s in e.declaration.subjects))

    @property
    def roles(self) -> list[Role]:
        return roles_for(a for e in self.entries for a in e.declaration.visible_to)


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _ordered(enum: Iterable[_E], values: Iterable[_E]) -> list[_E]:
    present = set(values)
    return [member for member in enum if member in present]


def roles_for(actions: Iterable[str]) -> list[Role]:
    """The roles that hold any of ``actions`` (in the order of :class:`Role`)."""
    held = {role for action in actions for role in policy.RULES.get(action, {})}
    return [role for role in Role if role in held]


def retention_text(retention: Retention) -> str:
    """ "730 hari sejak penggunaan terakhir" / "selama akun masih ada", with the note."""
    days = retention.period_days
    if retention.start in (Start.ACCOUNT, Start.RECORD, Start.KEPT) or days is None:
        text = capfirst(str(retention.start.label))
    elif days == 0:
        text = capfirst(_("until it expires"))
    else:
        text = ngettext("%(days)d day %(start)s", "%(days)d days %(start)s", days) % {
            "days": days,
            "start": retention.start.label,
        }
    if retention.note:
        text = f"{text}. {retention.note}"
    return str(text)


def _automatic(name: str, verbose: object) -> bool:
    """Is ``verbose`` Django's automatic name for a field called ``name``?"""
    return str(verbose) == name.replace("_", " ")


def field_label(model: type[Model], name: str) -> str:
    field = model._meta.get_field(name)
    verbose = getattr(field, "verbose_name", name)
    if _automatic(name, verbose) and name in labels.FIELDS:
        verbose = labels.FIELDS[name]
    return str(capfirst(verbose))


def model_label(model: type[Model]) -> str:
    meta = model._meta
    return str(labels.MODELS.get(meta.label) or capfirst(meta.verbose_name_plural))


def build() -> list[ActivityRecord]:
    """The record of processing: every activity with the kinds of record it uses."""
    grouped: dict[Activity, list[Entry]] = {}
    for model, declaration in personal():
        fields = tuple(field_label(model, name) for name in declaration.fields)
        grouped.setdefault(declaration.activity, []).append(
            Entry(
                label=model._meta.label,
                name=model_label(model),
                declaration=declaration,
                field_names=fields,
            )
        )
    return [ActivityRecord(a, tuple(grouped[a])) for a in Activity if a in grouped]


CSV_COLUMNS: Sequence[Column] = [
    Column("controller", gettext_lazy("Controller")),
    Column("activity", gettext_lazy("Processing activity")),
    Column("record", gettext_lazy("Kind of record")),
    Column("purpose", gettext_lazy("Purpose")),
    Column("legal_basis", gettext_lazy("Legal basis")),
    Column("data_categories", gettext_lazy("Categories of personal data")),
    Column("data_subjects", gettext_lazy("Categories of data subjects")),
    Column("fields", gettext_lazy("Fields")),
    Column("retention", gettext_lazy("Retention")),
    Column("visible_to", gettext_lazy("Who may see it")),
    Column("model", gettext_lazy("Model")),
]


def controller_text(office: Office) -> str:
    parts = [office.name, office.address, office.phone, office.email]
    return "; ".join(p.strip().replace("\n", ", ") for p in parts if p and p.strip())


def write_csv(office: Office, out: SupportsWrite[str], *, fmt: CsvFormat | None = None) -> None:
    """The record as CSV, one row per kind of record, grouped by activity (Indonesian
    headers and texts for Indonesian readers)."""
    fmt = fmt or CsvFormat()
    writer = csv.writer(out)
    writer.writerow(fmt.header(CSV_COLUMNS))
    with translation.override(fmt.language):
        controller = controller_text(office)
        for activity in build():
            for entry in activity.entries:
                d = entry.declaration
                writer.writerow(
                    [
                        controller,
                        str(activity.activity.label),
                        entry.name,
                        str(d.purpose),
                        str(d.legal_basis.label),
                        "; ".join(str(c.label) for c in d.data),
                        "; ".join(str(s.label) for s in d.subjects),
                        "; ".join(entry.field_names),
                        entry.retention,
                        "; ".join(str(r.label) for r in roles_for(d.visible_to)),
                        entry.label,
                    ]
                )
