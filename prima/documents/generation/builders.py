"""One builder per document kind: source objects → :class:`~.content.Content`.

Every builder runs inside ``translation.override(language)`` (see
:func:`.services.build`): labels come from the translation catalogue, texts from the
author (the material's version, or its English text)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from prima.conferences.models import Conference, MaterialKind
from prima.lib import dates
from prima.lib.money import format_number
from prima.organizations.models import Office

from . import content as c
from . import sources
from .models import DocumentKind, GeneratedDocument, Letterhead

Progress = Callable[[int], None]
SourceKind = Literal["conference", "case", "period"]
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


@dataclass
class Built:
    content: c.Content
    # material kind → version number it was made from (+ "approved": [kinds])
    source_versions: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Source:
    """What a document is generated from: one of a conference, a case or a period."""

    office: Office
    conference: Conference | None = None
    case: Any = None  # prima.crisis.models.Case
    period: tuple[date, date] | None = None


def _lang() -> str:
    from django.utils.translation import get_language

    return "en" if (get_language() or "id").startswith("en") else "id"


def _tz(office: Office) -> str:
    return office.timezone or dates.DEFAULT_TZ


def _day(conference: Conference) -> date:
    return conference.conference_date() if conference.scheduled_at else timezone.localdate()


def _versions(*texts: sources.Text | None) -> dict[str, Any]:
    found: dict[str, Any] = {t.kind: t.number for t in texts if t is not None}
    unapproved = sorted(t.kind for t in texts if t is not None and not t.approved)
    if unapproved:
        found["not_approved"] = unapproved
    return found


def _draft_note(*texts: sources.Text | None) -> list[c.Block]:
    if any(t is not None and not t.approved for t in texts):
        return [c.Paragraph(_("DRAFT — not yet approved for release."), "note")]
    return []


def _need(text: sources.Text | None, kind: str, language: str) -> sources.Text:
    if text is None:
        label = MaterialKind(kind).label
        if language == "en":
            raise sources.MissingText(
                _("There is no English text for “%(kind)s”: write it first.") % {"kind": label}
            )
        raise sources.MissingText(_("“%(kind)s” has no text yet.") % {"kind": label})
    return text


def _contact(row: Letterhead, office: Office) -> list[c.Block]:
    parts = [p for p in (row.contact_name, row.contact_title) if p]
    reach = [p for p in (row.contact_phone or office.phone, row.contact_email or office.email) if p]
    if not parts and not reach:
        return []
    return [
        c.Paragraph(
            ", ".join(parts) + (" — " if parts and reach else "") + " · ".join(reach),
            "contact",
            lead_in=_("Press contact:"),
        )
    ]


def _about(row: Letterhead, office: Office, language: str) -> list[c.Block]:
    text = (row.about_en if language == "en" else row.about) or ""
    if not text:
        return []
    return [c.Paragraph(text, "about", lead_in=_("About %(office)s:") % {"office": office.name})]


def _dateline(row: Letterhead, office: Office, day: date, language: str) -> str:
    city = row.city or office.city or office.short_name
    return f"{city}, {dates.format_date(day, language, weekday=False)} –"


def _release_number(office: Office, day: date) -> str:
    seq = (
        GeneratedDocument.objects.filter(
            office=office, kind=DocumentKind.PRESS_RELEASE, created_at__year=day.year
        ).count()
        or 1
    )
    return _("Number: %(n)s") % {
        "n": f"{seq:03d}/SP/{office.code.upper()}/{ROMAN[day.month - 1]}/{day.year}"
    }


def _quote_blocks(paragraphs: list[str], speaker: sources.Speaker | None) -> list[c.Block]:
    blocks: list[c.Block] = []
    for text in paragraphs:
        if speaker is not None and sources.is_quotation(text):
            blocks.append(c.Quote(text.strip('"“” '), speaker.name, speaker.title))
        else:
            blocks.append(c.Paragraph(text))
    return blocks


# --- Conference documents ---------------------------------------------------------------
def press_release(source: Source, progress: Progress) -> Built:
    conference, office, lang = _conference(source), source.office, _lang()
    statement = _need(
        sources.material_text(conference, MaterialKind.STATEMENT, lang),
        MaterialKind.STATEMENT,
        lang,
    )
    messages = sources.material_text(conference, MaterialKind.KEY_MESSAGES, lang)
    row = sources.letterhead_row(office)
    day = _day(conference)
    speaker = next(iter(sources.speakers(conference)), None)
    paragraphs = statement.paragraphs()
    title = (
        statement.title
        if statement.title.upper() not in {"SIARAN PERS", "PRESS RELEASE", ""}
        else conference.title
    )
    blocks: list[c.Block] = [*_draft_note(statement, messages)]
    if paragraphs:
        blocks.append(
            c.Paragraph(
                sources.split_dateline(paragraphs[0]),
                "lead",
                lead_in=_dateline(row, office, day, lang),
            )
        )
    blocks += _quote_blocks(paragraphs[1:], speaker)
    if speaker is not None and not any(isinstance(b, c.Quote) for b in blocks):
        points = [p for p in (messages.items if messages else []) if isinstance(p, str)]
        if points:
            blocks.append(c.Quote(" ".join(points), speaker.name, speaker.title))
    blocks += _about(row, office, lang) + _contact(row, office)
    blocks.append(c.EndMark(row.end_mark or "-selesai-"))
    progress(80)
    return Built(
        c.Content(
            kind_label=_("PRESS RELEASE"),
            title=title,
            language=lang,
            reference=_release_number(office, day),
            blocks=tuple(blocks),
        ),
        _versions(statement, messages),
    )


def holding_statement(source: Source, progress: Progress) -> Built:
    conference, office, lang = _conference(source), source.office, _lang()
    text = _need(
        sources.material_text(conference, MaterialKind.HOLDING_STATEMENT, lang),
        MaterialKind.HOLDING_STATEMENT,
        lang,
    )
    row = sources.letterhead_row(office)
    paragraphs = text.paragraphs()
    blocks: list[c.Block] = [*_draft_note(text)]
    if paragraphs:
        blocks.append(
            c.Paragraph(
                sources.split_dateline(paragraphs[0]),
                "lead",
                lead_in=_dateline(row, office, _day(conference), lang),
            )
        )
    speaker = next(iter(sources.speakers(conference)), None)
    blocks += _quote_blocks(paragraphs[1:], speaker)
    blocks.append(
        c.Paragraph(_("Further information will follow as soon as it has been verified."), "small")
    )
    blocks += _contact(row, office)
    blocks.append(c.EndMark(row.end_mark or "-selesai-"))
    return Built(
        c.Content(
            kind_label=_("HOLDING STATEMENT"),
            title=text.title or conference.title,
            language=lang,
            subtitle=dates.format_date(_day(conference), lang),
            blocks=tuple(blocks),
        ),
        _versions(text),
    )


def _internal_header(conference: Conference, lang: str) -> list[c.Block]:
    speakers = sources.speakers(conference)
    rows = [
        (_("Press conference"), conference.title),
        (_("Date"), dates.format_date(_day(conference), lang)),
        (
            _("Spokesperson"),
            "; ".join(f"{s.name}, {s.title}".strip(", ") for s in speakers)
            or _("not appointed yet"),
        ),
    ]
    return [
        c.Paragraph(_("For internal use: not for distribution."), "note"),
        c.Table((pgettext("document table", "Item"), _("Details")), tuple(rows), widths=(1, 3)),
    ]


def key_messages(source: Source, progress: Progress) -> Built:
    conference, lang = _conference(source), _lang()
    text = _need(
        sources.material_text(conference, MaterialKind.KEY_MESSAGES, lang),
        MaterialKind.KEY_MESSAGES,
        lang,
    )
    points = tuple(p for p in text.items if isinstance(p, str) and p.strip())
    blocks: list[c.Block] = [
        *_draft_note(text),
        *_internal_header(conference, lang),
        c.Heading(_("Key messages")),
        c.ListBlock(points),
    ]
    if text.body.strip():
        blocks.append(c.Paragraph(text.body.strip()))
    return Built(
        _on_conference(conference, _("KEY MESSAGES"), lang, blocks),
        _versions(text),
    )


def qa(source: Source, progress: Progress) -> Built:
    conference, lang = _conference(source), _lang()
    text = _need(sources.material_text(conference, MaterialKind.QA, lang), MaterialKind.QA, lang)
    blocks: list[c.Block] = [*_draft_note(text), *_internal_header(conference, lang)]
    pairs = [p for p in text.items if isinstance(p, dict)]
    for i, pair in enumerate(pairs, start=1):
        blocks.append(c.Heading(f"{i}. {pair.get('question', '')}", 3))
        blocks.append(c.Paragraph(str(pair.get("answer", "")), lead_in=_("Answer:")))
    return Built(
        _on_conference(conference, _("QUESTIONS AND ANSWERS"), lang, blocks),
        _versions(text),
    )


def _when(conference: Conference, lang: str) -> tuple[str, str]:
    tz = _tz(conference.office)
    if conference.scheduled_at is None:
        return _("to be announced"), ""
    return (
        dates.format_date(conference.scheduled_at, lang, tz_name=tz),
        dates.format_time(conference.scheduled_at, lang, tz_name=tz),
    )


def _on_conference(
    conference: Conference, kind_label: str, lang: str, blocks: list[c.Block]
) -> c.Content:
    """A document about ``conference``: its title under the document's kind."""
    return c.Content(
        kind_label=kind_label, title=conference.title, language=lang, blocks=tuple(blocks)
    )


