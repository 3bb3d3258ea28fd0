"""Crisis cases: signals grouped into cases, and what staff do with them.

:func:`group_pending` takes every signal not yet grouped — one transaction each, claimed
with a conditional UPDATE — and attaches it to a related open case of its office (a
shared monitoring issue or watch-list, or a signal of the same storm within
``CRISIS_SAME_STORM_MINUTES``) or opens a new case; the case is then assessed again
(:func:`.assessment.auto_assess`), which may start or raise its escalation.

Staff open cases by hand, attach and detach signals, issues and watch-lists, merge
cases, write notes and decisions, record approved public statements, tick playbook
actions and close or reopen cases. Every change is logged on the case and audited.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from prima.monitoring.models import Issue, WatchList
from prima.organizations import audit, policy
from prima.organizations.models import Office, User

from . import assessment, escalation, events
from .config import ACTIONS
from .errors import InvalidAction, InvalidInput
from .models import (
    Case,
    CaseAction,
    CaseStatus,
    Clarification,
    CloseReason,
    EventKind,
    Series,
    SeriesKind,
    Signal,
)

MAX_TEXT = 5000


# --- grouping ------------------------------------------------------------------------------------
def _title(signal: Signal) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        series = signal.series
        issue_ids = signal.footprint.get("issues") or []
        watch_ids = signal.footprint.get("watchlists") or []
        if series.kind == SeriesKind.DRILL and series.drill is not None:
            return series.drill.name  # the case is marked as an exercise everywhere
        if issue_ids:
            issue = Issue.objects.filter(pk=issue_ids[0]).first()
            if issue is not None:
                return _("Storm: %(name)s") % {"name": issue.display_name}
        if watch_ids:
            watchlist = WatchList.objects.filter(pk=watch_ids[0]).first()
            if watchlist is not None:
                return _("Storm: %(name)s") % {"name": watchlist.name}
        if series.kind == SeriesKind.NEGATIVE:
            return _("Burst of negative mentions of %(office)s") % {
                "office": signal.office.short_name
            }
        return _("Burst of mentions of %(office)s") % {"office": signal.office.short_name}


def _related(signal: Signal, now: datetime) -> Case | None:
    since = now - timedelta(hours=settings.CRISIS_GROUP_HOURS)
    candidates = Case.objects.filter(
        office_id=signal.office_id,
        status=CaseStatus.OPEN,
        is_exercise=signal.is_exercise,
        last_activity_at__gte=since,
    ).prefetch_related("issues", "watchlists")
    if signal.series.kind == SeriesKind.DRILL:
        candidates = candidates.filter(drill_id=signal.series.drill_id or 0)
    else:
        candidates = candidates.filter(drill__isnull=True)
    issues = set(signal.footprint.get("issues") or [])
    watchlists = set(signal.footprint.get("watchlists") or [])
    same = timedelta(minutes=settings.CRISIS_SAME_STORM_MINUTES)
    best: tuple[int, datetime, Case] | None = None
    for case in candidates:
        overlap = len(issues & {i.pk for i in case.issues.all()}) + len(
            watchlists & {w.pk for w in case.watchlists.all()}
        )
        same_storm = case.signals.filter(
            bucket_start__gte=signal.bucket_start - same,
            bucket_start__lte=signal.bucket_start + same,
        ).exists()
        if signal.series.kind == SeriesKind.DRILL:
            same_storm = True
        if not overlap and not same_storm:
            continue
        rank = (overlap + (1 if same_storm else 0), case.last_activity_at, case)
        if best is None or rank[:2] > best[:2]:
            best = rank
    return best[2] if best else None


def _widen(case: Case, signal: Signal) -> None:
    issues = Issue.objects.filter(
        pk__in=signal.footprint.get("issues") or [], office_id=case.office_id
    )
    watchlists = WatchList.objects.filter(
        pk__in=signal.footprint.get("watchlists") or [], office_id=case.office_id
    )
    case.issues.add(*issues)
    case.watchlists.add(*watchlists)


def _attach(case: Case, signal: Signal, now: datetime, actor: User | None = None) -> None:
    Signal.objects.filter(pk=signal.pk).update(case=case)
    signal.case = case
    _widen(case, signal)
    updates: dict[str, object] = {"last_activity_at": now}
    if case.burst_started_at is None or signal.burst_start < case.burst_started_at:
        updates["burst_started_at"] = case.burst_started_at = signal.burst_start
    if case.signal_at is None or signal.raised_at < case.signal_at:
        updates["signal_at"] = case.signal_at = signal.raised_at
    Case.objects.filter(pk=case.pk).update(**updates)
    events.log(
        case,
        EventKind.SIGNAL,
        actor=actor,
        at=now if actor else signal.raised_at,
        signal=signal.pk,
        series=signal.series.label,
        value=signal.value,
        bucket=signal.bucket_start,
        burst_start=signal.burst_start,
        score=signal.score,
    )


def _new_case(signal: Signal, now: datetime) -> Case:
    series = signal.series
    case = Case.objects.create(
        office_id=signal.office_id,
        title=_title(signal)[:250],
        is_exercise=signal.is_exercise,
        drill=series.drill if series.kind == SeriesKind.DRILL else None,
        opened_at=now,
        burst_started_at=signal.burst_start,
        signal_at=signal.raised_at,
        last_activity_at=now,
    )
    events.log(case, EventKind.OPENED, at=now, by_detector=True)
    audit.log(None, "crisis.case.open", case, after=audit.snapshot(case))
    return case


def group_pending(now: datetime | None = None, *, limit: int = 500) -> list[int]:
    """Group every signal not yet in a case (one transaction each), then assess each case
    that received signals once (:func:`assess_pending`). Returns the ids of the cases
    touched."""
    now = now or timezone.now()
    touched: list[int] = []
    pending = (
        Signal.objects.filter(grouped_at__isnull=True)
        .order_by("raised_at", "bucket_start", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    for signal_id in list(pending):
        with transaction.atomic():
            if not Signal.objects.filter(pk=signal_id, grouped_at__isnull=True).update(
                grouped_at=now
            ):
                continue  # another worker grouped it
            signal = Signal.objects.select_related(
                "series__drill", "series__issue", "series__watchlist", "office"
            ).get(pk=signal_id)
            case = _related(signal, now) or _new_case(signal, now)
            _attach(case, signal, now)
            Case.objects.filter(pk=case.pk).update(needs_assessment=True)
            touched.append(case.pk)
    assess_pending(now)
    return touched


def assess_pending(now: datetime) -> int:
    """Assess every case that received signals since its last assessment, once each
    (the flag is cleared by a conditional UPDATE in the assessment's transaction, so a
    crash in between leaves it for the next round). Returns how many."""
    done = 0
    for case_id in Case.objects.filter(needs_assessment=True).values_list("pk", flat=True):
        with transaction.atomic():
            if not Case.objects.filter(pk=case_id, needs_assessment=True).update(
                needs_assessment=False
            ):
                continue
            case = Case.objects.select_related("office", "drill").get(pk=case_id)
            assessment.auto_assess(case, now)
            done += 1
    return done


# --- staff actions -------------------------------------------------------------------------------
def _text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(message, field=field)
    if len(value) > MAX_TEXT:
        raise InvalidInput(_("At most %(n)d characters.") % {"n": MAX_TEXT}, field=field)
    return value


def _lock(case: Case, *, open_only: bool = True) -> Case:
    locked = Case.objects.select_for_update().select_related("office").get(pk=case.pk)
    if open_only and locked.status != CaseStatus.OPEN:
        raise InvalidAction(_("The case is closed."))
    return locked


def open_case(
    actor: User,
    office: Office,
    *,
    title: str,
    issue_ids: Iterable[int] = (),
    watchlist_ids: Iterable[int] = (),
    note: str = "",
    is_exercise: bool = False,
    now: datetime | None = None,
) -> Case:
    """Open a case by hand (a journalist called, a post seen before any burst); it is
    assessed at once from its issues and watch-lists (the whole office without them)."""
    policy.check(actor, "crisis.manage", office)
    now = now or timezone.now()
    title = _text(title, "title", _("Give the case a title."))[:250]
    issues = list(Issue.objects.filter(pk__in=list(issue_ids), office=office))
    watchlists = list(WatchList.objects.filter(pk__in=list(watchlist_ids), office=office))
    with transaction.atomic():
        case = Case.objects.create(
            office=office,
            title=title,
            is_exercise=is_exercise,
            opened_at=now,
            burst_started_at=now,
            last_activity_at=now,
            created_by=actor,
        )
        case.issues.add(*issues)
        case.watchlists.add(*watchlists)
        events.log(case, EventKind.OPENED, actor=actor, at=now, text=(note or "").strip())
        audit.log(actor, "crisis.case.open", case, after=audit.snapshot(case))
        assessment.auto_assess(case, now)
    return case


def _same_office(case: Case, obj: Case | Signal | Issue | WatchList) -> None:
    if obj.office_id != case.office_id:
        raise InvalidInput(_("That belongs to another office."))


def attach_signal(actor: User, case: Case, signal: Signal, *, now: datetime | None = None) -> Case:
    """Move a signal (and what it touched) into ``case``."""
    policy.check(actor, "crisis.manage", case)
    _same_office(case, signal)
    now = now or timezone.now()
    with transaction.atomic():
        case = _lock(case)
        signal = Signal.objects.select_related("series", "case").get(pk=signal.pk)
        if signal.case_id == case.pk:
            return case
        if signal.is_exercise != case.is_exercise:
            raise InvalidInput(_("Exercise signals and real ones are never mixed."))
        source = signal.case
        _attach(case, signal, now, actor)
        if source is not None:
            events.log(
                source, EventKind.SCOPE, actor=actor, at=now, action="signal_moved",
                signal=signal.pk, to=case.pk, title=case.title,
            )  # fmt: skip
        audit.log(
            actor, "crisis.signal.attach", case,
            after={"signal": signal.pk, "from_case": source.pk if source else None},
        )  # fmt: skip
        assessment.auto_assess(case, now)
    return case


def detach_signal(actor: User, case: Case, signal: Signal, *, now: datetime | None = None) -> Case:
    """Take a signal out of ``case`` into a new case of its own (another storm)."""
    policy.check(actor, "crisis.manage", case)
    now = now or timezone.now()
    with transaction.atomic():
        case = _lock(case)
        signal = Signal.objects.select_related("series__drill", "office").get(pk=signal.pk)
        if signal.case_id != case.pk:
            raise InvalidInput(_("That signal is not part of this case."))
        if case.signals.count() < 2:
            raise InvalidAction(_("A case keeps at least one signal; close it instead."))
        new = _new_case(signal, now)
        Case.objects.filter(pk=new.pk).update(created_by=actor)
        _attach(new, signal, now, actor)
        events.log(
            case, EventKind.SCOPE, actor=actor, at=now, action="signal_detached",
            signal=signal.pk, to=new.pk, title=new.title,
        )  # fmt: skip
        audit.log(
            actor, "crisis.signal.detach", case, after={"signal": signal.pk, "new_case": new.pk}
        )
        assessment.auto_assess(new, now)
    return new


def change_scope(
    actor: User,
    case: Case,
    *,
    add_issues: Iterable[int] = (),
    remove_issues: Iterable[int] = (),
    add_watchlists: Iterable[int] = (),
    remove_watchlists: Iterable[int] = (),
    now: datetime | None = None,
) -> Case:
    """Attach or detach monitoring issues and watch-lists (what the case is about)."""
    policy.check(actor, "crisis.manage", case)
    now = now or timezone.now()
    office = case.office
    with transaction.atomic():
        case = _lock(case)
        added_i = list(Issue.objects.filter(pk__in=list(add_issues), office=office))
        removed_i = list(case.issues.filter(pk__in=list(remove_issues)))
        added_w = list(WatchList.objects.filter(pk__in=list(add_watchlists), office=office))
        removed_w = list(case.watchlists.filter(pk__in=list(remove_watchlists)))
        if not (added_i or removed_i or added_w or removed_w):
            return case
        case.issues.add(*added_i)
        case.issues.remove(*removed_i)
        case.watchlists.add(*added_w)
        case.watchlists.remove(*removed_w)
        data: dict[str, Any] = {
            "added": [str(i) for i in added_i] + [str(w) for w in added_w],
            "removed": [str(i) for i in removed_i] + [str(w) for w in removed_w],
        }
        events.log(case, EventKind.SCOPE, actor=actor, at=now, action="scope", **data)
        audit.log(actor, "crisis.case.scope", case, after=data)
    return case


def merge(
    actor: User, target: Case, others: Iterable[Case], *, now: datetime | None = None
) -> Case:
    """Merge ``others`` into ``target``: their signals, issues, watch-lists, conferences
    and clarifications move; they close as merged, their escalations stop; the target
    keeps the earliest times (the storm was known since then) and is assessed again."""
    policy.check(actor, "crisis.manage", target)
    others = [o for o in others if o.pk != target.pk]
    for other in others:
        policy.check(actor, "crisis.manage", other)
        _same_office(target, other)
        if other.is_exercise != target.is_exercise:
            raise InvalidInput(_("An exercise and a real case cannot be merged."))
    if not others:
        raise InvalidInput(_("Choose the cases to merge into this one."), field="others")
    now = now or timezone.now()
    with transaction.atomic():
        target = _lock(target)
        times = ("burst_started_at", "signal_at", "notified_at", "acknowledged_at",
                 "first_statement_at")  # fmt: skip
        for other in others:
            other = _lock(other)
            Signal.objects.filter(case=other).update(case=target)
            target.issues.add(*other.issues.all())
            target.watchlists.add(*other.watchlists.all())
            other.conference_links.exclude(
                conference_id__in=target.conference_links.values("conference_id")
            ).update(case=target)
            Clarification.objects.filter(case=other).update(case=target)
            for name in times:
                mine, theirs = getattr(target, name), getattr(other, name)
                if theirs is not None and (mine is None or theirs < mine):
                    setattr(target, name, theirs)
            escalation.supersede(other, now)
            Case.objects.filter(pk=other.pk).update(
                status=CaseStatus.MERGED, merged_into=target, closed_at=now, closed_by=actor
            )
            events.log(other, EventKind.STATUS, actor=actor, at=now, status="merged",
                       into=target.pk, title=target.title)  # fmt: skip
            events.log(target, EventKind.SCOPE, actor=actor, at=now, action="merged",
                       merged_case=other.pk, title=other.title)  # fmt: skip
            audit.log(actor, "crisis.case.merge", other, after={"merged_into": target.pk})
        Case.objects.filter(pk=target.pk).update(
            **{name: getattr(target, name) for name in times}, last_activity_at=now
        )
        assessment.auto_assess(target, now)
    return target


def add_note(
    actor: User,
    case: Case,
    text: str,
    *,
    decision: bool = False,
    now: datetime | None = None,
) -> None:
    """A note (or a decision) in the case's log."""
    policy.check(actor, "crisis.manage", case)
    text = _text(text, "text", _("Write the note."))
    now = now or timezone.now()
    kind = EventKind.DECISION if decision else EventKind.NOTE
    with transaction.atomic():
        case = _lock(case, open_only=False)
        event = events.log(case, kind, actor=actor, at=now, text=text)
        Case.objects.filter(pk=case.pk).update(last_activity_at=now)
        audit.log(actor, f"crisis.{kind}", case, after={"event": event.pk, "text": text})


