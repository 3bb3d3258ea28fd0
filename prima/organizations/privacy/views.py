"""Staff pages on personal data: the record of processing (and its CSV) and the breach
register. Thin: the record comes from :mod:`.record`, breaches from :mod:`.breach`."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import policy
from ..exports import CsvFormat
from ..models import AuditEntry, Office, User
from . import breach as breach_service
from . import record, tasks
from .declarations import DataCategory, Subject
from .forms import BreachForm, NoticeForm
from .models import Breach
from .retention import AUDIT_ACTION


def _office(request: HttpRequest, action: str) -> tuple[Office, list[Office]]:
    """The office whose page is shown (``?office=``; by default the person's own office
    when they hold ``action`` there) and the offices they may choose from. 403 for someone
    who holds the action nowhere, 404 for an office outside their reach."""
    if not policy.can_anywhere(request.user, action):
        raise PermissionDenied
    choices = list(policy.offices(request.user, action).order_by("path"))
    wanted = request.GET.get("office", "")
    if wanted:
        found = [o for o in choices if str(o.pk) == wanted]
        if not found:
            raise Http404
        return found[0], choices
    own = getattr(request.user, "office_id", None)
    return next((o for o in choices if o.pk == own), choices[0]), choices


@login_required
def record_page(request: HttpRequest) -> HttpResponse:
    """The record of processing activities (Ps. 31) of an office, with the last
    retention runs."""
    office, choices = _office(request, "privacy.view")
    activities = record.build()
    if tasks.chain_seems_dead():
        tasks.ensure_chain()
    return render(
        request,
        "organizations/privacy/record.html",
        {
            "office": office,
            "choices": choices,
            "activities": activities,
            "runs": _retention_runs(activities),
        },
    )


def _retention_runs(activities: list[record.ActivityRecord]) -> list[dict[str, object]]:
    """The last retention runs (from the audit trail), with the categories named."""
    names = {e.label: e.name for a in activities for e in a.entries}
    runs = []
    for entry in AuditEntry.objects.filter(action=AUDIT_ACTION).order_by("-seq")[:10]:
        after = entry.after if isinstance(entry.after, dict) else {}
        rows = [
            (names.get(str(row.get("code")), str(row.get("code"))), row.get("removed", 0))
            for row in after.get("categories", [])
            if isinstance(row, dict) and row.get("removed")
        ]
        runs.append({"at": entry.at, "total": after.get("total", 0), "rows": rows})
    return runs


@login_required
def record_csv(request: HttpRequest) -> HttpResponse:
    office, _choices = _office(request, "privacy.view")
    out = io.StringIO()
    record.write_csv(office, out, fmt=CsvFormat(get_language(), office.timezone))
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="record-of-processing-{office.code}.csv"'
    )
    return response


# --- Breaches ---------------------------------------------------------------------------


def _breach(request: HttpRequest, pk: int, action: str = "breach.view") -> Breach:
    """The breach for this person: 404 outside what they may view, 403 without ``action``."""
    breach = policy.get_for(
        request.user, "breach.view", Breach.objects.select_related("office"), pk=pk
    )
    if action != "breach.view":
        policy.check(request.user, action, breach)
    return breach


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # noqa: S101 - @login_required
    return request.user


@login_required
def breach_list(request: HttpRequest) -> HttpResponse:
    office, choices = _office(request, "breach.view")
    breaches = policy.scope(request.user, "breach.view", Breach.objects.select_related("office"))
    now = timezone.now()
    rows = [{"breach": b, "deadlines": breach_service.deadlines(b, now)} for b in breaches]
    return render(
        request,
        "organizations/privacy/breach_list.html",
        {
            "office": office,
            "choices": choices,
            "rows": rows,
            "now": now,
            "can_manage": policy.can(request.user, "breach.manage", office),
        },
    )


@login_required
def breach_create(request: HttpRequest) -> HttpResponse:
    office, _choices = _office(request, "breach.view")
    policy.check(request.user, "breach.manage", office)
    form = BreachForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        breach = breach_service.register(_user(request), office, form.cleaned_data)
        messages.success(request, _("Breach registered; the notifications are drafted below."))
        return redirect("breach-detail", pk=breach.pk)
    return render(
        request,
        "organizations/privacy/breach_form.html",
        {"form": form, "office": office, "breach": None},
    )


@login_required
def breach_detail(request: HttpRequest, pk: int) -> HttpResponse:
    breach = _breach(request, pk)
    now = timezone.now()
    names = {e.label: e.name for a in record.build() for e in a.entries}
    return render(
        request,
        "organizations/privacy/breach_detail.html",
        {
            "breach": breach,
            "office": breach.office,
            "tz": breach.office.timezone,
            "now": now,
            "deadlines": breach_service.deadlines(breach, now),
            "records": [names.get(label, label) for label in breach.records],
            "data_categories": breach_service.labels(DataCategory, breach.data_categories),
            "subjects": breach_service.labels(Subject, breach.subjects),
            "can_manage": policy.can(request.user, "breach.manage", breach.office),
        },
    )


@login_required
def breach_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit the facts (``?part=facts``, the default) or the two notifications
    (``?part=notices``)."""
    breach = _breach(request, pk, "breach.manage")
    notices = request.GET.get("part") == "notices"
    form_class = NoticeForm if notices else BreachForm
    form = form_class(request.POST or None, instance=Breach.objects.get(pk=breach.pk))
    if request.method == "POST" and form.is_valid():
        breach_service.edit(_user(request), breach, form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("breach-detail", pk=breach.pk)
    return render(
        request,
        "organizations/privacy/breach_form.html",
        {
            "form": form,
            "office": breach.office,
            "breach": breach,
            "notices": notices,
        },
    )


@login_required
@require_POST
def breach_act(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a notification sent, draft the notifications again, or close the breach."""
    breach = _breach(request, pk, "breach.manage")
    action = request.POST.get("action", "")
    user = _user(request)
    if action in ("notify_subjects", "notify_authority"):
        target = breach_service.Target(action.removeprefix("notify_"))
        breach_service.mark_notified(user, breach, target)
        messages.success(request, _("Marked as sent."))
    elif action == "redraft":
        breach_service.redraft(user, breach)
        messages.success(request, _("The notifications were drafted again from the record."))
    elif action == "close":
        breach_service.close(user, breach)
        messages.success(request, _("Breach closed."))
    else:
        return HttpResponseBadRequest(_("Unknown action."))
    return redirect("breach-detail", pk=breach.pk)
