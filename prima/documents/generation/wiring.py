"""How generation plugs into the pages of the apps below (called from the documents app's
``ready()``): a "Documents" link on a conference's page, a crisis case's page and the
media-analysis dashboard (``prima.organizations.links``)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from prima.organizations import links, policy
from prima.organizations.policy import AnyUser


def _conference(conference: Any, user: AnyUser) -> links.PageLink | None:
    if not policy.can(user, "document.view", conference.office):
        return None
    return links.PageLink(
        _("Documents (DOCX, PDF)"),
        reverse("documents:conference", args=[conference.pk]),
        "documents",
    )


def _case(case: Any, user: AnyUser) -> links.PageLink | None:
    if not policy.can(user, "document.view", case.office):
        return None
    return links.PageLink(
        _("Crisis log as a document (DOCX, PDF)"),
        reverse("documents:case", args=[case.pk]),
        "documents",
    )


def _dashboard(period: dict[str, Any], user: AnyUser) -> links.PageLink | None:
    office = period["office"]
    if not policy.can(user, "document.generate", office):
        return None
    query = urlencode(
        {
            "office": office.pk,
            "start": period["first_day"].isoformat(),
            "end": period["last_day"].isoformat(),
        }
    )
    return links.PageLink(
        _("Report for this period (DOCX, PDF)"),
        reverse("documents:index") + "?" + query,
        "documents",
    )


def connect() -> None:
    links.register("conference", _conference)
    links.register("crisis-case", _case)
    links.register("dashboard", _dashboard)
