"""Pages without a panel: the list, the calendar, the create form and the material editor."""

from __future__ import annotations

import calendar as pycalendar
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from prima.lib import dates, shortcache
from prima.organizations import policy
from prima.organizations.http import AuthenticatedHttpRequest

from .. import forms as f
from .. import hooks, workflow
from ..models import (
    Conference,
    ConferenceType,
    Material,
    MaterialKind,
    Status,
)
from ..workflow import WorkflowError
from .base import (
    PAGE_SIZE,
    form_error,
    get_conference,
    language,
    material_kind,
    office_tz,
)


# --- List -------------------------------------------------------------------------------
def _filtered_conferences(
    request: AuthenticatedHttpRequest, form: f.ConferenceFilterForm
) -> QuerySet:
    conferences = policy.scope(
        request.user, "conference.view", Conference.objects.select_related("office")
    ).annotate(when=Coalesce("scheduled_at", "opened_at"))
    if not form.is_valid():
        return conferences.order_by("-when", "-pk")
    data = form.cleaned_data
    if data["q"]:
        conferences = conferences.filter(
            Q(title__icontains=data["q"]) | Q(summary__icontains=data["q"])
        )
    for name in ("type", "stage", "status"):
        if data[name]:
            conferences = conferences.filter(**{name: data[name]})
    if data["office"]:
        conferences = conferences.filter(office=data["office"])
    zone = ZoneInfo(dates.DEFAULT_TZ)
    if data["date_from"]:
        conferences = conferences.filter(
            when__gte=datetime.combine(data["date_from"], time.min, zone)
        )
    if data["date_to"]:
        conferences = conferences.filter(
            when__lt=datetime.combine(data["date_to"] + timedelta(days=1), time.min, zone)
        )
    if data["overdue"]:
        conferences = conferences.filter(pk__in=Conference.objects.overdue().values("pk"))
    if data["exercise"] == "yes":
        conferences = conferences.filter(is_exercise=True)
    elif data["exercise"] == "no":
        conferences = conferences.filter(is_exercise=False)
    return conferences.order_by("-when", "-pk")


LIST_CACHE = "conferences.list"


def _list_body(request: AuthenticatedHttpRequest) -> dict[str, Any]:
    """What the filters, the table and the pager show (they read nothing else)."""
    visible_offices = policy.offices(request.user, "conference.view")
    form = f.ConferenceFilterForm(request.GET or None, offices=visible_offices)
    page = Paginator(_filtered_conferences(request, form), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = list(page.object_list)
    now = timezone.now()
    # One query for the crisis deadlines of the page, not one per row.
    crisis_ids = [c.pk for c in rows if c.type == ConferenceType.CRISIS]
    overdue_ids = (
        set(
            Conference.objects.filter(pk__in=crisis_ids)
            .missed_deadline(now)
            .values_list("pk", flat=True)
        )
        if crisis_ids
        else set()
    )
    for conference in rows:
        conference.has_missed_deadline = conference.pk in overdue_ids
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "form": form,
        "page": page,
        "conferences": rows,
        "query": query.urlencode(),
        "filtered": any(v for k, v in request.GET.items() if k != "page"),
    }


@login_required
def conference_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The list. Its body (filters, table, pager) is the same for everyone who sees the
    same offices, in the same language, with the same query: it is kept rendered
    ``CONFERENCES_LIST_CACHE_SECONDS`` (:mod:`prima.lib.shortcache`), keyed by the scope
    filter itself, and dropped by any audited change of a conference or its parts."""
    if not policy.can_anywhere(request.user, "conference.view"):
        raise PermissionDenied
    context: dict[str, Any] = {
        "can_create": policy.can_anywhere(request.user, "conference.create"),
        "filtered": any(v for k, v in request.GET.items() if k != "page"),
    }
    slot: shortcache.Slot[str] = shortcache.Slot(
        LIST_CACHE,
        (
            repr(policy.office_q(request.user, "conference.view")),
            get_language() or "",
            request.GET.urlencode(),
        ),
        seconds=settings.CONFERENCES_LIST_CACHE_SECONDS,
    )
    if slot.hit:
        context["body"] = slot.value
    else:
        body = _list_body(request)
        context.update(body, body=render_to_string("conferences/_list_body.html", body))
        slot.put(context["body"])
    return render(request, "conferences/list.html", context)


# --- Calendar ---------------------------------------------------------------------------
def _month(value: str | None, today: date) -> date:
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return date(year, month, 1)
    except ValueError:
        return today.replace(day=1)


@login_required
def conference_calendar(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A month grid (a list of days on a phone) of conferences on their scheduled day, in
    the office's own time zone."""
    if not policy.can_anywhere(request.user, "conference.view"):
        raise PermissionDenied
    visible_offices = policy.offices(request.user, "conference.view")
    home = request.user.office
    home_tz = home.timezone if home is not None else dates.DEFAULT_TZ
    today = dates.to_local(timezone.now(), home_tz).date()
    first = _month(request.GET.get("month"), today)
    last = first.replace(day=pycalendar.monthrange(first.year, first.month)[1])
    form = f.ConferenceFilterForm(request.GET or None, offices=visible_offices)
    conferences = (
        policy.scope(request.user, "conference.view", Conference.objects.select_related("office"))
        .annotate(when=Coalesce("scheduled_at", "opened_at"))
        .exclude(status=Status.CANCELLED)
    )
    if form.is_valid():
        if form.cleaned_data["office"]:
            conferences = conferences.filter(office=form.cleaned_data["office"])
        if form.cleaned_data["type"]:
            conferences = conferences.filter(type=form.cleaned_data["type"])
    # A day of margin on both sides: offices east of Jakarta are up to two hours ahead.
    utc = ZoneInfo("UTC")
    start = datetime.combine(first - timedelta(days=1), time.min, utc)
    end = datetime.combine(last + timedelta(days=2), time.min, utc)
    by_day: dict[date, list[Conference]] = {}
    for conference in conferences.filter(when__gte=start, when__lt=end).order_by("when"):
        day = dates.to_local(conference.when, office_tz(conference)).date()
        if first <= day <= last:
            by_day.setdefault(day, []).append(conference)
    weeks = [
        [
            {
                "day": day,
                "in_month": day.month == first.month,
                "is_today": day == today,
                "conferences": by_day.get(day, []),
            }
            for day in week
        ]
        for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    ]
    previous = (first - timedelta(days=1)).replace(day=1)
    following = last + timedelta(days=1)
    query = request.GET.copy()
    query.pop("month", None)
    return render(
        request,
        "conferences/calendar.html",
        {
            "form": form,
            "weeks": weeks,
            "month": first,
            "month_label": _month_label(first),
            "previous": previous.strftime("%Y-%m"),
            "previous_label": _month_label(previous),
            "next": following.strftime("%Y-%m"),
            "next_label": _month_label(following),
            "this_month": today.strftime("%Y-%m"),
            "days": [(day, by_day[day]) for day in sorted(by_day)],
            "weekdays": _weekday_names(),
            "query": query.urlencode(),
        },
    )


