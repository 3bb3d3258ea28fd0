"""Vega-Lite chart specifications for the media-analysis pages (and later, documents).

Every builder is a pure function: plain values in (counts, buckets, labels), a JSON-able
``dict`` out. Nothing here queries the database or renders anything. The page puts the
dict in a ``<script type="application/json">`` block and ``monitoring/charts.js`` draws it
with the vendored vega-embed; a document generator can hand the same dict to vl-convert.

Specs are self-contained:

- the Indonesian (or English) number and time locale travels in ``config.locale``, so
  axes read "1.234" and "19 Nov" wherever the spec is rendered;
- times are sent as the office's *wall-clock* time written as if it were UTC and drawn on
  UTC scales, so the chart shows office time (WIB/WITA/WIT) whatever the zone of the
  browser or of the machine that converts the spec;
- tooltips carry labels formatted here by :mod:`prima.lib.dates` ("Rabu, 19 November
  2025, 10.00 WIB").

Builders translate their titles with the active language (``gettext``); activate the
language of the reader before calling them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from prima.lib import dates
from prima.lib.money import format_number

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
SENTIMENTS = ("positive", "neutral", "negative")
SENTIMENT_COLOURS = {"positive": "#1e7b34", "neutral": "#8a94a3", "negative": "#b3261e"}
BRAND = "#0b3d91"
PREVIOUS_COLOUR = "#b7c3d6"
FONT = "DejaVu Sans, system-ui, sans-serif"

Width = int | Literal["container"]
Unit = Literal["hour", "day"]

# d3-format / d3-time-format locale definitions (https://github.com/d3/d3-format#locales).
_NUMBER_ID = {
    "decimal": ",",
    "thousands": ".",
    "grouping": [3],
    "currency": ["Rp", ""],
    "percent": "%",
    "minus": "-",
}
_NUMBER_EN = {
    "decimal": ".",
    "thousands": ",",
    "grouping": [3],
    "currency": ["Rp", ""],
    "percent": "%",
    "minus": "-",
}
_TIME_ID = {
    "dateTime": "%A, %e %B %Y %H.%M",
    "date": "%d/%m/%Y",
    "time": "%H.%M.%S",
    "periods": ["", ""],
    "days": ["Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"],
    "shortDays": ["Min", "Sen", "Sel", "Rab", "Kam", "Jum", "Sab"],
    "months": dates.MONTHS_ID,
    "shortMonths": [
        "Jan",
        "Feb",
        "Mar",
        "Apr",
        "Mei",
        "Jun",
        "Jul",
        "Agu",
        "Sep",
        "Okt",
        "Nov",
        "Des",
    ],
}
_TIME_EN = {
    "dateTime": "%A, %e %B %Y %H:%M",
    "date": "%d/%m/%Y",
    "time": "%H:%M:%S",
    "periods": ["AM", "PM"],
    "days": ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
    "shortDays": ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
    "months": dates.MONTHS_EN,
    "shortMonths": [
        "Jan",
        "Feb",
        "Mar",
        "Apr",
        "May",
        "Jun",
        "Jul",
        "Aug",
        "Sep",
        "Oct",
        "Nov",
        "Dec",
    ],
}


def _lang(lang: str | None) -> str:
    return "en" if (lang or get_language() or "id").startswith("en") else "id"


def vega_locale(lang: str | None = None) -> dict[str, Any]:
    """The ``config.locale`` block: Indonesian ("1.234,5", "19 Nov") or English."""
    if _lang(lang) == "en":
        return {"number": dict(_NUMBER_EN), "time": dict(_TIME_EN)}
    return {"number": dict(_NUMBER_ID), "time": dict(_TIME_ID)}


def sentiment_label(sentiment: str) -> str:
    return {
        "positive": _("Positive"),
        "neutral": _("Neutral"),
        "negative": _("Negative"),
    }.get(sentiment, sentiment)


def format_percent(value: float, decimals: int = 1, lang: str | None = None) -> str:
    """``12.5`` → "12,5%" (id) or "12.5%" (en)."""
    text = format_number(value, decimals)
    if _lang(lang) == "en":
        text = text.replace(".", "\x00").replace(",", ".").replace("\x00", ",")
    return f"{text}%"


@dataclass(frozen=True, slots=True)
class Change:
    """How a count moved against the previous period of the same length."""

    current: int
    previous: int

    @property
    def delta(self) -> int:
        return self.current - self.previous

    @property
    def percent(self) -> float | None:
        """Relative change in percent; None when there was nothing before."""
        if self.previous == 0:
            return None
        return 100.0 * self.delta / self.previous

    @property
    def direction(self) -> Literal["up", "down", "flat"]:
        if self.delta > 0:
            return "up"
        if self.delta < 0:
            return "down"
        return "flat"

    @property
    def arrow(self) -> str:
        return {"up": "▲", "down": "▼", "flat": "▬"}[self.direction]

    def text(self, lang: str | None = None) -> str:
        """ "+12,5%", "-3%", "±0%", or "baru" / "new" when the previous period had none."""
        pct = self.percent
        if pct is None:
            return _("new") if self.current else "±0%"
        if self.delta == 0:
            return "±0%"
        sign = "+" if pct > 0 else "-"
        decimals = 0 if abs(pct) >= 10 else 1
        return sign + format_percent(abs(pct), decimals, lang)


def change(current: int, previous: int) -> Change:
    return Change(int(current or 0), int(previous or 0))


def sentiment_rows(points: Iterable[Any]) -> list[tuple[Any, str, int]]:
    """Flatten per-bucket counts into :func:`volume_chart` rows.

    Accepts mappings or objects with ``at``, ``positive``, ``neutral`` and ``negative``
    (the rows of ``analytics.volume_by_sentiment`` and ``issues.volume_series``).
    """
    rows = []
    for point in points:
        get = point.get if isinstance(point, Mapping) else lambda k, p=point: getattr(p, k)
        for sentiment in SENTIMENTS:
            rows.append((get("at"), sentiment, int(get(sentiment) or 0)))
    return rows


def _wall_clock(value: datetime, tz_name: str) -> str:
    """The office's local time written as UTC ISO text (see the module docstring)."""
    local = dates.to_local(value, tz_name)
    return local.replace(tzinfo=None).isoformat(timespec="minutes") + "Z"


