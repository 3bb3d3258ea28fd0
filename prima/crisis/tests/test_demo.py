"""The crisis demo: the monitoring demo's storm raises a real signal through the shipped
detector and becomes a Tinggi case with its escalation; a closed hoax case with its
published clarification; a drill ready to start."""

from __future__ import annotations

import pytest

from prima.crisis.demo import DRILL_NAME, load_crisis
from prima.crisis.models import (
    Case,
    CaseStatus,
    Clarification,
    Drill,
    DrillStatus,
    Escalation,
    Notification,
    SeriesKind,
)
from prima.monitoring.demo import load_monitoring
from prima.organizations.demo import load_organizations
from prima.organizations.models import User

pytestmark = pytest.mark.django_db


def test_the_demo_storm_is_a_tinggi_case_raised_by_the_real_detector(settings, real_detector):
    settings.DEBUG = True
    lines: list[str] = []
    load_organizations(lines.append)
    load_monitoring(lines.append)
    load_crisis(lines.append)

    storm = Case.objects.get(status=CaseStatus.OPEN, is_exercise=False)
    assert storm.level == 3, lines
    assert "autogate" in storm.title.lower() or "antre" in storm.title.lower()
    signal = storm.signals.order_by("bucket_start").first()
    assert signal.series.kind in (SeriesKind.OFFICE, SeriesKind.NEGATIVE, SeriesKind.ISSUE)
    assert signal.value >= settings.CRISIS_SIGNAL_MIN_MENTIONS
    assert storm.assessments.filter(is_automatic=False, assessed_by__username="humas").exists()
    waiting = Escalation.objects.filter(
        case=storm, round=storm.escalation_round, acknowledged_at__isnull=True,
        superseded_at__isnull=True,
    )  # fmt: skip
    assert waiting.exists()
    head = User.objects.get(username="kakanim")
    assert Notification.objects.filter(case=storm, recipient=head, channel="in_app").exists()
    assert Notification.objects.filter(case=storm, recipient=head, channel="email",
                                       sent_at__isnull=False).exists()  # fmt: skip

    hoax = Case.objects.get(status=CaseStatus.CLOSED)
    assert hoax.category == "hoax" and hoax.acknowledged_at and hoax.first_statement_at
    assert list(Clarification.objects.public()) == list(hoax.clarifications.all())

    drill = Drill.objects.get(name=DRILL_NAME)
    assert drill.status == DrillStatus.READY

    load_crisis(lines.append)  # idempotent
    assert "already loaded" in lines[-1]
    assert Case.objects.count() == 2
