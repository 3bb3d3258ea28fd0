"""What awaits a user in press conferences, for the home page ("needs your attention").

- facts entered by others that they may verify (a second person is needed);
- material awaiting approval, for those who may approve it and did not write it;
- material returned to its author for changes;
- briefings not yet held, for appointed spokespeople;
- overdue crisis deadlines and conference dates that passed without the conference being
  held, for those who run the office's conferences;
- for supervisors (``conference.supervise``, Kanwil and Ditjen): the same missed deadlines
  in the offices below them, and the crisis conferences there that something blocks.

Work on a crisis conference is ``Urgency.CRITICAL`` and carries the crisis deadline it
races against (the holding statement's for that material, else the first deadline still
open), so it comes first on the home page with its countdown. Other work is dated by the
conference's date.

A fixed number of queries (at most eight), whatever the data, except for supervisors: a
few per active crisis conference below them (at most ``SUPERVISED_CRISES``).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from prima.organizations import policy
from prima.organizations.attention import AttentionItem, Urgency
from prima.organizations.models import User

from .models import (
    Appointment,
    Conference,
    ConferenceType,
    Fact,
    Material,
    MaterialKind,
    MaterialState,
    Stage,
    Status,
)
from .workflow import DeadlineStatus, active_delegations, blockers, deadlines

SUPERVISED_CRISES = 20
BEFORE_EXECUTION = [s for s in Stage if s.position < Stage.EXECUTION.position]


def conference_attention(user: User, *, now: datetime | None = None) -> list[AttentionItem]:
    if not user.is_authenticated:
        return []
    now = now or timezone.now()
    items: list[AttentionItem] = []
    items += _facts_to_verify(user, now)
    items += _material_to_approve(user, now)
    items += _material_returned(user, now)
    items += _briefings(user, now)
    items += _missed(user, now, "conference.edit", running=True)
    items += _supervision(user, now)
    # A running deadline already carried by a piece of work (approve the holding
    # statement…) is not listed a second time.
    carried = {(i.url, i.due) for i in items if i.kind != "conference.deadline_running"}
    return [
        i for i in items if i.kind != "conference.deadline_running" or (i.url, i.due) not in carried
    ]


def _crisis_due(conference: Conference, now: datetime, code: str | None = None) -> datetime | None:
    """The crisis deadline that work on ``conference`` races against: deadline ``code`` if
    it is still unmet, else the earliest unmet one (None when none is left)."""
    unmet = [
        d
        for d in deadlines(conference, now=now)
        if d.met_at is None and d.status is not DeadlineStatus.VOID
    ]
    wanted = [d for d in unmet if d.code == code] or unmet
    return min((d.due for d in wanted), default=None)


def _timing(
    conference: Conference, now: datetime, code: str | None = None
) -> tuple[datetime | None, bool, Urgency]:
    """(due, overdue, urgency) of a piece of work on ``conference``."""
    if conference.type == ConferenceType.CRISIS:
        due = _crisis_due(conference, now, code)
        return due, due is not None and due < now, Urgency.CRITICAL
    return conference.scheduled_at, False, Urgency.NORMAL


def _item(
    kind: str,
    title: str,
    conference: Conference,
    now: datetime,
    *,
    detail: str = "",
    deadline: str | None = None,
) -> AttentionItem:
    due, overdue, urgency = _timing(conference, now, deadline)
    return AttentionItem(
        kind=kind,
        title=title,
        url=conference.get_absolute_url(),
        office=conference.office.short_name,
        due=due,
        overdue=overdue,
        detail=detail,
        urgency=urgency,
    )


def _facts_to_verify(user: User, now: datetime) -> list[AttentionItem]:
    if not policy.can_anywhere(user, "conference.verify_fact"):
        return []
    offices = policy.offices(user, "conference.verify_fact")
    rows = list(
        Fact.objects.filter(
            conference__office__in=offices,
            conference__status=Status.ACTIVE,
            verified_at__isnull=True,
        )
        .exclude(entered_by=user)
        .exclude(edited_by=user)
        .values("conference_id")
        .annotate(n=Count("pk"))
        .order_by("conference_id")
    )
    if not rows:
        return []
    conferences = Conference.objects.select_related("office").in_bulk(
        [row["conference_id"] for row in rows]
    )
    return [
        _item(
            "conference.verify_fact",
            ngettext(
                "%(n)d fact to verify: %(title)s", "%(n)d facts to verify: %(title)s", row["n"]
            )
            % {"n": row["n"], "title": conferences[row["conference_id"]].title},
            conferences[row["conference_id"]],
            now,
        )
        for row in rows
    ]


def _material_to_approve(user: User, now: datetime) -> list[AttentionItem]:
    """Material in offices where ``user`` may approve (or was delegated the right) and may
    see it, which they did not write: one query (the grants are filters, the delegations
    a subquery)."""
    delegated = active_delegations(now=now).filter(delegate=user).values("office_id")
    materials = (
        Material.objects.filter(
            policy.office_q(user, "material.approve", "conference__office")
            | Q(conference__office_id__in=delegated),
            policy.office_q(user, "material.view", "conference__office"),
            state=MaterialState.SUBMITTED,
            conference__status=Status.ACTIVE,
        )
        .exclude(versions__author=user)
        .select_related("conference__office")
        .order_by("submitted_at")
    )
    return [
        _item(
            "conference.approve_material",
            _("Approve %(material)s: %(title)s")
            % {"material": m.get_kind_display().lower(), "title": m.conference.title},
            m.conference,
            now,
            deadline="holding_statement" if m.kind == MaterialKind.HOLDING_STATEMENT else None,
        )
        for m in materials
    ]


def _material_returned(user: User, now: datetime) -> list[AttentionItem]:
    materials = Material.objects.filter(
        state=MaterialState.RETURNED, current__author=user, conference__status=Status.ACTIVE
    ).select_related("conference__office", "current")
    return [
        _item(
            "conference.material_returned",
            _("%(material)s returned for changes: %(title)s")
            % {"material": m.get_kind_display(), "title": m.conference.title},
            m.conference,
            now,
            detail=m.current.return_reason if m.current else "",
            deadline="holding_statement" if m.kind == MaterialKind.HOLDING_STATEMENT else None,
        )
        for m in materials
    ]


def _briefings(user: User, now: datetime) -> list[AttentionItem]:
    appointments = (
        Appointment.objects.filter(
            spokesperson__user=user,
            conference__status=Status.ACTIVE,
            conference__stage__in=BEFORE_EXECUTION,
        )
        .annotate(n=Count("briefings"))
        .filter(n=0)
        .select_related("conference__office")
    )
    return [
        _item(
            "conference.briefing",
            _("Briefing before the press conference: %(title)s") % {"title": a.conference.title},
            a.conference,
            now,
            deadline="conference",
        )
        for a in appointments
    ]


def _missed(
    user: User,
    now: datetime,
    action: str,
    *,
    exclude_exercises: bool = False,
    running: bool = False,
) -> list[AttentionItem]:
    """Crisis deadlines past due and still unmet, and conference dates that passed while
    the conference was not yet under way, in the offices where ``user`` holds ``action``;
    with ``running``, also the next crisis deadline still running (its countdown). Two
    queries."""
    crises = (
        Conference.objects.filter(type=ConferenceType.CRISIS, status=Status.ACTIVE)
        if running
        else Conference.objects.overdue(now)
    ).select_related("office")
    late = Conference.objects.filter(
        status=Status.ACTIVE, stage__in=BEFORE_EXECUTION, scheduled_at__lt=now
    ).select_related("office")
    if exclude_exercises:
        crises, late = crises.filter(is_exercise=False), late.filter(is_exercise=False)
    items = []
    listed = set()
    for conference in policy.scope(user, action, crises):
        unmet = [d for d in deadlines(conference, now=now) if d.met_at is None]
        if any(d.is_missed for d in unmet):
            listed.add(conference.pk)
        running_now = [d for d in unmet if d.is_open]
        if running and running_now and not any(d.is_missed for d in unmet):
            deadline = min(running_now, key=lambda d: d.due)
            items.append(
                AttentionItem(
                    kind="conference.deadline_running",
                    title=_("Crisis deadline: %(deadline)s — %(title)s")
                    % {"deadline": deadline.label, "title": conference.title},
                    url=conference.get_absolute_url(),
                    office=conference.office.short_name,
                    due=deadline.due,
                    urgency=Urgency.CRITICAL,
                )
            )
        for deadline in unmet:
            if deadline.is_missed:
                items.append(
                    AttentionItem(
                        kind="conference.deadline_overdue",
                        title=_("Overdue: %(deadline)s — %(title)s")
                        % {"deadline": deadline.label, "title": conference.title},
                        url=conference.get_absolute_url(),
                        office=conference.office.short_name,
                        due=deadline.due,
                        overdue=True,
                        urgency=Urgency.CRITICAL,
                    )
                )
    for conference in policy.scope(user, action, late):
        if conference.pk in listed:
            continue
        items.append(
            AttentionItem(
                kind="conference.date_passed",
                title=_("The date has passed but the conference was not held: %(title)s")
                % {"title": conference.title},
                url=conference.get_absolute_url(),
                office=conference.office.short_name,
                due=conference.scheduled_at,
                overdue=True,
                detail=_("Still in “%(stage)s”. Hold it, set a new date or cancel it.")
                % {"stage": Stage(conference.stage).label},
                urgency=Urgency.CRITICAL if conference.is_crisis else Urgency.HIGH,
            )
        )
    return items


def _supervision(user: User, now: datetime) -> list[AttentionItem]:
    """For supervisors: missed deadlines below them, and the active crisis conferences
    there with what blocks each (exercises left out: they never count)."""
    if not policy.can_anywhere(user, "conference.supervise"):
        return []
    items = _missed(user, now, "conference.supervise", exclude_exercises=True)
    crises = policy.scope(
        user,
        "conference.supervise",
        Conference.objects.filter(
            type=ConferenceType.CRISIS,
            status=Status.ACTIVE,
            is_exercise=False,
            stage__in=[*BEFORE_EXECUTION, Stage.EXECUTION],  # after it: paperwork
        )
        .select_related("office")
        .order_by("opened_at"),
    )[:SUPERVISED_CRISES]
    for conference in crises:
        found = blockers(conference, now=now)
        if not found:
            continue
        detail = found[0].message
        if len(found) > 1:
            detail = ngettext(
                "%(first)s (and %(n)d more)", "%(first)s (and %(n)d more)", len(found) - 1
            ) % {"first": detail, "n": len(found) - 1}
        url = conference.get_absolute_url()
        listed = [i for i, item in enumerate(items) if item.url == url]
        for i in listed:
            # Already there with its missed deadline: say what blocks it there.
            items[i] = replace(items[i], detail=_("Blocked: %(what)s") % {"what": detail})
        if listed:
            continue
        items.append(
            _item(
                "conference.crisis_blocked",
                _("Crisis conference blocked: %(title)s") % {"title": conference.title},
                conference,
                now,
                detail=detail,
            )
        )
    return items
