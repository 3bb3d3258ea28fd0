"""Retention (UU No. 27/2022 Ps. 43-44): personal data is removed when its period ends.

Each model declares its period and the function that applies it
(``personal_data.retention``: ``days``, ``setting``, ``purge``). :func:`run_retention`
runs every declared category with its cut-off and returns a :class:`Report`; it is the one
service behind ``prima apply-retention``, the scheduled task (:mod:`.tasks`) and the
record-of-processing page's list of runs, and it writes one audit entry with the counts.
The audit trail itself is kept (declared ``Start.KEPT``).

The purge functions of the organizations app live here; those of higher apps live in
those apps (e.g. ``prima.monitoring.retention.apply_mentions``) and are reached only
through the dotted paths of the declarations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from .. import audit
from ..models import ApiToken, Invitation, LoginFailure, PasswordResetRequest, User
from .declarations import personal
from .record import model_label

AUDIT_ACTION = "privacy.retention"


@dataclass(frozen=True)
class Outcome:
    """What retention did to one category (one model)."""

    label: str  # app_label.ModelName
    name: str
    days: int
    cutoff: datetime
    removed: int


@dataclass
class Report:
    now: datetime
    dry_run: bool
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(o.removed for o in self.outcomes)

    def as_audit(self) -> dict[str, object]:
        return {
            "dry_run": self.dry_run,
            "total": self.total,
            "categories": [
                {
                    "code": o.label,
                    "removed": o.removed,
                    "days": o.days,
                    "cutoff": o.cutoff.isoformat(timespec="seconds"),
                }
                for o in self.outcomes
            ],
        }


def run_retention(
    now: datetime | None = None, *, dry_run: bool = False, actor: User | None = None
) -> Report:
    """Apply every declared retention period at ``now``: each category's purge function
    removes (or, with ``dry_run``, counts) what is older than its cut-off. Writes one
    audit entry ``privacy.retention`` with the counts (none for a dry run). Each purge
    commits in its own transactions (large categories in batches)."""
    now = now or timezone.now()
    report = Report(now=now, dry_run=dry_run)
    for model, declaration in personal():
        retention = declaration.retention
        limit_at = retention.cutoff(now)
        days = retention.period_days
        if not retention.purge or limit_at is None or days is None:
            continue
        purge = import_string(retention.purge)
        removed = int(purge(limit_at, dry_run=dry_run))
        name = model_label(model)
        report.outcomes.append(Outcome(model._meta.label, name, days, limit_at, removed))
    if not dry_run:
        with transaction.atomic():
            audit.log(
                actor,
                AUDIT_ACTION,
                None,
                object_type=AUDIT_ACTION,
                object_id=now.strftime("%Y%m%d%H%M%S"),
                object_label=f"{report.total} removed",
                after=report.as_audit(),
                only_if_changed=False,
            )
    return report


# --- The categories of the organizations app --------------------------------------------


def purge_revoked_tokens(limit_at: datetime, *, dry_run: bool = False) -> int:
    """API tokens revoked before ``limit_at`` (their use stays in the audit trail)."""
    tokens = ApiToken.objects.filter(revoked_at__lt=limit_at)
    return tokens.count() if dry_run else tokens.delete()[0]


def purge_login_failures(limit_at: datetime, *, dry_run: bool = False) -> int:
    """Failed sign-ins (user name, network address) recorded before ``limit_at``."""
    failures = LoginFailure.objects.filter(at__lt=limit_at)
    return failures.count() if dry_run else failures.delete()[0]


def purge_unaccepted_invitations(limit_at: datetime, *, dry_run: bool = False) -> int:
    """Invitations never accepted that expired (or were withdrawn) before ``limit_at``;
    accepted ones stay with the account they created."""
    stale = Invitation.objects.filter(accepted_at__isnull=True).filter(
        Q(expires_at__lt=limit_at) | Q(revoked_at__lt=limit_at)
    )
    return stale.count() if dry_run else stale.delete()[0]


def purge_password_reset_requests(limit_at: datetime, *, dry_run: bool = False) -> int:
    """Password-reset requests (address hash, network address) made before ``limit_at``."""
    old = PasswordResetRequest.objects.filter(at__lt=limit_at)
    return old.count() if dry_run else old.delete()[0]
