"""The media-analysis dashboard: figures and charts for a period and an office."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import (
    HttpResponse,
)
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from prima.lib import shortcache
from prima.organizations import policy
from prima.organizations.forms import model_choice
from prima.organizations.http import AuthenticatedHttpRequest
from prima.organizations.models import Office

from .. import analytics, charts
from ..analytics import Period
from ..forms import (
    PeriodForm,
)
from ..models import (
    Platform,
)
from .common import _visible_offices

TOP_N = 10
DASHBOARD_CACHE = "monitoring.dashboard"
PERIOD_DAYS = {"7d": 7, "30d": 30}


@dataclass
class DashboardPeriod:
    period: Period
    bucket: str  # "hour" or "day"
    key: str  # 24h, 7d, 30d, custom


def resolve_period(key: str, start=None, end=None, *, tz: str, now: datetime | None = None):
    """The dashboard period for a choice ("24h", "7d", "30d", "custom") in zone ``tz``.

    Hourly buckets up to two days, daily buckets beyond.
    """
    now = now or timezone.now()
    if key == "24h":
        hour = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
        return DashboardPeriod(Period(hour - timedelta(hours=24), hour), "hour", key)
    if key == "custom" and start and end:
        period = Period.days(start, end, tz=tz)
        bucket = "hour" if period.length <= timedelta(days=2) else "day"
        return DashboardPeriod(period, bucket, key)
    days = PERIOD_DAYS.get(key, 7)
    return DashboardPeriod(
        Period.last_days(days, tz=tz, now=now), "day", key if key in PERIOD_DAYS else "7d"
    )


def _subtree(selected: Office, visible: list[Office]) -> list[Office]:
    return [o for o in visible if o.path.startswith(selected.path)]


def build_dashboard(
    offices: list[Office], chosen: DashboardPeriod, *, tz: str, lang: str | None = None
) -> dict[str, Any]:
    """Everything the dashboard shows for ``offices`` over ``chosen``: figures and chart
    specs. Reads the rollups through :mod:`.analytics` (about nine queries, whatever the
    number of mentions); the benchmark times this very function."""
    period = chosen.period
    volume = analytics.volume_by_sentiment(offices, period, bucket=chosen.bucket, tz=tz)
    comparison = analytics.compare(offices, period)
    top_issues: list[Any] = analytics.top_issues(offices, period, limit=TOP_N)  # annotated
    outlets = analytics.top_outlets(offices, period, limit=TOP_N, tz=tz)
    authors = analytics.top_authors(offices, period, limit=TOP_N, tz=tz)
    shared = analytics.most_shared(offices, period, limit=TOP_N)
    current, previous = comparison.current, comparison.previous
    platforms = dict(Platform.choices)

    def actor_rows(rows):
        return [
            {
                "label": r["name"],
                "count": r["mentions"],
                "detail": str(platforms.get(r["platform"], r["platform"])),
            }
            for r in rows
        ]

    kpis = [
        {
            "key": "mentions",
            "label": _("Mentions"),
            "value": current.mentions,
            "change": charts.change(current.mentions, previous.mentions),
        },
        {
            "key": "negative",
            "label": _("Negative"),
            "value": current.negative,
            "change": charts.change(current.negative, previous.negative),
            "bad_when_up": True,
        },
        {
            "key": "engagement",
            "label": _("Engagement"),
            "value": current.engagement,
            "change": charts.change(current.engagement, previous.engagement),
        },
        {
            "key": "reach",
            "label": _("Reach"),
            "value": current.reach,
            "change": charts.change(current.reach, previous.reach),
        },
    ]
    counts_now = {s: getattr(current, s) for s in charts.SENTIMENTS}
    counts_before = {s: getattr(previous, s) for s in charts.SENTIMENTS}
    shares = {
        s: charts.format_percent(100 * (current.share(s) or 0), 1, lang)
        if current.mentions
        else "—"
        for s in charts.SENTIMENTS
    }
    return {
        "volume": volume,
        "comparison": comparison,
        "kpis": kpis,
        "shares": shares,
        "top_issues": top_issues,
        "top_outlets": outlets,
        "top_authors": authors,
        "most_shared": shared,
        "charts": {
            "volume": charts.volume_chart(
                charts.sentiment_rows(volume),
                unit=cast(charts.Unit, chosen.bucket),
                tz_name=tz,
                lang=lang,
            ),
            "share": charts.sentiment_share_chart(counts_now, lang=lang),
            "comparison": charts.comparison_chart(counts_now, counts_before, lang=lang),
            "issues": charts.top_issues_chart(
                [
                    {
                        "label": i.display_name,
                        "count": i.period_mentions,
                        "href": reverse("monitoring:issue-detail", args=[i.pk]),
                    }
                    for i in top_issues
                ],
                lang=lang,
            ),
            "outlets": charts.top_outlets_chart(actor_rows(outlets), lang=lang),
            "authors": charts.top_authors_chart(actor_rows(authors), lang=lang),
        },
    }


def cached_dashboard(
    offices: list[Office], chosen: DashboardPeriod, *, tz: str, lang: str | None = None
) -> dict[str, Any]:
    """:func:`build_dashboard`, kept for ``MONITORING_DASHBOARD_CACHE_SECONDS``
    (:mod:`prima.lib.shortcache`): in a storm many people watch the same office and
    period, and the figures are the same for them all, as is the figures' part of the
    page (kept rendered, ``figures_html``). The key is the exact set of offices (the
    caller's scope: a person never gets figures of an office they may not see), the
    period, the zone and the language; nothing in the figures depends on who asks. New
    mentions do not bump it (the figures lag by at most the setting; the stream shows a
    mention at once). ``0`` turns it off."""
    period = chosen.period
    parts = (
        tuple(sorted(o.pk for o in offices)),
        chosen.bucket,
        period.start.isoformat(),
        period.end.isoformat(),
        tz,
        lang or "",
    )

    def build() -> dict[str, Any]:
        data = build_dashboard(offices, chosen, tz=tz, lang=lang)
        # The figures' part of the page, rendered once with them (it reads nothing else).
        data["figures_html"] = render_to_string(
            "monitoring/_dashboard_figures.html", {**data, "chosen": chosen, "tz": tz}
        )
        return data

    return shortcache.remember(
        DASHBOARD_CACHE, parts, build, seconds=settings.MONITORING_DASHBOARD_CACHE_SECONDS
    )


@login_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    visible = _visible_offices(request.user, "mention.view")
    home = request.user.office if request.user.office in visible else visible[0]
    form = PeriodForm(
        request.GET or None,
        offices=policy.offices(request.user, "mention.view"),
        initial={"office": home.pk, "period": "7d"},
    )
    # The select lists the offices already read (same scope, same order): no query to draw
    # it; a chosen office is still checked against the scope's queryset.
    office_field = model_choice(form, "office")
    office_field.choices = [(o.pk, office_field.label_from_instance(o)) for o in visible]
    selected, key, start, end = home, "7d", None, None
    if form.is_bound and form.is_valid():
        selected = form.cleaned_data["office"] or home
        key = form.cleaned_data["period"] or "7d"
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    tz = selected.timezone or settings.TIME_ZONE
    chosen = resolve_period(key, start, end, tz=tz)
    offices = _subtree(selected, visible)
    data = cached_dashboard(offices, chosen, tz=tz, lang=get_language())
    first_day, last_day = chosen.period.local_days(tz)
    stream_query = f"start={first_day.isoformat()}&end={last_day.isoformat()}"
    if len(offices) == 1 and len(visible) > 1:
        stream_query += f"&office={selected.pk}"
    return render(
        request,
        "monitoring/dashboard.html",
        {
            "form": form,
            "chosen": chosen,
            "selected": selected,
            "tz": tz,
            "several_offices": len(visible) > 1,
            "offices": offices,
            "first_day": first_day,
            "last_day": last_day,
            "stream_query": stream_query,
            # What pages of higher apps need to know about this view (page_links).
            "page_period": {"office": selected, "first_day": first_day, "last_day": last_day},
            **data,
        },
    )
