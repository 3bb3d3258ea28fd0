"""The English text an author gives for a material version (bilingual documents): the
version a document would be made from, and saving its English text (audited)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from prima.conferences.models import Conference, MaterialKind, MaterialVersion
from prima.organizations import audit, policy
from prima.organizations.models import User

from ..verification.models import Verification
from . import sources
from .models import EnglishText


def rows(conference: Conference) -> list[dict[str, Any]]:
    """Each material of the conference with the version documents use, whether it has its
    English text and what its last automatic verification found (a few queries per
    material: a conference has at most four)."""
    materials = list(conference.materials.all())
    found = []
    for material in materials:
        version = sources.source_version(material)
        if version is None:
            continue
        found.append(
            {
                "material": material,
                "version": version,
                "label": MaterialKind(material.kind).label,
                "english": EnglishText.objects.filter(version=version).first(),
                # The last automatic verification of that version (not run again here).
                "verification": Verification.objects.filter(version=version).first(),
            }
        )
    return found


def clean_items(kind: str, indonesian: list[Any], data: dict[str, str]) -> list[Any]:
    """The English items from form fields ``item_<n>`` / ``question_<n>``, ``answer_<n>``
    (same number and order as the Indonesian ones)."""
    if kind == MaterialKind.KEY_MESSAGES:
        return [data.get(f"item_{i}", "").strip() for i, _ in enumerate(indonesian)]
    if kind == MaterialKind.QA:
        return [
            {
                "question": data.get(f"question_{i}", "").strip(),
                "answer": data.get(f"answer_{i}", "").strip(),
            }
            for i, _ in enumerate(indonesian)
        ]
    return []


def save(
    actor: User, version: MaterialVersion, *, title: str, body: str, items: list[Any]
) -> EnglishText:
    """Store (or replace) the English text of ``version`` (``document.generate`` in its
    office; audited)."""
    policy.check(actor, "document.generate", version.material.conference)
    with transaction.atomic():
        row = EnglishText.objects.select_for_update().filter(version=version).first()
        before = audit.snapshot(row) if row else None
        if row is None:
            row = EnglishText(version=version, author=actor)
        row.title, row.body, row.items, row.author = title[:300], body, items, actor
        row.save()
        audit.log(actor, "document.english_text", row, before=before, after=audit.snapshot(row))
    return row
