"""Default checklists: the versioned data file, its database templates, and copying a
template into a new conference.

``data/checklists.json`` holds the national default per conference type, each with a
version. :func:`ensure_templates` loads a type's items as a new :class:`ChecklistTemplate`
whenever that version of the file is not in the database yet. Template versions are
numbered by :func:`next_version` only (data-file loads, copies and the admin). A
conference copies the items of its template when it is created, so later template changes
never alter a running conference.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Max, Q

from prima.organizations import audit
from prima.organizations.models import Office, User

from .models import (
    ChecklistItem,
    ChecklistTemplate,
    ChecklistTemplateItem,
    Conference,
    ConferenceType,
    EvidenceKind,
    Stage,
)

DATA_FILE = Path(__file__).resolve().parent / "data" / "checklists.json"


@lru_cache(maxsize=1)
def load_data() -> dict[str, Any]:
    """The parsed data file (cached), validated."""
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    stages = {s.value for s in Stage if s != Stage.CLOSED}
    for type_code, spec in data["types"].items():
        ConferenceType(type_code)
        codes = set()
        for item in spec["items"]:
            if item["stage"] not in stages:
                raise ValueError(f"{type_code}: unknown stage {item['stage']!r}")
            EvidenceKind(item["evidence"])
            if item["code"] in codes:
                raise ValueError(f"{type_code}: duplicate code {item['code']!r}")
            codes.add(item["code"])
    return data


def next_version(office: Office | None, conference_type: str) -> int:
    """The version number of the next template of ``conference_type`` for ``office``
    (None: the national templates): one above the highest so far (one query). Call it in
    the transaction that creates the template (a unique constraint refuses a duplicate)."""
    highest = ChecklistTemplate.objects.filter(
        office=office, conference_type=conference_type
    ).aggregate(v=Max("version"))["v"]
    return (highest or 0) + 1


def ensure_templates() -> list[ChecklistTemplate]:
    """Load each type's default from the data file unless that version of the file is
    already in the database; return the templates created (usually none). A load keeps
    the file's version number unless an administrator's copy has taken it (then the next
    free one; ``source`` names the file's version). Each creation is audited."""
    created = []
    for type_code, spec in load_data()["types"].items():
        source = f"data/checklists.json v{spec['version']}"
        with transaction.atomic():
            exists = ChecklistTemplate.objects.filter(
                office__isnull=True, conference_type=type_code, source=source
            ).exists()
            if exists:
                continue
            template = ChecklistTemplate.objects.create(
                office=None,
                conference_type=type_code,
                version=max(spec["version"], next_version(None, type_code)),
                name=spec["name"]["en"],
                source=source,
            )
            ChecklistTemplateItem.objects.bulk_create(
                ChecklistTemplateItem(
                    template=template,
                    stage=item["stage"],
                    code=item["code"],
                    label=item["label"]["en"],
                    label_id=item["label"].get("id", ""),
                    required=item["required"],
                    evidence_kind=item["evidence"],
                    order=(index + 1) * 10,
                )
                for index, item in enumerate(spec["items"])
            )
            after = (audit.snapshot(template) or {}) | {"items": len(spec["items"])}
            audit.log(None, "checklisttemplate.load", template, after=after)
            created.append(template)
    return created


def template_for(office: Office, conference_type: str) -> ChecklistTemplate | None:
    """The template a new conference of ``office`` uses: the highest active version of the
    most specific template (the office's own, then its regional office's, …, then the
    national standard). One query (plus the office's ancestors, one more)."""
    ancestor_ids = [o.pk for o in office.ancestors()] + [office.pk]
    candidates = list(
        ChecklistTemplate.objects.filter(conference_type=conference_type, is_active=True).filter(
            Q(office__isnull=True) | Q(office_id__in=ancestor_ids)
        )
    )
    if not candidates:
        return None

    def specificity(template: ChecklistTemplate) -> tuple[int, int]:
        depth = -1 if template.office_id is None else ancestor_ids.index(template.office_id)
        return depth, template.version

    return max(candidates, key=specificity)


def copy_into(conference: Conference, template: ChecklistTemplate) -> list[ChecklistItem]:
    """Create the conference's checklist items from ``template`` (one bulk insert)."""
    return ChecklistItem.objects.bulk_create(
        ChecklistItem(
            conference=conference,
            stage=item.stage,
            code=item.code,
            label=item.label,
            label_id=item.label_id,
            required=item.required,
            evidence_kind=item.evidence_kind,
            order=item.order,
        )
        for item in template.items.all()
    )


def new_version(template: ChecklistTemplate, actor: User | None) -> ChecklistTemplate:
    """Copy ``template`` (and its items) as the next version for the same office and type,
    inactive until an administrator activates it. Audited."""
    with transaction.atomic():
        copy = ChecklistTemplate.objects.create(
            office=template.office,
            conference_type=template.conference_type,
            version=next_version(template.office, template.conference_type),
            name=template.name,
            notes=template.notes,
            source=f"copy of v{template.version}",
            is_active=False,
        )
        items = list(template.items.all())
        ChecklistTemplateItem.objects.bulk_create(
            ChecklistTemplateItem(
                template=copy,
                stage=i.stage,
                code=i.code,
                label=i.label,
                label_id=i.label_id,
                required=i.required,
                evidence_kind=i.evidence_kind,
                order=i.order,
            )
            for i in items
        )
        audit.log(
            actor,
            "checklisttemplate.create",
            copy,
            after=(audit.snapshot(copy) or {}) | {"items": len(items)},
        )
    return copy
