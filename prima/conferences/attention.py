"""What awaits a user in press conferences, for the home page ("needs your attention").

- facts entered by others that they may verify (a second person is needed);
- material awaiting approval, for those who may approve it and did not write it;
- material returned to its author for changes;
- briefings not yet held, for appointed spokespeople;
- overdue crisis deadlines, for those who run the office's conferences.

A fixed number of queries, whatever the data.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from prima.organizations import policy
from prima.organizations.attention import AttentionItem
from prima.organizations.models import User

from .models import (
    Appointment,
    Conference,
    Fact,
    Material,
    MaterialState,
    Stage,
    Status,
)
from .workflow import active_delegations, deadlines


def _url(conference_id: int) -> str:
    return Conference(pk=conference_id).get_absolute_url()


def conference_attention(user: User, *, now: datetime | None = None) -> list[AttentionItem]:
    if not user.is_authenticated:
        return []
    now = now or timezone.now()
    items: list[AttentionItem] = []
    items += _facts_to_verify(user)
    items += _material_to_approve(user, now)
    items += _material_returned(user)
    items += _briefings(user)
    items += _overdue(user, now)
    return items


def _facts_to_verify(user: User) -> list[AttentionItem]:
    offices = policy.offices(user, "conference.verify_fact")
    rows = (
        Fact.objects.filter(
            conference__office__in=offices,
            conference__status=Status.ACTIVE,
            verified_at__isnull=True,
        )
        .exclude(entered_by=user)
        .exclude(edited_by=user)
        .values("conference_id", "conference__title", "conference__office__short_name")
        .annotate(n=Count("pk"))
        .order_by("conference_id")
    )
    return [
        AttentionItem(
            kind="conference.verify_fact",
            title=ngettext(
                "%(n)d fact to verify: %(title)s", "%(n)d facts to verify: %(title)s", row["n"]
            )
            % {"n": row["n"], "title": row["conference__title"]},
            url=_url(row["conference_id"]),
            office=row["conference__office__short_name"],
        )
        for row in rows
    ]


def _material_to_approve(user: User, now: datetime) -> list[AttentionItem]:
    office_ids = set(policy.offices(user, "material.approve").values_list("pk", flat=True))
    office_ids |= set(
        active_delegations(now=now).filter(delegate=user).values_list("office_id", flat=True)
    )
    if not office_ids:
        return []
    visible = set(policy.offices(user, "material.view").values_list("pk", flat=True))
    materials = (
        Material.objects.filter(
            state=MaterialState.SUBMITTED,
            conference__status=Status.ACTIVE,
            conference__office_id__in=office_ids & visible,
        )
        .exclude(versions__author=user)
        .select_related("conference__office")
        .order_by("submitted_at")
    )
    return [
        AttentionItem(
            kind="conference.approve_material",
            title=_("Approve %(material)s: %(title)s")
            % {"material": m.get_kind_display().lower(), "title": m.conference.title},
            url=m.conference.get_absolute_url(),
            office=m.conference.office.short_name,
            due=m.conference.scheduled_at,
        )
        for m in materials
    ]


def _material_returned(user: User) -> list[AttentionItem]:
    materials = Material.objects.filter(
        state=MaterialState.RETURNED, current__author=user, conference__status=Status.ACTIVE
    ).select_related("conference__office", "current")
    return [
        AttentionItem(
            kind="conference.material_returned",
            title=_("%(material)s returned for changes: %(title)s")
            % {"material": m.get_kind_display(), "title": m.conference.title},
            url=m.conference.get_absolute_url(),
            office=m.conference.office.short_name,
            detail=m.current.return_reason if m.current else "",
        )
        for m in materials
    ]


def _briefings(user: User) -> list[AttentionItem]:
    before_execution = [s for s in Stage if s.position < Stage.EXECUTION.position]
    appointments = (
        Appointment.objects.filter(
            spokesperson__user=user,
            conference__status=Status.ACTIVE,
            conference__stage__in=before_execution,
        )
        .annotate(n=Count("briefings"))
        .filter(n=0)
        .select_related("conference__office")
    )
    return [
        AttentionItem(
            kind="conference.briefing",
            title=_("Briefing before the press conference: %(title)s")
            % {"title": a.conference.title},
            url=a.conference.get_absolute_url(),
            office=a.conference.office.short_name,
            due=a.conference.scheduled_at,
        )
        for a in appointments
    ]


def _overdue(user: User, now: datetime) -> list[AttentionItem]:
    conferences = policy.scope(
        user, "conference.edit", Conference.objects.overdue(now).select_related("office")
    )
    items = []
    for conference in conferences:
        for deadline in deadlines(conference, now=now):
            if deadline.is_missed and deadline.met_at is None:
                items.append(
                    AttentionItem(
                        kind="conference.deadline_overdue",
                        title=_("Overdue: %(deadline)s — %(title)s")
                        % {"deadline": deadline.label, "title": conference.title},
                        url=conference.get_absolute_url(),
                        office=conference.office.short_name,
                        due=deadline.due,
                        overdue=True,
                    )
                )
    return items
