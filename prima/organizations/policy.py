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

The same table answers the other way round: :func:`roles_with` and :class:`Holders` say
who may perform an action in an office (e.g. "who must act" on a blocked conference), and
:func:`may_administer` who may enter the admin site. Rights that other apps hand out by
their own rows (a head of office delegating ``material.approve``) are added by those
apps, which pass their delegates in (``also=``): this module imports no higher app.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from enum import StrEnum
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from .models import Membership, Office, Role, User

# Who the policy is asked about: a request's user may be anonymous (it is granted nothing).
AnyUser = User | AnonymousUser
_M = TypeVar("_M", bound=Model)
_QS = TypeVar("_QS", bound=QuerySet[Any])


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
    "user.invite": {Role.ADMIN: SUBTREE},
    "user.deactivate": {Role.ADMIN: SUBTREE},
    "user.reset_password": {Role.ADMIN: SUBTREE},
    "user.end_sessions": {Role.ADMIN: SUBTREE},
    "apitoken.manage": {Role.ADMIN: SUBTREE},
    "twofactor.reset": {Role.ADMIN: SUBTREE},
    "twofactor.require": {Role.ADMIN: SUBTREE},
    # Personal data of people outside PRIMA (journalists, public senders): full phone
    # numbers and e-mail addresses on detail pages, in exports and in the API; everyone
    # else (and every list) gets them masked (prima.lib.masking).
    "personal_data.view": {Role.PR_STAFF: OWN, Role.PR_LEAD: OWN, Role.HEAD: OWN},
    # Audit trail
    "audit.view": {
        Role.PR_LEAD: OWN,
        Role.HEAD: OWN,
        Role.SUPERVISOR: SUBTREE,
        Role.ADMIN: SUBTREE,
    },
    "audit.export": {Role.HEAD: OWN, Role.SUPERVISOR: SUBTREE, Role.ADMIN: SUBTREE},
    # Data-subject requests (UU 27/2022): tracking, finding, export, correction, erasure
    "subjectrequest.view": {
        Role.PR_LEAD: OWN,
        Role.HEAD: OWN,
        Role.SUPERVISOR: SUBTREE,
        Role.ADMIN: SUBTREE,
    },
    "subjectrequest.manage": {Role.PR_LEAD: OWN, Role.HEAD: OWN, Role.ADMIN: SUBTREE},
    "subjectrequest.erase": {Role.HEAD: OWN, Role.ADMIN: SUBTREE},
    # Media monitoring
    "mention.view": dict(ALL_STAFF_OWN),
    "mention.export": dict(ALL_STAFF_OWN),
    "mention.correct": {Role.PR_STAFF: OWN, Role.PR_LEAD: OWN, Role.SPOKESPERSON: OWN},
    "mention.create": {Role.PR_STAFF: OWN, Role.PR_LEAD: OWN},
    "mention.push": {Role.PR_STAFF: OWN, Role.PR_LEAD: OWN, Role.ADMIN: SUBTREE},
    "source.view": dict(ALL_STAFF_OWN),
    "source.manage": {Role.PR_STAFF: OWN, Role.PR_LEAD: OWN, Role.ADMIN: SUBTREE},
    "import.view": {
        Role.PR_STAFF: OWN,
        Role.PR_LEAD: OWN,
        Role.HEAD: OWN,
        Role.SUPERVISOR: SUBTREE,
        Role.ADMIN: SUBTREE,
    },
    "import.run": {Role.PR_STAFF: OWN, Role.PR_LEAD: OWN, Role.ADMIN: SUBTREE},
    "watchlist.view": dict(ALL_STAFF_OWN),
    "watchlist.manage": {Role.PR_STAFF: OWN, Role.PR_LEAD: OWN, Role.SPOKESPERSON: OWN},
    "issue.view": dict(ALL_STAFF_OWN),
    "issue.manage": {Role.PR_STAFF: OWN, Role.PR_LEAD: OWN, Role.SPOKESPERSON: OWN},
    # Press conferences (delegates of material.approve: prima.conferences Delegation rows)
    "conference.view": dict(ALL_STAFF_OWN),
    "conference.create": {Role.PR_STAFF: OWN, Role.PR_LEAD: OWN, Role.HEAD: OWN},
    "conference.edit": {Role.PR_STAFF: OWN, Role.PR_LEAD: OWN, Role.HEAD: OWN},
    "conference.advance": {Role.PR_STAFF: OWN, Role.PR_LEAD: OWN, Role.HEAD: OWN},
    "conference.verify_fact": {Role.PR_STAFF: OWN, Role.PR_LEAD: OWN, Role.HEAD: OWN},
    "conference.appoint": {Role.PR_LEAD: OWN, Role.HEAD: OWN},
    "conference.brief": {
        Role.PR_STAFF: OWN,
        Role.PR_LEAD: OWN,
        Role.SPOKESPERSON: OWN,
        Role.HEAD: OWN,
    },
    "conference.cancel": {Role.PR_LEAD: OWN, Role.HEAD: OWN},
    "conference.close": {Role.PR_LEAD: OWN, Role.HEAD: OWN},
    "conference.supervise": {Role.SUPERVISOR: SUBTREE},
    "material.view": dict(ALL_STAFF_OWN),
    "material.edit": {
        Role.PR_STAFF: OWN,
        Role.PR_LEAD: OWN,
        Role.SPOKESPERSON: OWN,
        Role.HEAD: OWN,
    },
    "material.approve": {Role.HEAD: OWN},
    "spokesperson.view": dict(ALL_STAFF_OWN),
    "spokesperson.manage": {Role.PR_LEAD: OWN, Role.HEAD: OWN, Role.ADMIN: SUBTREE},
    "mediacontact.view": {
        Role.PR_STAFF: OWN,
        Role.PR_LEAD: OWN,
        Role.HEAD: OWN,
        Role.SUPERVISOR: SUBTREE,
        Role.ADMIN: SUBTREE,
    },
    "mediacontact.manage": {Role.PR_STAFF: OWN, Role.PR_LEAD: OWN, Role.ADMIN: SUBTREE},
    "delegation.view": {
        Role.PR_LEAD: OWN,
        Role.HEAD: OWN,
        Role.SUPERVISOR: SUBTREE,
        Role.ADMIN: SUBTREE,
    },
    "delegation.manage": {Role.HEAD: OWN, Role.ADMIN: SUBTREE},
    "checklisttemplate.view": {
        Role.PR_LEAD: OWN,
        Role.HEAD: OWN,
        Role.SUPERVISOR: SUBTREE,
        Role.ADMIN: SUBTREE,
    },
    "checklisttemplate.manage": {Role.ADMIN: SUBTREE},
    # The admin site (/admin/): who may enter it at all; inside, the actions above apply.
    "adminsite.access": {Role.ADMIN: SUBTREE},
    # Service catalogue (four eyes: nobody publishes a version they wrote)
    "service.view": dict(ALL_STAFF_OWN),
    "service.edit": {Role.PR_STAFF: OWN, Role.PR_LEAD: OWN, Role.HEAD: OWN},
    "service.approve": {Role.PR_LEAD: OWN, Role.HEAD: OWN},
    # Public portal
    "publication.view": dict(ALL_STAFF_OWN),
    "publication.manage": {Role.PR_STAFF: OWN, Role.PR_LEAD: OWN, Role.HEAD: OWN},
    "publication.publish": {Role.PR_LEAD: OWN, Role.HEAD: OWN},
    "inquiry.view": dict(ALL_STAFF_OWN),
    "inquiry.answer": {Role.PR_STAFF: OWN, Role.PR_LEAD: OWN, Role.SPOKESPERSON: OWN},
    "inquiry.personal": {
        Role.PR_STAFF: OWN,
        Role.PR_LEAD: OWN,
        Role.SPOKESPERSON: OWN,
        Role.HEAD: OWN,
    },
    "portalprofile.manage": {Role.PR_LEAD: OWN, Role.HEAD: OWN, Role.ADMIN: SUBTREE},
    # Crisis playbook
    "crisis.view": dict(ALL_STAFF_OWN),
    "crisis.export": dict(ALL_STAFF_OWN),
    "crisis.acknowledge": {
        Role.PR_STAFF: OWN,
        Role.PR_LEAD: OWN,
        Role.HEAD: OWN,
        Role.SUPERVISOR: SUBTREE,
    },
    "crisis.assess": {
        Role.PR_STAFF: OWN,
        Role.PR_LEAD: OWN,
        Role.HEAD: OWN,
        Role.SUPERVISOR: SUBTREE,
    },
    "crisis.override": {Role.PR_LEAD: OWN, Role.HEAD: OWN, Role.SUPERVISOR: SUBTREE},
    "crisis.manage": {
        Role.PR_STAFF: OWN,
        Role.PR_LEAD: OWN,
        Role.HEAD: OWN,
        Role.SUPERVISOR: SUBTREE,
    },
    "crisis.statement": {Role.PR_LEAD: OWN, Role.HEAD: OWN},
    "crisis.open_conference": {Role.PR_STAFF: OWN, Role.PR_LEAD: OWN, Role.HEAD: OWN},
    "crisis.drill": {Role.PR_LEAD: OWN, Role.HEAD: OWN, Role.ADMIN: SUBTREE},
    "clarification.view": dict(ALL_STAFF_OWN),
    "clarification.edit": {
        Role.PR_STAFF: OWN,
        Role.PR_LEAD: OWN,
        Role.SPOKESPERSON: OWN,
        Role.HEAD: OWN,
    },
    "clarification.publish": {Role.PR_LEAD: OWN, Role.HEAD: OWN},
    "crisisconfig.view": {
        Role.PR_LEAD: OWN,
        Role.HEAD: OWN,
        Role.SUPERVISOR: SUBTREE,
        Role.ADMIN: SUBTREE,
    },
    "crisisconfig.manage": {Role.ADMIN: SUBTREE},
    # Generated documents (press kit, reports)
    "document.view": dict(ALL_STAFF_OWN),
    "document.generate": {
        Role.PR_STAFF: OWN,
        Role.PR_LEAD: OWN,
        Role.SPOKESPERSON: OWN,
        Role.HEAD: OWN,
    },
    "letterhead.manage": {Role.PR_LEAD: OWN, Role.HEAD: OWN, Role.ADMIN: SUBTREE},
    # Post-event evaluation (prima/evaluation: coverage proposals, the AMEC report)
    "postevent.view": dict(ALL_STAFF_OWN),
    "postevent.review": {Role.PR_STAFF: OWN, Role.PR_LEAD: OWN, Role.HEAD: OWN},
    "postevent.query": {Role.PR_STAFF: OWN, Role.PR_LEAD: OWN, Role.HEAD: OWN},
    # Indicators and roll-ups (evaluation)
    "indicator.view": {
        Role.PR_STAFF: OWN,
        Role.PR_LEAD: OWN,
        Role.HEAD: OWN,
        Role.SUPERVISOR: SUBTREE,
        Role.ADMIN: SUBTREE,
    },
    "indicator.export": {
        Role.PR_LEAD: OWN,
        Role.HEAD: OWN,
        Role.SUPERVISOR: SUBTREE,
        Role.ADMIN: SUBTREE,
    },
    "indicatortarget.manage": {Role.ADMIN: SUBTREE},
    # Personal data (UU No. 27/2022): record of processing, retention, breach record
    "privacy.view": {
        Role.PR_LEAD: OWN,
        Role.HEAD: OWN,
        Role.SUPERVISOR: SUBTREE,
        Role.ADMIN: SUBTREE,
    },
    "breach.view": {
        Role.PR_LEAD: OWN,
        Role.HEAD: OWN,
        Role.SUPERVISOR: SUBTREE,
        Role.ADMIN: SUBTREE,
    },
    "breach.manage": {Role.HEAD: OWN, Role.ADMIN: SUBTREE},
}

