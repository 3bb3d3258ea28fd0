"""The public portal's rules: one function per change, called by pages, API, admin, tasks
and commands alike.

Staff changes check the policy, write exactly one audit entry in the same transaction and
raise :class:`PortalError` (nothing written) when refused. Public submissions are not
audited (the public is no actor of the trail; the :class:`~.models.Inquiry` row is the
record); what staff do with them is.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from prima.catalogue import services as catalogue
from prima.catalogue.models import Service, ServiceVersion
from prima.conferences.models import Conference, MaterialKind, MaterialVersion
from prima.crisis.models import Clarification
from prima.lib.errors import RefusedChange
from prima.monitoring import services as monitoring
from prima.organizations import audit, policy
from prima.organizations.models import Office, User

from .models import (
    PERSONAL_FIELDS,
    Announcement,
    Inquiry,
    InquiryKind,
    InquiryStatus,
    PortalProfile,
    Publication,
    PublicationKind,
    PublicationState,
)

# Conference material that may be published: the texts written for the public. Key
# messages and anticipated Q&A are internal preparation.
PUBLISHABLE_MATERIAL = (MaterialKind.STATEMENT, MaterialKind.HOLDING_STATEMENT)
MESSAGE_MIN, MESSAGE_MAX = 10, 4000
REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I


class PortalError(RefusedChange):
    default_message = gettext_lazy("This change is not possible.")


class ConflictError(PortalError):
    default_message = gettext_lazy(
        "Someone else changed this in the meantime. Reload the page and try again."
    )
    status_code = 409


class FourEyesError(PortalError):
    default_message = gettext_lazy("A second person publishes what you wrote.")
    status_code = 403


class RateLimited(PortalError):
    default_message = gettext_lazy(
        "We have received many messages from your connection. Please try again later."
    )
    status_code = 429


def _check_revision(obj: Publication | Inquiry, revision: int | None) -> None:
    if revision is not None and revision != obj.revision:
        raise ConflictError()


# --- Public page (profile) -------------------------------------------------------------
PROFILE_FIELDS = ("introduction", "introduction_en", "press_contact_name", "press_contact_title",
                  "press_phone", "press_whatsapp", "press_email", "press_hours",
                  "report_channels")  # fmt: skip


def profile_of(office: Office) -> PortalProfile | None:
    return PortalProfile.objects.filter(office=office).first()


def update_profile(user: User, office: Office, **fields: Any) -> PortalProfile:
    """Change the office's public page (``portalprofile.manage``)."""
    policy.check(user, "portalprofile.manage", office)
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"unknown profile fields: {', '.join(sorted(unknown))}")
    if fields.get("press_email"):
        try:
            validate_email(fields["press_email"])
        except ValidationError:
            raise PortalError(_("Enter a valid e-mail address."), field="press_email") from None
    if "report_channels" in fields:
        value = fields["report_channels"]
        lines = value.splitlines() if isinstance(value, str) else list(value or [])
        fields["report_channels"] = [str(v).strip() for v in lines if str(v).strip()][:20]
    with transaction.atomic():
        profile, created = PortalProfile.objects.select_for_update().get_or_create(office=office)
        before = None if created else audit.snapshot(profile)
        for name, value in fields.items():
            setattr(profile, name, value.strip() if isinstance(value, str) else value)
        profile.save()
        audit.log(user, "portalprofile.update", profile, before=before,
                  after=audit.snapshot(profile), office=office)  # fmt: skip
    return profile


