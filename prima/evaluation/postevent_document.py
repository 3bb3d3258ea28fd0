"""The evaluation report as a document (DOCX or PDF): :func:`document_content` turns the
report (:func:`prima.evaluation.postevent.report`) into documents' content model, and
:func:`generate` has the documents app render and store it
(:func:`prima.documents.generation.services.store_content`: letterhead, number, file with
its checksum, audit entry ``document.generate``)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from prima.conferences.models import Conference
from prima.documents.generation import content as c
from prima.documents.generation import services as generation
from prima.documents.generation.models import DocumentFormat, DocumentKind, GeneratedDocument
from prima.lib import dates
from prima.lib.money import format_number
from prima.organizations import policy
from prima.organizations.models import User

from . import postevent

FORMATS = tuple(DocumentFormat.values)
TONE_LABELS = {"positive": "Positive", "neutral": "Neutral", "negative": "Negative"}


def _value(figure: postevent.Figure) -> str:
    if figure.value is None:
        return "—"
    decimals = 1 if isinstance(figure.value, float) else 0
    text = format_number(figure.value, decimals)
    return f"{text}%" if figure.percent else text


def document_content(conference: Conference, report: postevent.Report) -> c.Content:
    """The report as blocks: one section per AMEC step with its figures, and the
    evidence under it (coverage, outlets, pickup with sentences, accuracy, questions,
    tone before and after, lessons learned)."""
    lang = get_language() or "id"
    tz = conference.office.timezone or dates.DEFAULT_TZ
    blocks: list[c.Block] = []
    for section in report.sections:
        blocks.append(c.Heading(section.title))
        blocks.append(c.Paragraph(section.question, style="small"))
        rows = tuple((f.label, _value(f)) for f in section.figures)
        blocks.append(c.Table((_("Measure"), _("Value")), rows, widths=(3, 2)))
        if section.code == "outputs" and report.coverage:
            blocks.append(
                c.Table(
                    (_("Published"), _("Outlet"), _("Headline"), _("Tone")),
                    tuple(
                        (
                            dates.format_date(i.published_at, lang, weekday=False, tz_name=tz)
                            if i.published_at
                            else "—",
                            i.outlet or i.author or "—",
                            i.title,
                            _(TONE_LABELS[i.tone]) if i.tone in TONE_LABELS else "—",
                        )
                        for i in report.coverage
                    ),
                    caption=_("Coverage items confirmed"),
                    widths=(2, 3, 7, 2),
                )
            )
        elif section.code == "outtakes":
            for pickup in report.pickup:
                blocks.append(c.Paragraph(pickup.message, lead_in=_("Key message") + ": "))
                carried = [f"{i['title']}: “{i['sentence']}”" for i in pickup.items]
                blocks.append(
                    c.ListBlock(tuple(carried), numbered=False)
                    if carried
                    else c.Paragraph(_("Not carried by any confirmed item."), style="note")
                )
            wrong = [
                (a.item, x["text"], f"{x['fact']}: {x['expected']}")
                for a in report.accuracy
                for x in a.contradictions
            ]
            if wrong:
                blocks.append(
                    c.Table(
                        (_("Coverage item"), _("Figure"), _("Verified fact")),
                        tuple(wrong),
                        caption=_("Contradicting the facts"),
                        widths=(4, 2, 6),
                    )
                )
            unforeseen = [q.question for q in report.questions if not q.foreseen]
            if unforeseen:
                blocks.append(c.Heading(_("Questions the Q&A sheet did not foresee"), level=3))
                blocks.append(c.ListBlock(tuple(unforeseen), numbered=True))
        elif section.code == "outcomes" and report.tone:
            blocks.append(
                c.Table(
                    ("", _("Positive"), _("Neutral"), _("Negative")),
                    tuple(
                        (
                            t.label,
                            format_number(t.counts["positive"]),
                            format_number(t.counts["neutral"]),
                            format_number(t.counts["negative"]),
                        )
                        for t in report.tone
                    ),
                    caption=_("Tone before and after"),
                )
            )
        elif section.code == "impact":
            if report.lessons_learned:
                blocks.append(
                    c.Paragraph(report.lessons_learned, lead_in=_("Lessons learned") + ": ")
                )
            if report.evaluation_notes:
                blocks.append(c.Paragraph(report.evaluation_notes, lead_in=_("Notes") + ": "))
    subtitle = dates.format_datetime(report.held_at, lang, tz_name=tz) if report.held_at else ""
    return c.Content(
        kind_label=_("POST-EVENT EVALUATION REPORT"),
        title=conference.title,
        language=lang,
        subtitle=subtitle,
        blocks=tuple(blocks),
    )


def generate(actor: User, conference: Conference, fmt: str) -> GeneratedDocument:
    """Render the conference's evaluation report as ``fmt`` (pdf/docx) and store it
    (rights: ``postevent.view`` here, ``document.generate`` in the documents app)."""
    policy.check(actor, "postevent.view", conference)
    if fmt not in DocumentFormat.values:
        raise ValueError(fmt)
    content = document_content(conference, postevent.report(conference))
    return generation.store_content(
        actor,
        content,
        office=conference.office,
        kind=DocumentKind.EVALUATION,
        fmt=fmt,
        conference=conference,
        origin={"app": "evaluation", "report": "amec", "at": timezone.now().isoformat()},
    )
