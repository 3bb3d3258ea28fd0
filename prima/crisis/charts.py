"""The case page's volume chart (Vega-Lite, drawn like the monitoring dashboard's by
``monitoring/charts.js``): mentions per bucket, negative ones stacked under the others,
the burst's start and every signal marked on the curve.

Pure: buckets in, a JSON-able spec out. Times are the office's wall-clock time on UTC
scales (as in :mod:`prima.monitoring.charts`), so the chart reads WIB/WITA/WIT wherever
it is drawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.utils.translation import gettext as _

from prima.lib import dates
from prima.monitoring import charts as monitoring_charts

from .context import Bucket


def _wall(moment: datetime, tz: str) -> str:
    return dates.to_local(moment, tz).replace(tzinfo=None).isoformat(timespec="minutes") + "Z"


def rebucket(rows: Sequence[Bucket], span: timedelta) -> list[Bucket]:
    """Merge 5-minute buckets into buckets of ``span`` (longer windows stay readable)."""
    out: dict[datetime, Bucket] = {}
    seconds = int(span.total_seconds())
    for row in rows:
        ts = int(row.start.timestamp())
        start = datetime.fromtimestamp(ts - ts % seconds, tz=row.start.tzinfo)
        out.setdefault(start, Bucket(start=start)).add(row)
    return [out[k] for k in sorted(out)]


def span_for(length: timedelta) -> timedelta:
    """The bucket a chart of a window of ``length`` draws: 5, 15 or 60 minutes."""
    if length <= timedelta(hours=8):
        return timedelta(minutes=5)
    if length <= timedelta(hours=36):
        return timedelta(minutes=15)
    return timedelta(hours=1)


def volume_chart(
    rows: Sequence[Bucket],
    *,
    since: datetime,
    until: datetime,
    signals: Sequence[tuple[datetime, str]],
    burst_start: datetime | None,
    tz: str,
    lang: str = "id",
) -> dict[str, Any]:
    """Mentions per bucket (5, 15 or 60 minutes, by the window's length) between
    ``since`` and ``until``, with the burst start and ``signals`` ((bucket, label)) marked."""
    span = span_for(until - since)
    merged = {b.start: b for b in rebucket(rows, span)}
    values = []
    current = since - timedelta(seconds=int(since.timestamp()) % int(span.total_seconds()))
    while current < until:
        bucket = merged.get(current) or Bucket(start=current)
        label = dates.format_datetime(current, lang, tz_name=tz)
        for order, (kind, count) in enumerate(
            ((_("Negative"), bucket.negative), (_("Other"), bucket.total - bucket.negative))
        ):
            values.append(
                {"t": _wall(current, tz), "when": label, "kind": kind, "order": order,
                 "count": count, "total": bucket.total}
            )  # fmt: skip
        current += span
    marks: list[dict[str, Any]] = []
    if burst_start is not None:
        marks.append({"t": _wall(burst_start, tz), "label": _("Burst starts"), "colour": "#c77700"})
    for at, label in signals:
        marks.append({"t": _wall(at, tz), "label": label, "colour": "#b3261e"})
    for row, mark in enumerate(marks):
        mark["dy"] = 2 + 13 * (row % 4)  # labels of close marks on separate lines
    hour_format = "%H.%M" if lang == "id" else "%H:%M"
    x = {
        "field": "t",
        "type": "temporal",
        "scale": {"type": "utc"},
        "title": None,
        "axis": {"format": f"%e %b {hour_format}", "labelOverlap": True, "grid": False},
    }
    minutes = int(span.total_seconds() // 60)
    spec: dict[str, Any] = {
        "$schema": monitoring_charts.SCHEMA,
        "width": "container",
        "height": 240,
        "autosize": {"type": "fit", "contains": "padding"},
        "background": "white",
        "title": _("Mentions per %(n)d minutes") % {"n": minutes},
        "config": {
            "locale": monitoring_charts.vega_locale(lang),
            "font": monitoring_charts.FONT,
            "view": {"stroke": None},
            "axis": {"labelFontSize": 11, "titleFontSize": 11, "gridColor": "#eef1f5"},
            "legend": {"orient": "bottom", "direction": "horizontal"},
            "title": {"fontSize": 13, "anchor": "start", "color": "#1c2430"},
        },
        "layer": [
            {
                "data": {"values": values},
                "mark": {"type": "area", "line": False, "opacity": 0.85, "tooltip": True},
                "encoding": {
                    "x": x,
                    "y": {"field": "count", "type": "quantitative", "stack": "zero",
                          "title": _("Mentions"), "axis": {"format": ",d", "tickMinStep": 1}},
                    "color": {"field": "kind", "type": "nominal", "title": None,
                              "scale": {"domain": [_("Negative"), _("Other")],
                                        "range": [monitoring_charts.SENTIMENT_COLOURS["negative"],
                                                  monitoring_charts.PREVIOUS_COLOUR]}},
                    "order": {"field": "order", "type": "quantitative"},
                    "tooltip": [
                        {"field": "when", "type": "nominal", "title": _("Time")},
                        {"field": "total", "type": "quantitative", "title": _("Mentions"),
                         "format": ",d"},
                        {"field": "kind", "type": "nominal", "title": _("Kind")},
                        {"field": "count", "type": "quantitative", "title": _("Count"),
                         "format": ",d"},
                    ],
                },
            },
            {
                "data": {"values": marks},
                "mark": {"type": "rule", "strokeDash": [4, 3], "strokeWidth": 2},
                "encoding": {
                    "x": {"field": "t", "type": "temporal", "scale": {"type": "utc"}},
                    "color": {"field": "colour", "type": "nominal", "scale": None},
                    "tooltip": [{"field": "label", "type": "nominal", "title": _("Mark")}],
                },
            },
            {
                "data": {"values": marks},
                "mark": {"type": "text", "align": "right", "dx": -4, "baseline": "top",
                         "fontSize": 10},
                "encoding": {
                    "x": {"field": "t", "type": "temporal", "scale": {"type": "utc"}},
                    "y": {"field": "dy", "type": "quantitative", "scale": None},
                    "text": {"field": "label"},
                    "color": {"field": "colour", "type": "nominal", "scale": None},
                },
            },
        ],
    }  # fmt: skip
    return spec
