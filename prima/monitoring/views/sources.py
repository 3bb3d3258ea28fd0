"""Media sources (feeds, article pages) and manual clippings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    Http404,
    HttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from prima.organizations import policy
from prima.organizations.http import AuthenticatedHttpRequest
from prima.organizations.models import User

from .. import services
from ..forms import (
    ClippingForm,
    SourceForm,
    UrlImportForm,
)
from ..models import (
    Platform,
    Source,
    SourceKind,
)
from .common import _visible_offices


@login_required
def source_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not policy.can_anywhere(request.user, "source.view"):
        raise PermissionDenied
    sources = (
        policy.scope(request.user, "source.view", Source.objects.all())
        .select_related("office")
        .order_by("office__path", "name")
    )
    manage_offices = list(policy.offices(request.user, "source.manage").order_by("path"))
    form = None
    if manage_offices:
        form = SourceForm(
            request.POST or None,
            offices=manage_offices,
            initial={"kind": SourceKind.RSS, "poll_interval_minutes": 30},
        )
        if request.method == "POST" and form.is_valid():
            data = dict(form.cleaned_data)
            office = data.pop("office")
            try:
                source = services.create_source(request.user, office, **data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Source added."))
                _keep_key_for_display(request, source, source.new_push_key)
                return redirect("monitoring:source-detail", pk=source.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render(request, "monitoring/source_list.html", {"sources": sources, "form": form})


NEW_PUSH_KEY = "monitoring_new_push_key"


def _keep_key_for_display(
    request: AuthenticatedHttpRequest, source: Source, key: str | None
) -> None:
    """A new push key is shown once, on the source's page right after the redirect; it
    waits in the session until then, and nowhere else."""
    if key:
        request.session[NEW_PUSH_KEY] = {"source": source.pk, "key": key}


def _key_to_display(request: AuthenticatedHttpRequest, source: Source) -> str:
    pending = request.session.get(NEW_PUSH_KEY)
    if not pending or pending.get("source") != source.pk:
        return ""
    del request.session[NEW_PUSH_KEY]
    return str(pending.get("key", ""))


def _source(user: User, pk: int, action: str = "source.view") -> Source:
    return policy.get_for(user, action, Source.objects.select_related("office"), pk=pk)


@login_required
def source_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    source = _source(request.user, pk)
    can_manage = policy.can(request.user, "source.manage", source.office)
    can_import = policy.can(request.user, "import.run", source.office)
    jobs = list(source.jobs.order_by("-created_at", "-pk")[:10])
    return render(
        request,
        "monitoring/source_detail.html",
        {
            "source": source,
            "new_push_key": _key_to_display(request, source) if can_manage else "",
            "push_url": request.build_absolute_uri(
                reverse("api:push_posts", kwargs={"source_id": source.pk})
            )
            if source.kind == SourceKind.PUSH
            else "",
            "tz": source.office.timezone,
            "jobs": jobs,
            "can_manage": can_manage,
            "can_import": can_import,
            "mention_count": source.mentions.count(),
            "url_form": UrlImportForm()
            if can_import and source.kind == SourceKind.ARTICLE
            else None,
        },
    )


@login_required
@require_POST
def source_action(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Poll now, pause or resume a source, or issue a push source's new key (``action`` in
    the POST data)."""
    source = _source(request.user, pk, "source.manage")
    action = request.POST.get("action")
    try:
        if action == "poll" and source.kind == SourceKind.RSS:
            services.poll_now(request.user, source)
            messages.success(request, _("The feed will be fetched in a moment."))
        elif action == "new_key" and source.kind == SourceKind.PUSH:
            key = services.issue_push_key(request.user, source)
            _keep_key_for_display(request, source, key)
            messages.success(request, _("A new key was issued; the old one no longer works."))
        elif action in ("pause", "resume"):
            services.update_source(request.user, source, is_active=action == "resume")
            messages.success(
                request, _("Source resumed.") if action == "resume" else _("Source paused.")
            )
        else:
            raise Http404
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("monitoring:source-detail", pk=source.pk)


@login_required
@require_POST
def source_import_urls(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    source = _source(request.user, pk, "import.run")
    form = UrlImportForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("urls", []):
            messages.error(request, str(error))
        return redirect("monitoring:source-detail", pk=source.pk)
    try:
        job = services.start_url_import(request.user, source, form.cleaned_data["urls"])
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("monitoring:source-detail", pk=source.pk)
    return redirect("monitoring:import-detail", pk=job.pk)


@login_required
def clipping_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    offices = _visible_offices(request.user, "mention.create")
    form = ClippingForm(request.POST or None, offices=offices, initial={"platform": Platform.PRINT})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        office = data.pop("office")
        try:
            mention = services.add_clipping(request.user, office, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Clipping saved."))
            return redirect("monitoring:mention-detail", pk=mention.pk)
    return render(request, "monitoring/clipping_form.html", {"form": form})
