"""The detail page and the machinery of its panels: what each panel shows, and how a
change posted from a panel is answered (redirect, or the panel again for htmx; the page or
panel with the message and the input kept when the workflow refuses)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from prima.lib import dates, shortcache
from prima.organizations import policy
from prima.organizations.http import AuthenticatedHttpRequest
from prima.organizations.models import User

from .. import forms as f
from .. import proofs, workflow
from ..models import (
    REQUIRED_MATERIAL,
    Briefing,
    ChecklistItem,
    Conference,
    MaterialKind,
    MaterialVersion,
    MediaContact,
    Spokesperson,
    Stage,
    Status,
)
from ..workflow import WorkflowError
from . import review
from .base import (
    CACHE,
    PANELS,
    annotate_invitations,
    get_conference,
    is_htmx,
    office_tz,
    quiet,
)

T = TypeVar("T")


def in_order(rows: Iterable[T], *fields: str) -> list[T]:
    """``rows`` sorted by ``fields`` as ``order_by(*fields)`` would sort them ("-" for
    descending, "a.b" for an attribute of a related row; empty values where the database
    puts NULL: after the others on PostgreSQL, before them on SQLite). For the few rows of
    one conference, read without ORDER BY; only for values that every database orders
    alike (times, numbers, codes), not text, whose order is the collation's."""
    result = list(rows)
    empty = (1,) if connection.features.nulls_order_largest else (-1,)
    for field in reversed(fields):  # stable sorts, the least significant field first
        names = field.lstrip("-").split(".")

        def key(row: Any, names: list[str] = names) -> tuple:
            for name in names:
                row = getattr(row, name)
            return (0, row) if row is not None else empty

        result.sort(key=key, reverse=field.startswith("-"))
    return result


class LazyForms(dict[str, Any]):
    """The detail page's forms by key, each made when the page first uses it (a page shows
    only the forms its stage and the user's rights call for): the refused one with the
    user's input (``bound``) or a fresh one, set to the office's time zone."""

    def __init__(self, factories: dict[str, Callable[[], Any]], tz: str, bound: dict) -> None:
        super().__init__()
        self.factories = factories
        self.tz = tz
        for key, value in bound.items():
            self[key] = self._zoned(value)

    def _zoned(self, form: Any) -> Any:
        if isinstance(form, f.OfficeTimeMixin):
            form.set_zone(self.tz)
        return form

    def __missing__(self, key: str) -> Any:
        form = self[key] = self._zoned(self.factories[key]())
        return form


