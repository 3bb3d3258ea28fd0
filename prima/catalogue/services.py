"""The service catalogue's rules and its public Python API.

Changes (pages, API, admin and the demo loader all call these):

- :func:`create_service` — a new service with its first draft (``service.edit``);
- :func:`start_draft` — a new draft from the version in force (one open version per service);
- :func:`update_draft` — change a draft's content and fees (optimistic ``revision`` check);
- :func:`submit` — ask for approval;
- :func:`publish` — approve and publish (``service.approve``; never by anyone who wrote
  the version: four eyes);
- :func:`return_version` — send it back with a reason; :func:`discard` — drop a draft.

Every change checks the policy, locks the version row, writes exactly one audit entry in
the same transaction, and raises :class:`CatalogueError` (nothing written) when refused.

Reading (no policy: only published content, which is public):

- :func:`version_in_force` — the version of one service that applies on a day;
- :func:`published_services` — the versions in force for an office on a day (pages);
- :func:`facts_for` — the same as plain, structured values (:class:`ServiceFacts` with
  :class:`FeeFact` and :class:`DurationFact`): what other apps check statements against;
- :func:`history` — the published versions of a service with the period each applied.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from prima.lib.errors import RefusedChange
from prima.organizations import audit, policy
from prima.organizations.models import Office, User

from .models import (
    EDITABLE_STATES,
    OPEN_STATES,
    Category,
    DurationUnit,
    Fee,
    FeeUnit,
    Service,
    ServiceVersion,
    VersionState,
    format_amount,
    format_duration,
)

# Content a draft carries (besides its fees); lists are lists of strings.
TEXT_FIELDS = ("name", "name_en", "summary", "summary_en", "duration_note", "legal_basis",
               "product", "product_en", "change_note")  # fmt: skip
LIST_FIELDS = ("requirements", "requirements_en", "procedure", "procedure_en",
               "complaint_channels", "rights", "rights_en", "obligations",
               "obligations_en")  # fmt: skip
CONTENT_FIELDS = (*TEXT_FIELDS, *LIST_FIELDS, "effective_from", "duration_value",
                  "duration_unit", "is_example")  # fmt: skip
FEE_FIELDS = ("code", "label", "label_en", "amount", "currency", "unit", "legal_basis",
              "is_surcharge")  # fmt: skip
MAX_FEES = 30
MAX_LIST_ITEMS = 40
_CURRENCY = re.compile(r"^[A-Z]{3}$")


# --- Errors -------------------------------------------------------------------------------
class CatalogueError(RefusedChange):
    """A refused change; nothing was written. ``message`` is translated for the user and
    ``field`` names the form field at fault, if any."""

    default_message = gettext_lazy("This change is not possible.")


class ConflictError(CatalogueError):
    default_message = gettext_lazy(
        "Someone else changed this version in the meantime. Reload the page and try again."
    )
    status_code = 409


class FourEyesError(CatalogueError):
    default_message = gettext_lazy(
        "A version is approved by a second person: you wrote this one, so you cannot publish it."
    )
    status_code = 403


class InvalidState(CatalogueError):
    status_code = 409


# --- Structured facts (the public Python API) --------------------------------------------
@dataclass(frozen=True)
class FeeFact:
    code: str
    label: str
    label_en: str
    amount: Decimal
    currency: str
    unit: str
    legal_basis: str
    is_surcharge: bool

    @property
    def text(self) -> str:
        """ "Rp 350.000"."""
        return format_amount(self.amount, self.currency)


@dataclass(frozen=True)
class DurationFact:
    value: int
    unit: str
    note: str

    def text(self, lang: str = "id") -> str:
        """ "4 (empat) hari kerja"."""
        return format_duration(self.value, self.unit, lang)


@dataclass(frozen=True)
class ServiceFacts:
    """What an office publishes about one service on a day, as plain values."""

    office_id: int
    office_code: str
    service_id: int
    code: str
    category: str
    name: str
    name_en: str
    version_id: int
    version_number: int
    effective_from: date
    # The day before the next published version applies (None: no later version yet).
    effective_until: date | None
    legal_basis: str
    duration: DurationFact
    fees: tuple[FeeFact, ...] = field(default_factory=tuple)
    is_example: bool = False

    def fee(self, code: str) -> FeeFact | None:
        return next((f for f in self.fees if f.code == code), None)


@dataclass(frozen=True)
class HistoryEntry:
    version: ServiceVersion
    effective_from: date
    effective_until: date | None  # None: still in force (or not yet replaced)
    is_current: bool
    is_future: bool


# --- Reading ----------------------------------------------------------------------------
def office_today(office: Office) -> date:
    """Today in the office's time zone."""
    return timezone.localdate(timezone=ZoneInfo(office.timezone or "Asia/Jakarta"))


