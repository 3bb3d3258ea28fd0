"""API of the post-event evaluation: who may list and decide proposals and read the
report's figures; decisions go through the same service as the page."""

from __future__ import annotations

import pytest

from prima.conftest import client_for
from prima.evaluation import coverage
from prima.evaluation.coverage_models import CoverageProposal

from .conftest import store

VIEWERS = ("pr_staff", "pr_lead", "spokesperson", "head", "regional_supervisor", "dg_supervisor")
REVIEWERS = ("pr_staff", "pr_lead", "head")


@pytest.fixture
def world(held, news_source):
    store(news_source, ("a1", "Tempo", 2, "Sri Handayani: bandara tetap normal", "Sri Handayani."))
    coverage.compute_proposals(held)
    return held, CoverageProposal.objects.get(conference=held)


def _urls(conference, proposal):
    return {
        "list": f"/api/v1/evaluation/conferences/{conference.pk}/proposals",
        "report": f"/api/v1/evaluation/conferences/{conference.pk}/report",
        "decide": f"/api/v1/evaluation/proposals/{proposal.pk}/decision",
    }


def test_anonymous_requests_get_401(world):
    urls = _urls(*world)
    client = client_for(None)
    assert client.get(urls["list"]).status_code == 401
    assert client.get(urls["report"]).status_code == 401
    response = client.post(urls["decide"], {"status": "rejected"}, content_type="application/json")
    assert response.status_code == 401


def test_api_access(world, personas, bali_supervisor):
    conference, proposal = world
    urls = _urls(conference, proposal)
    for user in (personas["outsider"], bali_supervisor):
        client = client_for(user)
        assert client.get(urls["list"]).status_code == 404
        assert client.get(urls["report"]).status_code == 404
        body = {"status": "rejected"}
        assert client.post(urls["decide"], body, content_type="application/json").status_code == 404
    for persona in VIEWERS:
        client = client_for(personas[persona])
        listed = client.get(urls["list"])
        assert listed.status_code == 200 and listed.json()["count"] == 1
        report = client.get(urls["report"])
        assert report.status_code == 200
        codes = [s["code"] for s in report.json()["sections"]]
        assert codes == ["inputs", "activities", "outputs", "outtakes", "outcomes", "impact"]
        response = client.post(
            urls["decide"], {"status": "rejected"}, content_type="application/json"
        )
        if persona in REVIEWERS:
            assert response.status_code == 200 and response.json()["status"] == "rejected"
            client.post(urls["decide"], {"status": "pending"}, content_type="application/json")
        else:
            assert response.status_code == 403, persona


def test_confirming_through_the_api_links_coverage_and_a_confirmed_item_stays(world, pr_staff):
    conference, proposal = world
    client = client_for(pr_staff)
    url = _urls(conference, proposal)["decide"]
    response = client.post(url, {"status": "confirmed"}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["coverage_link_id"] == conference.coverage.get().pk
    refused = client.post(url, {"status": "rejected"}, content_type="application/json")
    assert refused.status_code == 409
    bad = client.post(url, {"status": "maybe"}, content_type="application/json")
    assert bad.status_code == 422
