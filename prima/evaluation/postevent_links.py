"""The link from a conference's page to its evaluation report (a conferences hook)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from prima.conferences.hooks import PageLink
from prima.conferences.models import Conference, Stage
from prima.organizations import policy
from prima.organizations.models import User


def report_link(conference: Conference, user: User) -> PageLink | None:
    """ "Evaluation report" once the conference has reached post-event evaluation."""
    if Stage(conference.stage).position < Stage.EVALUATION.position:
        return None
    if not policy.can(user, "postevent.view", conference.office):
        return None
    url = reverse("evaluation:postevent-report", args=[conference.pk])
    return PageLink("evaluation-report", _("Evaluation report (AMEC)"), url)