def _base(
    spec: dict[str, Any],
    *,
    width: Width,
    height: int | dict[str, int],
    lang: str | None,
    title: str | None,
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "$schema": SCHEMA,
        "width": width,
        "height": height,
        # A step height (ranking bars) grows with the rows; only the width is fitted then.
        "autosize": {"type": "fit-x" if isinstance(height, dict) else "fit", "contains": "padding"},
        "background": "white",
        "config": {
            "locale": vega_locale(lang),
            "font": FONT,
            "view": {"stroke": None},
            "axis": {
                "labelFontSize": 11,
                "titleFontSize": 11,
                "grid": True,
                "gridColor": "#eef1f5",
                "domainColor": "#d9dee5",
                "tickColor": "#d9dee5",
            },
            "legend": {
                "labelFontSize": 11,
                "titleFontSize": 11,
                "orient": "bottom",
                "direction": "horizontal",
            },
            "title": {"fontSize": 13, "anchor": "start", "color": "#1c2430"},
        },
    }
    if title:
        out["title"] = title
    out.update(spec)
    return out


def _count_axis(largest: int, **extra: Any) -> dict[str, Any]:
    """An axis of whole counts: explicit ticks for small numbers (no "0 0 1 1" labels)."""
    axis: dict[str, Any] = {"format": ",d", **extra}
    if largest < 8:
        axis["values"] = list(range(0, max(largest, 1) + 1))
    else:
        axis["tickMinStep"] = 1
    return axis


def _sentiment_scale() -> dict[str, Any]:
    return {
        "domain": [sentiment_label(s) for s in SENTIMENTS],
        "range": [SENTIMENT_COLOURS[s] for s in SENTIMENTS],
    }


