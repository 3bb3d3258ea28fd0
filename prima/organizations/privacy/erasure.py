"""Erasing a data subject's data (UU No. 27/2022 Ps. 43-44) where the law allows.

Each finder decides what erasure does in its rows (``subjects.Treatment``): delete the
row, or pseudonymise it where the record must be kept (a public-task record such as a
conference's attendance list or a published release). Then the person's values are
erased from the audit trail (``audit.redact``: the chain still verifies) and from the
request itself. What was done is recorded as counts per place, never the values.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from prima.organizations import audit
from prima.organizations.models import User

from . import subjects
from .request_models import DataSubjectRequest, RequestKind, RequestStatus
from .requests import subject_of


class ErasureRefused(Exception):
    pass


def erase(req: DataSubjectRequest, actor: User, *, outcome: str = "") -> dict[str, object]:
    """Erase or pseudonymise everything held about the request's subject, in one
    transaction (stored files are deleted once it commits), and complete the request.
    Returns what was done: rows per place and treatment, audit entries erased."""
    if req.kind != RequestKind.ERASURE:
        raise ErasureRefused("only an erasure request erases")
    if not req.is_open:
        raise ErasureRefused("the request is closed")
    subj = subject_of(req)
    if not subj.identifiers:
        raise ErasureRefused("nothing identifies the person")
    pseudonym = req.pseudonym
    done: dict[str, dict[str, int]] = {}
    with transaction.atomic():
        # Everything is found first (what the page showed), then changed: a deletion must
        # not hide a row from a later finder (an account found through its roles).
        found = [(finder, finder.find(subj)) for finder in subjects.finders()]
        for finder, hits in found:
            for hit in hits:
                finder.erase(hit, subj, pseudonym)
                counts = done.setdefault(finder.key, {})
                counts[finder.treatment] = counts.get(finder.treatment, 0) + 1
        # The request's own copy of who the person is goes too; it keeps the pseudonym.
        values = [v for v in subj.identifiers if not isinstance(v, subjects.Exact)]
        values += [req.requester]
        if req.subject_query.casefold() not in subj.exact:
            values.append(req.subject_query)
        values += [req.requester_contact] if req.requester_contact else []
        DataSubjectRequest.objects.filter(pk=req.pk).update(
            subject_query=pseudonym,
            requester=pseudonym,
            requester_contact="",
            details=subj.replace(req.details, pseudonym),
        )
        req.refresh_from_db()
        req.status = RequestStatus.COMPLETED
        req.handled_by = req.handled_by or actor
        req.completed_at = timezone.now()
        req.outcome = outcome.strip()
        result = {"erased": done}
        req.result = {**req.result, **result}
        req.save()
        redaction = audit.redact(
            actor,
            values,
            exact=subj.exact,
            reason=f"{req.reference}",
            object_type=req._meta.label_lower,
            object_id=str(req.pk),
            office=req.office,
        )
        req.result = {**req.result, "audit_entries_erased": len(redaction.redacted)}
        if redaction.refused:
            req.result["audit_entries_not_erasable"] = redaction.refused
        req.save()
        audit.log(
            actor,
            "subjectrequest.erase",
            req,
            after={"status": req.status, "result": req.result},
        )
    result_done: dict[str, object] = req.result
    return result_done