def _when_where(day: str, time: str, conference: Conference) -> c.Paragraph:
    """The small line under a title: day · time · venue (what is known of them)."""
    return c.Paragraph(" · ".join(p for p in (day, time, conference.venue) if p), "small")


def invitation(source: Source, progress: Progress) -> Built:
    conference, office, lang = _conference(source), source.office, _lang()
    row = sources.letterhead_row(office)
    day, time = _when(conference, lang)
    speakers = sources.speakers(conference)
    details = [
        (_("Day and date"), day),
        (_("Time"), (time + " – " + _("finished")) if time else _("to be announced")),
        (_("Venue"), conference.venue or _("to be announced")),
        (_("Agenda"), conference.title),
        (
            _("Speakers"),
            "\n".join(f"{s.name}, {s.title}".strip(", ") for s in speakers) or _("to be announced"),
        ),
    ]
    blocks: list[c.Block] = [
        c.Paragraph(_("To: editors-in-chief, news desks and journalists"), lead_in=""),
        c.Paragraph(
            _("%(office)s invites you to cover a press conference:") % {"office": office.name}
        ),
        c.Table((pgettext("document table", "Item"), _("Details")), tuple(details), widths=(1, 3)),
    ]
    if conference.summary:
        blocks.append(c.Paragraph(conference.summary))
    blocks.append(
        c.Paragraph(
            _(
                "Please confirm your attendance and bring your press card; reception and sign-in "
                "open 30 minutes before the start."
            ),
            "small",
        )
    )
    blocks += _contact(row, office)
    blocks.append(c.EndMark(row.end_mark or "-selesai-"))
    return Built(_on_conference(conference, _("MEDIA INVITATION"), lang, blocks))