def _month_label(first: date) -> str:
    """ "November 2025" (the active language's month name)."""
    return dates.format_date(first, language(), weekday=False).split(" ", 1)[1]


def _weekday_names() -> list[str]:
    names = dates.DAYS_EN if language().startswith("en") else dates.DAYS_ID
    return list(names)


# --- Create -----------------------------------------------------------------------------
@login_required
def conference_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    offices = list(policy.offices(request.user, "conference.create"))
    if not offices:
        raise PermissionDenied
    form = f.ConferenceCreateForm(request.POST or None, offices=offices)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                conference = workflow.create_conference(
                    request.user,
                    office=data["office"],
                    type=data["type"],
                    title=data["title"],
                    summary=data["summary"],
                    topic=data["topic"],
                    level=data["level"],
                    scheduled_at=data["scheduled_at"],
                    venue=data["venue"],
                    is_exercise=data["is_exercise"],
                )
            except WorkflowError as exc:
                form_error(form, exc)
                status = exc.status_code
            else:
                messages.success(
                    request, _("Press conference opened: %(title)s") % {"title": conference.title}
                )
                return redirect(conference.get_absolute_url())
        else:
            status = 400
    return render(request, "conferences/create.html", {"form": form}, status=status)


@login_required
def material_edit(request: AuthenticatedHttpRequest, pk: int, kind: str) -> HttpResponse:
    """Write a new version of one material; shows all its versions."""
    kind = material_kind(kind)
    conference = get_conference(request, pk, "material.view")
    material = (
        Material.objects.select_related("current")
        .filter(conference=conference, kind=kind)
        .order_by("pk")  # one at most; the default ordering would join the conference
        .first()
    )
    current = material.current if material else None
    authors = material.author_ids() if material else set()  # read once for every action
    can_edit = workflow.MaterialAction.EDIT in workflow.material_actions(
        request.user, conference, material, authors=authors
    )
    status = 200
    if request.method == "POST":
        policy.check(request.user, "material.edit", conference)
        form = f.MaterialForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            items: list = []
            if kind == MaterialKind.KEY_MESSAGES:
                items = form.key_messages()
            elif kind == MaterialKind.QA:
                items = form.qa_pairs()
            try:
                workflow.edit_material(
                    request.user,
                    conference,
                    kind,
                    body=data["body"],
                    items=items,
                    title=data["title"],
                    expected_version=data["version"] if material else (data["version"] or 0),
                )
            except WorkflowError as exc:
                form_error(form, exc)
                status = exc.status_code
            else:
                messages.success(
                    request,
                    _("%(material)s saved as a new version.")
                    % {"material": MaterialKind(kind).label},
                )
                return redirect(f"{conference.get_absolute_url()}#material-{kind}")
        else:
            status = 400
    else:
        initial: dict[str, Any] = {"version": material.version if material else 0}
        if current is not None:
            initial.update({"title": current.title, "body": current.body})
            if kind == MaterialKind.KEY_MESSAGES:
                for i, point in enumerate(current.items[:3], start=1):
                    initial[f"message_{i}"] = point
            elif kind == MaterialKind.QA:
                initial["qa"] = f.format_qa(current.items)
        form = f.MaterialForm(initial=initial)
    versions = (
        list(
            material.versions.select_related("author", "approved_by", "returned_by").order_by(
                "-number"
            )
        )
        if material
        else []
    )
    return render(
        request,
        "conferences/material.html",
        {
            "conference": conference,
            "kind": kind,
            "panels": hooks.material_panels(conference, kind, current),
            "kind_label": MaterialKind(kind).label,
            "material": material,
            "versions": versions,
            "form": form,
            "can_edit": can_edit,
            "tz": office_tz(conference),
        },
        status=status,
    )
