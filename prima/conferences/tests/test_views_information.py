"""Information gathering: facts verified by a second person, chronology, open questions,
prior statements."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext, override

from prima.conferences import workflow
from prima.conferences.models import Fact
from prima.conftest import client_for

HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}


def indonesian(text) -> str:
    """What the page shows for an English source string (Indonesian is the default)."""
    with override("id"):
        return str(text) if isinstance(text, Promise) else gettext(text)


def _url(name, conference, *args):
    return reverse(f"conferences:{name}", args=[conference.pk, *args])


def test_pr_staff_records_a_fact(conference, pr_staff):
    response = client_for(pr_staff).post(
        _url("fact-add", conference),
        {
            "statement": "Dua WNA asal Nigeria dideportasi pada Selasa (18/11/2025).",
            "source": "Seksi Inteldakim",
            "source_date": "2025-11-18",
        },
    )
    assert response.status_code == 302
    fact = Fact.objects.get()
    assert fact.entered_by == pr_staff and not fact.is_verified


def test_a_fact_without_a_source_is_refused_and_the_text_kept(conference, pr_staff):
    response = client_for(pr_staff).post(
        _url("fact-add", conference), {"statement": "Antrean autogate 2 jam"}, **HTMX
    )
    assert response.status_code == 400
    assert not Fact.objects.exists()
    html = response.content.decode()
    assert "Antrean autogate 2 jam" in html
    assert html.lstrip().startswith('<section id="panel-information"')


def test_a_second_person_verifies_a_fact_with_htmx(conference, pr_staff, pr_staff2):
    fact = workflow.add_fact(pr_staff, conference, statement="Dua WNA", source="Inteldakim")
    # Rina sees no verify button on her own fact, Dimas does.
    own = client_for(pr_staff).get(conference.get_absolute_url()).content.decode()
    assert 'data-testid="verify-fact"' not in own
    assert indonesian("You entered this fact: a second person must verify it.") in own
    response = client_for(pr_staff2).post(
        _url("fact-verify", conference, fact.pk), {"version": fact.version}, **HTMX
    )
    assert response.status_code == 200
    assert 'data-testid="fact-verified"' in response.content.decode()
    fact.refresh_from_db()
    assert fact.verified_by == pr_staff2


def test_nobody_verifies_their_own_fact(conference, pr_staff):
    fact = workflow.add_fact(pr_staff, conference, statement="Dua WNA", source="Inteldakim")
    response = client_for(pr_staff).post(
        _url("fact-verify", conference, fact.pk), {"version": fact.version}
    )
    assert response.status_code == 400
    assert 'data-testid="row-error"' in response.content.decode()
    fact.refresh_from_db()
    assert not fact.is_verified


def test_a_fact_changed_in_the_meantime_is_not_verified(conference, pr_staff, pr_staff2, pr_lead):
    fact = workflow.add_fact(pr_staff, conference, statement="Dua WNA", source="Inteldakim")
    seen = fact.version
    workflow.edit_fact(
        pr_lead, fact, expected_version=seen, statement="Tiga WNA", source="Inteldakim"
    )
    response = client_for(pr_staff2).post(
        _url("fact-verify", conference, fact.pk), {"version": seen}
    )
    assert response.status_code == 409
    fact.refresh_from_db()
    assert not fact.is_verified


def test_the_chronology_is_entered_in_wib(conference, pr_staff):
    response = client_for(pr_staff).post(
        _url("chronology-add", conference),
        {
            "occurred_at": "2025-11-18T22:15",
            "description": "WNA diamankan di Terminal 3",
        },
    )
    assert response.status_code == 302
    entry = conference.chronology.get()
    assert entry.occurred_at == datetime(2025, 11, 18, 15, 15, tzinfo=UTC)
    html = client_for(pr_staff).get(conference.get_absolute_url()).content.decode()
    assert "Selasa, 18 November 2025, 22.15 WIB" in html


def test_open_questions_are_raised_and_answered(conference, pr_staff, pr_lead):
    client_for(pr_staff).post(
        _url("open-question-add", conference), {"question": "Apakah ada korban?"}
    )
    question = conference.open_questions.get()
    response = client_for(pr_lead).post(
        _url("open-question-resolve", conference, question.pk), {"answer": "Tidak ada."}, **HTMX
    )
    assert response.status_code == 200
    assert "Tidak ada." in response.content.decode()
    question.refresh_from_db()
    assert question.resolved_by == pr_lead


def test_an_empty_answer_is_refused_at_the_question(conference, pr_staff):
    question = workflow.add_open_question(pr_staff, conference, question="Berapa orang?")
    response = client_for(pr_staff).post(
        _url("open-question-resolve", conference, question.pk), {"answer": ""}
    )
    assert response.status_code == 400
    question.refresh_from_db()
    assert question.resolved_at is None


def test_prior_statements_are_recorded(conference, pr_staff):
    response = client_for(pr_staff).post(
        _url("prior-statement-add", conference),
        {
            "title": "Siaran Pers: Imigrasi Soekarno-Hatta Deportasi WNA",
            "url": "https://www.imigrasi.go.id/siaran-pers/123",
            "published_on": "2025-10-02",
        },
    )
    assert response.status_code == 302
    html = (
        client_for(pr_staff)
        .get(conference.get_absolute_url() + "?open=information")
        .content.decode()
    )
    assert "https://www.imigrasi.go.id/siaran-pers/123" in html
    assert "2 Oktober 2025" in html
