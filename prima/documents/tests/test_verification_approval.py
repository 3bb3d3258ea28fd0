"""Drafts are checked when saved; errors block approval unless the approver records a
reasoned waiver, whichever way approval is asked for (workflow, page)."""

from __future__ import annotations

import pytest

from prima.conferences import workflow
from prima.conferences.models import Fact, MaterialState
from prima.conferences.tests.helpers import NOW
from prima.conftest import client_for
from prima.documents.models import Verification, Waiver
from prima.documents.verification import services
from prima.organizations.models import AuditEntry

pytestmark = pytest.mark.usefixtures("english")

WRONG = "Biaya paspor biasa masa berlaku 10 tahun Rp 350.000, selesai 4 (empat) hari kerja."
RIGHT = "Biaya paspor biasa masa berlaku 10 tahun Rp 650.000, selesai 4 (empat) hari kerja."


def _submitted(pr_staff, conference, body=WRONG, kind="statement"):
    material = workflow.edit_material(pr_staff, conference, kind, body=body, now=NOW)
    return workflow.submit_material(pr_staff, material, now=NOW)


def test_a_saved_version_is_checked_once_it_commits(
    pr_staff, conference, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        material = workflow.edit_material(pr_staff, conference, "statement", body=WRONG, now=NOW)
    run = Verification.objects.get(version=material.current)
    assert (run.errors, run.findings[0]["kind"], run.findings[0]["text"]) == (
        1,
        "contradiction",
        "Rp 350.000",
    )
    assert run.findings[0]["expected"] == "Rp 650.000"
    assert run.findings[0]["fact_url"].startswith("/catalogue/")


def test_errors_block_approval(pr_staff, head, conference):
    material = _submitted(pr_staff, conference)
    with pytest.raises(workflow.ApprovalBlocked) as refused:
        workflow.approve_material(head, material, now=NOW)
    assert "1 error" in refused.value.message
    material.refresh_from_db()
    assert material.state == MaterialState.SUBMITTED
    assert material.current.approved_at is None
    assert not AuditEntry.objects.filter(action="material.approve").exists()


def test_a_reasoned_waiver_lets_the_approver_through_and_is_audited(pr_staff, head, conference):
    material = _submitted(pr_staff, conference)
    reason = "Tarif lama sengaja dikutip sebagai pembanding; disetujui."
    workflow.approve_material(head, material, now=NOW, waiver_reason=reason)
    material.refresh_from_db()
    assert material.state == MaterialState.APPROVED
    waiver = Waiver.objects.get()
    assert (waiver.reason, waiver.waived_by, waiver.version) == (reason, head, material.current)
    assert [f["text"] for f in waiver.findings] == ["Rp 350.000"]
    entry = AuditEntry.objects.get(action="verification.waive")
    assert entry.actor == head and entry.office == conference.office
    assert entry.after["reason"] == reason
    approval = AuditEntry.objects.get(action="material.approve")
    state = next(iter(approval.after.values()))
    assert state["waiver"]["reason"] == reason


def test_a_blank_reason_is_no_waiver(pr_staff, head, conference):
    material = _submitted(pr_staff, conference)
    with pytest.raises(workflow.ApprovalBlocked):
        workflow.approve_material(head, material, now=NOW, waiver_reason="   ")
    assert not Waiver.objects.exists()


def test_warnings_do_not_block(pr_staff, head, conference):
    material = _submitted(pr_staff, conference, body="Antrean 40 menit pada akhir pekan.")
    workflow.approve_material(head, material, now=NOW)
    material.refresh_from_db()
    assert material.state == MaterialState.APPROVED
    assert not Waiver.objects.exists()


def test_a_corrected_version_passes(pr_staff, head, conference):
    material = _submitted(pr_staff, conference, body=RIGHT)
    workflow.approve_material(head, material, now=NOW)
    material.refresh_from_db()
    assert material.state == MaterialState.APPROVED


def test_a_new_verified_fact_changes_the_findings(pr_staff, pr_staff2, conference):
    material = workflow.edit_material(
        pr_staff, conference, "statement", body="Sebanyak 13 WNA dideportasi kemarin.", now=NOW
    )
    first = services.verify_version(material.current)  # type: ignore[arg-type]
    assert [f["kind"] for f in first.findings if f["severity"] != "info"] == ["unsupported"]
    fact = workflow.add_fact(
        pr_staff,
        conference,
        statement="Sebanyak 12 WNA dideportasi pada 18 November 2025.",
        source="Seksi Inteldakim",
        now=NOW,
    )
    # Not verified yet:
    assert services.verify_version(material.current).pk == first.pk  # type: ignore[arg-type]
    workflow.verify_fact(pr_staff2, Fact.objects.get(pk=fact.pk), now=NOW)
    second = services.verify_version(material.current)  # type: ignore[arg-type]
    assert second.pk != first.pk and second.errors == 1
    assert second.findings[0]["expected"] == "12 WNA"


def test_the_quoted_spokesperson_is_checked_against_the_appointment(
    pr_staff, head, conference, sri, offices
):
    from prima.conferences.tests.helpers import registry_entry

    registry_entry(offices["soetta"], head, name="Budi Santoso")
    body = "“Tidak ada pungli,” kata Budi Santoso, Kepala Kantor."
    material = workflow.edit_material(pr_staff, conference, "statement", body=body, now=NOW)
    run = services.verify_version(material.current)  # type: ignore[arg-type]
    (finding,) = [f for f in run.findings if f["kind"] == "spokesperson"]
    assert finding["severity"] == "error" and finding["expected"] == "Sri Handayani"


def test_the_detail_page_shows_the_objection_and_takes_a_reason(pr_staff, head, conference):
    material = _submitted(pr_staff, conference)
    client = client_for(head, language="en")
    page = client.get(conference.get_absolute_url() + "?open=material")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="objections-statement"' in html
    assert "Rp 350.000" in html and 'name="waiver_reason"' in html
    url = f"/conferences/{conference.pk}/material/statement/approve/"
    refused = client.post(url, {"version": material.version}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 400
    assert "Approval is blocked" in refused.content.decode()
    material.refresh_from_db()
    assert material.state == MaterialState.SUBMITTED
    done = client.post(url, {"version": material.version, "waiver_reason": "Sudah dicek ulang."})
    assert done.status_code == 302
    material.refresh_from_db()
    assert material.state == MaterialState.APPROVED
    assert Waiver.objects.get().reason == "Sudah dicek ulang."


def test_verification_runs_are_kept_per_language(pr_staff, conference):
    from django.utils import translation

    material = workflow.edit_material(pr_staff, conference, "statement", body=WRONG, now=NOW)
    english = services.verify_version(material.current)  # type: ignore[arg-type]
    with translation.override("id"):
        indonesian = services.verify_version(material.current)  # type: ignore[arg-type]
    assert english.pk != indonesian.pk
