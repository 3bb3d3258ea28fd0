"""The monthly indicator report of a unit (an office, or a Kanwil beside its offices) as a
document (DOCX or PDF): :func:`document_content` turns the roll-up
(:func:`prima.evaluation.rollups.rollup`) into documents' content model, and
:func:`generate` has the documents app render and store it
(:func:`prima.documents.generation.services.store_content`: letterhead, number, file with
its checksum, audit entry ``document.generate``)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from prima.documents.generation import content as c
from prima.documents.generation import services as generation
from prima.documents.generation.models import DocumentFormat, DocumentKind, GeneratedDocument
from prima.organizations import policy
from prima.organizations.models import Office, OfficeLevel, User

from . import indicators as ind
from . import rollups

FORMATS = tuple(DocumentFormat.values)


class NotAMonth(ValueError):
    """The report is monthly: a quarter or a year is refused."""


def _cell_text(cell: rollups.Cell, not_measured: str) -> str:
    """A cell as on the page, with its target said in words."""
    if cell.value is None and cell.indicator.code == "pickup_share":
        return not_measured
    text = cell.text()
    if cell.missed:
        return f"{text} ({_('misses target %(t)s') % {'t': cell.target_text()}})"
    if cell.missed is False:
        return f"{text} ({_('target %(t)s met') % {'t': cell.target_text()}})"
    return text


def units(result: rollups.Rollup) -> list[rollups.UnitRow]:
    """The rows shown: an office alone has no total line (it would repeat its own)."""
    if len(result.rows) == 1 and result.rows[0].own:
        return [*result.rows]
    return [*result.rows, result.total]


def document_content(result: rollups.Rollup) -> c.Content:
    """The roll-up as blocks: one table per section of indicators, the units side by side
    (one row each, the total last), each indicator a column with the page's label."""
    lang = (get_language() or "id")[:2]
    not_measured = _("not yet measured")
    rows = units(result)
    blocks: list[c.Block] = [
        c.Paragraph(_("Real activity only: exercises and drills never count."), style="small"),
    ]
    for code, title in ind.SECTIONS.items():
        columns = [i for i in ind.INDICATORS if i.section == code]
        headers = (
            _("Office") if result.focus.level == OfficeLevel.OFFICE else _("Unit"),
            *(str(i.label) + (f" ({i.unit})" if i.unit else "") for i in columns),
        )
        blocks.append(c.Heading(str(title)))
        blocks.append(
            c.Table(
                headers,
                tuple(
                    (
                        row.label,
                        *(_cell_text(row.cells[i.code], not_measured) for i in columns),
                    )
                    for row in rows
                ),
                widths=(3, *(2 for _i in columns)),
            )
        )
    missed = [
        f"{row.label}: {ind.SECTIONS[i.section]} · {i.label}"
        for row in rows
        for i in ind.INDICATORS
        if row.cells[i.code].missed
    ]
    blocks.append(c.Heading(_("Targets missed")))
    blocks.append(
        c.ListBlock(tuple(missed), numbered=False)
        if missed
        else c.Paragraph(_("No target was missed."), style="note")
    )
    return c.Content(
        kind_label=_("MONTHLY INDICATOR REPORT"),
        title=result.focus.name,
        language=lang,
        subtitle=result.period.label(lang),
        blocks=tuple(blocks),
    )


def generate(actor: User, office: Office, period: rollups.Period, fmt: str) -> GeneratedDocument:
    """Render ``office``'s indicator report for the month ``period`` as ``fmt`` (pdf/docx)
    and store it (right: ``indicator.export``, so that the supervisors who read the
    roll-ups may also make their report). Raises :class:`NotAMonth` for a quarter or a year."""
    policy.check(actor, "indicator.export", office)
    if fmt not in DocumentFormat.values:
        raise ValueError(fmt)
    if period.kind != "month":
        raise NotAMonth(period.slug)
    result = rollups.rollup(office, period)
    content = document_content(result)
    return generation.store_content(
        actor,
        content,
        office=office,
        kind=DocumentKind.INDICATORS,
        fmt=fmt,
        right="indicator.export",
        period=(period.first, ind.add_months(period.months[-1], 1) - timedelta(days=1)),
        origin={
            "app": "evaluation",
            "report": "indicators",
            "period": period.slug,
            "at": timezone.now().isoformat(),
        },
    )
