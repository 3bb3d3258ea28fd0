"""The findings panels: beside a saved version (GET) and beside the editor (POST)."""

from __future__ import annotations

import pytest

from prima.conferences import workflow
from prima.conferences.tests.helpers import NOW
from prima.conftest import client_for

pytestmark = pytest.mark.usefixtures("english")

WRONG = "Biaya paspor biasa masa berlaku 10 tahun Rp 350.000 pada Rabu, 20 November 2025."


@pytest.fixture
def version(pr_staff, conference):
    return workflow.edit_material(pr_staff, conference, "statement", body=WRONG, now=NOW).current


def _url(version):
    return f"/documents/verification/versions/{version.pk}/"


def _live(conference, kind="statement"):
    return f"/documents/verification/conferences/{conference.pk}/{kind}/"


def test_anonymous_visitors_are_sent_to_log_in(version, conference):
    assert client_for(None).get(_url(version)).status_code == 302
    assert client_for(None).post(_live(conference), {"body": WRONG}).status_code == 302


def test_outsiders_get_404(version, conference, outsider, bali_supervisor):
    for user in (outsider, bali_supervisor):
        assert client_for(user).get(_url(version)).status_code == 404
        assert client_for(user).post(_live(conference), {"body": WRONG}).status_code == 404


def test_the_office_and_its_supervisors_see_the_findings(version, personas):
    for name in ("pr_staff", "pr_lead", "spokesperson", "head", "regional_supervisor"):
        response = client_for(personas[name], language="en").get(_url(version))
        assert response.status_code == 200, name
        html = response.content.decode()
        assert 'data-kind="contradiction"' in html and 'data-kind="weekday"' in html
        # The words are marked in the text, numbered like the findings.
        assert '<mark class="ver-mark ver-error"><a href="#ver-f1">Rp 350.000</a>' in html


def test_the_editor_panel_checks_the_posted_text(conference, pr_staff):
    client = client_for(pr_staff, language="en")
    response = client.post(_live(conference), {"title": "Siaran pers", "body": WRONG})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rp 650.000" in html and "Kamis, 20 November 2025" in html
    clean = client.post(_live(conference), {"body": "Biaya paspor biasa 5 tahun Rp 350.000."})
    assert "No problems found" in clean.content.decode()


def test_the_editor_panel_reads_key_messages_and_answers(conference, pr_staff):
    client = client_for(pr_staff, language="en")
    messages = client.post(
        _live(conference, "key_messages"), {"message_1": "Paspor biasa 10 tahun Rp 350.000."}
    )
    assert 'data-kind="contradiction"' in messages.content.decode()
    answers = client.post(
        _live(conference, "qa"),
        {"qa": "Q: Benarkah Rp 1 juta?\nA: Biaya paspor biasa 5 tahun Rp 350.000."},
    )
    html = answers.content.decode()
    assert 'data-testid="finding"' not in html  # the question's figure is not checked
    assert "not checked" in html


def test_unknown_kind_and_get_are_refused(conference, pr_staff):
    client = client_for(pr_staff)
    assert client.post(_live(conference, "nonsense"), {}).status_code == 404
    assert client.get(_live(conference)).status_code == 405


def test_the_material_editor_loads_the_panel_beside_the_text(conference, pr_staff, version):
    html = client_for(pr_staff).get(f"/conferences/{conference.pk}/material/statement/").content
    html = html.decode()  # type: ignore[assignment]
    assert f'hx-post="{_live(conference)}"' in html and 'hx-include="#material-form"' in html


def test_readers_who_cannot_edit_get_the_saved_findings(conference, version, regional_supervisor):
    page = client_for(regional_supervisor).get(f"/conferences/{conference.pk}/material/statement/")
    assert f'hx-get="{_url(version)}"' in page.content.decode()


def test_the_approval_view_shows_the_findings_and_takes_a_reason(
    pr_staff, head, conference, version
):
    material = version.material
    workflow.submit_material(pr_staff, material, now=NOW)
    page = client_for(head, language="en").get(
        f"/conferences/{conference.pk}/material/statement/review/"
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert f'hx-get="{_url(version)}"' in html
    assert 'data-testid="objections-statement"' in html and 'name="waiver_reason"' in html
    assert "Rp 350.000" in html