def rundown(source: Source, progress: Progress) -> Built:
    conference, lang = _conference(source), _lang()
    day, time = _when(conference, lang)
    sep = ":" if lang == "en" else "."
    rows = tuple(
        (f"{i.starts_at:%H}{sep}{i.starts_at:%M}", str(i.duration_minutes), i.activity, i.person)
        for i in conference.rundown.all()
    )
    roles = tuple(
        (str(r.get_role_display()), r.person_name)
        for r in conference.role_assignments.select_related("user")
    )
    blocks: list[c.Block] = [
        _when_where(day, time, conference),
        c.Table((_("Time"), _("Minutes"), _("Activity"), _("Person")), rows, widths=(1, 1, 5, 3))
        if rows
        else c.Paragraph(_("No run-down has been entered yet."), "note"),
    ]
    if roles:
        blocks += [c.Heading(_("Roles")), c.Table((_("Role"), _("Name")), roles, widths=(1, 2))]
    return Built(_on_conference(conference, _("RUN-DOWN"), lang, blocks))


def attendance(source: Source, progress: Progress) -> Built:
    conference, lang = _conference(source), _lang()
    tz = _tz(conference.office)
    day, time = _when(conference, lang)
    rows = [
        (str(i), a.journalist, a.outlet, dates.format_time(a.signed_in_at, lang, tz_name=tz), "")
        for i, a in enumerate(conference.attendance.all(), start=1)
    ]
    # A printed sign-in sheet needs empty lines to write on.
    start = len(rows) + 1
    rows += [(str(i), "", "", "", "") for i in range(start, start + max(0, 15 - len(rows)))]
    blocks: list[c.Block] = [
        _when_where(day, time, conference),
        c.Table(
            (_("No."), _("Name"), _("Outlet"), _("Signed in"), _("Signature")),
            tuple(rows),
            widths=(1, 5, 4, 2, 3),
        ),
    ]
    return Built(_on_conference(conference, _("ATTENDANCE LIST"), lang, blocks))


def question_log(source: Source, progress: Progress) -> Built:
    conference, lang = _conference(source), _lang()
    tz = _tz(conference.office)
    rows = tuple(
        (
            str(i),
            dates.format_time(q.asked_at, lang, tz_name=tz),
            f"{q.asker} ({q.outlet})" if q.outlet else q.asker,
            q.question,
            q.answered_by,
            q.answer_summary,
            (_("done") if q.follow_up_done_at else _("pending")) if q.follow_up_needed else "—",
        )
        for i, q in enumerate(conference.questions.all(), start=1)
    )
    pending = sum(1 for r in rows if r[-1] == _("pending"))
    blocks: list[c.Block] = [
        c.Paragraph(
            _("%(n)s questions; %(p)s follow-ups pending.") % {"n": len(rows), "p": pending},
            "small",
        ),
        c.Table(
            (
                _("No."),
                _("Time"),
                _("Asked by"),
                _("Question"),
                _("Answered by"),
                _("Answer"),
                _("Follow-up"),
            ),
            rows,
            widths=(1, 2, 3, 6, 3, 6, 2),
        )
        if rows
        else c.Paragraph(_("No questions were logged."), "note"),
    ]
    return Built(_on_conference(conference, _("QUESTION LOG"), lang, blocks))


