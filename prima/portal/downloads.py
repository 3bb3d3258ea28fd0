"""The files a published release or statement offers for download: the documents the
documents app generated (PDF, DOCX; Indonesian, English) from exactly the material
version the publication shows.

One rule, used by the publication page, the open data API and the download view: a
document belongs to a publication when it is done (a stored file and its SHA-256), of the
publication's office and conference, of the document kind made from that material (press
release from a statement, holding statement from a holding statement), made from the
publication's version number, and made from approved text only (a document generated
before approval carries a "DRAFT" note and is never offered). Nothing is generated on a
public request: no such document, no link.

The publication itself must already be public (``Publication.objects.public()``); callers
fetch it through :func:`prima.portal.services.public_publications`.
"""

from __future__ import annotations

from collections.abc import Iterable

from prima.conferences.models import MaterialKind, MaterialVersion
from prima.documents.models import (
    DocumentFormat,
    DocumentKind,
    GeneratedDocument,
    GenerationStatus,
    Language,
)

from .models import Publication

# The document made from each publishable material kind.
DOCUMENT_KIND: dict[str, str] = {
    MaterialKind.STATEMENT: DocumentKind.PRESS_RELEASE,
    MaterialKind.HOLDING_STATEMENT: DocumentKind.HOLDING_STATEMENT,
}
# Order on the page: Indonesian first, PDF before DOCX.
_ORDER: dict[tuple[str, str], int] = {
    (Language.ID, DocumentFormat.PDF): 0,
    (Language.ID, DocumentFormat.DOCX): 1,
    (Language.EN, DocumentFormat.PDF): 2,
    (Language.EN, DocumentFormat.DOCX): 3,
}


def made_from(doc: GeneratedDocument, publication: Publication, version: MaterialVersion) -> bool:
    """Is ``doc`` a finished document of exactly ``version`` (the publication's)?"""
    kind = version.material.kind
    made = doc.source_versions if isinstance(doc.source_versions, dict) else {}
    return (
        doc.status == GenerationStatus.DONE
        and bool(doc.file)
        and bool(doc.sha256)
        and doc.office_id == publication.office_id
        and doc.conference_id == version.material.conference_id
        and doc.kind == DOCUMENT_KIND.get(kind)
        and made.get(kind) == version.number
        and "not_approved" not in made
    )


def _versions(publications: list[Publication]) -> dict[int, MaterialVersion]:
    ids = {p.material_version_id for p in publications if p.material_version_id is not None}
    if not ids:
        return {}
    return {
        v.pk: v
        for v in MaterialVersion.objects.filter(
            pk__in=ids, material__kind__in=list(DOCUMENT_KIND)
        ).select_related("material")
    }


def files_of(publications: Iterable[Publication]) -> dict[int, list[GeneratedDocument]]:
    """For each publication (by pk): the newest finished document per format and language
    made from its version, Indonesian PDF first. Two queries, whatever the number of
    publications."""
    publications = list(publications)
    versions = _versions(publications)
    if not versions:
        return {}
    candidates = list(
        GeneratedDocument.objects.filter(
            conference_id__in={v.material.conference_id for v in versions.values()},
            kind__in=list(DOCUMENT_KIND.values()),
            status=GenerationStatus.DONE,
        )
        .exclude(file="")
        .order_by("-created_at", "-pk")
    )
    found: dict[int, list[GeneratedDocument]] = {}
    for publication in publications:
        version = versions.get(publication.material_version_id or 0)
        if version is None:
            continue
        newest: dict[tuple[str, str], GeneratedDocument] = {}
        for doc in candidates:
            if made_from(doc, publication, version):
                newest.setdefault((doc.language, doc.format), doc)
        if newest:
            found[publication.pk] = [
                newest[key] for key in sorted(newest, key=lambda k: _ORDER.get(k, 9))
            ]
    return found


def public_file(publication: Publication, pk: int) -> GeneratedDocument | None:
    """The document ``pk`` if it was made from ``publication``'s version (any of its
    regenerations, not only the newest: a link a journalist kept goes on working)."""
    versions = _versions([publication])
    version = versions.get(publication.material_version_id or 0)
    if version is None:
        return None
    doc = GeneratedDocument.objects.filter(pk=pk).first()
    if doc is None or not made_from(doc, publication, version):
        return None
    return doc