# --- Publications ------------------------------------------------------------------------
def _unique_slug(office: Office, title: str) -> str:
    base = slugify(title)[:100] or "siaran"
    slug, n = base, 2
    while Publication.objects.filter(office=office, slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def publishable_versions(office: Office) -> QuerySet[MaterialVersion]:
    """Approved statements and holding statements of real conferences of ``office`` that
    are not on the portal yet (newest first)."""
    used = Publication.objects.filter(material_version__isnull=False).values("material_version")
    return (
        MaterialVersion.objects.filter(
            material__conference__office=office,
            material__conference__is_exercise=False,
            material__kind__in=PUBLISHABLE_MATERIAL,
            approved_at__isnull=False,
        )
        .exclude(pk__in=used)
        .select_related("material", "material__conference")
        .order_by("-approved_at")
    )


def prepare_release(
    user: User,
    version: MaterialVersion,
    *,
    kind: str = PublicationKind.RELEASE,
    title: str = "",
    lead: str = "",
) -> Publication:
    """Prepare the publication of an approved conference statement (``publication.manage``).

    Only statements and holding statements, only once approved, never from an exercise.
    The public reads the approved version's text; a later edit of the material does not
    change what was published.
    """
    conference = version.material.conference
    office = conference.office
    policy.check(user, "publication.manage", office)
    if kind not in (PublicationKind.RELEASE, PublicationKind.STATEMENT):
        raise PortalError(_("Choose a press release or a statement."), field="kind")
    if version.material.kind not in PUBLISHABLE_MATERIAL:
        raise PortalError(
            _("Only statements are published; key messages and Q&A stay internal."),
            field="material_version",
        )
    if version.approved_at is None:
        raise PortalError(_("Only approved material can be published."), field="material_version")
    if conference.is_exercise:
        raise PortalError(
            _("Material of an exercise is never published."), field="material_version"
        )
    title = (title or conference.title).strip()[:300]
    with transaction.atomic():
        if Publication.objects.filter(material_version=version).exists():
            raise PortalError(_("This version is already on the portal."), field="material_version")
        publication = Publication.objects.create(
            office=office, kind=kind, slug=_unique_slug(office, title), title=title,
            lead=(lead or "").strip(), material_version=version, created_by=user,
        )  # fmt: skip
        audit.log(user, "publication.create", publication, after=audit.snapshot(publication))
    return publication


def prepare_story(user: User, office: Office, *, title: str, lead: str, body: str) -> Publication:
    """Write a positive story as a draft (``publication.manage``); a second person with
    ``publication.publish`` publishes it."""
    policy.check(user, "publication.manage", office)
    title, body = (title or "").strip()[:300], (body or "").strip()
    if not title:
        raise PortalError(_("Give the story a title."), field="title")
    if len(body) < 20:
        raise PortalError(_("Write the story (at least a few sentences)."), field="body")
    with transaction.atomic():
        publication = Publication.objects.create(
            office=office, kind=PublicationKind.STORY, slug=_unique_slug(office, title),
            title=title, lead=(lead or "").strip(), body=body, created_by=user,
        )  # fmt: skip
        audit.log(user, "publication.create", publication, after=audit.snapshot(publication))
    return publication


def _locked(publication: Publication) -> Publication:
    return (
        Publication.objects.select_for_update(of=("self",))
        .select_related("office", "material_version")
        .get(pk=publication.pk)
    )


def publish(user: User, publication: Publication, *, revision: int | None = None) -> Publication:
    """Put a prepared (or withdrawn) publication on the public portal
    (``publication.publish``). A story is published by someone other than its writer."""
    policy.check(user, "publication.publish", publication.office)
    with transaction.atomic():
        publication = _locked(publication)
        _check_revision(publication, revision)
        if publication.state == PublicationState.PUBLISHED:
            raise PortalError(_("This is already published."))
        if publication.kind == PublicationKind.STORY and publication.created_by_id == user.pk:
            raise FourEyesError()
        version = publication.material_version
        if version is not None and (
            version.approved_at is None or version.material.conference.is_exercise
        ):
            raise PortalError(_("Only approved material of a real conference is published."))
        before = audit.snapshot(publication)
        publication.state = PublicationState.PUBLISHED
        publication.published_at = publication.published_at or timezone.now()
        publication.published_by = user
        publication.withdrawn_at = None
        publication.withdrawn_by = None
        publication.withdraw_reason = ""
        publication.revision += 1
        publication.save()
        audit.log(user, "publication.publish", publication, before=before,
                  after=audit.snapshot(publication))  # fmt: skip
    return publication


def withdraw(
    user: User, publication: Publication, reason: str, *, revision: int | None = None
) -> Publication:
    """Take a publication off the portal, with a reason (``publication.publish``): its
    pages, feed entries and API items are gone (404) from then on."""
    policy.check(user, "publication.publish", publication.office)
    reason = (reason or "").strip()
    if not reason:
        raise PortalError(_("Say why it is withdrawn."), field="reason")
    with transaction.atomic():
        publication = _locked(publication)
        _check_revision(publication, revision)
        if publication.state != PublicationState.PUBLISHED:
            raise PortalError(_("Only a published item can be withdrawn."))
        before = audit.snapshot(publication)
        publication.state = PublicationState.WITHDRAWN
        publication.withdrawn_at = timezone.now()
        publication.withdrawn_by = user
        publication.withdraw_reason = reason[:2000]
        publication.revision += 1
        publication.save()
        audit.log(user, "publication.withdraw", publication, before=before,
                  after=audit.snapshot(publication))  # fmt: skip
    return publication


# --- Public schedule ------------------------------------------------------------------------
def announce(user: User, conference: Conference, *, title: str, note: str = "") -> Announcement:
    """List a scheduled press conference on the public schedule (``publication.manage``)."""
    policy.check(user, "publication.manage", conference.office)
    title = (title or "").strip()[:300]
    if not title:
        raise PortalError(_("Give a public title."), field="title")
    if conference.is_exercise:
        raise PortalError(_("An exercise is never announced."), field="conference")
    if conference.scheduled_at is None or conference.scheduled_at < timezone.now():
        raise PortalError(_("Only a conference scheduled in the future is announced."),
                          field="conference")  # fmt: skip
    with transaction.atomic():
        existing = Announcement.objects.select_for_update().filter(conference=conference).first()
        before = audit.snapshot(existing) if existing else None
        announcement = existing or Announcement(
            office=conference.office, conference=conference, created_by=user
        )
        announcement.title, announcement.note = title, (note or "").strip()
        announcement.is_listed = True
        announcement.save()
        audit.log(user, "announcement.save", announcement, before=before,
                  after=audit.snapshot(announcement))  # fmt: skip
    return announcement


def unlist(user: User, announcement: Announcement) -> Announcement:
    """Take a conference off the public schedule (``publication.manage``)."""
    policy.check(user, "publication.manage", announcement.office)
    with audit.tracking(user, "announcement.unlist", announcement):
        announcement.is_listed = False
        announcement.save()
    return announcement


# --- Public questions and reports ------------------------------------------------------------
def client_hash(address: str | None) -> str:
    """A keyed hash of a client address (the address itself is never stored)."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, (address or "unknown").encode(), hashlib.sha256).hexdigest()


def new_reference() -> str:
    """ "PRM-7K3Q-9XWD": 8 random characters of an alphabet without look-alikes (40 bits)."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _i in range(8))
    return f"PRM-{chars[:4]}-{chars[4:]}"


def normalise_reference(text: str) -> str:
    """What a person typed ("prm 7k3q 9xwd", "7K3Q9XWD") as a reference."""
    chars = re.sub(r"[^0-9A-Z]", "", (text or "").upper().replace("PRM", "", 1))
    return f"PRM-{chars[:4]}-{chars[4:8]}" if len(chars) == 8 else ""


_PHONE = re.compile(r"^\+?[0-9][0-9 .()-]{5,24}$")


def clean_inquiry(
    *, kind: str, message: str, name: str = "", phone: str = "", email: str = ""
) -> dict[str, str]:
    if kind not in InquiryKind.values:
        raise PortalError(_("Choose what you are sending."), field="kind")
    message = (message or "").strip()
    if len(message) < MESSAGE_MIN:
        raise PortalError(_("Write your message (at least a few words)."), field="message")
    if len(message) > MESSAGE_MAX:
        raise PortalError(
            _("The message is too long (at most %(n)d characters).") % {"n": MESSAGE_MAX},
            field="message",
        )
    phone, email, name = (phone or "").strip(), (email or "").strip(), (name or "").strip()
    if phone and not _PHONE.match(phone):
        raise PortalError(_("Enter a phone number, e.g. 0812-3456-7890."), field="phone")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise PortalError(_("Enter a valid e-mail address."), field="email") from None
    return {"kind": kind, "message": message, "name": name[:200], "phone": phone[:40],
            "email": email[:254]}  # fmt: skip


def check_rate(address_hash: str, now: datetime | None = None) -> None:
    """Raise :class:`RateLimited` when this address sent too much lately (two indexed
    counts)."""
    now = now or timezone.now()
    recent = Inquiry.objects.filter(client_hash=address_hash)
    if recent.filter(submitted_at__gte=now - timedelta(hours=1)).count() >= (
        settings.PORTAL_INQUIRIES_PER_HOUR
    ):
        raise RateLimited()
    if recent.filter(submitted_at__gte=now - timedelta(days=1)).count() >= (
        settings.PORTAL_INQUIRIES_PER_DAY
    ):
        raise RateLimited()


def submit_inquiry(
    office: Office,
    *,
    kind: str,
    message: str,
    service: Service | None = None,
    name: str = "",
    phone: str = "",
    email: str = "",
    address: str | None = None,
    now: datetime | None = None,
) -> Inquiry:
    """Receive a question, feedback or report from the public: one short insert, nothing
    else in the request (media monitoring gets it from the periodic work), so a flood of
    messages slows nothing else down. Raises :class:`RateLimited` past the per-address
    limits and :class:`PortalError` for bad input."""
    values = clean_inquiry(kind=kind, message=message, name=name, phone=phone, email=email)
    if service is not None and service.office_id != office.pk:
        raise PortalError(_("Choose a service of this office."), field="service")
    now = now or timezone.now()
    address_hash = client_hash(address)
    check_rate(address_hash, now)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                inquiry = Inquiry.objects.create(
                    office=office, reference=new_reference(), service=service,
                    submitted_at=now, client_hash=address_hash, **values,
                )  # fmt: skip
            break
        except IntegrityError:  # a reference already taken (1 in a trillion): draw again
            continue
    else:  # pragma: no cover - five collisions in a row
        raise PortalError()
    transaction.on_commit(ensure_scheduler)
    return inquiry


def find_inquiry(reference: str) -> Inquiry | None:
    """The inquiry with this reference (as the public types it), or None."""
    ref = normalise_reference(reference)
    if not ref:
        return None
    return Inquiry.objects.select_related("office", "service").filter(reference=ref).first()


def answer_inquiry(
    user: User, inquiry: Inquiry, answer: str, *, close: bool = False,
    revision: int | None = None,
) -> Inquiry:  # fmt: skip
    """Write the public answer (``inquiry.answer``); anyone holding the reference reads it."""
    policy.check(user, "inquiry.answer", inquiry.office)
    answer = (answer or "").strip()
    if len(answer) < 5:
        raise PortalError(_("Write the answer."), field="answer")
    with transaction.atomic():
        inquiry = (
            Inquiry.objects.select_for_update(of=("self",))
            .select_related("office")
            .get(pk=inquiry.pk)
        )
        _check_revision(inquiry, revision)
        before = audit.snapshot(inquiry)
        inquiry.answer = answer[:MESSAGE_MAX]
        inquiry.answered_by, inquiry.answered_at = user, timezone.now()
        inquiry.status = InquiryStatus.CLOSED if close else InquiryStatus.ANSWERED
        inquiry.closed_at = inquiry.answered_at if close else None
        inquiry.revision += 1
        inquiry.save()
        audit.log(user, "inquiry.answer", inquiry, before=before, after=audit.snapshot(inquiry))
    return inquiry


def close_inquiry(user: User, inquiry: Inquiry, *, revision: int | None = None) -> Inquiry:
    """Close a case without (another) answer, e.g. spam (``inquiry.answer``)."""
    policy.check(user, "inquiry.answer", inquiry.office)
    with transaction.atomic():
        inquiry = (
            Inquiry.objects.select_for_update(of=("self",))
            .select_related("office")
            .get(pk=inquiry.pk)
        )
        _check_revision(inquiry, revision)
        if inquiry.status == InquiryStatus.CLOSED:
            raise PortalError(_("This case is already closed."))
        before = audit.snapshot(inquiry)
        inquiry.status, inquiry.closed_at = InquiryStatus.CLOSED, timezone.now()
        inquiry.revision += 1
        inquiry.save()
        audit.log(user, "inquiry.close", inquiry, before=before, after=audit.snapshot(inquiry))
    return inquiry


def _mention_title(inquiry: Inquiry) -> str:
    label = str(InquiryKind(inquiry.kind).label)
    return f"{label} · {inquiry.service.code}" if inquiry.service_id and inquiry.service else label


def forward_pending(*, batch: int = 200, limit: int = 5000) -> int:
    """Hand new public messages over to media monitoring, oldest first, in batches (one
    transaction each). Safe to run in several workers at once and after a crash:
    monitoring stores a reference once, so a batch handed over twice adds nothing.
    Returns how many were handed over."""
    done = 0
    while done < limit:
        with transaction.atomic():
            rows = list(
                Inquiry.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(forwarded_at__isnull=True)
                .select_related("office", "service")
                .order_by("pk")[:batch]
            )
            if not rows:
                break
            by_office: dict[int, list[Inquiry]] = defaultdict(list)
            for row in rows:
                by_office[row.office_id].append(row)
            now = timezone.now()
            for office_rows in by_office.values():
                ids = monitoring.ingest_public_messages(
                    office_rows[0].office,
                    [(r.reference, _mention_title(r), r.message, r.submitted_at)
                     for r in office_rows],
                )  # fmt: skip
                for row in office_rows:
                    Inquiry.objects.filter(pk=row.pk).update(
                        forwarded_at=now, mention_id=ids.get(row.reference)
                    )
            done += len(rows)
    return done


def erase_client_hashes(*, now: datetime | None = None) -> int:
    """Erase the hashed network addresses (used only to rate-limit the form) of messages
    older than a day. Returns how many were erased."""
    now = now or timezone.now()
    return (
        Inquiry.objects.filter(submitted_at__lt=now - timedelta(days=1))
        .exclude(client_hash="")
        .update(client_hash="")
    )


def erase_personal_data_before(
    cutoff: datetime, *, dry_run: bool = False, limit: int | None = None
) -> int:
    """Erase name, phone and e-mail of inquiries submitted before ``cutoff`` (one audit
    entry each, without the erased values); the retention of public submissions, called by
    the personal-data retention run with the cut-off of ``Inquiry.personal_data``
    (``PORTAL_PERSONAL_DATA_DAYS``). Returns how many inquiries had (or would have) their
    personal data erased."""
    has_data = Q(name__gt="") | Q(phone__gt="") | Q(email__gt="")
    due_qs = Inquiry.objects.filter(has_data, submitted_at__lt=cutoff)
    if dry_run:
        return due_qs.count()
    now = timezone.now()
    due = list(due_qs.select_related("office").order_by("pk")[:limit])
    for inquiry in due:
        with transaction.atomic():
            erased = [name for name in PERSONAL_FIELDS if getattr(inquiry, name)]
            Inquiry.objects.filter(pk=inquiry.pk).update(
                name="", phone="", email="", personal_erased_at=now
            )
            audit.log(None, "inquiry.erase_personal_data", inquiry,
                      after={"erased": erased, "retention_days":
                             settings.PORTAL_PERSONAL_DATA_DAYS})  # fmt: skip
    return len(due)


def erase_expired_personal_data(*, now: datetime | None = None, limit: int = 5000) -> int:
    """Erase name, phone and e-mail of inquiries older than ``PORTAL_PERSONAL_DATA_DAYS``
    and the address hashes older than a day. Returns how many inquiries had personal data
    erased."""
    now = now or timezone.now()
    erase_client_hashes(now=now)
    cutoff = now - timedelta(days=settings.PORTAL_PERSONAL_DATA_DAYS)
    return erase_personal_data_before(cutoff, limit=limit)


# --- The periodic work --------------------------------------------------------------------
def run_tick(now: datetime | None = None) -> dict[str, int]:
    """One round of the portal's periodic work (the task and ``prima portal-maintain``).
    Names, phones and e-mails are erased by the personal-data retention run
    (``prima apply-retention``), with every other category."""
    return {
        "forwarded": forward_pending(),
        "hashes_erased": erase_client_hashes(now=now),
    }


def ensure_scheduler(*, now: datetime | None = None) -> bool:
    """Start the portal's task chain if none seems alive. Cheap: one conditional UPDATE
    that changes nothing while the chain runs."""
    from .tasks import ensure_chain

    return ensure_chain(now=now)


# --- Public reading ------------------------------------------------------------------------
def public_offices() -> QuerySet[Office]:
    """Offices with a public page: every active immigration office, regional office and the
    directorate general."""
    return Office.objects.filter(is_active=True).order_by("path")


def public_publications(office: Office) -> QuerySet[Publication]:
    return (
        Publication.objects.public()
        .filter(office=office)
        .select_related("material_version")
        .order_by("-published_at", "-pk")
    )


def public_announcements(office: Office) -> QuerySet[Announcement]:
    return (
        Announcement.objects.public()
        .filter(office=office)
        .select_related("conference")
        .order_by("conference__scheduled_at")
    )


def public_clarifications(office: Office) -> QuerySet[Clarification]:
    """Hoax clarifications of ``office`` that the crisis workflow published (four eyes),
    newest first: never a draft, one awaiting approval, a withdrawn one or one from an
    exercise (``Clarification.objects.public()`` decides, in the crisis app)."""
    return (
        Clarification.objects.public()
        .filter(office=office, office__is_active=True, case__is_exercise=False)
        .order_by("-published_at", "-pk")
    )


@dataclass(frozen=True)
class ClarificationText:
    """A published clarification as a reader of ``lang`` sees it: the English version
    where the office gave one (the claim is quoted as it circulates when it has no
    English version), else the Indonesian text; ``lang`` is the language shown."""

    item: Clarification
    title: str
    claim: str
    facts: str
    lang: str
    claim_lang: str

    @classmethod
    def of(cls, item: Clarification, lang: str) -> ClarificationText:
        if lang == "en" and item.facts_en.strip():
            return cls(
                item=item,
                title=item.title_en.strip() or item.title,
                claim=item.claim_en.strip() or item.claim,
                facts=item.facts_en,
                lang="en",
                claim_lang="en" if item.claim_en.strip() else "id",
            )
        return cls(item=item, title=item.title, claim=item.claim, facts=item.facts,
                   lang="id", claim_lang="id")  # fmt: skip

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.facts.replace("\r", "").split("\n\n") if p.strip()]


