"""The link from a conference's page to its evaluation report (``prima.organizations.links``:
the conferences app imports nothing of evaluation)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from prima.conferences.models import Stage
from prima.organizations import links, policy
from prima.organizations.policy import AnyUser


def report_link(conference: Any, user: AnyUser) -> links.PageLink | None:
    """ "Evaluation report" once the conference has reached post-event evaluation."""
    if Stage(conference.stage).position < Stage.EVALUATION.position:
        return None
    if not policy.can(user, "postevent.view", conference.office):
        return None
    url = reverse("evaluation:postevent-report", args=[conference.pk])
    return links.PageLink(_("Evaluation report (AMEC)"), url, "evaluation-report")


def connect() -> None:
    links.register("conference", report_link)
