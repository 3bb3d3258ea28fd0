"""The mention stream, its CSV export and the mention page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from prima.lib import shortcache
from prima.organizations import policy
from prima.organizations.exports import CsvFormat
from prima.organizations.http import AuthenticatedHttpRequest
from prima.organizations.models import Office, User

from .. import services
from ..forms import (
    MentionFilterForm,
    SentimentCorrectionForm,
)
from ..models import (
    Issue,
    Mention,
    Sentiment,
    WatchList,
)
from ..queries import ROW_COLUMNS, MentionFilters, filter_mentions, iter_csv, story_sizes
from ..query import QuerySyntaxError
from . import common
from .common import _home_tz, _is_htmx, _page_number, _query_without_page
from .dashboard import PERIOD_DAYS, resolve_period


def stream_filters(request: AuthenticatedHttpRequest, tz: str) -> MentionFilters:
    """The stream's filters from the GET parameters (shared by the list and its export).

    ``period=24h|7d|30d`` is a shortcut for start/end; explicit dates win.
    """
    filters = MentionFilters.from_query(request.GET, tz=tz)
    key = request.GET.get("period", "")
    if key in ("24h", *PERIOD_DAYS) and not request.GET.get("start") and not request.GET.get("end"):
        chosen = resolve_period(key, tz=tz).period
        filters.start, filters.end = chosen.start, chosen.end
    return filters


# The kept filter choices (MONITORING_STREAM_CHOICES_CACHE_SECONDS): dropped by every
# audited change of an issue, a watch-list or an office (MonitoringConfig.ready).
CHOICES_CACHE = "monitoring.stream-choices"


def _stream_choices(user: User) -> dict[str, Any]:
    """Watch-lists, recent issues and offices for the filter form, kept a few seconds for
    everyone with the same scope (the key is the exact filters
    :mod:`~prima.organizations.policy` applies); three queries when not kept."""

    def build() -> tuple[tuple[WatchList, ...], tuple[Issue, ...], tuple[Office, ...]]:
        watchlists = policy.scope(user, "watchlist.view", WatchList.objects.filter(is_active=True))
        issues = policy.scope(user, "issue.view", Issue.objects.shown())
        return (
            tuple(watchlists.only("pk", "name").order_by("name")[:200]),
            tuple(issues.only("pk", "name", "label").order_by("-last_seen_at")[:100]),
            tuple(policy.offices(user, "mention.view").order_by("path")),
        )

    scope = tuple(
        repr(policy.office_q(user, action))
        for action in ("watchlist.view", "issue.view", "mention.view")
    )
    watchlists, issues, offices = shortcache.remember(
        CHOICES_CACHE, scope, build, seconds=settings.MONITORING_STREAM_CHOICES_CACHE_SECONDS
    )
    # Lists of their own: the page may add the issue chosen by link.
    return {"watchlists": list(watchlists), "issues": list(issues), "offices": list(offices)}


def _add_chosen_issue(request: HttpRequest, issues: list[Issue]) -> None:
    """Keep an issue chosen by link (any issue, however old or small) in the filter's
    choices, which list only the 100 latest shown issues (one query, only then)."""
    chosen = request.GET.get("issue", "")
    if chosen.isdigit() and all(str(i.pk) != chosen for i in issues):
        extra = policy.scope(request.user, "issue.view", Issue.objects.filter(pk=int(chosen)))
        issues.extend(extra.only("pk", "name", "label"))


# Counting every hit of a broad search over millions of mentions costs more than the page:
# past this many, the page says "more than".
HIT_COUNT_CAP = 10_000


def capped_count(qs: QuerySet, cap: int) -> int:
    """How many rows ``qs`` has, counting at most ``cap + 1`` (one query)."""
    return qs.order_by().values("pk")[: cap + 1].count()


@login_required
def mention_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The mention stream: filters, search, paging, story sizes. Query count is constant."""
    context = _stream_context(request)
    if _is_htmx(request) and request.headers.get("HX-Target") == "mention-results":
        return render(request, "monitoring/_mention_results.html", context)
    return render(request, "monitoring/mention_list.html", context)