def clarification_texts(items: Sequence[Clarification], lang: str) -> list[ClarificationText]:
    return [ClarificationText.of(item, lang) for item in items]


def _words(query: str) -> list[str]:
    return [w for w in re.findall(r"\w+", (query or "").lower()) if len(w) > 1][:8]


def search(office: Office, query: str, *, limit: int = 30) -> dict[str, list[Any]]:
    """Published services (in force), publications and hoax clarifications of ``office``
    whose text (Indonesian or English) contains every word of ``query``
    (case-insensitive)."""
    words = _words(query)
    if not words:
        return {"services": [], "publications": [], "clarifications": []}
    found_services: list[ServiceVersion] = []
    for version in catalogue.published_services(office):
        haystack = " ".join(
            [version.name, version.name_en, version.summary, version.product,
             *version.requirements, *version.procedure,
             *(fee.label for fee in version.fees.all())]
        ).lower()  # fmt: skip
        if all(word in haystack for word in words):
            found_services.append(version)
    pubs = public_publications(office)
    for word in words:
        pubs = pubs.filter(
            Q(title__icontains=word)
            | Q(lead__icontains=word)
            | Q(body__icontains=word)
            | Q(material_version__body__icontains=word)
        )
    clarifications = public_clarifications(office)
    for word in words:
        clarifications = clarifications.filter(
            Q(title__icontains=word) | Q(claim__icontains=word) | Q(facts__icontains=word)
            | Q(title_en__icontains=word) | Q(claim_en__icontains=word)
            | Q(facts_en__icontains=word)
        )  # fmt: skip
    return {
        "services": found_services[:limit],
        "publications": list(pubs[:limit]),
        "clarifications": list(clarifications[:limit]),
    }


def service_options(office: Office) -> list[tuple[int, str]]:
    """(service id, name in force) of the office's published services, for the form."""
    return [(v.service_id, v.display_name) for v in catalogue.published_services(office)]


def inquiry_counts(inquiries: QuerySet[Inquiry]) -> Mapping[str, int]:
    """{status: number of inquiries} (one grouped query)."""
    counts: dict[str, int] = dict.fromkeys(InquiryStatus.values, 0)
    for row in inquiries.order_by().values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return counts


def kinds_for_form() -> Sequence[tuple[str, str]]:
    return [(k.value, str(k.label)) for k in InquiryKind]
