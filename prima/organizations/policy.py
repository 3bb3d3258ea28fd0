"""The permission policy: role × action × the object's office.

This module is the only place that decides who may do what. Pages, the API and the admin
all call it; hiding a button is never the check. ``RULES`` is documented, row by row, in
``docs/permissions.md`` and a test compares the two.

A role is held in an office (a :class:`Membership`). Each rule grants an action to a role
with a scope:

- ``OWN``: on objects of the office where the role is held;
- ``SUBTREE``: on objects of that office and every office below it.

A person who may not even *view* an object's kind in its office gets a 404 (the object
does not exist for them); one who may view it but not perform the action gets a 403.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from .models import Membership, Office, Role, User


class Scope(StrEnum):
    OWN = "own"
    SUBTREE = "subtree"


OWN, SUBTREE = Scope.OWN, Scope.SUBTREE
ALL_STAFF_OWN = {
    Role.PR_STAFF: OWN,
    Role.PR_LEAD: OWN,
    Role.SPOKESPERSON: OWN,
    Role.HEAD: OWN,
    Role.SUPERVISOR: SUBTREE,
    Role.ADMIN: SUBTREE,
}

# action → {role: scope}. Keep docs/permissions.md in step (a test checks it).
RULES: dict[str, dict[Role, Scope]] = {
    # Offices and people
    "office.view": dict(ALL_STAFF_OWN),
    "office.change": {Role.ADMIN: SUBTREE},
    "user.view": {Role.PR_LEAD: OWN, Role.HEAD: OWN, Role.SUPERVISOR: SUBTREE, Role.ADMIN: SUBTREE},
    "user.manage": {Role.ADMIN: SUBTREE},
    "apitoken.manage": {Role.ADMIN: SUBTREE},
    # Audit trail
    "audit.view": {
        Role.PR_LEAD: OWN,
        Role.HEAD: OWN,
        Role.SUPERVISOR: SUBTREE,
        Role.ADMIN: SUBTREE,
    },
    "audit.export": {Role.HEAD: OWN, Role.SUPERVISOR: SUBTREE, Role.ADMIN: SUBTREE},
}

DESCRIPTIONS: dict[str, str] = {
    "office.view": "See the office, its people list and its pages",
    "office.change": "Edit office data and the office tree",
    "user.view": "See people and their roles",
    "user.manage": "Create people, assign roles, deactivate accounts",
    "apitoken.manage": "Issue and revoke API tokens",
    "audit.view": "Read the audit trail and per-object history",
    "audit.export": "Export the audit trail as CSV",
}


def kind_of(action: str) -> str:
    return action.split(".", 1)[0]


def view_action(action: str) -> str:
    """The action that decides whether an object exists at all for the user (404 vs 403)."""
    return f"{kind_of(action)}.view"


def memberships(user: User) -> list[Membership]:
    """The user's roles with their offices; cached on the user object (one query)."""
    if not user or not user.is_authenticated or not user.is_active:
        return []
    cached = getattr(user, "_prima_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("office"))
        user._prima_memberships = cached
    return cached


def roles(user: User) -> set[Role]:
    return {Role(m.role) for m in memberships(user)}


def _grants(user: User, action: str) -> list[tuple[Office, Scope]]:
    if action not in RULES:
        raise KeyError(f"Unknown action {action!r}: add it to policy.RULES")
    rule = RULES[action]
    return [
        (m.office, rule[Role(m.role)])
        for m in memberships(user)
        if Role(m.role) in rule and m.office.is_active
    ]


def can(user: User, action: str, office: Office) -> bool:
    """May ``user`` perform ``action`` on an object belonging to ``office``? No query
    beyond the (cached) memberships."""
    for held_in, scope in _grants(user, action):
        if held_in.pk == office.pk or (scope is SUBTREE and office.path.startswith(held_in.path)):
            return True
    return False


def office_of(obj: Any) -> Office:
    """The office an object belongs to (its ``office`` attribute; an Office is its own)."""
    office = obj if isinstance(obj, Office) else getattr(obj, "office", None)
    if not isinstance(office, Office):
        raise TypeError(f"{type(obj).__name__} has no office: the policy cannot judge it")
    return office


def office_q(user: User, action: str, field: str = "office") -> Q:
    """A filter on ``field`` (a foreign key to Office, or "" for Office itself) that keeps
    the objects the user may perform ``action`` on. Matches nothing without grants."""
    prefix = f"{field}__" if field else ""
    q = Q(pk__in=[])
    for held_in, scope in _grants(user, action):
        if scope is SUBTREE:
            q |= Q(**{f"{prefix}path__startswith": held_in.path})
        else:
            q |= Q(**{f"{prefix}pk" if field == "" else f"{field}_id": held_in.pk})
    return q


def scope(user: User, action: str, queryset: QuerySet, field: str = "office") -> QuerySet:
    """``queryset`` restricted to objects on which the user may perform ``action``."""
    if queryset.model is Office:
        field = ""
    return queryset.filter(office_q(user, action, field))


def offices(user: User, action: str) -> QuerySet[Office]:
    """The offices in which the user may perform ``action``."""
    return scope(user, action, Office.objects.all())


def check(user: User, action: str, obj: Any) -> None:
    """Raise Http404 if the object is outside what the user may see, PermissionDenied if
    they may see it but not perform ``action``."""
    office = office_of(obj)
    if not can(user, view_action(action), office) and not can(user, action, office):
        raise Http404
    if not can(user, action, office):
        raise PermissionDenied


def get_for(user: User, action: str, queryset: QuerySet | type[Model], **lookup: Any) -> Any:
    """Fetch one object by ``lookup`` and :func:`check` ``action`` on it (404 to outsiders)."""
    qs = queryset._default_manager.all() if isinstance(queryset, type) else queryset
    try:
        obj = qs.get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    check(user, action, obj)
    return obj


def actions_for_role(role: Role) -> Iterable[tuple[str, Scope]]:
    for action, rule in RULES.items():
        if role in rule:
            yield action, rule[role]