def volume_chart(
    rows: Iterable[tuple[datetime, str, int]],
    *,
    unit: Unit = "day",
    tz_name: str = dates.DEFAULT_TZ,
    mark: Literal["bar", "area"] = "bar",
    title: str | None = None,
    width: Width = "container",
    height: int = 240,
    lang: str | None = None,
) -> dict[str, Any]:
    """Mentions over time stacked by sentiment.

    ``rows`` are ``(bucket_start, sentiment, count)``; buckets with no row for a sentiment
    count as zero (so stacked areas do not interpolate across gaps).
    """
    language = _lang(lang)
    counts: dict[datetime, dict[str, int]] = {}
    for bucket, sentiment, count in rows:
        per = counts.setdefault(bucket, dict.fromkeys(SENTIMENTS, 0))
        if sentiment in per:
            per[sentiment] += int(count or 0)
    values = []
    for bucket in sorted(counts):
        if unit == "hour":
            label = dates.format_datetime(bucket, language, tz_name=tz_name)
        else:
            label = dates.format_date(bucket, language, tz_name=tz_name)
        total = sum(counts[bucket].values())
        for order, sentiment in enumerate(SENTIMENTS):
            values.append(
                {
                    "t": _wall_clock(bucket, tz_name),
                    "when": label,
                    "sentiment": sentiment_label(sentiment),
                    "order": order,
                    "count": counts[bucket][sentiment],
                    "total": total,
                }
            )
    largest = max((sum(per.values()) for per in counts.values()), default=0)
    time_unit = "utcyearmonthdatehours" if unit == "hour" else "utcyearmonthdate"
    hour_format = "%H.%M" if language == "id" else "%H:%M"
    if unit == "hour":
        axis_format = hour_format if mark == "bar" else f"%e %b {hour_format}"
    else:
        axis_format = "%e %b"
    spec = {
        "data": {"values": values},
        "mark": {"type": mark, "tooltip": True}
        | ({"line": False, "opacity": 0.85} if mark == "area" else {}),
        "encoding": {
            # Bars: one band per bucket, labels centred under it; areas: a time axis.
            "x": {
                "field": "t",
                "type": "ordinal" if mark == "bar" else "temporal",
                "timeUnit": time_unit,
                "title": None,
                "axis": {
                    "format": axis_format,
                    "labelOverlap": True,
                    "labelAngle": 0,
                    "grid": False,
                },
            },
            "y": {
                "field": "count",
                "type": "quantitative",
                "aggregate": "sum",
                "stack": "zero",
                "title": _("Mentions"),
                "axis": _count_axis(largest),
            },
            "color": {
                "field": "sentiment",
                "type": "nominal",
                "title": _("Sentiment"),
                "scale": _sentiment_scale(),
            },
            "order": {"field": "order", "type": "quantitative"},
            "tooltip": [
                {"field": "when", "type": "nominal", "title": _("Time")},
                {"field": "sentiment", "type": "nominal", "title": _("Sentiment")},
                {
                    "field": "count",
                    "type": "quantitative",
                    "aggregate": "sum",
                    "title": _("Mentions"),
                    "format": ",d",
                },
                {
                    "field": "total",
                    "type": "quantitative",
                    "aggregate": "max",
                    "title": _("All sentiments"),
                    "format": ",d",
                },
            ],
        },
    }
    return _base(
        spec,
        width=width,
        height=height,
        lang=language,
        title=title if title is not None else _("Volume over time by sentiment"),
    )


def sentiment_share_chart(
    counts: Mapping[str, int],
    *,
    title: str | None = None,
    width: Width = "container",
    height: int = 220,
    lang: str | None = None,
) -> dict[str, Any]:
    """A donut of the positive / neutral / negative shares of ``counts``."""
    language = _lang(lang)
    total = sum(int(counts.get(s, 0) or 0) for s in SENTIMENTS)
    values = []
    for order, sentiment in enumerate(SENTIMENTS):
        count = int(counts.get(sentiment, 0) or 0)
        share = 100.0 * count / total if total else 0.0
        values.append(
            {
                "sentiment": sentiment_label(sentiment),
                "order": order,
                "count": count,
                "share": format_percent(share, 1, language),
            }
        )
    spec = {
        "data": {"values": values},
        "mark": {"type": "arc", "innerRadius": 50, "tooltip": True},
        "encoding": {
            "theta": {"field": "count", "type": "quantitative", "stack": True},
            "color": {
                "field": "sentiment",
                "type": "nominal",
                "title": _("Sentiment"),
                "scale": _sentiment_scale(),
            },
            "order": {"field": "order", "type": "quantitative"},
            "tooltip": [
                {"field": "sentiment", "type": "nominal", "title": _("Sentiment")},
                {"field": "count", "type": "quantitative", "title": _("Mentions"), "format": ",d"},
                {"field": "share", "type": "nominal", "title": _("Share")},
            ],
        },
        "view": {"stroke": None},
    }
    return _base(
        spec,
        width=width,
        height=height,
        lang=language,
        title=title if title is not None else _("Sentiment share"),
    )


