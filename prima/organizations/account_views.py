"""Pages of the account lifecycle: people per office, invitations, one's own sessions,
password reset. Thin: each action is a function of :mod:`prima.organizations.accounts`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Max, Prefetch
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import accounts, policy, reauth, twofactor
from .account_forms import AcceptInvitationForm, InviteForm, ReasonForm, ResetRequestForm
from .middleware import client_ip
from .models import ApiToken, Invitation, Membership, Office, User

DEACTIVATED = gettext_lazy(
    "%(name)s is deactivated: %(sessions)s sessions ended, %(tokens)s API tokens revoked."
)
RESET_SENT = gettext_lazy(
    "The password of %(name)s no longer works; a link to choose a new one went to %(email)s."
)


def _person(request: HttpRequest, pk: int, action: str = "user.view") -> User:
    user = User.objects.select_related("office").filter(pk=pk).first()
    if user is None:
        raise Http404
    accounts.check_user(request.user, action, user)
    return user


def _me(request: HttpRequest) -> User:
    return accounts.acting_user(request)


@login_required
def people_list(request: HttpRequest) -> HttpResponse:
    if not policy.can_anywhere(request.user, "user.view"):
        raise PermissionDenied
    offices = policy.offices(request.user, "user.view").filter(is_active=True)
    office: Office | None = None
    found = accounts.people(request.user)
    if request.GET.get("office", "").isdigit():
        office = offices.filter(pk=int(request.GET["office"])).first()
        if office is not None:
            found = found.filter(office=office)
    status = request.GET.get("status", "active")
    if status == "active":
        found = found.filter(is_active=True)
    elif status == "inactive":
        found = found.filter(is_active=False)
    found = found.prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("office"))
    ).order_by("office__path", "full_name", "username")
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    can_invite = policy.can_anywhere(request.user, "user.invite")
    return render(
        request,
        "organizations/people_list.html",
        {
            "page": page,
            "offices": offices,
            "office": office,
            "status": status,
            "can_invite": can_invite,
            "invitations": accounts.pending_invitations(request.user)[:50] if can_invite else [],
        },
    )


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    me = request.user

    def may(action: str) -> bool:
        if person.office is None:
            return policy.can_at_top(me, action)
        return policy.can(me, action, person.office)

    can = {
        "deactivate": may("user.deactivate") and person.pk != me.pk,
        "reset_password": may("user.reset_password") and person.is_active,
        "end_sessions": may("user.end_sessions"),
        "audit": may("audit.view"),
        "admin": policy.may_administer(me) and may("user.manage"),
        "reset_2fa": may("twofactor.reset") and person.pk != me.pk,
    }
    return render(
        request,
        "organizations/person_detail.html",
        {
            "person": person,
            "memberships": person.memberships.select_related("office").order_by("office__path"),
            "sessions": accounts.active_sessions(person) if can["end_sessions"] else None,
            "tokens": ApiToken.objects.filter(user=person, revoked_at__isnull=True).count(),
            "last_seen": person.sessions.aggregate(last=Max("last_seen_at"))["last"],
            "can": can,
            "has_second_factor": twofactor.has_device(person),
            "deactivation": None if person.is_active else accounts.last_deactivation(person),
            "reason_form": ReasonForm(),
        },
    )


def _done(request: HttpRequest, person: User) -> HttpResponseRedirect:
    return redirect("person-detail", pk=person.pk)


@login_required
@require_POST
def person_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk, "user.deactivate")
    if not reauth.is_fresh(request):
        return reauth.redirect_to_reauth(request)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        sessions, tokens = accounts.deactivate(_me(request), person, reason=reason)
    except accounts.AccountError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            DEACTIVATED % {"name": person, "sessions": sessions, "tokens": tokens},
        )
    return _done(request, person)


@login_required
@require_POST
def person_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk, "user.deactivate")
    if not reauth.is_fresh(request):
        return reauth.redirect_to_reauth(request)
    try:
        accounts.reactivate(_me(request), person)
    except accounts.AccountError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(name)s can sign in again.") % {"name": person})
    return _done(request, person)


@login_required
@require_POST
def person_reset_password(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk, "user.reset_password")
    if not reauth.is_fresh(request):
        return reauth.redirect_to_reauth(request)
    try:
        accounts.reset_password_by_admin(_me(request), person)
    except accounts.AccountError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            RESET_SENT % {"name": person, "email": person.email},
        )
    return _done(request, person)


@login_required
@require_POST
def person_end_sessions(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk, "user.end_sessions")
    if not reauth.is_fresh(request):
        return reauth.redirect_to_reauth(request)
    count = accounts.end_sessions(_me(request), person)
    messages.success(request, _("%(count)s sessions ended.") % {"count": count})
    return _done(request, person)


@login_required
def invite(request: HttpRequest) -> HttpResponse:
    if not policy.can_anywhere(request.user, "user.invite"):
        raise PermissionDenied
    form = InviteForm(request.POST or None, user=request.user)
    if request.method == "POST" and not reauth.is_fresh(request):
        return reauth.redirect_to_reauth(request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation, sent = accounts.invite(
                _me(request),
                email=data["email"],
                office=data["office"],
                role=data["role"],
                full_name=data["full_name"],
            )
        except accounts.AccountError as error:
            form.add_error(error.field, error.message)
        else:
            if sent:
                messages.success(
                    request,
                    _("Invitation sent to %(email)s.") % {"email": invitation.email},
                )
            else:
                messages.error(
                    request,
                    _(
                        "The invitation was saved but the e-mail to %(email)s could not be sent; "
                        "check the mail settings and invite again."
                    )
                    % {"email": invitation.email},
                )
            return redirect("people-list")
    return render(request, "organizations/invite.html", {"form": form})


@login_required
@require_POST
def invitation_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = policy.get_for(request.user, "user.invite", Invitation, pk=pk)
    try:
        accounts.withdraw_invitation(_me(request), invitation)
    except accounts.AccountError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Invitation withdrawn."))
    return redirect("people-list")


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Public: the invited person chooses a user name and a password (once)."""
    invitation = accounts.open_invitation(token)
    if invitation is None:
        return render(request, "organizations/invitation_invalid.html", status=410)
    form = AcceptInvitationForm(
        request.POST or None, email=invitation.email, initial={"full_name": invitation.full_name}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            accounts.accept_invitation(
                token,
                username=data["username"],
                full_name=data["full_name"],
                password=data["password1"],
            )
        except accounts.AccountError as error:
            if error.field is None:
                return render(request, "organizations/invitation_invalid.html", status=410)
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("Your account is ready: sign in with your new password."))
            return redirect("login")
    response = render(
        request, "organizations/invitation_accept.html", {"form": form, "invitation": invitation}
    )
    response["Referrer-Policy"] = "no-referrer"  # the token is in the address
    return response


