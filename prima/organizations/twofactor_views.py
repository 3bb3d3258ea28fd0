"""Pages of two-step verification: the second step of signing in (and enrolment during
sign-in for those whose role requires it), re-authentication, a person's own settings,
and an administrator's reset of a lost factor.

Between the password and the second factor the session holds only a *pending* sign-in
(the user's id, for ``PENDING_MINUTES``): the person is not logged in, so no page but the
second step opens. ``login()`` is called only when both steps are done.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import audit, policy, reauth, twofactor
from .forms import CodeForm, PasswordConfirmForm, ResetTwoFactorForm
from .http import AuthenticatedHttpRequest
from .middleware import client_ip
from .models import User

PENDING_KEY = "prima_2fa_pending"
SETUP_KEY = "prima_2fa_setup_secret"
PENDING_MINUTES = 10


# --- The pending sign-in -----------------------------------------------------------------


def start_pending(request: HttpRequest, user: User, next_url: str) -> HttpResponse:
    """After a correct password: remember who is signing in and ask for the second
    factor (or send them to enrolment when their role requires one they lack)."""
    request.session.cycle_key()
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[0]),
        "at": int(time.time()),
        "next": next_url,
    }
    return redirect("login-code" if twofactor.has_device(user) else "login-setup")


def needs_second_step(user: User) -> bool:
    return twofactor.has_device(user) or twofactor.is_required(user)


def _pending(request: HttpRequest) -> tuple[User, dict[str, Any]] | None:
    data = request.session.get(PENDING_KEY)
    if not isinstance(data, dict) or time.time() - data.get("at", 0) > PENDING_MINUTES * 60:
        return None
    user_id = data.get("user")
    if not isinstance(user_id, int):
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    return (user, data) if user is not None else None


def _complete(request: HttpRequest, user: User, data: dict[str, Any]) -> str:
    """Log the person in (both steps done); returns where to go next."""
    request.session.pop(PENDING_KEY, None)
    request.session.pop(SETUP_KEY, None)
    auth_login(request, user, backend=data["backend"])
    reauth.mark_fresh(request)
    next_url = str(data.get("next") or "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse(settings.LOGIN_REDIRECT_URL)
    return next_url


def _check_code(
    request: HttpRequest, user: User, form: CodeForm, context: str
) -> twofactor.Check | None:
    """Verify the form's code; on refusal the form carries the error."""
    if not form.is_valid():
        return None
    result = twofactor.verify(
        user, form.cleaned_data["code"], ip=client_ip(request), context=context
    )
    if result.locked:
        form.add_error(
            None,
            _(
                "Too many wrong codes. Signing in is locked for %(minutes)s minutes; "
                "ask your administrator if you lost your phone."
            )
            % {"minutes": settings.LOGIN_LOCKOUT_MINUTES},
        )
    elif not result.ok:
        form.add_error("code", _("That code is not right (or was already used). Try the next one."))
    return result


def _recovery_notice(request: HttpRequest, user: User) -> None:
    left = twofactor.recovery_codes_left(user)
    messages.warning(
        request,
        _(
            "You signed in with a recovery code; %(left)s left. If your phone is lost, set "
            "up two-step verification again on a new phone."
        )
        % {"left": left},
    )


def login_code(request: HttpRequest) -> HttpResponse:
    """Second step of signing in: the code from the authenticator app (or a recovery
    code)."""
    pending = _pending(request)
    if pending is None:
        return redirect("login")
    user, data = pending
    if not twofactor.has_device(user):
        return redirect("login-setup")
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        result = _check_code(request, user, form, "login")
        if result is not None and result.ok:
            next_url = _complete(request, user, data)
            if result.method == "recovery":
                _recovery_notice(request, user)
            return redirect(next_url)
        if result is not None and result.locked:
            request.session.pop(PENDING_KEY, None)
    return render(request, "organizations/login_code.html", {"form": form, "person": user})


def _setup_secret(request: HttpRequest) -> str:
    secret = request.session.get(SETUP_KEY)
    if not isinstance(secret, str):
        secret = twofactor.new_secret()
        request.session[SETUP_KEY] = secret
    return secret


def _setup_context(user: User, secret: str, form: CodeForm) -> dict[str, Any]:
    uri = twofactor.provisioning_uri(user, secret)
    return {
        "form": form,
        "person": user,
        "qr_svg": twofactor.qr_svg(uri),
        "secret": twofactor.formatted_secret(secret),
        "issuer": settings.TWOFACTOR_ISSUER,
    }


def _enrol(request: HttpRequest, user: User, form: CodeForm, secret: str) -> list[str] | None:
    if not form.is_valid():
        return None
    try:
        return twofactor.enrol(user, secret, form.cleaned_data["code"])
    except twofactor.TwoFactorError as exc:
        form.add_error("code", str(exc))
        return None


