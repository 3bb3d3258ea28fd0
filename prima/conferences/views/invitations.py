"""Invitations: the journalist's RSVP page (no log-in, a personal signed link), sending an
invitation e-mail again, and signing in journalists from the confirmed list."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from prima.lib import dates
from prima.organizations.http import AuthenticatedHttpRequest

from .. import workflow
from ..models import Invitation
from ..workflow import RsvpLinkError, WorkflowError
from .base import get_conference, get_part
from .detail import apply_change


@never_cache
@require_http_methods(["GET", "POST"])
def rsvp(request: HttpRequest, token: str) -> HttpResponse:
    """The page a journalist opens from the invitation: the conference, their answer, and
    "I will attend" / "I cannot attend". Public: the signed token is the key."""
    try:
        invitation = workflow.invitation_for_token(token)
    except RsvpLinkError as exc:
        return render(
            request, "conferences/rsvp.html", {"error": exc.message}, status=exc.status_code
        )
    message, status = "", 200
    if request.method == "POST":
        answer = request.POST.get("answer")
        if answer not in ("yes", "no"):
            message, status = _("Choose one of the two answers."), 400
        else:
            try:
                invitation = workflow.record_rsvp(token, attending=answer == "yes")
            except WorkflowError as exc:
                message, status = exc.message, exc.status_code
            else:
                message = (
                    _("Thank you: your attendance is recorded.")
                    if answer == "yes"
                    else _("Thank you for letting us know.")
                )
    conference = invitation.conference
    response = render(
        request,
        "conferences/rsvp.html",
        {
            "invitation": invitation,
            "conference": conference,
            "contact": invitation.contact,
            "tz": conference.office.timezone or dates.DEFAULT_TZ,
            "closed": workflow.rsvp_closed(conference, timezone.now()),
            "message": message,
        },
        status=status,
    )
    # The token is in the address: never send it on to another site ("no-referrer" would
    # make browsers send "Origin: null" with the form, which CSRF checks refuse).
    response["Referrer-Policy"] = "same-origin"
    return response


@login_required
@require_POST
def invitation_resend(
    request: AuthenticatedHttpRequest, pk: int, invitation_pk: int
) -> HttpResponse:
    conference = get_conference(request, pk, "conference.edit")
    invitation = get_part(Invitation, conference, invitation_pk)
    return apply_change(
        request,
        conference,
        "planning",
        lambda d: workflow.resend_invitation_email(request.user, invitation),
        _("The invitation e-mail will be sent again: %(who)s") % {"who": invitation.contact},
    )


@login_required
@require_POST
def attendance_sign_in(
    request: AuthenticatedHttpRequest, pk: int, invitation_pk: int
) -> HttpResponse:
    conference = get_conference(request, pk, "conference.edit")
    invitation = get_part(Invitation, conference, invitation_pk)
    return apply_change(
        request,
        conference,
        "execution",
        lambda d: workflow.sign_in_invitee(request.user, invitation),
        _("Signed in: %(who)s") % {"who": invitation.contact},
    )
