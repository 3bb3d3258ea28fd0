"""Staff pages of data-subject requests (office-scoped by the policy)."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from prima.organizations import policy, reauth
from prima.organizations.models import User

from . import erasure, requests, subjects
from .request_forms import CloseForm, CorrectionForm, EraseForm, RequestForm
from .request_models import DataSubjectRequest, RequestKind, RequestStatus


def require_recent_auth_for_export(request: HttpRequest) -> HttpResponse | None:
    """Before personal data leaves PRIMA (an export) or is erased: the person must have
    proved who they are recently (second factor or password, ``reauth``); otherwise the
    answer is the redirect to the re-authentication page (nothing done yet)."""
    if reauth.is_fresh(request):
        return None
    return reauth.redirect_to_reauth(request)


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)  # every view here is behind login_required


def _get(request: HttpRequest, pk: int, action: str) -> DataSubjectRequest:
    return policy.get_for(request.user, action, DataSubjectRequest, pk=pk)


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    if not policy.can_anywhere(request.user, "subjectrequest.view"):
        raise PermissionDenied
    rows = policy.scope(
        request.user, "subjectrequest.view", DataSubjectRequest.objects.select_related("office")
    )
    show = request.GET.get("show", "open")
    if show == "open":
        rows = rows.filter(status__in=[RequestStatus.RECEIVED, RequestStatus.IN_PROGRESS])
    now = timezone.now()
    return render(
        request,
        "organizations/privacy/request_list.html",
        {
            "rows": [(r, requests.time_left(r, now)) for r in rows.order_by("due_at", "pk")[:500]],
            "show": show,
            "can_create": policy.can_anywhere(request.user, "subjectrequest.manage"),
        },
    )


@login_required
def request_create(request: HttpRequest) -> HttpResponse:
    if not policy.can_anywhere(request.user, "subjectrequest.manage"):
        raise PermissionDenied
    offices = policy.offices(request.user, "subjectrequest.manage")
    form = RequestForm(request.POST or None, offices=offices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        req = requests.receive(
            _user(request),
            data["office"],
            kind=data["kind"],
            subject_kind=data["subject_kind"],
            subject_query=data["subject_query"],
            requester=data["requester"],
            requester_contact=data["requester_contact"],
            identification=data["identification"],
            details=data["details"],
            received_at=data["received_at"],
        )
        messages.success(request, _("Request %(ref)s registered.") % {"ref": req.reference})
        return redirect("subjectrequest-detail", pk=req.pk)
    return render(request, "organizations/privacy/request_form.html", {"form": form})


SHOWN_PER_PLACE = 20


def _detail_context(request: HttpRequest, req: DataSubjectRequest, **extra: Any) -> dict[str, Any]:
    found = requests.findings(req)
    can_manage = policy.can(request.user, "subjectrequest.manage", req.office)
    return {
        "req": req,
        "found": found,
        "places": [
            {
                "finder": finder,
                "count": len(hits),
                "rows": [
                    (
                        hit.obj.pk,
                        hit.label,
                        [(finder.field_label(n), v) for n, v in hit.fields.items()],
                    )
                    for hit in hits[:SHOWN_PER_PLACE]
                ],
            }
            for finder, hits in found.places()
        ],
        "shown_per_place": SHOWN_PER_PLACE,
        "time_left": requests.time_left(req),
        "legal_basis": requests.LEGAL_BASIS[req.kind],
        "can_manage": can_manage and req.is_open,
        "can_erase": req.is_open
        and req.kind == RequestKind.ERASURE
        and policy.can(request.user, "subjectrequest.erase", req.office),
        "correction_form": extra.get("correction_form") or CorrectionForm(),
        "erase_form": extra.get("erase_form") or EraseForm(),
        "close_form": extra.get("close_form") or CloseForm(),
        "treatments": dict(subjects.Treatment.choices),
    }


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    req = _get(request, pk, "subjectrequest.view")
    return render(
        request, "organizations/privacy/request_detail.html", _detail_context(request, req)
    )


EXPORTS = {
    "json": ("application/json; charset=utf-8", "json"),
    "html": ("text/html; charset=utf-8", "html"),
    "pdf": ("application/pdf", "pdf"),
}


@login_required
@require_POST
def request_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    req = _get(request, pk, "subjectrequest.manage")
    policy.check(request.user, "subjectrequest.manage", req)
    if fmt not in EXPORTS:
        raise PermissionDenied
    refused = require_recent_auth_for_export(request)
    if refused is not None:
        return refused
    found = requests.findings(req)
    body: str | bytes
    if fmt == "json":
        body = requests.export_json(req, found)
    elif fmt == "html":
        body = requests.export_html(req, found)
    else:
        body = requests.export_pdf(req, found)
    requests.record_export(req, _user(request), fmt, found)
    content_type, ext = EXPORTS[fmt]
    response = HttpResponse(body, content_type=content_type)
    disposition = "inline" if fmt == "html" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{req.reference}.{ext}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def request_correct(request: HttpRequest, pk: int) -> HttpResponse:
    req = _get(request, pk, "subjectrequest.view")
    policy.check(request.user, "subjectrequest.manage", req)
    form = CorrectionForm(request.POST)
    if req.is_open and form.is_valid():
        try:
            changed = requests.correct(
                req, _user(request), form.cleaned_data["old"], form.cleaned_data["new"]
            )
        except requests.CorrectionError as exc:
            form.add_error("old", str(exc))
        else:
            messages.success(
                request,
                _("Corrected in %(n)s records.") % {"n": sum(changed.values())},
            )
            return redirect("subjectrequest-detail", pk=req.pk)
    context = _detail_context(request, req, correction_form=form)
    return render(request, "organizations/privacy/request_detail.html", context, status=400)


@login_required
@require_POST
def request_erase(request: HttpRequest, pk: int) -> HttpResponse:
    req = _get(request, pk, "subjectrequest.view")
    policy.check(request.user, "subjectrequest.erase", req)
    refused = require_recent_auth_for_export(request)
    if refused is not None:
        return refused
    form = EraseForm(request.POST)
    if req.is_open and req.kind == RequestKind.ERASURE and form.is_valid():
        erasure.erase(req, _user(request), outcome=form.cleaned_data["outcome"])
        messages.success(request, _("The person's data was erased or pseudonymised."))
        return redirect("subjectrequest-detail", pk=req.pk)
    context = _detail_context(request, req, erase_form=form)
    return render(request, "organizations/privacy/request_detail.html", context, status=400)


@login_required
@require_POST
def request_close(request: HttpRequest, pk: int) -> HttpResponse:
    req = _get(request, pk, "subjectrequest.view")
    policy.check(request.user, "subjectrequest.manage", req)
    form = CloseForm(request.POST)
    if req.is_open and form.is_valid():
        requests.close(
            req,
            _user(request),
            status=form.cleaned_data["status"],
            outcome=form.cleaned_data["outcome"],
        )
        messages.success(request, _("Request closed."))
        return redirect("subjectrequest-detail", pk=req.pk)
    context = _detail_context(request, req, close_form=form)
    return render(request, "organizations/privacy/request_detail.html", context, status=400)
