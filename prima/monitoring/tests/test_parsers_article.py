"""Tests for article page extraction (prima.monitoring.parsers.article)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from prima.monitoring.parsers import parse_article
from prima.monitoring.parsers.article import decode_html

FIXTURES = Path(__file__).parent / "fixtures"
PAGE = (FIXTURES / "article_latin1.html").read_bytes()
URL = "https://warta.example.id/berita/2025/11/loket-paspor?ref=home"


def test_it_extracts_main_text_and_metadata() -> None:
    result = parse_article(PAGE, url=URL)
    assert result.ok
    (item,) = result.items
    assert "menambah sepuluh loket pemeriksaan paspor" in item.text
    assert "Café dan area tunggu" in item.text  # decoded with the meta charset
    assert "Beranda" not in item.text and "tracking" not in item.text
    assert item.title == "Imigrasi Soekarno-Hatta tambah loket paspor"
    assert item.author == "Budi Santoso"
    assert item.outlet == "Warta Bandara"
    assert item.published_at == datetime(2025, 11, 19, 3, 0, tzinfo=UTC)
    assert item.canonical_url == "https://warta.example.id/berita/2025/11/loket-paspor"
    assert item.external_id == item.canonical_url
    assert item.url == URL
    assert item.lang_hint == "id"


def test_og_url_is_the_fallback_canonical_and_hostname_the_fallback_outlet() -> None:
    page = (
        b'<html><head><meta property="og:url" content="https://www.kabar.example.id/a/1">'
        b"<title>Judul berita</title></head><body><article><p>"
        + b"Petugas imigrasi memeriksa dokumen perjalanan para penumpang. " * 8
        + b"</p></article></body></html>"
    )
    (item,) = parse_article(page, url="https://kabar.example.id/a/1?x=1").items
    assert item.canonical_url == "https://www.kabar.example.id/a/1"
    assert item.outlet == "kabar.example.id"


def test_decoding_prefers_the_header_then_meta_then_utf8() -> None:
    text = "<html><body>Café</body></html>"
    assert "Café" in decode_html(text.encode("cp1252"), "text/html; charset=windows-1252")
    assert "Café" in decode_html(text.encode("utf-8"), "text/html; charset=bogus-charset")
    assert "Café" in decode_html(text.encode("cp1252"))
    assert "Café" in decode_html(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert "Café" in decode_html(text.encode("utf-16"))


def test_pages_without_article_text_give_an_error() -> None:
    for data in (b"", b"\x00\x01\x02", b"<html><body><nav>Menu</nav></body></html>"):
        result = parse_article(data, url="https://x.example.id/")
        assert not result.items
        assert result.errors