@login_required
def my_sessions(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    return render(
        request,
        "organizations/my_sessions.html",
        {
            "sessions": accounts.active_sessions(me),
            "current_key": request.session.session_key,
        },
    )


@login_required
@require_POST
def my_session_end(request: HttpRequest, pk: int) -> HttpResponse:
    accounts.end_session(_me(request), _me(request), pk)
    messages.success(request, _("The session has ended."))
    return redirect("my-sessions")


@login_required
@require_POST
def my_sessions_end_others(request: HttpRequest) -> HttpResponse:
    count = accounts.end_sessions(_me(request), _me(request), keep=request.session.session_key)
    messages.success(request, _("Signed out of %(count)s other sessions.") % {"count": count})
    return redirect("my-sessions")


class PasswordResetView(auth_views.PasswordResetView):
    """Django's page; what happens on submit is the same for every address."""

    form_class = ResetRequestForm
    template_name = "organizations/password_reset_form.html"
    success_url = reverse_lazy("password-reset-done")

    def form_valid(self, form: Any) -> HttpResponse:
        accounts.request_password_reset(form.cleaned_data["email"], ip=client_ip(self.request))
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "organizations/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "organizations/password_reset_confirm.html"
    success_url = reverse_lazy("password-reset-complete")

    def form_valid(self, form: Any) -> HttpResponse:
        with transaction.atomic():
            response = super().form_valid(form)
            accounts.password_reset_completed(form.user, ip=client_ip(self.request))
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "organizations/password_reset_complete.html"
