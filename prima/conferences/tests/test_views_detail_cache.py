"""The detail page's short-lived cache: kept per person, dropped by every audited change,
the access check and the crisis deadlines always fresh, a CSRF token per request."""

from __future__ import annotations

import re
from datetime import time

import pytest
from django.test import Client
from django.utils.translation import gettext, override

from prima.conferences import hooks, workflow
from prima.conferences.models import ConferenceType, Stage
from prima.conferences.views import detail
from prima.conftest import PASSWORD, client_for
from prima.organizations.models import Membership

from .helpers import NOW, walk_to


def indonesian(text: str) -> str:
    with override("id"):
        return gettext(text)


@pytest.fixture
def kept(settings):
    settings.CONFERENCE_DETAIL_CACHE_SECONDS = 60


@pytest.fixture
def builds(monkeypatch) -> list[int]:
    """The conferences whose page content was made (not taken from the cache)."""
    made: list[int] = []
    original = detail.detail_context

    def counting(request, conference, **kwargs):
        made.append(conference.pk)
        return original(request, conference, **kwargs)

    monkeypatch.setattr(detail, "detail_context", counting)
    return made


def _html(client: Client, conference, **query) -> str:
    response = client.get(conference.get_absolute_url(), query)
    assert response.status_code == 200
    return response.content.decode()


def _without_tokens(html: str) -> str:
    return re.sub(r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]+"', "", html)


def test_a_page_is_kept_for_its_person_only(kept, builds, conference, pr_staff, pr_staff2):
    workflow.add_fact(pr_staff, conference, statement="Dua WNA dideportasi", source="Inteldakim")
    mine = indonesian("You entered this fact: a second person must verify it.")
    rina, dimas = client_for(pr_staff), client_for(pr_staff2)

    first = _html(rina, conference)
    again = _html(rina, conference)  # from the cache: the same but for the CSRF tokens
    assert _without_tokens(again) == _without_tokens(first) and again != first
    assert builds == [conference.pk]
    assert mine in first and 'data-testid="verify-fact"' not in first

    other = _html(dimas, conference)  # Dimas gets his own page, never Rina's
    assert mine not in other and 'data-testid="verify-fact"' in other
    assert builds == [conference.pk, conference.pk]


def test_each_panel_and_language_is_kept_apart(kept, builds, conference, pr_staff):
    client = client_for(pr_staff)
    _html(client, conference)
    planning = _html(client, conference, open="planning")
    assert 'id="panel-planning"' in planning
    english = _html(client_for(pr_staff, language="en"), conference)
    assert "Press conferences" in english
    assert len(builds) == 3


def test_a_person_sees_their_own_change_at_once(kept, builds, conference, pr_staff):
    client = client_for(pr_staff)
    assert "Kedatangan 40 WNA" not in _html(client, conference)
    response = client.post(
        f"/conferences/{conference.pk}/facts/",
        {"statement": "Kedatangan 40 WNA", "source": "Seksi Inteldakim"},
    )
    assert response.status_code == 302
    assert "Kedatangan 40 WNA" in _html(client, conference)
    assert len(builds) == 2


def test_anothers_change_drops_every_kept_page(kept, builds, conference, pr_staff, pr_staff2):
    client = client_for(pr_staff)
    _html(client, conference)
    workflow.add_rundown_item(pr_staff2, conference, starts_at=time(9), activity="Registrasi")
    assert "Registrasi" in _html(client, conference)
    assert len(builds) == 2


def test_log_ins_do_not_drop_kept_pages(kept, builds, conference, pr_staff, pr_staff2):
    client = client_for(pr_staff)
    _html(client, conference)
    for password in ("wrong", PASSWORD):  # a failed and a successful log-in
        Client().post("/accounts/login/", {"username": pr_staff2.username, "password": password})
    _html(client, conference)
    assert len(builds) == 1


