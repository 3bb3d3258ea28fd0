"""Links that higher apps add to the pages of lower apps (e.g. "Documents" on a press
conference's page, offered by the documents app).

A lower app's template asks for the links of its page with the ``page_links`` template
tag (``{% page_links "conference" conference as links %}``); a higher app registers a
provider in its ``AppConfig.ready()``. The lower app imports nothing of the higher one.
A provider decides through the policy whether the user gets a link at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .policy import AnyUser


@dataclass(frozen=True)
class PageLink:
    label: str
    url: str
    code: str = ""  # for tests and styling, e.g. "documents"


Provider = Callable[[Any, AnyUser], "PageLink | None"]
_providers: dict[str, list[Provider]] = {}


def register(page: str, provider: Provider) -> Provider:
    """Register ``provider`` for ``page`` ("conference", "crisis-case", "dashboard");
    registering the same provider twice is a no-op."""
    found = _providers.setdefault(page, [])
    if provider not in found:
        found.append(provider)
    return provider


def links(page: str, obj: Any, user: AnyUser) -> list[PageLink]:
    """The links of ``page`` about ``obj`` that ``user`` gets (no query of its own)."""
    shown = []
    for provider in _providers.get(page, []):
        link = provider(obj, user)
        if link is not None:
            shown.append(link)
    return shown
