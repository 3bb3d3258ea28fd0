"""Indicators computed from a planted scenario; roll-ups; the recompute-and-compare
command. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from prima.evaluation import indicators as ind
from prima.evaluation import rollups
from prima.evaluation.models import IndicatorTarget, OfficeMonth
from prima.evaluation.rollups import Period
from prima.organizations.models import OfficeLevel

MAY = date(2026, 5, 1)


def figures(office, month=MAY):
    row = OfficeMonth.objects.get(office=office, month=month)
    return {c: getattr(row, c) for c in ind.COLUMNS}


def test_conferences_count_by_type_with_their_gates(scenario):
    soetta = figures(scenario.offices["soetta"])
    assert (soetta["conf_regular"], soetta["conf_incidental"], soetta["conf_crisis"]) == (2, 1, 1)
    # full: "Kinerja Mei" and the crisis one; the late-material and late-start ones are not
    assert soetta["conf_full"] == 2
    assert soetta["conf_material_ok"] == 3
    assert soetta["conf_evaluated"] == 4
    jakpus = figures(scenario.offices["jakpus"])
    assert (jakpus["conf_regular"], jakpus["conf_full"], jakpus["conf_evaluated"]) == (1, 0, 0)


def test_exercises_and_drills_never_count(scenario):
    soetta = figures(scenario.offices["soetta"])
    # the exercise conference (regular) and the exercise case (level 4) are left out
    assert soetta["conf_regular"] == 2
    assert soetta["case_l4"] == 0
    checks = ind.check_conferences(
        ind.held_conferences(
            rollups.units_q(scenario.offices["dg"]),
            *Period.parse("2026-05").start_end("Asia/Jakarta"),
        )
    )
    assert scenario.conferences["exercise"].pk not in {c.conference.pk for c in checks}


def test_crisis_cases_by_level_against_the_playbook(scenario):
    soetta = figures(scenario.offices["soetta"])
    assert (soetta["case_l1"], soetta["case_l2"], soetta["case_l3"]) == (0, 1, 1)
    # level 2: ack 10 ≤ 30, statement 120 ≤ 240; level 3: ack 40 > 15, statement 200 > 60
    assert (soetta["case_ack_measured"], soetta["case_ack_met"]) == (2, 1)
    assert soetta["case_ack_minutes"] == 50
    assert (soetta["case_statement_measured"], soetta["case_statement_met"]) == (2, 1)
    jakpus = figures(scenario.offices["jakpus"])
    assert (jakpus["case_l1"], jakpus["case_statement_measured"]) == (1, 0)


def test_clarifications_questions_and_coverage(scenario):
    soetta = figures(scenario.offices["soetta"])
    assert soetta["clarifications"] == 1
    assert (soetta["inq_received"], soetta["inq_answered"]) == (3, 2)
    assert soetta["inq_answer_minutes"] == 6 * 60
    assert (soetta["mentions"], soetta["mentions_positive"], soetta["mentions_negative"]) == (
        100,
        50,
        30,
    )
    assert soetta["pickup_items"] is None  # not measured: never a made-up number


def test_a_month_is_the_office_s_own_calendar_month(scenario):
    april = figures(scenario.offices["soetta"], date(2026, 4, 1))
    assert april["conf_regular"] == 1
    assert figures(scenario.ngurah_rai)["conf_full"] == 1


def test_roll_up_sums_equal_the_sum_of_their_offices(scenario):
    dg = scenario.offices["dg"]
    for period in ("2026-05", "2026-Q2", "2026"):
        result = rollups.rollup(dg, Period.parse(period))
        assert [r.office.level for r in result.rows] == [OfficeLevel.REGIONAL_OFFICE] * 2
        for column in ind.COLUMNS:
            units = [r.sums[column] for r in result.rows]
            expected = None if all(u is None for u in units) else sum(u or 0 for u in units)
            assert result.total.sums[column] == expected, column
        rows = OfficeMonth.objects.filter(month__in=Period.parse(period).months)
        assert result.total.sums["conf_regular"] == sum(r.conf_regular for r in rows)
    kanwil = rollups.rollup(scenario.offices["kanwil"], Period.parse("2026-05"))
    assert [r.office.code for r in kanwil.rows] == ["jakpus", "soetta"]
    assert kanwil.total.sums["conf_regular"] == 3
    assert kanwil.total.cells["conf_full_share"].value == pytest.approx(100 * 2 / 5)


def test_targets_per_level_mark_the_cells_that_miss(scenario):
    dg = scenario.offices["dg"]
    IndicatorTarget.objects.create(
        office=dg, level=OfficeLevel.OFFICE, indicator="conf_full_share", value=60
    )
    IndicatorTarget.objects.create(
        office=scenario.offices["kanwil"],
        level=OfficeLevel.OFFICE,
        indicator="conf_full_share",
        value=40,
    )
    IndicatorTarget.objects.create(
        office=dg, level=OfficeLevel.OFFICE, indicator="ack_minutes", value=20
    )
    result = rollups.rollup(scenario.offices["kanwil"], Period.parse("2026-05"))
    jakpus, soetta = result.rows
    # the Kanwil's own target (40) wins over the national one (60) for its offices
    assert soetta.cells["conf_full_share"].target == 40
    assert soetta.cells["conf_full_share"].missed is False  # 50 %
    assert jakpus.cells["conf_full_share"].missed is True  # 0 %
    assert soetta.cells["ack_minutes"].missed is True  # 25 min > 20: lower is better
    assert result.total.cells["conf_full_share"].target is None  # no target for a Kanwil
    bali = rollups.rollup(scenario.ngurah_rai, Period.parse("2026-05"))
    assert bali.rows[0].cells["conf_full_share"].target == 60


def test_adoption_against_the_plan(scenario):
    from prima.evaluation.models import AdoptionPlan

    AdoptionPlan.objects.create(office=scenario.offices["soetta"], planned_from=date(2025, 12, 1))
    AdoptionPlan.objects.create(office=scenario.offices["kanwil"], planned_from=date(2026, 6, 1))
    rows = {
        a.office.code: a for a in rollups.adoption(scenario.offices["dg"], today=date(2026, 7, 1))
    }
    assert rows["soetta"].state == "using"
    assert rows["jakpus"].state == "early"  # used in May, planned from June
    assert rows["ngurah-rai"].state == "unplanned" or rows["ngurah-rai"].state == "using"
    assert rows["soetta"].conferences == 5 and rows["soetta"].full == 3
    assert rows["jakpus"].first_evaluation is None


def test_recompute_check_finds_a_tampered_figure(scenario):
    call_command("recompute_indicators", "--check", "--period", "2026-05")
    OfficeMonth.objects.filter(office=scenario.offices["soetta"], month=MAY).update(conf_full=9)
    with pytest.raises(CommandError, match="differ"):
        call_command("recompute_indicators", "--check", "--period", "2026-05")
    call_command("recompute_indicators", "--period", "2026-05")
    call_command("recompute_indicators", "--check", "--period", "2026-05")
    assert figures(scenario.offices["soetta"])["conf_full"] == 2


def test_periods_parse_and_refuse_nonsense():
    assert Period.parse("2026-Q2").months == [date(2026, 4, 1), date(2026, 5, 1), date(2026, 6, 1)]
    assert Period.parse("2026-12").shifted(1).slug == "2027-01"
    assert Period.parse("2026").count == 12
    for bad in ("2026-13", "26", "2026-Q5", "x"):
        with pytest.raises(rollups.PeriodError):
            Period.parse(bad)
