"""Data-subject requests (UU No. 27/2022): receiving one with its legal deadline, finding
what PRIMA holds about the person, exporting it (JSON, a readable page, PDF), correcting
it, and closing the request. Erasure is in ``privacy.erasure``. Pages, the admin and
commands call these functions; each change writes its audit entry.

Deadlines (``DEADLINES``): the controller answers within 3 × 24 hours —
access and a copy: UU 27/2022 Ps. 32 (2) (also in /work/shared/DOMAIN.md);
correction / update: Ps. 30 (2); ending processing, objection and withdrawal of
consent: Ps. 40-41; erasure and destruction: Ps. 43-44, for which the law sets no
figure of its own here, so the same 3 × 24 hours is used (the office's data-protection
officer must confirm these figures against the law's text; they are settings-free on
purpose: a deadline is the law, not a preference).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from prima.organizations import audit
from prima.organizations.models import AuditEntry, Office, User

from . import subjects
from .request_models import DataSubjectRequest, RequestKind, RequestStatus

HOURS_3X24 = timedelta(hours=72)
DEADLINES: dict[str, timedelta] = {
    RequestKind.ACCESS: HOURS_3X24,  # Ps. 32 (2)
    RequestKind.CORRECTION: HOURS_3X24,  # Ps. 30 (2)
    RequestKind.ERASURE: HOURS_3X24,  # Ps. 43-44 (no own figure: 3 x 24 h as the others)
    RequestKind.OBJECTION: HOURS_3X24,  # Ps. 40-41
}
LEGAL_BASIS: dict[str, str] = {
    RequestKind.ACCESS: "UU 27/2022 Ps. 32",
    RequestKind.CORRECTION: "UU 27/2022 Ps. 30",
    RequestKind.ERASURE: "UU 27/2022 Ps. 43-44",
    RequestKind.OBJECTION: "UU 27/2022 Ps. 40-41",
}
EXPORT_FORMAT = "prima-data-subject-export/1"


def due_at(kind: str, received_at: datetime) -> datetime:
    """When the answer to a request of ``kind`` received at ``received_at`` is due."""
    return received_at + DEADLINES[kind]


def time_left(req: DataSubjectRequest, now: datetime | None = None) -> timedelta:
    """Time until the deadline (negative once it has passed)."""
    return req.due_at - (now or timezone.now())


def receive(
    actor: User,
    office: Office,
    *,
    kind: str,
    subject_kind: str,
    subject_query: str,
    requester: str,
    identification: str,
    requester_contact: str = "",
    details: str = "",
    received_at: datetime | None = None,
) -> DataSubjectRequest:
    """Register a request (audited); its deadline is counted from ``received_at``."""
    received = received_at or timezone.now()
    req = DataSubjectRequest(
        office=office,
        kind=kind,
        subject_kind=subject_kind,
        subject_query=subject_query.strip(),
        requester=requester.strip(),
        requester_contact=requester_contact.strip(),
        identification=identification.strip(),
        details=details,
        received_at=received,
        due_at=due_at(kind, received),
        created_by=actor,
    )
    with audit.tracking(actor, "subjectrequest.create", req):
        req.save()
    return req


def subject_of(req: DataSubjectRequest) -> subjects.Subject:
    return subjects.subject(req.subject_kind, req.subject_query, req.office)


def audit_entries(subj: subjects.Subject) -> list[AuditEntry]:
    """The audit entries of the subject's office subtree (and, for staff, of no office)
    that hold the subject's values."""
    offices = {o.pk for o in subj.office.subtree()}
    texts = [v for v in subj.identifiers if not isinstance(v, subjects.Exact)]
    return [
        e
        for e in audit.entries_holding(texts, exact=subj.exact)
        if e.office_id in offices
        or (e.office_id is None and subj.kind == subjects.SubjectKind.STAFF)
    ]


@dataclass
class Findings:
    """What PRIMA holds about the subject of a request."""

    subject: subjects.Subject
    hits: list[subjects.Hit]
    entries: list[AuditEntry]

    def places(self) -> list[tuple[subjects.Finder, list[subjects.Hit]]]:
        return list(subjects.by_finder(self.hits))

    @property
    def count(self) -> int:
        return len(self.hits) + len(self.entries)


def findings(req: DataSubjectRequest) -> Findings:
    """Run every finder (costs a search of each registered model; see subjects.find)."""
    subj = subject_of(req)
    # The request itself is not "held about" the person: it is this answer's own record.
    hits = [h for h in subjects.find(subj) if h.obj != req]
    return Findings(subj, hits, audit_entries(subj))


def _start(req: DataSubjectRequest, actor: User) -> None:
    if req.status == RequestStatus.RECEIVED:
        req.status = RequestStatus.IN_PROGRESS
        req.handled_by = actor


