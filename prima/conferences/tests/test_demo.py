"""The demo loader runs the real workflow: every conference type and stage, a missed
crisis deadline, an exercise, and an intact audit trail."""

from __future__ import annotations

from django.utils import timezone

from prima.conferences import workflow
from prima.conferences.demo import load_conferences
from prima.conferences.models import (
    ChecklistItem,
    Conference,
    ConferenceType,
    Delegation,
    Invitation,
    Spokesperson,
    Stage,
    Status,
)
from prima.conferences.proofs import PROOFS
from prima.organizations import audit
from prima.organizations.demo import load_organizations


def test_the_demo_loads_conferences_through_the_workflow(db, settings):
    settings.DEBUG = True
    load_organizations(lambda _msg: None)
    load_conferences(lambda _msg: None)
    conferences = Conference.objects.all()
    assert {c.type for c in conferences} == set(ConferenceType.values)
    assert {c.stage for c in conferences} >= {
        Stage.INFORMATION,
        Stage.MATERIAL,
        Stage.SPOKESPERSON,
        Stage.EVALUATION,
        Stage.CLOSED,
    }
    assert conferences.filter(is_exercise=True).count() == 1
    assert conferences.filter(status=Status.CANCELLED).exclude(cancel_reason="").count() == 1
    now = timezone.now()
    crisis = conferences.get(type=ConferenceType.CRISIS, is_exercise=False)
    assert [d.code for d in workflow.deadlines(crisis, now=now) if d.is_missed] == [
        "holding_statement"
    ]
    assert Spokesperson.objects.filter(valid_until__lt=now.date()).count() == 1
    assert Delegation.objects.count() == 2
    assert Invitation.objects.filter(channel="email", email_status="pending").count() == 2
    # Items that the recorded facts prove ticked themselves; people ticked only the others.
    items = ChecklistItem.objects.filter(done_at__isnull=False)
    assert items.filter(done_automatically=True).count() >= 40
    assert not items.filter(code__in=list(PROOFS), done_automatically=False).exists()
    assert audit.verify() == []
    assert audit.history(crisis).count() > 10
    load_conferences(lambda _msg: None)  # a second run adds nothing
    assert Conference.objects.count() == conferences.count()
