"""Unusual moves are allowed only with a confirmation and a reason, kept in the audit
trail: executing or closing before the scheduled date, closing with a pending follow-up,
going ahead with an open question unanswered. One rule for the page and the API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from prima.conferences import workflow
from prima.conferences.models import Conference, Stage, Status
from prima.conftest import client_for
from prima.organizations.models import AuditEntry

from .helpers import NOW, complete_stage_items, walk_to

pytestmark = pytest.mark.usefixtures("english")
DAY = timedelta(days=1)


def scheduled_later(conference, personas, jubir=None, days=10, base=NOW):
    """The conference walked to the spokesperson stage, scheduled ``days`` after NOW; with
    ``jubir``, appointed and briefed so that nothing blocks execution."""
    conf = workflow.update_conference(
        personas["pr_staff"],
        conference,
        expected_version=conference.version,
        scheduled_at=base + days * DAY,
        venue="Ruang Konferensi Pers",
    )
    conf = walk_to(conf, Stage.SPOKESPERSON, personas)
    if jubir is not None:
        appointment = workflow.appoint_spokesperson(personas["pr_lead"], conf, jubir, now=NOW)
        workflow.record_briefing(personas["pr_lead"], appointment, held_on=NOW.date(), now=NOW)
        complete_stage_items(conf, Stage.SPOKESPERSON, personas["pr_staff"])
    return Conference.objects.get(pk=conf.pk)


def test_executing_before_the_scheduled_day_needs_a_reason(conference, personas, jubir):
    conf = scheduled_later(conference, personas, jubir)
    codes = [c.code for c in workflow.cautions(conf, now=NOW)]
    assert codes == ["early"]
    assert "scheduled for 29 November 2025, but today is 19 November 2025" in (
        workflow.cautions(conf, now=NOW)[0].message
    )
    staff = personas["pr_staff"]
    with pytest.raises(workflow.ConfirmationRequired) as refused:
        workflow.advance(staff, conf, expected_version=conf.version, now=NOW)
    assert [c.code for c in refused.value.cautions] == ["early"]
    with pytest.raises(workflow.ConfirmationRequired):  # confirmed, but no reason
        workflow.advance(staff, conf, expected_version=conf.version, now=NOW, confirm=["early"])
    assert Conference.objects.get(pk=conf.pk).stage == Stage.SPOKESPERSON
    conf = workflow.advance(
        staff,
        conf,
        expected_version=conf.version,
        now=NOW,
        confirm=["early"],
        reason="Jadwal kepala kantor dimajukan.",
    )
    assert conf.stage == Stage.EXECUTION
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry.action == "conference.advance"
    assert entry.after["confirmed_warnings"] == ["early"]
    assert entry.after["confirmation_reason"] == "Jadwal kepala kantor dimajukan."


def test_on_the_day_itself_nothing_is_asked(conference, personas):
    conf = scheduled_later(conference, personas, days=0)
    assert workflow.cautions(conf, now=NOW) == []


def test_closing_with_a_pending_follow_up_needs_a_reason(conference, personas, jubir):
    conf = walk_to(conference, Stage.EVALUATION, personas, spokesperson=jubir)
    workflow.log_question(
        personas["pr_staff"],
        conf,
        asker="Rizky Ramadhan",
        outlet="Detikcom",
        question="Siapa oknum yang terlibat dengan calo?",
        follow_up_needed=True,
        now=NOW,
    )
    conf = workflow.record_evaluation(
        personas["pr_lead"], conf, expected_version=conf.version, lessons_learned="Tepat waktu."
    )
    complete_stage_items(conf, Stage.EVALUATION, personas["pr_staff"])
    conf = Conference.objects.get(pk=conf.pk)
    (caution,) = workflow.cautions(conf, now=NOW)
    assert caution.code == "follow_ups_pending" and "Rizky Ramadhan" in caution.message
    lead = personas["pr_lead"]
    with pytest.raises(workflow.ConfirmationRequired):
        workflow.advance(lead, conf, expected_version=conf.version, now=NOW)
    with pytest.raises(workflow.ConfirmationRequired):
        workflow.complete_evaluation(lead, conf, expected_version=conf.version, now=NOW)
    conf = workflow.complete_evaluation(
        lead,
        conf,
        expected_version=conf.version,
        now=NOW,
        confirm=["follow_ups_pending"],
        reason="Jawaban tertulis dikirim setelah data dari Ditjen masuk.",
    )
    assert conf.status == Status.COMPLETED


def test_an_unanswered_open_question_must_be_confirmed(conference, personas, jubir):
    conf = scheduled_later(conference, personas, jubir, days=0)
    workflow.add_open_question(personas["pr_staff"], conf, question="Negara asal WNA?", now=NOW)
    conf = Conference.objects.get(pk=conf.pk)
    assert [c.code for c in workflow.cautions(conf, now=NOW)] == ["open_questions"]
    with pytest.raises(workflow.ConfirmationRequired):
        workflow.advance(personas["pr_staff"], conf, expected_version=conf.version, now=NOW)


def test_a_warning_that_appeared_after_the_page_was_read_is_not_confirmed(
    conference, personas, jubir
):
    conf = scheduled_later(conference, personas, jubir)
    workflow.add_open_question(personas["pr_staff"], conf, question="Negara asal WNA?", now=NOW)
    conf = Conference.objects.get(pk=conf.pk)
    with pytest.raises(workflow.ConfirmationRequired) as refused:
        workflow.advance(
            personas["pr_staff"],
            conf,
            expected_version=conf.version,
            now=NOW,
            confirm=["early"],  # what the page showed before the question was added
            reason="Dimajukan.",
        )
    assert {c.code for c in refused.value.cautions} == {"early", "open_questions"}


def test_the_api_lists_the_warnings_and_takes_the_confirmation(conference, personas, jubir):
    conf = scheduled_later(conference, personas, jubir, base=timezone.now())
    client = client_for(personas["pr_staff"])
    detail = client.get(f"/api/v1/conferences/{conf.pk}").json()
    assert [w["code"] for w in detail["warnings"]] == ["early"]
    url = f"/api/v1/conferences/{conf.pk}/advance"
    refused = client.post(url, {"expected_version": conf.version}, content_type="application/json")
    assert refused.status_code == 400
    assert [w["code"] for w in refused.json()["warnings"]] == ["early"]
    ok = client.post(
        url,
        {"expected_version": conf.version, "confirm": ["early"], "reason": "Dimajukan pimpinan."},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["stage"] == "execution"


def test_the_page_asks_for_the_reason_and_keeps_it(conference, personas, jubir):
    conf = scheduled_later(conference, personas, jubir, base=timezone.now())
    client = client_for(personas["pr_staff"])
    page = client.get(conf.get_absolute_url()).content.decode()
    assert 'data-testid="caution-early"' in page
    assert 'name="confirm" value="early"' in page and "Alasan tetap melanjutkan" in page
    url = reverse("conferences:advance", args=[conf.pk])
    refused = client.post(url, {"version": conf.version, "confirm": "early"})
    assert refused.status_code == 400
    # Not confirmed (e.g. a warning appeared meanwhile): asked again, the reason kept.
    again = client.post(url, {"version": conf.version, "reason": "Dimajukan pimpinan."})
    assert again.status_code == 400
    assert "Dimajukan pimpinan." in again.content.decode()
    assert 'name="confirm" value="early"' in again.content.decode()
    assert Conference.objects.get(pk=conf.pk).stage == Stage.SPOKESPERSON
    moved = client.post(
        url, {"version": conf.version, "confirm": "early", "reason": "Dimajukan pimpinan."}
    )
    assert moved.status_code == 302
    assert Conference.objects.get(pk=conf.pk).stage == Stage.EXECUTION
