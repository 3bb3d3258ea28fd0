"""The watch-list query language: Boolean search over normalised text.

Syntax (operators are case-insensitive in English; the Indonesian ``DAN``/``ATAU``/``TIDAK``
count as operators only in capitals, because lower-case they are ordinary words):

* ``imigrasi paspor`` - both words (implicit AND); ``imigrasi AND paspor`` is the same;
* ``paspor OR visa``, ``paspor ATAU visa`` - either;
* ``NOT pungli``, ``TIDAK pungli`` - without;
* ``"kantor imigrasi"`` - an exact phrase (consecutive words; curly quotes work too;
  ``*`` inside quotes is not a wildcard);
* ``imigra*`` - any word starting with ``imigra``;
* parentheses group; precedence is NOT, then AND, then OR:
  ``a OR b c`` means ``a OR (b AND c)``.

Terms are normalised with the same function as documents (pass ``normalise``; the default
is a plain lower-case word splitter), so stemming or informal-spelling rules apply to
both sides alike. A term that normalises to nothing (a stop word) is ignored.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

Normaliser = Callable[[str], list[str]]

MAX_QUERY_LENGTH = 2_000
MAX_DEPTH = 32

_QUOTES = '"“”„'
_ENGLISH_OPERATORS = {"AND", "OR", "NOT"}
_INDONESIAN_OPERATORS = {"DAN": "AND", "ATAU": "OR", "TIDAK": "NOT"}
_WORD = re.compile(r"[^\W_]+")


def simple_tokens(text: str) -> list[str]:
    """Default normaliser: NFKC, case-folded, split into runs of letters and digits."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


# --- errors -----------------------------------------------------------------------------


class QuerySyntaxError(ValueError):
    """The query cannot be parsed. ``position`` is the 0-based offset of the problem.

    The message counts positions from 1, like an editor column:
    ``unexpected ')' at position 14``.
    """

    def __init__(self, message: str, position: int) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


