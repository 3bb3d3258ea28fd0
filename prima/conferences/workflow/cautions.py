"""Moves that are allowed but unusual: the workflow warns and asks for a confirmation
with a reason, which the audit entry of the move keeps.

- moving into execution, evaluation or closing before the scheduled date (in the office's
  time zone): a conference scheduled for 15 December executed and closed on 5 December;
- closing with a promised follow-up still pending (a journalist waits for an answer);
- entering execution or closing with an open question of the information stage still
  unanswered.

One rule for every entry point: pages, the API and the demo call :func:`advance` and
:func:`complete_evaluation` with ``confirm`` (the codes of the warnings the person saw)
and ``reason``; a warning that was not confirmed — also one that appeared after the page
was loaded — refuses the move with :class:`ConfirmationRequired`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from prima.lib.prose import shorten

from ..models import Conference, Stage
from .base import InvalidInput, InvalidTransition, _format_day, _local_today, _now


@dataclass(frozen=True)
class Caution:
    """Something unusual about the next move that a person must confirm."""

    code: str  # "early" | "follow_ups_pending" | "open_questions"
    message: str


class ConfirmationRequired(InvalidTransition):
    """The move needs the listed cautions confirmed, with a reason."""

    def __init__(self, cautions: Sequence[Caution], *, field: str | None = None) -> None:
        self.cautions = list(cautions)
        head = _("Confirm with a reason to go ahead:")
        super().__init__(f"{head} " + " ".join(c.message for c in self.cautions), field=field)


def cautions(conference: Conference, *, now: datetime | None = None) -> list[Caution]:
    """What is unusual about moving ``conference`` to its next stage now ([] = nothing).
    Two queries at most."""
    stage = Stage(conference.stage)
    target = stage.next
    if target is None or target == Stage.CLOSED and stage != Stage.EVALUATION:
        return []
    now = _now(now)
    found = []
    if conference.scheduled_at is not None and target.position >= Stage.EXECUTION.position:
        today = _local_today(conference.office, now)
        day = conference.conference_date()
        if today < day:
            found.append(
                Caution(
                    "early",
                    _("The conference is scheduled for %(day)s, but today is %(today)s.")
                    % {"day": _format_day(day), "today": _format_day(today)},
                )
            )
    if target == Stage.CLOSED:
        pending = list(
            conference.questions.filter(follow_up_needed=True, follow_up_done_at__isnull=True)
        )
        if pending:
            found.append(
                Caution(
                    "follow_ups_pending",
                    ngettext(
                        "%(n)d journalist still waits for the promised follow-up (%(asker)s: "
                        "“%(question)s”).",
                        "%(n)d journalists still wait for the promised follow-up (first: "
                        "%(asker)s: “%(question)s”).",
                        len(pending),
                    )
                    % {
                        "n": len(pending),
                        "asker": pending[0].asker,
                        "question": shorten(pending[0].question, 80),
                    },
                )
            )
    if target in (Stage.EXECUTION, Stage.CLOSED):
        unanswered = list(conference.open_questions.filter(resolved_at__isnull=True))
        if unanswered:
            found.append(
                Caution(
                    "open_questions",
                    ngettext(
                        "%(n)d open question is still unanswered (“%(question)s”).",
                        "%(n)d open questions are still unanswered (first: “%(question)s”).",
                        len(unanswered),
                    )
                    % {"n": len(unanswered), "question": shorten(unanswered[0].question, 80)},
                )
            )
    return found


def require_confirmation(
    found: Sequence[Caution], confirm: Iterable[str], reason: str
) -> dict[str, object]:
    """Refuse unless every caution in ``found`` is in ``confirm`` and a reason is given.
    Returns what the audit entry keeps ({} when there was nothing to confirm)."""
    if not found:
        return {}
    confirmed = set(confirm or ())
    if not {c.code for c in found} <= confirmed:
        raise ConfirmationRequired(found)
    reason = (reason or "").strip()
    if not reason:
        raise ConfirmationRequired(found, field="reason")
    if len(reason) > 2000:
        raise InvalidInput(_("The reason is too long (at most 2,000 characters)."), field="reason")
    return {"confirmed_warnings": [c.code for c in found], "confirmation_reason": reason}
