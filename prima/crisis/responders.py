"""Who responds: the playbook names responder codes per tier; this module finds the
people behind them.

- ``pr_staff``, ``pr_lead``, ``head``: people holding that role in the case's office;
- ``regional``: supervisors of the regional office (Kanwil) above the case's office;
- ``national``: supervisors of the directorate general (the top office).

Only active people who may ``crisis.acknowledge`` the case's office (the policy decides)
are called. The responder codes' labels are shown in the playbook and escalations.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from prima.organizations import policy
from prima.organizations.models import Office, OfficeLevel, Role, User

LABELS = {
    "pr_staff": _("PR staff"),
    "pr_lead": _("PR lead"),
    "head": _("Head of office"),
    "regional": _("Regional office (Kanwil)"),
    "national": _("Directorate general"),
}
OFFICE_ROLES = {"pr_staff": Role.PR_STAFF, "pr_lead": Role.PR_LEAD, "head": Role.HEAD}


def label(code: str) -> str:
    return str(LABELS.get(code, code))


def _office_for(code: str, office: Office) -> Office | None:
    if code in OFFICE_ROLES:
        return office
    chain = [*office.ancestors(), office]
    wanted = OfficeLevel.REGIONAL_OFFICE if code == "regional" else OfficeLevel.DIRECTORATE_GENERAL
    for candidate in reversed(chain):
        if candidate.level == wanted:
            return candidate
    return None


def people(codes: Iterable[str], office: Office) -> list[User]:
    """The people a tier of ``codes`` calls for a case of ``office``: those the policy
    lets acknowledge the office's cases (:func:`prima.organizations.policy.holders`) who
    hold one of the tier's responder roles (a few queries)."""
    wanted = list(codes)
    return [u for u in policy.holders("crisis.acknowledge", office) if holds(u, wanted, office)]


def holds(user: User, codes: Iterable[str], office: Office) -> bool:
    """Does ``user`` hold one of the responder roles ``codes`` for ``office``?"""
    for membership in policy.memberships(user):
        for code in codes:
            target = _office_for(code, office)
            role = OFFICE_ROLES.get(code, Role.SUPERVISOR)
            if target is not None and membership.office_id == target.pk and membership.role == role:
                return True
    return False
