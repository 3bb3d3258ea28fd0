"""Moving a conference on and cancelling it: gates, conflicts, reasons."""

from __future__ import annotations

from django.urls import reverse

from prima.conferences import workflow
from prima.conferences.models import Stage, Status
from prima.conftest import client_for
from prima.organizations import audit

from .helpers import complete_stage_items


def _url(name, conference):
    return reverse(f"conferences:{name}", args=[conference.pk])


def _ready_for_planning(conference, personas):
    fact = workflow.add_fact(
        personas["pr_staff"], conference, statement="Dua WNA", source="Inteldakim"
    )
    workflow.verify_fact(personas["pr_staff2"], fact)
    complete_stage_items(conference, Stage.INFORMATION, personas["pr_staff"])
    conference.refresh_from_db()
    return conference


def test_a_blocked_conference_does_not_move_and_says_why(conference, pr_staff):
    response = client_for(pr_staff).post(
        _url("advance", conference), {"version": conference.version}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="error"' in html and 'data-testid="blockers"' in html
    conference.refresh_from_db()
    assert conference.stage == Stage.INFORMATION


def test_it_moves_on_when_nothing_blocks(conference, personas):
    conf = _ready_for_planning(conference, personas)
    html = client_for(personas["pr_staff"]).get(conf.get_absolute_url()).content.decode()
    assert 'data-testid="nothing-blocks"' in html
    before = audit.history(conf).count()
    response = client_for(personas["pr_staff"]).post(
        _url("advance", conf), {"version": conf.version}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#panel-planning")
    conf.refresh_from_db()
    assert conf.stage == Stage.PLANNING
    assert audit.history(conf).count() == before + 1


def test_a_second_advance_from_a_stale_page_is_a_conflict(conference, personas):
    conf = _ready_for_planning(conference, personas)
    seen = conf.version
    client_for(personas["pr_staff"]).post(_url("advance", conf), {"version": seen})
    response = client_for(personas["pr_lead"]).post(_url("advance", conf), {"version": seen})
    assert response.status_code == 409
    conf.refresh_from_db()
    assert conf.stage == Stage.PLANNING


def test_cancelling_needs_a_reason(conference, pr_lead):
    client = client_for(pr_lead)
    response = client.post(
        _url("cancel", conference), {"reason": " ", "version": conference.version}
    )
    assert response.status_code == 400
    conference.refresh_from_db()
    assert conference.status == Status.ACTIVE
    response = client.post(
        _url("cancel", conference),
        {"reason": "Digabung dengan konferensi pers Kanwil", "version": conference.version},
    )
    assert response.status_code == 302
    conference.refresh_from_db()
    assert conference.status == Status.CANCELLED
    assert conference.cancel_reason == "Digabung dengan konferensi pers Kanwil"


def test_a_cancelled_conference_refuses_changes_with_a_message(conference, pr_lead, pr_staff):
    workflow.cancel(pr_lead, conference, reason="Batal")
    response = client_for(pr_staff).post(
        reverse("conferences:fact-add", args=[conference.pk]),
        {"statement": "Dua WNA", "source": "Inteldakim"},
    )
    assert response.status_code == 400
    assert 'data-testid="error"' in response.content.decode()
    assert not conference.facts.exists()


def test_a_get_on_an_action_is_not_allowed(conference, pr_staff):
    assert client_for(pr_staff).get(_url("advance", conference)).status_code == 405
