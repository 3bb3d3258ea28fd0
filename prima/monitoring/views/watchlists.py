"""Watch-lists: Boolean queries that tag mentions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import (
    HttpResponse,
)
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from prima.organizations import policy
from prima.organizations.http import AuthenticatedHttpRequest
from prima.organizations.models import Office

from .. import services
from ..forms import (
    WatchListForm,
)
from ..models import (
    WatchList,
)


def _watchlist_form_error(form: WatchListForm, exc: ValidationError) -> None:
    """Put a query error under the query field (message with its position), others on top."""
    error_dict = getattr(exc, "error_dict", None)
    if error_dict:
        for field, errors in error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return
    for message in exc.messages:
        # "… at position N):\n<query>\n   ^": the sentence wraps like any error; the query
        # with its caret is shown as preformatted text so that the caret stays in place.
        head, _newline, caret = message.partition("\n")
        form.add_error("query", head)
        if caret:
            form.query_caret = caret


@login_required
def watchlist_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not policy.can_anywhere(request.user, "watchlist.view"):
        raise PermissionDenied
    watchlists = (
        policy.scope(request.user, "watchlist.view", WatchList.objects.all())
        .select_related("office")
        .annotate(n=Count("matches"))
        .order_by("office__path", "name")
    )
    manage_offices = list(policy.offices(request.user, "watchlist.manage").order_by("path"))
    form = None
    if manage_offices:
        form = WatchListForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            office = _office_from_post(request, manage_offices)
            data = form.cleaned_data
            try:
                services.validate_query(data["query"])
                watchlist = services.create_watchlist(
                    request.user, office, data["name"], data["query"], data["description"]
                )
            except ValidationError as exc:
                _watchlist_form_error(form, exc)
            else:
                messages.success(
                    request, _("Watch-list saved; existing mentions are being tagged.")
                )
                return redirect("monitoring:watchlist-detail", pk=watchlist.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "monitoring/watchlist_list.html",
        {"watchlists": watchlists, "form": form, "offices": manage_offices},
    )


def _office_from_post(request: AuthenticatedHttpRequest, allowed: list[Office]) -> Office:
    try:
        wanted = int(request.POST.get("office") or 0)
    except ValueError:
        wanted = 0
    return next((o for o in allowed if o.pk == wanted), allowed[0])


@login_required
def watchlist_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    watchlist = policy.get_for(
        request.user, "watchlist.view", WatchList.objects.select_related("office"), pk=pk
    )
    can_manage = policy.can(request.user, "watchlist.manage", watchlist.office)
    form = None
    if can_manage:
        form = WatchListForm(
            request.POST or None,
            initial={
                "name": watchlist.name,
                "query": watchlist.query,
                "description": watchlist.description,
                "is_active": watchlist.is_active,
            },
        )
        if request.method == "POST":
            if request.POST.get("delete"):
                services.delete_watchlist(request.user, watchlist)
                messages.success(request, _("Watch-list deleted."))
                return redirect("monitoring:watchlist-list")
            if form.is_valid():
                data = form.cleaned_data
                try:
                    services.validate_query(data["query"])
                    services.update_watchlist(request.user, watchlist, **data)
                except ValidationError as exc:
                    _watchlist_form_error(form, exc)
                else:
                    messages.success(request, _("Watch-list saved."))
                    return redirect("monitoring:watchlist-detail", pk=watchlist.pk)
    elif request.method == "POST":
        raise PermissionDenied
    recent = list(
        watchlist.mentions.select_related("source", "issue").order_by("-published_at", "-pk")[:20]
    )
    return render(
        request,
        "monitoring/watchlist_detail.html",
        {
            "watchlist": watchlist,
            "form": form,
            "recent": recent,
            "tz": watchlist.office.timezone,
            "match_count": watchlist.matches.count(),
        },
    )
