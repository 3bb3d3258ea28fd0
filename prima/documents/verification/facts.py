"""Figures against facts: the catalogue in force, the conference's verified facts and
schedule (errors and warnings), and the office's earlier statements (warnings).

For each figure of the draft, the references of the same kind and a comparable unit are
scored by how much their context shares with the figure's (:mod:`.matching`):

- when some are about the same matter, the figure must agree with one of the closest
  (within :data:`CLOSE` of the best): otherwise it **contradicts** them (an error, or a
  warning for soft references such as a dateline against the conference's date);
- when none is about the same matter, the figure is **unsupported** (a warning) unless
  some fact of its kind states the same value.

Earlier statements are checked the same way, but a difference is a warning with a link to
the earlier text (an info note when today's facts support the new figure: the facts
changed since).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from prima.lib import dates
from prima.lib.figures import Figure, Kind

from . import matching
from .compare import Verdict, compare
from .types import Context, Finding, FindingKind, Reference, Severity

CLOSE = 0.85  # a reference this close to the best match may be the one meant
CHECKED = {Kind.MONEY, Kind.DURATION, Kind.PERCENT, Kind.COUNT, Kind.DATE, Kind.TIME}
MAX_EXPECTED = 3


@dataclass(frozen=True)
class Located:
    """A figure of a draft, with the part it stands in and its context."""

    figure: Figure
    part: str
    context: dict[str, float]


@dataclass(frozen=True)
class _Match:
    total: float
    content: float
    close: int
    reference: Reference
    verdict: Verdict


def checked(figure: Figure) -> bool:
    """Figures worth checking: not a bare year or month, not a date that does not exist
    (that has its own finding)."""
    if figure.kind not in CHECKED:
        return False
    if figure.kind == Kind.DATE:
        return figure.day is not None and figure.valid
    return True


class Index:
    """References grouped by kind, with the rarity of their words."""

    def __init__(self, references: Sequence[Reference]) -> None:
        self.by_kind: dict[Kind, list[Reference]] = {}
        for reference in references:
            self.by_kind.setdefault(reference.figure.kind, []).append(reference)
        self.rarity = {
            kind: matching.idf(r.context for r in refs) for kind, refs in self.by_kind.items()
        }

    def matches(self, located: Located, context: Context) -> list[_Match]:
        figure = located.figure
        found = []
        rarity = self.rarity.get(figure.kind, {})
        for reference in self.by_kind.get(figure.kind, ()):
            verdict = compare(figure, reference.figure, day=context.day, zone=context.zone)
            if verdict == Verdict.NONE:
                continue
            if not matching.has_any(located.context, reference.requires):
                continue  # e.g. a surcharge the draft does not name
            total, content, close = matching.score(located.context, reference.context, rarity)
            found.append(_Match(total, content, close, reference, verdict))
        return found


def _stated(reference: Reference, context: Context) -> str:
    if reference.stated:
        return reference.stated
    return reference.figure.text


def _expected(matches: Sequence[_Match], context: Context) -> str:
    seen: list[str] = []
    for match in matches:
        text = _stated(match.reference, context)
        if text not in seen:
            seen.append(text)
    more = len(seen) - MAX_EXPECTED
    text = " / ".join(seen[:MAX_EXPECTED])
    return text + (" / …" if more > 0 else "")


def _closest(matches: list[_Match]) -> tuple[list[_Match], list[_Match]]:
    """(the best matches, those within CLOSE of the best that share as many words of the
    figure's clause) among matches about the same matter; both empty when none is."""
    relevant = [m for m in matches if m.content >= m.reference.min_content]
    if not relevant:
        return [], []
    best = max(m.total for m in relevant)
    top = [m for m in relevant if m.total >= best * 0.999]
    # A reference missing a word the writer put next to the figure is not the one meant.
    close = max(m.close for m in top)
    near = [m for m in relevant if m.total >= best * CLOSE and m.close >= close]
    return top, near


def _finding(
    located: Located,
    severity: Severity,
    kind: FindingKind,
    message: str,
    *,
    reference: Reference | None = None,
    expected: str = "",
) -> Finding:
    f = located.figure
    return Finding(
        severity=severity,
        kind=kind,
        message=message,
        part=located.part,
        start=f.start,
        end=f.end,
        text=f.text,
        expected=expected,
        fact=reference.source.label if reference else "",
        fact_url=reference.source.url if reference else "",
        source=reference.source.kind if reference else "",
    )


def check_against_facts(
    figures: Sequence[Located], context: Context, index: Index
) -> tuple[list[Finding], set[int], set[int]]:
    """Contradicted and unsupported figures; also returns the positions (in ``figures``)
    of the figures that today's facts support and of those they contradict."""
    findings: list[Finding] = []
    supported: set[int] = set()
    flagged: set[int] = set()
    for i, located in enumerate(figures):
        if not checked(located.figure):
            continue
        matches = index.matches(located, context)
        top, near = _closest(matches)
        if near:
            if any(m.verdict == Verdict.AGREE for m in near):
                supported.add(i)
                continue
            unit = next((m for m in near if m.verdict == Verdict.UNIT), None)
            if unit is not None:
                findings.append(
                    _finding(
                        located,
                        Severity.WARNING,
                        FindingKind.CONTRADICTION,
                        _("Same number, different unit: the fact says %(expected)s.")
                        % {"expected": _stated(unit.reference, context)},
                        reference=unit.reference,
                        expected=_stated(unit.reference, context),
                    )
                )
                continue
            soft = all(m.reference.soft for m in top)
            flagged.add(i)
            expected = _expected(top, context)
            findings.append(
                _finding(
                    located,
                    Severity.WARNING if soft else Severity.ERROR,
                    FindingKind.CONTRADICTION,
                    _("“%(text)s” contradicts %(source)s, which says %(expected)s.")
                    % {
                        "text": located.figure.text,
                        "source": top[0].reference.source.label,
                        "expected": expected,
                    },
                    reference=top[0].reference,
                    expected=expected,
                )
            )
            continue
        if any(m.verdict == Verdict.AGREE for m in matches):
            supported.add(i)
            continue
        findings.append(
            _finding(
                located,
                Severity.WARNING,
                FindingKind.UNSUPPORTED,
                _("No verified fact or catalogue entry supports “%(text)s”.")
                % {"text": located.figure.text},
            )
        )
    return findings, supported, flagged


def check_against_earlier(
    figures: Sequence[Located],
    context: Context,
    index: Index,
    supported: set[int],
    skip: set[int],
) -> list[Finding]:
    """Figures that differ from what the office said before on the same matter."""
    findings: list[Finding] = []
    for i, located in enumerate(figures):
        if i in skip or not checked(located.figure):
            continue
        top, near = _closest(index.matches(located, context))
        if not near or any(m.verdict == Verdict.AGREE for m in near):
            continue
        reference = top[0].reference
        day = reference.source.day
        when = dates.format_date(day, weekday=False) if day else ""
        values = {
            "text": located.figure.text,
            "source": reference.source.label,
            "when": when,
            "expected": _expected(top, context),
        }
        if i in supported:
            severity = Severity.INFO
            message = (
                _(
                    "“%(text)s” agrees with today's facts but differs from %(source)s "
                    "(%(when)s), which said %(expected)s: the facts changed since."
                )
                % values
            )
        else:
            severity = Severity.WARNING
            message = (
                _("“%(text)s” differs from %(source)s (%(when)s), which said %(expected)s.")
                % values
            )
        findings.append(
            _finding(
                located,
                severity,
                FindingKind.EARLIER_STATEMENT,
                message,
                reference=reference,
                expected=values["expected"],
            )
        )
    return findings
