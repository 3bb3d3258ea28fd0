"""The approver reads the whole version, and what changed since the last approved one,
before deciding."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from prima.conferences import workflow
from prima.conferences.models import MaterialKind
from prima.conftest import client_for

from .helpers import NOW

LONG = " ".join(f"kalimat{n}" for n in range(150)) + " PENUTUP-SIARAN."


def write(conference, user, body, *, approve_with=None):
    material = workflow.edit_material(
        user, conference, MaterialKind.STATEMENT, title="Siaran Pers", body=body, now=NOW
    )
    material = workflow.submit_material(user, material, now=NOW)
    if approve_with is not None:
        material = workflow.approve_material(approve_with, material, now=NOW)
    return material


def review_url(conference):
    return reverse("conferences:material-review", args=[conference.pk, MaterialKind.STATEMENT])


def test_the_whole_text_is_on_the_card_and_the_review_page(conference, pr_staff, head):
    write(conference, pr_staff, LONG)
    client = client_for(head)
    card = client.get(conference.get_absolute_url() + "?open=material").content.decode()
    assert "PENUTUP-SIARAN." in card  # nothing cut off on the approval card
    assert review_url(conference) in card and "Baca untuk persetujuan" in card
    page = client.get(review_url(conference)).content.decode()
    assert "PENUTUP-SIARAN." in page
    assert 'data-testid="no-approved-version"' in page
    assert 'data-testid="approve-statement"' in page


def test_what_changed_since_the_approved_version_is_shown(conference, pr_staff, head):
    write(conference, pr_staff, "Dua WNA dideportasi pada hari Senin.", approve_with=head)
    write(conference, pr_staff, "Tiga WNA dideportasi pada hari Senin melalui Terminal 3.")
    page = client_for(head).get(review_url(conference)).content.decode()
    diff = re.search(r'data-testid="diff">(.*?)</div>', page, re.S).group(1)
    assert "<del>Dua</del>" in diff and "<ins>Tiga</ins>" in diff
    assert "<ins> melalui Terminal 3.</ins>" in diff or "melalui Terminal 3" in diff
    assert "Dibandingkan dengan versi 1" in page
    card = client_for(head).get(conference.get_absolute_url()).content.decode()
    assert 'data-testid="changes"' in card


def test_the_author_reads_but_cannot_decide(conference, pr_staff, head):
    write(conference, pr_staff, "Teks siaran pers.")
    page = client_for(pr_staff).get(review_url(conference)).content.decode()
    assert "Teks siaran pers." in page
    assert 'data-testid="approve-statement"' not in page


def test_the_head_approves_from_the_review_page(conference, pr_staff, head):
    material = write(conference, pr_staff, "Teks siaran pers.")
    response = client_for(head).post(
        reverse("conferences:material-approve", args=[conference.pk, MaterialKind.STATEMENT]),
        {"version": material.version},
    )
    assert response.status_code == 302
    material.refresh_from_db()
    assert material.state == "approved"


@pytest.mark.parametrize("kind", [MaterialKind.KEY_MESSAGES, MaterialKind.QA])
def test_key_messages_and_qa_are_compared_too(conference, pr_staff, head, kind):
    first = (
        {"items": ["Layanan normal", "Data dicek"]}
        if kind == MaterialKind.KEY_MESSAGES
        else {"items": [{"question": "Berapa WNA?", "answer": "Dua orang."}]}  # type: ignore[list-item]
    )
    second = (
        {"items": ["Layanan normal", "Data dicek ulang", "Laporkan pungli"]}
        if kind == MaterialKind.KEY_MESSAGES
        else {"items": [{"question": "Berapa WNA?", "answer": "Tiga orang."}]}  # type: ignore[list-item]
    )
    m = workflow.edit_material(pr_staff, conference, kind, now=NOW, **first)  # type: ignore[arg-type]
    m = workflow.approve_material(head, workflow.submit_material(pr_staff, m, now=NOW), now=NOW)
    m = workflow.edit_material(pr_staff, conference, kind, now=NOW, **second)  # type: ignore[arg-type]
    workflow.submit_material(pr_staff, m, now=NOW)
    url = reverse("conferences:material-review", args=[conference.pk, kind])
    page = client_for(head).get(url).content.decode()
    assert "<ins>" in page
