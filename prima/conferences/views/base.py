"""Helpers shared by the conference views: fetching through the policy, htmx detection,
form errors from workflow refusals."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from prima.lib import dates
from prima.organizations import policy
from prima.organizations.http import AuthenticatedHttpRequest

from .. import workflow
from ..models import (
    Conference,
    MaterialKind,
    Stage,
)
from ..workflow import WorkflowError

PAGE_SIZE = 25
# What the conference pages keep for a few seconds (CONFERENCE_DETAIL_CACHE_SECONDS): a
# person's detail page (their rights, what they wrote, their forms) and API detail, and
# what the pre-approval checks hold against a version. Every audited change of what they
# show (see apps.py) drops all of it, so nobody sees a state older than their own last
# change; changes made without an audit entry (an e-mail's delivery status, time passing)
# show within those seconds.
CACHE = "conferences.detail"
PANELS = [s.value for s in Stage if s != Stage.CLOSED]


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def get_conference(
    request: AuthenticatedHttpRequest, pk: int, action: str = "conference.view"
) -> Conference:
    """The conference, or 404 for those who may not see it, 403 for those who may see it but
    not perform ``action``."""
    queryset = Conference.objects.select_related("office", "created_by", "cancelled_by")
    return policy.get_for(request.user, action, queryset, pk=pk)


def get_part(model, conference: Conference, pk: int, **lookup):
    """A row belonging to ``conference`` (404 if it belongs to another)."""
    return get_object_or_404(model, conference=conference, pk=pk, **lookup)


def posted_version(form) -> int | None:
    data = getattr(form, "cleaned_data", None) or {}
    return data.get("version")


def office_tz(conference: Conference) -> str:
    return conference.office.timezone or dates.DEFAULT_TZ


def language() -> str:
    from django.utils.translation import get_language

    return get_language() or "id"


def form_error(form, exc: WorkflowError) -> None:
    field = exc.field if exc.field in form.fields else None
    if field == "items" and "message_1" in form.fields:
        field = None
    form.add_error(field, exc.message)


def quiet(exc: WorkflowError) -> WorkflowError:
    """The same status, without a panel-wide message (it is shown at the field or row)."""
    quiet = WorkflowError("")
    quiet.status_code = exc.status_code
    quiet.message = ""
    return quiet


def material_kind(kind: str) -> str:
    """The kind from the URL, or 404."""
    if kind not in MaterialKind.values:
        raise Http404
    return kind


def annotate_invitations(conference: Conference, invitations: list, attendance: list) -> list:
    """Give each invitation its RSVP link, its WhatsApp text and chat link (for PR staff to
    copy or open) and return the confirmed ones not signed in yet (the reception's list).
    No query: ``invitations`` carry their contact and inviter."""
    signed_in = {a.contact_id for a in attendance if a.contact_id}
    for invitation in invitations:
        invitation.conference = conference
        invitation.rsvp_link = workflow.rsvp_url(invitation)
        invitation.whatsapp_text = workflow.invitation_text(invitation)
        invitation.whatsapp_link = workflow.whatsapp_url(invitation)
        invitation.signed_in = invitation.contact_id in signed_in
    return [i for i in invitations if i.confirmed_at and not i.signed_in]
