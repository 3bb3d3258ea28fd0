"""Evaluation: figures, lessons and coverage, and closing the conference."""

from __future__ import annotations

from django.urls import reverse

from prima.conferences import workflow
from prima.conferences.models import Stage, Status
from prima.conftest import client_for

from .helpers import complete_stage_items, walk_to


def _url(name, conference, *args):
    return reverse(f"conferences:{name}", args=[conference.pk, *args])


def test_the_evaluation_shows_attendance_questions_and_timeliness(
    conference, personas, jubir, offices
):
    conf = walk_to(conference, Stage.EXECUTION, personas, spokesperson=jubir)
    staff = personas["pr_staff"]
    workflow.add_attendance(staff, conf, journalist="Budi", outlet="Antara")
    workflow.log_question(
        staff, conf, asker="Budi", question="Berapa?", answered_by="Sri", follow_up_needed=True
    )
    conf = walk_to(conf, Stage.EVALUATION, personas, spokesperson=jubir)
    response = client_for(staff).get(conf.get_absolute_url())
    summary = response.context["summary"]
    assert summary.attended == 1 and summary.questions == 1 and summary.follow_ups_pending == 1
    html = response.content.decode()
    assert 'data-testid="evaluation-summary"' in html


def test_lessons_and_coverage_are_recorded_and_the_lead_closes(conference, personas, jubir):
    conf = walk_to(conference, Stage.EVALUATION, personas, spokesperson=jubir)
    staff = client_for(personas["pr_staff"])
    response = staff.post(
        _url("evaluation", conf),
        {
            "version": conf.version,
            "lessons_learned": "Undangan dikirim H-3 terlalu mepet.",
            "coverage_count": 12,
            "coverage_positive": 8,
            "coverage_neutral": 3,
            "coverage_negative": 1,
            "coverage_reach": 250000,
            "coverage_accurate": "true",
        },
    )
    assert response.status_code == 302
    conf.refresh_from_db()
    assert conf.coverage_count == 12 and conf.coverage_accurate is True
    response = staff.post(
        _url("coverage-add", conf),
        {
            "title": "Imigrasi Soekarno-Hatta Tambah 120 Petugas",
            "outlet": "Antara",
            "url": "https://www.antaranews.com/berita/1",
            "tone": "positive",
        },
    )
    assert response.status_code == 302
    assert conf.coverage.count() == 1
    complete_stage_items(conf, Stage.EVALUATION, personas["pr_staff"])
    conf.refresh_from_db()
    # PR staff may not close; the lead may.
    assert staff.post(_url("advance", conf), {"version": conf.version}).status_code == 403
    response = client_for(personas["pr_lead"]).post(
        _url("advance", conf), {"version": conf.version}
    )
    assert response.status_code == 302
    conf.refresh_from_db()
    assert conf.status == Status.COMPLETED


def test_tone_counts_larger_than_the_total_are_refused(conference, personas, jubir):
    conf = walk_to(conference, Stage.EVALUATION, personas, spokesperson=jubir)
    response = client_for(personas["pr_staff"]).post(
        _url("evaluation", conf),
        {
            "version": conf.version,
            "lessons_learned": "Catatan",
            "coverage_count": 2,
            "coverage_positive": 5,
        },
    )
    assert response.status_code == 400
    assert "Catatan" in response.content.decode()
    conf.refresh_from_db()
    assert conf.lessons_learned == ""
