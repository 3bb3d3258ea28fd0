"""The sentiment model's cards: the version in use, every retrained version with what it
was trained on and its held-back scores, and the card of the model shipped with PRIMA."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from prima.lib import markup
from prima.organizations import policy
from prima.organizations.http import AuthenticatedHttpRequest
from prima.organizations.models import User

from .. import retraining
from .common import _home_tz

# The corrections listed on a version's page (the rest are counted).
CORRECTIONS_SHOWN = 100


def _require_reader(user: User) -> None:
    """The model serves every office: anyone who reads monitoring in some office may read
    its cards (the corrections themselves stay within the reader's offices)."""
    if not policy.can_anywhere(user, "mention.view"):
        raise PermissionDenied


@login_required
def sentiment_model(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_reader(request.user)
    versions = list(retraining.versions()[:50])
    return render(
        request,
        "monitoring/sentiment_model.html",
        {
            "versions": versions,
            "current": versions[0] if versions else None,
            "rows": [(v, score_rows(v.metrics)) for v in versions],
            "shipped_card": markup.render(retraining.shipped_card()),
            "tz": _home_tz(request.user),
        },
    )


def score_rows(metrics: dict[str, Any]) -> list[tuple[str, float | None, float | None]]:
    """(what, before, after) in percent for a version's measured effect."""

    def pct(key: str) -> float | None:
        value = metrics.get(key)
        return None if value is None else round(float(value) * 100, 1)

    return [
        (_("Agreement with the staff corrections"),
         pct("agreement_with_corrections_before"), pct("agreement_with_corrections_after")),
        (_("Macro-F1 on PRIMA's held-back informal test set"),
         pct("informal_macro_f1_before"), pct("informal_macro_f1_after")),
        (_("Macro-F1 on PRIMA's larger held-out set of informal posts"),
         pct("heldout_macro_f1_before"), pct("heldout_macro_f1_after")),
    ]  # fmt: skip


@login_required
def sentiment_model_version(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_reader(request.user)
    version = get_object_or_404(retraining.versions(), pk=pk)
    new = retraining.corrections_new_in(version)
    visible = policy.scope(request.user, "mention.view", new)
    visible = visible.select_related("corrected_by", "office").order_by("-pk")
    shown = list(visible[:CORRECTIONS_SHOWN])
    new_count = new.count()
    return render(
        request,
        "monitoring/sentiment_model_version.html",
        {
            "version": version,
            "is_current": not retraining.versions().filter(pk__gt=version.pk).exists(),
            "metrics": version.metrics,
            "scores": score_rows(version.metrics),
            "card": markup.render(version.card),
            "used_count": retraining.corrections_used(version).count(),
            "new_count": new_count,
            "shown": shown,
            "not_shown": max(0, new_count - len(shown)),
            "tz": _home_tz(request.user),
        },
    )
