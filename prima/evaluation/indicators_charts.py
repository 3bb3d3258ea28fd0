"""Vega-Lite charts of the indicator pages, drawn by ``monitoring/charts.js`` like the
monitoring dashboard's (CSP-safe: the spec travels in a JSON data block). Pure: figures
in, JSON-able specs out; every figure is also in the page's tables."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.utils.translation import gettext as _

from prima.lib import dates
from prima.monitoring import charts as monitoring_charts

from . import indicators as ind
from .rollups import Adoption, Rollup, UnitRow

BRAND = monitoring_charts.BRAND
TYPE_COLOURS = {"regular": "#1f5fa8", "incidental": "#e08a1e", "crisis": "#c0392b"}


def _base(spec: dict[str, Any], lang: str, title: str, height: int = 220) -> dict[str, Any]:
    out: dict[str, Any] = {
        "$schema": monitoring_charts.SCHEMA,
        "width": "container",
        "height": height,
        "autosize": {"type": "fit", "contains": "padding"},
        "background": "white",
        "title": title,
        "config": {
            "locale": monitoring_charts.vega_locale(lang),
            "font": monitoring_charts.FONT,
            "view": {"stroke": None},
            "axis": {"labelFontSize": 11, "titleFontSize": 11, "gridColor": "#eef1f5"},
            "legend": {"orient": "bottom", "direction": "horizontal"},
            "title": {"fontSize": 13, "anchor": "start", "color": "#1c2430"},
        },
    }
    out.update(spec)
    return out


def monthly_chart(result: Rollup, lang: str) -> dict[str, Any]:
    """Conferences held per month, stacked by type."""
    names = dates.MONTHS_ID if lang == "id" else dates.MONTHS_EN
    labels = {
        "regular": _("Regular"),
        "incidental": _("Incidental"),
        "crisis": _("Crisis"),
    }
    values = []
    for order, (month, sums) in enumerate(result.monthly):
        for kind, label in labels.items():
            values.append(
                {
                    "month": f"{names[month.month - 1][:3]} {month.year % 100:02d}",
                    "order": order,
                    "type": label,
                    "count": int(sums.get(f"conf_{kind}") or 0),
                }
            )
    spec = {
        "data": {"values": values},
        "mark": {"type": "bar", "tooltip": True},
        "encoding": {
            "x": {
                "field": "month",
                "type": "ordinal",
                "sort": {"field": "order"},
                "title": None,
                "axis": {"labelAngle": 0},
            },
            "y": {
                "field": "count",
                "type": "quantitative",
                "aggregate": "sum",
                "title": _("Conferences held"),
                "axis": {"format": ",d", "tickMinStep": 1},
            },
            "color": {
                "field": "type",
                "type": "nominal",
                "title": _("Type"),
                "scale": {
                    "domain": list(labels.values()),
                    "range": [TYPE_COLOURS[k] for k in labels],
                },
            },
        },
    }
    return _base(spec, lang, _("Conferences held per month"))


def share_chart(
    rows: Sequence[UnitRow], code: str, lang: str, link: Callable[[UnitRow], str]
) -> dict[str, Any]:
    """One share indicator per unit, as bars (a click opens the unit)."""
    indicator = ind.BY_CODE[code]
    data = []
    for row in rows:
        cell = row.cells[code]
        if cell.value is None:
            continue
        entry: dict[str, Any] = {"label": row.label, "count": round(cell.value)}
        if cell.target is not None:
            entry["detail"] = _("target %(t)s") % {"t": cell.target_text()}
        href = link(row)
        if href:
            entry["href"] = href
        data.append(entry)
    return monitoring_charts.ranking_chart(
        data, title=f"{indicator.label} (%)", value_title="%", lang=lang
    )


def rollup_charts(
    result: Rollup, lang: str, link: Callable[[UnitRow], str]
) -> list[dict[str, Any]]:
    """The charts of a roll-up page: the monthly conferences and, with several units, the
    full-workflow share per unit."""
    out = [
        {
            "id": "chart-monthly",
            "spec": monthly_chart(result, lang),
            "label": _("Conferences held per month"),
        }
    ]
    if len(result.rows) > 1:
        out.append(
            {
                "id": "chart-full",
                "spec": share_chart(result.rows, "conf_full_share", lang, link),
                "label": _("Full workflow in time, per unit"),
            }
        )
    return out


def adoption_chart(rows: Sequence[Adoption], lang: str) -> dict[str, Any]:
    """How many offices are in each adoption state."""
    counts: dict[str, int] = {}
    for a in rows:
        counts[a.state_label] = counts.get(a.state_label, 0) + 1
    return monitoring_charts.ranking_chart(
        [{"label": k, "count": v} for k, v in sorted(counts.items(), key=lambda kv: -kv[1])],
        title=_("Offices by adoption state"),
        value_title=_("Offices"),
        label_limit=320,
        lang=lang,
    )
