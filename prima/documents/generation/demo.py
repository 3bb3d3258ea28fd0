"""Demo data for document generation: a letterhead (with a drawn emblem as logo) for each
demo office, and documents generated for Soekarno-Hatta's conferences, one crisis case
and the last 30 days of monitoring — in Indonesian, one in English, DOCX and PDF.

Runs after the conferences, monitoring, crisis and verification loaders, once."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

from prima.conferences.models import Conference, MaterialKind
from prima.crisis.models import Case
from prima.organizations.demo import register
from prima.organizations.models import Office, User

from . import builders, services
from .models import EnglishText, GeneratedDocument, Letterhead

PARENT = "KEMENTERIAN IMIGRASI DAN PEMASYARAKATAN REPUBLIK INDONESIA"
ABOUT = (
    "{name} adalah unit pelaksana teknis Direktorat Jenderal Imigrasi yang melayani "
    "pemeriksaan keimigrasian, penerbitan paspor dan izin tinggal, serta pengawasan orang "
    "asing di wilayah kerjanya."
)
ABOUT_EN = (
    "{name} is a technical unit of the Directorate General of Immigration: it runs border "
    "checks, issues passports and stay permits and supervises foreign nationals in its area."
)
CONTACTS = {
    "kanim-soekarno-hatta": ("Dewi Lestari", "Kepala Seksi Humas", "0812-8000-1234"),
    "kanim-jakarta-pusat": ("Agus Pratama", "Pranata Humas", "0813-8000-2345"),
    "kanim-ngurah-rai": ("Made Ayu Lestari", "Pranata Humas", "0812-3800-3456"),
}


def emblem(initials: str) -> bytes:
    """A round emblem with the office's initials: a stand-in logo an office replaces."""
    size = 240
    image = Image.new("RGB", (size, size), "white")
    draw = ImageDraw.Draw(image)
    draw.ellipse((6, 6, size - 6, size - 6), fill=(31, 58, 95), outline=(201, 162, 39), width=10)
    draw.ellipse((40, 40, size - 40, size - 40), outline=(201, 162, 39), width=4)
    box = draw.textbbox((0, 0), initials, font_size=64)
    w, h = box[2] - box[0], box[3] - box[1]
    draw.text(((size - w) / 2, (size - h) / 2 - box[1]), initials, fill="white", font_size=64)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def ensure_letterhead(office: Office) -> Letterhead:
    found = Letterhead.objects.filter(office=office).first()
    if found is not None:
        return found
    contact = CONTACTS.get(office.code, ("", "", ""))
    row = Letterhead(
        office=office,
        parent_name=PARENT,
        address=office.address or f"{office.city}".strip(),
        city=office.city,
        about=ABOUT.format(name=office.name),
        about_en=ABOUT_EN.format(name=office.name),
        contact_name=contact[0],
        contact_title=contact[1],
        contact_phone=contact[2],
    )
    initials = "".join(w[0] for w in office.short_name.split()[:3]).upper() or "IMI"
    row.logo.save("logo.png", ContentFile(emblem(initials)), save=False)
    row.save()
    return row


def _make(
    user: User, kind: str, source: builders.Source, fmt: str = "pdf", language: str = "id"
) -> None:
    doc = services.request_generation(user, kind, source, fmt=fmt, language=language)
    # Generated now, so the demo shows them at once (the queued task finds them done).
    services.run(doc.pk)


@register(50, "generated documents")
def load_documents(say: Callable[[str], None]) -> None:
    for each in Office.objects.filter(is_active=True):
        ensure_letterhead(each)
    office = Office.objects.filter(code="kanim-soekarno-hatta").first()
    user = User.objects.filter(username="humas").first()
    if office is None or user is None:
        say("  no Soekarno-Hatta office or humas user: skipped")
        return
    if GeneratedDocument.objects.filter(office=office).exists():
        say("  documents already generated")
        return
    conferences = list(Conference.objects.filter(office=office).order_by("opened_at"))
    made = 0
    for conference in conferences:
        source = builders.Source(office=office, conference=conference)
        kinds = {m.kind for m in conference.materials.exclude(current=None)}
        wanted = []
        if MaterialKind.STATEMENT in kinds:
            wanted.append("press_release")
        if MaterialKind.HOLDING_STATEMENT in kinds:
            wanted.append("holding_statement")
        if conference.rundown.exists():
            wanted += ["invitation", "rundown"]
        if conference.attendance.exists():
            wanted += ["attendance", "question_log"]
        if conference.stage in ("evaluation", "closed"):
            wanted.append("evaluation")
        for kind in wanted:
            # Both formats of what goes out; the working sheets as PDF only.
            formats = ("pdf", "docx") if kind in ("press_release", "evaluation") else ("pdf",)
            for fmt in formats:
                _make(user, kind, source, fmt=fmt)
                made += 1
    # A bilingual release: the author's English text of the first approved statement.
    statement = next(
        (
            m
            for c in conferences
            for m in c.materials.filter(kind=MaterialKind.STATEMENT)
            if m.current_id and m.versions.filter(approved_at__isnull=False).exists()
        ),
        None,
    )
    if statement is not None:
        version = statement.versions.filter(approved_at__isnull=False).order_by("-number")[0]
        EnglishText.objects.get_or_create(
            version=version,
            defaults={
                "author": user,
                "title": "Soekarno-Hatta immigration performance",
                "body": (
                    "Tangerang – The Soekarno-Hatta immigration office recorded 1,612,405 "
                    "border crossings last month.\n\n"
                    "“Crossings rose 8% on the previous month and services stayed smooth.”"
                ),
            },
        )
        _make(
            user,
            "press_release",
            builders.Source(office=office, conference=statement.conference),
            fmt="pdf",
            language="en",
        )
        made += 1
    case = Case.objects.filter(office=office).order_by("-opened_at").first()
    if case is not None:
        _make(user, "crisis_log", builders.Source(office=office, case=case), fmt="pdf")
        made += 1
    today = timezone.localdate()
    period = builders.Source(office=office, period=(today - timedelta(days=29), today))
    _make(user, "media_analysis", period, fmt="pdf")
    made += 1
    say(f"  {made} documents generated, letterheads for every office")
