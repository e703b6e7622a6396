"""The report as a Word document (python-docx), the same bytes for the same data."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from datetime import datetime

from govxl.editions.model import BlockTable
from govxl.layout import SheetLayout, layouts
from govxl.outputs import custom_properties_xml
from govxl.report.data import (
    FONT,
    FONT_EAST_ASIA,
    SUMMARY_TITLE,
    GridCell,
    ReportData,
    body_size,
    header_rows,
    meta_lines,
    table_cells,
    unit_notes,
)
from govxl.report.prose import summary


def to_docx_bytes(data: ReportData) -> bytes:
    """The report as a .docx file; the same data always gives the same bytes."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2)
    section.top_margin = section.bottom_margin = Cm(2.2)
    _docx_styles(doc)
    _docx_properties(doc, data)
    _drop_thumbnail(doc)
    heading = doc.add_heading(data.title, level=0)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for line in meta_lines(data):
        doc.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.CENTER
    for lay in layouts(data.edition):
        doc.add_heading(lay.table.title, level=1)
        _docx_table(doc, lay, data.values, Cm(17))
        for n in unit_notes(lay):
            doc.add_paragraph(n)
    doc.add_heading(SUMMARY_TITLE, level=1)
    for s in summary(data.edition, data.values):
        p = doc.add_paragraph(s)
        p.paragraph_format.first_line_indent = Cm(0.74)
    buf = io.BytesIO()
    doc.save(buf)
    return fixed_zip(buf.getvalue(), data.stamp)


def _set_font(style: object, size: float | None = None, bold: bool | None = None) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    font = style.font  # type: ignore[attr-defined]
    font.name = FONT
    font.color.rgb = RGBColor(0, 0, 0)
    if size:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()  # type: ignore[attr-defined]
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    fonts.set(qn("w:eastAsia"), FONT_EAST_ASIA)


def _docx_styles(doc: object) -> None:
    from docx.shared import Pt

    styles = doc.styles  # type: ignore[attr-defined]
    _set_font(styles["Normal"], 12)
    _set_font(styles["Title"], 18, True)
    _set_font(styles["Heading 1"], 14, True)
    for name in ("Title", "Heading 1"):
        styles[name].paragraph_format.space_after = Pt(6)
    title = styles["Title"].element.pPr
    if title is not None:  # the default title style draws a coloured rule under itself
        for border in title.findall("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}pBdr"):
            title.remove(border)


def _docx_properties(doc: object, data: ReportData) -> None:
    props = doc.core_properties  # type: ignore[attr-defined]
    props.author = "govxl"
    props.last_modified_by = "govxl"
    props.created = data.stamp
    props.modified = data.stamp
    props.revision = 1
    props.title = data.title
    props.subject = data.edition.name
    props.comments = "由 govxl 生成"
    _mark_as_report(doc)


def _mark_as_report(doc: object) -> None:
    """docProps/custom.xml with ``govxl.kind`` = report, govxl's marker (python-docx has no custom properties)."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    package = doc.part.package  # type: ignore[attr-defined]
    content_type = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
    part = Part(PackURI("/docProps/custom.xml"), content_type, custom_properties_xml("report"), package)
    package.relate_to(part, RT.CUSTOM_PROPERTIES)


def _drop_thumbnail(doc: object) -> None:
    """The default template carries a preview picture of another document: leave it out.

    It also carries stylesWithEffects.xml (Word 2010's copy of the styles), which no longer matches
    the styles set here; Word treats such a mismatch as unreadable content, so it goes too.
    """
    rels = doc.part.package.rels  # type: ignore[attr-defined]
    for rid, rel in list(rels.items()):
        if rel.reltype.endswith("/metadata/thumbnail"):
            rels.pop(rid)
    document_rels = doc.part.rels  # type: ignore[attr-defined]
    for rid, rel in list(document_rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            document_rels.pop(rid)


def _column_weights(lay: SheetLayout) -> list[float]:
    t = lay.table
    if isinstance(t, BlockTable):
        return [2.0] + [1.0] * (lay.width - 1)
    labels = [1.2, 2.4, 4.0][-t.label_columns :] if t.label_columns else []
    return labels + [1.0] * (lay.width - t.label_columns)


def _docx_table(doc: object, lay: SheetLayout, values: Mapping[str, float], total_width: int) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT

    height, width = body_size(lay)
    table = doc.add_table(rows=height, cols=width)  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    weights = _column_weights(lay)
    for c, w in enumerate(weights):
        column = table.columns[c]
        column.width = int(total_width * w / sum(weights))  # the grid, which LibreOffice and WPS follow
        for cell in column.cells:
            cell.width = column.width  # the cells, which Word follows
    for r in range(header_rows(lay)):
        _repeat_header(table.rows[r])
    for g in table_cells(lay, values):
        cell = table.cell(g.row, g.col)
        if g.rowspan > 1 or g.colspan > 1:
            cell = cell.merge(table.cell(g.row + g.rowspan - 1, g.col + g.colspan - 1))
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        _fill_cell(cell, g)


def _fill_cell(cell: object, g: GridCell) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    p = cell.paragraphs[0]  # type: ignore[attr-defined]
    p.alignment = WD_ALIGN_PARAGRAPH.LEFT if g.role == "row" else WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_after = Pt(1.5)
    p.paragraph_format.space_before = Pt(1.5)
    p.paragraph_format.line_spacing = 1.0
    run = p.add_run(g.text)
    run.font.size = Pt(9)
    if g.is_header:
        _shade(cell, "F2F2F2")


def _shade(cell: object, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    successors = ("w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark")
    cell._tc.get_or_add_tcPr().insert_element_before(shd, *successors)  # type: ignore[attr-defined]


def _repeat_header(row: object) -> None:
    from docx.oxml import OxmlElement

    flag = OxmlElement("w:tblHeader")  # on by its presence: no w:val, which strict validators want as "on"
    successors = ("w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del", "w:trPrChange")
    row._tr.get_or_add_trPr().insert_element_before(flag, *successors)  # type: ignore[attr-defined]


def fixed_zip(data: bytes, stamp: datetime) -> bytes:
    """Rewrite a zip with every member dated ``stamp``, so that equal content gives equal bytes."""
    date_time = (stamp.year, stamp.month, stamp.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=date_time)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.create_system = 0
            member.external_attr = 0
            dst.writestr(member, src.read(info.filename))
    return out.getvalue()
