"""Content → DOCX (python-docx): the office works in Word, so the file is plain Word
structure (styles, a real table, a header with the letterhead), editable after download."""

from __future__ import annotations

import io

from docx import Document as new_document
from docx.document import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph

from . import content as c

FONT = "Liberation Sans"
MUTED = RGBColor(0x55, 0x55, 0x55)


def _bottom_border(paragraph: DocxParagraph) -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (
        ("w:val", "single"),
        ("w:sz", "12"),
        ("w:space", "4"),
        ("w:color", "1F3A5F"),
    ):
        bottom.set(qn(key), value)
    borders.append(bottom)
    p_pr.append(borders)


def _letterhead(doc: Document, head: c.Letterhead) -> None:
    header = doc.sections[0].header
    header.is_linked_to_previous = False
    table = header.add_table(rows=1, cols=2, width=Cm(17))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    logo_cell, text_cell = table.rows[0].cells
    logo_cell.width, text_cell.width = Cm(2.6), Cm(14.4)
    if head.logo:
        run = logo_cell.paragraphs[0].add_run()
        run.add_picture(io.BytesIO(head.logo), height=Cm(2.0))
    first = text_cell.paragraphs[0]
    lines = [
        (head.parent_name, 9, False),
        (head.name, 13, True),
        (head.address, 8.5, False),
        (head.contacts, 8.5, False),
    ]
    paragraph = first
    for i, (text, size, bold) in enumerate(line for line in lines if line[0]):
        if i:
            paragraph = text_cell.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(0)
        run = paragraph.add_run(text.upper() if bold else text)
        run.bold, run.font.size = bold, Pt(size)
    rule = header.add_paragraph()
    _bottom_border(rule)
    # The header's own first (empty) paragraph sits above the table: make it tiny.
    header.paragraphs[0].paragraph_format.space_after = Pt(0)


def _footer(doc: Document, text: str) -> None:
    footer = doc.sections[0].footer
    paragraph = footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text + " · ")
    run.font.size, run.font.color.rgb = Pt(8), MUTED
    # A PAGE field: Word fills in the page number.
    for kind, value in (("begin", None), ("instr", " PAGE "), ("end", None)):
        run = paragraph.add_run()
        run.font.size = Pt(8)
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = value
            run._r.append(instr)
        else:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)


def _centered(doc: Document, text: str, size: float, *, bold: bool = False) -> None:
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(2)
    run = paragraph.add_run(text)
    run.bold, run.font.size = bold, Pt(size)


def _table(doc: Document, block: c.Table) -> None:
    if block.caption:
        caption = doc.add_paragraph()
        run = caption.add_run(block.caption)
        run.bold, run.font.size = True, Pt(9.5)
        caption.paragraph_format.keep_with_next = True
    table = doc.add_table(rows=1, cols=len(block.headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, block.headers, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold, run.font.size = True, Pt(9)
        shading = OxmlElement("w:shd")
        shading.set(qn("w:val"), "clear")
        shading.set(qn("w:fill"), "E3E9F1")
        cell._tc.get_or_add_tcPr().append(shading)
    for row in block.rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=False):
            cell.text = ""
            cell.paragraphs[0].add_run(text).font.size = Pt(9)
    if block.widths and len(block.widths) == len(block.headers):
        total = sum(block.widths) or 1
        for row in table.rows:
            for cell, share in zip(row.cells, block.widths, strict=True):
                cell.width = Cm(16.5 * share / total)
    doc.add_paragraph().paragraph_format.space_after = Pt(0)


def _block(doc: Document, block: c.Block) -> None:
    if isinstance(block, c.Heading):
        paragraph = doc.add_paragraph()
        run = paragraph.add_run(block.text)
        run.bold = True
        run.font.size = Pt(13 if block.level <= 2 else 11)
        paragraph.paragraph_format.space_before = Pt(10)
        paragraph.paragraph_format.keep_with_next = True
    elif isinstance(block, c.Paragraph):
        paragraph = doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if block.lead_in:
            paragraph.add_run(block.lead_in + " ").bold = True
        run = paragraph.add_run(block.text)
        if block.style in ("small", "note", "contact"):
            run.font.size = Pt(9.5)
        if block.style == "note":
            run.italic = True
            run.font.color.rgb = MUTED
        if block.style == "about":
            run.font.size = Pt(9.5)
            paragraph.paragraph_format.space_before = Pt(8)
    elif isinstance(block, c.Quote):
        paragraph = doc.add_paragraph()
        paragraph.paragraph_format.left_indent = Cm(1)
        paragraph.add_run(f"“{block.text}”").italic = True
        attribution = f" — {block.name}" + (f", {block.title}" if block.title else "")
        paragraph.add_run(attribution).bold = True
    elif isinstance(block, c.ListBlock):
        style = "List Number" if block.numbered else "List Bullet"
        for item in block.items:
            doc.add_paragraph(item, style=style)
    elif isinstance(block, c.Table):
        _table(doc, block)
    elif isinstance(block, c.Image):
        doc.add_picture(io.BytesIO(block.png), width=Cm(block.width_cm))
        doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        if block.caption:
            caption = doc.add_paragraph()
            caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = caption.add_run(block.caption)
            run.italic, run.font.size = True, Pt(9)
    elif isinstance(block, c.PageBreak):
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    elif isinstance(block, c.EndMark):
        _centered(doc, block.text, 11, bold=True)


def render_docx(content: c.Content, *, footer: str = "") -> bytes:
    """The content as a Word document (A4, letterhead in the page header)."""
    doc = new_document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin, section.bottom_margin = Cm(1.6), Cm(1.8)
    section.header_distance = Cm(0.8)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    doc.core_properties.title = content.title
    doc.core_properties.language = content.language
    doc.core_properties.author = content.letterhead.name
    if content.letterhead.name:
        _letterhead(doc, content.letterhead)
    _footer(doc, footer or content.letterhead.name)
    _centered(doc, content.kind_label, 15, bold=True)
    if content.reference:
        _centered(doc, content.reference, 10)
    if content.title:
        _centered(doc, content.title, 13, bold=True)
    if content.subtitle:
        _centered(doc, content.subtitle, 10)
    for block in content.blocks:
        _block(doc, block)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