def caret_line(query: str, error: QuerySyntaxError, *, width: int = 80) -> str:
    """Return two lines: (a window of) the query and a ``^`` under the error position."""
    position = max(0, min(error.position, len(query)))
    start = max(0, position - width // 2) if len(query) > width else 0
    window = query[start : start + width].replace("\n", " ").replace("\t", " ")
    prefix = "…" if start else ""
    return f"{prefix}{window}\n{' ' * (len(prefix) + position - start)}^"


# --- syntax tree ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Term:
    text: str
    prefix: bool = False


@dataclass(frozen=True, slots=True)
class Phrase:
    text: str


@dataclass(frozen=True, slots=True)
class Not:
    child: Node


@dataclass(frozen=True, slots=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    children: tuple[Node, ...]


Node = Term | Phrase | Not | And | Or


@dataclass(frozen=True, slots=True)
class QueryTerm:
    """A positive (not negated) term of a query, for highlighting matches."""

    text: str
    phrase: bool = False
    prefix: bool = False


# --- lexer ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # TERM PHRASE LPAREN RPAREN AND OR NOT END
    value: str
    position: int


def _lex(query: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(query)
    while i < n:
        char = query[i]
        if char.isspace():
            i += 1
        elif char == "(":
            tokens.append(_Token("LPAREN", char, i))
            i += 1
        elif char == ")":
            tokens.append(_Token("RPAREN", char, i))
            i += 1
        elif char in _QUOTES:
            end = i + 1
            while end < n and query[end] not in _QUOTES:
                end += 1
            if end >= n:
                raise QuerySyntaxError(
                    f"unterminated phrase: the quote at position {i + 1} is never closed", i
                )
            text = " ".join(query[i + 1 : end].split())
            if not text:
                raise QuerySyntaxError(f"empty phrase at position {i + 1}", i)
            tokens.append(_Token("PHRASE", text, i))
            i = end + 1
        else:
            end = i
            while end < n and not (query[end].isspace() or query[end] in "()" + _QUOTES):
                end += 1
            word = query[i:end]
            upper = word.upper()
            if upper in _ENGLISH_OPERATORS:
                tokens.append(_Token(upper, word, i))
            elif word in _INDONESIAN_OPERATORS:
                tokens.append(_Token(_INDONESIAN_OPERATORS[word], word, i))
            else:
                tokens.append(_Token("TERM", word, i))
            i = end
    tokens.append(_Token("END", "", n))
    return tokens


# --- parser -----------------------------------------------------------------------------

_STARTS_OPERAND = frozenset({"TERM", "PHRASE", "LPAREN", "NOT"})


class _Parser:
    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.index = 0
        self.depth = 0

    def peek(self) -> _Token:
        return self.tokens[self.index]

    def take(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def _deeper(self, token: _Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise QuerySyntaxError(
                f"the query is nested too deeply at position {token.position + 1}",
                token.position,
            )

    def _require_operand(self, after: _Token) -> None:
        nxt = self.peek()
        if nxt.kind not in _STARTS_OPERAND:
            what = "the end of the query" if nxt.kind == "END" else repr(nxt.value)
            raise QuerySyntaxError(
                f"expected a word or phrase after {after.value.upper()} at position "
                f"{nxt.position + 1}, found {what}",
                nxt.position,
            )

    def parse(self) -> Node:
        if self.peek().kind == "END":
            raise QuerySyntaxError("the query is empty", 0)
        node = self.parse_or()
        token = self.peek()
        if token.kind != "END":
            raise QuerySyntaxError(
                f"unexpected {token.value!r} at position {token.position + 1}", token.position
            )
        return node

    def parse_or(self) -> Node:
        children = [self.parse_and()]
        while self.peek().kind == "OR":
            operator = self.take()
            self._require_operand(operator)
            children.append(self.parse_and())
        return _combine(Or, children)

    def parse_and(self) -> Node:
        children = [self.parse_not()]
        while True:
            token = self.peek()
            if token.kind == "AND":
                self.take()
                self._require_operand(token)
                children.append(self.parse_not())
            elif token.kind in _STARTS_OPERAND:
                children.append(self.parse_not())
            else:
                break
        return _combine(And, children)

    def parse_not(self) -> Node:
        token = self.peek()
        if token.kind != "NOT":
            return self.parse_primary()
        self.take()
        self._require_operand(token)
        self._deeper(token)
        child = self.parse_not()
        self.depth -= 1
        return Not(child)

    def parse_primary(self) -> Node:
        token = self.take()
        if token.kind == "TERM":
            return _term(token)
        if token.kind == "PHRASE":
            return Phrase(token.value)
        if token.kind == "LPAREN":
            self._deeper(token)
            if self.peek().kind == "RPAREN":
                raise QuerySyntaxError(
                    f"empty parentheses at position {token.position + 1}", token.position
                )
            node = self.parse_or()
            closing = self.peek()
            if closing.kind != "RPAREN":
                raise QuerySyntaxError(
                    f"missing ')' for the '(' at position {token.position + 1}",
                    closing.position,
                )
            self.take()
            self.depth -= 1
            return node
        if token.kind == "END":
            raise QuerySyntaxError(
                f"unexpected end of the query at position {token.position + 1}", token.position
            )
        raise QuerySyntaxError(
            f"unexpected {token.value!r} at position {token.position + 1}", token.position
        )


def _term(token: _Token) -> Term:
    text = token.value.rstrip("*")
    if not text:
        raise QuerySyntaxError(
            f"a wildcard needs letters before '*' at position {token.position + 1}",
            token.position,
        )
    return Term(text, prefix=len(text) < len(token.value))


def _combine(kind: type[And] | type[Or], children: list[Node]) -> Node:
    if len(children) == 1:
        return children[0]
    flat: list[Node] = []
    for child in children:
        flat.extend(
            child.children if isinstance(child, And | Or) and isinstance(child, kind) else (child,)
        )
    return kind(tuple(flat))


# --- rendering --------------------------------------------------------------------------


def render(node: Node) -> str:
    """Write a syntax tree back as a query with explicit operators; ``parse`` reads it back."""
    if isinstance(node, Term):
        return node.text + ("*" if node.prefix else "")
    if isinstance(node, Phrase):
        return f'"{node.text}"'
    if isinstance(node, Not):
        inner = render(node.child)
        return f"NOT ({inner})" if isinstance(node.child, And | Or) else f"NOT {inner}"
    if isinstance(node, And):
        return " AND ".join(
            f"({render(c)})" if isinstance(c, Or | And) else render(c) for c in node.children
        )
    return " OR ".join(f"({render(c)})" if isinstance(c, Or) else render(c) for c in node.children)


# --- matching ---------------------------------------------------------------------------


class Document:
    """Tokens of one text indexed for matching many queries against it.

    Build once per text (``Document.from_text``) when a post is checked against a whole
    watch-list: word lookups are then set/dict lookups, prefixes a binary search.
    """

    __slots__ = ("_vocabulary", "positions", "tokens")

    def __init__(self, tokens: Sequence[str]) -> None:
        self.tokens = list(tokens)
        self.positions: dict[str, list[int]] = {}
        for index, token in enumerate(self.tokens):
            self.positions.setdefault(token, []).append(index)
        self._vocabulary: list[str] | None = None

    @classmethod
    def from_text(cls, text: str, normalise: Normaliser | None = None) -> Document:
        return cls((normalise or simple_tokens)(text))

    def has_prefix(self, prefix: str) -> bool:
        if self._vocabulary is None:
            self._vocabulary = sorted(self.positions)
        index = bisect.bisect_left(self._vocabulary, prefix)
        return index < len(self._vocabulary) and self._vocabulary[index].startswith(prefix)

    def has_phrase(self, words: tuple[str, ...], last_is_prefix: bool) -> bool:
        tokens = self.tokens
        count = len(words)
        for start in self.positions.get(words[0], ()):
            if start + count > len(tokens):
                break
            if all(tokens[start + i] == words[i] for i in range(1, count - 1)):
                last = tokens[start + count - 1]
                if last.startswith(words[-1]) if last_is_prefix else last == words[-1]:
                    return True
        return False


# A compiled node: ("term", word) | ("prefix", word) | ("phrase", words, last_is_prefix)
# | ("not", node) | ("and", nodes) | ("or", nodes).
_Compiled = tuple


def _compile(node: Node, normalise: Normaliser) -> _Compiled | None:
    if isinstance(node, Term | Phrase):
        words = tuple(normalise(node.text))
        prefix = isinstance(node, Term) and node.prefix
        if not words and prefix:
            # A stemmer or stop-word list may reject a word fragment; match it as typed.
            words = tuple(simple_tokens(node.text))
        if not words:
            return None  # a stop word: ignored, like search engines do
        if len(words) == 1:
            return ("prefix" if prefix else "term", words[0])
        return ("phrase", words, prefix)
    if isinstance(node, Not):
        child = _compile(node.child, normalise)
        return None if child is None else ("not", child)
    compiled = [c for c in (_compile(child, normalise) for child in node.children) if c]
    if not compiled:
        return None
    if len(compiled) == 1:
        return compiled[0]
    return ("and" if isinstance(node, And) else "or", tuple(compiled))


def _evaluate(node: _Compiled, doc: Document) -> bool:
    kind = node[0]
    if kind == "term":
        return node[1] in doc.positions
    if kind == "prefix":
        return doc.has_prefix(node[1])
    if kind == "phrase":
        return doc.has_phrase(node[1], node[2])
    if kind == "not":
        return not _evaluate(node[1], doc)
    if kind == "and":
        return all(_evaluate(child, doc) for child in node[1])
    return any(_evaluate(child, doc) for child in node[1])


@dataclass(eq=False)
class Query:
    """A parsed query. Compare with ``query.root == other.root``."""

    source: str
    root: Node
    _compiled: dict[int, tuple[Normaliser, _Compiled | None]] = field(
        default_factory=dict, repr=False
    )

    def compiled(self, normalise: Normaliser | None = None) -> _Compiled | None:
        """The query with terms normalised by ``normalise`` (cached per normaliser)."""
        normalise = normalise or simple_tokens
        cached = self._compiled.get(id(normalise))
        if cached is None or cached[0] is not normalise:
            cached = (normalise, _compile(self.root, normalise))
            self._compiled[id(normalise)] = cached
        return cached[1]

    def matches(
        self, text: str | Sequence[str] | Document, normalise: Normaliser | None = None
    ) -> bool:
        """Does the text match? Accepts raw text, a token list or a :class:`Document`.

        Raw text is normalised with ``normalise`` (default :func:`simple_tokens`), the same
        function applied to the query's terms; pass tokens or a Document made with the
        same normaliser. A query whose terms all normalise to nothing matches nothing.
        """
        compiled = self.compiled(normalise)
        if compiled is None:
            return False
        if isinstance(text, Document):
            doc = text
        elif isinstance(text, str):
            doc = Document((normalise or simple_tokens)(text))
        else:
            doc = Document(text)
        return _evaluate(compiled, doc)

    def terms(self, *, include_negated: bool = False) -> list[QueryTerm]:
        """Terms and phrases of the query, in order, without duplicates (for highlighting).

        Terms under NOT are left out unless ``include_negated``.
        """
        found: dict[QueryTerm, None] = {}
        for node, negated in _walk(self.root, False):
            if negated and not include_negated:
                continue
            if isinstance(node, Term):
                found.setdefault(QueryTerm(node.text, prefix=node.prefix), None)
            elif isinstance(node, Phrase):
                found.setdefault(QueryTerm(node.text, phrase=True), None)
        return list(found)

    def render(self) -> str:
        return render(self.root)

    def __str__(self) -> str:
        return self.render()


def _walk(node: Node, negated: bool) -> Iterator[tuple[Node, bool]]:
    if isinstance(node, Not):
        yield from _walk(node.child, not negated)
    elif isinstance(node, And | Or):
        for child in node.children:
            yield from _walk(child, negated)
    else:
        yield node, negated


def parse(query: str) -> Query:
    """Parse a watch-list query; raise :class:`QuerySyntaxError` with a position if invalid.

    Linear in the query length; queries longer than 2,000 characters or nested deeper
    than 32 levels are refused.
    """
    if not isinstance(query, str):
        raise QuerySyntaxError("the query must be text", 0)
    if len(query) > MAX_QUERY_LENGTH:
        raise QuerySyntaxError(
            f"the query is too long ({len(query)} characters, at most {MAX_QUERY_LENGTH})",
            MAX_QUERY_LENGTH,
        )
    return Query(query, _Parser(_lex(query)).parse())