DESCRIPTIONS: dict[str, str] = {
    "office.view": "See the office, its people list and its pages",
    "office.change": "Edit office data and the office tree",
    "user.view": "See people and their roles",
    "user.manage": "Create people, assign roles, deactivate accounts",
    "user.invite": "Invite a person by e-mail to a role in an office (single-use link)",
    "user.deactivate": "Deactivate an account (its sessions and API tokens end) and reactivate it",
    "user.reset_password": "Reset someone's password: it stops working and a reset link is sent",
    "user.end_sessions": "See someone's signed-in sessions and end them",
    "apitoken.manage": "Issue and revoke API tokens",
    "twofactor.reset": "Reset a person's lost second factor (with a reason, audited)",
    "twofactor.require": "Choose which roles must use two-step verification (at the top "
    "office: the choice holds everywhere)",
    "personal_data.view": (
        "See journalists' and public senders' full phone numbers and e-mails (lists mask them)"
    ),
    "audit.view": "Read the audit trail and per-object history",
    "audit.export": "Export the audit trail as CSV",
    "subjectrequest.view": "See data-subject requests, their deadlines and outcomes",
    "subjectrequest.manage": (
        "Register data-subject requests, find and export a person's data, correct it, close"
    ),
    "subjectrequest.erase": "Erase or pseudonymise a person's data on an erasure request",
    "mention.view": "See monitored mentions, the media-analysis dashboard and search",
    "mention.export": "Export filtered mention lists as CSV",
    "mention.correct": "Correct the sentiment of a mention",
    "mention.create": "Add manual clippings (print, TV, radio)",
    "mention.push": "Send posts through the monitoring push API",
    "source.view": "See media sources, their polling state and last error",
    "source.manage": "Add, change and remove media sources",
    "import.view": "See imports, their progress and reports",
    "import.run": "Import files and article pages, save column-mapping presets",
    "watchlist.view": "See watch-lists and what they matched",
    "watchlist.manage": "Create, change and delete watch-lists",
    "issue.view": "See issues and their volume",
    "issue.manage": "Rename, merge, split, close and reopen issues",
    "conference.view": "See press conferences, their checklists, facts and history",
    "conference.create": "Open a press conference (regular, incidental, crisis, exercise)",
    "conference.edit": "Change details, checklist, facts, planning, execution and evaluation data",
    "conference.advance": "Move a conference to its next stage (when nothing blocks it)",
    "conference.verify_fact": "Confirm a fact entered by someone else (second person)",
    "conference.appoint": "Appoint a registry spokesperson to a conference",
    "conference.brief": "Record a spokesperson's briefing or rehearsal",
    "conference.cancel": "Cancel a conference (with a reason)",
    "conference.close": "Complete the evaluation and close a conference",
    "conference.supervise": (
        "Be shown missed deadlines and blocked crisis conferences of the offices below"
    ),
    "material.view": "Read conference material and its versions",
    "material.edit": "Write and submit conference material (new versions)",
    "material.approve": "Approve or return material written by others (also by delegation)",
    "spokesperson.view": "See the spokesperson registry",
    "spokesperson.manage": "Add and change registry spokespeople (decree, validity, topics)",
    "mediacontact.view": "See the media-contacts register",
    "mediacontact.manage": "Add and change journalists in the media-contacts register",
    "delegation.view": "See delegations of the head of office's rights",
    "delegation.manage": "Delegate and revoke the right to approve material",
    "checklisttemplate.view": "See the conference checklist templates",
    "checklisttemplate.manage": "Create new versions of conference checklist templates",
    "adminsite.access": "Enter the administration site (with a staff account)",
    "service.view": "See the service catalogue with drafts, history and who approved what",
    "service.edit": "Add services, write and submit new versions (fees, time, procedure)",
    "service.approve": "Approve and publish service versions written by others, or return them",
    "publication.view": "See what the public portal publishes and what is prepared",
    "publication.manage": "Prepare releases, statements, stories and the public schedule",
    "publication.publish": "Publish and withdraw on the public portal (stories: not one's own)",
    "inquiry.view": "See public questions and reports (without the sender's personal data)",
    "inquiry.answer": "Answer public questions and reports, close them",
    "inquiry.personal": "See the name, phone and e-mail a sender left (own office only)",
    "portalprofile.manage": "Edit the office's public page: press contact and introduction",
    "crisis.view": "See the crisis board, cases, signals, assessments and the crisis log",
    "crisis.export": "Export a case's crisis log as CSV",
    "crisis.acknowledge": "Acknowledge an escalation addressed to one's role (stops it climbing)",
    "crisis.assess": "Record an assessment of a case (content, context, public interest)",
    "crisis.override": "Override the computed crisis level, with a reason",
    "crisis.manage": "Open and close cases; attach, detach and merge signals; notes, decisions",
    "crisis.statement": "Record an approved public statement on a case",
    "crisis.open_conference": "Open a crisis press conference from a case",
    "crisis.drill": "Prepare, start and replay crisis drills",
    "clarification.view": "See clarifications of misinformation (the hoax register)",
    "clarification.edit": "Write clarifications and submit them for publication",
    "clarification.publish": "Approve and publish a clarification written by someone else",
    "crisisconfig.view": "See the crisis configuration (taxonomy, weights, playbook) and versions",
    "crisisconfig.manage": "Save a new version of the crisis configuration",
    "document.view": "See and download generated documents (releases, sheets, reports)",
    "document.generate": "Generate documents (DOCX, PDF) and write the English text of material",
    "letterhead.manage": "Change the office's letterhead (logo, name, address, press contact)",
    "postevent.view": "See a conference's evaluation report, coverage proposals and query",
    "postevent.review": "Confirm or reject proposed coverage; look for coverage again",
    "postevent.query": "Edit the query that finds a conference's coverage",
    "indicator.view": (
        "See indicators and roll-ups (offices side by side, adoption) and the objects behind them"
    ),
    "indicator.export": "Export indicator, roll-up and adoption tables as CSV",
    "indicatortarget.manage": "Set indicator targets per level and the adoption plan",
    "privacy.view": (
        "See the record of processing of personal data and the retention reports; export "
        "the record as CSV"
    ),
    "breach.view": "See the register of personal-data breaches and their notifications",
    "breach.manage": (
        "Register a personal-data breach, edit it and its notifications, mark them sent"
    ),
}


