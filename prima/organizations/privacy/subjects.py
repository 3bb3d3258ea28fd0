"""Finding everything PRIMA holds about one person (a data subject).

A subject is named by its kind and what the requester gave (a journalist's name, phone
or e-mail; a portal submission's reference; a social-media handle; a staff user name).
Each app says, in its own ``privacy.py`` module (autodiscovered at start-up, like
``admin.py``; this module imports no app above ``organizations``):

- how a subject of a kind is resolved into the values that identify them
  (:func:`resolver`): the contact's name, phone and e-mail for a journalist, say;
- where such values may live (:func:`register` a :class:`Finder` per model): which
  fields, and what erasure does there — delete the row, or pseudonymise it where the row
  must be kept (a public-task record such as a conference's attendance list, a published
  release), with the reason shown to the staff who handle the request.

:func:`find` runs every finder over the request's office and the offices below it and
returns the rows and fields that hold the person's values (whole words, any case).
The audit trail is searched separately (``audit.entries_holding``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models.fields.files import FieldFile
from django.db.models.functions import Cast
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from prima.organizations.models import Office


class SubjectKind(models.TextChoices):
    JOURNALIST = "journalist", _("Journalist or media contact")
    SUBMITTER = "submitter", _("Member of the public (portal submission)")
    ACCOUNT = "account", _("Social-media account")
    STAFF = "staff", _("Staff user")


ALL_KINDS = frozenset(SubjectKind.values)


class Treatment(models.TextChoices):
    """What erasure does to a row that holds the person's data."""

    DELETE = "delete", _("Delete")
    PSEUDONYMISE = "pseudonymise", _("Pseudonymise")


class Exact(str):
    """A value that identifies the person only as a whole field value, never inside
    text: a user name such as "humas" is also an ordinary word."""

    __slots__ = ()


@dataclass(frozen=True)
class Subject:
    """One person: the values that identify them, searched in the office's subtree."""

    kind: str
    query: str
    identifiers: tuple[str, ...]
    office: Office

    def pattern(self) -> re.Pattern[str] | None:
        """Matches the identifiers found inside text (the :class:`Exact` ones are not)."""
        return identifier_pattern(v for v in self.identifiers if not isinstance(v, Exact))

    @property
    def exact(self) -> frozenset[str]:
        """The :class:`Exact` identifiers, case-folded."""
        return frozenset(v.casefold() for v in self.identifiers if isinstance(v, Exact))

    def holds(self, value: Any) -> bool:
        pattern = self.pattern()
        if isinstance(value, str) and value.strip().casefold() in self.exact:
            return True
        return pattern is not None and holds(value, pattern)

    def replace(self, value: Any, new: str) -> Any:
        if isinstance(value, str) and value.strip().casefold() in self.exact:
            return new
        pattern = self.pattern()
        return value if pattern is None else replace(value, pattern, new)


MIN_LENGTH = 3


def clean_identifiers(values: Iterable[str]) -> tuple[str, ...]:
    """Distinct, stripped values long enough to mean a person, longest first."""
    seen: dict[str, str] = {}
    for value in values:
        kind = Exact if isinstance(value, Exact) else str
        value = kind((value or "").strip())
        if len(value) >= MIN_LENGTH:
            # A value that some resolver says is exact (a user name) stays exact.
            if isinstance(value, Exact) or value.casefold() not in seen:
                seen[value.casefold()] = value
    return tuple(sorted(seen.values(), key=lambda v: (-len(v), v)))


