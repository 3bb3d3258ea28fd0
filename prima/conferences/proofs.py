"""Checklist items that what PRIMA already recorded proves: they complete themselves.

Every item of ``data/checklists.json`` was looked at. Where a recorded fact shows that the
item is done — material approved, roles assigned, a briefing held, journalists signed in —
the item is in :data:`PROOFS`, keyed by its code, with the requirement shown while it is
still open and a check that says what proves it (or what is missing). Items only people
can confirm (a decision, a phone call to partner agencies, a release published outside
PRIMA) are in :data:`MANUAL` with the reason; a test keeps the two lists covering the data
file. An office's own template may reuse these codes to get the same behaviour.

The workflow re-checks a conference's provable items after every change it makes
(``workflow.sync_checklist``): an open item whose proof holds is completed (no person,
``done_automatically``), and an item completed that way reopens when its proof no longer
holds (a fact edited after verification, an approval voided by a new version). Items
ticked by hand are left alone.

:meth:`Record.load` reads what the checks need in a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from prima.lib import dates
from prima.lib.prose import shorten

from .models import (
    ON_TIME_TOLERANCE_MINUTES,
    REQUIRED_MATERIAL,
    TARGET_DURATION_MINUTES,
    Appointment,
    Attendance,
    BriefingKind,
    ChecklistItem,
    Conference,
    ConferenceRole,
    CoverageLink,
    Fact,
    Invitation,
    Material,
    MaterialKind,
    MaterialState,
    MaterialVersion,
    QuestionLog,
    ReadinessItem,
    ReadinessKind,
    RoleAssignment,
    RundownItem,
    crisis_conference_minutes,
)


@dataclass(frozen=True)
class Proof:
    """Whether an item is proven; ``text`` says by what (or what is still missing), ``at``
    when the proving fact happened (None: unknown, the time of the check is used)."""

    holds: bool
    text: str
    at: datetime | None = None


def _lang() -> str:
    return get_language() or "id"


class Record:
    """What PRIMA recorded about one conference, as the checks read it. Each part is read
    on first use (one query each), so a check costs only what it reads."""

    def __init__(self, conference: Conference, **read: Any) -> None:
        """``read``: parts the caller has already read (``facts=[...]``, ``roles={role:
        assignment}``, …, in the shapes of the properties below), used instead of a query."""
        self.conference = conference
        for name, value in read.items():
            if not isinstance(getattr(type(self), name, None), cached_property):
                raise TypeError(f"Record has no part {name!r}")
            self.__dict__[name] = value

    @cached_property
    def facts(self) -> list[Fact]:
        return list(self.conference.facts.select_related("verified_by"))

    @cached_property
    def rundown(self) -> list[RundownItem]:
        return list(self.conference.rundown.all())

    @cached_property
    def roles(self) -> dict[str, RoleAssignment]:
        return {r.role: r for r in self.conference.role_assignments.select_related("user")}

    @cached_property
    def readiness(self) -> dict[str, ReadinessItem]:
        return {r.kind: r for r in self.conference.readiness.all()}

    @cached_property
    def invitations(self) -> list[Invitation]:
        return list(self.conference.invitations.all())

    @cached_property
    def materials(self) -> dict[str, Material]:
        return {
            m.kind: m
            for m in self.conference.materials.select_related("current__approved_by", "current")
        }

    @cached_property
    def appointments(self) -> list[Appointment]:
        return list(
            self.conference.appointments.select_related("spokesperson").prefetch_related(
                "briefings"
            )
        )

    @cached_property
    def attendance(self) -> list[Attendance]:
        return list(self.conference.attendance.all())

    @cached_property
    def questions(self) -> list[QuestionLog]:
        return list(self.conference.questions.all())

    @cached_property
    def coverage(self) -> list[CoverageLink]:
        return list(self.conference.coverage.all())

    @property
    def tz(self) -> str:
        return self.conference.office.timezone or dates.DEFAULT_TZ

    def when(self, moment: datetime | None) -> str:
        return "" if moment is None else dates.format_datetime(moment, _lang(), tz_name=self.tz)


# What a change touched, from the keys of its audit entry ("fact:12", "role:moderator", a
# field of the conference itself), mapped to the parts of the record the checks read.
PART_OF_KEY = {
    "fact": "facts",
    "rundownitem": "rundown",
    "role": "roles",
    "readinessitem": "readiness",
    "invitation": "invitations",
    "material": "materials",
    "appointment": "appointments",
    "briefing": "appointments",
    "attendance": "attendance",
    "questionlog": "questions",
    "coveragelink": "coverage",
}


def touched_parts(keys: Iterable[str]) -> set[str]:
    """The record parts a change with these audit keys may have changed ("conference" for
    the conference's own fields)."""
    parts = set()
    for key in keys:
        kind, sep, _pk = key.partition(":")
        if not sep:
            parts.add("conference")
        elif kind in PART_OF_KEY:
            parts.add(PART_OF_KEY[kind])
    return parts


Check = Callable[[Record], Proof]


@dataclass(frozen=True)
class Rule:
    requirement: Promise | str  # "… once <requirement>" (shown while the item is open)
    check: Check
    reads: frozenset[str]  # the record parts the check reads ("conference": its fields)


def _names(items: Iterable[Any]) -> str:
    return ", ".join(str(i) for i in items)


def _latest(moments: list[datetime | None]) -> datetime | None:
    known = [m for m in moments if m is not None]
    return max(known) if known else None


# --- Information gathering ----------------------------------------------------------------
def _facts_sourced(r: Record) -> Proof:
    if not r.facts:
        return Proof(False, _("No fact recorded yet."))
    undated = [f for f in r.facts if f.source_date is None]
    if undated:
        return Proof(
            False,
            ngettext(
                "%(n)d fact has no source date.", "%(n)d facts have no source date.", len(undated)
            )
            % {"n": len(undated)},
        )
    return Proof(
        True,
        ngettext(
            "%(n)d fact recorded with its source and date.",
            "%(n)d facts recorded, each with its source and date.",
            len(r.facts),
        )
        % {"n": len(r.facts)},
        _latest([f.entered_at for f in r.facts]),
    )


def _facts_verified(r: Record) -> Proof:
    if not r.facts:
        return Proof(False, _("No fact recorded yet."))
    open_ = [f for f in r.facts if not f.is_verified]
    if open_:
        return Proof(
            False,
            ngettext(
                "%(n)d fact not yet verified by a second person.",
                "%(n)d facts not yet verified by a second person.",
                len(open_),
            )
            % {"n": len(open_)},
        )
    return Proof(
        True,
        ngettext(
            "%(n)d fact verified by a second person (%(who)s).",
            "%(n)d facts verified by a second person (%(who)s).",
            len(r.facts),
        )
        % {
            "n": len(r.facts),
            "who": _names(sorted({str(f.verified_by) for f in r.facts if f.verified_by_id})),
        },
        _latest([f.verified_at for f in r.facts]),
    )


# --- Technical planning -------------------------------------------------------------------
def _date_set(r: Record) -> Proof:
    if r.conference.scheduled_at is None:
        return Proof(False, _("The date and time are not set."))
    return Proof(True, _("Set for %(when)s.") % {"when": r.when(r.conference.scheduled_at)})


def _ready(r: Record, kinds: list[ReadinessKind]) -> tuple[list[ReadinessItem], list[str]]:
    """The conference's readiness items of ``kinds`` and the labels of those not ready."""
    items = [r.readiness[k] for k in kinds if k in r.readiness]
    return items, [str(i.get_kind_display()) for i in items if not i.is_ready]


def _readiness(*kinds: ReadinessKind) -> Check:
    def check(r: Record) -> Proof:
        items, missing = _ready(r, list(kinds))
        if not items:
            return Proof(False, _("No such equipment is checked for this conference."))
        if missing:
            return Proof(False, _("Not ready yet: %(items)s.") % {"items": _names(missing)})
        return Proof(
            True,
            _("Ready: %(items)s.") % {"items": _names([i.get_kind_display() for i in items])},
            _latest([i.checked_at for i in items]),
        )

    return check


def _venue(r: Record) -> Proof:
    if not r.conference.venue.strip():
        return Proof(False, _("The venue is not set."))
    venue_ready = _readiness(ReadinessKind.POWER, ReadinessKind.SOUND, ReadinessKind.LIGHTING)(r)
    if not venue_ready.holds:
        return venue_ready
    return Proof(
        True,
        _("Venue: %(venue)s.") % {"venue": r.conference.venue} + " " + venue_ready.text,
        venue_ready.at,
    )


def _rundown(r: Record) -> Proof:
    if not r.rundown:
        return Proof(False, _("No run-down item yet."))
    first = min(r.rundown, key=lambda i: i.starts_at)
    return Proof(
        True,
        ngettext(
            "%(n)d run-down item, from %(time)s.",
            "%(n)d run-down items, from %(time)s.",
            len(r.rundown),
        )
        % {"n": len(r.rundown), "time": first.starts_at.strftime("%H.%M")},
    )


def _roles(*roles: ConferenceRole) -> Check:
    def check(r: Record) -> Proof:
        missing = [str(ConferenceRole(x).label) for x in roles if x not in r.roles]
        if missing:
            return Proof(False, _("Not assigned yet: %(roles)s.") % {"roles": _names(missing)})
        return Proof(
            True,
            "; ".join(f"{r.roles[x].get_role_display()}: {r.roles[x].person_name}" for x in roles)
            + ".",
        )

    return check


def _invited(r: Record) -> Proof:
    if not r.invitations:
        return Proof(False, _("Nobody invited yet."))
    confirmed = sum(1 for i in r.invitations if i.confirmed_at)
    return Proof(
        True,
        ngettext(
            "%(n)d journalist invited, %(c)d confirmed.",
            "%(n)d journalists invited, %(c)d confirmed.",
            len(r.invitations),
        )
        % {"n": len(r.invitations), "c": confirmed},
        _latest([i.invited_at for i in r.invitations]),
    )


def _accredited(r: Record) -> Proof:
    if ConferenceRole.RECEPTION not in r.roles:
        return Proof(
            False,
            _("Not assigned yet: %(roles)s.") % {"roles": ConferenceRole.RECEPTION.label},
        )
    confirmed = [i for i in r.invitations if i.confirmed_at and not i.declined_at]
    if not confirmed:
        return Proof(False, _("No journalist has confirmed yet."))
    waiting = [i for i in confirmed if i.accredited_at is None]
    if waiting:
        return Proof(
            False,
            ngettext(
                "%(n)d confirmed journalist not yet accredited.",
                "%(n)d confirmed journalists not yet accredited.",
                len(waiting),
            )
            % {"n": len(waiting)},
        )
    return Proof(
        True,
        ngettext(
            "%(n)d journalist accredited; sign-in at reception: %(who)s.",
            "%(n)d journalists accredited; sign-in at reception: %(who)s.",
            len(confirmed),
        )
        % {"n": len(confirmed), "who": r.roles[ConferenceRole.RECEPTION].person_name},
        _latest([i.accredited_at for i in confirmed]),
    )


def _crisis_time_place(r: Record) -> Proof:
    c = r.conference
    if c.scheduled_at is None:
        return Proof(False, _("The date and time are not set."))
    if not c.venue.strip():
        return Proof(False, _("The venue is not set."))
    due = c.opened_at + timedelta(minutes=crisis_conference_minutes())
    if c.scheduled_at > due:
        return Proof(
            False,
            _("Set for %(when)s, after the crisis deadline (%(due)s).")
            % {"when": r.when(c.scheduled_at), "due": r.when(due)},
        )
    return Proof(
        True,
        _("Set for %(when)s at %(venue)s, within the crisis deadline.")
        % {"when": r.when(c.scheduled_at), "venue": c.venue},
    )


# --- Material -----------------------------------------------------------------------------
def _approval_text(r: Record, material: Material, v: MaterialVersion) -> str:
    return _("%(material)s version %(n)d approved by %(who)s, %(when)s.") % {
        "material": material.get_kind_display(),
        "n": v.number,
        "who": v.approved_by,
        "when": r.when(v.approved_at),
    }


def _written(kind: MaterialKind) -> Check:
    def check(r: Record) -> Proof:
        material = r.materials.get(kind)
        current = material.current if material is not None else None
        if material is None or current is None:
            return Proof(False, _("%(material)s has not been written.") % {"material": kind.label})
        if material.state == MaterialState.APPROVED:
            return Proof(True, _approval_text(r, material, current), current.approved_at)
        if material.state == MaterialState.SUBMITTED:
            return Proof(
                True,
                _("%(material)s version %(n)d written and submitted for approval.")
                % {"material": kind.label, "n": current.number},
                material.submitted_at,
            )
        return Proof(
            False,
            _("%(material)s has not been submitted for approval.") % {"material": kind.label},
        )

    return check


def _approved(kind: MaterialKind) -> Check:
    def check(r: Record) -> Proof:
        material = r.materials.get(kind)
        current = material.current if material is not None else None
        if material is None or current is None:
            return Proof(False, _("%(material)s has not been written.") % {"material": kind.label})
        if material.state != MaterialState.APPROVED:
            return Proof(False, _("%(material)s is not approved.") % {"material": kind.label})
        return Proof(True, _approval_text(r, material, current), current.approved_at)

    return check


def _all_cleared(r: Record) -> Proof:
    kinds: list[str] = list(REQUIRED_MATERIAL[r.conference.type])
    kinds += [k for k, m in r.materials.items() if k not in kinds and m.current is not None]
    waiting = [
        str(MaterialKind(k).label)
        for k in kinds
        if k not in r.materials or r.materials[k].state != MaterialState.APPROVED
    ]
    if waiting:
        return Proof(False, _("Not approved yet: %(items)s.") % {"items": _names(waiting)})
    # An approved material has a current version.
    cleared = [(m, m.current) for m in (r.materials[k] for k in kinds) if m.current is not None]
    return Proof(
        True,
        _("Approved: %(items)s.")
        % {
            "items": _names(
                f"{m.get_kind_display()} (v{v.number}, {v.approved_by})" for m, v in cleared
            )
        },
        _latest([v.approved_at for _m, v in cleared]),
    )


# --- Spokesperson -------------------------------------------------------------------------
def _named(r: Record) -> Proof:
    if not r.appointments:
        return Proof(False, _("No spokesperson has been appointed."))
    people = [
        a.spokesperson.display_name + (f" ({_('principal')})" if a.is_principal else "")
        for a in r.appointments
    ]
    return Proof(
        True,
        _("Appointed: %(people)s.") % {"people": _names(people)},
        _latest([a.appointed_at for a in r.appointments]),
    )


def _briefed(r: Record) -> Proof:
    if not r.appointments:
        return Proof(False, _("No spokesperson has been appointed."))
    missing = [a.spokesperson.display_name for a in r.appointments if not a.briefings.all()]
    if missing:
        return Proof(False, _("Not briefed yet: %(people)s.") % {"people": _names(missing)})
    held = [b for a in r.appointments for b in a.briefings.all()]
    return Proof(
        True,
        _("Briefed: %(people)s.")
        % {"people": _names(a.spokesperson.display_name for a in r.appointments)},
        _latest([b.recorded_at for b in held]),
    )


def _rehearsed(r: Record) -> Proof:
    held = [
        b for a in r.appointments for b in a.briefings.all() if b.kind == BriefingKind.REHEARSAL
    ]
    if not held:
        return Proof(False, _("No rehearsal recorded yet."))
    return Proof(
        True,
        ngettext("%(n)d rehearsal recorded.", "%(n)d rehearsals recorded.", len(held))
        % {"n": len(held)},
        _latest([b.recorded_at for b in held]),
    )


# --- Execution ----------------------------------------------------------------------------
def _signed_in(r: Record) -> Proof:
    if not r.attendance:
        return Proof(False, _("No journalist signed in yet."))
    return Proof(
        True,
        ngettext("%(n)d journalist signed in.", "%(n)d journalists signed in.", len(r.attendance))
        % {"n": len(r.attendance)},
        min(a.signed_in_at for a in r.attendance),
    )


def _questions_logged(r: Record) -> Proof:
    if r.conference.actual_end is None:
        return Proof(False, _("The end of the conference is not recorded yet."))
    without_outlet = [q for q in r.questions if not q.outlet.strip()]
    if without_outlet:
        return Proof(
            False,
            ngettext(
                "%(n)d logged question has no outlet.",
                "%(n)d logged questions have no outlet.",
                len(without_outlet),
            )
            % {"n": len(without_outlet)},
        )
    if not r.questions:
        return Proof(True, _("The conference ended; no question was asked."))
    return Proof(
        True,
        ngettext(
            "%(n)d question logged with the journalist's outlet.",
            "%(n)d questions logged, each with the journalist's outlet.",
            len(r.questions),
        )
        % {"n": len(r.questions)},
        r.conference.actual_end,
    )


def _on_time(r: Record) -> Proof:
    c = r.conference
    if c.actual_start is None or c.actual_end is None or c.scheduled_at is None:
        return Proof(False, _("The actual start and end are not recorded yet."))
    delay = (c.actual_start - c.scheduled_at).total_seconds()
    lasted = dates.format_duration((c.actual_end - c.actual_start).total_seconds(), _lang())
    tolerance = ON_TIME_TOLERANCE_MINUTES * 60
    if abs(delay) <= tolerance:
        text = _("Started on time and lasted %(t)s.") % {"t": lasted}
    elif delay < 0:
        text = _("Started %(d)s before the scheduled time and lasted %(t)s.") % {
            "d": dates.format_duration(-delay, _lang()),
            "t": lasted,
        }
    else:
        text = _("Started %(d)s late and lasted %(t)s.") % {
            "d": dates.format_duration(delay, _lang()),
            "t": lasted,
        }
    minutes = (c.actual_end - c.actual_start).total_seconds() / 60
    held = abs(delay) <= tolerance and minutes <= TARGET_DURATION_MINUTES
    return Proof(held, text, c.actual_end if held else None)


# --- Evaluation ---------------------------------------------------------------------------
def _coverage_checked(r: Record) -> Proof:
    c = r.conference
    if not r.coverage and not c.coverage_count:
        return Proof(False, _("No coverage recorded yet."))
    if c.coverage_accurate is None:
        return Proof(False, _("Whether the coverage was accurate is not recorded yet."))
    n = len(r.coverage) or c.coverage_count or 0
    return Proof(
        True,
        (_("%(n)d news items; coverage accurate.") if c.coverage_accurate else
         _("%(n)d news items; coverage inaccurate, errors recorded.")) % {"n": n},
    )  # fmt: skip


def _lessons(r: Record) -> Proof:
    lessons = r.conference.lessons_learned.strip()
    if not lessons:
        return Proof(False, _("Lessons learned are not recorded."))
    return Proof(True, _("Lessons learned: %(text)s") % {"text": shorten(lessons, 120)})


def _rule(requirement: Promise, check: Check, *reads: str) -> Rule:
    return Rule(requirement, check, frozenset(reads))


FACTS_VERIFIED = gettext_lazy("a second person has verified every fact")
INVITED = gettext_lazy("journalists are invited through PRIMA")
KEY_MESSAGES_APPROVED = gettext_lazy("the key messages are approved")
BRIEFED = gettext_lazy("every appointed spokesperson is briefed")
QUESTIONS_LOGGED = gettext_lazy("the end is recorded and every logged question has its outlet")
COVERAGE_CHECKED = gettext_lazy("coverage is recorded and its accuracy judged")
LESSONS = gettext_lazy("the lessons learned are recorded")

PROOFS: dict[str, Rule] = {
    # Information gathering
    "info-facts-received": _rule(
        gettext_lazy("facts are recorded, each with its source and date"), _facts_sourced, "facts"
    ),
    "info-sources-checked": _rule(FACTS_VERIFIED, _facts_verified, "facts"),
    "crisis-facts": _rule(FACTS_VERIFIED, _facts_verified, "facts"),
    # Technical planning
    "plan-date": _rule(gettext_lazy("the date and time are set"), _date_set, "conference"),
    "plan-venue": _rule(
        gettext_lazy("the venue is set and its power, sound and lighting are ready"),
        _venue,
        "conference",
        "readiness",
    ),
    "plan-rundown": _rule(gettext_lazy("the run-down has at least one item"), _rundown, "rundown"),
    "plan-roles": _rule(
        gettext_lazy("moderator/MC, documentation and media liaison are assigned"),
        _roles(
            ConferenceRole.MODERATOR, ConferenceRole.DOCUMENTATION, ConferenceRole.MEDIA_LIAISON
        ),
        "roles",
    ),
    "plan-invitation": _rule(INVITED, _invited, "invitations"),
    "crisis-invited": _rule(INVITED, _invited, "invitations"),
    "plan-accreditation": _rule(
        gettext_lazy(
            "reception and sign-in is assigned and every confirmed journalist is accredited"
        ),
        _accredited,
        "roles",
        "invitations",
    ),
    "plan-recording": _rule(
        gettext_lazy("recording and transcription are ready"),
        _readiness(ReadinessKind.RECORDING),
        "readiness",
    ),
    "plan-security": _rule(
        gettext_lazy("security and parking are ready"),
        _readiness(ReadinessKind.SECURITY, ReadinessKind.PARKING),
        "readiness",
    ),
    "crisis-time-place": _rule(
        gettext_lazy("date, time and venue are set within the crisis deadline"),
        _crisis_time_place,
        "conference",
    ),
    # Material
    "mat-statement": _rule(
        gettext_lazy("the statement is written and submitted for approval"),
        _written(MaterialKind.STATEMENT),
        "materials",
    ),
    "mat-qa": _rule(
        gettext_lazy("the anticipated questions and answers are submitted for approval"),
        _written(MaterialKind.QA),
        "materials",
    ),
    "mat-key-messages": _rule(
        KEY_MESSAGES_APPROVED, _approved(MaterialKind.KEY_MESSAGES), "materials"
    ),
    "crisis-key-messages": _rule(
        KEY_MESSAGES_APPROVED, _approved(MaterialKind.KEY_MESSAGES), "materials"
    ),
    "mat-cleared": _rule(gettext_lazy("every material is approved"), _all_cleared, "materials"),
    # Spokesperson
    "spk-named": _rule(
        gettext_lazy("a spokesperson is appointed from the registry"), _named, "appointments"
    ),
    "spk-briefed": _rule(BRIEFED, _briefed, "appointments"),
    "crisis-briefed": _rule(BRIEFED, _briefed, "appointments"),
    "spk-rehearsal": _rule(gettext_lazy("a rehearsal is recorded"), _rehearsed, "appointments"),
    # Execution
    "exe-sign-in": _rule(gettext_lazy("journalists are signed in"), _signed_in, "attendance"),
    "exe-questions-logged": _rule(QUESTIONS_LOGGED, _questions_logged, "conference", "questions"),
    "crisis-questions-logged": _rule(
        QUESTIONS_LOGGED, _questions_logged, "conference", "questions"
    ),
    "exe-on-time": _rule(
        gettext_lazy("the recorded start and end show it started on time and kept to 30 minutes"),
        _on_time,
        "conference",
    ),
    # Evaluation
    "eval-coverage": _rule(COVERAGE_CHECKED, _coverage_checked, "conference", "coverage"),
    "crisis-corrections": _rule(COVERAGE_CHECKED, _coverage_checked, "conference", "coverage"),
    "eval-debrief": _rule(LESSONS, _lessons, "conference"),
    "crisis-debrief": _rule(LESSONS, _lessons, "conference"),
}

# Items no record in PRIMA can prove, and why: people confirm them.
MANUAL: dict[str, str] = {
    "info-consistent": "plausibility and expert advice are judgements (unanswered open "
    "questions are warned about before execution)",
    "info-notified": "partner agencies and leadership are told outside PRIMA",
    "info-legal": "a legal judgement (case status, disclosure, privacy)",
    "info-monitoring": "the link to the monitoring set up for the matter",
    "info-decision": "a decision that a conference (not only a release) is needed",
    "crisis-assessed": "the issue assessment is a judgement (the crisis app may prove it)",
    "crisis-leadership": "leadership is told outside PRIMA (phone, message)",
    "crisis-monitoring": "the link to the monitoring set up for the matter",
    "mat-press-kit": "the press kit is a file put together outside PRIMA",
    "crisis-holding-published": "publication on official channels happens outside PRIMA",
    "exe-opening": "what the moderator said at the opening",
    "exe-interviews": "one-to-one interviews after the conference",
    "eval-published": "publication online happens outside PRIMA (a link)",
    "eval-transcript": "the transcript is a file",
    "eval-absent-outlets": "kits are sent to absent outlets outside PRIMA",
    "eval-plan-updated": "the communication plan lives outside PRIMA",
    "crisis-next-briefings": "follow-up briefings are planned as new conferences",
}


@dataclass(frozen=True)
class ItemProof:
    """How a checklist item is proved, for display: its ``rule`` (None: ticked by hand
    only) and ``proof`` (what proves it, or what is missing; None for items without a rule
    or ticked by hand)."""

    rule: Rule | None
    proof: Proof | None


def proofs_of(
    conference: Conference, items: Iterable[ChecklistItem], record: Record | None = None
) -> dict[int, ItemProof]:
    """{checklist item id: :class:`ItemProof`} for ``items``. One query per record part the
    checks read (none for the parts of a ``record`` the caller has filled)."""
    record = record or Record(conference)
    out = {}
    for item in items:
        rule = PROOFS.get(item.code)
        manual = item.is_done and not item.done_automatically
        out[item.pk] = ItemProof(rule, None if rule is None or manual else rule.check(record))
    return out
