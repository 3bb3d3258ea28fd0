"""Keep a conference's provable checklist items in step with what PRIMA recorded.

Called by the workflow after every change it makes to a conference, inside the change's
transaction and before its audit entry is written, which then records the items changed
with the rest (see ``base._log``: one entry per change). See
:mod:`prima.conferences.proofs` for which items complete themselves and why.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import F
from django.utils import timezone

from ..models import ChecklistItem, Conference, Status
from ..proofs import PROOFS, Record


def _state(item: ChecklistItem) -> dict:
    return {
        "code": item.code,
        "done_at": item.done_at.isoformat() if item.done_at else None,
        "done_automatically": item.done_automatically,
    }


def sync_checklist(
    conference: Conference | int, touched: set[str] | None = None
) -> tuple[dict, dict]:
    """Complete the open provable items whose proof holds and reopen those completed
    automatically whose proof no longer holds; items ticked by hand stay as they are.
    ``touched`` limits the checks to those that read the record parts a change touched
    (see ``proofs.touched_parts``; None: all).

    Returns (before, after) of the items changed, keyed ``checklistitem:<pk>``, for the
    audit entry of the change that caused it. Must run inside that change's transaction.
    Costs two queries, plus one per record part the checks read."""
    pk = conference.pk if isinstance(conference, Conference) else conference
    conf = Conference.objects.select_related("office").get(pk=pk)
    if conf.status != Status.ACTIVE:
        return {}, {}
    codes = [c for c, rule in PROOFS.items() if touched is None or rule.reads & touched]
    if not codes:
        return {}, {}
    candidates = [
        item
        for item in conf.checklist_items.filter(code__in=codes)
        if not item.is_done or item.done_automatically
    ]
    if not candidates:
        return {}, {}
    record = Record(conf)
    now = timezone.now()
    before: dict[str, dict] = {}
    after: dict[str, dict] = {}
    for item in candidates:
        proof = PROOFS[item.code].check(record)
        key = f"checklistitem:{item.pk}"
        if proof.holds and not item.is_done:
            before[key] = _state(item)
            done_at: datetime = min(proof.at, now) if proof.at else now
            item.done_at, item.done_by, item.done_automatically = done_at, None, True
        elif not proof.holds and item.done_automatically:
            before[key] = _state(item)
            item.done_at, item.done_by, item.done_automatically = None, None, False
        else:
            continue
        # A new version: a form showing the old state is now stale.
        ChecklistItem.objects.filter(pk=item.pk).update(
            done_at=item.done_at,
            done_by=None,
            done_automatically=item.done_automatically,
            version=F("version") + 1,
        )
        item.version += 1
        after[key] = _state(item) | {"proof": proof.text}
    return before, after
