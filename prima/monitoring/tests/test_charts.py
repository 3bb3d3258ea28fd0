"""The Vega-Lite spec builders: plain dicts, Indonesian formatting, office wall-clock time."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import translation
from django.utils.translation import gettext as _

from prima.monitoring import charts

T0 = datetime(2025, 11, 18, 17, 0, tzinfo=UTC)  # Rabu 19 November 2025, 00.00 WIB


@pytest.fixture(autouse=True)
def indonesian():
    with translation.override("id"):
        yield


def _all_specs() -> dict[str, dict]:
    rows = [
        (T0 + timedelta(days=d), s, 10 * d + i)
        for d in range(3)
        for i, s in enumerate(charts.SENTIMENTS)
    ]
    ranking = [
        {"label": "Antrean autogate", "count": 1520, "href": "/monitoring/issues/1/"},
        {"label": "Hoaks paspor", "count": 40},
    ]
    return {
        "volume": charts.volume_chart(rows),
        "volume_hourly": charts.volume_chart(rows, unit="hour", mark="area"),
        "share": charts.sentiment_share_chart({"positive": 1, "neutral": 2, "negative": 1}),
        "issues": charts.top_issues_chart(ranking),
        "outlets": charts.top_outlets_chart(ranking),
        "authors": charts.top_authors_chart(ranking),
        "shared": charts.most_shared_chart(ranking),
        "comparison": charts.comparison_chart({"positive": 5}, {"positive": 4}),
        "issue": charts.issue_volume_chart([(T0, 3), (T0 + timedelta(days=1), 5)]),
    }


def test_every_builder_returns_a_json_able_vega_lite_spec():
    for name, spec in _all_specs().items():
        assert spec["$schema"].endswith("vega-lite/v5.json"), name
        assert json.loads(json.dumps(spec)) == spec, name
        assert spec["data"]["values"], name


def test_specs_carry_the_indonesian_number_and_time_locale():
    spec = charts.volume_chart([(T0, "positive", 1234)])
    locale = spec["config"]["locale"]
    assert locale["number"]["thousands"] == "." and locale["number"]["decimal"] == ","
    assert locale["time"]["months"][10] == "November"
    assert "Agu" in locale["time"]["shortMonths"]


def test_english_readers_get_the_english_locale():
    with translation.override("en"):
        spec = charts.volume_chart([(T0, "positive", 1)])
    assert spec["config"]["locale"]["number"]["thousands"] == ","
    assert spec["config"]["locale"]["time"]["days"][0] == "Sunday"


def test_volume_times_are_office_wall_clock_and_tooltips_are_indonesian():
    spec = charts.volume_chart([(T0, "negative", 7)], unit="hour")
    values = spec["data"]["values"]
    assert {v["t"] for v in values} == {"2025-11-19T00:00Z"}
    assert values[0]["when"] == "Rabu, 19 November 2025, 00.00 WIB"
    assert spec["encoding"]["x"]["timeUnit"].startswith("utc")


def test_volume_in_wita_uses_the_office_zone():
    spec = charts.volume_chart([(T0, "negative", 7)], unit="hour", tz_name="Asia/Makassar")
    assert spec["data"]["values"][0]["t"] == "2025-11-19T01:00Z"
    assert spec["data"]["values"][0]["when"].endswith("01.00 WITA")


def test_volume_fills_missing_sentiments_with_zero():
    spec = charts.volume_chart([(T0, "negative", 7), (T0, "negative", 3)])
    by_sentiment = {v["sentiment"]: v["count"] for v in spec["data"]["values"]}
    label = charts.sentiment_label
    assert by_sentiment == {label("positive"): 0, label("neutral"): 0, label("negative"): 10}
    assert {v["total"] for v in spec["data"]["values"]} == {10}


def test_sentiment_colours_are_fixed_whatever_the_data():
    spec = charts.sentiment_share_chart({"negative": 3})
    scale = spec["encoding"]["color"]["scale"]
    assert scale["range"] == ["#1e7b34", "#8a94a3", "#b3261e"]
    shares = {v["sentiment"]: v["share"] for v in spec["data"]["values"]}
    label = charts.sentiment_label
    assert shares[label("negative")] == "100,0%" and shares[label("positive")] == "0,0%"


def test_share_of_nothing_is_zero_not_an_error():
    spec = charts.sentiment_share_chart({})
    assert {v["share"] for v in spec["data"]["values"]} == {"0,0%"}


def test_ranking_keeps_the_given_order_and_links():
    spec = charts.top_issues_chart(
        [{"label": "A", "count": 1, "href": "/a"}, {"label": "B", "count": 9}]
    )
    assert [v["label"] for v in spec["data"]["values"]] == ["A", "B"]
    assert spec["encoding"]["href"]["field"] == "href"
    assert spec["height"] == {"step": 22}


@pytest.mark.parametrize(
    ("current", "previous", "text", "arrow"),
    [
        (150, 100, "+50%", "▲"),
        (95, 100, "-5,0%", "▼"),
        (100, 100, "±0%", "▬"),
        (3, 0, "new", "▲"),
        (0, 0, "±0%", "▬"),
        (1234, 1000, "+23%", "▲"),
    ],
)
def test_change_against_the_previous_period(current, previous, text, arrow):
    moved = charts.change(current, previous)
    assert moved.text() == (_(text) if text == "new" else text)
    assert moved.arrow == arrow


def test_change_in_english_uses_a_decimal_point():
    assert charts.change(95, 100).text("en") == "-5.0%"


def test_comparison_puts_the_change_in_the_tooltip():
    spec = charts.comparison_chart({"positive": 6, "negative": 2}, {"positive": 4, "negative": 2})
    rows = {(v["group"], v["period"]): v for v in spec["data"]["values"]}
    positive, now, before = (
        charts.sentiment_label("positive"),
        _("This period"),
        _("Previous period"),
    )
    assert rows[(positive, now)]["count"] == 6
    assert rows[(positive, now)]["change"] == "+50%"
    assert rows[(_("All"), before)]["count"] == 6


def test_every_spec_renders_on_the_server_with_vl_convert():
    import vl_convert as vlc  # the test extra installs it: this test always runs

    for name, spec in _all_specs().items():
        assert vlc.vegalite_to_svg(spec | {"width": 400}).startswith("<svg"), name


def test_server_rendered_axes_group_thousands_the_indonesian_way():
    import vl_convert as vlc

    svg = vlc.vegalite_to_svg(charts.volume_chart([(T0, "positive", 1234)]) | {"width": 400})
    labels = re.findall(r">([^<>]+)</text>", svg)
    ticks = sorted(label for label in labels if re.fullmatch(r"[\d.,]+", label))
    assert ticks == ["0", "1.000", "500"]  # English would group "1,000"


def test_sentiment_rows_flatten_analytics_dicts_and_objects():
    class Point:
        at, positive, neutral, negative = T0, 1, 2, 3

    rows = charts.sentiment_rows([{"at": T0, "positive": 4, "neutral": 0, "negative": 1}, Point()])
    assert rows[:3] == [(T0, "positive", 4), (T0, "neutral", 0), (T0, "negative", 1)]
    assert rows[3:] == [(T0, "positive", 1), (T0, "neutral", 2), (T0, "negative", 3)]


def test_small_counts_get_whole_number_ticks():
    spec = charts.top_outlets_chart([{"label": "Kompas.com", "count": 1}])
    assert spec["encoding"]["x"]["axis"]["values"] == [0, 1]
    big = charts.top_outlets_chart([{"label": "Kompas.com", "count": 1200}])
    assert "values" not in big["encoding"]["x"]["axis"]
