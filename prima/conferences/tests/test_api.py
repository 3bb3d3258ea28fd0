"""API /api/v1/conferences: same policy and workflow as the pages."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from prima.conferences import workflow
from prima.conferences.models import Conference, ConferenceType, Stage
from prima.conftest import client_for, make_person
from prima.organizations.models import Role

from .helpers import complete_stage_items

URL = "/api/v1/conferences"


def post(user, url, data):
    return client_for(user).post(url, json.dumps(data), content_type="application/json")


@pytest.fixture
def crisis_now(templates, offices, pr_lead):
    """A real crisis opened 90 minutes ago: its holding statement is overdue."""
    return workflow.create_conference(
        pr_lead,
        office=offices["soetta"],
        type=ConferenceType.CRISIS,
        title="Antrean viral",
        opened_at=timezone.now() - timedelta(minutes=90),
    )


def test_anonymous_gets_401(conference):
    anonymous = client_for(None)
    assert anonymous.get(URL).status_code == 401
    assert anonymous.get(f"{URL}/{conference.pk}").status_code == 401
    for url in (URL, f"{URL}/{conference.pk}/advance", f"{URL}/{conference.pk}/cancel"):
        assert post(None, url, {"expected_version": 1, "reason": "x"}).status_code == 401


def test_the_list_shows_what_the_user_may_see(conference, personas):
    for name in ("pr_staff", "spokesperson", "head", "regional_supervisor", "dg_supervisor"):
        body = client_for(personas[name]).get(URL).json()
        assert [c["id"] for c in body["items"]] == [conference.pk], name
    assert client_for(personas["outsider"]).get(URL).json()["items"] == []


def test_the_list_carries_stage_progress_and_deadlines(
    conference, crisis_now, pr_staff, django_assert_num_queries
):
    client = client_for(pr_staff)
    # session, user, memberships, count, page (the session is not rewritten on every request)
    with django_assert_num_queries(5):
        body = client.get(URL).json()
    by_id = {c["id"]: c for c in body["items"]}
    regular = by_id[conference.pk]
    assert regular["stage"] == "information" and regular["version"] == 1
    assert regular["checklist"]["total"] == conference.checklist_items.count()
    assert regular["deadlines"] == [] and regular["overdue"] is False
    crisis = by_id[crisis_now.pk]
    assert crisis["overdue"] is True
    assert [d["status"] for d in crisis["deadlines"]] == ["missed", "open"]


def test_the_list_query_count_does_not_grow_with_the_data(
    conference, templates, offices, pr_staff, django_assert_num_queries
):
    for i in range(5):
        workflow.create_conference(
            pr_staff, office=offices["soetta"], type="crisis", title=f"Krisis {i}"
        )
    client = client_for(pr_staff)
    with django_assert_num_queries(5):
        client.get(URL)


def test_the_list_filters(conference, crisis_now, templates, offices, pr_staff):
    drill = workflow.create_conference(
        pr_staff, office=offices["soetta"], type="regular", title="Latihan", is_exercise=True
    )
    client = client_for(pr_staff)

    def ids(query):
        return {c["id"] for c in client.get(f"{URL}?{query}").json()["items"]}

    assert ids("type=crisis") == {crisis_now.pk}
    assert ids("overdue=true") == {crisis_now.pk}
    assert ids("overdue=false") == {conference.pk, drill.pk}
    assert ids("is_exercise=true") == {drill.pk}
    assert ids("stage=planning") == set()
    assert ids(f"office_id={offices['jakpus'].pk}") == set()


def test_reading_one_conference(conference, pr_staff, outsider, regional_supervisor):
    body = client_for(pr_staff).get(f"{URL}/{conference.pk}").json()
    assert body["next_stage"] == "planning"
    assert [s["stage"] for s in body["stages"]][:2] == ["information", "planning"]
    assert body["blockers"] and body["blockers"][0]["code"] == "checklist_open"
    assert "rina" in body["blockers"][0]["users"]
    assert client_for(regional_supervisor).get(f"{URL}/{conference.pk}").status_code == 200
    assert client_for(outsider).get(f"{URL}/{conference.pk}").status_code == 404
    assert client_for(pr_staff).get(f"{URL}/999999").status_code == 404


def test_creating_a_conference(templates, offices, pr_staff, spokesperson, outsider):
    data = {
        "office_id": offices["soetta"].pk,
        "type": "incidental",
        "title": "Kasus TPPO",
        "topic": "trafficking",
        "level": 3,
    }
    response = post(pr_staff, URL, data)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["stage"] == "information" and body["level"] == 3
    assert Conference.objects.get(pk=body["id"]).created_by == pr_staff
    assert post(spokesperson, URL, data).status_code == 403
    assert post(outsider, URL, data).status_code == 404
    assert post(pr_staff, URL, data | {"type": "party"}).status_code == 422
    assert post(pr_staff, URL, data | {"title": " "}).status_code == 400


def test_advancing_applies_the_gates(conference, pr_staff):
    response = post(pr_staff, f"{URL}/{conference.pk}/advance", {"expected_version": 1})
    assert response.status_code == 400
    body = response.json()
    assert body["blockers"][0]["code"] == "checklist_open"
    with translation.override("id"):  # the default language of the API, as of the pages
        assert body["detail"].startswith(
            _("The conference cannot move to “%(stage)s” yet:") % {"stage": Stage.PLANNING.label}
        )
    complete_stage_items(conference, Stage.INFORMATION, pr_staff)
    response = post(pr_staff, f"{URL}/{conference.pk}/advance", {"expected_version": 1})
    assert response.status_code == 200
    assert (response.json()["stage"], response.json()["version"]) == ("planning", 2)


def test_advancing_with_a_stale_version_is_a_conflict(conference, pr_staff):
    complete_stage_items(conference, Stage.INFORMATION, pr_staff)
    assert (
        post(pr_staff, f"{URL}/{conference.pk}/advance", {"expected_version": 1}).status_code == 200
    )
    response = post(pr_staff, f"{URL}/{conference.pk}/advance", {"expected_version": 1})
    assert response.status_code == 409
    with translation.override("id"):
        assert response.json()["detail"] == workflow.ConflictError().message
    assert Conference.objects.get(pk=conference.pk).stage == Stage.PLANNING


def test_advancing_access(conference, spokesperson, outsider, regional_supervisor):
    url = f"{URL}/{conference.pk}/advance"
    assert post(spokesperson, url, {"expected_version": 1}).status_code == 403
    assert post(regional_supervisor, url, {"expected_version": 1}).status_code == 403
    assert post(outsider, url, {"expected_version": 1}).status_code == 404
    assert post(None, url, {"expected_version": 1}).status_code == 401


def test_cancelling_through_the_api(conference, pr_lead, pr_staff, outsider):
    url = f"{URL}/{conference.pk}/cancel"
    assert post(pr_staff, url, {"expected_version": 1, "reason": "x"}).status_code == 403
    assert post(outsider, url, {"expected_version": 1, "reason": "x"}).status_code == 404
    response = post(pr_lead, url, {"expected_version": 1, "reason": ""})
    assert response.status_code == 400 and response.json()["field"] == "reason"
    response = post(pr_lead, url, {"expected_version": 1, "reason": "Ditunda ke bulan depan"})
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert response.json()["cancel_reason"] == "Ditunda ke bulan depan"


def test_the_detail_query_count_does_not_grow_with_the_data(
    settings, conference, pr_staff, pr_staff2, django_assert_max_num_queries
):
    settings.CONFERENCE_DETAIL_CACHE_SECONDS = 0  # made every time
    client = client_for(pr_staff)
    client.get(f"{URL}/{conference.pk}")
    # session, user, conference, memberships, checklist, facts, office's people (who must
    # act on the blockers), material and the delegations (the material actions).
    with django_assert_max_num_queries(9) as few:
        client.get(f"{URL}/{conference.pk}")
    for i in range(5):
        workflow.add_fact(pr_staff2, conference, statement=f"Fakta {i}", source="Inteldakim")
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(f"{URL}/{conference.pk}").json()
    assert sum(b["code"] == "fact_unverified" for b in body["blockers"]) == 5


def test_a_kept_detail_is_personal_and_a_change_shows_at_once(
    settings, conference, pr_staff, pr_staff2, head, django_assert_max_num_queries
):
    settings.CONFERENCE_DETAIL_CACHE_SECONDS = 60
    material = workflow.edit_material(pr_staff, conference, "statement", body="Teks.")
    workflow.submit_material(pr_staff, material)
    rina, budi = client_for(pr_staff), client_for(head)
    url = f"{URL}/{conference.pk}"

    def actions(body):
        return {m["kind"]: m["actions"] for m in body["materials"]}["statement"]

    first = rina.get(url).json()
    with django_assert_max_num_queries(4):  # session, user, conference, memberships
        assert rina.get(url).json() == first
    assert "approve" not in actions(first)  # Rina wrote it
    assert "approve" in actions(budi.get(url).json())  # the head's own page
    workflow.add_fact(pr_staff2, conference, statement="Fakta baru", source="Inteldakim")
    again = rina.get(url).json()
    assert len(again["blockers"]) == len(first["blockers"]) + 1


@pytest.fixture
def kept_lists(settings):
    settings.CONFERENCES_LIST_CACHE_SECONDS = 60


def test_a_kept_list_is_never_shown_to_another_scope(
    kept_lists, conference, offices, pr_staff, regional_supervisor
):
    budi = make_person("budi", offices["jakpus"], Role.PR_STAFF)
    other = workflow.create_conference(
        budi, office=offices["jakpus"], type=ConferenceType.REGULAR, title="Rilis Jakpus"
    )
    region = client_for(regional_supervisor).get(URL).json()
    assert {c["id"] for c in region["items"]} == {conference.pk, other.pk}
    assert region["count"] == 2
    for person, expected in ((pr_staff, conference.pk), (budi, other.pk)):
        body = client_for(person).get(URL).json()
        assert [c["id"] for c in body["items"]] == [expected] and body["count"] == 1


def test_a_change_shows_in_the_kept_list_at_once(
    kept_lists, conference, offices, pr_staff, django_assert_num_queries
):
    client = client_for(pr_staff)
    first = client.get(URL).json()
    # session, user, memberships: the count and the page are kept
    with django_assert_num_queries(3):
        assert client.get(URL).json() == first
    item = conference.checklist_items.filter(evidence_kind="note").first()
    workflow.complete_item(pr_staff, item, note="Sudah")
    workflow.create_conference(
        pr_staff, office=offices["soetta"], type=ConferenceType.REGULAR, title="Rilis baru"
    )
    body = client.get(URL).json()
    assert body["count"] == 2
    done = next(c for c in body["items"] if c["id"] == conference.pk)["checklist"]["done"]
    assert done == first["items"][0]["checklist"]["done"] + 1
