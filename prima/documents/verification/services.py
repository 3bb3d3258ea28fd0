"""Verification's rules, called by every entry point (pages, API, the approval hook, the
command):

- :func:`verify_version` — check a saved material version against its conference's facts
  and store the run (the same inputs give the stored run back);
- :func:`check_material` — check what is being written in the editor (nothing stored);
- :func:`check_text` — check a plain text against an office's catalogue and facts
  (``prima check-draft``);
- :class:`VerificationCheck` — the pre-approval check registered with the conferences
  app: errors block approval unless the approver records a reasoned waiver (audited).
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import get_language, ngettext

from prima.conferences.hooks import Objection
from prima.conferences.models import Conference, Material, MaterialVersion
from prima.organizations import audit
from prima.organizations.models import Office, User

from . import engine, loading
from .models import Verification, Waiver
from .types import Context, Draft, DraftKind, Finding, Part, Severity

# Part of every stored run's fingerprint: change it when the checks change, so that stored
# runs are checked again.
ENGINE_VERSION = "1"


def _fingerprint(draft: Draft, context: Context) -> str:
    """A hash of everything a run depends on: the draft, the facts, the people, the day."""
    data = {
        "engine": ENGINE_VERSION,
        # Findings are stored in words: the language they were written in is an input.
        "language": get_language() or "id",
        "day": context.day.isoformat(),
        "draft": [draft.kind, draft.title, [(p.name, p.text, p.context) for p in draft.parts]],
        "facts": sorted(
            (r.figure.canonical(), r.stated, r.source.label, r.source.url, r.soft)
            for r in context.facts
        ),
        "earlier": sorted(
            (r.figure.canonical(), r.source.label, r.source.url) for r in context.earlier
        ),
        "people": sorted(
            (p.name, p.position, p.is_spokesperson, p.appointed, p.valid) for p in context.people
        ),
    }
    raw = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _counts(findings: list[Finding]) -> dict[str, int]:
    return {
        "errors": sum(f.severity == Severity.ERROR for f in findings),
        "warnings": sum(f.severity == Severity.WARNING for f in findings),
        "notes": sum(f.severity == Severity.INFO for f in findings),
    }


def verify_version(version: MaterialVersion) -> Verification:
    """Check ``version`` against its conference's facts as they are now and return the run
    (stored; when nothing changed since the last run, that run). About ten queries plus
    the check itself (milliseconds)."""
    version = MaterialVersion.objects.select_related("material__conference__office").get(
        pk=version.pk
    )
    conference = version.material.conference
    draft = loading.draft_of_version(version)
    context = loading.conference_context(conference)
    fingerprint = _fingerprint(draft, context)
    existing = Verification.objects.filter(version=version, fingerprint=fingerprint).first()
    if existing is not None:
        return existing
    findings = engine.verify(draft, context)
    run = Verification(
        version=version,
        fingerprint=fingerprint,
        findings=[f.as_dict() for f in findings],
        **_counts(findings),
    )
    try:
        with transaction.atomic():
            run.save()
    except IntegrityError:
        # Checked at the same moment by another request: theirs is the same run.
        return Verification.objects.get(version=version, fingerprint=fingerprint)
    return run


def latest(version: MaterialVersion) -> Verification | None:
    return Verification.objects.filter(version=version).first()


def check_material(
    conference: Conference,
    kind: str,
    *,
    title: str = "",
    body: str = "",
    items: list[Any] | None = None,
) -> tuple[Draft, list[Finding]]:
    """Check a text being written for ``conference`` (nothing is stored)."""
    draft = loading.draft_of(kind, title=title, body=body, items=items)
    return draft, engine.verify(draft, loading.conference_context(conference))


def check_text(
    office: Office, text: str, *, kind: str = DraftKind.STATEMENT, release: bool | None = None,
    day: date | None = None,
) -> list[Finding]:  # fmt: skip
    """Check a plain-text draft against ``office``'s published catalogue (on ``day``,
    default today) and the verified facts of its conferences. Key messages are the text's
    non-empty lines; an answer sheet's are its lines."""
    if kind == DraftKind.KEY_MESSAGES:
        lines = [line.strip(" \t-•*0123456789.)") for line in text.splitlines()]
        draft = loading.draft_of(kind, items=[line for line in lines if line])
    else:
        # A plain text is one part, "text"; an answer sheet is checked as one text.
        draft = Draft(
            DraftKind.QA if kind == DraftKind.QA else DraftKind(kind),
            (Part("text", text),),
        )
    return engine.verify(draft, loading.office_context(office, day), release=release)


# --- The pre-approval check ----------------------------------------------------------------
class VerificationCheck:
    """Registered with :mod:`prima.conferences.hooks`: errors found by the automatic
    verification block approval unless waived with a reason."""

    name = "verification"

    def objections(
        self, material: Material, version: MaterialVersion, *, now: datetime
    ) -> list[Objection]:
        run = verify_version(version)
        if not run.errors:
            return []
        return [
            Objection(
                check=self.name,
                message=ngettext(
                    "the automatic verification found %(count)d error.",
                    "the automatic verification found %(count)d errors.",
                    run.errors,
                )
                % {"count": run.errors},
                details=tuple(
                    f"“{f['text']}”: {f['message']}" if f["text"] else f["message"]
                    for f in run.error_findings()
                ),  # fmt: skip
            )
        ]

    def waive(
        self,
        actor: User,
        material: Material,
        version: MaterialVersion,
        objections: list[Objection],
        reason: str,
        *,
        now: datetime,
    ) -> dict[str, Any]:
        run = verify_version(version)
        waiver = Waiver.objects.create(
            verification=run,
            version=version,
            reason=reason,
            waived_by=actor,
            waived_at=now,
            findings=run.error_findings(),
        )
        audit.log(
            actor,
            "verification.waive",
            waiver,
            after={
                "material": material.kind,
                "version": version.number,
                "reason": reason,
                "errors": [f"{f['kind']}: {f['text']}" for f in waiver.findings],
            },
            office=material.conference.office,
        )
        return {"waiver": waiver.pk, "errors": run.errors}


def waivers(version: MaterialVersion) -> list[Waiver]:
    return list(Waiver.objects.filter(version=version).select_related("waived_by"))


def on_version_saved(version: MaterialVersion) -> None:
    """Check a newly saved version once its transaction commits (the findings are ready
    when the writer looks). A failure here is logged and the check runs again when the
    findings are shown or the version is approved."""
    pk = version.pk

    def run() -> None:
        found = MaterialVersion.objects.filter(pk=pk).first()
        if found is not None:
            verify_version(found)

    transaction.on_commit(run, robust=True)