def ranking_chart(
    rows: Sequence[Mapping[str, Any]],
    *,
    title: str,
    value_title: str | None = None,
    colour: str = BRAND,
    width: Width = "container",
    bar_height: int = 22,
    label_limit: int = 180,
    lang: str | None = None,
) -> dict[str, Any]:
    """Horizontal bars, largest first: rows of ``{"label", "count"}`` and optionally
    ``"href"`` (a click opens it), ``"detail"`` (shown in the tooltip)."""
    language = _lang(lang)
    values: list[dict[str, Any]] = [
        {
            "rank": i,
            "label": str(row.get("label") or "—"),
            "count": int(row.get("count") or 0),
            "detail": str(row.get("detail") or ""),
            **({"href": str(row["href"])} if row.get("href") else {}),
        }
        for i, row in enumerate(rows, start=1)
    ]
    has_links = any("href" in v for v in values)
    encoding: dict[str, Any] = {
        "y": {
            "field": "label",
            "type": "nominal",
            "title": None,
            "sort": {"field": "rank", "order": "ascending"},
            "axis": {"labelLimit": label_limit, "grid": False},
        },
        "x": {
            "field": "count",
            "type": "quantitative",
            "title": value_title if value_title is not None else _("Mentions"),
            "axis": _count_axis(max((v["count"] for v in values), default=0)),
        },
        "tooltip": [
            {"field": "label", "type": "nominal", "title": _("Name")},
            {
                "field": "count",
                "type": "quantitative",
                "title": value_title if value_title is not None else _("Mentions"),
                "format": ",d",
            },
        ],
    }
    if any(v["detail"] for v in values):
        encoding["tooltip"].append({"field": "detail", "type": "nominal", "title": " "})
    if has_links:
        encoding["href"] = {"field": "href", "type": "nominal"}
    spec = {
        "data": {"values": values},
        "mark": {
            "type": "bar",
            "color": colour,
            "tooltip": True,
            **({"cursor": "pointer"} if has_links else {}),
        },
        "encoding": encoding,
    }
    return _base(spec, width=width, height={"step": bar_height}, lang=language, title=title)


def top_issues_chart(rows: Sequence[Mapping[str, Any]], **kwargs: Any) -> dict[str, Any]:
    """Issues with the most mentions in the period (``label``, ``count``, ``href``)."""
    return ranking_chart(rows, title=kwargs.pop("title", _("Top issues")), **kwargs)


def top_outlets_chart(rows: Sequence[Mapping[str, Any]], **kwargs: Any) -> dict[str, Any]:
    return ranking_chart(rows, title=kwargs.pop("title", _("Top outlets")), **kwargs)


def top_authors_chart(rows: Sequence[Mapping[str, Any]], **kwargs: Any) -> dict[str, Any]:
    return ranking_chart(rows, title=kwargs.pop("title", _("Top authors")), **kwargs)


def most_shared_chart(rows: Sequence[Mapping[str, Any]], **kwargs: Any) -> dict[str, Any]:
    """Items with the most engagement (``label`` = title or first words, ``count`` =
    likes + shares + comments, ``detail`` = outlet or author)."""
    return ranking_chart(
        rows,
        title=kwargs.pop("title", _("Most shared items")),
        value_title=kwargs.pop("value_title", _("Engagement")),
        colour=kwargs.pop("colour", "#6a3d9a"),
        label_limit=kwargs.pop("label_limit", 260),
        **kwargs,
    )