def _count(value: int | None) -> str:
    return "—" if value is None else format_number(value)


def evaluation(source: Source, progress: Progress) -> Built:
    """The post-event evaluation as the conference stores it (the evaluation app may hand
    in richer content through :func:`.services.store_content`)."""
    conference, lang = _conference(source), _lang()
    tz = _tz(conference.office)
    day, time = _when(conference, lang)
    speakers = sources.speakers(conference)
    duration = ""
    if conference.actual_start and conference.actual_end:
        duration = dates.format_duration(
            (conference.actual_end - conference.actual_start).total_seconds(), lang
        )
    late = ""
    if conference.actual_start and conference.scheduled_at:
        late = dates.format_duration(
            (conference.actual_start - conference.scheduled_at).total_seconds(), lang
        )
    summary = [
        (_("Type"), str(conference.get_type_display())),
        (_("Scheduled"), f"{day} {time}".strip()),
        (
            _("Actual start"),
            dates.format_time(conference.actual_start, lang, tz_name=tz)
            if conference.actual_start
            else "—",
        ),
        (_("Start compared with the schedule"), late or "—"),
        (_("Duration (target: 30 minutes)"), duration or "—"),
        (_("Venue"), conference.venue or "—"),
        (_("Spokesperson"), "; ".join(s.name for s in speakers) or "—"),
        (_("Journalists present"), format_number(conference.attendance.count())),
        (_("Questions logged"), format_number(conference.questions.count())),
    ]
    accurate = {True: _("yes"), False: _("no"), None: "—"}[conference.coverage_accurate]
    coverage = [
        (_("News items"), _count(conference.coverage_count)),
        (_("Positive"), _count(conference.coverage_positive)),
        (_("Neutral"), _count(conference.coverage_neutral)),
        (_("Negative"), _count(conference.coverage_negative)),
        (_("Estimated reach"), _count(conference.coverage_reach)),
        (_("Key messages reported correctly"), accurate),
    ]
    links = tuple(
        (
            dates.format_date(link.published_at, lang, weekday=False, tz_name=tz)
            if link.published_at
            else "—",
            link.outlet,
            link.title,
            str(link.get_tone_display()) if link.tone else "—",
        )
        for link in conference.coverage.all()
    )
    progress(60)
    blocks: list[c.Block] = [
        c.Heading(_("Summary")),
        c.Table((pgettext("document table", "Item"), _("Result")), tuple(summary), widths=(2, 3)),
        c.Heading(_("Coverage")),
        c.Table((_("Measure"), _("Value")), tuple(coverage), widths=(2, 3)),
    ]
    if links:
        blocks.append(
            c.Table(
                (_("Published"), _("Outlet"), _("Headline"), _("Tone")),
                links,
                caption=_("News items"),
                widths=(2, 3, 7, 2),
            )
        )
    if conference.lessons_learned:
        blocks += [c.Heading(_("Lessons learned")), c.Paragraph(conference.lessons_learned)]
    if conference.evaluation_notes:
        blocks += [c.Heading(_("Notes")), c.Paragraph(conference.evaluation_notes)]
    return Built(_on_conference(conference, _("POST-EVENT EVALUATION REPORT"), lang, blocks))


def _conference(source: Source) -> Conference:
    if source.conference is None:
        raise ValueError("this document is made from a press conference")
    return source.conference


@dataclass(frozen=True)
class Kind:
    code: str
    source: SourceKind
    build: Callable[[Source, Progress], Built]
    # Long documents always go through the background task and show their progress.
    long: bool = False


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    KINDS[kind.code] = kind
    return kind


for _kind in (
    Kind(DocumentKind.PRESS_RELEASE, "conference", press_release),
    Kind(DocumentKind.HOLDING_STATEMENT, "conference", holding_statement),
    Kind(DocumentKind.KEY_MESSAGES, "conference", key_messages),
    Kind(DocumentKind.QA, "conference", qa),
    Kind(DocumentKind.INVITATION, "conference", invitation),
    Kind(DocumentKind.RUNDOWN, "conference", rundown),
    Kind(DocumentKind.ATTENDANCE, "conference", attendance),
    Kind(DocumentKind.QUESTION_LOG, "conference", question_log),
    Kind(DocumentKind.EVALUATION, "conference", evaluation),
):
    register(_kind)
