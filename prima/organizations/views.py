"""Pages for offices, people and the audit trail."""

from __future__ import annotations

import io
from datetime import datetime, time

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from prima.lib import dates

from . import audit, audit_display, policy, twofactor_views
from .exports import CsvFormat
from .forms import AuditFilterForm, LoginForm
from .models import AuditEntry, Membership, Office, Role, User


class LoginView(auth_views.LoginView):
    """The password step. People with an authenticator app, or whose role requires one,
    are not logged in here: the session only remembers the pending sign-in and the second
    step (``twofactor_views.login_code`` / ``login_setup``) completes it."""

    form_class = LoginForm
    template_name = "organizations/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: LoginForm) -> HttpResponse:  # type: ignore[override]
        user = form.get_user()
        if isinstance(user, User) and twofactor_views.needs_second_step(user):
            return twofactor_views.start_pending(self.request, user, self.get_success_url())
        return super().form_valid(form)

    def form_invalid(self, form: LoginForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_invalid(form)
        if form.has_error("__all__", "busy"):
            # Every password-hash slot of this process is taken (throttle.hash_slot): a
            # clear "try again" that frees the thread at once.
            response.status_code = 503
            response["Retry-After"] = "2"
        return response


@login_required
def office_list(request: HttpRequest) -> HttpResponse:
    offices = policy.offices(request.user, "office.view").select_related("parent")
    return render(request, "organizations/office_list.html", {"offices": offices})


@login_required
def office_detail(request: HttpRequest, pk: int) -> HttpResponse:
    office = policy.get_for(request.user, "office.view", Office, pk=pk)
    people: QuerySet[Membership] | None = None
    if policy.can(request.user, "user.view", office):
        people = (
            Membership.objects.filter(office=office, user__is_active=True)
            .select_related("user")
            .order_by("role", "user__full_name")
        )
    return render(
        request,
        "organizations/office_detail.html",
        {
            "office": office,
            "ancestors": office.ancestors(),
            "children": office.children.filter(is_active=True),
            "people": people,
            "role_labels": dict(Role.choices),
            "can_view_audit": policy.can(request.user, "audit.view", office),
        },
    )


def _audit_scope(user: policy.AnyUser, action: str) -> QuerySet[AuditEntry]:
    q = policy.office_q(user, action)
    # Entries without an office (e.g. a failed log-in for an unknown name) belong to the
    # top of the tree: visible to those who hold the right at a root office.
    if policy.can_at_top(user, action):
        q |= Q(office__isnull=True)
    return AuditEntry.objects.filter(q).select_related("actor", "office")


def _filtered(
    request: HttpRequest, entries: QuerySet[AuditEntry]
) -> tuple[AuditFilterForm, QuerySet[AuditEntry]]:
    form = AuditFilterForm(request.GET or None)
    if form.is_valid():
        data = form.cleaned_data
        if data["action"]:
            entries = entries.filter(action__startswith=data["action"])
        if data["actor"]:
            entries = entries.filter(actor_label__iexact=data["actor"])
        tz = timezone.get_current_timezone()
        if data["date_from"]:
            entries = entries.filter(at__gte=datetime.combine(data["date_from"], time.min, tz))
        if data["date_to"]:
            entries = entries.filter(at__lte=datetime.combine(data["date_to"], time.max, tz))
    return form, entries


def _csv_response(
    request: HttpRequest, entries: QuerySet[AuditEntry], filename: str
) -> HttpResponse:
    out = io.StringIO()
    user = request.user
    tz = user.office.timezone if isinstance(user, User) and user.office else dates.DEFAULT_TZ
    fmt = CsvFormat(get_language(), tz)
    audit.write_csv(entries.iterator(chunk_size=2000), out, fmt=fmt)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    if not policy.can_anywhere(request.user, "audit.view"):
        raise PermissionDenied
    form, entries = _filtered(request, _audit_scope(request.user, "audit.view"))
    if request.GET.get("format") == "csv":
        if not policy.can_anywhere(request.user, "audit.export"):
            raise PermissionDenied
        _form, exportable = _filtered(request, _audit_scope(request.user, "audit.export"))
        return _csv_response(request, exportable, "audit-trail.csv")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    page.object_list = audit_display.present(page.object_list)
    return render(
        request,
        "organizations/audit_list.html",
        {
            "form": form,
            "page": page,
            "can_export": policy.can_anywhere(request.user, "audit.export"),
            "query": request.GET.urlencode(),
        },
    )


@login_required
def object_history(request: HttpRequest, object_type: str, object_id: str) -> HttpResponse:
    """The audit history of one object, newest first (HTML, or CSV with ?format=csv)."""
    right = "audit.export" if request.GET.get("format") == "csv" else "audit.view"
    entries = _audit_scope(request.user, right).filter(object_type=object_type, object_id=object_id)
    if not entries.exists():
        if (
            right == "audit.export"
            and _audit_scope(request.user, "audit.view")
            .filter(object_type=object_type, object_id=object_id)
            .exists()
        ):
            raise PermissionDenied
        raise Http404(_("No history that you may see."))
    if right == "audit.export":
        return _csv_response(request, entries, f"history-{object_type}-{object_id}.csv")
    return render(
        request,
        "organizations/object_history.html",
        {
            "entries": audit_display.present(entries[:500]),
            "object_type": object_type,
            "object_id": object_id,
            "object_label": entries[0].object_label,
            "can_export": _audit_scope(request.user, "audit.export")
            .filter(object_type=object_type, object_id=object_id)
            .exists(),
        },
    )
