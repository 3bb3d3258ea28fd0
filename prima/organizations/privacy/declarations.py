"""What personal data each model holds, declared on the model itself.

A model of PRIMA says, as a class attribute, either ::

    personal_data = PersonalData(
        activity=Activity.MEDIA_RELATIONS,
        purpose=_("Inviting journalists ..."),
        legal_basis=LegalBasis.PUBLIC_TASK,
        data=(DataCategory.IDENTITY, DataCategory.CONTACT),
        subjects=(Subject.JOURNALISTS,),
        fields=("journalist", "phone", "email"),
        identifiers={Lookup.NAME: ("journalist",), Lookup.PHONE: ("phone",)},
        retention=Retention(Start.LAST_USED, days=730, setting="..."),
        visible_to=("mediacontact.view",),
    )

or ``personal_data = NO_PERSONAL_DATA`` (or ``NoPersonalData(reason=...)`` where a field
looks personal but is not, e.g. an office's institutional e-mail address).

The record of processing (Ps. 31), retention (Ps. 43-44), the breach record (Ps. 46) and
data-subject requests are generated from these declarations; a test fails for a model
without one. :func:`registry` reads them through ``django.apps``, so this module imports
no app above ``organizations``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

StrOrPromise = str | Promise


class LegalBasis(models.TextChoices):
    """The grounds for processing of UU No. 27/2022 Ps. 20 ayat (2), letters a-f."""

    CONSENT = "consent", _("Explicit consent of the data subject (Art. 20(2)(a))")
    CONTRACT = "contract", _("Performance of an agreement with the data subject (Art. 20(2)(b))")
    LEGAL_OBLIGATION = "legal_obligation", _("Legal obligation of the controller (Art. 20(2)(c))")
    VITAL_INTEREST = "vital_interest", _("Vital interest of the data subject (Art. 20(2)(d))")
    PUBLIC_TASK = (
        "public_task",
        _("Public interest, public service or the controller's lawful authority (Art. 20(2)(e))"),
    )
    LEGITIMATE_INTEREST = "legitimate_interest", _("Legitimate interest (Art. 20(2)(f))")


class Activity(models.TextChoices):
    """Processing activities: the rows of the record of processing."""

    ACCOUNTS = "accounts", _("Staff accounts and sign-in")
    AUDIT = "audit", _("Audit trail")
    STAFF_WORK = "staff_work", _("Record of staff work")
    MONITORING = "monitoring", _("Media monitoring")
    MEDIA_RELATIONS = "media_relations", _("Media relations and press conferences")
    SPOKESPEOPLE = "spokespeople", _("Spokespeople")
    CRISIS = "crisis", _("Crisis handling and alerts")
    PUBLIC_SUBMISSIONS = "public_submissions", _("Questions and reports from the public")
    PUBLIC_CONTACT = "public_contact", _("Published contact persons")
    DOCUMENTS = "documents", _("Generated documents")
    PERSONAL_DATA = "personal_data", _("Personal-data protection")


class DataCategory(models.TextChoices):
    """Categories of personal data."""

    IDENTITY = "identity", _("Name, title and position")
    CONTACT = "contact", _("Contact details (phone, WhatsApp, e-mail)")
    ACCOUNT = "account", _("Account data (user name, password hash, roles)")
    ONLINE_ID = "online_id", _("Online identifiers (IP address, social-media handle)")
    CONTENT = "content", _("What the person wrote or said")
    PROFESSIONAL = "professional", _("Professional details (outlet, beat, decree)")
    ACTIVITY = "activity", _("Actions taken in PRIMA and when")
    AUDIENCE = "audience", _("Audience figures (followers, engagement)")
    MESSAGES = "messages", _("Messages sent to the person")


class Subject(models.TextChoices):
    """Categories of data subjects."""

    STAFF = "staff", _("Office staff")
    JOURNALISTS = "journalists", _("Journalists and media contacts")
    SPOKESPEOPLE = "spokespeople", _("Spokespeople")
    PUBLIC = "public", _("Members of the public who ask or report")
    AUTHORS = "authors", _("Authors of monitored posts and articles")
    VISITORS = "visitors", _("People who try to sign in")
    AFFECTED = "affected", _("People affected by a personal-data breach")


class Lookup(StrEnum):
    """How a data subject is found (data-subject requests)."""

    USER = "user"  # a foreign key to the staff account
    NAME = "name"
    PHONE = "phone"
    EMAIL = "email"
    HANDLE = "handle"
    REFERENCE = "reference"
    IP = "ip"


class Start(models.TextChoices):
    """What starts a retention period (or why there is none)."""

    CREATED = "created", _("from when the record was made")
    PUBLISHED = "published", _("from publication")
    SUBMITTED = "submitted", _("from submission")
    LAST_USED = "last_used", _("from the last use")
    REVOKED = "revoked", _("from revocation")
    EXPIRED = "expired", _("from expiry")
    ACCOUNT = "account", _("as long as the account exists")
    RECORD = "record", _("as long as the record it belongs to is kept")
    KEPT = "kept", _("kept permanently")


@dataclass(frozen=True)
class Retention:
    """How long a model's personal data is kept.

    ``days`` counted from ``start``; ``setting`` names a Django setting that overrides
    ``days``; ``purge`` is the dotted path of the function that applies it,
    ``purge(cutoff: datetime, *, dry_run: bool) -> int`` (rows removed or erased). A
    retention without ``days`` (ACCOUNT, RECORD, KEPT) is not run by a schedule.
    """

    start: Start
    days: int | None = None
    setting: str = ""
    purge: str = ""
    note: StrOrPromise = ""

    @property
    def period_days(self) -> int | None:
        """The period in force: the setting if it is set, otherwise ``days``."""
        if self.setting:
            value = getattr(settings, self.setting, None)
            if value is not None:
                return int(value)
        return self.days

    def cutoff(self, now: datetime) -> datetime | None:
        days = self.period_days
        return None if days is None else now - timedelta(days=days)


KEPT_WITH_RECORD = Retention(Start.RECORD)
KEPT_WITH_ACCOUNT = Retention(Start.ACCOUNT)


@dataclass(frozen=True)
class PersonalData:
    """A model's declaration of the personal data it holds (record of processing)."""

    activity: Activity
    purpose: StrOrPromise
    legal_basis: LegalBasis
    data: tuple[DataCategory, ...]
    subjects: tuple[Subject, ...]
    fields: tuple[str, ...]
    retention: Retention
    visible_to: tuple[str, ...]
    identifiers: Mapping[Lookup, tuple[str, ...]] = field(default_factory=dict)
    office: str = "office"  # lookup path to the owning Office; "" for none
    note: StrOrPromise = ""

    def __post_init__(self) -> None:
        # Frozen all the way down: nobody changes a declaration at run time.
        object.__setattr__(self, "identifiers", MappingProxyType(dict(self.identifiers)))

    holds_personal_data = True


