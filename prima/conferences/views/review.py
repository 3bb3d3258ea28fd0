"""Reading material before approving it: the whole current version and what changed since
the last approved version (a word-level diff), on the detail page's material cards and on
a review page of its own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import get_language

from prima.lib import shortcache
from prima.lib.diff import Segment, changed_words, word_diff
from prima.organizations.http import AuthenticatedHttpRequest

from .. import forms as f
from .. import hooks, workflow
from ..models import Conference, Material, MaterialKind, MaterialState, MaterialVersion, Status
from .base import CACHE, get_conference, material_kind, office_tz


@dataclass(frozen=True)
class Changes:
    """How the current version differs from the last approved one."""

    since: MaterialVersion  # the last approved version before the current one
    segments: list[Segment]
    added: int
    removed: int

    @property
    def unchanged(self) -> bool:
        return not (self.added or self.removed)


def changes_since_approval(material: Material, previous: MaterialVersion | None) -> Changes | None:
    """The diff of the current version against ``previous`` (None without either)."""
    current = material.current
    if current is None or previous is None or material.state == MaterialState.APPROVED:
        return None
    segments = word_diff(previous.as_text(), current.as_text())
    added, removed = changed_words(segments)
    return Changes(previous, segments, added, removed)


def shown_objections(
    material: Material, version: MaterialVersion, *, now: datetime
) -> list[hooks.Objection]:
    """What the pre-approval checks (the automatic verification) hold against ``version``,
    as shown to an approver before they act: the same for everyone, kept like the detail
    page (:data:`.base.CACHE`). Approving asks the checks afresh (the workflow does)."""
    return shortcache.remember(
        CACHE,
        ("objections", material.pk, version.pk, material.version, get_language()),
        lambda: hooks.objections(material, version, now=now),
        seconds=settings.CONFERENCE_DETAIL_CACHE_SECONDS,
    )


def approved_predecessors(conference: Conference) -> dict[int, MaterialVersion]:
    """For each material of the conference whose current version is not approved: its last
    approved older version (one query)."""
    found: dict[int, MaterialVersion] = {}
    versions = (
        MaterialVersion.objects.filter(material__conference=conference, approved_at__isnull=False)
        .exclude(material__state=MaterialState.APPROVED)
        .select_related("approved_by", "material__current")
        .order_by("material_id", "-number")
    )
    for version in versions:
        current = version.material.current
        if current is not None and version.number < current.number:
            found.setdefault(version.material_id, version)
    return found


@login_required
def material_review(request: AuthenticatedHttpRequest, pk: int, kind: str) -> HttpResponse:
    """The whole current version of a material, what changed since it was last approved,
    and (for those who may) the approve and return buttons."""
    kind = material_kind(kind)
    conference = get_conference(request, pk, "material.view")
    material = get_object_or_404(
        Material.objects.select_related(
            "current__author", "current__approved_by", "current__returned_by", "submitted_by"
        ),
        conference=conference,
        kind=kind,
    )
    current = material.current
    previous = material.approved_before(current.number) if current else None
    may_review = (
        conference.status == Status.ACTIVE
        and material.state == MaterialState.SUBMITTED
        and workflow.may_approve(request.user, conference.office)
    )
    context: dict[str, Any] = {
        "conference": conference,
        "material": material,
        "kind": kind,
        "kind_label": MaterialKind(kind).label,
        "current": current,
        "changes": changes_since_approval(material, previous),
        "previous": previous,
        "may_review": may_review,
        "is_author": request.user.pk in material.author_ids(),
        "return_form": f.ReturnMaterialForm(initial={"version": material.version}),
        "tz": office_tz(conference),
        # Higher apps' panels beside the text (the automatic verification's findings), and
        # what their pre-approval checks hold against this version.
        "panels": hooks.material_panels(conference, kind, current),
        "objections": (
            shown_objections(material, current, now=timezone.now())
            if may_review and current is not None
            else []
        ),
    }
    return render(request, "conferences/material_review.html", context)