def _published(queryset: QuerySet[ServiceVersion]) -> QuerySet[ServiceVersion]:
    return queryset.filter(state=VersionState.PUBLISHED)


def version_in_force(service: Service, at: date | None = None) -> ServiceVersion | None:
    """The published version of ``service`` that applies on ``at`` (default: today in the
    office's zone), or None when none applies yet. One query."""
    day = at or office_today(service.office)
    return (
        _published(service.versions.all())
        .filter(effective_from__lte=day)
        .prefetch_related("fees")
        .order_by("-effective_from")
        .first()
    )


def _next_starts(versions: Iterable[ServiceVersion]) -> dict[int, date | None]:
    """{version id: effective_from of the next published version of its service}."""
    by_service: dict[int, list[ServiceVersion]] = {}
    for version in versions:
        by_service.setdefault(version.service_id, []).append(version)
    following: dict[int, date | None] = {}
    for rows in by_service.values():
        rows.sort(key=lambda v: v.effective_from)
        for current, nxt in zip(rows, [*rows[1:], None], strict=True):
            following[current.pk] = nxt.effective_from if nxt else None
    return following


def published_services(
    office: Office, at: date | None = None, *, category: str | None = None
) -> list[ServiceVersion]:
    """The versions in force on ``at`` (default: today in the office's zone) of every
    service of ``office``, in the catalogue's order, with ``service`` and ``fees``
    loaded. Services without a version in force are left out. Two queries."""
    day = at or office_today(office)
    versions = (
        _published(ServiceVersion.objects.filter(service__office=office))
        .filter(effective_from__lte=day)
        .select_related("service", "service__office")
        .prefetch_related(Prefetch("fees", queryset=Fee.objects.order_by("order", "pk")))
        .order_by("service__order", "service__code", "-effective_from")
    )
    if category:
        versions = versions.filter(service__category=category)
    chosen: dict[int, ServiceVersion] = {}
    for version in versions:
        chosen.setdefault(version.service_id, version)
    return list(chosen.values())


def _facts(version: ServiceVersion, until: date | None) -> ServiceFacts:
    service = version.service
    return ServiceFacts(
        office_id=service.office_id,
        office_code=service.office.code,
        service_id=service.pk,
        code=service.code,
        category=service.category,
        name=version.name,
        name_en=version.name_en,
        version_id=version.pk,
        version_number=version.number,
        effective_from=version.effective_from,
        effective_until=until,
        legal_basis=version.legal_basis,
        duration=DurationFact(version.duration_value, version.duration_unit, version.duration_note),
        fees=tuple(
            FeeFact(
                code=fee.code,
                label=fee.label,
                label_en=fee.label_en,
                amount=fee.amount,
                currency=fee.currency,
                unit=fee.unit,
                legal_basis=fee.legal_basis or version.legal_basis,
                is_surcharge=fee.is_surcharge,
            )
            for fee in version.fees.all()
        ),
        is_example=version.is_example,
    )


def facts_for(office: Office, at: date | None = None) -> list[ServiceFacts]:
    """Structured facts of every service ``office`` publishes on ``at`` (default: today in
    the office's zone): names, fees (amount, currency, unit, legal basis) and completion
    time (value, unit). A statement dated ``at`` is true when it agrees with these. Three
    queries."""
    versions = published_services(office, at)
    later = _published(
        ServiceVersion.objects.filter(service__in=[v.service_id for v in versions])
    ).only("pk", "service_id", "effective_from")
    nexts = _next_starts([*versions, *later])
    facts = []
    for version in versions:
        start = nexts.get(version.pk)
        facts.append(_facts(version, start - timedelta(days=1) if start else None))
    return facts