@dataclass(frozen=True)
class NoPersonalData:
    """The explicit marker of a model holding no personal data (with the reason where a
    field looks personal, e.g. an office's institutional e-mail address)."""

    reason: StrOrPromise = ""
    holds_personal_data = False


NO_PERSONAL_DATA = NoPersonalData()

Declaration = PersonalData | NoPersonalData


def staff_record(
    activity: Activity,
    purpose: StrOrPromise,
    users: tuple[str, ...],
    *,
    visible_to: tuple[str, ...],
    names: tuple[str, ...] = (),
    office: str = "office",
    data: tuple[DataCategory, ...] = (DataCategory.ACTIVITY,),
    retention: Retention = KEPT_WITH_RECORD,
    note: StrOrPromise = "",
) -> PersonalData:
    """The common declaration of a record that names the staff who did the work (its
    ``users``: foreign keys to the account, e.g. author, approver; ``names``: a staff
    member's name typed in as text)."""
    identifiers: dict[Lookup, tuple[str, ...]] = {}
    if users:
        identifiers[Lookup.USER] = users
    if names:
        identifiers[Lookup.NAME] = names
    return PersonalData(
        activity=activity,
        purpose=purpose,
        legal_basis=LegalBasis.PUBLIC_TASK,
        data=data if not names else (DataCategory.IDENTITY, *data),
        subjects=(Subject.STAFF,),
        fields=(*users, *names),
        identifiers=identifiers,
        retention=retention,
        visible_to=visible_to,
        office=office,
        note=note,
    )


@dataclass(frozen=True)
class Declared:
    """One model with its declaration (``label`` is ``app_label.ModelName``)."""

    model: type[models.Model]
    declaration: Declaration

    @property
    def label(self) -> str:
        return self.model._meta.label

    @property
    def verbose_name(self) -> StrOrPromise:
        return self.model._meta.verbose_name_plural or self.label


def prima_models() -> list[type[models.Model]]:
    """Every concrete model of PRIMA's own apps."""
    return [m for m in apps.get_models() if m.__module__.startswith("prima.")]


# Models of Django itself that hold personal data PRIMA is responsible for.
def _session_declaration() -> PersonalData:
    return PersonalData(
        activity=Activity.ACCOUNTS,
        purpose=_("Keeping a signed-in user signed in."),
        legal_basis=LegalBasis.PUBLIC_TASK,
        data=(DataCategory.ACCOUNT, DataCategory.ONLINE_ID),
        subjects=(Subject.STAFF,),
        fields=("session_data",),
        retention=Retention(
            Start.EXPIRED,
            days=0,
            purge="prima.organizations.sessions.purge_expired_sessions",
            note=_("Deleted when the session expires (SESSION_COOKIE_AGE)."),
        ),
        visible_to=(),
        office="",
    )


EXTRA_MODELS: Mapping[str, Any] = MappingProxyType({"sessions.Session": _session_declaration})


def declaration_of(model: type[models.Model]) -> Declaration | None:
    extra = EXTRA_MODELS.get(model._meta.label)
    if extra is not None:
        value: Declaration = extra()
        return value
    found = getattr(model, "personal_data", None)
    return found if isinstance(found, PersonalData | NoPersonalData) else None


def registry(*, personal_only: bool = False) -> list[Declared]:
    """Every PRIMA model (and the Django models of ``EXTRA_MODELS``) with its declaration,
    in app order. Raises ``LookupError`` for a model that declares nothing (a test makes
    sure there is none)."""
    found: list[Declared] = []
    extra = [apps.get_model(label) for label in EXTRA_MODELS if _installed(label)]
    for model in [*prima_models(), *extra]:
        declaration = declaration_of(model)
        if declaration is None:
            raise LookupError(f"{model._meta.label} declares no personal_data")
        if personal_only and not declaration.holds_personal_data:
            continue
        found.append(Declared(model, declaration))
    return found


def personal() -> Iterator[tuple[type[models.Model], PersonalData]]:
    """The models that hold personal data, with their declarations."""
    for item in registry(personal_only=True):
        assert isinstance(item.declaration, PersonalData)  # noqa: S101 - narrowed above
        yield item.model, item.declaration


def _installed(label: str) -> bool:
    try:
        apps.get_model(label)
    except LookupError:
        return False
    return True
