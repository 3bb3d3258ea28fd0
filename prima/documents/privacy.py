"""Where generated documents hold a data subject's values (organizations.privacy
.subjects): the stored DOCX/PDF files (searched in their text), English versions of
material, and the letterhead's press contact."""

from __future__ import annotations

import re
import zipfile
from io import BytesIO
from typing import cast

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from prima.organizations.privacy.subjects import (
    Finder,
    Hit,
    Subject,
    SubjectKind,
    Treatment,
    register,
)

from .models import EnglishText, GeneratedDocument, Letterhead


def document_text(data: bytes) -> str:
    """The text of a stored DOCX or PDF file ("" when it is neither)."""
    if data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(BytesIO(data)) as archive:
            parts = [n for n in archive.namelist() if n.startswith("word/") and n.endswith(".xml")]
            xml = " ".join(archive.read(n).decode("utf-8", "replace") for n in parts)
        # Runs of one paragraph are split by tags: join them, paragraphs by spaces.
        xml = re.sub(r"</w:p>", " ", xml)
        return re.sub(r"<[^>]+>", "", xml)
    if data[:5] == b"%PDF-":
        from pypdf import PdfReader

        reader = PdfReader(BytesIO(data))
        return " ".join(page.extract_text() or "" for page in reader.pages)
    return ""


class GeneratedDocumentFinder(Finder):
    """Reads each stored file of the office's subtree (a cost that grows with the number
    of documents; erasure requests are rare)."""

    def find(self, subject: Subject) -> list[Hit]:
        if not subject.identifiers or subject.kind not in self.kinds:
            return []
        hits = []
        for doc in self.scoped(subject).exclude(file="").order_by("pk"):
            found = {}
            if subject.holds(doc.title):
                found["title"] = doc.title
            try:
                with doc.file.open("rb") as handle:
                    text = document_text(handle.read())
            except (OSError, ValueError, zipfile.BadZipFile):
                text = ""
            if subject.holds(text):
                found["file"] = doc.file.name
            if found:
                hits.append(Hit(self, doc, found))
        return hits

    def erase(self, hit: Hit, subject: Subject, pseudonym: str) -> None:
        doc = cast(GeneratedDocument, hit.obj)
        storage, name = doc.file.storage, doc.file.name
        GeneratedDocument.objects.filter(pk=doc.pk).delete()
        if name:
            transaction.on_commit(lambda: storage.delete(name))

    def files(self, hit: Hit) -> list[str]:
        return [hit.fields["file"]] if "file" in hit.fields else []


register(
    GeneratedDocumentFinder(
        GeneratedDocument,
        ("title",),
        Treatment.DELETE,
        _(
            "A generated file is a copy made from the conference's records; it is deleted "
            "and can be generated again from the pseudonymised records."
        ),
    )
)
register(
    Finder(
        EnglishText,
        ("title", "body", "items"),
        Treatment.PSEUDONYMISE,
        _("The English version of approved material (a public-task record): pseudonymised."),
        office="version__material__conference__office",
    )
)
register(
    Finder(
        Letterhead,
        ("contact_name", "contact_title", "contact_phone", "contact_email"),
        Treatment.PSEUDONYMISE,
        _("The letterhead's press contact: the person's details are removed from it."),
        kinds=frozenset({SubjectKind.STAFF}),
        clear_fields=("contact_name", "contact_phone", "contact_email"),
    )
)
