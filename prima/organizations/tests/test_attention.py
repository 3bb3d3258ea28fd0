"""The attention registry: providers fill it, the home page reads it in order."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from prima.organizations import attention
from prima.organizations.attention import AttentionItem
from prima.organizations.models import User

NOBODY = User(username="nobody")  # the providers registered here ignore the user

WIB = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def provide(monkeypatch):
    """Register providers into an empty registry, for one test only."""
    monkeypatch.setattr(attention, "_providers", [])

    def _provide(*items: AttentionItem):
        def provider(user):
            return list(items)

        return attention.register(provider)

    return _provide


def test_overdue_items_come_first_then_by_due_time(provide):
    provide(
        AttentionItem("a", "later", "/a", due=datetime(2026, 11, 27, 9, tzinfo=WIB)),
        AttentionItem("b", "no due date", "/b"),
        AttentionItem(
            "c", "overdue", "/c", due=datetime(2026, 11, 28, 9, tzinfo=WIB), overdue=True
        ),
    )
    provide(AttentionItem("d", "sooner", "/d", due=datetime(2026, 11, 26, 9, tzinfo=WIB)))
    titles = [i.title for i in attention.items_for(NOBODY)]
    assert titles == ["overdue", "sooner", "later", "no due date"]


def test_due_times_in_different_zones_are_compared_as_instants(provide):
    # 16.00 WIB is 09.00 UTC: earlier than 10.00 UTC although "16" > "10".
    provide(
        AttentionItem("a", "10.00 UTC", "/a", due=datetime(2026, 11, 26, 10, tzinfo=UTC)),
        AttentionItem("b", "16.00 WIB", "/b", due=datetime(2026, 11, 26, 16, tzinfo=WIB)),
    )
    assert [i.title for i in attention.items_for(NOBODY)] == ["16.00 WIB", "10.00 UTC"]


def test_registering_twice_is_a_no_op(provide):
    provider = provide(AttentionItem("a", "once", "/a"))
    attention.register(provider)
    assert [i.title for i in attention.items_for(NOBODY)].count("once") == 1
