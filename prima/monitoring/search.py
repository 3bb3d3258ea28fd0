"""Full-text search over mentions: one function, SQLite FTS5 or PostgreSQL.

Both databases index the same text, ``Mention.search_text``, which ingestion fills with
:func:`prima.lib.text.normalise_for_search` (informal spellings mapped, stop words
dropped, Indonesian words stemmed). Query terms go through the same function, so
"pelayanannya" finds "dilayani" on both. The index is an FTS5 external-content table kept
in sync by triggers on SQLite, and a GIN index on ``to_tsvector('simple', search_text)`` on
PostgreSQL (migration ``0002_fulltext``); the ``simple`` configuration only lower-cases
and splits, which is all the pre-normalised text needs.

The query language is the watch-list language (:mod:`prima.monitoring.query`): words
(all must match), ``"exact phrases"``, ``prefix*``, ``OR``, ``NOT``, parentheses.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from prima.lib.text import normalise_for_search

from . import query as querylang
from .query import And, Node, Not, Or, Phrase, QuerySyntaxError, Term

__all__ = ["QuerySyntaxError", "compile_fts5", "compile_tsquery", "search", "search_tokens"]


def search_tokens(text: str) -> list[str]:
    """The normalised tokens of ``text``, as indexed (and as watch-lists match them)."""
    return normalise_for_search(text).split()


def _words(node: Term | Phrase) -> tuple[list[str], bool]:
    words = search_tokens(node.text)
    prefix = isinstance(node, Term) and node.prefix
    if not words and prefix:
        # The stemmer may reject a fragment ("imigra"): match it as typed.
        words = querylang.simple_tokens(node.text)
    return words, prefix


# --- SQLite FTS5 --------------------------------------------------------------------------


class _Unsupported(Exception):
    """The expression has a NOT without a positive part, which FTS5 cannot evaluate."""


def _fts5(node: Node) -> str | None:
    if isinstance(node, Term | Phrase):
        words, prefix = _words(node)
        if not words:
            return None
        quoted = '"' + " ".join(words) + '"'
        return quoted + "*" if prefix else quoted
    if isinstance(node, Not):
        raise _Unsupported
    if isinstance(node, Or):
        parts = [_fts5(child) for child in node.children]
        kept = [p for p in parts if p]
        return " OR ".join(f"({p})" for p in kept) if kept else None
    positives, negatives = [], []
    for child in node.children:
        if isinstance(child, Not):
            inner = _fts5(child.child)
            if inner:
                negatives.append(inner)
        else:
            part = _fts5(child)
            if part:
                positives.append(part)
    if not positives:
        if negatives:
            raise _Unsupported
        return None
    expr = " AND ".join(f"({p})" for p in positives)
    for negative in negatives:
        expr = f"({expr}) NOT ({negative})"
    return expr


def compile_fts5(q: str) -> str | None:
    """An FTS5 MATCH expression for ``q``; None when nothing searchable is left.

    Raises :class:`QuerySyntaxError` for a malformed query and ``ValueError`` for a query
    that only excludes (``NOT x``), which FTS5 cannot answer alone (:func:`search` handles
    that case itself).
    """
    root = querylang.parse(q).root
    try:
        return _fts5(root)
    except _Unsupported:
        raise ValueError("a query made only of NOT terms") from None


# --- PostgreSQL tsquery -------------------------------------------------------------------


def _tsquery(node: Node) -> str | None:
    if isinstance(node, Term | Phrase):
        words, prefix = _words(node)
        if not words:
            return None
        if prefix:
            words = [*words[:-1], words[-1] + ":*"]
        return words[0] if len(words) == 1 else "(" + " <-> ".join(words) + ")"
    if isinstance(node, Not):
        inner = _tsquery(node.child)
        return f"!({inner})" if inner else None
    parts = [p for p in (_tsquery(child) for child in node.children) if p]
    if not parts:
        return None
    joiner = " & " if isinstance(node, And) else " | "
    return "(" + joiner.join(parts) + ")"


def compile_tsquery(q: str) -> str | None:
    """A ``to_tsquery('simple', …)`` expression for ``q``; None when nothing is left.

    Tokens are letters and digits only (see :func:`search_tokens`), so the expression
    needs no escaping. Raises :class:`QuerySyntaxError` for a malformed query.
    """
    return _tsquery(querylang.parse(q).root)


# --- the one entry point ------------------------------------------------------------------

_FTS5_IDS = "SELECT rowid FROM monitoring_mention_fts WHERE monitoring_mention_fts MATCH %s"
_PG_IDS = (
    "SELECT id FROM monitoring_mention WHERE to_tsvector('simple'::regconfig, search_text) "
    "@@ to_tsquery('simple'::regconfig, %s)"
)


def search(queryset: QuerySet, q: str) -> QuerySet:
    """``queryset`` (of :class:`~prima.monitoring.models.Mention`) restricted to matches of ``q``.

    Blank ``q`` returns the queryset unchanged; a query whose words are all stop words
    matches nothing. Raises :class:`QuerySyntaxError` (with ``position``) for a malformed
    query. Adds one indexed sub-select to the query; no extra round trip.
    """
    if not q or not q.strip():
        return queryset
    vendor = connection.vendor
    if vendor == "postgresql":
        expr = compile_tsquery(q)
        if expr is None:
            return queryset.none()
        return queryset.filter(pk__in=RawSQL(_PG_IDS, [expr]))  # noqa: S611 - bound value
    if vendor != "sqlite":
        raise NotImplementedError(f"full-text search is not implemented for {vendor}")
    root = querylang.parse(q).root
    try:
        expr = _fts5(root)
    except _Unsupported:
        # Only exclusions (NOT a, or NOT a AND NOT b): everything except the matches.
        excluded = _fts5(_negate(root))
        if excluded is None:
            return queryset
        return queryset.exclude(pk__in=RawSQL(_FTS5_IDS, [excluded]))  # noqa: S611 - bound value
    if expr is None:
        return queryset.none()
    return queryset.filter(pk__in=RawSQL(_FTS5_IDS, [expr]))  # noqa: S611 - bound value


def _negate(node: Node) -> Node:
    """``NOT a`` → ``a``; ``NOT a AND NOT b`` → ``a OR b`` (De Morgan), for exclusion."""
    if isinstance(node, Not):
        return node.child
    if isinstance(node, And) and all(isinstance(c, Not) for c in node.children):
        return Or(tuple(c.child for c in node.children))  # type: ignore[union-attr]
    # Mixed shapes that FTS5 cannot express: NOT over the whole (a OR NOT b) etc.
    raise QuerySyntaxError("this combination of NOT cannot be searched; add a word to find", 0)
