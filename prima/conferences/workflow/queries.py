"""Read-only rules: what blocks the next stage and who must act, crisis deadlines,
checklist progress, spokesperson validity, evaluation figures."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from prima.organizations import audit, policy
from prima.organizations.models import User

from ..models import (
    ON_TIME_TOLERANCE_MINUTES,
    REQUIRED_MATERIAL,
    TARGET_DURATION_MINUTES,
    Appointment,
    ChecklistItem,
    Conference,
    ConferenceType,
    Fact,
    IssueLevel,
    Material,
    MaterialKind,
    MaterialState,
    Spokesperson,
    Stage,
    Status,
    Topic,
    crisis_conference_minutes,
    crisis_holding_statement_minutes,
)
from .base import (
    Blocker,
    Deadline,
    DeadlineStatus,
    EvaluationSummary,
    StageProgress,
    _before,
    _format_day,
    _now,
    approvers,
)


def visible_conferences(user: User) -> models.QuerySet[Conference]:
    """Conferences the user may see (policy ``conference.view``)."""
    return policy.scope(user, "conference.view", Conference.objects.select_related("office"))


def performance_queryset(queryset: models.QuerySet[Conference] | None = None):
    """Conferences that count in performance figures: exercises (drills) are left out."""
    return (queryset if queryset is not None else Conference.objects.all()).filter(
        is_exercise=False
    )


def history(conference: Conference):
    """Audit entries about the conference and all its parts, newest first."""
    return audit.history(conference)


def checklist_progress(conference: Conference) -> list[StageProgress]:
    """Done/total per working stage. Uses ``checklist_items.all()`` (prefetch it to avoid
    a query)."""
    current = Stage(conference.stage).position
    items = list(conference.checklist_items.all())
    rows = []
    for stage in Stage:
        if stage == Stage.CLOSED:
            continue
        mine = [i for i in items if i.stage == stage]
        required = [i for i in mine if i.required]
        pos = stage.position
        rows.append(
            StageProgress(
                stage=stage,
                label=str(stage.label),
                done=sum(1 for i in mine if i.is_done),
                total=len(mine),
                required_total=len(required),
                required_open=sum(1 for i in required if not i.is_done),
                state="done" if pos < current else ("current" if pos == current else "todo"),
            )
        )
    return rows


def deadlines(conference: Conference, *, now: datetime | None = None) -> list[Deadline]:
    """The crisis deadlines (holding statement, conference), counted from ``opened_at``.

    Empty for regular and incidental conferences. No query.
    """
    if conference.type != ConferenceType.CRISIS:
        return []
    now = _now(now)
    specs = [
        (
            "holding_statement",
            _("Holding statement"),
            timedelta(minutes=crisis_holding_statement_minutes()),
            conference.holding_statement_at,
        ),
        (
            "conference",
            _("Press conference"),
            timedelta(minutes=crisis_conference_minutes()),
            conference.actual_start,
        ),
    ]
    result = []
    for code, label, allowance, met_at in specs:
        due = conference.opened_at + allowance
        remaining = None
        if met_at is not None:
            status = DeadlineStatus.MET if met_at <= due else DeadlineStatus.MISSED
        elif conference.status == Status.ACTIVE:
            remaining = int((due - now).total_seconds())
            status = DeadlineStatus.OPEN if remaining >= 0 else DeadlineStatus.MISSED
        else:
            ended = conference.cancelled_at or conference.completed_at or now
            status = DeadlineStatus.VOID if ended <= due else DeadlineStatus.MISSED
        result.append(Deadline(code, label, due, met_at, status, remaining))
    return result


def _blocker(
    code: str,
    message: str,
    stage: Stage | None,
    action: str,
    who: policy.Holders,
    *,
    users: tuple[User, ...] | None = None,
    exclude: Iterable[int | None] = (),
    obj: Any = None,
) -> Blocker:
    """A blocker that the holders of ``action`` in the conference's office can clear (the
    policy says who); ``users`` narrows the people named (e.g. the author)."""
    if users is None:
        users = who.users(action, exclude=exclude)
    return Blocker(code, message, stage, who.roles(action), who.office, users, obj)


def blockers(
    conference: Conference,
    *,
    now: datetime | None = None,
    checklist: Sequence[ChecklistItem] | None = None,
    facts: Sequence[Fact] | None = None,
    materials: Mapping[str, Material] | None = None,
    appointments: Sequence[Appointment] | None = None,
) -> list[Blocker]:
    """What keeps the conference from entering its next stage, and who must act (the
    people whose roles may clear it, per the policy).

    Empty when it may advance. A handful of queries (checklist, facts, memberships and,
    before execution, material, delegations and appointments). A caller that has already
    read the conference's ``checklist``, ``facts``, ``materials`` (by kind, with their
    current version and its author) or ``appointments`` (with the spokesperson and their
    office) passes them: the same rule, without reading them again.
    """
    office = conference.office
    if conference.status != Status.ACTIVE or conference.stage == Stage.CLOSED:
        return [Blocker("not_active", _("This conference is no longer active."), None, (), office)]
    target = Stage(conference.stage).next or Stage.CLOSED
    who = policy.Holders(office)
    found: list[Blocker] = []

    if checklist is None:
        open_items: Iterable[ChecklistItem] = conference.checklist_items.filter(
            required=True, done_at__isnull=True, stage__in=_before(target)
        ).order_by("order", "pk")
    else:
        earlier = set(_before(target))
        open_items = sorted(
            (i for i in checklist if i.required and i.done_at is None and i.stage in earlier),
            key=lambda i: (i.order, i.pk),
        )
    for item in open_items:
        found.append(
            _blocker(
                "checklist_open",
                _("Checklist item open (%(stage)s): %(item)s")
                % {"stage": Stage(item.stage).label, "item": item.display_label},
                Stage(item.stage),
                "conference.edit",
                who,
                obj=item,
            )
        )

    if facts is None:
        unverified: Iterable[Fact] = conference.facts.filter(verified_at__isnull=True).order_by(
            "pk"
        )
    else:
        unverified = sorted((f for f in facts if f.verified_at is None), key=lambda f: f.pk)
    for fact in unverified:
        found.append(
            _blocker(
                "fact_unverified",
                _("Fact not yet verified by a second person: %(fact)s") % {"fact": str(fact)},
                Stage.INFORMATION,
                "conference.verify_fact",
                who,
                exclude=(fact.entered_by_id, fact.edited_by_id),
                obj=fact,
            )
        )

    if target.position >= Stage.MATERIAL.position and target != Stage.CLOSED:
        if conference.scheduled_at is None:
            found.append(
                _blocker(
                    "schedule_missing",
                    _("The date and time are not set."),
                    Stage.PLANNING,
                    "conference.edit",
                    who,
                )
            )
        if not conference.venue.strip():
            found.append(
                _blocker(
                    "venue_missing",
                    _("The venue is not set."),
                    Stage.PLANNING,
                    "conference.edit",
                    who,
                )
            )

    if target == Stage.EXECUTION:
        found.extend(_material_blockers(conference, who, now, materials))
        found.extend(_spokesperson_blockers(conference, who, appointments))

    if target == Stage.EVALUATION and conference.actual_start is None:
        found.append(
            _blocker(
                "execution_not_recorded",
                _("The actual start time of the conference is not recorded."),
                Stage.EXECUTION,
                "conference.edit",
                who,
            )
        )

    if target == Stage.CLOSED and not conference.lessons_learned.strip():
        found.append(
            _blocker(
                "lessons_missing",
                _("Lessons learned are not recorded."),
                Stage.EVALUATION,
                "conference.close",
                who,
            )
        )
    return found


def _material_blockers(
    conference: Conference,
    who: policy.Holders,
    now: datetime | None,
    materials: Mapping[str, Material] | None = None,
) -> list[Blocker]:
    found = []
    if materials is None:
        materials = {
            m.kind: m
            for m in conference.materials.select_related("current__author").filter(
                kind__in=REQUIRED_MATERIAL[conference.type]
            )
        }
    for kind in REQUIRED_MATERIAL[conference.type]:
        label = MaterialKind(kind).label
        material = materials.get(kind)
        if material is None or material.current is None:
            found.append(
                _blocker(
                    "material_missing",
                    _("%(material)s has not been written.") % {"material": label},
                    Stage.MATERIAL,
                    "material.edit",
                    who,
                )
            )
        elif material.state == MaterialState.SUBMITTED:
            authors = material.author_ids()
            found.append(
                _blocker(
                    "material_unapproved",
                    _("%(material)s awaits approval.") % {"material": label},
                    Stage.MATERIAL,
                    "material.approve",
                    who,
                    users=tuple(
                        u
                        for u in approvers(who.office, now=now, holders=who)
                        if u.pk not in authors
                    ),
                    obj=material,
                )
            )
        elif material.state != MaterialState.APPROVED:
            # The author submits it (anyone who may edit material could).
            found.append(
                _blocker(
                    "material_unapproved",
                    _("%(material)s has not been submitted for approval.") % {"material": label},
                    Stage.MATERIAL,
                    "material.edit",
                    who,
                    users=(material.current.author,),
                    obj=material,
                )
            )
    return found


def _spokesperson_blockers(
    conference: Conference,
    who: policy.Holders,
    appointments: Sequence[Appointment] | None = None,
) -> list[Blocker]:
    if appointments is None:
        appointments = list(conference.appointments.select_related("spokesperson__office"))
    if not appointments:
        return [
            _blocker(
                "spokesperson_missing",
                _("No spokesperson has been appointed."),
                Stage.SPOKESPERSON,
                "conference.appoint",
                who,
            )
        ]
    found = []
    for appointment in appointments:
        problems = spokesperson_problems(appointment.spokesperson, conference)
        if problems:
            found.append(
                _blocker(
                    "spokesperson_invalid",
                    " ".join(problems),
                    Stage.SPOKESPERSON,
                    "conference.appoint",
                    who,
                    obj=appointment,
                )
            )
    return found


def can_advance(conference: Conference, *, now: datetime | None = None) -> bool:
    return not blockers(conference, now=now)


def spokesperson_problems(spokesperson: Spokesperson, conference: Conference) -> list[str]:
    """Why ``spokesperson`` may not speak at ``conference`` ([] = they may): registry
    status, office, validity of the decree on the conference date, topic and level."""
    problems = []
    name = spokesperson.display_name
    office = conference.office
    if not spokesperson.is_active:
        problems.append(_("%(name)s is no longer in the spokesperson registry.") % {"name": name})
    if spokesperson.office_id != office.pk and not office.path.startswith(spokesperson.office.path):
        problems.append(_("%(name)s is not a spokesperson of this office.") % {"name": name})
    day = conference.conference_date()
    if day < spokesperson.valid_from:
        problems.append(
            _("%(name)s's appointment (decree %(decree)s) is valid only from %(date)s.")
            % {
                "name": name,
                "decree": spokesperson.decree_number,
                "date": _format_day(spokesperson.valid_from),
            }
        )
    if spokesperson.valid_until is not None and day > spokesperson.valid_until:
        problems.append(
            _("%(name)s's appointment (decree %(decree)s) expired on %(date)s.")
            % {
                "name": name,
                "decree": spokesperson.decree_number,
                "date": _format_day(spokesperson.valid_until),
            }
        )
    if conference.topic not in (spokesperson.topics or []):
        problems.append(
            _("%(name)s may not speak on “%(topic)s”.")
            % {"name": name, "topic": Topic(conference.topic).label}
        )
    if conference.level not in (spokesperson.levels or []):
        problems.append(
            _("%(name)s may not speak on %(level)s-level issues.")
            % {"name": name, "level": IssueLevel(conference.level).label.lower()}
        )
    return problems


def eligible_spokespeople(conference: Conference) -> list[Spokesperson]:
    """Registry entries of the office and the offices above it that are valid for the
    conference (one query)."""
    ids = [o.pk for o in conference.office.ancestors()] + [conference.office_id]
    candidates = Spokesperson.objects.filter(office_id__in=ids, is_active=True).select_related(
        "office", "user"
    )
    return [s for s in candidates if not spokesperson_problems(s, conference)]


def evaluation_summary(conference: Conference, *, now: datetime | None = None) -> EvaluationSummary:
    """Figures for the evaluation: attendance vs invited, questions vs pending follow-ups,
    timeliness vs targets (start on time, ≤ 30 minutes, crisis deadlines). A few
    aggregate queries."""
    inv = conference.invitations.aggregate(
        invited=models.Count("pk"),
        confirmed=models.Count("pk", filter=models.Q(confirmed_at__isnull=False)),
        accredited=models.Count("pk", filter=models.Q(accredited_at__isnull=False)),
    )
    q = conference.questions.aggregate(
        total=models.Count("pk"),
        answered=models.Count("pk", filter=~models.Q(answered_by="")),
        pending=models.Count(
            "pk", filter=models.Q(follow_up_needed=True, follow_up_done_at__isnull=True)
        ),
        done=models.Count("pk", filter=models.Q(follow_up_done_at__isnull=False)),
    )
    attended = conference.attendance.count()
    delay = duration = None
    if conference.actual_start and conference.scheduled_at:
        delay = int((conference.actual_start - conference.scheduled_at).total_seconds() // 60)
    if conference.actual_start and conference.actual_end:
        duration = int((conference.actual_end - conference.actual_start).total_seconds() // 60)
    return EvaluationSummary(
        invited=inv["invited"],
        confirmed=inv["confirmed"],
        accredited=inv["accredited"],
        attended=attended,
        attendance_rate=(attended / inv["invited"]) if inv["invited"] else None,
        questions=q["total"],
        answered=q["answered"],
        follow_ups_pending=q["pending"],
        follow_ups_done=q["done"],
        start_delay_minutes=delay,
        started_on_time=None if delay is None else delay <= ON_TIME_TOLERANCE_MINUTES,
        duration_minutes=duration,
        within_target_duration=None if duration is None else duration <= TARGET_DURATION_MINUTES,
        deadlines=deadlines(conference, now=now),
        coverage_items=conference.coverage.count(),
    )