def first_statement(case: Case, at: datetime) -> None:
    Case.objects.filter(pk=case.pk).filter(
        Q(first_statement_at__isnull=True) | Q(first_statement_at__gt=at)
    ).update(first_statement_at=at)


def record_statement(
    actor: User,
    case: Case,
    *,
    text: str,
    channel: str = "",
    url: str = "",
    at: datetime | None = None,
    now: datetime | None = None,
) -> None:
    """Record a public statement approved by the PR lead or the head of office (a post,
    a written statement to journalists); the first one stops the response clock."""
    policy.check(actor, "crisis.statement", case)
    text = _text(text, "text", _("Write what was said."))
    now = now or timezone.now()
    at = at or now
    if at > now:
        raise InvalidInput(_("A statement cannot be published in the future."), field="at")
    with transaction.atomic():
        case = _lock(case, open_only=False)
        events.log(case, EventKind.STATEMENT, actor=actor, at=at, text=text,
                   channel=(channel or "").strip()[:100], url=(url or "").strip()[:500],
                   source="manual")  # fmt: skip
        first_statement(case, at)
        audit.log(actor, "crisis.statement", case, after={"at": at.isoformat(), "channel": channel})


def mark_action(
    actor: User, case: Case, code: str, *, done: bool = True, note: str = "",
    now: datetime | None = None,
) -> CaseAction:  # fmt: skip
    """Tick (or untick) a required action of the playbook."""
    policy.check(actor, "crisis.manage", case)
    if code not in ACTIONS:
        raise InvalidInput(_("Unknown action."), field="code")
    now = now or timezone.now()
    with transaction.atomic():
        case = _lock(case)
        action = case.actions.filter(code=code).first()
        if action is None:
            raise InvalidInput(_("This action is not required for this case."), field="code")
        if action.is_done == done:
            return action
        action.done_at, action.done_by = (now, actor) if done else (None, None)
        action.note = (note or "").strip()[:1000]
        action.save(update_fields=["done_at", "done_by", "note"])
        events.log(case, EventKind.ACTION, actor=actor, at=now, code=code, done=done,
                   text=action.note)  # fmt: skip
        audit.log(actor, "crisis.action", case, after={"action": code, "done": done})
    return action


