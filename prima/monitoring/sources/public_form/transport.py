"""Messages the public sends through the portal's question-and-report form.

Nothing is fetched: the portal hands over each message (reference, text, what it is
about) and it becomes one parsed item, stored and analysed like any other mention. The
sender's personal data never comes here: the "author" is the message's reference.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ...parsers.base import ParsedItem, clean_text, fit_external_id
from ...parsers.sanitize import html_to_text
from ..base import EntryStream

KIND = "public_form"
OUTLET = "Portal publik"


def item_from_message(
    *, reference: str, text: str, title: str, submitted_at: datetime
) -> ParsedItem:
    """One public message as a parsed item; the reference is its external id (so handing it
    over twice stores it once) and its author (so that two people sending the same words
    are two mentions, not duplicates)."""
    return ParsedItem(
        external_id=fit_external_id(reference),
        text=html_to_text(clean_text(text)),
        title=html_to_text(clean_text(title, max_length=1000)),
        author=clean_text(reference, max_length=300),
        outlet=OUTLET,
        published_at=submitted_at,
    )


def open_entries(job: Any, start: int = 0) -> EntryStream:
    """Messages are stored when the portal hands them over; a job has nothing left to read."""
    return EntryStream([], total=job.position)