def history(service: Service, at: date | None = None) -> list[HistoryEntry]:
    """Every published version of ``service``, newest first, with the period it applies
    (or applied) and whether it is the one in force on ``at`` or still to come."""
    day = at or office_today(service.office)
    versions = list(
        _published(service.versions.all())
        .select_related("published_by")
        .prefetch_related("fees")
        .order_by("effective_from")
    )
    nexts = _next_starts(versions)
    current = next((v for v in reversed(versions) if v.effective_from <= day), None)
    entries = []
    for version in reversed(versions):
        start = nexts.get(version.pk)
        entries.append(
            HistoryEntry(
                version=version,
                effective_from=version.effective_from,
                effective_until=start - timedelta(days=1) if start else None,
                is_current=version is current,
                is_future=version.effective_from > day,
            )
        )
    return entries


def open_version(service: Service) -> ServiceVersion | None:
    """The draft, submitted or returned version of ``service`` (at most one)."""
    return service.versions.filter(state__in=OPEN_STATES).order_by("-number").first()


# --- Validation --------------------------------------------------------------------------
def _as_list(value: Any, name: str) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        value = value.splitlines()
    if not isinstance(value, Sequence):
        raise CatalogueError(_("Give a list of lines."), field=name)
    items = [str(item).strip() for item in value if str(item).strip()]
    if len(items) > MAX_LIST_ITEMS:
        raise CatalogueError(_("At most %(max)d lines.") % {"max": MAX_LIST_ITEMS}, field=name)
    return items


def _as_date(value: Any) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except (TypeError, ValueError):
        raise CatalogueError(
            _("Give the date from which this version applies."), field="effective_from"
        ) from None


_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")