def kind_of(action: str) -> str:
    return action.split(".", 1)[0]


def view_action(action: str) -> str:
    """The action that decides whether an object exists at all for the user (404 vs 403):
    ``<kind>.view``, or ``office.view`` for a kind that has no view action of its own
    (e.g. ``apitoken.manage``)."""
    view = f"{kind_of(action)}.view"
    return view if view in RULES else "office.view"


def _rule(action: str) -> dict[Role, Scope]:
    try:
        return RULES[action]
    except KeyError:
        raise KeyError(f"Unknown action {action!r}: add it to policy.RULES") from None


def _reaches(held_in: Office, scope: Scope, office: Office) -> bool:
    """Does a grant held in ``held_in`` with ``scope`` cover objects of ``office``?"""
    return held_in.pk == office.pk or (scope is SUBTREE and office.path.startswith(held_in.path))


def memberships(user: AnyUser | None) -> list[Membership]:
    """The user's roles with their offices; cached on the user object (one query)."""
    if not isinstance(user, User) or not user.is_active:
        return []  # anonymous (or None): no roles
    cached = user._prima_memberships
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("office"))
        user._prima_memberships = cached
    return cached


def roles(user: AnyUser | None) -> set[Role]:
    return {Role(m.role) for m in memberships(user)}


def _grants(user: AnyUser | None, action: str) -> list[tuple[Office, Scope]]:
    rule = _rule(action)
    return [
        (m.office, rule[Role(m.role)])
        for m in memberships(user)
        if Role(m.role) in rule and m.office.is_active
    ]


