"""Checklist items: complete with evidence, reopen, evidence files; htmx and plain forms."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext, override

from prima.conferences import workflow
from prima.conferences.models import ChecklistItem, Stage
from prima.conftest import client_for
from prima.organizations import audit

HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}


def indonesian(text) -> str:
    """What the page shows for an English source string (Indonesian is the default)."""
    with override("id"):
        return str(text) if isinstance(text, Promise) else gettext(text)


def _item(conference, kind="note", stage=Stage.INFORMATION) -> ChecklistItem:
    return (
        conference.checklist_items.filter(evidence_kind=kind, stage=stage).first()
        or conference.checklist_items.filter(evidence_kind=kind).first()
    )


def _complete_url(item):
    return reverse("conferences:checklist-complete", args=[item.conference_id, item.pk])


def test_it_completes_an_item_with_a_note_and_redirects_to_its_panel(conference, pr_staff):
    item = _item(conference)
    before = audit.history(conference).count()
    response = client_for(pr_staff).post(
        _complete_url(item), {"note": "Data dari Seksi Inteldakim", "version": item.version}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?open=information#panel-information")
    item.refresh_from_db()
    assert item.is_done and item.done_by == pr_staff
    assert item.evidence_note == "Data dari Seksi Inteldakim"
    assert audit.history(conference).count() == before + 1


def test_htmx_gets_the_panel_and_out_of_band_updates(conference, pr_staff):
    item = _item(conference)
    response = client_for(pr_staff).post(_complete_url(item), {"note": "Sudah"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="panel-information"')
    assert 'id="stage-track" class="conf-track" hx-swap-oob="true"' in html
    assert 'id="next-step"' in html and 'id="deadlines"' in html
    assert 'data-testid="flash"' in html
    assert f'data-testid="reopen-{item.code}"' in html


def test_missing_evidence_is_refused_at_the_item_and_nothing_changes(conference, pr_staff):
    item = _item(conference, kind="link")
    response = client_for(pr_staff).post(_complete_url(item), {"link": ""}, **HTMX)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-testid="row-error"' in html
    item.refresh_from_db()
    assert not item.is_done


def test_a_bad_link_is_refused_and_kept(conference, pr_staff):
    item = _item(conference, kind="link")
    response = client_for(pr_staff).post(_complete_url(item), {"link": "bukan tautan"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="bukan tautan"' in html
    assert 'data-testid="row-error"' in html


def test_a_stale_item_is_a_conflict(conference, pr_staff, pr_staff2):
    item = _item(conference)
    client_for(pr_staff2).post(
        _complete_url(item), {"note": "Dimas lebih dulu", "version": item.version}
    )
    client_for(pr_staff2).post(
        reverse("conferences:checklist-reopen", args=[conference.pk, item.pk]),
        {"version": item.version + 1},
    )
    # Rina still has the page from before both changes.
    response = client_for(pr_staff).post(
        _complete_url(item), {"note": "Rina", "version": item.version}
    )
    assert response.status_code == 409
    assert indonesian(workflow.ConflictError.default_message) in response.content.decode()
    item.refresh_from_db()
    assert not item.is_done


def test_it_reopens_an_item(conference, pr_staff):
    item = _item(conference)
    client = client_for(pr_staff)
    client.post(_complete_url(item), {"note": "Sudah"})
    item.refresh_from_db()
    response = client.post(
        reverse("conferences:checklist-reopen", args=[conference.pk, item.pk]),
        {"version": item.version},
        **HTMX,
    )
    assert response.status_code == 200
    item.refresh_from_db()
    assert not item.is_done
    assert item.evidence_note == "Sudah"  # kept for reference


def test_a_file_is_uploaded_and_downloaded_only_by_those_who_see_the_conference(
    conference, pr_staff, outsider
):
    item = _item(conference, kind="file")
    pdf = SimpleUploadedFile("undangan.pdf", b"%PDF-1.4 undangan", content_type="application/pdf")
    response = client_for(pr_staff).post(_complete_url(item), {"file": pdf})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.evidence_file
    url = reverse("conferences:checklist-evidence", args=[conference.pk, item.pk])
    page = client_for(pr_staff).get(f"{conference.get_absolute_url()}?open={item.stage}")
    assert url in page.content.decode()
    download = client_for(pr_staff).get(url)
    assert download.status_code == 200
    assert download.getvalue().startswith(b"%PDF")
    assert client_for(outsider).get(url).status_code == 404


def test_a_disguised_file_is_refused(conference, pr_staff):
    item = _item(conference, kind="file")
    fake = SimpleUploadedFile("undangan.pdf", b"MZ\x90\x00 not a pdf")
    response = client_for(pr_staff).post(_complete_url(item), {"file": fake})
    assert response.status_code == 400
    item.refresh_from_db()
    assert not item.is_done and not item.evidence_file


def test_an_item_of_another_conference_is_not_found(conference, crisis, pr_staff):
    item = _item(crisis)
    url = reverse("conferences:checklist-complete", args=[conference.pk, item.pk])
    assert client_for(pr_staff).post(url, {"note": "x"}).status_code == 404
