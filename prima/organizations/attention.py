"""What needs a user's attention: a registry that apps fill and the home page reads.

Apps register a provider in their ``AppConfig.ready()``; a provider takes the user and
returns :class:`AttentionItem` rows. Lower layers never import the page that shows them.

Every provider's items are sorted together, most urgent first: by :class:`Urgency`, then by
their deadline (``due``; earliest first, items without one last), then by title. A provider
says how urgent an item is; left out, an overdue item counts as ``HIGH`` and any other as
``NORMAL``. Crisis work (a running crisis deadline, an open crisis case) is ``CRITICAL`` so
that it comes before everything else, with its countdown.

A person's list is kept ``HOME_ATTENTION_CACHE_SECONDS`` (:mod:`prima.lib.shortcache`,
keyed by the person and the language: a list is never shown to anyone else). Every
audited change (every state change writes an audit entry; log-ins, two-factor steps and
mention labelling aside, which no list reads) and every save or delete of a model a
provider declares (``watch``) drops every kept list at once, in every process: a person
sees their own change, and anyone else's, on their next look. What only time changes (a
deadline passing) shows at most that many seconds late; the countdowns run in the page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum

from django.conf import settings
from django.utils.translation import get_language

from prima.lib import shortcache

from . import changes
from .models import User

NAMESPACE = "attention"
# Audited actions that no provider's list depends on (they must not empty the kept lists:
# a storm of log-ins or of mention labelling would make keeping them useless).
UNRELATED_ACTIONS = ("auth.", "twofactor.", "mention.")


class Urgency(IntEnum):
    """How soon an item must be handled; lower comes first."""

    CRITICAL = 0  # crisis: a deadline counted in minutes or hours, an open crisis case
    HIGH = 1  # overdue or missed outside a crisis
    NORMAL = 2  # work waiting, possibly with a date
    LOW = 3  # for information


@dataclass(frozen=True)
class AttentionItem:
    kind: str  # short machine label, e.g. "conference.approve_material"
    title: str
    url: str
    office: str = ""
    due: datetime | None = None  # the deadline (or date) the item is about
    overdue: bool = False
    detail: str = ""
    urgency: Urgency | None = None  # None: HIGH when overdue, else NORMAL

    @property
    def rank(self) -> Urgency:
        if self.urgency is not None:
            return Urgency(self.urgency)
        return Urgency.HIGH if self.overdue else Urgency.NORMAL

    @property
    def is_critical(self) -> bool:
        return self.rank is Urgency.CRITICAL

    def seconds_left(self, now: datetime) -> int | None:
        """Seconds until ``due`` (negative once past), None without a deadline."""
        return None if self.due is None else int((self.due - now).total_seconds())


Provider = Callable[[User], list[AttentionItem]]
_providers: list[Provider] = []


def register(provider: Provider, *, watch: tuple[str, ...] = ()) -> Provider:
    """Register a provider. ``watch``: labels (``"app.Model"``) of the models its items are
    read from; saving or deleting one drops the kept lists (changes made through the
    services are audited and drop them anyway: this catches the writes of tasks and
    loaders). Registering twice is a no-op."""
    if provider not in _providers:
        _providers.append(provider)
    if watch:
        changes.drop_on_save(NAMESPACE, *watch)
    return provider


def sort_key(item: AttentionItem) -> tuple[int, float, str]:
    # Compare instants: dropping the zones would put 10.00 UTC before 16.00 WIB (09.00 UTC).
    return (int(item.rank), item.due.timestamp() if item.due else float("inf"), item.title)


def items_for(user: User) -> list[AttentionItem]:
    """Everything awaiting ``user``, most urgent first (see the module's docstring)."""
    return list(
        shortcache.remember(
            NAMESPACE,
            (user.pk, get_language() or ""),
            lambda: tuple(build_items(user)),
            seconds=settings.HOME_ATTENTION_CACHE_SECONDS,
        )
    )


def build_items(user: User) -> list[AttentionItem]:
    """:func:`items_for` without the cache."""
    items: list[AttentionItem] = []
    for provider in _providers:
        items.extend(provider(user))
    return sorted(items, key=sort_key)