def can(user: AnyUser | None, action: str, office: Office) -> bool:
    """May ``user`` perform ``action`` on an object belonging to ``office``? No query
    beyond the (cached) memberships."""
    return any(_reaches(held_in, scope, office) for held_in, scope in _grants(user, action))


def can_anywhere(user: AnyUser | None, action: str) -> bool:
    """May ``user`` perform ``action`` in at least one office (e.g. to show a menu entry)?
    No query beyond the (cached) memberships."""
    _rule(action)  # an unknown action is an error, as everywhere
    return action in actions_anywhere(user)


# role → the actions its rules grant it (in any scope).
_ACTIONS_OF_ROLE: dict[Role, frozenset[str]] = {
    role: frozenset(action for action, rule in RULES.items() if role in rule) for role in Role
}
# The roles that hold some action over a sub-tree (the others reach their own office only).
_SUBTREE_ROLES = frozenset(
    role for rule in RULES.values() for role, scope in rule.items() if scope is SUBTREE
)


def actions_anywhere(user: AnyUser | None) -> frozenset[str]:
    """Every action ``user`` may perform in at least one (active) office: what the menu
    offers. Computed once per user object (a request's user: once per request) from the
    cached memberships; no query beyond them."""
    held = memberships(user)
    if not isinstance(user, User):
        return frozenset()
    memo = user._prima_actions
    if memo is None or memo[0] is not held:
        actions = frozenset().union(
            *(_ACTIONS_OF_ROLE[Role(m.role)] for m in held if m.office.is_active)
        )
        memo = user._prima_actions = (held, actions)
    return memo[1]