def login_setup(request: HttpRequest) -> HttpResponse:
    """Enrolment during sign-in, for a person whose role requires two-step verification
    and who has none yet: nothing else opens until it is done."""
    pending = _pending(request)
    if pending is None:
        return redirect("login")
    user, data = pending
    if twofactor.has_device(user):
        return redirect("login-code")
    secret = _setup_secret(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        codes = _enrol(request, user, form, secret)
        if codes is not None:
            next_url = _complete(request, user, data)
            return render(
                request,
                "organizations/twofactor_codes.html",
                {"codes": codes, "next_url": next_url, "just_enrolled": True},
            )
    context = _setup_context(user, secret, form)
    context["during_login"] = True
    return render(request, "organizations/twofactor_setup.html", context)


# --- Re-authentication -------------------------------------------------------------------


def _next_url(request: HttpRequest) -> str:
    url = str(request.POST.get("next") or request.GET.get("next") or "")
    if url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse(settings.LOGIN_REDIRECT_URL)


@login_required
def reauth_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Confirm it is you: the second factor, or the password for people without one."""
    user = request.user
    has_device = twofactor.has_device(user)
    form: CodeForm | PasswordConfirmForm
    form = (
        CodeForm(request.POST or None) if has_device else PasswordConfirmForm(request.POST or None)
    )
    if request.method == "POST":
        ok, method = False, ""
        if isinstance(form, CodeForm):
            result = _check_code(request, user, form, "reauth")
            ok, method = bool(result and result.ok), (result.method or "") if result else ""
            if result is not None and result.ok and result.method == "recovery":
                _recovery_notice(request, user)
        elif form.is_valid():
            # Through the log-in backend: the same lock-out, and a failure is audited.
            checked = authenticate(
                request, username=user.get_username(), password=form.cleaned_data["password"]
            )
            ok, method = checked is not None and checked.pk == user.pk, "password"
            if not ok:
                form.add_error("password", _("The password is wrong."))
        if ok:
            reauth.mark_fresh(request)
            with transaction.atomic():
                audit.log(
                    user,
                    "auth.reauth",
                    user,
                    ip=client_ip(request),
                    after={"method": method},
                    office=user.office,
                )
            return redirect(_next_url(request))
    return render(
        request,
        "organizations/reauth.html",
        {
            "form": form,
            "has_device": has_device,
            "next": _next_url(request),
            "minutes": settings.REAUTH_MINUTES,
        },
    )


# --- A person's own settings -------------------------------------------------------------


@login_required
def settings_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "organizations/twofactor_settings.html",
        {
            "device": twofactor.device_of(user),
            "codes_left": twofactor.recovery_codes_left(user),
            "required": twofactor.is_required(user),
        },
    )


def _setup_page(request: HttpRequest, user: User) -> HttpResponse:
    secret = _setup_secret(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        codes = _enrol(request, user, form, secret)
        if codes is not None:
            request.session.pop(SETUP_KEY, None)
            reauth.mark_fresh(request)
            return render(
                request,
                "organizations/twofactor_codes.html",
                {"codes": codes, "next_url": reverse("twofactor"), "just_enrolled": True},
            )
    return render(request, "organizations/twofactor_setup.html", _setup_context(user, secret, form))


@login_required
def setup(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Enrol an authenticator app (re-enrolling a new phone needs a fresh session)."""
    user = request.user
    if twofactor.has_device(user) and not reauth.is_fresh(request):
        return reauth.redirect_to_reauth(request)
    return _setup_page(request, user)


@login_required
@require_POST
@reauth.require_recent_auth
def disable(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    try:
        twofactor.disable(user)
    except twofactor.TwoFactorError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Two-step verification is off."))
    return redirect("twofactor")


@login_required
@require_POST
@reauth.require_recent_auth
def regenerate_codes(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    try:
        codes = twofactor.regenerate_recovery_codes(user)
    except twofactor.TwoFactorError as exc:
        messages.error(request, str(exc))
        return redirect("twofactor")
    return render(
        request,
        "organizations/twofactor_codes.html",
        {"codes": codes, "next_url": reverse("twofactor"), "just_enrolled": False},
    )


# --- Administrator reset -----------------------------------------------------------------


@login_required
@reauth.require_recent_auth
def reset(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    """An administrator resets a person's lost second factor, with the reason."""
    target = get_object_or_404(User, pk=user_id)
    if target.office is None:
        if not policy.can_at_top(request.user, "twofactor.reset"):
            raise Http404
    else:
        policy.check(request.user, "twofactor.reset", target)
    if target.pk == request.user.pk:
        raise PermissionDenied
    form = ResetTwoFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        twofactor.reset(request.user, target, reason=form.cleaned_data["reason"])
        messages.success(
            request,
            _(
                "The second factor of %(person)s is reset: they set it up again at their "
                "next sign-in."
            )
            % {"person": target},
        )
        return redirect("twofactor-reset", user_id=target.pk)
    return render(
        request,
        "organizations/twofactor_reset.html",
        {
            "form": form,
            "person": target,
            "device": twofactor.device_of(target),
            "codes_left": twofactor.recovery_codes_left(target),
            "required": twofactor.is_required(target),
        },
    )


def admin_login(request: HttpRequest) -> HttpResponse:
    """``/admin/login/``: the admin's own form would skip the second factor, so visitors
    go to PRIMA's sign-in; a signed-in person whom the admin sent here may not enter it
    (403, where a redirect would loop back to the admin)."""
    if request.user.is_authenticated:
        raise PermissionDenied
    query = request.META.get("QUERY_STRING", "")
    return redirect(reverse("login") + (f"?{query}" if query else ""))
