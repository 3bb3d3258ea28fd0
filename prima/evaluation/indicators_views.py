"""Pages of the indicators: the roll-up (an office, a Kanwil beside its offices, the
directorate general beside its Kanwil), the objects behind a number, adoption; each
table as CSV with ``?format=csv``."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from prima.lib.params import ParameterError, query_id
from prima.organizations import policy
from prima.organizations.models import Office, OfficeLevel, User

from . import indicators as ind
from . import indicators_charts as charts
from . import indicators_document, indicators_tasks, rollups
from .rollups import Period, PeriodError


def _user(request: HttpRequest) -> User:
    if not isinstance(request.user, User):  # behind login_required: never anonymous
        raise PermissionDenied
    return request.user


def _lang() -> str:
    return (get_language() or "id")[:2]


def default_office(user: User) -> Office:
    """The highest office where ``user`` may see indicators (403 without any)."""
    offices = sorted(
        (
            m.office
            for m in policy.memberships(user)
            if policy.can(user, "indicator.view", m.office)
        ),
        key=lambda o: (o.path.count("/"), o.path),
    )
    if not offices:
        raise PermissionDenied
    return offices[0]


def focus_office(request: HttpRequest) -> Office:
    """The office asked for (``?office=``), or the user's highest: 404 outside the
    person's reach, 403 without the right anywhere."""
    user = _user(request)
    if not policy.can_anywhere(user, "indicator.view"):
        raise PermissionDenied
    try:
        office_id = query_id(request.GET, "office")
    except ParameterError:
        raise Http404 from None
    if office_id is None:
        return default_office(user)
    office: Office = policy.get_for(user, "indicator.view", Office, pk=office_id)
    return office


def _period(request: HttpRequest) -> Period:
    return Period.parse(request.GET.get("period"), timezone.localdate())


def _bad(message: str) -> HttpResponse:
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


