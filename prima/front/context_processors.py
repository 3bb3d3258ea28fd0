"""Values every page of the shell needs."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from prima.organizations import policy

# Context name → the action whose holders (anywhere) see the menu entry.
MENU_ACTIONS = {
    "prima_can_view_conferences": "conference.view",
    "prima_can_view_monitoring": "mention.view",
    "prima_can_view_catalogue": "service.view",
    "prima_can_view_documents": "document.view",
    "prima_can_view_publications": "publication.view",
    "prima_can_view_crisis": "crisis.view",
    "prima_can_view_audit": "audit.view",
    "prima_can_view_subjectrequests": "subjectrequest.view",
    "prima_can_view_privacy": "privacy.view",
    "prima_can_view_breaches": "breach.view",
    "prima_can_view_people": "user.view",
    "prima_can_view_indicators": "indicator.view",
}
MEDIA_RELATIONS_ACTIONS = ("mediacontact.view", "spokesperson.view", "delegation.view")


def shell(request: HttpRequest) -> dict[str, Any]:
    """The menu's entries and the person in the top bar. No query beyond the user and
    their (cached) memberships: the actions held anywhere are computed once per request
    (:func:`policy.actions_anywhere`)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"prima_roles": set()}
    held = policy.memberships(user)
    actions = policy.actions_anywhere(user)
    return {
        "prima_memberships": held,
        "prima_roles": {m.role for m in held},
        "prima_home_office": user.office,
        **{name: action in actions for name, action in MENU_ACTIONS.items()},
        "prima_can_see_media_relations": not actions.isdisjoint(MEDIA_RELATIONS_ACTIONS),
        "prima_is_admin": policy.may_administer(user),
    }