# --- export ---------------------------------------------------------------------------


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def export_data(req: DataSubjectRequest, found: Findings) -> dict[str, Any]:
    """Everything held about the subject, machine-readable: per place the rows and the
    fields that hold their data, and the audit entries' parts that do (nothing else of
    those entries: who else acted is another person's data)."""
    pattern = found.subject.pattern()
    places = []
    for finder, hits in found.places():
        places.append(
            {
                "place": finder.key,
                "label": finder.label,
                "on_erasure": finder.treatment,
                "why": str(finder.why),
                "records": [
                    {
                        "id": hit.obj.pk,
                        "fields": {
                            name: _jsonable(value) for name, value in finder.exported(hit).items()
                        },
                    }
                    for hit in hits
                ],
            }
        )
    trail = []
    for entry in found.entries:
        parts = audit.parts_holding(entry, pattern, found.subject.exact)
        trail.append(
            {
                "seq": entry.seq,
                "at": entry.at.isoformat(),
                "action": entry.action,
                "object_type": entry.object_type,
                "values": {".".join(p): _jsonable(audit.part_value(entry, p)) for p in parts},
            }
        )
    return {
        "format": EXPORT_FORMAT,
        "generated_at": timezone.now().isoformat(),
        "controller": req.office.name,
        "request": {
            "reference": req.reference,
            "kind": req.kind,
            "legal_basis": LEGAL_BASIS[req.kind],
            "received_at": req.received_at.isoformat(),
            "due_at": req.due_at.isoformat(),
        },
        "subject": {
            "kind": req.subject_kind,
            "identified_as": req.subject_query,
            "identifying_values": list(found.subject.identifiers),
        },
        "places": places,
        "audit_trail": trail,
    }


def export_json(req: DataSubjectRequest, found: Findings) -> str:
    return json.dumps(export_data(req, found), ensure_ascii=False, indent=2, sort_keys=False)


def export_html(req: DataSubjectRequest, found: Findings) -> str:
    """A readable, self-contained page of the export (also what the PDF is made from)."""
    data = export_data(req, found)
    return render_to_string(
        "organizations/privacy/export.html", {"req": req, "data": data, "found": found}
    )


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"the export never fetches {url[:60]!r}")


def export_pdf(req: DataSubjectRequest, found: Findings) -> bytes:
    """The readable page as an A4 PDF (WeasyPrint; nothing is fetched while rendering)."""
    from weasyprint import HTML  # Imported here: loading Pango costs ~0.3 s at start-up.

    try:
        from weasyprint.urls import URLFetcher

        fetcher: Any = URLFetcher(allowed_protocols=set(), fail_on_errors=True)
    except ImportError:
        fetcher = _refuse_fetch
    pdf: bytes = HTML(string=export_html(req, found), url_fetcher=fetcher).write_pdf()
    return pdf


def record_export(req: DataSubjectRequest, actor: User, fmt: str, found: Findings) -> None:
    """Audit an export (the format and how much, not the data) and start the request."""
    with transaction.atomic():
        before = audit.snapshot(req)
        _start(req, actor)
        req.save()
        audit.log(actor, "subjectrequest.update", req, before=before, after=audit.snapshot(req))
        audit.log(
            actor,
            "subjectrequest.export",
            req,
            after={"format": fmt, "records": len(found.hits), "audit_entries": len(found.entries)},
        )


# --- correction -----------------------------------------------------------------------


class CorrectionError(ValueError):
    pass


def correct(req: DataSubjectRequest, actor: User, old: str, new: str) -> dict[str, int]:
    """Replace ``old`` by ``new`` wherever the subject's data holds it (whole words, any
    case); one audit entry per changed row. Returns the number of rows changed per
    place. The audit trail itself is not rewritten: it records what was true then."""
    old, new = old.strip(), new.strip()
    if not old or not new or old == new:
        raise CorrectionError(_("Give the wrong value and the correct one."))
    subj = subject_of(req)
    if old.casefold() not in {v.casefold() for v in subj.identifiers}:
        raise CorrectionError(_("The wrong value must be one of the person's values found."))
    matched = [v for v in subj.identifiers if v.casefold() == old.casefold()]
    old_subject = subjects.Subject(subj.kind, old, tuple(matched), subj.office)
    changed: dict[str, int] = {}
    with transaction.atomic():
        for hit in subjects.find(subj):
            before = audit.snapshot(hit.obj, hit.fields)
            fields = hit.finder.correct(hit, old_subject, new)
            if fields:
                changed[hit.finder.key] = changed.get(hit.finder.key, 0) + 1
                audit.log(
                    actor,
                    "subjectrequest.correct",
                    hit.obj,
                    before=before,
                    after=audit.snapshot(hit.obj, hit.fields),
                    office=req.office,
                )
        before = audit.snapshot(req)
        _start(req, actor)
        if req.subject_query.casefold() == old.casefold():
            req.subject_query = new
        req.result = {**req.result, "corrected": changed}
        req.save()
        audit.log(actor, "subjectrequest.update", req, before=before, after=audit.snapshot(req))
    return changed


# --- closing --------------------------------------------------------------------------


def close(req: DataSubjectRequest, actor: User, *, status: str, outcome: str) -> None:
    """Complete or refuse the request with its outcome (what the person was told)."""
    if status not in (RequestStatus.COMPLETED, RequestStatus.REFUSED):
        raise ValueError(status)
    with audit.tracking(actor, "subjectrequest.close", req):
        req.status = status
        req.outcome = outcome.strip()
        req.handled_by = req.handled_by or actor
        req.completed_at = timezone.now()
        req.save()


def open_requests(office_q: Q) -> Any:
    return DataSubjectRequest.objects.filter(office_q).filter(
        status__in=[RequestStatus.RECEIVED, RequestStatus.IN_PROGRESS]
    )
