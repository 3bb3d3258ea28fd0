"""Values every page of the shell needs."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from prima.organizations import policy


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"prima_roles": set()}
    held = policy.memberships(user)
    return {
        "prima_memberships": held,
        "prima_roles": {m.role for m in held},
        "prima_home_office": user.office,
        # The menu offers what the policy grants somewhere (no query beyond memberships).
        "prima_can_view_conferences": policy.can_anywhere(user, "conference.view"),
        "prima_can_view_monitoring": policy.can_anywhere(user, "mention.view"),
        "prima_can_view_catalogue": policy.can_anywhere(user, "service.view"),
        "prima_can_view_documents": policy.can_anywhere(user, "document.view"),
        "prima_can_view_publications": policy.can_anywhere(user, "publication.view"),
        "prima_can_view_crisis": policy.can_anywhere(user, "crisis.view"),
        "prima_can_view_audit": policy.can_anywhere(user, "audit.view"),
        "prima_can_view_subjectrequests": policy.can_anywhere(user, "subjectrequest.view"),
        "prima_can_view_privacy": policy.can_anywhere(user, "privacy.view"),
        "prima_can_view_breaches": policy.can_anywhere(user, "breach.view"),
        "prima_can_view_people": policy.can_anywhere(user, "user.view"),
        "prima_can_view_indicators": policy.can_anywhere(user, "indicator.view"),
        "prima_can_see_media_relations": any(
            policy.can_anywhere(user, action)
            for action in ("mediacontact.view", "spokesperson.view", "delegation.view")
        ),
        "prima_is_admin": policy.may_administer(user),
    }