def comparison_chart(
    current: Mapping[str, int],
    previous: Mapping[str, int],
    *,
    current_label: str | None = None,
    previous_label: str | None = None,
    title: str | None = None,
    width: Width = "container",
    height: int = 220,
    lang: str | None = None,
) -> dict[str, Any]:
    """This period against the previous one, per sentiment and in total (grouped bars);
    the tooltip gives the change ("+12%")."""
    language = _lang(lang)
    now_label = current_label or _("This period")
    before_label = previous_label or _("Previous period")
    groups = [(sentiment_label(s), s) for s in SENTIMENTS] + [(_("All"), None)]
    values: list[dict[str, Any]] = []
    for order, (label, key) in enumerate(groups):
        now = (
            sum(current.get(s, 0) or 0 for s in SENTIMENTS) if key is None else current.get(key, 0)
        )
        before = (
            sum(previous.get(s, 0) or 0 for s in SENTIMENTS)
            if key is None
            else previous.get(key, 0)
        )
        moved = change(now or 0, before or 0)
        for period_order, (period, count) in enumerate(((before_label, before), (now_label, now))):
            values.append(
                {
                    "group": label,
                    "group_order": order,
                    "period": period,
                    "period_order": period_order,
                    "count": int(count or 0),
                    "change": moved.text(language),
                }
            )
    spec = {
        "data": {"values": values},
        "mark": {"type": "bar", "tooltip": True},
        "encoding": {
            "x": {
                "field": "group",
                "type": "nominal",
                "title": None,
                "sort": {"field": "group_order"},
                "axis": {"labelAngle": 0},
            },
            "xOffset": {"field": "period", "type": "nominal", "sort": {"field": "period_order"}},
            "y": {
                "field": "count",
                "type": "quantitative",
                "title": _("Mentions"),
                "axis": _count_axis(max((v["count"] for v in values), default=0)),
            },
            "color": {
                "field": "period",
                "type": "nominal",
                "title": None,
                "sort": {"field": "period_order"},
                "scale": {"domain": [before_label, now_label], "range": [PREVIOUS_COLOUR, BRAND]},
            },
            "tooltip": [
                {"field": "group", "type": "nominal", "title": _("Sentiment")},
                {"field": "period", "type": "nominal", "title": _("Period")},
                {"field": "count", "type": "quantitative", "title": _("Mentions"), "format": ",d"},
                {"field": "change", "type": "nominal", "title": _("Change")},
            ],
        },
    }
    return _base(
        spec,
        width=width,
        height=height,
        lang=language,
        title=title if title is not None else _("Change against the previous period"),
    )


def issue_volume_chart(
    points: Iterable[tuple[datetime, int]],
    *,
    unit: Unit = "day",
    tz_name: str = dates.DEFAULT_TZ,
    title: str | None = None,
    width: Width = "container",
    height: int = 180,
    lang: str | None = None,
) -> dict[str, Any]:
    """An issue's own volume series: mentions per bucket as an area with points."""
    language = _lang(lang)
    values: list[dict[str, Any]] = []
    for bucket, count in sorted(points, key=lambda p: p[0]):
        when = (
            dates.format_datetime(bucket, language, tz_name=tz_name)
            if unit == "hour"
            else dates.format_date(bucket, language, tz_name=tz_name)
        )
        values.append({"t": _wall_clock(bucket, tz_name), "when": when, "count": int(count or 0)})
    time_unit = "utcyearmonthdatehours" if unit == "hour" else "utcyearmonthdate"
    axis_format = "%e %b %H.%M" if unit == "hour" else "%e %b"
    spec = {
        "data": {"values": values},
        "mark": {
            "type": "area",
            "line": {"color": BRAND},
            "color": "#c9d6ee",
            "point": {"color": BRAND, "size": 25},
            "tooltip": True,
        },
        "encoding": {
            "x": {
                "field": "t",
                "type": "temporal",
                "timeUnit": time_unit,
                "title": None,
                "axis": {"format": axis_format, "labelOverlap": True, "grid": False},
            },
            "y": {
                "field": "count",
                "type": "quantitative",
                "title": _("Mentions"),
                "axis": _count_axis(max((v["count"] for v in values), default=0)),
            },
            "tooltip": [
                {"field": "when", "type": "nominal", "title": _("Time")},
                {"field": "count", "type": "quantitative", "title": _("Mentions"), "format": ",d"},
            ],
        },
    }
    return _base(
        spec,
        width=width,
        height=height,
        lang=language,
        title=title if title is not None else _("Volume"),
    )
