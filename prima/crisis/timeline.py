"""A case's timeline as people read it, and its CSV export.

Log lines store what happened (:class:`~.models.CaseEvent` ``kind`` and ``data``); the
text is written here, in the reader's language. A case that others were merged into
shows their lines too.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import IO, Any

from django.utils.translation import gettext as _

from prima.lib import dates
from prima.lib.money import format_number
from prima.organizations.levels import Level

from . import playbook, responders
from .models import Case, CaseEvent, Channel, CloseReason, EventKind


@dataclass(frozen=True)
class Line:
    at: datetime
    kind: str
    kind_label: str
    actor: str
    text: str
    case_id: int
    event: CaseEvent


def _level(value: Any) -> str:
    try:
        return str(Level(int(value)).label)
    except (TypeError, ValueError):
        return str(value)


def _channel(value: str) -> str:
    return str(Channel(value).label) if value in Channel.values else value


def describe(event: CaseEvent, tz: str = dates.DEFAULT_TZ, lang: str = "id") -> str:
    d = event.data or {}
    kind = event.kind
    if kind == EventKind.OPENED:
        base = (
            _("Case opened by the storm detector.") if d.get("by_detector") else _("Case opened.")
        )
    elif kind == EventKind.SIGNAL:
        bucket = dates.format_time(datetime.fromisoformat(d["bucket"]), lang, tz_name=tz)
        base = _("Signal on %(series)s: %(n)s mentions in the 5 minutes from %(time)s.") % {
            "series": d.get("series", ""),
            "n": d.get("value", "?"),
            "time": bucket,
        }
    elif kind == EventKind.ASSESSMENT:
        who = _("Automatic assessment") if d.get("automatic") else _("Assessment")
        base = _("%(who)s #%(n)s: level %(level)s (score %(score)s, configuration v%(v)s).") % {
            "who": who,
            "n": d.get("assessment"),
            "level": _level(d.get("level")),
            "score": format_number(float(d.get("score") or 0), 1),
            "v": d.get("config"),
        }
        if d.get("override"):
            base += " " + _("Level overridden (computed: %(level)s).") % {
                "level": _level(d.get("computed"))
            }
        if d.get("missing"):
            base += " " + _("Missing information: %(n)d items.") % {"n": len(d["missing"])}
    elif kind == EventKind.LEVEL:
        base = _("Level changed from %(old)s to %(new)s.") % {
            "old": _level(d.get("from")),
            "new": _level(d.get("to")),
        }
    elif kind == EventKind.ESCALATION:
        who = ", ".join(responders.label(c) for c in d.get("responders", []))
        if d.get("skipped"):
            base = _("Nobody holds the role of %(who)s: the next responders are called.") % {
                "who": who
            }
        else:
            people = ", ".join(d.get("recipients", [])) or _("nobody")
            base = _("Called %(who)s (%(people)s); acknowledgement due %(due)s.") % {
                "who": who,
                "people": people,
                "due": dates.format_time(datetime.fromisoformat(d["due"]), lang, tz_name=tz)
                if d.get("due")
                else "—",
            }
    elif kind == EventKind.NOTIFICATION:
        if d.get("failed"):
            base = _("%(channel)s to %(who)s could not be delivered: %(error)s") % {
                "channel": _channel(d.get("channel", "")),
                "who": d.get("recipient") or _("the chat channel"),
                "error": d.get("error", ""),
            }
        else:
            base = _("%(channel)s sent to %(who)s.") % {
                "channel": _channel(d.get("channel", "")),
                "who": d.get("recipient") or _("the chat channel"),
            }
    elif kind == EventKind.ACKNOWLEDGEMENT:
        base = _("Escalation acknowledged.")
    elif kind == EventKind.STATEMENT:
        if d.get("source") == "conference":
            base = _("Holding statement approved (press conference “%(title)s”).") % {
                "title": d.get("title", "")
            }
        else:
            base = _("Approved public statement")
            if d.get("channel"):
                base += f" ({d['channel']})"
            base += "."
    elif kind == EventKind.CONFERENCE:
        base = _("Crisis press conference opened: “%(title)s”.") % {"title": d.get("title", "")}
    elif kind == EventKind.CLARIFICATION:
        actions = {
            "created": _("Clarification written: “%(title)s”."),
            "submitted": _("Clarification submitted for approval: “%(title)s”."),
            "published": _("Clarification published: “%(title)s”."),
            "withdrawn": _("Clarification withdrawn: “%(title)s”."),
        }
        base = actions.get(d.get("action", ""), "%(title)s") % {"title": d.get("title", "")}
    elif kind == EventKind.ACTION:
        label = playbook.action_label(d.get("code", ""))
        base = (
            _("Done: %(action)s.") if d.get("done") else _("Not done any more: %(action)s.")
        ) % {"action": label}
    elif kind == EventKind.SCOPE:
        action = d.get("action")
        if action == "merged":
            base = _("Case “%(title)s” merged into this one.") % {"title": d.get("title", "")}
        elif action in ("signal_moved", "signal_detached"):
            base = _("A signal moved to case “%(title)s”.") % {"title": d.get("title", "")}
        else:
            parts = []
            if d.get("added"):
                parts.append(_("added %(what)s") % {"what": ", ".join(d["added"])})
            if d.get("removed"):
                parts.append(_("removed %(what)s") % {"what": ", ".join(d["removed"])})
            base = _("Issues and watch-lists: %(changes)s.") % {"changes": "; ".join(parts)}
    elif kind == EventKind.STATUS:
        status = d.get("status")
        if status == "closed":
            reason = d.get("reason", "")
            label = str(CloseReason(reason).label) if reason in CloseReason.values else reason
            base = _("Case closed: %(reason)s.") % {"reason": label}
        elif status == "merged":
            base = _("Merged into case “%(title)s”.") % {"title": d.get("title", "")}
        else:
            base = _("Case reopened.")
    else:
        base = ""
    text = event.text.strip()
    if kind in (EventKind.NOTE, EventKind.DECISION):
        return text
    return f"{base} {text}".strip() if text and text not in base else base


def lines(case: Case, lang: str = "id") -> list[Line]:
    """The case's log (and that of the cases merged into it), oldest first."""
    ids = [case.pk, *case.merged_cases.values_list("pk", flat=True)]
    tz = case.office.timezone
    events = CaseEvent.objects.filter(case_id__in=ids).select_related("actor").order_by("at", "pk")
    return [
        Line(
            at=e.at,
            kind=e.kind,
            kind_label=str(EventKind(e.kind).label) if e.kind in EventKind.values else e.kind,
            actor=e.actor.display_name if e.actor else _("PRIMA"),
            text=describe(e, tz, lang),
            case_id=e.case_id,
            event=e,
        )
        for e in events
    ]


def _csv_safe(value: str) -> str:
    return "'" + value if value[:1] in {"=", "+", "-", "@", "\t", "\r"} else value


def write_csv(case: Case, rows: Iterable[Line], out: IO[str], lang: str = "id") -> None:
    """The log as CSV: local time of the office, kind, who, what."""
    tz = case.office.timezone
    writer = csv.writer(out)
    writer.writerow([_("Time"), _("Time zone"), _("Kind"), _("By"), _("What happened")])
    zone = dates.zone_abbreviation(tz)
    for line in rows:
        local = dates.to_local(line.at, tz)
        writer.writerow(
            [
                local.strftime("%Y-%m-%d %H:%M:%S"),
                zone,
                _csv_safe(line.kind_label),
                _csv_safe(line.actor),
                _csv_safe(line.text),
            ]
        )