def _reach(user: AnyUser | None) -> list[Office]:
    """Every office that some grant of ``user`` reaches (the offices where a role is held,
    and the sub-trees below those of sub-tree roles), top of the tree first: one query,
    memoised on the user object like the memberships (once per request)."""
    held = memberships(user)
    if not isinstance(user, User) or not held:
        return []
    memo = user._prima_reach
    if memo is None or memo[0] is not held:
        q = Q(pk__in=[])
        for m in held:
            if not m.office.is_active:
                continue
            if Role(m.role) in _SUBTREE_ROLES:
                q |= Q(path__startswith=m.office.path)
            else:
                q |= Q(pk=m.office.pk)
        memo = user._prima_reach = (held, list(Office.objects.filter(q).order_by("path")))
    return memo[1]


def office_list(user: AnyUser | None, action: str) -> list[Office]:
    """The offices in which ``user`` may perform ``action``, top of the tree first
    (ordered by path): the same offices as :func:`offices`, as a list. The first call in
    a request costs one query for every action together (:func:`_reach`, memoised on the
    user object); later calls, for any action, cost none. Offices created or moved during
    the request are not seen by later calls on the same user object."""
    grants = _grants(user, action)
    if not grants:
        return []
    return [
        office
        for office in _reach(user)
        if any(_reaches(held_in, scope, office) for held_in, scope in grants)
    ]


