"""Staff pages of the service catalogue: list, service, version, editor and actions.

Thin: every change calls :mod:`prima.catalogue.services`; access goes through the policy
(404 for people who may not see the office's catalogue, 403 for an action they may not
take).
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from prima.organizations import policy
from prima.organizations.models import User

from . import forms as f
from . import services
from .models import OPEN_STATES, Fee, Service, ServiceVersion, VersionState


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _get_service(request: HttpRequest, pk: int, action: str = "service.view") -> Service:
    service: Service = policy.get_for(
        _user(request), action, Service.objects.select_related("office"), pk=pk
    )
    return service


def _get_version(
    request: HttpRequest, pk: int, vpk: int, action: str = "service.view"
) -> ServiceVersion:
    service = _get_service(request, pk)
    try:
        version = (
            service.versions.select_related("author", "submitted_by", "returned_by", "published_by")
            .prefetch_related(Prefetch("fees", queryset=Fee.objects.order_by("order", "pk")))
            .get(pk=vpk)
        )
    except ServiceVersion.DoesNotExist:
        raise Http404 from None
    version.service = service
    policy.check(_user(request), action, version)
    return version


@login_required
def service_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not policy.can_anywhere(user, "service.view"):
        raise PermissionDenied
    services_qs = policy.scope(
        user, "service.view", Service.objects.select_related("office")
    ).order_by("office__path", "order", "code")
    office_id = request.GET.get("office", "")
    if office_id.isdigit():
        services_qs = services_qs.filter(office_id=int(office_id))
    rows = list(services_qs)
    versions = (
        ServiceVersion.objects.filter(service__in=rows)
        .exclude(state=VersionState.DISCARDED)
        .prefetch_related(Prefetch("fees", queryset=Fee.objects.order_by("order", "pk")))
        .order_by("service_id", "-effective_from", "-number")
    )
    by_service: dict[int, list[ServiceVersion]] = {}
    for version in versions:
        by_service.setdefault(version.service_id, []).append(version)
    table = []
    for service in rows:
        own = by_service.get(service.pk, [])
        today = services.office_today(service.office)
        in_force = next((v for v in own if v.is_published and v.effective_from <= today), None)
        pending = next((v for v in own if v.state in OPEN_STATES), None)
        upcoming = next(
            (v for v in reversed(own) if v.is_published and v.effective_from > today), None
        )
        table.append(
            {
                "service": service,
                "current": in_force,
                "pending": pending,
                "upcoming": upcoming,
                "name": (in_force or pending or (own[0] if own else None)),
            }
        )
    return render(
        request,
        "catalogue/list.html",
        {
            "rows": table,
            "offices": policy.offices(user, "service.view"),
            "office_id": office_id,
            "can_create": policy.can_anywhere(user, "service.edit"),
        },
    )


def _version_forms(request: HttpRequest, version: ServiceVersion | None) -> tuple[Any, Any]:
    if request.method == "POST":
        return f.VersionForm(request.POST), f.FeeFormSet(request.POST, prefix="fees")
    if version is None:
        return f.VersionForm(), f.FeeFormSet(prefix="fees")
    return (
        f.VersionForm(initial=f.VersionForm.initial_from(version)),
        f.FeeFormSet(initial=f.fee_initial(version), prefix="fees"),
    )


def _apply_error(form: Any, formset: Any, exc: services.CatalogueError) -> None:
    if exc.field == "fees":
        formset._non_form_errors = formset.error_class([exc.message])
    elif exc.field in form.fields:
        form.add_error(exc.field, exc.message)
    else:
        form.add_error(None, exc.message)


@login_required
def service_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    offices = policy.offices(user, "service.edit")
    if not offices.exists():
        raise PermissionDenied
    service_form = f.ServiceForm(request.POST or None, offices=offices)
    form, formset = _version_forms(request, None)
    if request.method == "POST":
        valid = service_form.is_valid() & form.is_valid() & formset.is_valid()
        if valid:
            try:
                version = services.create_service(
                    user,
                    service_form.cleaned_data["office"],
                    code=service_form.cleaned_data["code"],
                    category=service_form.cleaned_data["category"],
                    order=service_form.cleaned_data.get("order") or 0,
                    content=form.content(),
                    fees=f.fees_from(formset),
                )
            except services.CatalogueError as exc:
                if exc.field in ("code", "category"):
                    service_form.add_error(exc.field, exc.message)
                else:
                    _apply_error(form, formset, exc)
            else:
                messages.success(request, _("The service was added as a draft."))
                return redirect("catalogue:version", pk=version.service_id, vpk=version.pk)
    return render(
        request,
        "catalogue/edit.html",
        {"service_form": service_form, "form": form, "formset": formset, "creating": True},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def service_detail(request: HttpRequest, pk: int) -> HttpResponse:
    service = _get_service(request, pk)
    user = _user(request)
    versions = list(service.versions.select_related("author", "published_by").order_by("-number"))
    entries = services.history(service)
    current = next((e.version for e in entries if e.is_current), None)
    return render(
        request,
        "catalogue/service.html",
        {
            "service": service,
            "current": current,
            "history": entries,
            "versions": versions,
            "pending": next((v for v in versions if v.state in OPEN_STATES), None),
            "can_edit": policy.can(user, "service.edit", service.office),
            "can_view_audit": policy.can(user, "audit.view", service.office),
        },
    )


@login_required
def version_detail(request: HttpRequest, pk: int, vpk: int) -> HttpResponse:
    version = _get_version(request, pk, vpk)
    user = _user(request)
    service = version.service
    in_force = services.version_in_force(service)
    compare = in_force if in_force is not None and in_force.pk != version.pk else None
    office = service.office
    return render(
        request,
        "catalogue/version.html",
        {
            "service": service,
            "version": version,
            "compare": compare,
            "fee_changes": services.fee_changes(compare, version) if compare else [],
            "can_edit": policy.can(user, "service.edit", office) and version.is_editable,
            "can_submit": policy.can(user, "service.edit", office) and version.is_editable,
            "can_discard": policy.can(user, "service.edit", office)
            and version.state in OPEN_STATES,
            "can_review": version.state == VersionState.SUBMITTED
            and policy.can(user, "service.approve", office),
            "own_work": user.pk in version.contributors,
            "return_form": f.ReturnForm(initial={"revision": version.revision}),
        },
    )


@login_required
def version_edit(request: HttpRequest, pk: int, vpk: int) -> HttpResponse:
    version = _get_version(request, pk, vpk, "service.edit")
    if not version.is_editable:
        messages.warning(request, _("Only a draft or a returned version can be changed."))
        return redirect("catalogue:version", pk=pk, vpk=vpk)
    form, formset = _version_forms(request, version)
    if request.method == "POST" and form.is_valid() & formset.is_valid():
        try:
            services.update_draft(
                _user(request),
                version,
                content=form.content(),
                fees=f.fees_from(formset),
                revision=form.cleaned_data.get("revision"),
            )
        except services.CatalogueError as exc:
            _apply_error(form, formset, exc)
        else:
            messages.success(request, _("The draft was saved."))
            return redirect("catalogue:version", pk=pk, vpk=vpk)
    return render(
        request,
        "catalogue/edit.html",
        {"service": version.service, "version": version, "form": form, "formset": formset},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def draft_start(request: HttpRequest, pk: int) -> HttpResponse:
    service = _get_service(request, pk, "service.edit")
    try:
        version = services.start_draft(_user(request), service)
    except services.CatalogueError as exc:
        messages.error(request, exc.message)
        return redirect("catalogue:service", pk=pk)
    messages.success(request, _("A new draft was started from the published version."))
    return redirect("catalogue:version-edit", pk=pk, vpk=version.pk)


ACTIONS = {
    "submit": ("service.edit", _("Sent for approval.")),
    "publish": ("service.approve", _("Approved and published.")),
    "return": ("service.approve", _("Returned to its writers.")),
    "discard": ("service.edit", _("The version was discarded.")),
}


@login_required
@require_POST
def version_action(request: HttpRequest, pk: int, vpk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    needed, done = ACTIONS[action]
    version = _get_version(request, pk, vpk, needed)
    user = _user(request)
    form = f.ReturnForm(request.POST) if action == "return" else f.RevisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what needs to change."))
        return redirect("catalogue:version", pk=pk, vpk=vpk)
    revision = form.cleaned_data.get("revision")
    try:
        if action == "submit":
            services.submit(user, version, revision=revision)
        elif action == "publish":
            services.publish(user, version, revision=revision)
        elif action == "return":
            services.return_version(user, version, form.cleaned_data["reason"], revision=revision)
        else:
            services.discard(user, version, revision=revision)
    except services.CatalogueError as exc:
        messages.error(request, exc.message)
        response = redirect("catalogue:version", pk=pk, vpk=vpk)
        return response
    messages.success(request, str(done))
    return redirect("catalogue:version", pk=pk, vpk=vpk)
