"""The media-analysis dashboard: periods, offices, change against the previous period,
charts as JSON data blocks, and a query count that does not grow with the data."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from prima.conftest import client_for
from prima.lib import shortcache
from prima.monitoring.tests.views_fixtures import coverage

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
URL = reverse("monitoring:dashboard")


@pytest.fixture(autouse=True)
def _tasks(settings):
    settings.TASKS = IMMEDIATE


def _kpi(response, key: str) -> dict:
    return next(k for k in response.context["kpis"] if k["key"] == key)


def test_it_shows_the_last_seven_days_by_default(pr_staff, offices):
    coverage(offices["soetta"])
    response = client_for(pr_staff).get(URL)
    assert response.status_code == 200
    chosen = response.context["chosen"]
    assert (chosen.key, chosen.bucket) == ("7d", "day")
    assert len(response.context["volume"]) == 7
    assert _kpi(response, "mentions")["value"] == 10
    assert sum(row["total"] for row in response.context["volume"]) == 10


def test_the_last_24_hours_are_shown_by_the_hour(pr_staff, offices):
    coverage(offices["soetta"])
    response = client_for(pr_staff).get(URL, {"period": "24h"})
    assert response.context["chosen"].bucket == "hour"
    assert len(response.context["volume"]) == 24
    # The syndicated story (28–30 hours old) and a two-day-old post are outside.
    assert _kpi(response, "mentions")["value"] == 6


def test_a_custom_period_of_two_days_is_hourly(pr_staff, offices):
    coverage(offices["soetta"])
    today = timezone.localdate()
    response = client_for(pr_staff).get(
        URL,
        {
            "period": "custom",
            "start": (today - timedelta(days=1)).isoformat(),
            "end": today.isoformat(),
        },
    )
    chosen = response.context["chosen"]
    assert (chosen.key, chosen.bucket) == ("custom", "hour")
    assert len(response.context["volume"]) == 48


def test_a_custom_period_needs_both_days(pr_staff, offices):
    response = client_for(pr_staff).get(URL, {"period": "custom", "start": "2025-11-01"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert response.context["chosen"].key == "7d"


def test_change_against_the_previous_period(pr_staff, offices):
    now = timezone.now()
    coverage(offices["soetta"], now=now)
    coverage(offices["soetta"], now=now - timedelta(days=8), prefix="old")
    response = client_for(pr_staff).get(URL, {"period": "7d"})
    mentions = _kpi(response, "mentions")
    assert mentions["value"] == 10
    # The earlier copy falls partly in the previous 7 days.
    assert mentions["change"].previous > 0
    assert mentions["change"].text().startswith(("+", "-", "±"))
    assert "vs" in response.content.decode() or "dibanding" in response.content.decode()


def test_a_supervisor_reads_the_sub_tree_and_may_pick_one_office(regional_supervisor, offices):
    coverage(offices["soetta"])
    coverage(offices["jakpus"], prefix="jp")
    client = client_for(regional_supervisor)
    whole = client.get(URL)
    assert whole.context["several_offices"] is True
    assert _kpi(whole, "mentions")["value"] == 20
    one = client.get(URL, {"office": offices["soetta"].pk})
    assert _kpi(one, "mentions")["value"] == 10
    assert one.context["selected"] == offices["soetta"]


def test_an_office_outside_the_sub_tree_cannot_be_picked(regional_supervisor, offices):
    coverage(offices["soetta"])
    response = client_for(regional_supervisor).get(URL, {"office": offices["kanwil_bali"].pk})
    assert response.context["form"].errors
    assert response.context["selected"] == offices["kanwil"]


def test_the_outsider_sees_only_their_own_office(outsider, offices):
    coverage(offices["soetta"])
    response = client_for(outsider).get(URL)
    assert _kpi(response, "mentions")["value"] == 0
    assert response.context["most_shared"] == []
    assert "HOAKS" not in response.content.decode()


def test_charts_are_json_data_blocks_and_there_is_no_inline_script(pr_staff, offices):
    coverage(offices["soetta"])
    html = client_for(pr_staff).get(URL).content.decode()
    for chart in ("volume", "share", "comparison", "issues", "outlets", "authors"):
        assert f'<script id="chart-{chart}" type="application/json">' in html
        assert f'data-chart="chart-{chart}"' in html
    scripts = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", html)
    assert scripts == []
    assert "vega-embed-6.29.0.min.js" in html and "monitoring/charts.js" in html


def test_most_shared_items_and_top_lists(pr_staff, offices):
    coverage(offices["soetta"])
    response = client_for(pr_staff).get(URL)
    shared = response.context["most_shared"]
    assert shared[0].text.startswith("HOAKS")
    assert [o["name"] for o in response.context["top_outlets"]] == [
        "Antara News",
        "Detik.com",
        "Kompas.com",
    ]
    assert {a["name"] for a in response.context["top_authors"]} >= {"@infoviral", "@warga0"}


def test_the_query_count_does_not_grow_with_the_data(
    pr_staff, offices, django_assert_max_num_queries, settings
):
    settings.MONITORING_DASHBOARD_CACHE_SECONDS = 0  # every request computes the figures
    coverage(offices["soetta"])
    client = client_for(pr_staff)
    client.get(URL)  # warm the session
    with django_assert_max_num_queries(20) as small:
        client.get(URL)
    for n in range(3):
        coverage(offices["soetta"], prefix=f"more{n}", now=timezone.now() - timedelta(hours=n))
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(URL)


def test_cached_figures_are_shared_only_by_people_who_see_the_same_offices(
    pr_staff, regional_supervisor, outsider, offices, django_assert_max_num_queries
):
    coverage(offices["soetta"])
    coverage(offices["jakpus"], prefix="jp")
    supervisor = client_for(regional_supervisor)
    assert _kpi(supervisor.get(URL), "mentions")["value"] == 20  # the sub-tree, now cached
    staff = client_for(pr_staff)
    assert _kpi(staff.get(URL), "mentions")["value"] == 10  # their office only
    other = client_for(outsider).get(URL)  # Jakarta Pusat's staff: their office only
    assert _kpi(other, "mentions")["value"] == 10
    assert [o["name"] for o in other.context["top_outlets"]] == [
        o["name"]
        for o in supervisor.get(URL, {"office": offices["jakpus"].pk}).context["top_outlets"]
    ]
    one = supervisor.get(URL, {"office": offices["soetta"].pk})  # = pr_staff's offices
    assert _kpi(one, "mentions")["value"] == 10
    # A second look within the cache time reads the figures from the cache (fewer
    # queries) and they are the same.
    shortcache.clear()
    with django_assert_max_num_queries(100) as first:
        supervisor.get(URL, {"office": offices["jakpus"].pk})
    with django_assert_max_num_queries(len(first.captured_queries) - 5) as again:
        response = supervisor.get(URL, {"office": offices["jakpus"].pk})
    assert _kpi(response, "mentions")["value"] == 10
    assert len(again.captured_queries) < len(first.captured_queries)


def test_without_the_cache_new_mentions_count_at_once(pr_staff, offices, settings):
    settings.MONITORING_DASHBOARD_CACHE_SECONDS = 0
    client = client_for(pr_staff)
    coverage(offices["soetta"])
    assert _kpi(client.get(URL), "mentions")["value"] == 10
    coverage(offices["soetta"], prefix="more")
    assert _kpi(client.get(URL), "mentions")["value"] == 20


def test_watching_the_dashboard_in_a_storm_costs_four_queries(
    regional_supervisor, offices, django_assert_max_num_queries
):
    """Kept figures (rendered once) and the office select drawn from the offices already
    read: the session, the person, their memberships and the offices they see."""
    coverage(offices["soetta"])
    client = client_for(regional_supervisor)
    client.get(URL)  # computes and keeps the figures
    with django_assert_max_num_queries(4):
        response = client.get(URL)
    html = response.content.decode()
    assert 'data-testid="kpi-mentions"' in html and 'data-chart="chart-volume"' in html
    options = re.findall(r'<option value="(\d+)"', html)
    assert sorted(int(pk) for pk in options) == sorted(
        offices[name].pk for name in ("kanwil", "jakpus", "soetta")
    )


def test_kept_figures_follow_the_language(pr_staff, offices):
    coverage(offices["soetta"])
    client = client_for(pr_staff)
    indonesian = client.get(URL, HTTP_ACCEPT_LANGUAGE="id").content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Show the figures" in english and "Show the figures" not in indonesian
