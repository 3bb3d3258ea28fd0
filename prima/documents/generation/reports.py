"""The long reports: a crisis case's log and the media analysis of a period (charts
rendered offline from the dashboard's own Vega-Lite specs with vl-convert)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from prima.crisis import timeline
from prima.crisis.models import Case
from prima.lib import dates
from prima.lib.money import format_number
from prima.monitoring import charts
from prima.monitoring.analytics import Period
from prima.monitoring.views.dashboard import DashboardPeriod, build_dashboard

from . import content as c
from .builders import Built, Kind, Progress, Source, _lang, register
from .models import DocumentKind

CHART_WIDTH_PX = 620


def _when(value: Any, lang: str, tz: str) -> str:
    return dates.format_datetime(value, lang, weekday=False, tz_name=tz) if value else "—"


def crisis_log(source: Source, progress: Progress) -> Built:
    case: Case = source.case
    if case is None:
        raise ValueError("the crisis log is made from a case")
    lang, tz = _lang(), case.office.timezone or dates.DEFAULT_TZ
    summary = (
        (_("Status"), str(case.get_status_display())),
        (_("Crisis level"), str(case.get_level_display())),
        (_("Opened"), _when(case.opened_at, lang, tz)),
        (_("First signal"), _when(case.signal_at, lang, tz)),
        (_("First responder notified"), _when(case.notified_at, lang, tz)),
        (_("Acknowledged"), _when(case.acknowledged_at, lang, tz)),
        (_("First approved public statement"), _when(case.first_statement_at, lang, tz)),
        (_("Closed"), _when(case.closed_at, lang, tz)),
    )
    progress(20)
    lines = timeline.lines(case, lang)
    progress(50)
    zone = dates.zone_abbreviation(tz)
    rows = []
    for i, line in enumerate(lines):
        local = dates.to_local(line.at, tz)
        rows.append(
            (
                local.strftime("%d/%m/%Y %H.%M") + f" {zone}",
                line.kind_label,
                str(line.actor),
                line.text,
            )
        )
        if i % 200 == 0:
            progress(50 + int(30 * i / max(1, len(lines))))
    blocks: list[c.Block] = [
        c.Heading(_("Summary")),
        c.Table((pgettext("document table", "Item"), _("Details")), summary, widths=(2, 3)),
        c.Heading(_("Log")),
        c.Table(
            (_("Time"), _("Kind"), _("By"), _("What happened")), tuple(rows), widths=(3, 3, 3, 9)
        )
        if rows
        else c.Paragraph(_("Nothing has been logged yet."), "note"),
    ]
    if case.is_exercise:
        blocks.insert(0, c.Paragraph(_("EXERCISE — not a real case."), "note"))
    return Built(
        c.Content(
            kind_label=_("CRISIS LOG"),
            title=case.title,
            language=lang,
            subtitle=_("%(n)s entries") % {"n": format_number(len(rows))},
            blocks=tuple(blocks),
        )
    )


def render_chart(spec: dict[str, Any], lang: str) -> bytes:
    """A dashboard chart as PNG, rendered offline at a fixed width."""
    import vl_convert as vlc  # Loads a JavaScript engine: only when a report needs it.

    locale = charts.vega_locale(lang)
    png: bytes = vlc.vegalite_to_png(
        spec | {"width": CHART_WIDTH_PX},
        scale=2,
        format_locale=locale["number"],
        time_format_locale=locale["time"],
        allowed_base_urls=[],
    )
    return png


def media_analysis(source: Source, progress: Progress) -> Built:
    if source.period is None:
        raise ValueError("the media analysis is made for a period")
    office, lang = source.office, _lang()
    tz = office.timezone or dates.DEFAULT_TZ
    first, last = source.period
    period = Period.days(first, last, tz=tz)
    bucket = "hour" if period.length.days <= 2 else "day"
    data = build_dashboard([office], DashboardPeriod(period, bucket, "custom"), tz=tz, lang=lang)
    progress(25)
    kpis = tuple(
        (str(k["label"]), format_number(k["value"] or 0), k["change"].text(lang))
        for k in data["kpis"]
    )
    blocks: list[c.Block] = [
        c.Heading(_("Key figures")),
        c.Table(
            (_("Measure"), _("This period"), _("Change from the previous period")),
            kpis,
            widths=(3, 2, 3),
        ),
    ]
    titles = {
        "volume": _("Mentions by sentiment over time"),
        "share": _("Share of sentiment"),
        "comparison": _("This period compared with the previous one"),
        "issues": _("Top issues"),
        "outlets": _("Top outlets"),
        "authors": _("Top authors and accounts"),
    }
    specs = data["charts"]
    for i, (key, title) in enumerate(titles.items()):
        blocks += [c.Heading(title), c.Image(render_chart(specs[key], lang), caption=title)]
        progress(25 + int(60 * (i + 1) / len(titles)))
    issues = tuple((i.display_name, format_number(i.period_mentions)) for i in data["top_issues"])
    if issues:
        blocks += [
            c.Heading(_("Issues")),
            c.Table((_("Issue"), _("Mentions")), issues, widths=(5, 1)),
        ]
    outlets = tuple((str(r["name"]), format_number(r["mentions"])) for r in data["top_outlets"])
    if outlets:
        blocks += [
            c.Heading(_("Outlets")),
            c.Table((_("Outlet"), _("Mentions")), outlets, widths=(5, 1)),
        ]
    subtitle = (
        f"{dates.format_date(first, lang, weekday=False)} – "
        f"{dates.format_date(last, lang, weekday=False)}"
    )
    return Built(
        c.Content(
            kind_label=_("MEDIA ANALYSIS REPORT"),
            title=office.name,
            language=lang,
            subtitle=subtitle,
            blocks=tuple(blocks),
        ),
        {"period": [first.isoformat(), last.isoformat()]},
    )


register(Kind(DocumentKind.CRISIS_LOG, "case", crisis_log, long=True))
register(Kind(DocumentKind.MEDIA_ANALYSIS, "period", media_analysis, long=True))