def identifier_pattern(values: Iterable[str]) -> re.Pattern[str] | None:
    """A case-insensitive pattern matching any of the values as a whole word ("Ali"
    does not match "Kalimantan")."""
    words = clean_identifiers(values)
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in words)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def holds(value: Any, pattern: re.Pattern[str]) -> bool:
    """Whether a text or JSON value holds a match (in strings and in object keys)."""
    if isinstance(value, str):
        return pattern.search(value) is not None
    if isinstance(value, dict):
        return any(holds(k, pattern) or holds(v, pattern) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(holds(v, pattern) for v in value)
    return False


def replace(value: Any, pattern: re.Pattern[str], new: str) -> Any:
    """The value with every match replaced by ``new`` (in JSON: strings and keys)."""
    if isinstance(value, str):
        return pattern.sub(lambda _m: new, value)
    if isinstance(value, dict):
        return {replace(k, pattern, new): replace(v, pattern, new) for k, v in value.items()}
    if isinstance(value, list):
        return [replace(v, pattern, new) for v in value]
    return value


@dataclass
class Hit:
    """One row holding the person's data, and the fields (name → value) that do."""

    finder: Finder
    obj: models.Model
    fields: dict[str, Any]

    @property
    def label(self) -> str:
        return str(self.obj)[:200]


@dataclass
class Finder:
    """Where one model may hold a subject's values, and what erasure does there.

    ``fields`` are text or JSON fields searched for the identifiers; ``clear_fields``
    are among them and hold nothing but the person's value (a phone number, an e-mail):
    pseudonymisation empties them instead of writing the pseudonym. ``linked`` are
    lookups (``contact__phone``) whose exact value identifies the row as the person's
    even when its own fields do not name them (an invitation of the contact).
    ``office`` is the lookup of the row's office (``""``: rows of no office, searched
    for every request). ``why`` says, for the staff handling the request, why erasure
    does what it does here.
    """

    model: type[models.Model]
    fields: tuple[str, ...]
    treatment: str
    why: str | Promise
    kinds: frozenset[str] = ALL_KINDS
    clear_fields: tuple[str, ...] = ()
    linked: tuple[str, ...] = ()
    office: str = "office"
    blank_fields: dict[str, Any] = field(default_factory=dict)
    # Erasure runs finders in this order (rows that protect others go last).
    order: int = 0
    # Fields exported with a hit although they do not name the person (the outlet and
    # sign-in time of an attendance): they are about the person in that row.
    also_export: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return self.model._meta.label_lower

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    def field_label(self, name: str) -> str:
        try:
            found = self.model._meta.get_field(name)
        except Exception:  # noqa: BLE001 - a computed field
            return name
        return str(getattr(found, "verbose_name", name))

    def scoped(self, subject: Subject) -> models.QuerySet[Any]:
        queryset = self.model._default_manager.all()
        if self.office:
            offices = subject.office.subtree().values("pk")
            queryset = queryset.filter(**{f"{self.office}__in": offices})
        return queryset

    def candidates(self, subject: Subject) -> models.QuerySet[Any]:
        """Rows that may hold a value (a coarse filter in the database; JSON fields are
        searched as text, where non-ASCII letters may be escaped)."""
        query = models.Q()
        annotations: dict[str, Any] = {}
        for name in self.fields:
            target = name
            if isinstance(self.model._meta.get_field(name), models.JSONField):
                target = f"_{name}_text"
                annotations[target] = Cast(name, models.TextField())
            for value in subject.identifiers:
                if isinstance(value, Exact):
                    query |= models.Q(**{f"{name}__iexact": value})
                    continue
                for spelling in {value, _json_escaped(value)}:
                    query |= models.Q(**{f"{target}__icontains": spelling})
        for lookup in self.linked:
            for value in subject.identifiers:
                query |= models.Q(**{f"{lookup}__iexact": value})
        if not query:
            nothing: models.QuerySet[Any] = self.model._default_manager.none()
            return nothing
        found: models.QuerySet[Any] = (
            self.scoped(subject).annotate(**annotations).filter(query).distinct()
        )
        return found

    def find(self, subject: Subject) -> list[Hit]:
        if not subject.identifiers or subject.kind not in self.kinds:
            return []
        hits: list[Hit] = []
        for obj in self.candidates(subject).order_by("pk"):
            found = {
                name: getattr(obj, name)
                for name in self.fields
                if subject.holds(getattr(obj, name))
            }
            if found or self.linked:
                hits.append(Hit(self, obj, found))
        return hits

    # --- changing the rows (called by requests/erasure, in their transaction) ---------

    def correct(self, hit: Hit, old: Subject, new: str) -> list[str]:
        """Replace the old value (the identifiers of ``old``) by ``new`` in the hit's
        fields; return the names of the fields changed."""
        changed = []
        for name in hit.fields:
            value = getattr(hit.obj, name)
            updated = old.replace(value, new)
            if updated != value:
                setattr(hit.obj, name, updated)
                changed.append(name)
        if changed:
            self.model._default_manager.filter(pk=hit.obj.pk).update(
                **{name: getattr(hit.obj, name) for name in changed}
            )
        return changed

    def erase(self, hit: Hit, subject: Subject, pseudonym: str) -> None:
        """Delete the row, or pseudonymise it: the person's values replaced by the
        pseudonym (fields holding nothing else emptied)."""
        if self.treatment == Treatment.DELETE:
            self.model._default_manager.filter(pk=hit.obj.pk).delete()
            return
        updates: dict[str, Any] = {}
        for name in hit.fields:
            if name in self.clear_fields:
                updates[name] = self.blank_fields.get(name, "")
            else:
                updates[name] = subject.replace(getattr(hit.obj, name), pseudonym)
        if updates:
            self.model._default_manager.filter(pk=hit.obj.pk).update(**updates)

    def exported(self, hit: Hit) -> dict[str, Any]:
        """What an access export shows of a hit: the fields holding the person's data and
        ``also_export``, by their labels."""
        names = [*hit.fields, *(n for n in self.also_export if n not in hit.fields)]
        out: dict[str, Any] = {}
        for name in names:
            value = hit.fields.get(name, getattr(hit.obj, name, None))
            if isinstance(value, models.Model):
                value = str(value)
            elif isinstance(value, FieldFile):
                value = value.name  # a stored file's name
            out[self.field_label(name)] = value
        return out

    def files(self, hit: Hit) -> list[str]:
        """Names of stored files of the hit that hold the person's data (none here)."""
        return []


def _json_escaped(value: str) -> str:
    import json

    return json.dumps(value)[1:-1]


# --- the registries ---------------------------------------------------------------------

_finders: dict[str, Finder] = {}
_resolvers: dict[str, list[Callable[[str, Office], Iterable[str]]]] = {}


def register(finder: Finder) -> Finder:
    """Add a finder (one per model; registering a model again replaces it)."""
    _finders[finder.key] = finder
    return finder


def resolver(
    kind: str,
) -> Callable[[Callable[[str, Office], Iterable[str]]], Callable[[str, Office], Iterable[str]]]:
    """Decorator: ``fn(query, office)`` returns the values that identify a subject of
    ``kind`` named by ``query`` in the office's subtree (e.g. the phone and e-mail of the
    contact whose name was given)."""

    def add(fn: Callable[[str, Office], Iterable[str]]) -> Callable[[str, Office], Iterable[str]]:
        _resolvers.setdefault(kind, []).append(fn)
        return fn

    return add


def finders() -> list[Finder]:
    """Every registered finder, in erasure order."""
    return sorted(_finders.values(), key=lambda f: (f.order, f.key))


def get_finder(key: str) -> Finder:
    return _finders[key]


def autodiscover() -> None:
    """Import every installed app's ``privacy`` module (called by the app's ready())."""
    from django.utils.module_loading import autodiscover_modules

    from . import staff  # noqa: F401 - the foundation's own finders

    autodiscover_modules("privacy")


def subject(kind: str, query: str, office: Office) -> Subject:
    """The subject of ``kind`` named by ``query``: the query itself and whatever the
    apps' resolvers add."""
    values: list[str] = [query]
    for fn in _resolvers.get(kind, []):
        values.extend(fn(query, office))
    return Subject(kind, query.strip(), clean_identifiers(values), office)


def find(subj: Subject) -> list[Hit]:
    """Every row, in every registered model, that holds the subject's values."""
    hits: list[Hit] = []
    for finder in finders():
        hits.extend(finder.find(subj))
    return hits


def by_finder(hits: Iterable[Hit]) -> Iterator[tuple[Finder, list[Hit]]]:
    grouped: dict[str, list[Hit]] = {}
    for hit in hits:
        grouped.setdefault(hit.finder.key, []).append(hit)
    for key in sorted(grouped):
        yield get_finder(key), grouped[key]


def digits(value: str) -> str:
    """A phone number's digits, with Indonesia's +62 written as a leading 0."""
    only = re.sub(r"\D", "", value or "")
    return "0" + only[2:] if only.startswith("62") else only
