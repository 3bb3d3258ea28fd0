"""Pages and API of document generation: who may open, generate and download what (401/302
anonymous, 404 outsiders, 403 without the right), and what the pages show."""

from __future__ import annotations

import pytest

from prima.conftest import client_for
from prima.crisis.models import Case
from prima.documents.models import GeneratedDocument, GenerationStatus

from .generation_helpers import STATEMENT, approved, letterhead

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
READERS = ("pr_staff", "pr_lead", "spokesperson", "head", "regional_supervisor")
WRITERS = ("pr_staff", "pr_lead", "spokesperson", "head")


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = IMMEDIATE


@pytest.fixture
def ready(conference, sri, pr_staff, head, offices):
    letterhead(offices["soetta"])
    approved(pr_staff, head, conference, "statement", title="Loket tambahan", body=STATEMENT)
    return conference


@pytest.fixture
def case(offices):
    return Case.objects.create(office=offices["soetta"], title="Antrean autogate viral")


@pytest.fixture
def doc(ready, pr_staff, django_capture_on_commit_callbacks):
    client = client_for(pr_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/documents/generate/", {"kind": "press_release", "conference": ready.pk}
        )
    assert response.status_code == 302
    return GeneratedDocument.objects.get()


def _pages(conference, case, doc):
    return [
        "/documents/",
        f"/documents/conferences/{conference.pk}/",
        f"/documents/cases/{case.pk}/",
        f"/documents/{doc.pk}/",
        f"/documents/{doc.pk}/download/",
    ]


def test_anonymous_visitors_are_sent_to_log_in(ready, case, doc):
    client = client_for(None)
    for url in _pages(ready, case, doc):
        assert client.get(url).status_code == 302, url
    assert client.post("/documents/generate/", {"kind": "rundown"}).status_code == 302
    assert client.get("/api/v1/documents").status_code == 401
    assert client.get(f"/api/v1/documents/{doc.pk}").status_code == 401
    assert client.post("/api/v1/documents", {}, content_type="application/json").status_code == 401


def test_outsiders_get_404(ready, case, doc, outsider, bali_supervisor):
    for user in (outsider, bali_supervisor):
        client = client_for(user)
        for url in _pages(ready, case, doc)[1:]:
            assert client.get(url).status_code == 404, (user, url)
        posted = client.post("/documents/generate/", {"kind": "rundown", "conference": ready.pk})
        assert posted.status_code == 404
        assert client.get(f"/api/v1/documents/{doc.pk}").status_code == 404
        assert client.get("/api/v1/documents").json()["items"] == []


def test_the_office_and_its_supervisors_see_and_download(ready, case, doc, personas):
    for name in READERS:
        client = client_for(personas[name])
        for url in _pages(ready, case, doc):
            response = client.get(url)
            assert response.status_code == 200, (name, url)
        download = client.get(f"/documents/{doc.pk}/download/")
        assert download["Content-Disposition"].startswith("attachment")
        assert b"".join(download.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    page = client_for(personas["pr_staff"]).get(f"/documents/conferences/{ready.pk}/")
    html = page.content.decode()
    assert doc.sha256[:12] in html and 'data-testid="generate-press_release"' in html


def test_supervisors_may_not_generate(ready, regional_supervisor):
    client = client_for(regional_supervisor)
    response = client.post("/documents/generate/", {"kind": "rundown", "conference": ready.pk})
    assert response.status_code == 403
    assert (
        'data-testid="generate-'
        not in client.get(f"/documents/conferences/{ready.pk}/").content.decode()
    )


def test_every_writer_generates_and_htmx_gets_the_row(
    ready, personas, django_capture_on_commit_callbacks
):
    for name in WRITERS:
        client = client_for(personas[name])
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/documents/generate/",
                {"kind": "rundown", "conference": ready.pk, "format": "docx"},
                HTTP_HX_REQUEST="true",
            )
        assert response.status_code == 200, name
        assert 'data-testid="document-row"' in response.content.decode()
    numbers = sorted(GeneratedDocument.objects.values_list("number", flat=True))
    assert numbers == [1, 2, 3, 4]


def test_a_bad_request_is_a_400_with_the_reason(ready, pr_staff):
    client = client_for(pr_staff, language="en")
    for data in (
        {"kind": "nope"},
        {"kind": "rundown"},
        {"kind": "rundown", "conference": "x"},
        {"kind": "rundown", "conference": ready.pk, "format": "exe"},
        {"kind": "media_analysis", "office": ready.office_id, "start": "2025-13-01"},
    ):
        response = client.post("/documents/generate/", data)
        assert response.status_code == 400, data
        assert 'data-testid="refused"' in response.content.decode()


