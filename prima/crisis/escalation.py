"""Escalation: who is called for a case, when it climbs, and acknowledgement.

When a case reaches a level (first assessment, or a higher level later) a new *round*
starts: the first tier of the level's responders in the playbook gets an
:class:`~.models.Escalation` row due after the level's acknowledgement target, and one
:class:`~.models.Notification` per responder and channel (in the app — the home page's
"needs your attention" — at once; e-mail and the chat webhook through the delivery
workers of :mod:`.delivery`). Unacknowledged when its target passes, the tier expires
and the next tier is called (:func:`advance`). A responder of the current tier or a later
one acknowledges (:func:`acknowledge`), which stops the round.

Everything here runs in the caller's transaction; rows are unique per case, round and
tier (escalations) and per key (notifications), so a tick that runs twice creates
nothing twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from prima.lib import dates
from prima.organizations import audit, policy
from prima.organizations.levels import Level
from prima.organizations.models import User

from . import delivery, events, responders
from .errors import InvalidAction
from .models import Case, CaseStatus, Channel, CrisisConfig, Escalation, EventKind, Notification


def _site_link(case: Case) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("crisis:case", kwargs={"pk": case.pk})


def _message(case: Case, escalation: Escalation) -> tuple[str, str]:
    """Subject and body of an escalation message, in the interface's default language."""
    tz = case.office.timezone
    with translation.override(settings.LANGUAGE_CODE):
        level = Level(escalation.level).label
        exercise = _("EXERCISE")
        prefix = f"[{exercise}] " if case.is_exercise else ""
        subject = _("%(prefix)s%(level)s crisis: %(title)s — acknowledge by %(due)s") % {
            "prefix": prefix,
            "level": level,
            "title": case.title,
            "due": dates.format_time(escalation.due_at, "id", tz_name=tz),
        }
        playbook = escalation.config.parsed.playbook(escalation.level)
        lines = [
            _("Crisis level %(level)s (%(n)d of 4) at %(office)s.")
            % {"level": level, "n": escalation.level, "office": case.office.name},
            "",
            case.title,
            "",
            _("You are called as: %(who)s.")
            % {"who": ", ".join(responders.label(c) for c in escalation.responders)},
            _("Acknowledge by %(due)s; first public response due within %(minutes)d minutes.")
            % {
                "due": dates.format_datetime(escalation.due_at, "id", tz_name=tz),
                "minutes": playbook.response_minutes,
            },
        ]
        if escalation.tier:
            lines.append(_("The responders called before you did not acknowledge in time."))
        lines += ["", _("Open the case: %(url)s") % {"url": _site_link(case)}]
        if case.is_exercise:
            lines += [
                "",
                _("This is an exercise (drill). It does not count in performance figures."),
            ]
    return subject[:300], "\n".join(lines)


def _notify(escalation: Escalation, people: list[User], now: datetime) -> list[Notification]:
    case = escalation.case
    playbook = escalation.config.parsed.playbook(escalation.level)
    subject, body = _message(case, escalation)
    rows: list[Notification] = []
    base = f"esc-{escalation.pk}"
    for person in people:
        rows.append(
            Notification(
                key=f"{base}-u{person.pk}-in_app",
                case=case,
                escalation=escalation,
                recipient=person,
                channel=Channel.IN_APP,
                subject=subject,
                body=body,
                created_at=now,
                next_attempt_at=now,
                sent_at=now,  # stored is delivered: the home page shows it
                is_exercise=case.is_exercise,
            )
        )
        if "email" in playbook.channels and person.email:
            rows.append(
                Notification(
                    key=f"{base}-u{person.pk}-email",
                    case=case,
                    escalation=escalation,
                    recipient=person,
                    channel=Channel.EMAIL,
                    address=person.email,
                    subject=subject,
                    body=body,
                    created_at=now,
                    next_attempt_at=now,
                    is_exercise=case.is_exercise,
                )
            )
    if "webhook" in playbook.channels and settings.CRISIS_WEBHOOK_URL and not case.is_exercise:
        rows.append(
            Notification(
                key=f"{base}-webhook",
                case=case,
                escalation=escalation,
                channel=Channel.WEBHOOK,
                address=settings.CRISIS_WEBHOOK_URL,
                subject=subject,
                body=body,
                created_at=now,
                next_attempt_at=now,
            )
        )
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    if any(row.channel != Channel.IN_APP for row in rows):
        delivery.deliver_soon()
    if people:
        # In-app notices are delivered as they are stored.
        Case.objects.filter(pk=case.pk, notified_at__isnull=True).update(notified_at=now)
        if case.notified_at is None:
            case.notified_at = now
    return rows


def _call_tier(
    case: Case, config: CrisisConfig, level: int, round_: int, tier: int, now: datetime
) -> Escalation | None:
    """Create the escalation of one tier and its notifications; tiers nobody holds are
    skipped (logged). Returns the escalation that now waits, or None past the last tier."""
    playbook = config.parsed.playbook(level)
    while tier < len(playbook.tiers):
        codes = list(playbook.tiers[tier])
        people = responders.people(codes, case.office)
        is_last = tier == len(playbook.tiers) - 1
        if not people and not is_last:
            events.log(
                case,
                EventKind.ESCALATION,
                at=now,
                round=round_,
                tier=tier,
                responders=codes,
                recipients=[],
                skipped=True,
            )
            tier += 1
            continue
        escalation, created = Escalation.objects.get_or_create(
            case=case,
            round=round_,
            tier=tier,
            defaults={
                "level": level,
                "config": config,
                "responders": codes,
                "office": case.office,
                "created_at": now,
                "due_at": now + timedelta(minutes=playbook.ack_minutes),
                "is_exercise": case.is_exercise,
            },
        )
        if created:
            _notify(escalation, people, now)
            events.log(
                case,
                EventKind.ESCALATION,
                at=now,
                round=round_,
                tier=tier,
                level=level,
                responders=codes,
                recipients=[p.display_name for p in people],
                due=escalation.due_at,
            )
        return escalation
    return None


