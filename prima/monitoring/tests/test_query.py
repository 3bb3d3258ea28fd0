"""Tests for the watch-list query language (prima.monitoring.query)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prima.monitoring.query import (
    MAX_DEPTH,
    And,
    Document,
    Node,
    Not,
    Or,
    Phrase,
    QuerySyntaxError,
    QueryTerm,
    Term,
    caret_line,
    parse,
    render,
    simple_tokens,
)

POST = "Antrean paspor di Kantor Imigrasi Jakarta Selatan mengular sejak pagi"


# --- syntax ---------------------------------------------------------------------------


def test_adjacent_terms_are_joined_by_and() -> None:
    assert parse("paspor antrean").root == And((Term("paspor"), Term("antrean")))
    assert parse("paspor AND antrean").root == parse("paspor antrean").root


def test_not_binds_tighter_than_and_which_binds_tighter_than_or() -> None:
    assert parse("a OR b c").root == Or((Term("a"), And((Term("b"), Term("c")))))
    assert parse("NOT a b").root == And((Not(Term("a")), Term("b")))
    assert parse("a OR NOT b AND c").root == Or((Term("a"), And((Not(Term("b")), Term("c")))))


def test_parentheses_group() -> None:
    assert parse("(a OR b) c").root == And((Or((Term("a"), Term("b"))), Term("c")))


def test_operators_are_case_insensitive_in_english() -> None:
    assert parse("a or b").root == parse("a OR b").root
    assert parse("a and not b").root == And((Term("a"), Not(Term("b"))))


def test_indonesian_operators_count_only_in_capitals() -> None:
    assert parse("paspor ATAU visa TIDAK calo").root == parse("paspor OR visa NOT calo").root
    assert parse("paspor dan visa").root == And((Term("paspor"), Term("dan"), Term("visa")))


def test_phrases_and_prefixes() -> None:
    query = parse('"kantor   imigrasi" imigra* “visa kunjungan”')
    assert query.root == And(
        (Phrase("kantor imigrasi"), Term("imigra", prefix=True), Phrase("visa kunjungan"))
    )


@pytest.mark.parametrize(
    ("query", "message", "position"),
    [
        ("paspor AND (visa)) x", "unexpected ')' at position 18", 17),
        ("(paspor OR visa", "missing ')' for the '(' at position 1", 15),
        ("paspor AND", "expected a word or phrase after AND at position 11", 10),
        ("NOT", "expected a word or phrase after NOT", 3),
        ("OR paspor", "unexpected 'OR' at position 1", 0),
        ('"kantor imigrasi', "unterminated phrase: the quote at position 1", 0),
        ('paspor ""', "empty phrase at position 8", 7),
        ("()", "empty parentheses at position 1", 0),
        ("*", "a wildcard needs letters before '*'", 0),
        ("", "the query is empty", 0),
        ("   ", "the query is empty", 0),
    ],
)
def test_syntax_errors_point_at_the_problem(query: str, message: str, position: int) -> None:
    with pytest.raises(QuerySyntaxError) as caught:
        parse(query)
    assert message in str(caught.value)
    assert caught.value.position == position


def test_the_caret_line_marks_the_position() -> None:
    query = "paspor AND (visa)) x"
    with pytest.raises(QuerySyntaxError) as caught:
        parse(query)
    assert caret_line(query, caught.value) == f"{query}\n{' ' * 17}^"


def test_deep_nesting_and_long_queries_are_refused_cleanly() -> None:
    with pytest.raises(QuerySyntaxError, match="nested too deeply"):
        parse("(" * (MAX_DEPTH + 5) + "a" + ")" * (MAX_DEPTH + 5))
    with pytest.raises(QuerySyntaxError, match="nested too deeply"):
        parse("NOT " * 100 + "a")
    with pytest.raises(QuerySyntaxError, match="too long"):
        parse("a " * 2000)


# --- matching -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("paspor", True),
        ("PASPOR imigrasi", True),
        ("paspor visa", False),
        ("paspor OR visa", True),
        ("paspor NOT jakarta", False),
        ("paspor NOT bandung", True),
        ('"kantor imigrasi"', True),
        ('"imigrasi kantor"', False),
        ('"kantor imigrasi jakarta selatan"', True),
        ("imigra*", True),
        ("imigran*", False),
        ("(visa OR paspor) (jakarta OR bandung)", True),
        ("visa OR paspor bandung", False),
        ("NOT (visa OR calo)", True),
    ],
)
def test_matching(query: str, expected: bool) -> None:
    assert parse(query).matches(POST) is expected


def test_terms_are_normalised_like_documents() -> None:
    def stem(text: str) -> list[str]:
        # A stand-in for prima.lib.text.tokens: drops "di" and the suffix "-nya".
        return [w.removesuffix("nya") for w in simple_tokens(text) if w != "di"]

    query = parse("pelayanannya")
    assert query.matches("pelayanan cepat", normalise=stem)
    assert not query.matches("pelayanan cepat")
    # A term that normalises to nothing (a stop word) is ignored, not "matches nothing".
    assert parse("di paspor").matches("paspor baru", normalise=stem)
    assert not parse("di").matches("di sini", normalise=stem)


def test_a_hyphenated_term_matches_as_a_phrase() -> None:
    assert parse("covid-19").matches("kasus covid 19 turun")
    assert not parse("covid-19").matches("19 kasus covid")


def test_documents_and_token_lists_can_be_reused() -> None:
    doc = Document.from_text(POST)
    assert parse("paspor").matches(doc)
    assert parse("kantor imig*").matches(doc)
    assert parse("paspor").matches(["paspor", "baru"])


def test_terms_lists_positive_terms_for_highlighting() -> None:
    query = parse('(paspor OR "kantor imigrasi") imigra* NOT calo paspor')
    assert query.terms() == [
        QueryTerm("paspor"),
        QueryTerm("kantor imigrasi", phrase=True),
        QueryTerm("imigra", prefix=True),
    ]
    assert QueryTerm("calo") in query.terms(include_negated=True)


# --- properties -----------------------------------------------------------------------

OPERATOR_WORDS = {"and", "or", "not"}
_term_text = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Zs", "Zl", "Zp", "Cc"), blacklist_characters='()"“”„*'
    ),
    min_size=1,
    max_size=8,
).filter(
    lambda t: (
        t.upper() not in {"AND", "OR", "NOT"}
        and t not in {"DAN", "ATAU", "TIDAK"}
        and not any(c.isspace() for c in t)
    )
)
_phrase_text = st.lists(_term_text, min_size=1, max_size=3).map(" ".join)
_leaf = st.one_of(
    st.builds(Term, _term_text, st.booleans()),
    st.builds(Phrase, _phrase_text),
)


def _flat(kind: type[And] | type[Or], children: list[Node]) -> Node:
    flat: list[Node] = []
    for child in children:
        flat.extend(child.children if isinstance(child, kind) else (child,))
    return kind(tuple(flat))


_nodes = st.recursive(
    _leaf,
    lambda inner: st.one_of(
        st.builds(Not, inner),
        st.lists(inner, min_size=2, max_size=3).map(lambda c: _flat(And, c)),
        st.lists(inner, min_size=2, max_size=3).map(lambda c: _flat(Or, c)),
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(_nodes)
def test_render_then_parse_round_trips(node: Node) -> None:
    assert parse(render(node)).root == node


@settings(max_examples=500, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list('ab cAND ORNOT()"*“-é\t')) | st.characters(),
        max_size=60,
    )
)
def test_random_queries_raise_only_syntax_errors(text: str) -> None:
    try:
        query = parse(text)
    except QuerySyntaxError as error:
        assert 0 <= error.position <= len(text)
        assert caret_line(text, error)
        return
    assert parse(render(query.root)).root == query.root
    query.matches(text)
    query.terms()
