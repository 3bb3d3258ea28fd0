"""Fuzz tests: no parser raises on any input, and good rows survive bad neighbours.

Random bytes and mutated copies of valid fixtures go into every parser. Each result must
satisfy the parser contract: no exception, items with text, aware UTC dates, http(s) URLs.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import UTC
from pathlib import Path
from typing import Literal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prima.monitoring.parsers import (
    ParseResult,
    Rejected,
    parse_article,
    parse_feed,
    parse_social,
)

FIXTURES = Path(__file__).parent / "fixtures"
SURROGATES: list[Literal["Cs"]] = ["Cs"]  # lone surrogates cannot be encoded
RSS = (FIXTURES / "rss_basic.xml").read_bytes()
ATOM = (FIXTURES / "atom_basic.xml").read_bytes()
ARTICLE = (FIXTURES / "article_latin1.html").read_bytes()
ID_CSV = (FIXTURES / "social_id.csv").read_bytes()
TWITTER = (FIXTURES / "twitter_v2.json").read_bytes()
NDJSON = (FIXTURES / "social.ndjson").read_bytes()


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


ZIP = _zip({"a.csv": ID_CSV, "b.json": TWITTER, "c.ndjson": NDJSON})

FUZZ = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def check_contract(result: ParseResult) -> None:
    assert isinstance(result, ParseResult)
    for item in result.items:
        assert item.text.strip()
        assert item.external_id
        assert item.published_at is None or item.published_at.tzinfo == UTC
        for url in (item.url, item.canonical_url):
            assert url == "" or url.startswith(("http://", "https://"))
        for count in (item.likes, item.shares, item.comments, item.author_followers):
            assert count is None or count >= 0
    for rejected in result.rejected:
        assert isinstance(rejected, Rejected) and rejected.position >= 1 and rejected.reason
    assert all(isinstance(e, str) and e for e in result.errors)


@st.composite
def mutated(draw: st.DrawFn, original: bytes) -> bytes:
    """A valid file with a few random edits: flips, deletions, insertions, truncation."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            break
        kind = draw(st.sampled_from(["flip", "delete", "insert", "truncate", "duplicate"]))
        at = draw(st.integers(0, len(data) - 1))
        if kind == "flip":
            data[at] = draw(st.integers(0, 255))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=20))
        elif kind == "truncate":
            del data[at:]
        else:
            data[at:at] = data[at : at + draw(st.integers(1, 200))]
    return bytes(data)


# --- random and mutated bytes into every parser -----------------------------------------

FORMATS = [None, "csv", "json", "ndjson", "zip"]


@FUZZ
@given(st.binary(max_size=3000), st.sampled_from(FORMATS))
def test_social_never_raises_on_random_bytes(data: bytes, fmt: str | None) -> None:
    check_contract(parse_social(data, format=fmt))


@FUZZ
@given(st.one_of(mutated(ID_CSV), mutated(TWITTER), mutated(NDJSON), mutated(ZIP)))
def test_social_never_raises_on_mutated_exports(data: bytes) -> None:
    check_contract(parse_social(data))


@FUZZ
@given(st.one_of(st.binary(max_size=3000), mutated(RSS), mutated(ATOM)))
def test_feed_never_raises(data: bytes) -> None:
    check_contract(parse_feed(data, base_url="https://berita.example.id/rss"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=2000), mutated(ARTICLE)), st.text(max_size=40))
def test_article_never_raises(data: bytes, content_type: str) -> None:
    check_contract(parse_article(data, url="https://warta.example.id/a", content_type=content_type))


@FUZZ
@given(
    st.text(
        alphabet=st.sampled_from(list(",;\t\"\n\r\\x'{}[]:é\x00 aZ9"))
        | st.characters(exclude_categories=SURROGATES),
        max_size=400,
    )
)
def test_social_never_raises_on_csv_like_text(text: str) -> None:
    for encoding in ("utf-8", "utf-16"):
        check_contract(parse_social(("teks,akun,suka,tanggal\n" + text).encode(encoding)))


# --- good rows survive bad ones ---------------------------------------------------------

_words = st.text(
    alphabet=st.sampled_from(list("abcdefghijklmnopqrstuvwxyz éü,;\"'")), min_size=1, max_size=30
).filter(lambda t: t.strip() and t == t.strip())
_junk_cell = st.text(
    alphabet=st.characters(exclude_characters='\r\n"\x00', exclude_categories=SURROGATES),
    max_size=15,
)


@FUZZ
@given(st.lists(st.tuples(st.booleans(), _words, _junk_cell, _junk_cell), min_size=1, max_size=40))
def test_csv_good_rows_are_kept_among_bad_rows(rows: list[tuple[bool, str, str, str]]) -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["teks", "suka", "tanggal"])
    expected = []
    for good, text, likes, date in rows:
        # A bad row has no text; its other cells are junk (unreadable counts and dates).
        writer.writerow([text if good else "", likes, date])
        if good:
            expected.append(text)
    result = parse_social(out.getvalue().encode(), mapping=None)
    check_contract(result)
    assert [item.text for item in result.items] == expected
    # Bad rows are rejected, except wholly blank ones, which are skipped like blank lines.
    blank = sum(1 for good, _, likes, date in rows if not good and not (likes + date).strip())
    assert len(result.rejected) == len(rows) - len(expected) - blank


@FUZZ
@given(
    st.lists(
        st.one_of(
            _words.map(lambda t: ("good", t)),
            st.binary(max_size=40).map(lambda b: ("junk", b)),
        ),
        min_size=1,
        max_size=40,
    )
)
def test_ndjson_good_lines_are_kept_among_garbage_lines(
    lines: list[tuple[str, str | bytes]],
) -> None:
    chunks = [json.dumps({"text": "pertama", "id": "first"}).encode()]  # fixes the mapping
    expected = ["pertama"]
    for kind, value in lines:
        if kind == "good":
            chunks.append(json.dumps({"text": value}).encode())
            assert isinstance(value, str)
            expected.append(value)
        else:
            assert isinstance(value, bytes)
            chunks.append(value.replace(b"\n", b" ").replace(b"\r", b" "))
    result = parse_social(b"\n".join(chunks), format="ndjson")
    check_contract(result)
    texts = [item.text for item in result.items]
    # Junk that happens to be a JSON object with text would be a good line too.
    assert [t for t in texts if t in expected] == expected


@FUZZ
@given(st.lists(st.one_of(_words, st.none(), st.integers(), st.just({})), min_size=1, max_size=30))
def test_json_good_elements_are_kept_among_bad_ones(values: list[object]) -> None:
    elements = [
        {"text": v} if isinstance(v, str) else v if isinstance(v, dict) else v for v in values
    ]
    result = parse_social(json.dumps([{"text": "pertama"}, *elements]).encode())
    check_contract(result)
    assert [i.text for i in result.items] == ["pertama"] + [v for v in values if isinstance(v, str)]


@FUZZ
@given(st.lists(st.tuples(st.booleans(), _words), min_size=1, max_size=20))
def test_feed_good_entries_are_kept_among_empty_ones(entries: list[tuple[bool, str]]) -> None:
    items = "".join(
        f"<item><title>{_xml(text)}</title><guid>g{i}</guid></item>" if good else "<item/>"
        for i, (good, text) in enumerate(entries)
    )
    feed = f'<rss version="2.0"><channel><title>T</title>{items}</channel></rss>'.encode()
    result = parse_feed(feed)
    check_contract(result)
    assert [i.title for i in result.items] == [" ".join(t.split()) for g, t in entries if g]


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
