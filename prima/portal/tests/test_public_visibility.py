"""Public pages: what is published is there for anyone, and nothing else is.

Every public URL is opened with published objects (200) and with drafts, withdrawn items
and exercise material (404); the pages never show hidden titles; responses are cacheable
(Cache-Control: public, ETag, 304), set no cookie, stay under 100 KB, and switch language
with ?lang=en.
"""

from __future__ import annotations

import feedparser
import pytest
from django.test import Client
from django.urls import reverse

from prima.portal.urls import urlpatterns

pytestmark = pytest.mark.django_db
SH = "soetta"
HIDDEN_TITLES = ["Deportasi WNA Rahasia", "Keterangan Ditarik", "Siaran Latihan Krisis",
                 "Draf cerita internal", "Layanan Draf Rahasia", "Latihan rahasia",
                 "Simulasi Krisis Latihan", "Klarifikasi menunggu persetujuan",
                 "Klarifikasi draf rahasia", "Klarifikasi ditarik",
                 "Klarifikasi latihan"]  # fmt: skip


def _pages(world) -> dict[str, str]:
    svc = world["service"].code
    return {
        "index": reverse("portal:index"),
        "office": reverse("portal:office", args=[SH]),
        "service": reverse("portal:service", args=[SH, svc]),
        "poster": reverse("portal:poster", args=[SH, svc]),
        "newsroom": reverse("portal:newsroom", args=[SH]),
        "publication": reverse("portal:publication", args=[SH, world["release"].slug]),
        "publication-file": reverse(
            "portal:publication-file", args=[SH, world["release"].slug, world["release_pdf"].pk]
        ),
        "clarification": reverse("portal:clarification", args=[SH, world["clarification"].pk]),
        "feed": reverse("portal:feed", args=[SH]),
        "search": reverse("portal:search", args=[SH]) + "?q=paspor",
        "ask": reverse("portal:ask", args=[SH]),
        "track": reverse("portal:track"),
    }


def test_every_public_url_is_covered(world):
    assert {p.name for p in urlpatterns} == set(_pages(world))


def test_anyone_opens_every_public_page(world):
    client = Client()
    for name, url in _pages(world).items():
        response = client.get(url)
        assert response.status_code == 200, (name, url, response.status_code)


def test_published_content_is_there(world):
    client = Client()
    office = client.get(reverse("portal:office", args=[SH])).content.decode()
    assert "Paspor Biasa" in office and "Rp 350.000" in office
    assert "Konferensi pers kinerja Oktober" in office
    news = client.get(reverse("portal:newsroom", args=[SH])).content.decode()
    assert "Rilis Kinerja Oktober" in news and "Paspor lansia ditemukan" in news
    release = client.get(reverse("portal:publication", args=[SH, world["release"].slug]))
    assert "Kantor Imigrasi menyampaikan keterangan resmi." in release.content.decode()


def test_a_service_page_states_fee_time_basis_history_and_no_other_payment(world):
    page = Client().get(reverse("portal:service", args=[SH, world["service"].code]))
    text = page.content.decode()
    for needle in ["Rp 350.000", "Rp 650.000", "4 (empat) hari kerja", "PP No. 45 Tahun 2024",
                   "Selasa, 17 Desember 2024", "Rp 300.000", "Tarif lama",
                   "Tidak ada pembayaran lain", "?kind=extortion"]:  # fmt: skip
        assert needle in text, needle


@pytest.mark.parametrize(
    "url",
    [
        lambda w: reverse("portal:publication", args=[SH, w["prepared"].slug]),
        lambda w: reverse("portal:publication", args=[SH, w["withdrawn"].slug]),
        lambda w: reverse("portal:publication", args=[SH, w["exercise"].slug]),
        lambda w: reverse("portal:publication", args=[SH, w["draft_story"].slug]),
        *(
            lambda w, name=name: reverse(
                "portal:publication-file", args=[SH, w[name].slug, w["hidden_pdfs"][name].pk]
            )
            for name in ("prepared", "withdrawn", "exercise")
        ),
        # A public release does not serve the file of another (hidden) publication.
        lambda w: reverse(
            "portal:publication-file",
            args=[SH, w["release"].slug, w["hidden_pdfs"]["prepared"].pk],
        ),
        lambda w: reverse(
            "portal:publication-file", args=["jakpus", w["release"].slug, w["release_pdf"].pk]
        ),
        lambda w: reverse("portal:clarification", args=[SH, w["waiting_clarification"].pk]),
        lambda w: reverse("portal:clarification", args=[SH, w["draft_clarification"].pk]),
        lambda w: reverse("portal:clarification", args=[SH, w["withdrawn_clarification"].pk]),
        lambda w: reverse("portal:clarification", args=[SH, w["drill_clarification"].pk]),
        lambda w: reverse("portal:clarification", args=["jakpus", w["clarification"].pk]),
        lambda w: reverse("portal:service", args=[SH, w["hidden_service"].code]),
        lambda w: reverse("portal:poster", args=[SH, w["hidden_service"].code]),
        lambda w: reverse("portal:service", args=[SH, "tidak-ada"]),
        lambda w: reverse("portal:office", args=["tidak-ada"]),
        lambda w: reverse("portal:newsroom", args=["tidak-ada"]),
        lambda w: reverse("portal:feed", args=["tidak-ada"]),
        lambda w: reverse("portal:ask", args=["tidak-ada"]),
        lambda w: reverse("portal:search", args=["tidak-ada"]),
        lambda w: reverse("portal:track") + "?ref=PRM-AAAA-AAAA",
    ],
)
def test_unpublished_draft_withdrawn_and_exercise_objects_are_404(world, url):
    assert Client().get(url(world)).status_code == 404


