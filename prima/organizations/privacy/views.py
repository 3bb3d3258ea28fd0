"""Staff pages on personal data: the record of processing (and its CSV) and the breach
register. Thin: the record comes from :mod:`.record`, breaches from :mod:`.breach`."""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from .. import policy
from ..exports import CsvFormat
from ..models import AuditEntry, Office
from . import record


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
    runs = AuditEntry.objects.filter(action="privacy.retention").order_by("-seq")[:10]
    return render(
        request,
        "organizations/privacy/record.html",
        {
            "office": office,
            "choices": choices,
            "activities": record.build(),
            "controller": record.controller_text(office),
            "runs": runs,
            "can_view_breaches": policy.can(request.user, "breach.view", office),
        },
    )


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
