"""A published release links the PDF/DOCX generated from exactly its version, with the
SHA-256; the files are served to anyone only while the publication is public, and only
documents that are done and made from that version (never generated on request)."""

from __future__ import annotations

import base64
import hashlib

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from prima.conferences.models import Material, MaterialKind, MaterialState, MaterialVersion
from prima.documents.generation import services as generation
from prima.documents.generation.builders import Source
from prima.documents.models import GeneratedDocument, GenerationStatus
from prima.lib import shortcache
from prima.portal import services

from .conftest import generated

pytestmark = pytest.mark.django_db
SH = "soetta"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _page(publication) -> str:
    url = reverse("portal:publication", args=[SH, publication.slug])
    response = Client().get(url)
    assert response.status_code == 200
    return response.content.decode()


def _file_url(publication, doc: GeneratedDocument) -> str:
    return reverse("portal:publication-file", args=[SH, publication.slug, doc.pk])


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_page_links_the_pdf_with_its_checksum(world):
    release, pdf = world["release"], world["release_pdf"]
    page = _page(release)
    assert _file_url(release, pdf) in page
    assert pdf.sha256 in page and "sha256sum" in page
    assert "Unduh dokumen" in page and "PDF · Bahasa Indonesia" in page
    assert "Unduh dokumen" not in _page(world["story"])  # a story has no generated file


def test_the_download_is_the_stored_file_with_its_checksum(world):
    release, pdf = world["release"], world["release_pdf"]
    response = Client().get(_file_url(release, pdf))
    assert response.status_code == 200
    body = _body(response)
    with pdf.file.open("rb") as stored:
        assert body == stored.read()
    assert hashlib.sha256(body).hexdigest() == pdf.sha256
    assert response["Content-Disposition"].startswith("attachment;")
    assert pdf.filename in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"
    assert "public" in response["Cache-Control"] and "max-age" in response["Cache-Control"]
    assert not response.cookies
    digest = base64.b64encode(hashlib.sha256(body).digest()).decode()
    assert response["Repr-Digest"] == f"sha-256=:{digest}:"
    again = Client().get(_file_url(release, pdf), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_a_logged_in_visitor_gets_a_private_answer(world, personas):
    client = Client()
    client.force_login(personas["pr_staff"])
    response = client.get(_file_url(world["release"], world["release_pdf"]))
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda v: generated(v, status=GenerationStatus.RUNNING), id="running"),
        pytest.param(lambda v: generated(v, status=GenerationStatus.FAILED), id="failed"),
        pytest.param(lambda v: generated(v, status=GenerationStatus.PENDING), id="pending"),
        pytest.param(lambda v: generated(v, number=v.number + 1), id="another-version"),
        pytest.param(lambda v: generated(v, kind="holding_statement"), id="another-kind"),
        pytest.param(
            lambda v: generated(v, made={"statement": v.number, "not_approved": ["statement"]}),
            id="made-before-approval",
        ),
    ],
)
def test_no_link_and_404_for_a_document_not_made_from_the_published_version(world, make):
    release = world["release"]
    GeneratedDocument.objects.filter(pk=world["release_pdf"].pk).delete()
    doc = make(release.material_version)
    assert "Unduh dokumen" not in _page(release)
    assert Client().get(_file_url(release, doc)).status_code == 404


def test_a_document_of_another_conference_is_404(world):
    other = world["prepared"].material_version
    doc = generated(other)
    assert Client().get(_file_url(world["release"], doc)).status_code == 404


def test_the_newest_file_per_format_and_language_is_linked_and_older_ones_still_served(world):
    release, first = world["release"], world["release_pdf"]
    version = release.material_version
    newer = generated(version)
    docx = generated(version, fmt="docx")
    english = generated(version, language="en")
    page = _page(release)
    assert _file_url(release, first) not in page
    for doc in (newer, docx, english):
        assert _file_url(release, doc) in page
    # Indonesian PDF, Indonesian DOCX, English PDF.
    assert page.index(newer.sha256) < page.index(docx.sha256) < page.index(english.sha256)
    url = reverse("portal:publication", args=[SH, release.slug]) + "?lang=en"
    in_english = Client().get(url).content.decode()
    assert in_english.index(english.sha256) < in_english.index(newer.sha256)
    assert "PDF · English" in in_english and "Download the document" in in_english
    assert Client().get(_file_url(release, first)).status_code == 200


def test_a_withdrawn_release_stops_serving_its_file_at_once(world, personas):
    release, pdf = world["release"], world["release_pdf"]
    assert Client().get(_file_url(release, pdf)).status_code == 200
    services.withdraw(personas["pr_lead"], release, "Data keliru")
    assert Client().get(_file_url(release, pdf)).status_code == 404


def test_a_new_document_shows_on_a_cached_page(world):
    release = world["release"]
    assert "DOCX" not in _page(release)  # now in the page cache
    docx = generated(release.material_version, fmt="docx")
    assert _file_url(release, docx) in _page(release)


def test_a_published_holding_statement_links_its_holding_statement_document(world, personas):
    staff, lead = personas["pr_staff"], personas["pr_lead"]
    conference = world["prepared"].material_version.material.conference
    material = Material.objects.create(
        conference=conference, kind=MaterialKind.HOLDING_STATEMENT, state=MaterialState.APPROVED
    )
    version = MaterialVersion.objects.create(
        material=material, number=1, title="Keterangan", author=staff,
        body="Kami sedang memeriksa informasi ini.", approved_by=personas["head"],
        approved_at=timezone.now(),
    )  # fmt: skip
    statement = services.publish(
        lead, services.prepare_release(staff, version, kind="statement", title="Keterangan awal")
    )
    release_doc = generated(version, kind="press_release")
    holding = generated(version, kind="holding_statement")
    page = _page(statement)
    assert _file_url(statement, holding) in page and _file_url(statement, release_doc) not in page


def test_the_open_data_api_lists_the_files(world):
    cache.clear()
    shortcache.clear()
    rows = Client().get(f"/api/v1/public/offices/{SH}/releases").json()
    by_title = {r["title"]: r for r in rows}
    files = by_title["Rilis Kinerja Oktober"]["files"]
    pdf = world["release_pdf"]
    assert len(files) == 1 and files[0]["url"].endswith(_file_url(world["release"], pdf))
    assert {k: v for k, v in files[0].items() if k != "url"} == {
        "format": "pdf", "language": "id", "sha256": pdf.sha256, "size": pdf.size,
    }  # fmt: skip
    assert by_title["Paspor lansia ditemukan"]["files"] == []


def test_a_really_generated_release_is_served_as_generated(world, personas):
    """End to end: the documents app generates the DOCX of the published statement; the
    public page links it and serves exactly its bytes."""
    release = world["release"]
    conference = release.material_version.material.conference
    source = Source(office=world["office"], conference=conference)
    doc = generation.request_generation(personas["pr_staff"], "press_release", source, fmt="docx")
    done = generation.run(doc.pk)
    assert done is not None and done.status == GenerationStatus.DONE
    doc = done
    assert _file_url(release, doc) in _page(release)
    body = _body(Client().get(_file_url(release, doc)))
    assert body[:2] == b"PK" and hashlib.sha256(body).hexdigest() == doc.sha256
