"""Clarifications (the hoax register), drills, response figures and configuration
versions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from prima.crisis import (
    assessment,
    cases,
    clarifications,
    config,
    configs,
    drills,
    metrics,
    streaming,
    tasks,
)
from prima.crisis.errors import FourEyesError, InvalidAction, InvalidInput
from prima.crisis.models import (
    Case,
    Clarification,
    ClarificationStatus,
    CrisisConfig,
    Drill,
    DrillStatus,
)
from prima.crisis.tests.conftest import NOW, add_mentions, make_issue
from prima.organizations.models import AuditEntry

pytestmark = pytest.mark.django_db
CLAIM: dict[str, Any] = {
    "title": "Tidak ada tarif baru di bandara",
    "claim": "Mulai bulan depan ada biaya Rp500.000 di pemeriksaan imigrasi.",
    "facts": "Pemeriksaan keimigrasian tidak dipungut biaya.",
}


@pytest.fixture
def hoax_case(soetta, pr_staff):
    case = cases.open_case(pr_staff, soetta, title="Hoaks tarif", now=NOW)
    assessment.record(pr_staff, case, category="hoax", now=NOW)
    return case


def test_a_clarification_is_written_submitted_and_published_by_someone_else(
    hoax_case, pr_staff, pr_lead
):
    item = clarifications.create(pr_staff, hoax_case, now=NOW, **CLAIM)
    assert item.status == ClarificationStatus.DRAFT and not item.is_exercise
    assert Clarification.objects.public().count() == 0
    clarifications.submit(pr_staff, item, now=NOW + timedelta(minutes=5))
    with pytest.raises(PermissionDenied):
        clarifications.publish(pr_staff, item, channels=[{"channel": "website"}])
    places = [{"channel": "website", "url": "https://www.imigrasi.go.id/klarifikasi"},
              {"channel": "x", "url": ""}]  # fmt: skip
    published_at = NOW + timedelta(minutes=30)
    clarifications.publish(pr_lead, item, channels=places, now=published_at)
    item.refresh_from_db()
    assert item.is_published and item.published_by == pr_lead
    assert item.channels == places
    assert list(Clarification.objects.public()) == [item]
    hoax_case.refresh_from_db()
    assert hoax_case.first_statement_at == published_at
    assert hoax_case.actions.get(code="clarification_post").is_done
    with pytest.raises(InvalidAction):
        clarifications.edit(pr_staff, item, title="Ubah")
    clarifications.withdraw(pr_lead, item, reason="Data baru", now=NOW + timedelta(hours=2))
    assert Clarification.objects.public().count() == 0
    actions = set(AuditEntry.objects.filter(object_type="crisis.clarification")
                  .values_list("action", flat=True))  # fmt: skip
    assert actions == {"clarification.create", "clarification.submit", "clarification.publish",
                       "clarification.withdraw"}  # fmt: skip


def test_nobody_publishes_what_they_wrote(hoax_case, pr_lead):
    item = clarifications.create(pr_lead, hoax_case, **CLAIM)
    clarifications.submit(pr_lead, item)
    with pytest.raises(FourEyesError):
        clarifications.publish(pr_lead, item, channels=[{"channel": "website"}])


@pytest.mark.parametrize(
    "channels",
    [[], [{"channel": "pigeon"}], [{"channel": "website", "url": "javascript:alert(1)"}]],
)
def test_where_it_was_published_is_required_and_valid(hoax_case, pr_staff, pr_lead, channels):
    item = clarifications.create(pr_staff, hoax_case, **CLAIM)
    clarifications.submit(pr_staff, item)
    with pytest.raises(InvalidInput):
        clarifications.publish(pr_lead, item, channels=channels)


def test_exercise_clarifications_are_never_public(soetta, pr_staff, pr_lead):
    case = cases.open_case(pr_staff, soetta, title="Latihan hoaks", is_exercise=True, now=NOW)
    item = clarifications.create(pr_staff, case, **CLAIM)
    clarifications.submit(pr_staff, item)
    clarifications.publish(pr_lead, item, channels=[{"channel": "website"}])
    item.refresh_from_db()
    assert item.is_published and item.is_exercise
    assert Clarification.objects.public().count() == 0


def test_a_generated_storm_is_deterministic_and_valid():
    one = drills.generate_storm(seed=7)
    assert one == drills.generate_storm(seed=7)
    assert drills.validate_scenario(one)["burst_index"] == 72 * 12  # three days of history
    peak = max(b["total"] for b in one["buckets"][one["burst_index"] :])
    quiet = max(b["total"] for b in one["buckets"][: one["burst_index"]])
    assert peak > 5 * max(quiet, 1)
    with pytest.raises(InvalidInput):
        drills.validate_scenario({"buckets": [{"total": -1}], "burst_index": 0})


def test_a_drill_replays_into_an_exercise_case_that_never_counts(
    soetta, pr_lead, head, real_detector
):
    scenario = drills.generate_storm(history_hours=72, burst_hours=1, peak_per_bucket=30, seed=3)
    drill = drills.create(pr_lead, soetta, name="Latihan autogate", scenario=scenario)
    drill = drills.start(pr_lead, drill, now=NOW)
    with pytest.raises(InvalidAction):
        drills.start(pr_lead, drill, now=NOW)
    # The worker's rounds, minute by minute, through the real detector.
    moment = NOW
    while not Case.objects.filter(drill=drill).exists() and moment < NOW + timedelta(hours=1):
        moment += timedelta(minutes=1)
        tasks.run_tick(moment)
    case = Case.objects.get(drill=drill)
    assert case.is_exercise and case.title == "Latihan autogate"
    burst = streaming.drill_bucket_time(drill, drill.burst_index)
    assert case.burst_started_at == burst
    signal = case.signals.first()
    assert signal.bucket_start <= burst + timedelta(minutes=5)  # within one bucket
    assert Case.objects.performance().filter(pk=case.pk).count() == 0
    assert all(f.cases == 0 for f in metrics.performance(Case.objects.all(), moment))
    tasks.run_tick(NOW + timedelta(hours=3))
    drill.refresh_from_db()
    assert drill.status == DrillStatus.FINISHED


def test_a_drill_can_replay_a_recorded_case(soetta, source, pr_staff, pr_lead):
    streaming.ensure_series(soetta.pk, NOW)
    issue = make_issue(soetta, at=NOW - timedelta(hours=3))
    add_mentions(source, NOW + timedelta(minutes=30), 10, issue=issue)
    tasks.run_tick(NOW + timedelta(minutes=36))
    case = Case.objects.get()
    scenario = drills.record_from_case(case)
    assert scenario["source"] == "recorded" and scenario["case"] == case.pk
    assert sum(b["total"] for b in scenario["buckets"]) == 10
    drill = drills.create(pr_lead, soetta, name="Rekaman", scenario=scenario)
    assert Drill.objects.get(pk=drill.pk).burst_index == 24 * 12
    with pytest.raises(PermissionDenied):
        drills.create(pr_staff, soetta, name="x", scenario=scenario)


def test_timings_against_targets(soetta, source, pr_staff, head):
    streaming.ensure_series(soetta.pk, NOW)
    burst = NOW + timedelta(minutes=30)
    add_mentions(source, burst, 10)
    tasks.run_tick(burst + timedelta(minutes=6))
    case = Case.objects.get()
    by = {t.code: t for t in metrics.timings(case)}
    assert by["signal"].minutes == 5 and by["signal"].met(burst) is True
    assert by["notified"].minutes == 0
    assert by["acknowledged"].at is None
    later = burst + timedelta(hours=30)
    assert by["acknowledged"].met(later) is False  # waiting past its target
    assert by["statement"].target_minutes == config.DEFAULT.playbook(case.level).response_minutes


def test_saving_the_configuration_makes_a_new_version(administrator, pr_staff, soetta, head):
    first = configs.current()
    data = config.default_data()
    data["thresholds"]["3"] = 45
    with pytest.raises(PermissionDenied):
        configs.save(head, data)
    with pytest.raises(InvalidInput):
        configs.save(administrator, first.data)  # nothing changed
    bad = config.default_data()
    bad["levels"]["3"]["tiers"] = [["mayor"]]
    with pytest.raises(InvalidInput) as refused:
        configs.save(administrator, bad)
    assert refused.value.field == "levels"
    saved = configs.save(administrator, data, "Ambang Tinggi 45")
    assert saved.version == 2 and configs.current() == saved
    case = cases.open_case(pr_staff, soetta, title="Isu", now=NOW)
    assert case.assessments.get().config == saved
    assert CrisisConfig.objects.get(version=1).data == first.data  # versions never change
    assert AuditEntry.objects.filter(action="crisisconfig.save").count() == 1


def test_the_english_version_is_optional_and_edited_like_the_rest(hoax_case, pr_staff):
    item = clarifications.create(pr_staff, hoax_case, **CLAIM)
    assert (item.title_en, item.claim_en, item.facts_en) == ("", "", "")
    item = clarifications.edit(pr_staff, item, title_en="  No new fee at the airport ",
                               facts_en="The immigration check is free of charge.")  # fmt: skip
    assert item.title_en == "No new fee at the airport"
    assert item.facts_en == "The immigration check is free of charge."
    with pytest.raises(InvalidInput):
        clarifications.edit(pr_staff, item, facts="")
