"""Tests for RSS/Atom parsing (prima.monitoring.parsers.feed) and HTML sanitising."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from prima.monitoring.parsers import clean_html, html_to_text, parse_feed
from prima.monitoring.parsers.feed import neutralise_dtd

FIXTURES = Path(__file__).parent / "fixtures"
RSS = (FIXTURES / "rss_basic.xml").read_bytes()
ATOM = (FIXTURES / "atom_basic.xml").read_bytes()


def test_it_reads_rss_items_with_resolved_links_and_plain_text() -> None:
    result = parse_feed(RSS, base_url="https://berita.example.id/rss.xml")
    assert result.ok
    first = result.items[0]
    assert first.external_id == "berita-1001"
    assert first.title == "Kantor Imigrasi Jakarta layani paspor akhir pekan"
    assert first.text == "Kantor Imigrasi Jakarta membuka layanan paspor."  # no <b>, no script
    assert first.url == ("https://berita.example.id/2025/11/19/paspor-akhir-pekan?utm_source=rss")
    assert first.canonical_url == "https://berita.example.id/2025/11/19/paspor-akhir-pekan"
    assert first.published_at == datetime(2025, 11, 19, 3, 0, tzinfo=UTC)
    assert first.author == "Redaksi"
    assert first.outlet == "Berita Imigrasi"
    assert first.platform == "news"
    assert first.lang_hint == "id"


def test_entries_without_id_or_date_get_a_stable_id() -> None:
    result = parse_feed(RSS)
    no_guid = result.items[1]
    assert no_guid.external_id == "https://berita.example.id/2025/11/20/tanpa-guid"
    assert no_guid.published_at is None
    only_text = result.items[2]
    assert only_text.external_id.startswith("sha256:")
    assert parse_feed(RSS).items[2].external_id == only_text.external_id


def test_empty_entries_are_rejected_with_their_position() -> None:
    result = parse_feed(RSS)
    assert len(result.items) == 3
    assert [(r.position, r.reason) for r in result.rejected] == [
        (3, "the entry has no title or text")
    ]


def test_it_reads_atom() -> None:
    result = parse_feed(ATOM)
    (entry,) = result.items
    assert entry.external_id == "urn:uuid:entry-1"
    assert entry.title == "Visa on arrival diperluas"
    assert entry.text == "Pemerintah memperluas kebijakan visa."
    assert entry.author == "Siti Rahma"
    assert entry.lang_hint == "id"


def test_entity_declarations_are_refused() -> None:
    billion_laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b"<rss><channel><title>&lol2;</title></channel></rss>"
    )
    result = parse_feed(billion_laughs)
    assert not result.items
    assert "entities" in result.errors[0]
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<rss><channel><item><title>&x;</title></item></channel></rss>"
    )
    assert "entities" in parse_feed(xxe).errors[0]
    utf16 = xxe.decode().encode("utf-16")
    assert "entities" in parse_feed(utf16).errors[0]


def test_a_plain_doctype_is_removed_and_the_feed_still_reads() -> None:
    old_rss = (
        b'<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS '
        b'0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">'
        b'<rss version="0.91"><channel><title>Lama</title><item><title>Berita</title>'
        b"<link>http://lama.example.id/1</link></item></channel></rss>"
    )
    data, error = neutralise_dtd(old_rss)
    assert error is None and b"DOCTYPE" not in data
    assert parse_feed(old_rss).items[0].url == "http://lama.example.id/1"


def test_wrong_or_missing_encodings_still_read() -> None:
    body = (
        '<rss version="2.0"><channel><title>T</title><item><title>Café pagi</title>'
        "<link>http://x.example.id/a</link></item></channel></rss>"
    )
    declared_utf8_sent_latin1 = ('<?xml version="1.0" encoding="utf-8"?>' + body).encode("latin-1")
    assert parse_feed(declared_utf8_sent_latin1).items[0].title == "Café pagi"
    assert parse_feed(body.encode("utf-16")).items[0].title == "Café pagi"
    assert parse_feed(body.encode("utf-8")).items[0].title == "Café pagi"


def test_unreadable_input_gives_a_clear_error() -> None:
    for data in (b"", b"   ", b"\x00\xff\xfe garbage", b"<html><body>Not a feed</body></html>"):
        result = parse_feed(data)
        assert not result.items
        assert result.errors, data


def test_javascript_links_are_dropped() -> None:
    feed = (
        b'<rss version="2.0"><channel><title>T</title><item><title>Judul</title>'
        b"<link>javascript:alert(1)</link></item></channel></rss>"
    )
    (item,) = parse_feed(feed).items
    assert item.url == ""


def test_clean_html_keeps_a_strict_allow_list() -> None:
    cleaned = clean_html(
        '<p onclick="x()">Hai <a href="javascript:alert(1)">x</a> '
        '<a href="https://imigrasi.go.id" target="_blank">situs</a>'
        '<script>alert(1)</script><img src=x onerror=alert(1)><iframe src="//evil"></iframe></p>'
    )
    assert cleaned == (
        '<p>Hai <a rel="noopener noreferrer nofollow">x</a> '
        '<a href="https://imigrasi.go.id" rel="noopener noreferrer nofollow">situs</a></p>'
    )


def test_html_to_text_keeps_paragraphs_and_decodes_entities() -> None:
    html = "<h1>Judul</h1><p>Satu &amp; dua</p><p>tiga<br>empat</p><style>p{}</style>"
    assert html_to_text(html) == "Judul\n\nSatu & dua\n\ntiga\nempat"
    assert html_to_text("a < b dan c > d") == "a < b dan c > d"
    assert html_to_text("") == ""