def detail_context(
    request: AuthenticatedHttpRequest,
    conference: Conference,
    *,
    bound: dict[str, Any] | None = None,
    error: WorkflowError | None = None,
    error_panel: str | None = None,
    row: tuple[str, int, str, dict] | None = None,
    message: str = "",
    message_panel: str | None = None,
    open_panel: str | None = None,
) -> dict[str, Any]:
    """Everything the detail page shows. ``bound`` holds forms with the user's input that
    were refused; ``row`` = (kind, pk, error, posted data) for a refused per-row action."""
    user = request.user
    now = timezone.now()
    tz = office_tz(conference)
    stage = Stage(conference.stage)
    pos = stage.position
    active = conference.status == Status.ACTIVE
    can = workflow.permissions(user, conference, now=now)
    bound = bound or {}

    # Each part of the conference is read without ORDER BY and put in order here: the
    # models' default orderings start with "conference" (a join to the conference table,
    # ordered by its own default), and any ORDER BY makes Django hash every selected
    # column while compiling the query — more CPU than SQLite spends on these few rows.
    prefetch_related_objects(
        [conference],
        Prefetch(
            "checklist_items", queryset=ChecklistItem.objects.select_related("done_by").order_by()
        ),
    )
    checklist: list[Any] = in_order(conference.checklist_items.all(), "order", "pk")
    progress = {p.stage.value: p for p in workflow.checklist_progress(conference)}

    facts: list[Any] = in_order(
        conference.facts.select_related("entered_by", "verified_by", "edited_by").order_by(),
        "entered_at",
        "pk",
    )
    questions_open = in_order(
        conference.open_questions.select_related("raised_by", "resolved_by").order_by(),
        "raised_at",
        "pk",
    )
    materials = {
        m.kind: m
        for m in conference.materials.select_related(
            "current__author", "current__approved_by", "current__returned_by", "submitted_by"
        )
        .prefetch_related(
            Prefetch(
                "versions",
                # Only their authors are read (in any order).
                queryset=MaterialVersion.objects.only(
                    "id", "material_id", "author_id", "number"
                ).order_by(),
            )
        )
        .order_by()
    }
    materials = {kind: materials[kind] for kind in sorted(materials)}
    appointments: list[Any] = in_order(
        conference.appointments.select_related("spokesperson__office", "spokesperson__user")
        .prefetch_related(
            Prefetch(
                "briefings",
                queryset=Briefing.objects.select_related("recorded_by").order_by(
                    "appointment_id", "held_on", "pk"
                ),
            )
        )
        .order_by(),
        "-is_principal",
        "pk",
    )
    # Text is put in order by the database (its collation decides).
    invitations = list(
        conference.invitations.select_related("contact", "invited_by").order_by("contact__outlet")
    )
    attendance = in_order(conference.attendance.order_by(), "signed_in_at", "pk")
    questions = in_order(conference.questions.order_by(), "asked_at", "pk")
    coverage = in_order(conference.coverage.order_by(), "published_at", "pk")
    rundown = in_order(conference.rundown.order_by(), "starts_at", "pk")
    roles = in_order(conference.role_assignments.select_related("user").order_by(), "role")
    readiness = in_order(conference.readiness.select_related("checked_by").order_by(), "kind")
    # Each part is read once: the blockers and the checklist's proofs read the same rows.
    blockers = (
        workflow.blockers(
            conference,
            now=now,
            checklist=checklist,
            facts=facts,
            materials=materials,
            appointments=appointments,
        )
        if active
        else []
    )
    record = proofs.Record(
        conference,
        facts=facts,
        rundown=rundown,
        roles={r.role: r for r in roles},
        readiness={r.kind: r for r in readiness},
        invitations=invitations,
        materials=materials,
        appointments=appointments,
        attendance=attendance,
        questions=questions,
        coverage=coverage,
    )
    rows_by_kind: dict[str, dict[int, Any]] = {}

    item_proofs = proofs.proofs_of(conference, checklist, record)
    for item in checklist:
        item.rule, item.proof = item_proofs[item.pk].rule, item_proofs[item.pk].proof
        item.can_toggle = active and can["edit"] and not item.done_automatically
        item.evidence_name = (
            item.evidence_file.name.rsplit("/", 1)[-1] if item.evidence_file else ""
        )
        rows_by_kind.setdefault("checklist", {})[item.pk] = item
    for fact in facts:
        fact.is_mine = user.pk in (fact.entered_by_id, fact.edited_by_id)
        fact.can_verify = active and can["verify_fact"] and not fact.is_verified
        rows_by_kind.setdefault("fact", {})[fact.pk] = fact
    for question in questions_open:
        rows_by_kind.setdefault("open_question", {})[question.pk] = question

    # Material: the kinds this type requires first, then the optional ones.
    required = list(REQUIRED_MATERIAL[conference.type])
    approved_before = review.approved_predecessors(conference) if materials else {}
    material_rows = []
    for kind in required + [k for k in MaterialKind if k not in required]:
        material = materials.get(kind)
        authors = {v.author_id for v in material.versions.all()} if material else set()
        allowed = workflow.material_actions(user, conference, material, rights=can, authors=authors)
        material_row = {
            "kind": kind,
            "label": MaterialKind(kind).label,
            "required": kind in required,
            "material": material,
            "current": material.current if material else None,
            "actions": {action.value for action in allowed},
            "changes": review.changes_since_approval(material, approved_before.get(material.pk))
            if material
            else None,
            "is_author": user.pk in authors,
            # The approver reads the whole version (and what changed) before deciding.
            "can_review": bool(
                {workflow.MaterialAction.APPROVE, workflow.MaterialAction.RETURN} & set(allowed)
            ),
            # Why an approver sees no buttons here: the four-eyes rule.
            "own_work": can["approve_material"]
            and isinstance(
                workflow.material_refusal(
                    conference, material, workflow.MaterialAction.APPROVE, user.pk, authors
                ),
                workflow.FourEyesError,
            ),
        }
        if material_row["can_review"] and material is not None and material.current:
            # What the registered pre-approval checks (e.g. the automatic verification)
            # hold against this version: shown before the approver acts.
            material_row["objections"] = review.shown_objections(
                material, material.current, now=now
            )
        material_rows.append(material_row)
        if material:
            rows_by_kind.setdefault("material", {})[material.pk] = material

    registry = []
    person: Any  # decorated with problems and is_appointed below
    if pos < Stage.EXECUTION.position:
        ids = [o.pk for o in conference.office.ancestors()] + [conference.office_id]
        appointed = {a.spokesperson_id for a in appointments}
        for person in (
            Spokesperson.objects.filter(office_id__in=ids, is_active=True)
            .select_related("office", "user")
            .order_by("name", "pk")
        ):
            person.problems = workflow.spokesperson_problems(person, conference)
            person.is_appointed = person.pk in appointed
            registry.append(person)
    for appointment in appointments:
        appointment.problems = workflow.spokesperson_problems(appointment.spokesperson, conference)

    for logged in questions:
        rows_by_kind.setdefault("question", {})[logged.pk] = logged

    if row is not None:
        row_kind, pk, text, posted = row
        target = rows_by_kind.get(row_kind, {}).get(pk)
        if target is not None:
            target.row_error = text
            target.posted = posted

    to_sign_in = annotate_invitations(conference, invitations, attendance)
    invited_ids = {i.contact_id for i in invitations}
    contacts = [
        c
        for c in MediaContact.objects.filter(office=conference.office, is_active=True)
        if c.pk not in invited_ids
    ]
    initial_version = {"version": conference.version}
    cautions = workflow.cautions(conference, now=now) if active else []
    factories: dict[str, Callable[[], Any]] = {
        "advance": lambda: f.AdvanceForm(
            initial={"version": conference.version, "confirm": [c.code for c in cautions]}
        ),
        "cancel": lambda: f.CancelForm(initial=initial_version),
        "fact": f.FactForm,
        "chronology": f.ChronologyForm,
        "open_question": f.OpenQuestionForm,
        "prior_statement": f.PriorStatementForm,
        "schedule": lambda: f.ScheduleForm(
            initial={
                "version": conference.version,
                "scheduled_at": conference.scheduled_at,
                "venue": conference.venue,
                "venue_notes": conference.venue_notes,
            }
        ),
        "rundown": f.RundownForm,
        "role": lambda: f.RoleForm(
            people=User.objects.filter(memberships__office=conference.office, is_active=True)
            .distinct()
            .order_by("full_name", "username")
        ),
        "invite": lambda: f.InvitationForm(
            contacts=MediaContact.objects.filter(pk__in=[c.pk for c in contacts])
        ),
        "appoint": f.AppointmentForm,
        "briefing": lambda: f.BriefingForm(
            appointments=conference.appointments.select_related("spokesperson"),
            initial={
                "held_on": dates.to_local(now, tz).date(),
                "appointment": appointments[0].pk if appointments else None,
            },
        ),
        "execution": lambda: f.ExecutionForm(
            initial={
                "version": conference.version,
                "actual_start": conference.actual_start,
                "actual_end": conference.actual_end,
                "execution_notes": conference.execution_notes,
            }
        ),
        "attendance": f.AttendanceForm,
        "question": f.QuestionLogForm,
        "evaluation": lambda: f.EvaluationForm(
            initial={
                "version": conference.version,
                **{name: getattr(conference, name) for name in workflow.EVALUATION_FIELDS},
                "coverage_accurate": conference.coverage_accurate,
            }
        ),
        "coverage": f.CoverageForm,
    }
    context_forms = LazyForms(factories, tz, bound)

    panels = []
    for code in PANELS:
        stage_enum = Stage(code)
        p = progress.get(code)
        panels.append(
            {
                "code": code,
                "label": stage_enum.label,
                "number": stage_enum.position + 1,
                "state": "done"
                if stage_enum.position < pos
                else ("current" if stage_enum.position == pos else "todo"),
                "progress": p,
                "checklist": [i for i in checklist if i.stage == code],
                "open": code in (error_panel, message_panel, open_panel)
                or (code == stage.value and error_panel is None and message_panel is None),
                "error": error.message if error is not None and error_panel == code else "",
                "message": message if message_panel == code else "",
            }
        )
    if stage == Stage.CLOSED or not active:
        # A closed or cancelled conference opens the evaluation (or the current) panel.
        for panel in panels:
            if panel["code"] == (Stage.EVALUATION if stage == Stage.CLOSED else stage):
                panel["open"] = panel["open"] or error_panel is None

    track = []
    for step in conference.stage_track():
        state = step["state"]
        if stage == Stage.CLOSED:
            state = "done"
        track.append(
            {
                "code": step["stage"].value,
                "label": step["label"],
                "state": state,
                "blocked": state == "current" and active and bool(blockers),
                "number": step["stage"].position + 1,
            }
        )

    deadlines = workflow.deadlines(conference, now=now)
    summary = (
        workflow.evaluation_summary(conference, now=now)
        if pos >= Stage.EXECUTION.position
        else None
    )
    return {
        "conference": conference,
        "tz": tz,
        "now": now,
        "can": can,
        "active": active,
        "stage": stage,
        "next_stage": stage.next if active else None,
        "is_closing": stage == Stage.EVALUATION,
        "may_advance": active and (can["close"] if stage == Stage.EVALUATION else can["advance"]),
        "blockers": blockers,
        "cautions": cautions,
        "track": track,
        "panels": panels,
        "deadlines": deadlines,
        "facts": facts,
        "facts_unverified": sum(1 for x in facts if not x.is_verified),
        "chronology": in_order(
            conference.chronology.select_related("entered_by").order_by(), "occurred_at", "pk"
        ),
        "open_questions": questions_open,
        "prior_statements": in_order(conference.prior_statements.order_by(), "-published_on", "pk"),
        "rundown": rundown,
        "roles": roles,
        "readiness": readiness,
        "invitations": invitations,
        "contacts_left": contacts,
        "material_rows": material_rows,
        "appointments": appointments,
        "registry": registry,
        "attendance": attendance,
        "to_sign_in": to_sign_in,
        "questions": questions,
        "coverage": coverage,
        "summary": summary,
        "forms": context_forms,
        "planning_open": active and pos <= Stage.EXECUTION.position,
        "material_open": active and pos < Stage.EXECUTION.position,
        "execution_open": active and stage in (Stage.EXECUTION, Stage.EVALUATION),
        "evaluation_open": active and stage == Stage.EVALUATION,
        "coverage_open": conference.status != Status.CANCELLED and pos >= Stage.EVALUATION.position,
        "can_view_history": policy.can(user, "audit.view", conference.office),
        "error": error.message if error is not None and error_panel is None else "",
        "error_blockers": getattr(error, "blockers", None),
        "error_panel": error_panel,
    }


