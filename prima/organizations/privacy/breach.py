"""The breach record (UU No. 27/2022 Ps. 46): register a suspected personal-data breach,
count down the 3 x 24 hours for notifying the people affected and the supervising
authority, draft both notifications from the record of processing, mark them sent.

Every change goes through these functions (the pages call them); each checks
``breach.manage`` in the breach's office and writes its audit entry. The free texts
(what happened, the notifications) may name people, so the audit trail records which of
them changed, not their contents.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from prima.lib import dates

from .. import attention, audit, policy
from ..attention import AttentionItem, Urgency
from ..models import Office, User
from . import record
from .declarations import DataCategory, Subject
from .models import Breach

# Fields whose values go into the audit trail; the texts are recorded by name only.
FACT_FIELDS = (
    "title",
    "discovered_at",
    "occurred_at",
    "records",
    "data_categories",
    "subjects",
    "systems",
    "estimated_people",
)
TEXT_FIELDS = (
    "description",
    "consequences",
    "measures",
    "contact",
    "notice_subjects",
    "notice_authority",
)
EDITABLE = FACT_FIELDS + TEXT_FIELDS


class Target(StrEnum):
    SUBJECTS = "subjects"
    AUTHORITY = "authority"


@dataclass(frozen=True)
class Deadline:
    """One of the two notifications and where it stands against the 3 x 24 hours."""

    code: Target
    label: str
    due: datetime
    met_at: datetime | None
    status: str  # "met", "missed" (late or overdue), "open", "void" (closed unsent)
    remaining_seconds: int | None


def deadlines(breach: Breach, now: datetime | None = None) -> list[Deadline]:
    now = now or timezone.now()
    found = []
    for code, label, at in (
        (Target.SUBJECTS, _("Notify the people affected"), breach.subjects_notified_at),
        (Target.AUTHORITY, _("Notify the supervising authority"), breach.authority_notified_at),
    ):
        due = breach.deadline
        remaining: int | None = None
        if at is not None:
            status = "met" if at <= due else "missed"
        elif not breach.is_open:
            status = "void"
        else:
            remaining = int((due - now).total_seconds())
            status = "open" if remaining >= 0 else "missed"
        found.append(Deadline(code, label, due, at, status, remaining))
    return found


# --- Drafting the notifications ----------------------------------------------------------


def labels(enum: Any, codes: Iterable[str]) -> list[str]:
    """The labels of the chosen codes of ``enum`` (unknown codes are left out)."""
    known = {member.value: str(member.label) for member in enum}
    return [known[c] for c in codes if c in known]


def _record_names(labels: Iterable[str]) -> tuple[list[str], list[str]]:
    """The names of the chosen kinds of record and of their processing activities."""
    wanted = set(labels)
    names, activities = [], []
    for activity in record.build():
        chosen = [e.name for e in activity.entries if e.label in wanted]
        if chosen:
            names.extend(chosen)
            activities.append(str(activity.activity.label))
    return names, activities


def _advice(categories: Iterable[str]) -> list[str]:
    """What people can do themselves, by the kind of data exposed."""
    found = set(categories)
    advice = []
    if DataCategory.CONTACT in found:
        advice.append(
            _(
                "Be wary of calls, messages and e-mails that claim to come from the office "
                "and ask for money, codes or documents: the office never asks for them."
            )
        )
    if DataCategory.ACCOUNT in found:
        advice.append(_("Change your PRIMA password and any password you use elsewhere too."))
    if not advice:
        advice.append(_("Tell us if you notice any misuse of your data."))
    return advice


def draft_notices(breach: Breach, *, language: str = "id") -> tuple[str, str]:
    """The notification to the people affected and the one to the supervising authority,
    drafted from the breach and the record of processing (Ps. 46 ayat (2): the data
    exposed, when and how, the handling and recovery), in ``language`` (Indonesian)."""
    office = breach.office
    tz = office.timezone
    with translation.override(language):
        unknown = _("not known yet")
        categories = labels(DataCategory, breach.data_categories) or [unknown]
        subjects = labels(Subject, breach.subjects) or [unknown]
        names, activities = _record_names(breach.records)
        discovered = dates.format_datetime(breach.discovered_at, language, tz_name=tz)
        occurred = (
            dates.format_datetime(breach.occurred_at, language, tz_name=tz)
            if breach.occurred_at
            else _("still being established")
        )
        people = (
            f"{breach.estimated_people:n}".replace(",", ".")
            if breach.estimated_people is not None
            else unknown
        )
        facts: Mapping[str, str] = {
            "office": office.name,
            "title": breach.title,
            "discovered": discovered,
            "occurred": occurred,
            "what": breach.description.strip() or unknown,
            "data": "; ".join(categories),
            "subjects": "; ".join(subjects),
            "records": "; ".join(names) or unknown,
            "activities": "; ".join(activities) or unknown,
            "systems": breach.systems.strip() or "-",
            "people": people,
            "consequences": breach.consequences.strip() or unknown,
            "measures": breach.measures.strip() or unknown,
            "contact": breach.contact.strip() or _contact_of(office),
            "place": office.city or office.short_name,
            "today": dates.format_date(timezone.now(), language, weekday=False, tz_name=tz),
            "law": _("Article 46 of Law No. 27 of 2022 on Personal Data Protection"),
        }
        advice = "\n".join(f"- {line}" for line in _advice(breach.data_categories))
        to_subjects = "\n".join(
            [
                _("NOTIFICATION OF A PERSONAL-DATA BREACH"),
                "",
                _("To: %(subjects)s") % facts,
                "",
                _(
                    "%(office)s informs you that on %(discovered)s we discovered a breach of "
                    "the protection of personal data we hold about you: %(title)s."
                )
                % facts,
                "",
                _("What happened: %(what)s") % facts,
                _("When it happened: %(occurred)s") % facts,
                _("Personal data affected: %(data)s") % facts,
                _("Estimated number of people affected: %(people)s") % facts,
                _("Likely consequences: %(consequences)s") % facts,
                _("What we have done to handle it and recover: %(measures)s") % facts,
                "",
                _("What you can do:"),
                advice,
                "",
                _("Questions: %(contact)s") % facts,
                "",
                _("This notification is given under %(law)s.") % facts,
                "",
                f"{facts['place']}, {facts['today']}",
                office.name,
            ]
        )
        to_authority = "\n".join(
            [
                _("NOTIFICATION OF A PERSONAL-DATA BREACH"),
                "",
                _("To: the personal-data protection authority"),
                _("From: %(office)s, as personal-data controller") % facts,
                "",
                _("Breach: %(title)s") % facts,
                _("Discovered: %(discovered)s") % facts,
                _("Happened: %(occurred)s") % facts,
                _("How it happened: %(what)s") % facts,
                _("Processing activities affected: %(activities)s") % facts,
                _("Kinds of record affected: %(records)s") % facts,
                _("Other systems affected: %(systems)s") % facts,
                _("Personal data affected: %(data)s") % facts,
                _("Data subjects affected: %(subjects)s") % facts,
                _("Estimated number of people affected: %(people)s") % facts,
                _("Likely consequences: %(consequences)s") % facts,
                _("Handling and recovery: %(measures)s") % facts,
                _("Contact: %(contact)s") % facts,
                "",
                _(
                    "The people affected are notified in writing at the same time. This "
                    "notification is given under %(law)s."
                )
                % facts,
                "",
                f"{facts['place']}, {facts['today']}",
                office.name,
            ]
        )
    return to_subjects, to_authority


def _contact_of(office: Office) -> str:
    parts = [p for p in (office.name, office.phone, office.email) if p]
    return ", ".join(parts)


# --- Changes ---------------------------------------------------------------------------


def _facts(breach: Breach) -> dict[str, Any] | None:
    return audit.snapshot(breach, FACT_FIELDS)


def register(user: User, office: Office, data: Mapping[str, Any]) -> Breach:
    """Register a breach in ``office`` (``breach.manage``); the notifications are drafted
    from the record unless given."""
    policy.check(user, "breach.manage", office)
    breach = Breach(office=office, reported_by=user)
    for name in EDITABLE:
        if name in data:
            setattr(breach, name, data[name])
    drafted_subjects, drafted_authority = draft_notices(breach)
    breach.notice_subjects = breach.notice_subjects or drafted_subjects
    breach.notice_authority = breach.notice_authority or drafted_authority
    with transaction.atomic():
        breach.save()
        audit.log(user, "breach.register", breach, after=_facts(breach))
    return breach


def edit(user: User, breach: Breach, data: Mapping[str, Any]) -> Breach:
    """Change a breach's facts and texts (``breach.manage``)."""
    policy.check(user, "breach.manage", breach)
    with transaction.atomic():
        locked = Breach.objects.select_for_update().get(pk=breach.pk)
        before = _facts(locked)
        changed_texts = [n for n in TEXT_FIELDS if n in data and getattr(locked, n) != data[n]]
        for name in EDITABLE:
            if name in data:
                setattr(locked, name, data[name])
        locked.save()
        after = _facts(locked) or {}
        if changed_texts:
            # Only the names of the texts: they may name people.
            after["texts_changed"] = changed_texts
        audit.log(user, "breach.edit", locked, before=before, after=after)
    return locked


