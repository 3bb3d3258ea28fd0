"""Material: writing versions, submitting, approval by the head only and never of one's own
text, returning with a reason, approval voided by an edit."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext, override

from prima.conferences import workflow
from prima.conferences.models import Material, MaterialKind, MaterialState, Stage
from prima.conftest import client_for

from .helpers import walk_to

HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}


def indonesian(text) -> str:
    """What the page shows for an English source string (Indonesian is the default)."""
    with override("id"):
        return str(text) if isinstance(text, Promise) else gettext(text)


def _edit_url(conference, kind):
    return reverse("conferences:material", args=[conference.pk, kind])


def _url(name, conference, kind):
    return reverse(f"conferences:material-{name}", args=[conference.pk, kind])


def _at_material(conference, personas, jubir):
    return walk_to(conference, Stage.MATERIAL, personas, spokesperson=jubir)


def test_key_messages_are_written_as_versions(conference, personas, jubir):
    conf = _at_material(conference, personas, jubir)
    client = client_for(personas["pr_staff"])
    assert client.get(_edit_url(conf, "key_messages")).status_code == 200
    response = client.post(
        _edit_url(conf, "key_messages"),
        {
            "message_1": "Layanan tetap berjalan 24 jam",
            "message_2": "Tambah 120 petugas",
            "message_3": "",
            "version": 0,
        },
    )
    assert response.status_code == 302
    material = Material.objects.get(conference=conf, kind="key_messages")
    assert material.current.items == ["Layanan tetap berjalan 24 jam", "Tambah 120 petugas"]
    # The editor shows the current text for the next version.
    page = client.get(_edit_url(conf, "key_messages")).content.decode()
    assert 'value="Tambah 120 petugas"' in page
    response = client.post(
        _edit_url(conf, "key_messages"),
        {
            "message_1": "Layanan tetap berjalan 24 jam",
            "message_2": "Tambah 150 petugas",
            "version": material.version,
        },
    )
    material.refresh_from_db()
    assert material.current.number == 2
    assert (
        client.get(_edit_url(conf, "key_messages")).content.decode().count('data-testid="version"')
        == 2
    )


def test_qa_pairs_are_read_from_the_text(conference, personas, jubir):
    conf = _at_material(conference, personas, jubir)
    client_for(personas["pr_staff"]).post(
        _edit_url(conf, "qa"),
        {
            "qa": "Q: Berapa WNA?\nA: Dua orang.\n\nT: Dari negara mana?\nJ: Nigeria.",
            "version": 0,
        },
    )
    material = Material.objects.get(conference=conf, kind="qa")
    assert material.current.items == [
        {"question": "Berapa WNA?", "answer": "Dua orang."},
        {"question": "Dari negara mana?", "answer": "Nigeria."},
    ]


def test_an_empty_statement_is_refused_and_the_title_kept(conference, personas, jubir):
    conf = _at_material(conference, personas, jubir)
    response = client_for(personas["pr_staff"]).post(
        _edit_url(conf, "statement"),
        {
            "title": "SIARAN PERS Nomor 12",
            "body": "",
            "version": 0,
        },
    )
    assert response.status_code == 400
    assert 'value="SIARAN PERS Nomor 12"' in response.content.decode()
    assert not Material.objects.exists()


def test_a_stale_material_edit_is_a_conflict(conference, personas, jubir):
    conf = _at_material(conference, personas, jubir)
    material = workflow.edit_material(personas["pr_staff"], conf, "statement", body="Teks 1")
    seen = material.version
    workflow.edit_material(
        personas["pr_lead"], conf, "statement", body="Teks 2", expected_version=seen
    )
    response = client_for(personas["pr_staff"]).post(
        _edit_url(conf, "statement"), {"body": "Teks Rina", "version": seen}
    )
    assert response.status_code == 409
    assert "Teks Rina" in response.content.decode()


def test_the_head_approves_what_others_wrote(conference, personas, jubir):
    conf = _at_material(conference, personas, jubir)
    material = workflow.edit_material(personas["pr_staff"], conf, "statement", body="Teks")
    response = client_for(personas["pr_staff"]).post(
        _url("submit", conf, "statement"), {"version": material.version}, **HTMX
    )
    assert response.status_code == 200
    material.refresh_from_db()
    assert material.state == MaterialState.SUBMITTED
    page = client_for(personas["head"]).get(conf.get_absolute_url()).content.decode()
    assert 'data-testid="approve-statement"' in page
    response = client_for(personas["head"]).post(
        _url("approve", conf, "statement"), {"version": material.version}, **HTMX
    )
    assert response.status_code == 200
    material.refresh_from_db()
    assert material.state == MaterialState.APPROVED
    assert material.current.approved_by == personas["head"]


def test_nobody_approves_material_they_wrote(conference, personas, jubir):
    conf = _at_material(conference, personas, jubir)
    head = personas["head"]
    material = workflow.edit_material(head, conf, "statement", body="Teks kepala kantor")
    workflow.submit_material(head, material)
    material.refresh_from_db()
    page = client_for(head).get(conf.get_absolute_url()).content.decode()
    assert 'data-testid="approve-statement"' not in page
    assert 'data-testid="self-approval-note"' in page
    response = client_for(head).post(
        _url("approve", conf, "statement"), {"version": material.version}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert indonesian("You wrote (part of) this material; someone else must approve it.") in html
    material.refresh_from_db()
    assert material.state == MaterialState.SUBMITTED


def test_pr_staff_may_not_approve(conference, personas, jubir):
    conf = _at_material(conference, personas, jubir)
    material = workflow.edit_material(personas["pr_staff2"], conf, "statement", body="Teks")
    workflow.submit_material(personas["pr_staff2"], material)
    response = client_for(personas["pr_staff"]).post(_url("approve", conf, "statement"), {})
    assert response.status_code == 403


def test_the_head_returns_material_with_a_reason(conference, personas, jubir):
    conf = _at_material(conference, personas, jubir)
    material = workflow.edit_material(personas["pr_staff"], conf, "statement", body="Teks")
    workflow.submit_material(personas["pr_staff"], material)
    material.refresh_from_db()
    client = client_for(personas["head"])
    refused = client.post(
        _url("return", conf, "statement"), {"reason": "", "version": material.version}
    )
    assert refused.status_code == 400
    response = client.post(
        _url("return", conf, "statement"),
        {"reason": "Tambahkan data jumlah penumpang", "version": material.version},
    )
    assert response.status_code == 302
    material.refresh_from_db()
    assert material.state == MaterialState.RETURNED
    page = client_for(personas["pr_staff"]).get(conf.get_absolute_url()).content.decode()
    assert "Tambahkan data jumlah penumpang" in page


def test_an_edit_after_approval_voids_it(conference, personas, jubir):
    conf = _at_material(conference, personas, jubir)
    material = workflow.edit_material(personas["pr_staff"], conf, "statement", body="Teks")
    workflow.submit_material(personas["pr_staff"], material)
    workflow.approve_material(personas["head"], material)
    material.refresh_from_db()
    page = client_for(personas["pr_staff"]).get(_edit_url(conf, "statement")).content.decode()
    assert 'class="conf-warn small"' in page
    client_for(personas["pr_staff"]).post(
        _edit_url(conf, "statement"), {"body": "Teks baru", "version": material.version}
    )
    material.refresh_from_db()
    assert material.state == MaterialState.DRAFT


def test_an_unknown_kind_is_not_found(conference, pr_staff):
    assert client_for(pr_staff).get(_edit_url(conference, "press_kit")).status_code == 404


def test_material_cannot_change_once_under_way(conference, personas, jubir):
    conf = walk_to(conference, Stage.EXECUTION, personas, spokesperson=jubir)
    client = client_for(personas["pr_staff"])
    page = client.get(_edit_url(conf, MaterialKind.STATEMENT)).content.decode()
    assert 'data-testid="material-form"' not in page
    response = client.post(_edit_url(conf, MaterialKind.STATEMENT), {"body": "Teks baru"})
    assert response.status_code == 400
    assert 'data-testid="error"' in response.content.decode()


def test_the_material_pages_query_counts_do_not_grow_with_versions(
    conference, personas, django_assert_max_num_queries
):
    staff, head = personas["pr_staff"], personas["head"]
    material = workflow.edit_material(staff, conference, "statement", body="Versi 1.")
    material = workflow.submit_material(staff, material)
    pages = (_edit_url(conference, "statement"), f"{_edit_url(conference, 'statement')}review/")
    client = client_for(head)
    counts = []
    for url in pages:
        client.get(url)
        # session, user, conference, memberships, the material, its versions, their authors
        with django_assert_max_num_queries(7) as few:
            assert client.get(url).status_code == 200
        counts.append(len(few.captured_queries))
    for i in range(4):
        material = workflow.return_material(head, material, reason="Perbaiki.")
        material = workflow.edit_material(staff, conference, "statement", body=f"Versi {i + 2}.")
        material = workflow.submit_material(staff, material)
    for url, count in zip(pages, counts, strict=True):
        client.get(url)  # the verification's findings are kept for a few seconds
        with django_assert_max_num_queries(count):
            client.get(url)
