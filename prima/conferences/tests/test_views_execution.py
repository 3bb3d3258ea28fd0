"""Execution: start and end, attendance register, question log with follow-ups."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext, override

from prima.conferences import workflow
from prima.conferences.models import Stage
from prima.conftest import client_for

from .helpers import walk_to

HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}


def indonesian(text) -> str:
    """What the page shows for an English source string (Indonesian is the default)."""
    with override("id"):
        return str(text) if isinstance(text, Promise) else gettext(text)


def _url(name, conference, *args):
    return reverse(f"conferences:{name}", args=[conference.pk, *args])


def test_start_and_end_are_recorded_with_one_click(conference, personas, jubir):
    conf = walk_to(conference, Stage.EXECUTION, personas, spokesperson=jubir)
    conf.actual_start = None
    client = client_for(personas["pr_staff"])
    response = client.post(
        _url("execution", conf), {"version": conf.version, "start_now": "1"}, **HTMX
    )
    assert response.status_code == 200
    assert 'data-testid="end-now"' in response.content.decode()
    conf.refresh_from_db()
    started = conf.actual_start
    assert started is not None
    response = client.post(_url("execution", conf), {"version": conf.version, "end_now": "1"})
    assert response.status_code == 302
    conf.refresh_from_db()
    assert conf.actual_end >= started


def test_attendance_and_questions_are_logged_with_htmx(conference, personas, jubir):
    conf = walk_to(conference, Stage.EXECUTION, personas, spokesperson=jubir)
    client = client_for(personas["pr_staff"])
    response = client.post(
        _url("attendance-add", conf), {"journalist": "Budi Santoso", "outlet": "Antara"}, **HTMX
    )
    assert response.status_code == 200
    assert "Antara" in response.content.decode()
    response = client.post(
        _url("question-add", conf),
        {
            "asker": "Budi Santoso",
            "outlet": "Antara",
            "question": "Berapa WNA dideportasi?",
            "answered_by": "Sri Handayani",
            "answer_summary": "Dua orang.",
            "follow_up_needed": "on",
        },
        **HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="panel-execution"')
    assert "Berapa WNA dideportasi?" in html
    assert indonesian("follow-up pending") in html
    question = conf.questions.get()
    response = client.post(
        _url("follow-up", conf, question.pk), {"note": "Data dikirim lewat WhatsApp"}, **HTMX
    )
    assert response.status_code == 200
    question.refresh_from_db()
    assert question.follow_up_done_at is not None


def test_a_question_without_asker_is_refused_and_kept(conference, personas, jubir):
    conf = walk_to(conference, Stage.EXECUTION, personas, spokesperson=jubir)
    response = client_for(personas["pr_staff"]).post(
        _url("question-add", conf),
        {"asker": "", "question": "Apakah autogate sudah normal?"},
        **HTMX,
    )
    assert response.status_code == 400
    assert "Apakah autogate sudah normal?" in response.content.decode()
    assert not conf.questions.exists()


def test_questions_are_not_logged_before_the_conference(conference, pr_staff):
    response = client_for(pr_staff).post(
        _url("question-add", conference), {"asker": "Budi", "question": "Kapan?"}
    )
    assert response.status_code == 400
    assert 'data-testid="error"' in response.content.decode()
    assert not conference.questions.exists()


def test_an_end_before_the_start_is_refused(conference, personas, jubir):
    conf = walk_to(conference, Stage.EXECUTION, personas, spokesperson=jubir)
    conf = workflow.record_execution(
        personas["pr_staff"], conf, expected_version=conf.version, execution_notes=""
    )
    response = client_for(personas["pr_staff"]).post(
        _url("execution", conf),
        {
            "version": conf.version,
            "actual_start": "2025-11-19T10:00",
            "actual_end": "2025-11-19T09:00",
        },
    )
    assert response.status_code == 400
    assert response.context["forms"]["execution"].errors["actual_end"]