def start_round(case: Case, level: int, config: CrisisConfig, now: datetime) -> Escalation | None:
    """Call the first tier of ``level``'s responders (the case's previous round, if any,
    is superseded). In the caller's transaction."""
    Escalation.objects.filter(
        case=case, acknowledged_at__isnull=True, superseded_at__isnull=True
    ).update(superseded_at=now)
    case.escalation_round += 1
    Case.objects.filter(pk=case.pk).update(escalation_round=case.escalation_round)
    return _call_tier(case, config, level, case.escalation_round, 0, now)


def supersede(case: Case, now: datetime) -> int:
    """Stop every pending escalation of the case (closed, merged, level lowered)."""
    return Escalation.objects.filter(
        case=case, acknowledged_at__isnull=True, superseded_at__isnull=True
    ).update(superseded_at=now)


def _last_tier(escalation: Escalation) -> bool:
    playbook = escalation.config.parsed.playbook(escalation.level)
    return escalation.tier >= len(playbook.tiers) - 1


def advance(now: datetime | None = None) -> int:
    """Expire every pending escalation whose target has passed and call the next tier
    (one transaction each). The last tier stays pending (overdue). Returns the number of
    tiers called."""
    now = now or timezone.now()
    called = 0
    due = (
        Escalation.objects.filter(
            acknowledged_at__isnull=True,
            superseded_at__isnull=True,
            expired_at__isnull=True,
            due_at__lte=now,
            case__status=CaseStatus.OPEN,
        )
        .select_related("case__office", "config")
        .order_by("due_at", "pk")
    )
    for escalation in due:
        if _last_tier(escalation):
            continue
        with transaction.atomic():
            claimed = Escalation.objects.filter(
                pk=escalation.pk,
                acknowledged_at__isnull=True,
                superseded_at__isnull=True,
                expired_at__isnull=True,
            ).update(expired_at=now)
            if not claimed:
                continue  # acknowledged or handled by another worker meanwhile
            case = escalation.case
            if escalation.round != case.escalation_round:
                continue
            nxt = _call_tier(
                case,
                escalation.config,
                escalation.level,
                escalation.round,
                escalation.tier + 1,
                now,
            )
            called += nxt is not None
    return called


def pending(case: Case) -> list[Escalation]:
    """The escalations of the case's current round that wait for acknowledgement."""
    return list(
        Escalation.objects.filter(
            case=case,
            round=case.escalation_round,
            acknowledged_at__isnull=True,
            superseded_at__isnull=True,
        ).order_by("tier")
    )


def may_acknowledge(user: User, case: Case, waiting: list[Escalation] | None = None) -> bool:
    """Is ``user`` a responder of a pending tier (or a later one) of the current round?
    ``waiting``: :func:`pending`, when the caller has already read it."""
    waiting = pending(case) if waiting is None else waiting
    if not waiting or not policy.can(user, "crisis.acknowledge", case.office):
        return False
    first = waiting[0]
    playbook = first.config.parsed.playbook(first.level)
    codes = [code for tier in playbook.tiers[min(w.tier for w in waiting) :] for code in tier]
    return responders.holds(user, codes, case.office)


def acknowledge(actor: User, case: Case, *, now: datetime | None = None) -> Case:
    """The responder takes the case: every pending tier of the current round stops. The
    first acknowledgement of a case is its acknowledgement time."""
    policy.check(actor, "crisis.acknowledge", case)
    now = now or timezone.now()
    with transaction.atomic():
        case = Case.objects.select_for_update().select_related("office").get(pk=case.pk)
        if case.status != CaseStatus.OPEN:
            raise InvalidAction(_("The case is closed."))
        waiting = pending(case)
        if not waiting:
            raise InvalidAction(_("Nothing on this case waits for acknowledgement."))
        if not may_acknowledge(actor, case):
            who = ", ".join(responders.label(c) for w in waiting for c in w.responders)
            raise PermissionDenied(_("This escalation waits for: %(who)s.") % {"who": who})
        Escalation.objects.filter(pk__in=[w.pk for w in waiting]).update(
            acknowledged_at=now, acknowledged_by=actor
        )
        before = audit.snapshot(case, ["acknowledged_at", "acknowledged_by"])
        if case.acknowledged_at is None:
            case.acknowledged_at, case.acknowledged_by = now, actor
            Case.objects.filter(pk=case.pk).update(acknowledged_at=now, acknowledged_by=actor)
        Case.objects.filter(pk=case.pk).update(last_activity_at=now)
        events.log(
            case,
            EventKind.ACKNOWLEDGEMENT,
            actor=actor,
            at=now,
            round=case.escalation_round,
            tiers=[w.tier for w in waiting],
        )
        audit.log(
            actor,
            "crisis.acknowledge",
            case,
            before=before,
            after=(audit.snapshot(case, ["acknowledged_at", "acknowledged_by"]) or {})
            | {"round": case.escalation_round},
            only_if_changed=False,
        )
    return case
