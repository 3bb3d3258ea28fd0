"""The monthly indicator report of an office and of a Kanwil as a document (DOCX, PDF):
who may make it, and the figures read back from the file."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import translation
from docx import Document
from pypdf import PdfReader

from prima.conftest import client_for, make_person
from prima.documents.generation.models import GeneratedDocument
from prima.evaluation import indicators_document, rollups
from prima.evaluation.models import IndicatorTarget
from prima.organizations.models import Role, User

REPORT = reverse("evaluation:indicators-report")
MAY = "2026-05"


def _text(doc: GeneratedDocument) -> tuple[str, list[list[str]]]:
    """The file's text and (DOCX only) its tables' rows, as prima/documents tests read."""
    with doc.file.open("rb") as handle:
        data = handle.read()
    if doc.format == "docx":
        document = Document(io.BytesIO(data))
        rows = [[cell.text for cell in row.cells] for t in document.tables for row in t.rows]
        text = "\n".join([p.text for p in document.paragraphs] + ["\n".join(r) for r in rows])
        return text, rows
    text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split()), []


@pytest.fixture
def kanwil_head(scenario) -> User:
    return make_person("kanwil-head", scenario.offices["kanwil"], Role.HEAD)


def _post(user, office, fmt="pdf", period=MAY):
    url = f"{REPORT}?office={office.pk}&period={period}"
    return client_for(user, "id").post(url, {"format": fmt})


def test_anonymous_visitors_are_sent_to_log_in(db):
    response = client_for(None).post(REPORT, {"format": "pdf"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_who_may_make_the_report(scenario, personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    soetta = scenario.offices["soetta"]
    expected = {
        "pr_staff": 403,  # reads the indicators, may not export them
        "spokesperson": 403,  # no right to indicators
        "regional_supervisor": 302,  # exports the roll-ups, so makes their report too
        "outsider": 404,  # Soekarno-Hatta does not exist for Jakarta Pusat's staff
        "head": 302,
        "pr_lead": 302,
    }
    for name, status in expected.items():
        assert _post(personas[name], soetta).status_code == status, name
    assert GeneratedDocument.objects.filter(kind="indicators").count() == 3
    assert client_for(personas["head"]).get(REPORT, {"office": soetta.pk}).status_code == 405
    # the page offers the buttons to those who may use them, for a month only
    page = client_for(personas["head"], "id").get(
        reverse("evaluation:indicators"), {"office": soetta.pk, "period": MAY}
    )
    assert 'data-testid="indicators-document"' in page.content.decode()
    year = client_for(personas["head"], "id").get(
        reverse("evaluation:indicators"), {"office": soetta.pk, "period": "2026"}
    )
    assert 'data-testid="indicators-document"' not in year.content.decode()
    staff = client_for(personas["pr_staff"], "id").get(
        reverse("evaluation:indicators"), {"office": soetta.pk, "period": MAY}
    )
    assert 'data-testid="indicators-document"' not in staff.content.decode()


def test_bad_input_goes_back_to_the_page(scenario, personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    soetta = scenario.offices["soetta"]
    for fmt, period in (("odt", MAY), ("pdf", "2026"), ("pdf", "2026-Q2")):
        response = _post(personas["head"], soetta, fmt, period)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("evaluation:indicators"))
    assert _post(personas["head"], soetta, "pdf", "2026-13").status_code == 400
    assert not GeneratedDocument.objects.exists()


def test_the_office_report_read_back(scenario, personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    soetta = scenario.offices["soetta"]
    IndicatorTarget.objects.create(
        office=scenario.offices["dg"], level="office", indicator="conf_full_share", value=80
    )
    for fmt in ("pdf", "docx"):
        response = _post(personas["head"], soetta, fmt)
        doc = GeneratedDocument.objects.latest("pk")
        assert response["Location"] == reverse("documents:download", args=[doc.pk])
        assert doc.is_done and doc.format == fmt and doc.office == soetta
        assert (str(doc.period_from), str(doc.period_to)) == ("2026-05-01", "2026-05-31")
        text, rows = _text(doc)
        assert "LAPORAN INDIKATOR BULANAN" in text and "Mei 2026" in text
        assert "Konferensi pers" in text or "Konferensi Pers" in text
        assert "tidak mencapai target 80%" in text  # missing the target, in words
        if fmt == "docx":
            with translation.override("id"):
                result = rollups.rollup(soetta, rollups.Period.parse(MAY))
            row = result.rows[0]
            expected = [row.label, row.cells["conf_regular"].text()]
            assert any(r[:2] == expected for r in rows), rows
            assert not any(r[0] == "Total" for r in rows)  # an office alone: no total line


def test_the_kanwil_report_has_its_offices_and_the_total(scenario, kanwil_head, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    kanwil = scenario.offices["kanwil"]
    with translation.override("id"):
        result = rollups.rollup(kanwil, rollups.Period.parse(MAY))
        expected = {
            row.label: [row.cells[i].text() for i in ("conf_regular", "conf_incidental")]
            for row in indicators_document.units(result)
        }
    assert len(expected) == 3  # Jakarta Pusat, Soekarno-Hatta and the total
    for fmt in ("docx", "pdf"):
        response = _post(kanwil_head, kanwil, fmt)
        assert response.status_code == 302
        doc = GeneratedDocument.objects.latest("pk")
        assert doc.is_done and doc.office == kanwil and doc.kind == "indicators"
        text, rows = _text(doc)
        for label, figures in expected.items():
            assert label in text
            if fmt == "docx":
                assert [label, *figures] in [r[:3] for r in rows], (label, rows)
    # the total is the sum of the offices beside it
    total = result.total.cells["conf_regular"].value
    assert total == sum(r.cells["conf_regular"].value or 0 for r in result.rows)