def office_ids(user: AnyUser | None, action: str) -> set[int]:
    """The ids of :func:`office_list` (no query after the first in a request)."""
    return {office.pk for office in office_list(user, action)}


def can_at_top(user: AnyUser | None, action: str) -> bool:
    """May ``user`` perform ``action`` on things that belong to no office (the top of the
    tree, e.g. an account made with ``createsuperuser``)? Only those who hold the action in
    a root office may."""
    return any(held_in.parent_id is None for held_in, _scope in _grants(user, action))


def may_administer(user: AnyUser | None) -> bool:
    """May ``user`` enter the admin site? An active staff account whose roles grant
    ``adminsite.access`` in an active office: the admin site admits exactly these people
    and the menu offers it to them (a superuser flag alone is not enough). No query beyond
    the (cached) memberships."""
    return bool(
        user is not None
        and user.is_active
        and user.is_staff
        and can_anywhere(user, "adminsite.access")
    )


def office_of(obj: Any) -> Office:
    """The office an object belongs to (its ``office`` attribute; an Office is its own)."""
    office = obj if isinstance(obj, Office) else getattr(obj, "office", None)
    if not isinstance(office, Office):
        raise TypeError(f"{type(obj).__name__} has no office: the policy cannot judge it")
    return office


def office_q(user: AnyUser | None, action: str, field: str = "office") -> Q:
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


