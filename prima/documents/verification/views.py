"""Findings beside the draft: the panel for a saved version (GET) and for the text being
written in the editor (POST, nothing stored). Both are htmx partials that also render as
plain pages."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_POST

from prima.conferences.forms import MaterialForm
from prima.conferences.models import Conference, Material, MaterialKind, MaterialVersion
from prima.organizations import policy
from prima.organizations.models import User

from . import loading, presentation, services
from .types import Draft


def _lines(draft: Draft) -> list[str]:
    """The draft's texts with one kind of line end (browsers send CRLF, htmx LF)."""
    return [p.text.replace("\r\n", "\n").strip() for p in draft.parts]


def _user(request: HttpRequest) -> User:
    """The logged-in user (the views are behind ``login_required``)."""
    assert isinstance(request.user, User)  # noqa: S101 - guaranteed by login_required
    return request.user


def _render(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    return render(request, "documents/verification/_findings.html", context)


@login_required
@require_GET
def version_findings(request: HttpRequest, pk: int) -> HttpResponse:
    """The stored findings of a saved version (checked again if the facts changed)."""
    version = get_object_or_404(
        MaterialVersion.objects.select_related("material__conference__office"), pk=pk
    )
    conference = version.material.conference
    policy.check(_user(request), "material.view", conference)
    run = services.verify_version(version)
    draft = loading.draft_of_version(version)
    return _render(
        request,
        {
            "conference": conference,
            "version": version,
            "run": run,
            "shown": presentation.shown(draft, run.findings),
            "waivers": services.waivers(version),
        },
    )


@login_required
@require_POST
def live_findings(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Findings for the editor's text as it stands (the material form's fields)."""
    if kind not in MaterialKind.values:
        raise Http404
    conference = policy.get_for(
        _user(request), "material.view", Conference.objects.select_related("office"), pk=pk
    )
    form = MaterialForm(request.POST)
    form.is_valid()  # Over-long fields are cut by their field; nothing is saved.
    data = form.cleaned_data
    items: list[Any] = []
    if kind == MaterialKind.KEY_MESSAGES:
        items = form.key_messages()
    elif kind == MaterialKind.QA:
        items = form.qa_pairs()
    title, body = data.get("title", ""), data.get("body", "")
    draft, findings = services.check_material(conference, kind, title=title, body=body, items=items)
    # The saved text unchanged: show what was decided about it (waivers) too.
    material = Material.objects.filter(conference=conference, kind=kind).select_related("current")
    current = getattr(material.first(), "current", None)
    unchanged = current is not None and _lines(loading.draft_of_version(current)) == _lines(draft)
    return _render(
        request,
        {
            "conference": conference,
            "live": True,
            "shown": presentation.shown(draft, [f.as_dict() for f in findings]),
            "waivers": services.waivers(current) if unchanged and current else [],
        },
    )
