"""Verification of one draft: every check, in one call."""

from __future__ import annotations

from prima.lib.figures import extract

from . import facts, matching, people, writing
from .types import SEVERITY_ORDER, Context, Draft, Finding

# Parts whose figures are claims of the office (a question's figures are the journalist's).
_CLAIMS = ("body", "text", "title", "item", "answer")


def verify(draft: Draft, context: Context, *, release: bool | None = None) -> list[Finding]:
    """Every finding about ``draft`` checked against ``context``, errors first, then in
    the order of the text. ``release`` forces (True) or skips (False) the press-release
    form check of a statement; by default it applies when the text looks like a release.
    Costs no query: the context holds everything."""
    located: list[facts.Located] = []
    findings: list[Finding] = []
    order = {part.name: i for i, part in enumerate(draft.parts)}
    for part in draft.parts:
        if not part.name.startswith(_CLAIMS) or not part.text.strip():
            continue
        figures = extract(part.text)
        contexts = matching.figure_contexts(part.text, figures, extra=part.context)
        for figure, figure_context in zip(figures, contexts, strict=True):
            located.append(facts.Located(figure, part.name, figure_context))
        findings.extend(writing.check_figures(part, figures, context))
        findings.extend(people.check_people(part, context))
    found, supported, flagged = facts.check_against_facts(
        located, context, facts.Index(context.facts)
    )
    findings.extend(found)
    if context.earlier:
        findings.extend(
            facts.check_against_earlier(
                located, context, facts.Index(context.earlier), supported, flagged
            )
        )
    findings.extend(writing.check_form(draft, release=release))
    findings.sort(key=lambda f: (SEVERITY_ORDER[f.severity], order.get(f.part, 0), f.start, f.end))
    return findings


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)