@login_required
@require_POST
def mention_bulk_correct(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Set the sentiment of the mentions selected in the stream (``mention.correct``, one
    audit entry each, through :func:`.services.correct_sentiments`); htmx gets the
    stream's results again (the query string keeps the filters)."""
    ids = [int(i) for i in request.POST.getlist("mentions") if i.isdigit()][:500]
    label = request.POST.get("label", "")
    mentions = list(policy.scope(request.user, "mention.view", Mention.objects.filter(pk__in=ids)))
    if ids and not mentions:
        raise Http404
    notice, ok = "", False
    if not mentions:
        notice = _("Select the mentions to correct first.")
    else:
        try:
            changed = services.correct_sentiments(request.user, mentions, label)
        except ValidationError:
            notice = _("Choose positive, neutral or negative.")
        else:
            ok = True
            notice = ngettext(
                "Sentiment of %(n)s mention corrected; the model learns it at its next retraining.",
                "Sentiment of %(n)s mentions corrected; the model learns them at its next "
                "retraining.",
                changed,
            ) % {"n": changed}
    if _is_htmx(request):
        context = _stream_context(request)
        context.update({"notice": notice, "notice_ok": ok})
        return render(request, "monitoring/_mention_results.html", context)
    (messages.success if ok else messages.error)(request, notice)
    query = request.META.get("QUERY_STRING", "")
    return redirect(f"{reverse('monitoring:mention-list')}{'?' + query if query else ''}")


def _stream_context(request: AuthenticatedHttpRequest) -> dict[str, Any]:
    """Everything the stream page and its results partial show."""
    choices = _stream_choices(request.user)
    if not choices["offices"]:
        raise PermissionDenied
    _add_chosen_issue(request, choices["issues"])
    tz = _home_tz(request.user)
    form = MentionFilterForm(request.GET or None, **choices)
    form.is_valid()
    filters = stream_filters(request, tz)
    number = _page_number(request)
    rows: list[Any] = []  # mentions, with their story size added
    search_error = ""
    hits = 0
    try:
        qs = filter_mentions(request.user, filters)
        first = (number - 1) * common.PAGE_SIZE
        rows = list(qs.only(*ROW_COLUMNS)[first : first + common.PAGE_SIZE + 1])
        hits = capped_count(qs, HIT_COUNT_CAP)
    except QuerySyntaxError as exc:
        search_error = exc.message
    has_next = len(rows) > common.PAGE_SIZE
    rows = rows[: common.PAGE_SIZE]
    sizes = story_sizes(rows)
    for mention in rows:
        mention.story = sizes.get(mention.dup_group)
    can_export = policy.can_anywhere(request.user, "mention.export")
    context = {
        "form": form,
        "mentions": rows,
        "page_number": number,
        "has_next": has_next,
        "has_previous": number > 1,
        "query": _query_without_page(request),
        "search_error": search_error,
        "hits": hits,
        "hits_capped": hits > HIT_COUNT_CAP,
        "hit_cap": HIT_COUNT_CAP,
        "can_export": can_export,
        "tz": tz,
        # Unfold "more filters" when one of them is in use.
        "filtered": any(request.GET.get(f.name) for f in form.advanced_fields),
        "can_correct": policy.can_anywhere(request.user, "mention.correct"),
        "sentiments": Sentiment.choices,
    }
    return context


def _with_bom(lines: Iterator[str]) -> Iterator[str]:
    """Prefix a UTF-8 byte-order mark: spreadsheets then read the file as UTF-8."""
    yield "\ufeff"
    yield from lines


@login_required
def mention_export(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """The filtered stream as CSV, streamed (any size, flat memory)."""
    if not policy.can_anywhere(request.user, "mention.export"):
        raise PermissionDenied
    filters = stream_filters(request, _home_tz(request.user))
    try:
        qs = filter_mentions(request.user, filters, action="mention.export")
    except QuerySyntaxError as exc:
        return HttpResponse(exc.message, status=400, content_type="text/plain; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(
        _with_bom(iter_csv(qs, fmt=CsvFormat(request.LANGUAGE_CODE, _home_tz(request.user)))),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="mentions-{stamp}.csv"'
    return response


def _mention(user: User, pk: int, action: str = "mention.view") -> Mention:
    return policy.get_for(
        user, action, Mention.objects.select_related("source", "issue", "office"), pk=pk
    )


@login_required
def mention_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    mention = _mention(request.user, pk)
    duplicates = list(
        Mention.objects.filter(office_id=mention.office_id, dup_group=mention.dup_group)
        .exclude(pk=mention.pk)
        .only(
            "pk",
            "title",
            "text",
            "outlet",
            "author",
            "author_handle",
            "platform",
            "published_at",
            "url",
            "is_original",
        )
        .order_by("published_at", "pk")[:50]
    )
    can_correct = policy.can(request.user, "mention.correct", mention.office)
    return render(
        request,
        "monitoring/mention_detail.html",
        {
            "mention": mention,
            "tz": mention.office.timezone,
            "watchlists": list(mention.watchlists.all().order_by("name")),
            "duplicates": duplicates,
            "corrections": list(mention.corrections.select_related("corrected_by")[:10]),
            "can_correct": can_correct,
            "correction_form": SentimentCorrectionForm(initial={"label": mention.sentiment})
            if can_correct
            else None,
        },
    )


@login_required
@require_POST
def mention_correct(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    mention = _mention(request.user, pk, "mention.correct")
    form = SentimentCorrectionForm(request.POST)
    if form.is_valid():
        if form.cleaned_data["label"] == mention.sentiment:
            messages.info(
                request,
                _("The sentiment was already %(label)s.")
                % {"label": mention.get_sentiment_display()},
            )
        else:
            services.correct_sentiment(request.user, mention, form.cleaned_data["label"])
            messages.success(
                request,
                _(
                    "Sentiment corrected. The correction will be used "
                    "when the model is next trained."
                ),
            )
    else:
        messages.error(request, _("Choose positive, neutral or negative."))
    return redirect("monitoring:mention-detail", pk=mention.pk)
