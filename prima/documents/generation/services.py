"""Generating documents: the one place that requests, builds, renders and stores them.

Pages, the API, the demo loader and the background task call these functions:

- :func:`request_generation` checks the policy, makes a new :class:`GeneratedDocument`
  row (never reusing one: regenerating gives a new version), writes the audit entry and
  queues :func:`run` as a background task (after the commit).
- :func:`run` claims the row atomically, builds the content, renders DOCX or PDF, stores
  the file with its SHA-256 and size, and records the result (audited).
- :func:`render_content` renders a given :class:`~.content.Content` (for a higher app,
  e.g. the post-event evaluation, that builds its own content), and :func:`store_content`
  stores such a rendering as a generated document.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from datetime import date, datetime
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from prima.conferences.models import Conference
from prima.crisis.models import Case
from prima.lib.params import parse_id
from prima.organizations import audit, policy
from prima.organizations.models import Office, User

from . import builders, sources
from . import content as c
from .docx import render_docx
from .models import DocumentFormat, DocumentKind, GeneratedDocument, GenerationStatus, Language
from .pdf import render_pdf

logger = logging.getLogger(__name__)

# What one must be allowed to read to make a document from each kind of source.
SOURCE_ACTION = {"conference": "material.view", "case": "crisis.view", "period": "mention.view"}
MAX_PERIOD_DAYS = 366


class GenerationRefused(Exception):
    """The document cannot be made as asked (a clear message for the person asking)."""


def render_content(content: c.Content, fmt: str, *, footer: str = "") -> bytes:
    """``content`` as DOCX or PDF bytes (no database access)."""
    if fmt == DocumentFormat.DOCX:
        return render_docx(content, footer=footer)
    if fmt == DocumentFormat.PDF:
        return render_pdf(content, footer=footer)
    raise ValueError(f"unknown format {fmt!r}")


def checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _same_document(doc: GeneratedDocument) -> dict[str, Any]:
    return {
        "office": doc.office,
        "kind": doc.kind,
        "conference": doc.conference,
        "case": doc.case,
        "period_from": doc.period_from,
        "period_to": doc.period_to,
        "language": doc.language,
        "format": doc.format,
    }


def _next_number(doc: GeneratedDocument) -> int:
    found = GeneratedDocument.objects.filter(**_same_document(doc)).aggregate(n=Max("number"))
    return int(found["n"] or 0) + 1


def check_source(actor: User, kind: builders.Kind, source: builders.Source) -> None:
    """404/403 through the policy: generating needs ``document.generate`` in the office
    and the right to read the source."""
    policy.check(actor, "document.generate", source.office)
    if kind.source == "conference":
        if source.conference is None or source.conference.office_id != source.office.pk:
            raise GenerationRefused(_("This document is made from a press conference."))
        policy.check(actor, SOURCE_ACTION["conference"], source.conference)
    elif kind.source == "case":
        if source.case is None or source.case.office_id != source.office.pk:
            raise GenerationRefused(_("This document is made from a crisis case."))
        policy.check(actor, SOURCE_ACTION["case"], source.case)
    else:
        if source.period is None:
            raise GenerationRefused(_("This document is made for a period."))
        first, last = source.period
        if last < first or (last - first).days > MAX_PERIOD_DAYS:
            raise GenerationRefused(_("Choose a period of at most one year, start before end."))
        policy.check(actor, SOURCE_ACTION["period"], source.office)


def request_generation(
    actor: User,
    kind_code: str,
    source: builders.Source,
    *,
    language: str = Language.ID,
    fmt: str = DocumentFormat.PDF,
    now: datetime | None = None,
) -> GeneratedDocument:
    """Make a new document row (status "waiting"), audit it and queue its generation.

    With the immediate task backend (tests) the document is generated before this returns.
    """
    kind = builders.KINDS.get(kind_code)
    if kind is None:
        raise GenerationRefused(_("Unknown document."))
    if language not in Language.values or fmt not in DocumentFormat.values:
        raise GenerationRefused(_("Unknown language or format."))
    check_source(actor, kind, source)
    with transaction.atomic():
        doc = GeneratedDocument(
            office=source.office,
            kind=kind.code,
            conference=source.conference,
            case=source.case,
            period_from=source.period[0] if source.period else None,
            period_to=source.period[1] if source.period else None,
            language=language,
            format=fmt,
            created_by=actor,
            created_at=now or timezone.now(),
        )
        # Lock the office row: two requests at once must not get the same version number.
        Office.objects.select_for_update().filter(pk=source.office.pk).first()
        doc.number = _next_number(doc)
        doc.save()
        audit.log(actor, "document.generate", doc, after=audit.snapshot(doc))
        transaction.on_commit(lambda: _enqueue(doc.pk))
    doc.refresh_from_db()
    return doc


def _enqueue(doc_id: int) -> None:
    from .tasks import generate_document

    generate_document.enqueue(doc_id)


def _source_of(doc: GeneratedDocument) -> builders.Source:
    period = (doc.period_from, doc.period_to) if doc.period_from and doc.period_to else None
    return builders.Source(
        office=doc.office, conference=doc.conference, case=doc.case, period=period
    )


def _progress(doc_id: int) -> builders.Progress:
    def report(percent: int) -> None:
        GeneratedDocument.objects.filter(pk=doc_id, status=GenerationStatus.RUNNING).update(
            progress=max(0, min(99, percent))
        )

    return report


def build(doc: GeneratedDocument, progress: builders.Progress | None = None) -> builders.Built:
    """The content of ``doc`` (in its language), built from its source."""
    kind = builders.KINDS[doc.kind]
    with translation.override(doc.language):
        built = kind.build(_source_of(doc), progress or (lambda _p: None))
    letterhead = sources.letterhead(doc.office)
    built.content = dataclasses.replace(built.content, letterhead=letterhead)
    return built


def run(doc_id: int) -> GeneratedDocument | None:
    """Generate a waiting document (claimed atomically: a second worker does nothing)."""
    claimed = GeneratedDocument.objects.filter(pk=doc_id, status=GenerationStatus.PENDING).update(
        status=GenerationStatus.RUNNING, progress=5
    )
    if not claimed:
        return None  # Another worker got there first, or it already ran.
    doc = GeneratedDocument.objects.select_related("office", "conference", "case").get(pk=doc_id)
    try:
        built = build(doc, _progress(doc.pk))
        _progress(doc.pk)(85)
        with translation.override(doc.language):
            data = render_content(built.content, doc.format, footer=_footer(doc))
    except sources.MissingText as exc:
        return _fail(doc, str(exc))
    except Exception as exc:
        logger.exception("generating document %s failed", doc.pk)
        return _fail(
            doc,
            _("The document could not be generated (%(error)s).") % {"error": type(exc).__name__},
        )
    return _store(doc, data, built.content.title, built.source_versions)


def _footer(doc: GeneratedDocument) -> str:
    return f"{doc.office.short_name} · {doc.get_kind_display()} v{doc.number}"


def _store(
    doc: GeneratedDocument, data: bytes, title: str, versions: dict[str, Any]
) -> GeneratedDocument:
    name = doc.filename
    doc.file.save(name, ContentFile(data), save=False)
    try:
        with transaction.atomic():
            before = audit.snapshot(doc)
            doc.sha256, doc.size, doc.title = checksum(data), len(data), title[:300]
            doc.source_versions = versions
            doc.status, doc.progress, doc.finished_at = GenerationStatus.DONE, 100, timezone.now()
            doc.save()
            audit.log(
                doc.created_by, "document.generated", doc, before=before, after=audit.snapshot(doc)
            )
    except BaseException:
        doc.file.delete(save=False)  # No file without its row.
        raise
    return doc


def _fail(doc: GeneratedDocument, message: str) -> GeneratedDocument:
    with transaction.atomic():
        before = audit.snapshot(doc)
        doc.status, doc.error, doc.finished_at = GenerationStatus.FAILED, message, timezone.now()
        doc.save()
        audit.log(doc.created_by, "document.failed", doc, before=before, after=audit.snapshot(doc))
    return doc


def store_content(
    actor: User | None,
    content: c.Content,
    *,
    office: Office,
    kind: str = DocumentKind.EVALUATION,
    fmt: str = DocumentFormat.PDF,
    conference: Conference | None = None,
    period: tuple[date, date] | None = None,
    origin: dict[str, Any] | None = None,
    right: str = "document.generate",
) -> GeneratedDocument:
    """Render ``content`` (made by a higher app, e.g. the post-event evaluation) with the
    office's letterhead and store it as a new generated document (synchronously; audited).
    The caller has checked its own rights; ``origin`` says what the content came from.
    ``right`` is the policy action that allows ``actor`` to make it for ``office``
    (``document.generate`` unless the content's own app names a narrower one, e.g. the
    indicator report, which whoever may export the indicators may make)."""
    if actor is not None:
        policy.check(actor, right, office)
    content = dataclasses.replace(content, letterhead=sources.letterhead(office))
    with transaction.atomic():
        doc = GeneratedDocument(
            office=office,
            kind=kind,
            conference=conference,
            language=content.language,
            format=fmt,
            created_by=actor,
            status=GenerationStatus.RUNNING,
            period_from=period[0] if period else None,
            period_to=period[1] if period else None,
        )
        Office.objects.select_for_update().filter(pk=office.pk).first()
        doc.number = _next_number(doc)
        doc.save()
        audit.log(actor, "document.generate", doc, after=audit.snapshot(doc))
    with translation.override(content.language):
        data = render_content(content, fmt, footer=_footer(doc))
    return _store(doc, data, content.title, origin or {})


def parse_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return None


def _source(user: User, data: Any, kind: builders.Kind) -> builders.Source:
    """The source named in a form or API call (404 for what the user may not see)."""
    if kind.source == "conference":
        conference_id = parse_id(data.get("conference"), "conference")
        if conference_id is None:
            raise GenerationRefused(_("Choose a press conference."))
        conference = policy.get_for(
            user, "document.view", Conference.objects.select_related("office"), pk=conference_id
        )
        return builders.Source(office=conference.office, conference=conference)
    if kind.source == "case":
        case_id = parse_id(data.get("case"), "case")
        if case_id is None:
            raise GenerationRefused(_("Choose a crisis case."))
        case = policy.get_for(
            user, "document.view", Case.objects.select_related("office"), pk=case_id
        )
        return builders.Source(office=case.office, case=case)
    office_id = parse_id(data.get("office"), "office")
    office = policy.get_for(user, "document.view", Office.objects.all(), pk=office_id or 0)
    first, last = parse_date(data.get("start")), parse_date(data.get("end"))
    if first is None or last is None:
        raise GenerationRefused(_("Give the first and the last day of the period."))
    return builders.Source(office=office, period=(first, last))


def generate_from(user: User, data: Any) -> GeneratedDocument:
    """Request a document from form or API data (kind, format, language and its source)."""
    kind = builders.KINDS.get(str(data.get("kind", "")))
    if kind is None:
        raise GenerationRefused(_("Unknown document."))
    return request_generation(
        user,
        kind.code,
        _source(user, data, kind),
        language=str(data.get("language") or Language.ID),
        fmt=str(data.get("format") or DocumentFormat.PDF),
    )
