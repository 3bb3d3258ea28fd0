"""The parts of a conference: checklist, facts and chronology, planning (run-down,
roles, readiness, invitations), execution logs and coverage."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from prima.organizations import files
from prima.organizations.models import User

from ..models import (
    Attendance,
    Channel,
    ChecklistItem,
    ChronologyEntry,
    Conference,
    ConferenceRole,
    CoverageLink,
    EmailStatus,
    EvidenceKind,
    Fact,
    Invitation,
    MediaContact,
    OpenQuestion,
    PriorStatement,
    QuestionLog,
    ReadinessItem,
    ReplyVia,
    RoleAssignment,
    RundownItem,
    Stage,
    Status,
    Tone,
)
from .base import (
    EVIDENCE_EXTENSIONS,
    EXECUTION_STAGES,
    UNTIL_EXECUTION,
    EvidenceError,
    FourEyesError,
    InvalidInput,
    InvalidTransition,
    _aware,
    _check,
    _check_version,
    _choice,
    _key,
    _local_today,
    _lock,
    _log,
    _now,
    _part,
    _require_active,
    _require_stage,
    _save_versioned,
    _text,
    _url,
)
from .mail import enqueue_invitation_emails


def validate_evidence_file(upload: UploadedFile) -> None:
    """Refuse files that are too large, of a type not allowed, or whose content does not
    match their extension. Reads the first bytes of the file."""
    max_bytes = int(settings.CONFERENCE_EVIDENCE_MAX_BYTES)
    if upload.size is not None and upload.size > max_bytes:
        raise EvidenceError(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {"size": f"{upload.size / 1_048_576:.1f}", "limit": f"{max_bytes / 1_048_576:.0f}"},
            field="file",
        )
    ext = PurePath(upload.name or "").suffix.lower()
    if ext not in EVIDENCE_EXTENSIONS:
        raise EvidenceError(
            _("Files of this type are not accepted. Allowed: %(types)s.")
            % {"types": ", ".join(sorted(e.lstrip(".") for e in EVIDENCE_EXTENSIONS))},
            field="file",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    expected = {
        ".pdf": lambda h: h.startswith(b"%PDF-"),
        ".png": lambda h: h.startswith(b"\x89PNG"),
        ".jpg": lambda h: h.startswith(b"\xff\xd8\xff"),
        ".jpeg": lambda h: h.startswith(b"\xff\xd8\xff"),
        ".docx": lambda h: h.startswith(b"PK\x03\x04"),
        ".xlsx": lambda h: h.startswith(b"PK\x03\x04"),
        ".pptx": lambda h: h.startswith(b"PK\x03\x04"),
        ".txt": lambda h: b"\x00" not in h,
        ".mp3": lambda h: h.startswith(b"ID3") or h[:1] == b"\xff",
        ".m4a": lambda h: h[4:8] == b"ftyp",
        ".mp4": lambda h: h[4:8] == b"ftyp",
    }[ext]
    if not head or not expected(head):
        raise EvidenceError(
            _("The file's content does not match its type (%(ext)s).") % {"ext": ext.lstrip(".")},
            field="file",
        )


def _fresh_item(item: ChecklistItem | int) -> ChecklistItem:
    pk = item.pk if isinstance(item, ChecklistItem) else item
    return ChecklistItem.objects.select_related("conference__office").get(pk=pk)


def complete_item(
    actor: User,
    item: ChecklistItem,
    *,
    note: str = "",
    file: UploadedFile | None = None,
    link: str = "",
    expected_version: int | None = None,
    now: datetime | None = None,
) -> ChecklistItem:
    """Tick a checklist item, with the evidence its kind asks for (a note, a file or a
    link; evidence already on a reopened item counts). The file is stored under
    MEDIA_ROOT."""
    item = _fresh_item(item)
    _check(actor, "conference.edit", item.conference)
    now = _now(now)
    note = (note or "").strip()
    link = _url(link, "link")
    if file is not None:
        validate_evidence_file(file)
    kind = EvidenceKind(item.evidence_kind)
    if kind == EvidenceKind.NOTE and not (note or item.evidence_note):
        raise EvidenceError(_("Write a short note as evidence."), field="note")
    if kind == EvidenceKind.LINK and not (link or item.evidence_link):
        raise EvidenceError(_("Give a link as evidence."), field="link")
    if kind == EvidenceKind.FILE and file is None and not item.evidence_file:
        raise EvidenceError(_("Attach a file as evidence."), field="file")
    try:
        return _complete(actor, item, now, note, link, file, expected_version)
    except files.StorageError as exc:
        raise EvidenceError(exc.messages[0], field="file") from exc


def _complete(
    actor: User,
    item: ChecklistItem,
    now: datetime,
    note: str,
    link: str,
    file: UploadedFile | None,
    expected_version: int | None,
) -> ChecklistItem:
    # The evidence file is written at once (a full disk refuses the change) and deleted
    # again if the change does not commit.
    with files.atomic():
        conf = _lock(item.conference_id)
        _require_active(conf)
        item = _fresh_item(item)
        _check_version(item, expected_version)
        if item.is_done:
            raise InvalidTransition(_("This checklist item is already done."))
        before = _part(item)
        fields = ["done_at", "done_by_id"]
        item.done_at, item.done_by = now, actor
        if note:
            item.evidence_note = note
            fields.append("evidence_note")
        if link:
            item.evidence_link = link
            fields.append("evidence_link")
        if file is not None:
            files.store(item.evidence_file, PurePath(file.name or "").name, file)
            fields.append("evidence_file")
        _save_versioned(item, fields)
        _log(
            actor,
            "conference.checklist.complete",
            conf,
            {_key(item): before},
            {_key(item): _part(item)},
        )
    return item


def reopen_item(
    actor: User,
    item: ChecklistItem,
    *,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> ChecklistItem:
    """Mark a done item open again (its evidence stays for reference). An open required
    item blocks the next stage again."""
    item = _fresh_item(item)
    _check(actor, "conference.edit", item.conference)
    with transaction.atomic():
        conf = _lock(item.conference_id)
        _require_active(conf)
        item = _fresh_item(item)
        _check_version(item, expected_version)
        if not item.is_done:
            raise InvalidTransition(_("This checklist item is not done."))
        if item.done_automatically:
            raise InvalidTransition(
                _(
                    "PRIMA completed this item from what was recorded; it reopens by itself "
                    "when that changes."
                )
            )
        before = _part(item)
        item.done_at = None
        item.done_by = None
        _save_versioned(item, ["done_at", "done_by_id"])
        _log(
            actor,
            "conference.checklist.reopen",
            conf,
            {_key(item): before},
            {_key(item): _part(item)},
        )
    return item


def _add_part(
    actor: User,
    action: str,
    conference: Conference,
    obj: Any,
    *,
    stages: Iterable[Stage] | None = None,
    stage_message: str = "",
) -> Any:
    """Lock, check state, save a new part and log it (one entry)."""
    with transaction.atomic():
        conf = _lock(conference)
        _require_active(conf)
        if stages is not None:
            _require_stage(conf, stages, stage_message)
        obj.conference = conf
        obj.save()
        _log(actor, action, conf, {}, {_key(obj): _part(obj)})
    return obj


def add_fact(
    actor: User,
    conference: Conference,
    *,
    statement: str,
    source: str,
    source_date: date | None = None,
    now: datetime | None = None,
) -> Fact:
    """Record a fact with its source. It counts as verified only once a second person
    confirms it (:func:`verify_fact`)."""
    _check(actor, "conference.edit", conference)
    statement = _text(statement, "statement", _("Write the fact."))
    source = _text(source, "source", _("Name the source of the fact."))
    fact = Fact(
        statement=statement,
        source=source,
        source_date=source_date,
        entered_by=actor,
        entered_at=_now(now),
    )
    return _add_part(actor, "conference.fact.add", conference, fact)


def edit_fact(
    actor: User,
    fact: Fact,
    *,
    expected_version: int | None,
    statement: str,
    source: str,
    source_date: date | None = None,
) -> Fact:
    """Change a fact; a verified fact loses its verification (someone else must confirm
    the new wording)."""
    fact = Fact.objects.select_related("conference__office").get(pk=fact.pk)
    _check(actor, "conference.edit", fact.conference)
    statement = _text(statement, "statement", _("Write the fact."))
    source = _text(source, "source", _("Name the source of the fact."))
    with transaction.atomic():
        conf = _lock(fact.conference_id)
        _require_active(conf)
        fact = Fact.objects.get(pk=fact.pk)
        _check_version(fact, expected_version)
        if (fact.statement, fact.source, fact.source_date) == (statement, source, source_date):
            return fact
        before = _part(fact)
        fact.statement, fact.source, fact.source_date = statement, source, source_date
        fact.edited_by = actor
        fact.verified_by, fact.verified_at = None, None
        _save_versioned(
            fact,
            ["statement", "source", "source_date", "edited_by_id", "verified_by_id", "verified_at"],
        )
        _log(actor, "conference.fact.edit", conf, {_key(fact): before}, {_key(fact): _part(fact)})
    return fact


def verify_fact(
    actor: User,
    fact: Fact,
    *,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Fact:
    """Confirm a fact as a second person: whoever entered or last edited it cannot."""
    fact = Fact.objects.select_related("conference__office").get(pk=fact.pk)
    _check(actor, "conference.verify_fact", fact.conference)
    with transaction.atomic():
        conf = _lock(fact.conference_id)
        _require_active(conf)
        fact = Fact.objects.get(pk=fact.pk)
        _check_version(fact, expected_version)
        if fact.is_verified:
            raise InvalidTransition(_("This fact is already verified."))
        if actor.pk in (fact.entered_by_id, fact.edited_by_id):
            raise FourEyesError(
                _("You entered or changed this fact; a second person must verify it.")
            )
        before = _part(fact)
        fact.verified_by, fact.verified_at = actor, _now(now)
        _save_versioned(fact, ["verified_by_id", "verified_at"])
        _log(actor, "conference.fact.verify", conf, {_key(fact): before}, {_key(fact): _part(fact)})
    return fact


def add_chronology(
    actor: User,
    conference: Conference,
    *,
    occurred_at: datetime,
    description: str,
    source: str = "",
) -> ChronologyEntry:
    _check(actor, "conference.edit", conference)
    description = _text(description, "description", _("Describe what happened."))
    if _aware(occurred_at, "occurred_at") is None:
        raise InvalidInput(_("Give the time."), field="occurred_at")
    entry = ChronologyEntry(
        occurred_at=occurred_at,
        description=description,
        source=(source or "").strip(),
        entered_by=actor,
    )
    return _add_part(actor, "conference.chronology.add", conference, entry)


def add_open_question(
    actor: User, conference: Conference, *, question: str, now: datetime | None = None
) -> OpenQuestion:
    _check(actor, "conference.edit", conference)
    question = _text(question, "question", _("Write the question."))
    obj = OpenQuestion(question=question, raised_by=actor, raised_at=_now(now))
    return _add_part(actor, "conference.open_question.add", conference, obj)


def resolve_open_question(
    actor: User, question: OpenQuestion, *, answer: str, now: datetime | None = None
) -> OpenQuestion:
    question = OpenQuestion.objects.select_related("conference__office").get(pk=question.pk)
    _check(actor, "conference.edit", question.conference)
    answer = _text(answer, "answer", _("Write the answer."))
    with transaction.atomic():
        conf = _lock(question.conference_id)
        _require_active(conf)
        question = OpenQuestion.objects.get(pk=question.pk)
        if question.resolved_at is not None:
            raise InvalidTransition(_("This question is already answered."))
        before = _part(question)
        question.answer, question.resolved_by, question.resolved_at = answer, actor, _now(now)
        question.save(update_fields=["answer", "resolved_by", "resolved_at"])
        _log(
            actor,
            "conference.open_question.resolve",
            conf,
            {_key(question): before},
            {_key(question): _part(question)},
        )
    return question


def add_prior_statement(
    actor: User,
    conference: Conference,
    *,
    title: str,
    url: str = "",
    published_on: date | None = None,
    summary: str = "",
) -> PriorStatement:
    _check(actor, "conference.edit", conference)
    title = _text(title, "title", _("Give the statement's title."))
    obj = PriorStatement(
        title=title,
        url=_url(url, "url"),
        published_on=published_on,
        summary=(summary or "").strip(),
        entered_by=actor,
    )
    return _add_part(actor, "conference.prior_statement.add", conference, obj)


def add_rundown_item(
    actor: User,
    conference: Conference,
    *,
    starts_at: time,
    activity: str,
    person: str = "",
    duration_minutes: int = 5,
) -> RundownItem:
    _check(actor, "conference.edit", conference)
    activity = _text(activity, "activity", _("Describe the activity."))
    if not isinstance(starts_at, time):
        raise InvalidInput(_("Give the time."), field="starts_at")
    if int(duration_minutes) < 0:
        raise InvalidInput(_("The duration cannot be negative."), field="duration_minutes")
    obj = RundownItem(
        starts_at=starts_at,
        activity=activity,
        person=(person or "").strip(),
        duration_minutes=int(duration_minutes),
    )
    return _add_part(
        actor,
        "conference.rundown.add",
        conference,
        obj,
        stages=UNTIL_EXECUTION,
        stage_message=_("The run-down can no longer change."),
    )


def remove_rundown_item(actor: User, item: RundownItem) -> None:
    item = RundownItem.objects.select_related("conference__office").get(pk=item.pk)
    _check(actor, "conference.edit", item.conference)
    with transaction.atomic():
        conf = _lock(item.conference_id)
        _require_active(conf)
        _require_stage(conf, UNTIL_EXECUTION, _("The run-down can no longer change."))
        before = {_key(item): _part(item)}
        key = _key(item)
        item.delete()
        _log(actor, "conference.rundown.remove", conf, before, {key: None})


def assign_role(
    actor: User, conference: Conference, *, role: str, user: User | None = None, name: str = ""
) -> RoleAssignment:
    """Give a role (moderator/MC, documentation, media liaison, …) to a person; replaces
    whoever had it."""
    _check(actor, "conference.edit", conference)
    role = _choice(ConferenceRole, role, "role")
    name = (name or "").strip()
    if user is None and not name:
        raise InvalidInput(_("Choose a person or write a name."), field="name")
    with transaction.atomic():
        conf = _lock(conference)
        _require_active(conf)
        _require_stage(conf, UNTIL_EXECUTION, _("Roles can no longer change."))
        existing = RoleAssignment.objects.filter(conference=conf, role=role).first()
        before = {f"role:{role}": _part(existing) if existing else None}
        assignment = existing or RoleAssignment(conference=conf, role=role)
        assignment.user, assignment.name = user, name
        assignment.save()
        _log(actor, "conference.role.assign", conf, before, {f"role:{role}": _part(assignment)})
    return assignment


def set_readiness(
    actor: User,
    item: ReadinessItem,
    *,
    is_ready: bool,
    notes: str = "",
    now: datetime | None = None,
) -> ReadinessItem:
    item = ReadinessItem.objects.select_related("conference__office").get(pk=item.pk)
    _check(actor, "conference.edit", item.conference)
    with transaction.atomic():
        conf = _lock(item.conference_id)
        _require_active(conf)
        _require_stage(conf, UNTIL_EXECUTION, _("Readiness can no longer change."))
        item = ReadinessItem.objects.get(pk=item.pk)
        before = _part(item)
        item.is_ready, item.notes = bool(is_ready), (notes or "").strip()
        item.checked_by, item.checked_at = actor, _now(now)
        item.save(update_fields=["is_ready", "notes", "checked_by", "checked_at"])
        _log(
            actor, "conference.readiness.set", conf, {_key(item): before}, {_key(item): _part(item)}
        )
    return item


def invite(
    actor: User,
    conference: Conference,
    contact: MediaContact,
    *,
    channel: str = Channel.WHATSAPP,
    now: datetime | None = None,
) -> Invitation:
    """Invite a journalist from the office's media-contacts register (their last contact
    date is updated with it). By e-mail, the invitation with the journalist's personal RSVP
    link is sent by a background task once the change is committed (see
    :mod:`.invitations`); by WhatsApp, the page offers the text to copy."""
    _check(actor, "conference.edit", conference)
    channel = _choice(Channel, channel, "channel")
    if channel == Channel.EMAIL and not contact.email:
        raise InvalidInput(
            _("%(who)s has no e-mail address in the media contacts.") % {"who": contact},
            field="contacts",
        )
    now = _now(now)
    with transaction.atomic():
        conf = _lock(conference)
        _require_active(conf)
        _require_stage(conf, UNTIL_EXECUTION, _("Invitations can no longer be sent."))
        contact = MediaContact.objects.get(pk=contact.pk)
        if contact.office_id != conf.office_id or not contact.is_active:
            raise InvalidInput(
                _("This journalist is not in the office's media contacts."), field="contact"
            )
        if Invitation.objects.filter(conference=conf, contact=contact).exists():
            raise InvalidInput(_("This journalist is already invited."), field="contact")
        invitation = Invitation.objects.create(
            conference=conf,
            contact=contact,
            channel=channel,
            invited_at=now,
            invited_by=actor,
            email_status=EmailStatus.PENDING if channel == Channel.EMAIL else "",
        )
        if channel == Channel.EMAIL:
            transaction.on_commit(enqueue_invitation_emails)
        today = _local_today(conf.office, now)
        MediaContact.objects.filter(pk=contact.pk).update(last_contact_on=today)
        _log(
            actor,
            "conference.invitation.add",
            conf,
            {},
            {_key(invitation): _part(invitation) | {"contact_last_contact_on": today}},
        )
    return invitation


def update_invitation(
    actor: User,
    invitation: Invitation,
    *,
    confirmed: bool | None = None,
    accredited: bool | None = None,
    declined: bool | None = None,
    now: datetime | None = None,
) -> Invitation:
    """Record a confirmation, accreditation or decline (None leaves a flag as it is)."""
    invitation = Invitation.objects.select_related("conference__office").get(pk=invitation.pk)
    _check(actor, "conference.edit", invitation.conference)
    now = _now(now)
    with transaction.atomic():
        conf = _lock(invitation.conference_id)
        _require_active(conf)
        invitation = Invitation.objects.get(pk=invitation.pk)
        before = _part(invitation)
        for flag, field in (
            (confirmed, "confirmed_at"),
            (accredited, "accredited_at"),
            (declined, "declined_at"),
        ):
            if flag is None:
                continue
            current = getattr(invitation, field)
            if flag and current is None:
                setattr(invitation, field, now)
            elif not flag:
                setattr(invitation, field, None)
        if confirmed is not None or declined is not None:
            invitation.replied_via = ReplyVia.STAFF if invitation.is_answered else ""
        after = _part(invitation)
        if after == before:
            return invitation
        invitation.save(
            update_fields=["confirmed_at", "accredited_at", "declined_at", "replied_via"]
        )
        _log(
            actor,
            "conference.invitation.update",
            conf,
            {_key(invitation): before},
            {_key(invitation): after},
        )
    return invitation


def add_attendance(
    actor: User,
    conference: Conference,
    *,
    journalist: str,
    outlet: str,
    contact: MediaContact | None = None,
    now: datetime | None = None,
) -> Attendance:
    _check(actor, "conference.edit", conference)
    journalist = _text(journalist, "journalist", _("Write the journalist's name."))
    outlet = _text(outlet, "outlet", _("Write the outlet."))
    if contact is not None and contact.office_id != conference.office_id:
        raise InvalidInput(
            _("This journalist is not in the office's media contacts."), field="contact"
        )
    obj = Attendance(journalist=journalist, outlet=outlet, contact=contact, signed_in_at=_now(now))
    return _add_part(
        actor,
        "conference.attendance.add",
        conference,
        obj,
        stages=EXECUTION_STAGES,
        stage_message=_("Attendance is recorded during the conference."),
    )


def log_question(
    actor: User,
    conference: Conference,
    *,
    asker: str,
    question: str,
    outlet: str = "",
    answered_by: str = "",
    answer_summary: str = "",
    follow_up_needed: bool = False,
    now: datetime | None = None,
) -> QuestionLog:
    _check(actor, "conference.edit", conference)
    asker = _text(asker, "asker", _("Write who asked."))
    question = _text(question, "question", _("Write the question."))
    obj = QuestionLog(
        asker=asker,
        outlet=(outlet or "").strip(),
        question=question,
        answered_by=(answered_by or "").strip(),
        answer_summary=(answer_summary or "").strip(),
        follow_up_needed=bool(follow_up_needed),
        asked_at=_now(now),
    )
    return _add_part(
        actor,
        "conference.question.add",
        conference,
        obj,
        stages=EXECUTION_STAGES,
        stage_message=_("Questions are logged during the conference."),
    )


def complete_follow_up(
    actor: User, question: QuestionLog, *, note: str, now: datetime | None = None
) -> QuestionLog:
    """Close a promised follow-up (also after the conference is closed)."""
    question = QuestionLog.objects.select_related("conference__office").get(pk=question.pk)
    _check(actor, "conference.edit", question.conference)
    note = _text(note, "note", _("Say how the question was followed up."))
    with transaction.atomic():
        conf = _lock(question.conference_id)
        if conf.status == Status.CANCELLED:
            _require_active(conf)
        question = QuestionLog.objects.get(pk=question.pk)
        if not question.follow_up_pending:
            raise InvalidTransition(_("This question has no pending follow-up."))
        before = _part(question)
        question.follow_up_done_at, question.follow_up_note = _now(now), note
        question.save(update_fields=["follow_up_done_at", "follow_up_note"])
        _log(
            actor,
            "conference.follow_up.done",
            conf,
            {_key(question): before},
            {_key(question): _part(question)},
        )
    return question


def add_coverage(
    actor: User,
    conference: Conference,
    *,
    title: str,
    url: str = "",
    outlet: str = "",
    published_at: datetime | None = None,
    tone: str = "",
    is_accurate: bool | None = None,
) -> CoverageLink:
    """Enter a news item about the conference by hand (after it took place)."""
    _check(actor, "conference.edit", conference)
    title = _text(title, "title", _("Write the headline."))
    if tone:
        _choice(Tone, tone, "tone")
    with transaction.atomic():
        conf = _lock(conference)
        too_early = Stage(conf.stage).position < Stage.EVALUATION.position
        if conf.status == Status.CANCELLED or too_early:
            raise InvalidTransition(_("Coverage is recorded after the conference."))
        link = CoverageLink.objects.create(
            conference=conf,
            source_app=CoverageLink.MANUAL,
            url=_url(url, "url"),
            title=title,
            outlet=(outlet or "").strip(),
            published_at=_aware(published_at, "published_at"),
            tone=tone,
            is_accurate=is_accurate,
        )
        _log(actor, "conference.coverage.add", conf, {}, {_key(link): _part(link)})
    return link


def link_coverage(
    conference: Conference,
    *,
    source_app: str,
    source_id: str,
    title: str,
    url: str = "",
    outlet: str = "",
    published_at: datetime | None = None,
    tone: str = "",
    actor: User | None = None,
) -> tuple[CoverageLink, bool]:
    """For higher apps (evaluation, dashboards): link a news item they found to the
    conference, idempotently by (source_app, source_id). Returns (link, created). No
    permission check: the caller decides (it runs as a system task or checks its own
    policy). Audited as ``conference.coverage.link`` when created or changed."""
    if not source_app or source_app == CoverageLink.MANUAL or not source_id:
        raise ValueError("link_coverage needs a source_app (not 'manual') and a source_id")
    with transaction.atomic():
        conf = _lock(conference)
        values = {
            "title": (title or "")[:400],
            "url": url or "",
            "outlet": outlet or "",
            "published_at": published_at,
            "tone": tone or "",
        }
        link = CoverageLink.objects.filter(
            conference=conf, source_app=source_app, source_id=str(source_id)
        ).first()
        before = _part(link) if link else None
        if link is None:
            link = CoverageLink.objects.create(
                conference=conf, source_app=source_app, source_id=str(source_id), **values
            )
        else:
            for name, value in values.items():
                setattr(link, name, value)
            if _part(link) == before:
                return link, False
            link.save()
        _log(
            actor, "conference.coverage.link", conf, {_key(link): before}, {_key(link): _part(link)}
        )
    return link, before is None
