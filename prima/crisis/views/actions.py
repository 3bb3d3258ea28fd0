"""What staff do on a case page (POST only): acknowledge, assess, override, notes and
decisions, statements, playbook actions, scope, merge, close and reopen, open a crisis
press conference. Each one calls its service and returns to the case page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from prima.organizations.http import AuthenticatedHttpRequest

from .. import assessment, cases, configs, escalation, playbook
from ..errors import CrisisError
from ..forms import AssessmentForm, CloseForm, MergeForm, NoteForm, OverrideForm, StatementForm
from ..models import Case, CaseStatus, Signal
from .case import _lang
from .common import form_errors, get_case, run


def _back(case: Case, anchor: str = "") -> str:
    return case.get_absolute_url() + (f"#{anchor}" if anchor else "")


def _ints(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit()]


@login_required
@require_POST
def acknowledge(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = get_case(request.user, pk, "crisis.acknowledge")
    return run(
        request,
        lambda: escalation.acknowledge(request.user, case),
        success=_("Acknowledged: the escalation stops here."),
        back=_back(case),
    )


@login_required
@require_POST
def assess(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = get_case(request.user, pk, "crisis.assess")
    form = AssessmentForm(request.POST, cfg=configs.current().parsed, lang=_lang())
    if not form.is_valid():
        form_errors(request, form)
        return redirect(_back(case, "assessment"))
    data = form.cleaned_data
    return run(
        request,
        lambda: assessment.record(
            request.user,
            case,
            category=data["category"],
            cluster=data["cluster"],
            interest=form.interest(),
            context_values=form.context_values(),
            note=data["note"],
        ),
        success=_("Assessment recorded."),
        back=_back(case, "assessment"),
    )


@login_required
@require_POST
def override(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = get_case(request.user, pk, "crisis.override")
    form = OverrideForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return redirect(_back(case, "assessment"))
    return run(
        request,
        lambda: assessment.override(
            request.user, case, level=form.cleaned_data["level"], reason=form.cleaned_data["reason"]
        ),
        success=_("The level was overridden."),
        back=_back(case, "assessment"),
    )


@login_required
@require_POST
def note(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = get_case(request.user, pk, "crisis.manage")
    form = NoteForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return redirect(_back(case, "log"))
    return run(
        request,
        lambda: cases.add_note(
            request.user, case, form.cleaned_data["text"], decision=form.cleaned_data["decision"]
        ),
        back=_back(case, "log"),
    )


@login_required
@require_POST
def statement(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = get_case(request.user, pk, "crisis.statement")
    form = StatementForm(request.POST, tz_name=case.office.timezone)
    if not form.is_valid():
        form_errors(request, form)
        return redirect(_back(case, "playbook"))
    data = form.cleaned_data
    return run(
        request,
        lambda: cases.record_statement(
            request.user,
            case,
            text=data["text"],
            channel=data["channel"],
            url=data["url"],
            at=data["at"],
        ),  # fmt: skip
        success=_("Statement recorded."),
        back=_back(case, "playbook"),
    )


@login_required
@require_POST
def action(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = get_case(request.user, pk, "crisis.manage")
    code = request.POST.get("code", "")
    done = request.POST.get("done") == "1"
    return run(
        request,
        lambda: cases.mark_action(request.user, case, code, done=done),
        back=_back(case, "playbook"),
    )


@login_required
@require_POST
def scope(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = get_case(request.user, pk, "crisis.manage")
    post = request.POST
    if post.get("detach_signal", "").isdigit():
        signal = Signal.objects.filter(pk=int(post["detach_signal"]), case=case).first()
        if signal is None:
            messages.error(request, _("That signal is not part of this case."))
            return redirect(_back(case, "signals"))
        try:
            new = cases.detach_signal(request.user, case, signal)
        except CrisisError as exc:
            messages.error(request, exc.message)
            return redirect(_back(case, "signals"))
        messages.success(request, _("The signal now has a case of its own."))
        return redirect(new)
    return run(
        request,
        lambda: cases.change_scope(
            request.user,
            case,
            add_issues=_ints(post.getlist("add_issue")),
            remove_issues=_ints(post.getlist("remove_issue")),
            add_watchlists=_ints(post.getlist("add_watchlist")),
            remove_watchlists=_ints(post.getlist("remove_watchlist")),
        ),
        back=_back(case, "signals"),
    )


@login_required
@require_POST
def merge(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = get_case(request.user, pk, "crisis.manage")
    candidates = Case.objects.filter(
        office=case.office, status=CaseStatus.OPEN, is_exercise=case.is_exercise
    ).exclude(pk=case.pk)
    form = MergeForm(request.POST, candidates=candidates)
    if not form.is_valid():
        form_errors(request, form)
        return redirect(_back(case))
    return run(
        request,
        lambda: cases.merge(request.user, case, list(form.cleaned_data["others"])),
        success=_("Cases merged."),
        back=_back(case),
    )


@login_required
@require_POST
def close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = get_case(request.user, pk, "crisis.manage")
    form = CloseForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return redirect(_back(case))
    return run(
        request,
        lambda: cases.close(
            request.user, case, reason=form.cleaned_data["reason"], note=form.cleaned_data["note"]
        ),
        success=_("The case is closed."),
        back=_back(case),
    )


@login_required
@require_POST
def reopen(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = get_case(request.user, pk, "crisis.manage")
    return run(
        request,
        lambda: cases.reopen(request.user, case),
        success=_("The case is open again; its responders are called."),
        back=_back(case),
    )


@login_required
@require_POST
def open_conference(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    case = get_case(request.user, pk, "crisis.open_conference")
    try:
        conference = playbook.open_conference(request.user, case)
    except CrisisError as exc:
        messages.error(request, exc.message)
        return redirect(_back(case, "playbook"))
    messages.success(
        request,
        _("Crisis press conference opened: check the facts and submit the holding statement."),
    )
    return redirect(reverse("conferences:detail", kwargs={"pk": conference.pk}))