def scope(user: AnyUser | None, action: str, queryset: _QS, field: str = "office") -> _QS:
    """``queryset`` restricted to objects on which the user may perform ``action``."""
    if queryset.model is Office:
        field = ""
    return queryset.filter(office_q(user, action, field))


def offices(user: AnyUser | None, action: str) -> QuerySet[Office]:
    """The offices in which the user may perform ``action``."""
    return scope(user, action, Office.objects.all())


def check(user: AnyUser | None, action: str, obj: Any) -> None:
    """Raise Http404 if the object is outside what the user may see, PermissionDenied if
    they may see it but not perform ``action``."""
    office = office_of(obj)
    if not can(user, view_action(action), office) and not can(user, action, office):
        raise Http404
    if not can(user, action, office):
        raise PermissionDenied


def get_for(
    user: AnyUser | None, action: str, queryset: QuerySet[_M] | type[_M], **lookup: Any
) -> _M:
    """Fetch one object by ``lookup`` and :func:`check` ``action`` on it (404 to outsiders)."""
    qs = queryset._default_manager.all() if isinstance(queryset, type) else queryset
    try:
        obj = qs.get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404 from None
    check(user, action, obj)
    return obj


def actions_for_role(role: Role) -> Iterator[tuple[str, Scope]]:
    for action, rule in RULES.items():
        if role in rule:
            yield action, rule[role]


# --- Who may act ------------------------------------------------------------------------


def roles_with(action: str) -> tuple[Role, ...]:
    """The roles that carry ``action`` (in any scope), in the order of the roles."""
    rule = _rule(action)
    return tuple(role for role in Role if role in rule)


class Holders:
    """Who may perform actions on objects of one office: the active people whose roles,
    held in that office (or, for a sub-tree grant, in an office above it) and in an active
    office, carry the action. Rights handed out by another app's rows (delegations) are
    not in the table: the caller passes those people as ``also``.

    One query (the memberships of the office and the offices above it) for any number of
    actions.
    """

    def __init__(self, office: Office) -> None:
        self.office = office
        ids = [int(part) for part in office.path.strip("/").split("/") if part] or [office.pk]
        self._memberships = list(
            Membership.objects.filter(
                office_id__in=ids, office__is_active=True, user__is_active=True
            )
            .select_related("user", "office")
            .order_by("user__full_name", "user__username", "pk")
        )

    def roles(self, action: str) -> tuple[Role, ...]:
        """The roles that may perform ``action`` here (whether or not anybody holds them)."""
        return roles_with(action)

    def users(
        self, action: str, *, also: Iterable[User] = (), exclude: Iterable[int | None] = ()
    ) -> tuple[User, ...]:
        """The people who may perform ``action`` here, by name, each once; ``also`` adds
        people holding the right otherwise (delegates); ``exclude`` drops user ids (e.g.
        the author, for a four-eyes rule)."""
        rule = _rule(action)
        excluded = set(exclude)
        found: dict[int, User] = {}
        for m in self._memberships:
            role = Role(m.role)
            if role in rule and _reaches(m.office, rule[role], self.office):
                found.setdefault(m.user.pk, m.user)
        for user in also:
            if user.is_active:
                found.setdefault(user.pk, user)
        return tuple(
            sorted(
                (u for u in found.values() if u.pk not in excluded),
                key=lambda u: (u.full_name, u.username),
            )
        )


def holders(action: str, office: Office, *, also: Iterable[User] = ()) -> tuple[User, ...]:
    """The people who may perform ``action`` on objects of ``office`` (one query); see
    :class:`Holders` to ask about several actions."""
    return Holders(office).users(action, also=also)
