"""The conference list: filters, paging, overdue marks, constant query count."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext, override

from prima.conferences import workflow
from prima.conferences.models import ConferenceType, Stage, Topic
from prima.conftest import client_for

from .helpers import NOW, walk_to


def indonesian(text) -> str:
    """What the page shows for an English source string (Indonesian is the default)."""
    with override("id"):
        return str(text) if isinstance(text, Promise) else gettext(text)


def _open(
    user,
    office,
    title,
    *,
    type=ConferenceType.REGULAR,
    scheduled_at=None,
    is_exercise=False,
    now=NOW,
):
    return workflow.create_conference(
        user,
        office=office,
        type=type,
        title=title,
        topic=Topic.GENERAL,
        scheduled_at=scheduled_at,
        is_exercise=is_exercise,
        now=now,
    )


@pytest.fixture
def several(templates, offices, pr_staff, outsider):
    soetta = offices["soetta"]
    return {
        "regular": _open(
            pr_staff, soetta, "Rilis kinerja Oktober", scheduled_at=NOW + timedelta(days=2)
        ),
        "incidental": _open(pr_staff, soetta, "Deportasi dua WNA", type=ConferenceType.INCIDENTAL),
        # Opened long ago and never answered: its deadlines are missed.
        "crisis": _open(pr_staff, soetta, "Gangguan autogate", type=ConferenceType.CRISIS),
        "drill": _open(
            pr_staff,
            soetta,
            "Simulasi hoaks",
            type=ConferenceType.CRISIS,
            is_exercise=True,
            now=timezone.now(),
        ),
        "jakpus": _open(outsider, offices["jakpus"], "Layanan paspor Jakarta Pusat"),
    }


def _titles(response) -> set[str]:
    """The titles the page shows (from the HTML: a kept list has no rows in its context)."""
    html = response.content.decode()
    return {unescape(t) for t in re.findall(r'class="conf-title-link">([^<]*)</a>', html)}


def test_it_lists_the_conferences_of_the_offices_the_user_may_see(
    several, pr_staff, regional_supervisor
):
    mine = _titles(client_for(pr_staff).get(reverse("conferences:list")))
    assert mine == {
        "Rilis kinerja Oktober",
        "Deportasi dua WNA",
        "Gangguan autogate",
        "Simulasi hoaks",
    }
    # The regional supervisor reads the whole sub-tree, Jakarta Pusat included.
    assert "Layanan paspor Jakarta Pusat" in _titles(
        client_for(regional_supervisor).get(reverse("conferences:list"))
    )


@pytest.mark.parametrize(
    "query,expected",
    [
        ({"type": "crisis"}, {"Gangguan autogate", "Simulasi hoaks"}),
        ({"type": "crisis", "exercise": "no"}, {"Gangguan autogate"}),
        ({"exercise": "yes"}, {"Simulasi hoaks"}),
        ({"overdue": "on"}, {"Gangguan autogate"}),
        ({"q": "WNA"}, {"Deportasi dua WNA"}),
        ({"stage": "planning"}, set()),
        ({"date_from": "2025-11-21", "date_to": "2025-11-21"}, {"Rilis kinerja Oktober"}),
    ],
)
def test_it_filters(several, pr_staff, query, expected):
    response = client_for(pr_staff).get(reverse("conferences:list"), query)
    assert response.status_code == 200
    assert _titles(response) == expected


def test_it_filters_by_office_within_what_the_user_may_see(
    several, regional_supervisor, offices, pr_staff
):
    client = client_for(regional_supervisor)
    response = client.get(reverse("conferences:list"), {"office": offices["jakpus"].pk})
    assert _titles(response) == {"Layanan paspor Jakarta Pusat"}
    # An office outside the user's reach is not a valid choice: the filter is ignored
    # rather than leaking anything.
    response = client_for(pr_staff).get(
        reverse("conferences:list"), {"office": offices["jakpus"].pk}
    )
    assert "Layanan paspor Jakarta Pusat" not in _titles(response)
    assert "office" in response.context["form"].errors


def test_it_filters_by_stage(several, personas, jubir):
    walk_to(several["regular"], Stage.PLANNING, personas, spokesperson=jubir)
    response = client_for(personas["pr_staff"]).get(
        reverse("conferences:list"), {"stage": "planning"}
    )
    assert _titles(response) == {"Rilis kinerja Oktober"}


def test_it_marks_missed_crisis_deadlines_and_exercises(several, pr_staff):
    html = client_for(pr_staff).get(reverse("conferences:list")).content.decode()
    assert html.count('data-testid="overdue-badge"') == 1
    assert "conf-exercise" in html


def test_it_pages(templates, offices, pr_staff):
    for i in range(27):
        _open(pr_staff, offices["soetta"], f"Konferensi {i:02d}")
    client = client_for(pr_staff)
    first = client.get(reverse("conferences:list"), {"type": "regular"})
    assert len(first.context["conferences"]) == 25
    assert 'data-testid="next-page"' in first.content.decode()
    second = client.get(reverse("conferences:list"), {"type": "regular", "page": "2"})
    assert len(second.context["conferences"]) == 2
    # The filter is kept in the paging links.
    assert "type=regular" in second.content.decode()


def test_the_query_count_does_not_grow_with_the_rows(
    templates, offices, pr_staff, django_assert_num_queries, settings
):
    settings.CONFERENCES_LIST_CACHE_SECONDS = 0  # every request renders the list
    client = client_for(pr_staff)
    for i in range(3):
        _open(pr_staff, offices["soetta"], f"Krisis {i}", type=ConferenceType.CRISIS)
    client.get(reverse("conferences:list"))  # warm the session
    # session, user with their home office, memberships, count, page, missed deadlines,
    # the office filter's choices (the session is not rewritten on every request)
    with django_assert_num_queries(7) as small:
        client.get(reverse("conferences:list"))
    for i in range(12):
        _open(pr_staff, offices["soetta"], f"Krisis lagi {i}", type=ConferenceType.CRISIS)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(reverse("conferences:list"))


def test_an_empty_list_says_so(offices, pr_staff):
    response = client_for(pr_staff).get(reverse("conferences:list"))
    assert indonesian("No press conferences yet.") in response.content.decode()


# --- The kept list (CONFERENCES_LIST_CACHE_SECONDS, on in these tests) -------------------


def test_a_kept_list_costs_three_queries(several, pr_staff, django_assert_max_num_queries):
    client = client_for(pr_staff)
    client.get(reverse("conferences:list"))  # renders and keeps the list
    # The session, the person, their memberships: nothing of the list itself.
    with django_assert_max_num_queries(3):
        response = client.get(reverse("conferences:list"))
    assert _titles(response) >= {"Rilis kinerja Oktober", "Gangguan autogate"}


def test_a_kept_list_is_never_shown_to_another_scope(
    several, pr_staff, pr_staff2, outsider, regional_supervisor
):
    assert "Gangguan autogate" in _titles(client_for(pr_staff).get(reverse("conferences:list")))
    # Jakarta Pusat's staff: their office only, although Soekarno-Hatta's list is kept.
    theirs = _titles(client_for(outsider).get(reverse("conferences:list")))
    assert "Gangguan autogate" not in theirs and "Layanan paspor Jakarta Pusat" in theirs
    # The regional supervisor sees both offices (another scope: another list).
    both = _titles(client_for(regional_supervisor).get(reverse("conferences:list")))
    assert {"Gangguan autogate", "Layanan paspor Jakarta Pusat"} <= both
    # Same office, same roles: the same kept list.
    assert "Layanan paspor Jakarta Pusat" not in _titles(
        client_for(pr_staff2).get(reverse("conferences:list"))
    )


def test_a_person_sees_their_own_change_at_once(several, pr_staff, offices):
    client = client_for(pr_staff)
    client.get(reverse("conferences:list"))  # kept
    created = _open(pr_staff, offices["soetta"], "Konferensi baru sekali")
    assert "Konferensi baru sekali" in _titles(client.get(reverse("conferences:list")))
    workflow.update_conference(
        pr_staff, created, expected_version=created.version, title="Judul yang diubah"
    )
    titles = _titles(client.get(reverse("conferences:list")))
    assert "Judul yang diubah" in titles and "Konferensi baru sekali" not in titles