def parse_amount(value: Any) -> Decimal | None:
    """An amount from a number or from text as people type it: "350000", "350.000",
    "Rp 350.000", "1.500.000,50", "35.5". None when it is not a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal | int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value))
    text = re.sub(r"(?i)^rp\.?|\s", "", str(value or ""))
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif _THOUSANDS.match(text):
        text = text.replace(".", "")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


def clean_fee(data: Mapping[str, Any], position: int) -> dict[str, Any]:
    """One fee, validated and normalised (raises CatalogueError naming the fee)."""
    where = _("Fee %(n)d") % {"n": position}
    unknown = set(data) - set(FEE_FIELDS) - {"order"}
    if unknown:
        raise TypeError(f"unknown fee fields: {', '.join(sorted(unknown))}")
    label = str(data.get("label") or "").strip()
    if not label:
        raise CatalogueError(f"{where}: " + _("name the fee."), field="fees")
    amount = parse_amount(data.get("amount"))
    if amount is None:
        raise CatalogueError(
            f"{where}: " + _("the amount must be a number, e.g. 350000."), field="fees"
        )
    if amount < 0 or amount >= Decimal(10) ** 13:
        raise CatalogueError(f"{where}: " + _("the amount must be zero or more."), field="fees")
    currency = str(data.get("currency") or "IDR").strip().upper()
    if not _CURRENCY.match(currency):
        raise CatalogueError(
            f"{where}: " + _("the currency is a three-letter code such as IDR."), field="fees"
        )
    if currency == "IDR" and amount != amount.to_integral_value():
        raise CatalogueError(f"{where}: " + _("rupiah amounts are whole numbers."), field="fees")
    unit = str(data.get("unit") or FeeUnit.DOCUMENT)
    if unit not in FeeUnit.values:
        raise CatalogueError(f"{where}: " + _("choose a unit."), field="fees")
    code = slugify(str(data.get("code") or "").strip() or label)[:80]
    if not code:
        raise CatalogueError(f"{where}: " + _("give the fee a code."), field="fees")
    return {
        "code": code,
        "label": label[:200],
        "label_en": str(data.get("label_en") or "").strip()[:200],
        "amount": amount,
        "currency": currency,
        "unit": unit,
        "legal_basis": str(data.get("legal_basis") or "").strip()[:300],
        "is_surcharge": bool(data.get("is_surcharge")),
    }


def clean_content(
    content: Mapping[str, Any], fees: Sequence[Mapping[str, Any]]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Validate a version's content and fees; return them normalised.

    Every component of the public-service standard is required except the English texts,
    the summary and the notes: a name, at least one requirement, procedure step, complaint
    channel, right and obligation, the product, a completion time of at least one unit,
    the date from which it applies, one fee or more (zero for a free service) with a legal
    basis.
    """
    unknown = set(content) - set(CONTENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown content fields: {', '.join(sorted(unknown))}")
    clean: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        clean[name] = str(content.get(name) or "").strip()
    for name in LIST_FIELDS:
        clean[name] = _as_list(content.get(name), name)
    if not clean["name"]:
        raise CatalogueError(_("Name the service."), field="name")
    for name, message in (
        ("requirements", _("List at least one requirement.")),
        ("procedure", _("Describe the procedure in at least one step.")),
        ("complaint_channels", _("Give at least one complaint channel.")),
        ("rights", _("State at least one right of the applicant.")),
        ("obligations", _("State at least one obligation of the applicant.")),
    ):
        if not clean[name]:
            raise CatalogueError(message, field=name)
    if not clean["product"]:
        raise CatalogueError(_("Say what the applicant receives."), field="product")
    if not clean["legal_basis"]:
        raise CatalogueError(
            _("Give the legal basis of the fees (e.g. PP No. 45 Tahun 2024)."), field="legal_basis"
        )
    try:
        duration = int(content.get("duration_value") or 0)
    except (TypeError, ValueError):
        duration = 0
    if duration < 1 or duration > 10_000:
        raise CatalogueError(
            _("Give the completion time as a whole number of at least 1."),
            field="duration_value",
        )
    clean["duration_value"] = duration
    unit = str(content.get("duration_unit") or "")
    if unit not in DurationUnit.values:
        raise CatalogueError(_("Choose the unit of the completion time."), field="duration_unit")
    clean["duration_unit"] = unit
    clean["effective_from"] = _as_date(content.get("effective_from"))
    clean["is_example"] = bool(content.get("is_example"))
    if not fees:
        raise CatalogueError(_("Give at least one fee (0 for a free service)."), field="fees")
    if len(fees) > MAX_FEES:
        raise CatalogueError(_("At most %(max)d fees.") % {"max": MAX_FEES}, field="fees")
    clean_fees = [clean_fee(data, i) for i, data in enumerate(fees, 1)]
    codes = [fee["code"] for fee in clean_fees]
    if len(set(codes)) != len(codes):
        raise CatalogueError(_("Two fees have the same code."), field="fees")
    return clean, clean_fees


def version_content(version: ServiceVersion) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A version's content and fees as :func:`clean_content` takes them (to copy it)."""
    content = {name: getattr(version, name) for name in CONTENT_FIELDS}
    fees = [{name: getattr(fee, name) for name in FEE_FIELDS} for fee in version.fees.all()]
    return content, fees


# --- Internals ---------------------------------------------------------------------------
def _snapshot(version: ServiceVersion) -> dict[str, Any]:
    data = audit.snapshot(version) or {}
    data["fees"] = [
        {
            "code": fee.code,
            "label": fee.label,
            "amount": str(fee.amount),
            "currency": fee.currency,
            "unit": fee.unit,
            "legal_basis": fee.legal_basis,
            "is_surcharge": fee.is_surcharge,
        }
        for fee in version.fees.all()
    ]
    return data


def _lock(version: ServiceVersion) -> ServiceVersion:
    """Re-read ``version`` locked for update (the caller holds a transaction)."""
    return (
        ServiceVersion.objects.select_for_update(of=("self",))
        .select_related("service", "service__office")
        .get(pk=version.pk)
    )


def _check_revision(version: ServiceVersion, revision: int | None) -> None:
    if revision is not None and revision != version.revision:
        raise ConflictError()


def _require_state(version: ServiceVersion, *states: str) -> None:
    if version.state not in states:
        raise InvalidState(
            _("This version is “%(state)s”: that is not possible now.")
            % {"state": version.get_state_display()}
        )


def _write_fees(version: ServiceVersion, fees: list[dict[str, Any]]) -> None:
    version.fees.all().delete()
    Fee.objects.bulk_create([Fee(version=version, order=i, **fee) for i, fee in enumerate(fees)])


def _add_contributor(version: ServiceVersion, user: User) -> None:
    if user.pk not in version.contributors:
        version.contributors = [*version.contributors, user.pk]


# --- Changes -----------------------------------------------------------------------------
def create_service(
    user: User,
    office: Office,
    *,
    code: str,
    category: str,
    content: Mapping[str, Any],
    fees: Sequence[Mapping[str, Any]],
    order: int = 0,
) -> ServiceVersion:
    """Add a service to ``office`` with its first version as a draft (``service.edit``)."""
    policy.check(user, "service.edit", office)
    code = slugify(code or "")[:80]
    if not code:
        raise CatalogueError(_("Give the service a code for its address."), field="code")
    if category not in Category.values:
        raise CatalogueError(_("Choose a category."), field="category")
    clean, clean_fees = clean_content(content, fees)
    with transaction.atomic():
        if Service.objects.filter(office=office, code=code).exists():
            raise CatalogueError(
                _("This office already has a service with this code."), field="code"
            )
        service = Service.objects.create(
            office=office, code=code, category=category, order=order, created_by=user
        )
        audit.log(user, "service.create", service, after=audit.snapshot(service))
        version = ServiceVersion(service=service, number=1, author=user, **clean)
        _add_contributor(version, user)
        version.save()
        _write_fees(version, clean_fees)
        audit.log(user, "service_version.create", version, after=_snapshot(version))
    return version


def start_draft(user: User, service: Service) -> ServiceVersion:
    """A new draft of ``service`` copied from its latest published version (``service.edit``).

    Refused while another version is open (draft, submitted or returned): there is one
    piece of work in progress per service.
    """
    policy.check(user, "service.edit", service.office)
    with transaction.atomic():
        Service.objects.select_for_update().filter(pk=service.pk).first()
        if open_version(service) is not None:
            raise InvalidState(
                _("This service already has a version in progress: continue that one.")
            )
        source = (
            _published(service.versions.all())
            .prefetch_related("fees")
            .order_by("-effective_from")
            .first()
        )
        if source is None:
            raise InvalidState(_("This service has no published version to start from."))
        content, fees = version_content(source)
        content["change_note"] = ""
        content["effective_from"] = max(office_today(service.office), source.effective_from)
        last = service.versions.order_by("-number").values_list("number", flat=True).first()
        version = ServiceVersion(service=service, number=(last or 0) + 1, author=user, **content)
        _add_contributor(version, user)
        version.save()
        _write_fees(version, [dict(fee) for fee in fees])
        audit.log(user, "service_version.create", version, after=_snapshot(version))
    return version


def update_draft(
    user: User,
    version: ServiceVersion,
    *,
    content: Mapping[str, Any],
    fees: Sequence[Mapping[str, Any]],
    revision: int | None = None,
) -> ServiceVersion:
    """Change a draft (or a returned version) of which ``user`` becomes a writer."""
    policy.check(user, "service.edit", version.office)
    clean, clean_fees = clean_content(content, fees)
    with transaction.atomic():
        version = _lock(version)
        _check_revision(version, revision)
        _require_state(version, *EDITABLE_STATES)
        before = _snapshot(version)
        for name, value in clean.items():
            setattr(version, name, value)
        version.state = VersionState.DRAFT
        version.revision += 1
        _add_contributor(version, user)
        version.save()
        _write_fees(version, clean_fees)
        audit.log(user, "service_version.update", version, before=before, after=_snapshot(version))
    return version


def submit(user: User, version: ServiceVersion, *, revision: int | None = None) -> ServiceVersion:
    """Ask a second person to approve and publish the version (``service.edit``)."""
    policy.check(user, "service.edit", version.office)
    with transaction.atomic():
        version = _lock(version)
        _check_revision(version, revision)
        _require_state(version, *EDITABLE_STATES)
        before = audit.snapshot(version)
        version.state = VersionState.SUBMITTED
        version.submitted_at = timezone.now()
        version.submitted_by = user
        version.revision += 1
        version.save()
        audit.log(user, "service_version.submit", version, before=before,
                  after=audit.snapshot(version))  # fmt: skip
    return version


def may_publish(user: User, version: ServiceVersion) -> bool:
    """May ``user`` approve this version (role and four eyes; not its state)?"""
    return policy.can(user, "service.approve", version.office) and (
        user.pk not in version.contributors
    )


def publish(user: User, version: ServiceVersion, *, revision: int | None = None) -> ServiceVersion:
    """Approve and publish a submitted version (``service.approve``, by someone who did not
    write it). It applies from its ``effective_from``; no two published versions of a
    service apply from the same day."""
    policy.check(user, "service.approve", version.office)
    with transaction.atomic():
        version = _lock(version)
        _check_revision(version, revision)
        _require_state(version, VersionState.SUBMITTED)
        if user.pk in version.contributors:
            raise FourEyesError()
        clash = _published(version.service.versions.all()).filter(
            effective_from=version.effective_from
        )
        if clash.exists():
            raise CatalogueError(
                _(
                    "Another published version already applies from this day: return this "
                    "version and choose another date."
                ),
                field="effective_from",
            )
        before = audit.snapshot(version)
        version.state = VersionState.PUBLISHED
        version.published_at = timezone.now()
        version.published_by = user
        version.revision += 1
        try:
            with transaction.atomic():
                version.save()
        except IntegrityError:
            # A concurrent publication took the same day between the check and the save.
            raise ConflictError() from None
        audit.log(user, "service_version.publish", version, before=before,
                  after=audit.snapshot(version))  # fmt: skip
    return version


def return_version(
    user: User, version: ServiceVersion, reason: str, *, revision: int | None = None
) -> ServiceVersion:
    """Send a submitted version back to its writers with a reason (``service.approve``)."""
    policy.check(user, "service.approve", version.office)
    reason = (reason or "").strip()
    if not reason:
        raise CatalogueError(_("Say what needs to change."), field="reason")
    with transaction.atomic():
        version = _lock(version)
        _check_revision(version, revision)
        _require_state(version, VersionState.SUBMITTED)
        before = audit.snapshot(version)
        version.state = VersionState.RETURNED
        version.returned_at = timezone.now()
        version.returned_by = user
        version.return_reason = reason[:2000]
        version.revision += 1
        version.save()
        audit.log(user, "service_version.return", version, before=before,
                  after=audit.snapshot(version))  # fmt: skip
    return version


def discard(user: User, version: ServiceVersion, *, revision: int | None = None) -> ServiceVersion:
    """Drop a version that was never published (``service.edit``); it stays in the
    history of the service's changes as discarded."""
    policy.check(user, "service.edit", version.office)
    with transaction.atomic():
        version = _lock(version)
        _check_revision(version, revision)
        _require_state(version, *OPEN_STATES)
        before = audit.snapshot(version)
        version.state = VersionState.DISCARDED
        version.revision += 1
        version.save()
        audit.log(user, "service_version.discard", version, before=before,
                  after=audit.snapshot(version))  # fmt: skip
    return version


def fee_changes(old: ServiceVersion | None, new: ServiceVersion) -> list[dict[str, Any]]:
    """What changed in the fees from ``old`` to ``new``: rows with ``code``, ``label``,
    ``old`` and ``new`` amount texts ("" when added or removed). No query when the fees
    are prefetched."""
    before = {fee.code: fee for fee in old.fees.all()} if old is not None else {}
    after = {fee.code: fee for fee in new.fees.all()}
    rows = []
    for code in [*after, *(c for c in before if c not in after)]:
        was, now = before.get(code), after.get(code)
        old_text = was.amount_text if was else ""
        new_text = now.amount_text if now else ""
        if old_text != new_text:
            rows.append(
                {
                    "code": code,
                    "label": (now or was).display_label,  # type: ignore[union-attr]
                    "old": old_text,
                    "new": new_text,
                }
            )
    return rows
