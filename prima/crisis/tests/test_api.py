"""The crisis API: read cases, signals and assessments; acknowledge; record an assessment —
with the pages' policy (401 anonymous, 404 outsider, 403 without the right)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from prima.conftest import client_for
from prima.crisis import streaming, tasks
from prima.crisis.models import Assessment, Case
from prima.crisis.tests.conftest import add_mentions, make_issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(personas, offices, source):
    soetta = offices["soetta"]
    now = timezone.now().replace(second=0, microsecond=0)
    streaming.ensure_series(soetta.pk, now - timedelta(hours=2))
    issue = make_issue(soetta, at=now - timedelta(hours=3))
    add_mentions(source, now - timedelta(minutes=40), 8, issue=issue)
    add_mentions(source, now - timedelta(minutes=35), 20, issue=issue, platform="news",
                 outlet="Warta Bandara")  # fmt: skip
    tasks.run_tick(now)
    return Case.objects.get()


def _urls(case):
    base = f"/api/v1/crisis/cases/{case.pk}"
    return {
        "list_cases": "/api/v1/crisis/cases",
        "get_case": base,
        "list_case_signals": f"{base}/signals",
        "list_assessments": f"{base}/assessments",
        "list_signals": "/api/v1/crisis/signals",
        "get_config": "/api/v1/crisis/config",
    }


def test_anonymous_requests_get_401(case):
    client = client_for(None)
    for url in _urls(case).values():
        assert client.get(url).status_code == 401, url
    assert client.post(f"/api/v1/crisis/cases/{case.pk}/acknowledge").status_code == 401
    response = client.post(
        f"/api/v1/crisis/cases/{case.pk}/assessments", {}, content_type="application/json"
    )
    assert response.status_code == 401


def test_readers_read_and_outsiders_get_nothing(case, personas):
    urls = _urls(case)
    for who in ("pr_staff", "spokesperson", "head", "regional_supervisor", "administrator"):
        client = client_for(personas[who])
        listing = client.get(urls["list_cases"]).json()
        assert [c["id"] for c in listing["items"]] == [case.pk], who
        detail = client.get(urls["get_case"]).json()
        assert detail["level"] == case.level and detail["signal_count"] >= 1
        assert detail["waiting_for_acknowledgement"] is True
        assert {t["code"] for t in detail["timings"]} == {
            "signal", "notified", "acknowledged", "statement"
        }  # fmt: skip
        assert detail["latest_assessment"]["config_version"] == 1
        signals = client.get(urls["list_case_signals"]).json()
        assert signals and signals[0]["series_kind"] in ("office", "negative", "issue")
        assessments = client.get(urls["list_assessments"]).json()
        assert assessments[0]["explanation"][0]["factor"] == "category"
        assert client.get(urls["list_signals"]).json()["count"] == len(signals)
        assert client.get(urls["get_config"]).json()["version"] == 1
    outsider = client_for(personas["outsider"])
    assert outsider.get(urls["list_cases"]).json()["items"] == []
    assert outsider.get(urls["list_signals"]).json()["items"] == []
    for name in ("get_case", "list_case_signals", "list_assessments"):
        assert outsider.get(urls[name]).status_code == 404, name
    assert outsider.post(f"/api/v1/crisis/cases/{case.pk}/acknowledge").status_code == 404


def test_recording_an_assessment(case, personas):
    url = f"/api/v1/crisis/cases/{case.pk}/assessments"
    body = {
        "category": "misconduct",
        "interest": {"affected": 0.7, "rights": 1, "reputation": 1, "safety": 0,
                     "vulnerable": 0, "political": 0.5},
        "context": {"mainstream": 1},
        "note": "Video viral pungli di konter",
    }  # fmt: skip
    refused = client_for(personas["spokesperson"]).post(url, body, content_type="application/json")
    assert refused.status_code == 403
    assert (
        client_for(personas["outsider"])
        .post(url, body, content_type="application/json")
        .status_code
        == 404
    )
    response = client_for(personas["pr_staff"]).post(url, body, content_type="application/json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["level"] >= 3 and data["category"] == "misconduct"
    assert data["assessed_by"] == personas["pr_staff"].username
    assert Assessment.objects.filter(case=case).count() == 2
    bad = client_for(personas["pr_staff"]).post(
        url, {"category": "alien"}, content_type="application/json"
    )
    assert bad.status_code == 400 and bad.json()["field"] == "category"
    out_of_range = client_for(personas["pr_staff"]).post(
        url, {"category": "hoax", "interest": {"safety": 7}}, content_type="application/json"
    )
    assert out_of_range.status_code == 400


def test_acknowledging_through_the_api(case, personas):
    url = f"/api/v1/crisis/cases/{case.pk}/acknowledge"
    assert client_for(personas["spokesperson"]).post(url).status_code == 403
    first_tier = case.escalations.get(tier=0)
    persona_of = {"pr_staff": "pr_staff", "pr_lead": "pr_lead", "head": "head",
                  "regional": "regional_supervisor", "national": "dg_supervisor"}  # fmt: skip
    responder = persona_of[first_tier.responders[0]]
    response = client_for(personas[responder]).post(url)
    assert response.status_code == 200, response.content
    assert response.json()["acknowledged_at"] is not None
    again = client_for(personas[responder]).post(url)
    assert again.status_code == 409