def test_access_is_checked_on_every_request(kept, conference, pr_staff):
    client = client_for(pr_staff)
    _html(client, conference)
    # Taken away without an audit entry (the page stays kept): still no access.
    Membership.objects.filter(user=pr_staff).delete()
    assert client.get(conference.get_absolute_url()).status_code == 404


def test_each_request_gets_its_own_csrf_token(kept, builds, conference, pr_staff):
    client = Client(enforce_csrf_checks=True)
    client.force_login(pr_staff)
    _html(client, conference)
    html = _html(client, conference)  # from the cache
    assert len(builds) == 1
    assert detail._CSRF_MARK not in html
    form = html.split('data-testid="fact-form"')[1]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]
    response = client.post(
        f"/conferences/{conference.pk}/facts/",
        {"statement": "Kedatangan 40 WNA", "source": "Imigrasi", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    # A token from another session is refused, as without the cache.
    stranger = Client(enforce_csrf_checks=True)
    stranger.force_login(pr_staff)
    assert (
        stranger.post(
            f"/conferences/{conference.pk}/facts/",
            {"statement": "Kedatangan 41 WNA", "source": "Imigrasi", "csrfmiddlewaretoken": token},
        ).status_code
        == 403
    )


def test_crisis_deadlines_are_always_fresh(kept, builds, templates, offices, pr_staff):
    crisis = workflow.create_conference(
        pr_staff, office=offices["soetta"], type=ConferenceType.CRISIS, title="Antrean"
    )
    client = client_for(pr_staff)
    first = client.get(crisis.get_absolute_url())
    second = client.get(crisis.get_absolute_url())
    assert len(builds) == 1
    assert second.context["now"] > first.context["now"]
    assert 'data-testid="countdown-holding_statement"' in second.content.decode()


def test_zero_seconds_makes_the_page_every_time(settings, builds, conference, pr_staff):
    settings.CONFERENCE_DETAIL_CACHE_SECONDS = 0
    client = client_for(pr_staff)
    _html(client, conference)
    _html(client, conference)
    assert len(builds) == 2


def test_a_kept_page_costs_the_access_check_only(
    kept, conference, personas, jubir, django_assert_max_num_queries
):
    conf = walk_to(conference, Stage.MATERIAL, personas, spokesperson=jubir)
    client = client_for(personas["pr_lead"])
    _html(client, conf)
    # Session, user, memberships, the conference.
    with django_assert_max_num_queries(4):
        _html(client, conf)


class Counting:
    """A pre-approval check that objects, and counts how often it is asked."""

    name = "counting"

    def __init__(self) -> None:
        self.asked = 0

    def objections(self, material, version, *, now):
        self.asked += 1
        return [hooks.Objection(self.name, f"Keberatan ke-{self.asked}.")]

    def waive(self, actor, material, version, objections, reason, *, now):
        return {}


@pytest.fixture
def counting():
    check = hooks.register_pre_approval(Counting())
    yield check
    hooks._pre_approval.remove(check)


def test_objections_are_kept_for_the_approver_but_approving_asks_afresh(
    kept, counting, conference, pr_staff, head
):
    material = workflow.edit_material(pr_staff, conference, "statement", body="Teks.", now=NOW)
    material = workflow.submit_material(pr_staff, material, now=NOW)
    client = client_for(head)
    review = f"/conferences/{conference.pk}/material/statement/review/"
    assert "Keberatan ke-1." in client.get(review).content.decode()
    assert "Keberatan ke-1." in _html(client, conference)  # the detail page's material card
    assert "Keberatan ke-1." in client.get(review).content.decode()
    assert counting.asked == 1
    with pytest.raises(workflow.ApprovalBlocked):
        workflow.approve_material(head, material, now=NOW)
    assert counting.asked == 2
    workflow.add_fact(pr_staff, conference, statement="Fakta baru", source="Inteldakim")
    assert "Keberatan ke-3." in client.get(review).content.decode()
