"""Every document type rendered and read back (python-docx, pypdf) with its letterhead
and content; versions are never overwritten; checksums; English; the background task."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

import pytest
from django.utils import timezone

from prima.conferences.models import Attendance, QuestionLog, RundownItem
from prima.crisis.models import Case, CaseEvent, EventKind
from prima.documents.generation import builders, services
from prima.documents.generation import content as c
from prima.documents.models import EnglishText, GeneratedDocument, GenerationStatus
from prima.organizations.models import AuditEntry

from .generation_helpers import STATEMENT, approved, letterhead, text_of

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
OFFICE_NAME = "Kantor Imigrasi Kelas I Khusus TPI Soekarno-Hatta"


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = IMMEDIATE


@pytest.fixture
def kit(conference, sri, pr_staff, head, offices):
    """The conference with letterhead, approved statement, key messages, Q&A, a run-down,
    attendance and a logged question."""
    letterhead(offices["soetta"])
    approved(pr_staff, head, conference, "statement", title="Loket paspor tambahan", body=STATEMENT)
    approved(
        pr_staff,
        head,
        conference,
        "key_messages",
        items=["Loket tambahan buka setiap hari.", "Tanpa calo.", "Biaya resmi."],
    )
    approved(
        pr_staff,
        head,
        conference,
        "qa",
        items=[{"question": "Berapa loket tambahan?", "answer": "Enam loket."}],
    )
    approved(
        pr_staff,
        head,
        conference,
        "holding_statement",
        title="Pernyataan sementara",
        body="Kami sedang memeriksa laporan antrean panjang di Terminal 3.",
    )
    from datetime import time

    RundownItem.objects.create(
        conference=conference,
        starts_at=time(10, 0),
        activity="Pembukaan oleh moderator",
        person="Rina",
    )
    Attendance.objects.create(conference=conference, journalist="Budi Santoso", outlet="Antara")
    QuestionLog.objects.create(
        conference=conference,
        asker="Budi Santoso",
        outlet="Antara",
        question="Sampai kapan loket tambahan buka?",
        answered_by="Sri Handayani",
        answer_summary="Sampai 5 Januari.",
    )
    return conference


@pytest.fixture
def request_doc(django_capture_on_commit_callbacks):
    """request_generation, with the task queued after the commit run (immediate backend)."""

    def run(user, kind, source, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            doc = services.request_generation(user, kind, source, **kwargs)
        doc.refresh_from_db()
        return doc

    return run


@pytest.fixture
def _generate(request_doc):
    def run(user, kind, conference, fmt="pdf", language="id"):
        source = builders.Source(office=conference.office, conference=conference)
        return request_doc(user, kind, source, fmt=fmt, language=language)

    return run


EXPECTED = {
    "press_release": [
        "SIARAN PERS",
        "Tangerang, 19 November 2025",
        "Loket tambahan buka",
        "Sri Handayani",
        "Kepala Bidang Lalu Lintas Keimigrasian",
        "Dewi Lestari",
        "melayani perlintasan",
        "-selesai-",
    ],
    "holding_statement": ["PERNYATAAN SEMENTARA", "antrean panjang di Terminal 3"],
    "key_messages": ["PESAN KUNCI", "Tanpa calo.", "Sri Handayani"],
    "qa": ["TANYA JAWAB", "Berapa loket tambahan?", "Enam loket."],
    "invitation": ["UNDANGAN PELIPUTAN", "Rabu, 19 November 2025", "10.00 WIB"],
    "rundown": ["SUSUNAN ACARA", "Pembukaan oleh moderator", "Rina"],
    "attendance": ["DAFTAR HADIR", "Budi Santoso", "Antara"],
    "question_log": ["LOG PERTANYAAN", "Sampai kapan loket tambahan buka?", "Sampai 5 Januari."],
    "evaluation": ["LAPORAN EVALUASI", "Jurnalis hadir"],
}


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
@pytest.mark.parametrize("kind", list(EXPECTED))
def test_each_conference_document_is_rendered_with_letterhead_and_content(
    kit, pr_staff, kind, fmt, _generate
):
    doc = _generate(pr_staff, kind, kit, fmt)
    assert doc.status == GenerationStatus.DONE, doc.error
    text = " ".join(text_of(doc).split())
    assert OFFICE_NAME.upper() in text.upper()
    for expected in EXPECTED[kind]:
        assert expected in text, (kind, fmt, expected)


def test_the_press_release_records_the_versions_it_came_from_and_quotes_the_spokesperson(
    kit, pr_staff, _generate
):
    doc = _generate(pr_staff, "press_release", kit)
    assert doc.source_versions == {"statement": 1, "key_messages": 1}
    built = services.build(doc)
    quotes = [b for b in built.content.blocks if isinstance(b, c.Quote)]
    assert [(q.text, q.name, q.title) for q in quotes] == [
        (
            "Kami ingin setiap pemohon dilayani tanpa calo.",
            "Sri Handayani",
            "Kepala Bidang Lalu Lintas Keimigrasian",
        )
    ]
    # The author's own "SIARAN PERS" line, dateline and end mark are not repeated.
    text = built.content.text()
    assert text.count("SIARAN PERS") == 1 and text.count("-selesai-") == 1
    assert "Tangerang –" not in text


def test_a_draft_is_marked_as_not_approved(conference, pr_staff, offices, _generate):
    from prima.conferences import workflow
    from prima.conferences.tests.helpers import NOW

    workflow.edit_material(pr_staff, conference, "statement", body="Teks draf.", now=NOW)
    doc = _generate(pr_staff, "press_release", conference)
    assert doc.source_versions["not_approved"] == ["statement"]
    assert "DRAF" in text_of(doc)


def test_missing_material_fails_with_a_clear_reason(conference, pr_staff, _generate):
    doc = _generate(pr_staff, "qa", conference)
    assert doc.status == GenerationStatus.FAILED
    assert "has no text yet" in doc.error or "belum ada teksnya" in doc.error
    assert not doc.file


def test_regenerating_never_overwrites_and_checksums_match(kit, pr_staff, _generate):
    first = _generate(pr_staff, "press_release", kit)
    second = _generate(pr_staff, "press_release", kit)
    assert (first.number, second.number) == (1, 2)
    assert first.file.name != second.file.name
    first.refresh_from_db()
    for doc in (first, second):
        with doc.file.open("rb") as handle:
            data = handle.read()
        assert hashlib.sha256(data).hexdigest() == doc.sha256 and len(data) == doc.size
    # Another format or language is its own series.
    assert _generate(pr_staff, "press_release", kit, "docx").number == 1
    assert GeneratedDocument.objects.filter(kind="press_release").count() == 3


def test_every_generation_is_audited(kit, pr_staff, _generate):
    doc = _generate(pr_staff, "rundown", kit)
    actions = list(
        AuditEntry.objects.filter(object_id=str(doc.pk), object_type="documents.generateddocument")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["document.generate", "document.generated"]


def test_english_needs_the_authors_english_text(kit, pr_staff, _generate):
    refused = _generate(pr_staff, "press_release", kit, language="en")
    assert refused.status == GenerationStatus.FAILED and "English" in refused.error
    version = kit.materials.get(kind="statement").current
    EnglishText.objects.create(
        version=version,
        title="Extra passport counters",
        author=pr_staff,
        body="Tangerang – The office opens extra passport counters.\n\n“No brokers.”",
    )
    doc = _generate(pr_staff, "press_release", kit, "docx", language="en")
    assert doc.status == GenerationStatus.DONE, doc.error
    text = text_of(doc)
    assert "PRESS RELEASE" in text and "Tangerang, 19 November 2025" in text
    assert "Extra passport counters" in text and "serves the busiest airport" in text


def test_the_crisis_log_lists_the_case_events(offices, pr_staff, request_doc):
    letterhead(offices["soetta"])
    case = Case.objects.create(office=offices["soetta"], title="Antrean autogate viral")
    CaseEvent.objects.create(
        case=case, kind=EventKind.NOTE, actor=pr_staff, text="Klarifikasi disiapkan bersama TIKIM."
    )
    source = builders.Source(office=case.office, case=case)
    doc = request_doc(pr_staff, "crisis_log", source)
    assert doc.status == GenerationStatus.DONE, doc.error
    text = text_of(doc)
    assert "LOG KRISIS" in text and "Klarifikasi disiapkan bersama TIKIM." in text


def test_the_media_analysis_report_has_the_dashboard_charts(offices, pr_staff, request_doc):
    today = timezone.localdate()
    source = builders.Source(office=offices["soetta"], period=(today - timedelta(6), today))
    doc = request_doc(pr_staff, "media_analysis", source, fmt="docx")
    assert doc.status == GenerationStatus.DONE, doc.error
    from docx import Document

    with doc.file.open("rb") as handle:
        document = Document(handle)
    assert len(document.inline_shapes) == 6  # the six dashboard charts, as pictures
    assert "LAPORAN ANALISIS PEMBERITAAN" in text_of(doc)


def test_a_period_longer_than_a_year_is_refused(
    offices,
    pr_staff,
):
    source = builders.Source(office=offices["soetta"], period=(date(2024, 1, 1), date(2025, 6, 1)))
    with pytest.raises(services.GenerationRefused):
        services.request_generation(pr_staff, "media_analysis", source)


def test_a_higher_app_can_render_its_own_content(conference, pr_staff, offices):
    letterhead(offices["soetta"])
    content = c.Content.from_dict(
        {
            "kind_label": "LAPORAN EVALUASI",
            "title": "Evaluasi AMEC",
            "blocks": [
                {"type": "heading", "text": "Keluaran"},
                {"type": "table", "headers": ["Ukuran", "Nilai"], "rows": [["Berita", "12"]]},
                {"type": "end", "text": "###"},
            ],
        }
    )
    doc = services.store_content(
        pr_staff, content, office=offices["soetta"], conference=conference, origin={"evaluation": 3}
    )
    assert doc.status == GenerationStatus.DONE and doc.source_versions == {"evaluation": 3}
    text = text_of(doc)
    assert "Evaluasi AMEC" in text and "Berita" in text and OFFICE_NAME.upper() in text.upper()


def test_content_survives_its_plain_structure():
    content = c.Content(
        kind_label="X",
        title="T",
        blocks=(
            c.Heading("H"),
            c.Paragraph("p", "lead", "Kota –"),
            c.Quote("q", "N", "T"),
            c.ListBlock(("a", "b")),
            c.Table(("h",), (("v",),), "cap", (1,)),
            c.Image(b"\x89PNG", "img"),
            c.PageBreak(),
            c.EndMark("###"),
        ),
    )
    assert c.Content.from_dict(content.as_dict()) == content
    with pytest.raises(ValueError):
        c.Content.from_dict({"blocks": [{"type": "script"}]})


def test_a_worker_claims_a_document_once(kit, pr_staff, settings, _generate):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    doc = _generate(pr_staff, "rundown", kit)
    assert doc.status == GenerationStatus.PENDING
    assert services.run(doc.pk).status == GenerationStatus.DONE
    assert services.run(doc.pk) is None  # already done: nothing happens twice
