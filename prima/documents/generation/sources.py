"""What the builders read from the source objects: the letterhead, the material versions
a document is made from (approved first), their English texts, the spokesperson."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from prima.conferences.models import Conference, Material, MaterialVersion
from prima.organizations.models import Office

from . import content as c
from .models import EnglishText, Letterhead

END_MARKS = {"***", "###", "-selesai-", "- selesai -", "—selesai—", "-end-", "###end###"}
# A dateline the author typed: "Tangerang –", "Tangerang, 19 November 2025 –".
DATELINE = re.compile(r"^\s*[A-Z][A-Za-z .'-]{1,40}?(?:,\s*[^–—\n]{3,40}?)?\s+[–—-]\s+")


def letterhead_row(office: Office) -> Letterhead:
    """The office's letterhead settings (an unsaved default when none were configured)."""
    found = Letterhead.objects.filter(office=office).first()
    return found or Letterhead(office=office)


def letterhead(office: Office) -> c.Letterhead:
    """The letterhead as content (reads the logo file: one file read)."""
    row = letterhead_row(office)
    logo, logo_type = b"", ""
    if row.logo:
        try:
            with row.logo.open("rb") as handle:
                logo = handle.read()
            logo_type = "jpeg" if row.logo.name.lower().endswith((".jpg", ".jpeg")) else "png"
        except OSError:
            logo = b""  # A missing logo file must not stop a release; the name still heads it.
    contacts = " · ".join(
        part
        for part in (
            f"Telp. {row.phone or office.phone}" if (row.phone or office.phone) else "",
            row.email or office.email,
            row.website or office.website,
        )
        if part
    )
    return c.Letterhead(
        name=row.name or office.name,
        parent_name=row.parent_name,
        address=row.address or office.address,
        contacts=contacts,
        logo=logo,
        logo_type=logo_type,
    )


@dataclass
class Text:
    """A material's text in one language, with where it came from."""

    kind: str
    number: int
    approved: bool
    title: str = ""
    body: str = ""
    items: list[Any] = field(default_factory=list)

    def paragraphs(self) -> list[str]:
        """The body cut into paragraphs, without a "SIARAN PERS" line or an end mark the
        author typed (the document adds its own)."""
        lines = [line.strip() for line in re.split(r"\n\s*\n|\n", self.body or "")]
        lines = [line for line in lines if line]
        if lines and lines[0].upper().rstrip(".") in {"SIARAN PERS", "PRESS RELEASE"}:
            lines = lines[1:]
        while lines and lines[-1].lower() in END_MARKS:
            lines = lines[:-1]
        return lines


def source_version(material: Material) -> MaterialVersion | None:
    """The version documents are made from: the last approved one, else the current."""
    approved = material.versions.filter(approved_at__isnull=False).order_by("-number").first()
    if approved is not None:
        return approved
    if material.current_id is None:
        return None
    return MaterialVersion.objects.filter(pk=material.current_id).first()


class MissingText(Exception):
    """A document needs a material that has no text (in the language asked for)."""


def material_text(conference: Conference, kind: str, language: str) -> Text | None:
    """The text a document of ``conference`` is made from: the last approved version of
    the material of ``kind``, else its current draft. For English: that version's
    English text, or None when the author gave none."""
    material = Material.objects.filter(conference=conference, kind=kind).first()
    version = source_version(material) if material is not None else None
    if version is None:
        return None
    approved = version.approved_at is not None
    if language == "en":
        english = EnglishText.objects.filter(version=version).first()
        if english is None:
            return None
        return Text(
            kind, version.number, approved, english.title, english.body, list(english.items or [])
        )
    return Text(
        kind, version.number, approved, version.title, version.body, list(version.items or [])
    )


@dataclass(frozen=True)
class Speaker:
    name: str
    title: str


def speakers(conference: Conference) -> list[Speaker]:
    """The appointed spokespeople, the principal first."""
    return [
        Speaker(a.spokesperson.display_name, a.spokesperson.position)
        for a in conference.appointments.select_related("spokesperson__user").order_by(
            "-is_principal", "pk"
        )
    ]


def split_dateline(paragraph: str) -> str:
    """The paragraph without a dateline the author typed at its start."""
    return DATELINE.sub("", paragraph, count=1)


def is_quotation(paragraph: str) -> bool:
    """A paragraph that is one quotation and nothing else ("…" or “…”)."""
    text = paragraph.strip()
    return (
        len(text) > 2
        and text[0] in '"“'
        and text[-1] in '"”'
        and not any(q in text[1:-1] for q in '"“”')
    )