def redraft(user: User, breach: Breach) -> Breach:
    """Draft both notifications again from the breach's current facts (overwrites them)."""
    subjects, authority = draft_notices(breach)
    return edit(user, breach, {"notice_subjects": subjects, "notice_authority": authority})


def mark_notified(
    user: User, breach: Breach, target: Target, *, at: datetime | None = None
) -> Breach:
    """Record that a notification was sent (once; audited)."""
    policy.check(user, "breach.manage", breach)
    at = at or timezone.now()
    field = f"{target.value}_notified"
    with transaction.atomic():
        updated = Breach.objects.filter(pk=breach.pk, **{f"{field}_at__isnull": True}).update(
            **{f"{field}_at": at, f"{field}_by": user}
        )
        if updated:
            breach.refresh_from_db()
            audit.log(
                user,
                f"breach.notify_{target.value}",
                breach,
                after={
                    f"{field}_at": at.isoformat(timespec="seconds"),
                    "on_time": at <= breach.deadline,
                },  # fmt: skip
            )
    breach.refresh_from_db()
    return breach


def close(user: User, breach: Breach) -> Breach:
    policy.check(user, "breach.manage", breach)
    with transaction.atomic():
        if Breach.objects.filter(pk=breach.pk, closed_at__isnull=True).update(
            closed_at=timezone.now(), closed_by=user
        ):
            breach.refresh_from_db()
            audit.log(user, "breach.close", breach, only_if_changed=False)
    breach.refresh_from_db()
    return breach


# --- The home page ------------------------------------------------------------------------


def breach_attention(user: User) -> list[AttentionItem]:
    """One critical item per open breach with a notification still to send, with the
    countdown to its 3 x 24-hour deadline, for those who may send it (one query; kept for
    everyone with the same scope)."""
    return attention.shared("privacy.breach", user, ("breach.manage",), lambda: _waiting(user))


def _waiting(user: User) -> list[AttentionItem]:
    waiting = policy.scope(
        user,
        "breach.manage",
        Breach.objects.filter(closed_at__isnull=True).filter(
            Q(subjects_notified_at__isnull=True) | Q(authority_notified_at__isnull=True)
        ),
    ).select_related("office")
    now = timezone.now()
    return [
        AttentionItem(
            kind="privacy.breach",
            title=_("Personal-data breach: notify within 3 × 24 hours — %(title)s")
            % {"title": b.title},
            url=reverse("breach-detail", args=[b.pk]),
            office=b.office.short_name,
            due=b.deadline,
            overdue=b.deadline < now,
            urgency=Urgency.CRITICAL,
        )
        for b in waiting
    ]