@login_required
def conference_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The page. Its content is kept for ``CONFERENCE_DETAIL_CACHE_SECONDS`` per person,
    conference, language and open panel (see :data:`CACHE`); who may see the conference is
    checked on every request, and the crisis deadlines are always computed afresh."""
    # Only the office with it: the kept content shows who opened or cancelled it (read
    # when the content is made).
    queryset = Conference.objects.select_related("office")
    conference = policy.get_for(request.user, "conference.view", queryset, pk=pk)
    open_panel = request.GET.get("open")
    open_panel = open_panel if open_panel in PANELS else None
    top, rest = shortcache.remember(
        CACHE,
        (request.user.pk, conference.pk, conference.version, get_language(), open_panel),
        lambda: _body(request, detail_context(request, conference, open_panel=open_panel)),
        seconds=settings.CONFERENCE_DETAIL_CACHE_SECONDS,
    )
    now = timezone.now()
    context = {
        "conference": conference,
        "tz": office_tz(conference),
        "now": now,
        "deadlines": workflow.deadlines(conference, now=now),
    }
    return _page(request, context, top, rest)


# Stands for the request's CSRF token in the kept content (a token is per request).
_CSRF_MARK = "csrf-token-of-the-request"
_DEADLINES_MARK = "<!--conference-deadlines-->"


def _body(request: AuthenticatedHttpRequest, context: dict[str, Any]) -> tuple[str, str]:
    """The page's content above and below the crisis deadlines, with a mark in place of
    the CSRF token."""
    html = render_to_string(
        "conferences/_detail_body.html", {**context, "csrf_token": _CSRF_MARK}, request=request
    )
    top, rest = html.split(_DEADLINES_MARK)
    return top, rest


def _page(
    request: AuthenticatedHttpRequest, context: dict[str, Any], top: str, rest: str, status=200
) -> HttpResponse:
    token = get_token(request)
    return render(
        request,
        "conferences/detail.html",
        {
            **context,
            "body_top": mark_safe(top.replace(_CSRF_MARK, token)),  # noqa: S308 - our render
            "body_rest": mark_safe(rest.replace(_CSRF_MARK, token)),  # noqa: S308
        },
        status=status,
    )


def panel_response(request: AuthenticatedHttpRequest, context: dict, panel: str, status: int = 200):
    """The panel (plus out-of-band updates of the stage track, next step and deadlines)."""
    panel_context = (
        next(p for p in context["panels"] if p["code"] == panel) if panel in PANELS else None
    )
    html = render_to_string(
        "conferences/_htmx_update.html",
        {**context, "p": panel_context, "panel_code": panel},
        request=request,
    )
    return HttpResponse(html, status=status)


def refused(
    request: AuthenticatedHttpRequest,
    conference: Conference,
    panel: str | None,
    exc: WorkflowError | None,
    *,
    bound: dict | None = None,
    row: tuple | None = None,
) -> HttpResponse:
    """Show the page (or the panel, for htmx) again with the message and the input."""
    status = exc.status_code if exc is not None else 400
    conference = get_conference(request, conference.pk)
    context = detail_context(
        request, conference, bound=bound, error=exc, error_panel=panel, row=row
    )
    if is_htmx(request) and panel:
        return panel_response(request, context, panel, status=status)
    return _page(request, context, *_body(request, context), status=status)


def succeeded(
    request: AuthenticatedHttpRequest, conference: Conference, panel: str, text: str
) -> HttpResponse:
    if is_htmx(request) and panel in PANELS:
        conference = get_conference(request, conference.pk)
        context = detail_context(request, conference, message=text, message_panel=panel)
        return panel_response(request, context, panel)
    messages.success(request, text)
    return redirect(f"{conference.get_absolute_url()}?open={panel}#panel-{panel}")


def apply_change(
    request: AuthenticatedHttpRequest,
    conference: Conference,
    panel: str,
    change: Callable[[dict], Any],
    success: str,
    *,
    form=None,
    key: str = "",
    row: tuple[str, int] | None = None,
) -> HttpResponse:
    """Validate ``form`` (if any), call ``change(cleaned_data)`` — a workflow function —
    and answer: redirect or fresh panel on success, the page or panel with the message and
    the input kept on refusal."""
    posted = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
    if form is not None and not form.is_valid():
        if row is not None:
            first = next(iter(form.errors.values()))[0]
            return refused(request, conference, panel, None, row=(*row, first, posted))
        return refused(request, conference, panel, None, bound={key: form})
    try:
        change(form.cleaned_data if form is not None else {})
    except WorkflowError as exc:
        bound = {key: form} if form is not None and key else None
        if bound and exc.field in form.fields:
            # Shown at the field; the input stays in the form.
            form.add_error(exc.field, exc.message)
            return refused(request, conference, panel, quiet(exc), bound=bound)
        if row is not None:
            return refused(request, conference, panel, quiet(exc), row=(*row, exc.message, posted))
        # Shown at the top of the panel (the form may not be on the page in this state).
        return refused(request, conference, panel, exc, bound=bound)
    return succeeded(request, conference, panel, success)