def test_no_public_page_shows_hidden_titles(world):
    client = Client()
    for name, url in _pages(world).items():
        if name in ("poster", "publication-file"):  # binary files
            continue
        text = client.get(url).content.decode()
        for title in HIDDEN_TITLES:
            assert title not in text, (name, title)
    found = client.get(reverse("portal:search", args=[SH]) + "?q=rahasia").content.decode()
    assert 'data-testid="no-results"' in found
    for extra in ("?kind=clarification", "?kind=clarification&lang=en"):
        text = client.get(reverse("portal:newsroom", args=[SH]) + extra).content.decode()
        for title in HIDDEN_TITLES:
            assert title not in text, (extra, title)
    text = client.get(reverse("portal:search", args=[SH]) + "?q=klarifikasi").content.decode()
    assert 'data-testid="no-results"' in text


def test_an_inactive_office_has_no_public_pages(world):
    office = world["office"]
    office.is_active = False
    office.save()
    assert Client().get(reverse("portal:office", args=[SH])).status_code == 404


def test_the_atom_feed_is_valid_and_holds_only_published_items(world):
    response = Client().get(reverse("portal:feed", args=[SH]))
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title and feed.feed.id and feed.feed.updated
    assert any(link.rel == "self" for link in feed.feed.links)
    titles = {entry.title for entry in feed.entries}
    assert titles == {"Rilis Kinerja Oktober", "Paspor lansia ditemukan",
                      "[Hoaks (salah)] Tidak ada biaya pemeriksaan imigrasi"}  # fmt: skip
    for entry in feed.entries:
        assert entry.id.startswith("tag:") and entry.updated and entry.link.startswith("http")
        assert entry.author


def test_public_pages_are_cacheable_and_set_no_cookie(world):
    client = Client()
    for name, url in _pages(world).items():
        response = client.get(url)
        if name in ("ask", "track"):
            assert "no-store" in response["Cache-Control"], name
            continue
        assert "public" in response["Cache-Control"] and "max-age=" in response["Cache-Control"]
        assert response.has_header("ETag"), name
        assert not response.cookies, (name, response.cookies)
        assert "Cookie" not in response.get("Vary", ""), name
        again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 304, name


def test_a_logged_in_visitor_gets_the_same_public_page(world, personas):
    from prima.conftest import client_for

    url = reverse("portal:service", args=[SH, world["service"].code])
    anonymous = Client().get(url)
    staff = client_for(personas["pr_staff"]).get(url)
    assert anonymous.content == staff.content
    assert "public" in anonymous["Cache-Control"]
    # The staff member's answer carries their session cookie: never for shared caches.
    assert "private" in staff["Cache-Control"] and "public" not in staff["Cache-Control"]


def test_pages_weigh_less_than_100_kb_without_images(world):
    client = Client()
    css = client.get("/static/portal/portal.css")
    css_size = len(b"".join(css.streaming_content)) if css.streaming else len(css.content)  # type: ignore[attr-defined]
    for name, url in _pages(world).items():
        if name in ("poster", "feed", "publication-file"):
            continue
        html = client.get(url).content
        assert b"<script" not in html, name  # readable without JavaScript: there is none
        assert len(html) + css_size < 100 * 1024, (name, len(html), css_size)


def test_indonesian_first_and_english_on_request(world):
    client = Client()
    url = reverse("portal:service", args=[SH, world["service"].code])
    indonesian = client.get(url).content.decode()
    english = client.get(url + "?lang=en").content.decode()
    assert '<html lang="id">' in indonesian and "Persyaratan" in indonesian
    assert '<html lang="en">' in english and "Requirements" in english
    assert "Ordinary passport" in english and "4 (four) working days" in english
    assert "Tuesday, 17 December 2024" in english


