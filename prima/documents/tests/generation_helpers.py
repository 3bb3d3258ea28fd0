"""Building blocks for the generation tests: a letterhead with a logo, approved material,
reading a generated file back as text."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.base import ContentFile
from docx import Document
from PIL import Image
from pypdf import PdfReader

from prima.conferences import workflow
from prima.conferences.models import Conference, MaterialVersion
from prima.conferences.tests.helpers import NOW
from prima.documents.models import GeneratedDocument, Letterhead
from prima.organizations.models import Office, User

STATEMENT = (
    "SIARAN PERS\n"
    "Tangerang – Kantor Imigrasi Soekarno-Hatta membuka loket tambahan paspor selama libur "
    "akhir tahun.\n\n"
    "Loket tambahan buka setiap hari pukul 08.00–16.00 WIB di Terminal 3.\n\n"
    "“Kami ingin setiap pemohon dilayani tanpa calo.”\n"
    "-selesai-"
)


def logo_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (60, 60), (31, 58, 95)).save(out, "PNG")
    return out.getvalue()


def letterhead(office: Office) -> Letterhead:
    row = Letterhead(
        office=office,
        parent_name="KEMENTERIAN IMIGRASI DAN PEMASYARAKATAN",
        name="Kantor Imigrasi Kelas I Khusus TPI Soekarno-Hatta",
        address="Jl. Bandara Soekarno-Hatta, Tangerang, Banten",
        phone="021-5507023",
        email="humas@soetta.example.id",
        city="Tangerang",
        about="Kantor Imigrasi Soekarno-Hatta melayani perlintasan di bandara tersibuk.",
        about_en="The Soekarno-Hatta immigration office serves the busiest airport.",
        contact_name="Dewi Lestari",
        contact_title="Kepala Seksi Humas",
        contact_phone="0812-0000-1111",
    )
    row.logo.save("logo.png", ContentFile(logo_png()), save=False)
    row.save()
    return row


def approved(
    author: User, approver: User, conference: Conference, kind: str, **text: Any
) -> MaterialVersion:
    version = workflow.edit_material(author, conference, kind, now=NOW, **text).current
    assert version is not None
    MaterialVersion.objects.filter(pk=version.pk).update(approved_by=approver, approved_at=NOW)
    version.refresh_from_db()
    return version


def text_of(doc: GeneratedDocument) -> str:
    """The generated file's text (python-docx for DOCX, header included; pypdf for PDF)."""
    with doc.file.open("rb") as handle:
        data = handle.read()
    if doc.format == "docx":
        document = Document(io.BytesIO(data))
        parts = [p.text for p in document.paragraphs]
        for section in document.sections:
            for table in section.header.tables:
                parts += [cell.text for row in table.rows for cell in row.cells]
        for table in document.tables:
            parts += [cell.text for row in table.rows for cell in row.cells]
        return "\n".join(parts)
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