def close(
    actor: User, case: Case, *, reason: str, note: str = "", now: datetime | None = None
) -> Case:
    """Close the case (resolved, false alarm, no action needed); escalations stop."""
    policy.check(actor, "crisis.manage", case)
    if reason not in CloseReason.values:
        raise InvalidInput(_("Choose why the case is closed."), field="reason")
    now = now or timezone.now()
    with transaction.atomic():
        case = _lock(case)
        before = audit.snapshot(case, ["status", "close_reason"])
        case.status, case.close_reason = CaseStatus.CLOSED, reason
        case.closed_at, case.closed_by = now, actor
        case.save(update_fields=["status", "close_reason", "closed_at", "closed_by", "updated_at"])
        escalation.supersede(case, now)
        events.log(case, EventKind.STATUS, actor=actor, at=now, status="closed", reason=reason,
                   text=(note or "").strip())  # fmt: skip
        audit.log(actor, "crisis.case.close", case, before=before,
                  after=audit.snapshot(case, ["status", "close_reason"]))  # fmt: skip
    return case


def reopen(actor: User, case: Case, *, now: datetime | None = None) -> Case:
    """Reopen a closed case (not a merged one): a new escalation round at its level."""
    policy.check(actor, "crisis.manage", case)
    now = now or timezone.now()
    with transaction.atomic():
        case = _lock(case, open_only=False)
        if case.status != CaseStatus.CLOSED:
            raise InvalidAction(_("Only a closed case can be reopened."))
        case.status, case.close_reason, case.closed_at, case.closed_by = (
            CaseStatus.OPEN, "", None, None
        )  # fmt: skip
        case.last_activity_at = now
        case.save(update_fields=["status", "close_reason", "closed_at", "closed_by",
                                 "last_activity_at", "updated_at"])  # fmt: skip
        events.log(case, EventKind.STATUS, actor=actor, at=now, status="reopened")
        audit.log(actor, "crisis.case.reopen", case, after={"status": "open"})
        latest = assessment.latest(case)
        if latest is not None:
            escalation.start_round(case, case.level, latest.config, now)
    return case


def visible_cases(user: User) -> QuerySet[Case]:
    """Cases the user may see (not merged away)."""
    return policy.scope(user, "crisis.view", Case.objects.exclude(status=CaseStatus.MERGED))


def series_of(case: Case) -> list[Series]:
    return list(Series.objects.filter(signals__case=case).distinct())
