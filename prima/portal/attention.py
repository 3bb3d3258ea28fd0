"""Home-page attention items: new questions and reports from the public."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import ngettext

from prima.organizations import attention, policy
from prima.organizations.attention import AttentionItem
from prima.organizations.models import User

from .models import Inquiry, InquiryStatus


def inquiry_attention(user: User) -> list[AttentionItem]:
    """One item per office where the user answers the public and messages wait (one query;
    kept for everyone with the same scope)."""
    return attention.shared("portal.inquiries", user, ("inquiry.answer",), lambda: _build(user))


def _build(user: User) -> list[AttentionItem]:
    waiting = (
        policy.scope(user, "inquiry.answer", Inquiry.objects.filter(status=InquiryStatus.NEW))
        .order_by()
        .values_list("office__short_name")
    )
    counts: dict[str, int] = {}
    for (office,) in waiting:
        counts[office] = counts.get(office, 0) + 1
    return [
        AttentionItem(
            kind="portal.inquiry",
            title=ngettext(
                "%(n)d question or report from the public to answer",
                "%(n)d questions or reports from the public to answer",
                n,
            )
            % {"n": n},
            url=reverse("portal_staff:inquiries"),
            office=office,
        )
        for office, n in sorted(counts.items())
    ]
