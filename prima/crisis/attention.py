"""What awaits a user in the crisis playbook, for the home page ("needs your attention").

- escalations addressed to them that nobody has acknowledged (overdue once the target
  passed) — the in-app notification channel;
- clarifications awaiting publication, for those who may publish them and did not
  write them.

A fixed number of queries, whatever the data.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from prima.organizations import policy
from prima.organizations.attention import AttentionItem
from prima.organizations.levels import Level
from prima.organizations.models import User

from .models import Channel, Clarification, ClarificationStatus, Notification


def crisis_attention(user: User) -> list[AttentionItem]:
    if not user.is_authenticated:
        return []
    from django.utils import timezone

    now = timezone.now()
    items: list[AttentionItem] = []
    notices = (
        Notification.objects.filter(
            recipient=user,
            channel=Channel.IN_APP,
            escalation__acknowledged_at__isnull=True,
            escalation__superseded_at__isnull=True,
            case__status="open",
        )
        .select_related("case__office", "escalation")
        .order_by("escalation__due_at")
    )
    seen: set[int] = set()
    for notice in notices:
        case = notice.case
        if case.pk in seen:
            continue
        seen.add(case.pk)
        escalation = notice.escalation
        if escalation is None:
            continue
        prefix = _("Exercise") + " · " if case.is_exercise else ""
        items.append(
            AttentionItem(
                kind="crisis.acknowledge",
                title=_("%(prefix)sCrisis %(level)s: acknowledge “%(title)s”")
                % {"prefix": prefix, "level": Level(case.level).label, "title": case.title},
                url=case.get_absolute_url(),
                office=case.office.short_name,
                due=escalation.due_at,
                overdue=escalation.due_at < now,
            )
        )
    if not policy.can_anywhere(user, "clarification.publish"):
        return items
    offices = policy.offices(user, "clarification.publish")
    for item in (
        Clarification.objects.filter(office__in=offices, status=ClarificationStatus.SUBMITTED)
        .exclude(written_by=user)
        .select_related("office", "case")
    ):
        items.append(
            AttentionItem(
                kind="crisis.publish_clarification",
                title=_("Approve the clarification: %(title)s") % {"title": item.title},
                url=item.case.get_absolute_url() + "#clarifications",
                office=item.office.short_name,
            )
        )
    return items