def test_opengraph_metadata(world):
    text = Client().get(reverse("portal:publication", args=[SH, world["release"].slug]))
    html = text.content.decode()
    for needle in [
        'property="og:title" content="Rilis Kinerja Oktober"',
        'property="og:type" content="article"',
        'property="og:url" content="http',
        'property="og:locale" content="id_ID"',
        'property="og:description"',
    ]:
        assert needle in html, needle


def test_the_poster_is_an_a4_pdf_with_fee_time_and_qr(world):
    from prima.catalogue import services as catalogue
    from prima.portal import posters

    response = Client().get(reverse("portal:poster", args=[SH, world["service"].code]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    version = catalogue.version_in_force(world["service"])
    html = posters.poster_html(world["office"], version, "https://example.org/p")  # type: ignore[arg-type]
    assert "Rp 350.000" in html and "4 (empat) hari kerja" in html
    assert "data:image/svg+xml;base64," in html
    from weasyprint import HTML

    pages = HTML(string=html).render().pages
    assert len(pages) == 1
    # A4 is 210 × 297 mm: 793.7 × 1122.5 CSS pixels.
    assert round(pages[0].width) == 794 and round(pages[0].height) == 1123


def test_the_public_schedule_lists_only_real_future_announced_conferences(world):
    from prima.portal import services

    titles = [a.title for a in services.public_announcements(world["office"])]
    assert titles == ["Konferensi pers kinerja Oktober"]


def test_the_qr_code_decodes_to_the_page_address():
    import base64
    import re

    from prima.portal import posters

    svg = base64.b64decode(posters.qr_svg_data_uri("https://example.org/x").split(",", 1)[1])
    assert svg.startswith(b"<?xml") and b"<svg" in svg
    assert re.search(rb'width="\d+"', svg)


def test_a_cached_page_goes_as_soon_as_it_is_withdrawn(world, personas):
    from prima.portal import services

    url = reverse("portal:publication", args=[SH, world["release"].slug])
    client = Client()
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200  # served from the page cache
    services.withdraw(personas["pr_lead"], world["release"], "Koreksi")
    assert client.get(url).status_code == 404
    news = client.get(reverse("portal:newsroom", args=[SH])).content.decode()
    assert "Rilis Kinerja Oktober" not in news


def test_a_published_clarification_is_in_the_newsroom_office_page_and_search(world):
    client = Client()
    url = reverse("portal:clarification", args=[SH, world["clarification"].pk])
    for page in (reverse("portal:newsroom", args=[SH]),
                 reverse("portal:newsroom", args=[SH]) + "?kind=clarification",
                 reverse("portal:office", args=[SH]),
                 reverse("portal:search", args=[SH]) + "?q=biaya+pemeriksaan"):  # fmt: skip
        text = client.get(page).content.decode()
        assert "Tidak ada biaya pemeriksaan imigrasi" in text and url in text, page
    page = client.get(url).content.decode()
    for needle in ["Hoaks (salah)", "Mulai bulan depan setiap penumpang membayar Rp500.000",
                   "<p>Laporkan pungutan di luar ketentuan.</p>",
                   'href="https://example.org/k/1"', "WhatsApp"]:  # fmt: skip
        assert needle in page, needle


def test_a_clarification_reads_in_english_where_the_office_gave_english(world):
    client = Client()
    url = reverse("portal:clarification", args=[SH, world["clarification"].pk])
    english = client.get(url + "?lang=en").content.decode()
    assert '<html lang="en">' in english and "No fee at the immigration check" in english
    assert "The immigration check at the airport is free of charge." in english
    assert "Hoax (false)" in english and "Tidak ada biaya" not in english
    found = client.get(reverse("portal:search", args=[SH]) + "?q=free+charge&lang=en")
    assert "No fee at the immigration check" in found.content.decode()
    feed = feedparser.parse(client.get(reverse("portal:feed", args=[SH]) + "?lang=en").content)
    assert "[Hoax (false)] No fee at the immigration check" in {e.title for e in feed.entries}
    # Without an English version the English page shows the Indonesian text, marked so.
    item = world["clarification"]
    type(item).objects.filter(pk=item.pk).update(title_en="", claim_en="", facts_en="")
    from prima.lib import shortcache

    shortcache.clear()  # the page kept by the page cache (the update sent no signal)
    fallback = client.get(url + "?lang=en").content.decode()
    assert "Tidak ada biaya pemeriksaan imigrasi" in fallback
    assert 'data-testid="clarification" lang="id"' in fallback


def test_a_withdrawn_clarification_leaves_the_portal_at_once(world, personas):
    from prima.crisis import clarifications

    client = Client()
    url = reverse("portal:clarification", args=[SH, world["clarification"].pk])
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200  # served from the page cache
    clarifications.withdraw(personas["pr_lead"], world["clarification"], reason="Data baru")
    assert client.get(url).status_code == 404
    news = client.get(reverse("portal:newsroom", args=[SH])).content.decode()
    assert "Tidak ada biaya pemeriksaan imigrasi" not in news
