"""Signals become cases: grouping, automatic assessment, staff attach/detach/merge, notes,
statements, actions, closing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from prima.crisis import assessment, cases, escalation, streaming, tasks
from prima.crisis.errors import InvalidAction, InvalidInput
from prima.crisis.models import (
    Case,
    CaseEvent,
    CaseStatus,
    Escalation,
    EventKind,
    Signal,
)
from prima.crisis.tests.conftest import NOW, add_mentions, make_issue
from prima.monitoring.models import WatchList
from prima.organizations.models import AuditEntry

pytestmark = pytest.mark.django_db

BURST = NOW + timedelta(minutes=30)


def storm(source, issue=None, watchlist=None, at=BURST, size=8):
    add_mentions(source, at, size, issue=issue, watchlist=watchlist)
    add_mentions(source, at + timedelta(minutes=5), size * 2, issue=issue, watchlist=watchlist)


def tick(at):
    return tasks.run_tick(at)


@pytest.fixture
def started(soetta):
    streaming.ensure_series(soetta.pk, NOW)


def test_a_storm_opens_one_case_with_its_signals_assessment_and_escalation(
    soetta, source, started, head, pr_lead
):
    issue = make_issue(soetta, at=NOW - timedelta(hours=3))
    storm(source, issue=issue)
    result = tick(BURST + timedelta(minutes=6))
    assert result["signals"] >= 2 and result["cases"] == 1
    case = Case.objects.get()
    assert case.signals.count() == Signal.objects.count()
    assert list(case.issues.all()) == [issue]
    assert case.title.startswith("Badai: ")  # Indonesian, from the issue
    assert case.burst_started_at == BURST and case.signal_at == BURST + timedelta(minutes=6)
    first = case.assessments.get()
    assert first.is_automatic and first.config.version == 1
    assert case.level == first.level >= 1
    assert Escalation.objects.filter(case=case, tier=0).exists()
    kinds = list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds[:2] == [EventKind.OPENED, EventKind.SIGNAL]
    assert EventKind.ASSESSMENT in kinds and EventKind.ESCALATION in kinds
    assert AuditEntry.objects.filter(action="crisis.case.open").count() == 1


def test_the_same_storm_later_and_in_other_series_joins_the_case(soetta, source, started):
    issue = make_issue(soetta, at=NOW - timedelta(hours=3))
    storm(source, issue=issue)
    tick(BURST + timedelta(minutes=6))
    # Two hours later the storm flares again on the same issue.
    later = BURST + timedelta(hours=2)
    storm(source, issue=issue, at=later, size=20)
    tick(later + timedelta(minutes=6))
    assert Case.objects.count() == 1
    case = Case.objects.get()
    assert case.signals.filter(bucket_start=later).exists()
    assert case.assessments.count() == 2


def test_an_unrelated_storm_opens_another_case(soetta, source, started):
    queue = make_issue(soetta, "antrean panjang", at=NOW - timedelta(hours=3))
    fee = make_issue(soetta, "hoaks tarif baru", at=NOW - timedelta(hours=3))
    storm(source, issue=queue)
    tick(BURST + timedelta(minutes=6))
    later = BURST + timedelta(hours=3)
    storm(source, issue=fee, at=later, size=30)
    tick(later + timedelta(minutes=6))
    assert Case.objects.count() == 2
    assert {c.title for c in Case.objects.all()} == {
        "Badai: antrean panjang",
        "Badai: hoaks tarif baru",
    }


def test_grouping_twice_does_nothing_twice(soetta, source, started):
    storm(source)
    streaming.advance_office(soetta.pk, BURST + timedelta(minutes=6))
    first = cases.group_pending(BURST + timedelta(minutes=6))
    second = cases.group_pending(BURST + timedelta(minutes=7))
    assert len(set(first)) == 1 and second == []
    assert Case.objects.count() == 1


def test_staff_attach_detach_and_merge(soetta, source, started, pr_staff, pr_lead):
    queue = make_issue(soetta, "antrean panjang", at=NOW - timedelta(hours=3))
    fee = make_issue(soetta, "hoaks tarif", at=NOW - timedelta(hours=3))
    storm(source, issue=queue)
    tick(BURST + timedelta(minutes=6))
    later = BURST + timedelta(hours=3)
    storm(source, issue=fee, at=later, size=30)
    tick(later + timedelta(minutes=6))
    first, second = Case.objects.order_by("pk")
    moved = second.signals.first()
    assert moved is not None
    now = later + timedelta(minutes=10)
    cases.attach_signal(pr_staff, first, moved, now=now)
    assert moved in first.signals.all() and fee in first.issues.all()
    new = cases.detach_signal(pr_staff, first, moved, now=now)
    assert new.signals.get() == moved and new.pk not in (first.pk, second.pk)
    target = cases.merge(pr_lead, first, [second, new], now=now)
    second.refresh_from_db()
    assert second.status == CaseStatus.MERGED and second.merged_into == target
    assert set(target.signals.all()) == set(Signal.objects.all())
    assert not Escalation.objects.filter(
        case=second, acknowledged_at__isnull=True, superseded_at__isnull=True
    ).exists()
    assert {"crisis.signal.attach", "crisis.signal.detach", "crisis.case.merge"} <= set(
        AuditEntry.objects.values_list("action", flat=True)
    )


def test_outsiders_cannot_touch_a_case(soetta, source, started, outsider, spokesperson):
    storm(source)
    tick(BURST + timedelta(minutes=6))
    case = Case.objects.get()
    with pytest.raises(Http404):
        cases.add_note(outsider, case, "halo")
    with pytest.raises(PermissionDenied):
        cases.add_note(spokesperson, case, "catatan")  # may see, may not manage


def test_notes_decisions_statements_and_actions(soetta, source, started, pr_staff, head):
    storm(source)
    tick(BURST + timedelta(minutes=6))
    case = Case.objects.get()
    at = BURST + timedelta(minutes=20)
    cases.add_note(pr_staff, case, "Cek CCTV Terminal 3", now=at)
    cases.add_note(head, case, "Buka konter manual tambahan", decision=True, now=at)
    with pytest.raises(PermissionDenied):
        cases.record_statement(pr_staff, case, text="Klarifikasi")
    cases.record_statement(head, case, text="Pernyataan di Instagram", channel="instagram", now=at)
    case.refresh_from_db()
    assert case.first_statement_at == at
    code = case.actions.first().code
    cases.mark_action(pr_staff, case, code, now=at)
    assert case.actions.get(code=code).is_done
    with pytest.raises(InvalidInput):
        cases.mark_action(pr_staff, case, "dance")
    kinds = set(case.events.values_list("kind", flat=True))
    assert {"note", "decision", "statement", "action"} <= kinds


def test_closing_stops_escalation_and_reopening_restarts_it(soetta, source, started, pr_lead):
    storm(source)
    tick(BURST + timedelta(minutes=6))
    case = Case.objects.get()
    cases.close(pr_lead, case, reason="false_alarm", now=BURST + timedelta(minutes=9))
    assert not Escalation.objects.filter(
        case=case, acknowledged_at__isnull=True, superseded_at__isnull=True
    ).exists()
    cases.add_note(pr_lead, case, "Catatan setelah ditutup")  # the log stays open
    with pytest.raises(InvalidAction):
        cases.close(pr_lead, case, reason="resolved")
    cases.reopen(pr_lead, case, now=BURST + timedelta(minutes=12))
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN and case.escalation_round == 2
    assert Escalation.objects.filter(case=case, round=2, tier=0).exists()


def test_a_case_opened_by_hand_is_assessed_at_once(soetta, source, pr_staff):
    watchlist = WatchList.objects.create(office=soetta, name="Pungli", query="pungli")
    add_mentions(source, NOW - timedelta(minutes=30), 3, watchlist=watchlist)
    case = cases.open_case(
        pr_staff, soetta, title="Video pungli di konter", watchlist_ids=[watchlist.pk], now=NOW
    )
    assert case.created_by == pr_staff and list(case.watchlists.all()) == [watchlist]
    assert case.assessments.get().is_automatic
    assert Escalation.objects.filter(case=case).exists()


def test_staff_assessment_sets_the_level_and_a_higher_level_escalates_again(
    soetta, source, started, pr_staff, pr_lead
):
    storm(source)
    tick(BURST + timedelta(minutes=6))
    case = Case.objects.get()
    at = BURST + timedelta(minutes=8)
    assessment.override(pr_lead, case, level=1, reason="Tampaknya kecil", now=at)
    item = assessment.record(
        pr_staff,
        case,
        category="misconduct",
        interest={"affected": 0.7, "rights": 1, "reputation": 1, "safety": 0, "vulnerable": 0,
                  "political": 0.5},
        context_values={"mainstream": 1.0},
        now=at,
    )  # fmt: skip
    case.refresh_from_db()
    assert case.level == item.level == item.computed_level >= 3
    assert item.factors["mainstream"]["source"] == "staff"
    assert item.cluster == "preventable"
    assert case.escalation_round == 3  # the level rose: the responders are called again
    low = assessment.override(pr_lead, case, level=2, reason="Sudah diklarifikasi", now=at)
    case.refresh_from_db()
    assert low.is_override and case.level == 2
    # Nobody had taken it: the responders of the lower level are called instead.
    waiting = Escalation.objects.get(
        case=case, acknowledged_at__isnull=True, superseded_at__isnull=True
    )
    assert waiting.level == 2 and waiting.round == 4
    # Once acknowledged, lowering the level calls nobody new.
    escalation.acknowledge(pr_lead, case, now=at)
    assessment.override(pr_lead, case, level=1, reason="Mereda", now=at)
    assert not Escalation.objects.filter(
        case=case, acknowledged_at__isnull=True, superseded_at__isnull=True
    ).exists()
    with pytest.raises(PermissionDenied):
        assessment.override(pr_staff, case, level=4, reason="x")
    with pytest.raises(InvalidInput):
        assessment.override(pr_lead, case, level=4, reason="  ")
    assert AuditEntry.objects.filter(action="crisis.override").count() == 3


def test_automatic_assessment_never_lowers_the_level(soetta, source, started, pr_lead):
    storm(source)
    tick(BURST + timedelta(minutes=6))
    case = Case.objects.get()
    assessment.override(pr_lead, case, level=4, reason="Menteri bertanya", now=BURST)
    again = assessment.auto_assess(case, BURST + timedelta(minutes=30))
    assert again.level == 4 and again.computed_level <= 4


def test_the_case_buckets_count_each_mention_in_its_five_minutes(soetta, source, pr_staff):
    from prima.crisis import casedata

    watchlist = WatchList.objects.create(office=soetta, name="Pungli", query="pungli")
    start = NOW - timedelta(minutes=20)  # a bucket start
    for at, n, sentiment, outlet in [
        (start, 2, "negative", ""),
        (start + timedelta(minutes=4, seconds=59, microseconds=999_000), 1, "neutral", ""),
        (start + timedelta(minutes=5), 3, "negative", "Kompas"),
        (start + timedelta(minutes=17, seconds=30), 1, "positive", "Detik"),
    ]:
        add_mentions(
            source, at, n, sentiment=sentiment, outlet=outlet, platform="news" if outlet else
            "twitter", watchlist=watchlist, spread_seconds=0,
        )  # fmt: skip
    case = cases.open_case(pr_staff, soetta, title="Pungli", watchlist_ids=[watchlist.pk], now=NOW)
    found = casedata.case_buckets(case, start - timedelta(hours=1), NOW)
    assert [(b.start, b.total, b.negative, b.outlets) for b in found] == [
        (start, 3, 2, set()),
        (start + timedelta(minutes=5), 3, 3, {"Kompas"}),
        (start + timedelta(minutes=15), 1, 0, {"Detik"}),
    ]
