"""The POST actions behind the panels of the detail page. Each one checks the policy, calls
one workflow function through :func:`apply_change`, and answers like every other panel
action (see :mod:`.detail`)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from prima.organizations import files, policy, reauth
from prima.organizations.http import AuthenticatedHttpRequest
from prima.organizations.models import User

from .. import forms as f
from .. import workflow
from ..models import (
    Appointment,
    ChecklistItem,
    Conference,
    Fact,
    Invitation,
    Material,
    MediaContact,
    OpenQuestion,
    QuestionLog,
    ReadinessItem,
    RundownItem,
    Spokesperson,
    Stage,
)
from ..workflow import WorkflowError
from .base import (
    form_error,
    get_conference,
    get_part,
    material_kind,
    office_tz,
    posted_version,
)
from .detail import apply_change, refused


# --- Conference-level actions -----------------------------------------------------------
@login_required
@require_POST
def conference_advance(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    conference = get_conference(request, pk)
    closing = conference.stage == Stage.EVALUATION
    policy.check(request.user, "conference.close" if closing else "conference.advance", conference)
    form = f.AdvanceForm(request.POST)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    try:
        conference = workflow.advance(
            request.user,
            conference,
            expected_version=posted_version(form),
            confirm=data.get("confirm") or [],
            reason=data.get("reason") or "",
        )
    except WorkflowError as exc:
        if isinstance(exc, workflow.ConfirmationRequired):
            # Keep the reason typed; the warnings shown are those of now.
            kept = f.AdvanceForm(
                initial={
                    "version": conference.version,
                    "reason": data.get("reason", ""),
                    "confirm": [c.code for c in exc.cautions],
                }
            )
            return refused(request, conference, None, exc, bound={"advance": kept})
        return refused(request, conference, None, exc)
    if conference.stage == Stage.CLOSED:
        messages.success(request, _("The conference is closed. Thank you."))
        return redirect(f"{conference.get_absolute_url()}#panel-evaluation")
    messages.success(
        request,
        _("The conference moved to “%(stage)s”.") % {"stage": Stage(conference.stage).label},
    )
    return redirect(f"{conference.get_absolute_url()}#panel-{conference.stage}")


@login_required
@require_POST
def conference_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    conference = get_conference(request, pk, "conference.cancel")
    form = f.CancelForm(request.POST)
    if not form.is_valid():
        return refused(request, conference, None, None, bound={"cancel": form})
    try:
        workflow.cancel(
            request.user,
            conference,
            reason=form.cleaned_data["reason"],
            expected_version=posted_version(form),
        )
    except WorkflowError as exc:
        form_error(form, exc)
        return refused(request, conference, None, exc, bound={"cancel": form})
    messages.success(request, _("The conference was cancelled."))
    return redirect(conference.get_absolute_url())


# --- Checklist --------------------------------------------------------------------------
@login_required
@require_POST
def checklist_complete(request: AuthenticatedHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    conference = get_conference(request, pk, "conference.edit")
    item = get_part(ChecklistItem, conference, item_pk)
    form = f.ChecklistCompleteForm(request.POST, request.FILES)
    return apply_change(
        request,
        conference,
        item.stage,
        lambda d: workflow.complete_item(
            request.user,
            item,
            note=d["note"],
            link=d["link"],
            file=d["file"],
            expected_version=d["version"],
        ),
        _("Checklist item done: %(item)s") % {"item": item.display_label},
        form=form,
        row=("checklist", item.pk),
    )


@login_required
@require_POST
def checklist_reopen(request: AuthenticatedHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    conference = get_conference(request, pk, "conference.edit")
    item = get_part(ChecklistItem, conference, item_pk)
    form = f.VersionForm(request.POST)
    return apply_change(
        request,
        conference,
        item.stage,
        lambda d: workflow.reopen_item(request.user, item, expected_version=d["version"]),
        _("Checklist item reopened: %(item)s") % {"item": item.display_label},
        form=form,
        row=("checklist", item.pk),
    )


@login_required
def checklist_evidence(request: AuthenticatedHttpRequest, pk: int, item_pk: int) -> FileResponse:
    """The evidence file of a checklist item, for those who may see the conference."""
    conference = get_conference(request, pk)
    item = get_part(ChecklistItem, conference, item_pk)
    return files.serve(item.evidence_file)


# --- Information gathering --------------------------------------------------------------
@login_required
@require_POST
def fact_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    conference = get_conference(request, pk, "conference.edit")
    return apply_change(
        request,
        conference,
        "information",
        lambda d: workflow.add_fact(request.user, conference, **d),
        _("Fact recorded. A second person must verify it."),
        form=f.FactForm(request.POST),
        key="fact",
    )


@login_required
@require_POST
def fact_verify(request: AuthenticatedHttpRequest, pk: int, fact_pk: int) -> HttpResponse:
    conference = get_conference(request, pk, "conference.verify_fact")
    fact = get_part(Fact, conference, fact_pk)
    return apply_change(
        request,
        conference,
        "information",
        lambda d: workflow.verify_fact(request.user, fact, expected_version=d["version"]),
        _("Fact verified."),
        form=f.VersionForm(request.POST),
        row=("fact", fact.pk),
    )


@login_required
@require_POST
def chronology_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    conference = get_conference(request, pk, "conference.edit")
    form = f.ChronologyForm(request.POST)
    form.set_zone(office_tz(conference))
    return apply_change(
        request,
        conference,
        "information",
        lambda d: workflow.add_chronology(request.user, conference, **d),
        _("Chronology entry added."),
        form=form,
        key="chronology",
    )


@login_required
@require_POST
def open_question_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    conference = get_conference(request, pk, "conference.edit")
    return apply_change(
        request,
        conference,
        "information",
        lambda d: workflow.add_open_question(request.user, conference, **d),
        _("Open question added."),
        form=f.OpenQuestionForm(request.POST),
        key="open_question",
    )


@login_required
@require_POST
def open_question_resolve(
    request: AuthenticatedHttpRequest, pk: int, question_pk: int
) -> HttpResponse:
    conference = get_conference(request, pk, "conference.edit")
    question = get_part(OpenQuestion, conference, question_pk)
    return apply_change(
        request,
        conference,
        "information",
        lambda d: workflow.resolve_open_question(request.user, question, answer=d["answer"]),
        _("Open question answered."),
        form=f.ResolveQuestionForm(request.POST),
        row=("open_question", question.pk),
    )


@login_required
@require_POST
def prior_statement_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    conference = get_conference(request, pk, "conference.edit")
    return apply_change(
        request,
        conference,
        "information",
        lambda d: workflow.add_prior_statement(request.user, conference, **d),
        _("Prior statement added."),
        form=f.PriorStatementForm(request.POST),
        key="prior_statement",
    )


# --- Technical planning -----------------------------------------------------------------
@login_required
@require_POST
def schedule_save(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    conference = get_conference(request, pk, "conference.edit")
    form = f.ScheduleForm(request.POST)
    form.set_zone(office_tz(conference))
    return apply_change(
        request,
        conference,
        "planning",
        lambda d: workflow.update_conference(
            request.user,
            conference,
            expected_version=d["version"],
            scheduled_at=d["scheduled_at"],
            venue=d["venue"],
            venue_notes=d["venue_notes"],
        ),
        _("Date and venue saved."),
        form=form,
        key="schedule",
    )


@login_required
@require_POST
def rundown_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    conference = get_conference(request, pk, "conference.edit")
    return apply_change(
        request,
        conference,
        "planning",
        lambda d: workflow.add_rundown_item(request.user, conference, **d),
        _("Run-down item added."),
        form=f.RundownForm(request.POST),
        key="rundown",
    )


@login_required
@require_POST
def rundown_remove(request: AuthenticatedHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    conference = get_conference(request, pk, "conference.edit")
    item = get_part(RundownItem, conference, item_pk)
    return apply_change(
        request,
        conference,
        "planning",
        lambda d: workflow.remove_rundown_item(request.user, item),
        _("Run-down item removed."),
    )


@login_required
@require_POST
def role_assign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    conference = get_conference(request, pk, "conference.edit")
    people = User.objects.filter(memberships__office=conference.office, is_active=True).distinct()
    return apply_change(
        request,
        conference,
        "planning",
        lambda d: workflow.assign_role(
            request.user, conference, role=d["role"], user=d["user"], name=d["name"]
        ),
        _("Role assigned."),
        form=f.RoleForm(request.POST, people=people),
        key="role",
    )


@login_required
@require_POST
def readiness_set(request: AuthenticatedHttpRequest, pk: int, item_pk: int) -> HttpResponse:
    conference = get_conference(request, pk, "conference.edit")
    item = get_part(ReadinessItem, conference, item_pk)
    return apply_change(
        request,
        conference,
        "planning",
        lambda d: workflow.set_readiness(
            request.user, item, is_ready=d["is_ready"], notes=d["notes"]
        ),
        _("Readiness saved: %(item)s") % {"item": item.get_kind_display()},
        form=f.ReadinessForm(request.POST),
    )


@login_required
@require_POST
def invitation_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    conference = get_conference(request, pk, "conference.edit")
    contacts = MediaContact.objects.filter(office=conference.office, is_active=True)
    form = f.InvitationForm(request.POST, contacts=contacts)

    def invite_all(data: dict) -> None:
        with transaction.atomic():  # all of them, or none (e.g. one has no e-mail address)
            for contact in data["contacts"]:
                workflow.invite(request.user, conference, contact, channel=data["channel"])

    return apply_change(
        request,
        conference,
        "planning",
        invite_all,
        _("Invitations recorded."),
        form=form,
        key="invite",
    )


@login_required
@require_POST
def invitation_update(
    request: AuthenticatedHttpRequest, pk: int, invitation_pk: int
) -> HttpResponse:
    conference = get_conference(request, pk, "conference.edit")
    invitation = get_part(Invitation, conference, invitation_pk)
    flags: dict[str, Any] = {}
    for name in ("confirmed", "accredited", "declined"):
        if name in request.POST:
            flags[name] = request.POST[name] == "1"
    return apply_change(
        request,
        conference,
        "planning",
        lambda d: workflow.update_invitation(request.user, invitation, **flags),
        _("Invitation updated: %(contact)s") % {"contact": invitation.contact},
    )


# --- Material ---------------------------------------------------------------------------


def _material(conference: Conference, kind: str) -> Material:
    return get_object_or_404(
        Material.objects.select_related("current"), conference=conference, kind=material_kind(kind)
    )


@login_required
@require_POST
def material_submit(request: AuthenticatedHttpRequest, pk: int, kind: str) -> HttpResponse:
    conference = get_conference(request, pk, "material.edit")
    material = _material(conference, kind)
    return apply_change(
        request,
        conference,
        "material",
        lambda d: workflow.submit_material(request.user, material, expected_version=d["version"]),
        _("%(material)s submitted for approval.") % {"material": material.get_kind_display()},
        form=f.VersionForm(request.POST),
        row=("material", material.pk),
    )


@login_required
@require_POST
def material_approve(request: AuthenticatedHttpRequest, pk: int, kind: str) -> HttpResponse:
    # The right may come from a delegation, which the policy table does not hold: the
    # workflow decides (403 for those who may read the material but not approve it).
    conference = get_conference(request, pk, "material.view")
    material = _material(conference, kind)
    if not workflow.may_approve(request.user, conference.office):
        raise PermissionDenied
    if not reauth.is_fresh(request):
        # Approving is a sensitive action: a recent second factor (or password) first.
        return reauth.redirect_to_reauth(request)
    return apply_change(
        request,
        conference,
        "material",
        lambda d: workflow.approve_material(
            request.user,
            material,
            expected_version=d["version"],
            waiver_reason=d.get("waiver_reason", ""),
        ),
        _("%(material)s approved.") % {"material": material.get_kind_display()},
        form=f.ApproveMaterialForm(request.POST),
        row=("material", material.pk),
    )


@login_required
@require_POST
def material_return(request: AuthenticatedHttpRequest, pk: int, kind: str) -> HttpResponse:
    conference = get_conference(request, pk, "material.view")
    material = _material(conference, kind)
    if not workflow.may_approve(request.user, conference.office):
        raise PermissionDenied
    return apply_change(
        request,
        conference,
        "material",
        lambda d: workflow.return_material(
            request.user, material, reason=d["reason"], expected_version=d["version"]
        ),
        _("%(material)s returned for changes.") % {"material": material.get_kind_display()},
        form=f.ReturnMaterialForm(request.POST),
        row=("material", material.pk),
    )


# --- Spokesperson -----------------------------------------------------------------------
@login_required
@require_POST
def appointment_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    conference = get_conference(request, pk, "conference.appoint")
    ids = [o.pk for o in conference.office.ancestors()] + [conference.office_id]
    form = f.AppointmentForm(
        request.POST, spokespeople=Spokesperson.objects.filter(office_id__in=ids)
    )
    return apply_change(
        request,
        conference,
        "spokesperson",
        lambda d: workflow.appoint_spokesperson(
            request.user, conference, d["spokesperson"], is_principal=d["is_principal"] or None
        ),
        _("Spokesperson appointed."),
        form=form,
        key="appoint",
    )


@login_required
@require_POST
def appointment_remove(
    request: AuthenticatedHttpRequest, pk: int, appointment_pk: int
) -> HttpResponse:
    conference = get_conference(request, pk, "conference.appoint")
    appointment = get_part(Appointment, conference, appointment_pk)
    return apply_change(
        request,
        conference,
        "spokesperson",
        lambda d: workflow.remove_appointment(request.user, appointment),
        _("Appointment removed."),
    )


@login_required
@require_POST
def briefing_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    conference = get_conference(request, pk, "conference.brief")
    form = f.BriefingForm(request.POST, appointments=conference.appointments.all())
    return apply_change(
        request,
        conference,
        "spokesperson",
        lambda d: workflow.record_briefing(
            request.user, d["appointment"], held_on=d["held_on"], kind=d["kind"], notes=d["notes"]
        ),
        _("Briefing recorded."),
        form=form,
        key="briefing",
    )


# --- Execution --------------------------------------------------------------------------
@login_required
@require_POST
def execution_save(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    conference = get_conference(request, pk, "conference.edit")
    form = f.ExecutionForm(request.POST)
    form.set_zone(office_tz(conference))
    now = timezone.now()

    def record(data: dict) -> None:
        # "Started now" / "Ended now" buttons record the time of the click and nothing
        # else; the full form records all three fields.
        if "start_now" in request.POST:
            fields = {"actual_start": now}
        elif "end_now" in request.POST:
            fields = {"actual_end": now}
        else:
            fields = {
                name: data[name] for name in ("actual_start", "actual_end", "execution_notes")
            }
        workflow.record_execution(
            request.user, conference, expected_version=data["version"], **fields
        )

    return apply_change(
        request,
        conference,
        "execution",
        record,
        _("Execution record saved."),
        form=form,
        key="execution",
    )


@login_required
@require_POST
def attendance_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    conference = get_conference(request, pk, "conference.edit")
    return apply_change(
        request,
        conference,
        "execution",
        lambda d: workflow.add_attendance(request.user, conference, **d),
        _("Attendance recorded."),
        form=f.AttendanceForm(request.POST),
        key="attendance",
    )


@login_required
@require_POST
def question_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    conference = get_conference(request, pk, "conference.edit")
    return apply_change(
        request,
        conference,
        "execution",
        lambda d: workflow.log_question(request.user, conference, **d),
        _("Question logged."),
        form=f.QuestionLogForm(request.POST),
        key="question",
    )


@login_required
@require_POST
def follow_up_done(request: AuthenticatedHttpRequest, pk: int, question_pk: int) -> HttpResponse:
    conference = get_conference(request, pk, "conference.edit")
    question = get_part(QuestionLog, conference, question_pk)
    return apply_change(
        request,
        conference,
        "execution",
        lambda d: workflow.complete_follow_up(request.user, question, note=d["note"]),
        _("Follow-up recorded."),
        form=f.FollowUpForm(request.POST),
        row=("question", question.pk),
    )


# --- Evaluation -------------------------------------------------------------------------
@login_required
@require_POST
def evaluation_save(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    conference = get_conference(request, pk, "conference.edit")
    form = f.EvaluationForm(request.POST)

    def record(data: dict) -> None:
        fields = {name: data[name] for name in workflow.EVALUATION_FIELDS}
        workflow.record_evaluation(
            request.user, conference, expected_version=data["version"], **fields
        )

    return apply_change(
        request,
        conference,
        "evaluation",
        record,
        _("Evaluation saved."),
        form=form,
        key="evaluation",
    )


@login_required
@require_POST
def coverage_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    conference = get_conference(request, pk, "conference.edit")
    form = f.CoverageForm(request.POST)
    form.set_zone(office_tz(conference))
    return apply_change(
        request,
        conference,
        "evaluation",
        lambda d: workflow.add_coverage(request.user, conference, **d),
        _("News item added."),
        form=form,
        key="coverage",
    )
