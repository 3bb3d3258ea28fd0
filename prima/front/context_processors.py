"""Values every page of the shell needs."""

from __future__ import annotations

from django.http import HttpRequest

from prima.organizations import policy


def shell(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"prima_roles": set()}
    held = policy.memberships(user)
    return {
        "prima_memberships": held,
        "prima_roles": {m.role for m in held},
        "prima_home_office": user.office,
        "prima_can_view_audit": any(policy.can(user, "audit.view", m.office) for m in held),
        "prima_can_see_media_relations": any(
            policy.can(user, action, m.office)
            for m in held
            for action in ("mediacontact.view", "spokesperson.view", "delegation.view")
        ),
        "prima_is_admin": any(m.role == "admin" for m in held) or user.is_superuser,
    }