def test_the_crisis_log_is_generated_from_the_case_page(
    case, pr_staff, django_capture_on_commit_callbacks
):
    client = client_for(pr_staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/documents/generate/", {"kind": "crisis_log", "case": case.pk})
    doc = GeneratedDocument.objects.get()
    assert doc.case == case and doc.status == GenerationStatus.DONE
    assert doc.sha256[:12] in client.get(f"/documents/cases/{case.pk}/").content.decode()


def test_pages_of_lower_apps_link_to_the_documents(ready, case, pr_staff):
    client = client_for(pr_staff)
    html = client.get(f"/conferences/{ready.pk}/").content.decode()
    assert f'href="/documents/conferences/{ready.pk}/" data-testid="page-link-documents"' in html
    html = client.get(f"/crisis/cases/{case.pk}/").content.decode()
    assert f'href="/documents/cases/{case.pk}/" data-testid="page-link-documents"' in html
    html = client.get("/monitoring/").content.decode()
    assert 'data-testid="page-link-documents"' in html


def test_the_api_lists_generates_and_describes(
    ready, pr_staff, regional_supervisor, django_capture_on_commit_callbacks
):
    client = client_for(pr_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/documents",
            {"kind": "press_release", "conference": ready.pk, "format": "docx"},
            content_type="application/json",
        )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["number"] == 1 and created["format"] == "docx"
    detail = client.get(f"/api/v1/documents/{created['id']}").json()
    assert detail["status"] == "done" and len(detail["sha256"]) == 64
    assert detail["download_url"] == f"/documents/{created['id']}/download/"
    assert detail["source_versions"] == {"statement": 1}
    listing = client.get(f"/api/v1/documents?conference_id={ready.pk}").json()
    assert [d["id"] for d in listing["items"]] == [created["id"]]
    refused = client.post(
        "/api/v1/documents", {"kind": "press_release"}, content_type="application/json"
    )
    assert refused.status_code == 400
    supervisor = client_for(regional_supervisor)
    forbidden = supervisor.post(
        "/api/v1/documents",
        {"kind": "rundown", "conference": ready.pk},
        content_type="application/json",
    )
    assert forbidden.status_code == 403
    assert supervisor.get(f"/api/v1/documents/{created['id']}").status_code == 200


def test_the_english_text_page(ready, personas, outsider):
    url = f"/documents/conferences/{ready.pk}/english/statement/"
    assert client_for(None).get(url).status_code == 302
    assert client_for(outsider).get(url).status_code == 404
    assert (
        client_for(personas["pr_staff"])
        .get(f"/documents/conferences/{ready.pk}/english/qa/")
        .status_code
        == 404
    )  # no Q&A yet
    supervisor = client_for(personas["regional_supervisor"])
    assert supervisor.get(url).status_code == 200
    assert supervisor.post(url, {"title": "x", "body": "y"}).status_code == 403
    for name in WRITERS:
        client = client_for(personas[name])
        assert client.get(url).status_code == 200, name
        response = client.post(url, {"title": "Extra counters", "body": f"Text by {name}"})
        assert response.status_code == 302, name
    version = ready.materials.get(kind="statement").versions.get()
    assert version.english_text.body == "Text by head"
    from prima.documents.verification import services as verification

    verification.verify_version(version)
    page = client_for(personas["pr_staff"]).get(f"/documents/conferences/{ready.pk}/")
    html = page.content.decode()
    assert 'data-testid="english-statement"' in html
    # The last automatic verification of the version the documents are made from.
    assert f'href="/documents/verification/versions/{version.pk}/"' in html


def test_the_documents_page_costs_the_same_queries_for_more_documents(
    ready, pr_staff, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    from prima.documents.generation import builders, services

    source = builders.Source(office=ready.office, conference=ready)

    def make(n):
        for _ in range(n):
            with django_capture_on_commit_callbacks(execute=True):
                services.request_generation(pr_staff, "rundown", source)

    client = client_for(pr_staff)
    make(1)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert client.get("/documents/").status_code == 200
    make(5)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get("/documents/")
    assert page.content.decode().count('data-testid="document-row"') == 6


def test_a_waiting_document_polls_its_status_and_a_ready_one_stops(ready, pr_staff, settings):
    from prima.documents.generation import builders, services

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    source = builders.Source(office=ready.office, conference=ready)
    doc = services.request_generation(pr_staff, "rundown", source)  # queued, no worker
    client = client_for(pr_staff)
    html = client.get(f"/documents/{doc.pk}/").content.decode()
    assert f'hx-get="/documents/{doc.pk}/" hx-trigger="every 1s"' in html and "<progress" in html
    assert client.get(f"/documents/{doc.pk}/download/").status_code == 404  # not made yet
    services.run(doc.pk)
    html = client.get(f"/documents/{doc.pk}/").content.decode()
    assert "hx-trigger" not in html and 'data-testid="download"' in html
