"""What needs a user's attention: a registry that apps fill and the home page reads.

Apps register a provider in their ``AppConfig.ready()``; a provider takes the user and
returns :class:`AttentionItem` rows. Lower layers never import the page that shows them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from .models import User


@dataclass(frozen=True)
class AttentionItem:
    kind: str  # short machine label, e.g. "conference.approve_material"
    title: str
    url: str
    office: str = ""
    due: datetime | None = None
    overdue: bool = False
    detail: str = ""


Provider = Callable[[User], list[AttentionItem]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Register a provider (usable as a decorator). Registering twice is a no-op."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def items_for(user: User) -> list[AttentionItem]:
    """Everything awaiting ``user``, overdue first, then by due time."""
    items: list[AttentionItem] = []
    for provider in _providers:
        items.extend(provider(user))
    # Compare instants: dropping the zones would put 10.00 UTC before 16.00 WIB (09.00 UTC).
    far = float("inf")
    return sorted(
        items,
        key=lambda i: (not i.overdue, i.due.timestamp() if i.due else far, i.title),
    )