def _csv(filename: str, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_safe(v) for v in row])
    response = HttpResponse(
        out.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _safe(value: Any) -> Any:
    # Spreadsheet formula injection: a cell starting with = + - @ is run by Excel.
    if isinstance(value, str) and value[:1] in {"=", "+", "-", "@", "\t", "\r"}:
        return "'" + value
    return value


def _url(name: str, **params: Any) -> str:
    return reverse(name) + "?" + urlencode({k: v for k, v in params.items() if v is not None})


def _crumbs(focus: Office, user: User) -> list[Office]:
    """The offices above ``focus`` the person may open too (for the breadcrumb)."""
    return [o for o in focus.ancestors() if policy.can(user, "indicator.view", o)]


# --- The roll-up --------------------------------------------------------------------------
@login_required
def indicators_page(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    focus = focus_office(request)
    try:
        period = _period(request)
    except PeriodError as err:
        return _bad(str(err))
    result = rollups.rollup(focus, period)
    if indicators_tasks.chain_seems_dead():
        # The background refresh stopped (or never started): start it again.
        indicators_tasks.ensure_chain()
    lang = _lang()
    if request.GET.get("format") == "csv":
        policy.check(user, "indicator.export", focus)
        return _rollup_csv(result, lang)
    # An office alone needs no total line (it would repeat the office's own).
    units = (
        [*result.rows]
        if len(result.rows) == 1 and result.rows[0].own
        else [
            *result.rows,
            result.total,
        ]
    )
    hrefs = {
        id(row): _url("evaluation:indicators", office=row.office.pk, period=period.slug)
        for row in units
        if row.drillable
    }
    behind = reverse("evaluation:behind")
    not_measured = _("not yet measured")
    sections = []
    for code, title in ind.SECTIONS.items():
        columns = [i for i in ind.INDICATORS if i.section == code]
        table_rows = []
        for row in units:
            own = "&own=1" if row.own and not row.is_total else ""
            cells = []
            for i in columns:
                cells.append(
                    _cell_view(
                        row.cells[i.code], behind, row.office.pk, period.slug, own, not_measured
                    )
                )
            table_rows.append({"row": row, "href": hrefs.get(id(row), ""), "cells": cells})
        sections.append({"code": code, "title": title, "columns": columns, "rows": table_rows})
    context = {
        "focus": focus,
        "period": period,
        "period_label": period.label(lang),
        "previous": period.shifted(-1).slug,
        "next": period.shifted(1).slug,
        "kinds": [
            ("year", _("Year"), str(period.first.year)),
            ("quarter", _("Quarter"), f"{period.first.year}-Q{(period.first.month - 1) // 3 + 1}"),
            ("month", _("Month"), f"{period.first:%Y-%m}"),
        ],
        "rollup": result,
        "sections": sections,
        "crumbs": _crumbs(focus, user),
        "can_export": policy.can(user, "indicator.export", focus),
        "csv_url": _url("evaluation:indicators", office=focus.pk, period=period.slug, format="csv"),
        "can_document": period.kind == "month" and policy.can(user, "indicator.export", focus),
        "adoption_url": _url("evaluation:adoption", office=focus.pk),
        "is_office": focus.level == OfficeLevel.OFFICE,
        "charts": charts.rollup_charts(result, lang, link=lambda row: hrefs.get(id(row), "")),
        "lang": lang,
    }
    return render(request, "evaluation/indicators.html", context)


@login_required
@require_POST
def report_document(request: HttpRequest) -> HttpResponse:
    """The month's indicator report of the office asked for (``?office=``, ``?period=``)
    as a DOCX or PDF document (made and stored by the documents app), then its download.
    Needs ``indicator.export`` on that office."""
    user = _user(request)
    focus = focus_office(request)
    policy.check(user, "indicator.export", focus)
    try:
        period = _period(request)
    except PeriodError as err:
        return _bad(str(err))
    back = _url("evaluation:indicators", office=focus.pk, period=period.slug)
    fmt = request.POST.get("format", "")
    if fmt not in indicators_document.FORMATS:
        messages.error(request, _("Choose PDF or DOCX."))
        return redirect(back)
    if period.kind != "month":
        messages.error(request, _("The indicator report is monthly: choose a month."))
        return redirect(back)
    doc = indicators_document.generate(user, focus, period, fmt)
    if not doc.is_done:
        messages.error(request, doc.error or _("The document could not be made."))
        return redirect(back)
    return redirect("documents:download", pk=doc.pk)


def _cell_view(
    cell: rollups.Cell, behind: str, office_id: int, period: str, own: str, not_measured: str
) -> dict[str, str]:
    """What the template shows in a cell: class, text, link, the target said in words.
    Built here rather than in the template: a year's DG page has ~900 cells."""
    i = cell.indicator
    if cell.value is None and i.code == "pickup_share":
        return {
            "cls": "num notmeasured",
            "text": not_measured,
            "link": "",
            "note": "",
            "code": i.code,
        }
    link = ""
    if i.objects and cell.value:
        link = f"{behind}?office={office_id}&period={period}&indicator={i.code}{own}"
    note, cls = "", "num"
    if cell.missed:
        cls, note = "num miss", _("misses target %(t)s") % {"t": cell.target_text()}
    elif cell.missed is False:
        cls, note = "num met", _("target %(t)s met") % {"t": cell.target_text()}
    return {"cls": cls, "text": cell.text(), "link": link, "note": note, "code": i.code}


def _rollup_csv(result: rollups.Rollup, lang: str) -> HttpResponse:
    header = [_("Unit"), _("Level"), _("Period")]
    for i in ind.INDICATORS:
        header.append(f"{ind.SECTIONS[i.section]}: {i.label}" + (f" ({i.unit})" if i.unit else ""))
        header.append(_("Target"))
    rows = []
    for row in [*result.rows, result.total]:
        line: list[Any] = [row.label, row.office.get_level_display(), result.period.label(lang)]
        for i in ind.INDICATORS:
            cell = row.cells[i.code]
            line.append("" if cell.value is None else round(cell.value, 2))
            line.append("" if cell.target is None else cell.target)
        rows.append(line)
    return _csv(f"indicators-{result.focus.code}-{result.period.slug}.csv", header, rows)


# --- Behind a number ----------------------------------------------------------------------
@login_required
def behind_page(request: HttpRequest) -> HttpResponse:
    """The conferences, cases, clarifications or questions counted in one cell."""
    user = _user(request)
    try:
        unit = focus_office(request)
        period = _period(request)
    except PeriodError as err:
        return _bad(str(err))
    indicator = ind.BY_CODE.get(request.GET.get("indicator", ""))
    if indicator is None or not indicator.objects:
        return _bad(_("Unknown indicator."))
    own = request.GET.get("own") == "1"
    scope = rollups.units_q(unit, own=own)
    start, _e = period.start_end("Pacific/Kiritimati")  # the earliest local midnight
    _s, end = period.start_end("Pacific/Pago_Pago")  # the latest local midnight
    lang = _lang()
    months = set(period.months)
    columns: list[str]
    rows: list[dict[str, Any]] = []
    if indicator.objects == "conferences":
        conf_qs = policy.scope(user, "conference.view", ind.held_conferences(scope, start, end))
        want = {
            "conf_regular": "regular",
            "conf_incidental": "incidental",
            "conf_crisis": "crisis",
        }.get(indicator.code)
        if want:
            conf_qs = conf_qs.filter(type=want)
        columns = [
            _("Conference"),
            _("Office"),
            _("Type"),
            _("Held"),
            _("Full workflow in time"),
            _("What was missing"),
        ]
        for check in ind.check_conferences(conf_qs.order_by("actual_start")):
            c = check.conference
            if (
                c.actual_start is None
                or ind.local_month(c.actual_start, _tz(c.office)) not in months
            ):
                continue
            rows.append(
                {
                    "href": c.get_absolute_url(),
                    "report": reverse("evaluation:postevent-report", kwargs={"pk": c.pk}),
                    "testid": "behind-conference",
                    "cells": [
                        c.title,
                        c.office.short_name,
                        c.get_type_display(),
                        _when(c.actual_start, c.office, lang),
                        _("yes") if check.full else _("no"),
                        "; ".join(check.missing),
                    ],
                }
            )
    elif indicator.objects == "cases":
        case_qs = policy.scope(user, "crisis.view", ind.real_cases(scope, start, end))
        level = {"case_l1": 1, "case_l2": 2, "case_l3": 3, "case_l4": 4}.get(indicator.code)
        if level:
            case_qs = case_qs.filter(level=level)
        columns = [
            _("Case"),
            _("Office"),
            _("Level"),
            _("Opened"),
            _("Signal"),
            _("Acknowledged"),
            _("First statement"),
        ]
        for timed in ind.time_cases(case_qs.order_by("opened_at")):
            case = timed.case
            if ind.local_month(case.opened_at, _tz(case.office)) not in months:
                continue
            rows.append(
                {
                    "href": case.get_absolute_url(),
                    "testid": "behind-case",
                    "cells": [
                        case.title,
                        case.office.short_name,
                        case.get_level_display(),
                        _when(case.opened_at, case.office, lang),
                        *(
                            _timing(timed.timings[code])
                            for code in ("signal", "acknowledged", "statement")
                        ),
                    ],
                }
            )
    elif indicator.objects == "clarifications":
        clar_qs = policy.scope(
            user, "clarification.view", ind.published_clarifications(scope, start, end)
        )
        columns = [_("Clarification"), _("Office"), _("Published")]
        for cl in clar_qs.select_related("office", "case").order_by("published_at"):
            if (
                cl.published_at is None
                or ind.local_month(cl.published_at, _tz(cl.office)) not in months
            ):
                continue
            rows.append(
                {
                    "href": cl.case.get_absolute_url(),
                    "testid": "behind-clarification",
                    "cells": [
                        cl.title,
                        cl.office.short_name,
                        _when(cl.published_at, cl.office, lang),
                    ],
                }
            )
    else:
        inq_qs = policy.scope(user, "inquiry.view", ind.public_questions(scope, start, end))
        columns = [_("Reference"), _("Office"), _("Received"), _("Answered"), _("Time to answer")]
        for q in inq_qs.select_related("office").order_by("submitted_at"):
            if ind.local_month(q.submitted_at, _tz(q.office)) not in months:
                continue
            hours = (
                (q.answered_at - q.submitted_at).total_seconds() / 3600 if q.answered_at else None
            )
            rows.append(
                {
                    "href": reverse("portal_staff:inquiry", kwargs={"pk": q.pk}),
                    "testid": "behind-question",
                    "cells": [
                        q.reference,
                        q.office.short_name,
                        _when(q.submitted_at, q.office, lang),
                        _when(q.answered_at, q.office, lang) if q.answered_at else _("not yet"),
                        "" if hours is None else f"{hours:.1f}".replace(".", ",") + " " + _("h"),
                    ],
                }
            )
    if request.GET.get("format") == "csv":
        policy.check(user, "indicator.export", unit)
        return _csv(
            f"{indicator.code}-{unit.code}-{period.slug}.csv", columns, [r["cells"] for r in rows]
        )
    context = {
        "unit": unit,
        "own": own,
        "period": period,
        "period_label": period.label(lang),
        "indicator": indicator,
        "section": ind.SECTIONS[indicator.section],
        "columns": columns,
        "rows": rows,
        "crumbs": [*_crumbs(unit, user), unit],
        "back_url": _url("evaluation:indicators", office=unit.pk, period=period.slug),
        "can_export": policy.can(user, "indicator.export", unit),
        "csv_url": request.get_full_path() + "&format=csv",
    }
    return render(request, "evaluation/behind.html", context)


def _tz(office: Office) -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo(office.timezone)


def _when(moment: Any, office: Office, lang: str) -> str:
    from prima.lib import dates

    return dates.format_datetime(moment, lang, tz_name=office.timezone)


def _timing(timing: Any) -> str:
    if timing.minutes is None:
        return "—"
    met = timing.at - timing.start <= timing.target
    text = f"{timing.minutes:.0f} " + _("min")
    return text + " · " + (_("within target") if met else _("missed target"))


# --- Adoption -----------------------------------------------------------------------------
@login_required
def adoption_page(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    focus = focus_office(request)
    rows = rollups.adoption(focus)
    lang = _lang()
    if request.GET.get("format") == "csv":
        policy.check(user, "indicator.export", focus)
        return _csv(
            f"adoption-{focus.code}.csv",
            [
                _("Office"),
                _("Planned from"),
                _("First conference"),
                _("First evaluation"),
                _("Conferences held"),
                _("Full workflow in time"),
                _("Status"),
            ],
            [
                [
                    a.office.short_name,
                    a.planned_from.isoformat() if a.planned_from else "",
                    a.first_conference.date().isoformat() if a.first_conference else "",
                    a.first_evaluation.date().isoformat() if a.first_evaluation else "",
                    a.conferences,
                    "" if a.full_share is None else round(a.full_share, 1),
                    a.state_label,
                ]
                for a in rows
            ],
        )
    counts = {state: sum(1 for a in rows if a.state == state) for state in rollups.ADOPTION_STATES}
    context = {
        "focus": focus,
        "rows": rows,
        "counts": [(rollups.ADOPTION_STATES[s], n, s) for s, n in counts.items() if n],
        "crumbs": _crumbs(focus, user),
        "can_export": policy.can(user, "indicator.export", focus),
        "csv_url": _url("evaluation:adoption", office=focus.pk, format="csv"),
        "indicators_url": _url("evaluation:indicators", office=focus.pk),
        "chart": charts.adoption_chart(rows, lang),
        "lang": lang,
    }
    return render(request, "evaluation/adoption.html", context)
