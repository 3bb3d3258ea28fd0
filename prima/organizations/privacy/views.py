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
from . import record, tasks
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
            "can_view_breaches": policy.can(request.user, "breach.view", office),
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
            if isinstance(row, dict)
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
