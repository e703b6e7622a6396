"""The three tables as a report: Word (.docx), HTML or Markdown, with a summary in words.

Every label, merge and position comes from :func:`govxl.layout.layouts`;
the numbers from a merged workbook or a single return. The pure pieces
(:func:`report_data`, :func:`table_cells`, :func:`summary`, :func:`to_html`,
:func:`to_markdown`, :func:`to_docx_bytes`) do no I/O; :func:`write_report`
reads the source and writes the file atomically.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from govxl.check import FileCheck, check_return
from govxl.editions.model import BlockTable, Edition, Kind, MatrixTable
from govxl.errors import InputError, UsageError
from govxl.excel.read import Return, read_return
from govxl.excel.template import EDITION_LABEL, UNIT_LABEL, cover_title
from govxl.io import atomic_output, refuse_overwriting_inputs
from govxl.layout import SheetLayout, fragment_labels, layouts
from govxl.normalize import State
from govxl.values import show

SUMMARY_TITLE = "总体情况（数据摘要）"
FORMATS = (".docx", ".html", ".htm", ".md")
MARKDOWN_NOTE = "说明：Markdown 表格不能合并单元格。纵向合并的标题在所跨的每一行重复，横向合并的标题只写在第一格。"
FONT = "SimSun"
FONT_EAST_ASIA = "宋体"
HEADER_ROLES = ("caption", "header", "corner")


@dataclass(frozen=True)
class ReportData:
    """What a report shows: the edition, the year, the unit and one number per input cell."""

    edition: Edition
    year: int | None
    unit: str
    values: dict[str, float | None]  # None: blank, or a cell whose content could not be used

    @property
    def title(self) -> str:
        if self.year:
            return cover_title(self.year)
        return cover_title(0).removeprefix("0年度")  # the same title without a year

    @property
    def stamp(self) -> datetime:
        """A fixed document time derived from the report year: same input, same bytes."""
        return datetime((self.year or self.edition.years[0]) + 1, 1, 1)


@dataclass(frozen=True)
class GridCell:
    """One cell of a table body (the title row excluded), with its spans."""

    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    role: str = "value"  # caption | header | corner | row | note | na | value

    @property
    def is_header(self) -> bool:
        return self.role in HEADER_ROLES


# ---------------------------------------------------------------- data


def report_data(ret: Return) -> ReportData:
    numbers = ret.numbers()
    # a cell whose content could not be used is left blank, never shown as a made-up 0
    unusable = {k for k, c in ret.cells.items() if c.state is State.ERROR and k not in ret.formula_keys}
    return ReportData(ret.edition, ret.year, ret.unit, {k: None if k in unusable else v for k, v in numbers.items()})


def load(source: Path) -> ReportData:
    """Read a merged workbook or a single return; :class:`InputError` if it cannot be used."""
    ret = read_return(source)
    if not isinstance(ret, Return):
        raise InputError(f"无法生成报告：{source}：{ret.message}")
    return report_data(ret)


# ---------------------------------------------------------------- tables


def body_size(lay: SheetLayout) -> tuple[int, int]:
    """Rows and columns of a table without its title row."""
    return lay.height - 1, lay.width


def table_cells(lay: SheetLayout, values: Mapping[str, float]) -> list[GridCell]:
    """The table's body as cells in reading order; every grid position is covered exactly once."""
    cells: list[GridCell] = []
    for label in lay.labels:
        if label.role == "title":
            continue
        text = label.text if label.role != "note" else ""  # the template's filling instruction is not a label
        cells.append(
            GridCell(
                text,
                label.row - 1,
                label.col,
                label.last_row - label.row + 1,
                label.last_col - label.col + 1,
                label.role,
            )
        )
    for cell in lay.cells:
        value = values.get(cell.key)
        text = "" if value is None else show(value)
        cells.append(GridCell(text, cell.row - 1, cell.col, 1, cell.last_col - cell.col + 1, "value"))
    covered = {(r, c) for g in cells for r in range(g.row, g.row + g.rowspan) for c in range(g.col, g.col + g.colspan)}
    height, width = body_size(lay)
    cells += [GridCell("", r, c, role="na") for r in range(height) for c in range(width) if (r, c) not in covered]
    return sorted(cells, key=lambda g: (g.row, g.col))


def header_rows(lay: SheetLayout) -> int:
    """How many body rows are column headers (repeated on every page)."""
    return lay.header_rows[1] if isinstance(lay.table, MatrixTable) else 0


def unit_notes(lay: SheetLayout) -> list[str]:
    """A note for each amount column whose header does not state its unit."""
    notes = []
    for cell in lay.cells:
        if cell.kind is Kind.AMOUNT and "万元" not in cell.col_label:
            note = f"注：{cell.col_label}的单位为万元。"
            if note not in notes:
                notes.append(note)
    return notes


# ---------------------------------------------------------------- summary


def summary(edition: Edition, values: Mapping[str, float]) -> list[str]:
    """Sentences stating the main figures of 表二, 表三 and 表四."""
    return [_t2_sentence(edition, values), _t3_sentence(edition, values), _t4_sentence(edition, values)]


def _n(values: Mapping[str, float], *keys: str) -> str:
    if any(k in values and values[k] is None for k in keys) and all(values.get(k) is None for k in keys):
        return "（数据有误）"
    return show(sum(values.get(k) or 0.0 for k in keys))


def _short(label: str) -> str:
    """ "（二）部分公开（区分处理的，…）" -> "部分公开"."""
    label = re.sub(r"^（[一二三四五六七八九十]+）", "", label)
    return re.sub(r"（[^（）]*）$", "", label)


def result_groups(edition: Edition) -> list[tuple[str, tuple[str, ...]]]:
    """(short name, row keys) of each item of 三、本年度办理结果, from the label tree."""
    t3 = edition.table("t3")
    assert isinstance(t3, MatrixTable)
    results = next(n for n in t3.rows if n.children)
    members = set(edition.groups["results"])
    out = []
    for child in results.children:
        keys = tuple(k for k, _, _ in child.leaves() if k in members)
        if keys:
            out.append((_short(child.label), keys))
    return out


def _t3_total_column(edition: Edition) -> str:
    return next(k for k in edition.groups["t3_cols"] if k not in edition.groups["applicants"])


def _t3_sentence(edition: Edition, values: Mapping[str, float]) -> str:
    tot = _t3_total_column(edition)

    def row(key: str) -> str:
        return _n(values, f"t3.{key}.{tot}")

    parts = "，".join(
        f"{name}{_n(values, *(f't3.{k}.{tot}' for k in keys))}件" for name, keys in result_groups(edition)
    )
    return (
        f"本年新收政府信息公开申请{row('new_received')}件，上年结转{row('carried_over')}件；"
        f"本年度办理结果中，{parts}；结转下年度继续办理{row('carry_forward')}件。"
    )


def _t4_sentence(edition: Edition, values: Mapping[str, float]) -> str:
    t4 = edition.table("t4")
    assert isinstance(t4, MatrixTable)
    blocks = set(edition.groups["t4_blocks"])
    review = next(n for n in t4.columns if n.key in blocks)
    total = next(c.key for c in review.children if c.key not in edition.groups["t4_parts"])
    litigation = next(n for n in t4.columns if n is not review)
    kinds = [c for c in litigation.children if c.key in blocks]
    lit_keys = [f"t4.{c.key}.{total}" for c in kinds]
    detail = "，".join(f"{c.label}{_n(values, f't4.{c.key}.{total}')}件" for c in kinds)
    return (
        f"本年度因政府信息公开申请提起{review.label}{_n(values, f't4.{review.key}.{total}')}件，"
        f"{litigation.label}{_n(values, *lit_keys)}件（其中{detail}）。"
    )


def _t2_sentence(edition: Edition, values: Mapping[str, float]) -> str:
    t2 = edition.table("t2")
    assert isinstance(t2, BlockTable)
    rows = {key: label for (pos, key), label in fragment_labels(t2).items() if pos == 1}

    def v(row: str, col: str) -> str:
        return _n(values, f"t2.{row}.{col}")

    reg, norm = rows["regulations"], rows["normative"]
    if edition.id == "2019":
        decisions = "，".join(
            f"{rows[r]}处理决定{v(r, 'decisions')}件" for r in ("licensing", "other_services", "penalty", "coercion")
        )
        return (
            f"本年新制作{reg}{v('regulations', 'new_made')}件、{norm}{v('normative', 'new_made')}件，"
            f"新公开{reg}{v('regulations', 'new_published')}件、{norm}{v('normative', 'new_published')}件，"
            f"对外公开{reg}总数{v('regulations', 'total_published')}件、"
            f"{norm}总数{v('normative', 'total_published')}件；{decisions}；"
            f"{rows['procurement']}项目{v('procurement', 'projects')}个，"
            f"采购总金额{v('procurement', 'amount')}万元。"
        )
    decisions = "，".join(f"{rows[r]}处理决定{v(r, 'decisions')}件" for r in ("licensing", "penalty", "coercion"))
    return (
        f"本年制发{reg}{v('regulations', 'issued')}件、{norm}{v('normative', 'issued')}件，"
        f"废止{reg}{v('regulations', 'repealed')}件、{norm}{v('normative', 'repealed')}件，"
        f"现行有效{reg}{v('regulations', 'in_force')}件、{norm}{v('normative', 'in_force')}件；"
        f"{decisions}；{rows['fees']}本年收费金额{v('fees', 'amount')}万元。"
    )


# ---------------------------------------------------------------- HTML

_CSS = """body { font-family: "SimSun", "宋体", serif; max-width: 60em; margin: 2em auto; line-height: 1.6; }
h1 { text-align: center; font-size: 1.6em; }
h2 { font-size: 1.2em; margin-top: 1.6em; }
p.meta { text-align: center; margin: 0.2em 0; }
table { border-collapse: collapse; width: 100%; font-size: 0.9em; }
th, td { border: 1px solid #000; padding: 0.25em 0.4em; }
th { text-align: center; font-weight: normal; background: #f2f2f2; }
th.row { text-align: left; background: none; }
td { text-align: center; }
p.note { font-size: 0.9em; }"""


def to_html(data: ReportData) -> str:
    esc = html.escape
    out = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{esc(data.title)}</title>",
        f"<style>\n{_CSS}\n</style>",
        "</head>",
        "<body>",
        f"<h1>{esc(data.title)}</h1>",
        *(f'<p class="meta">{esc(line)}</p>' for line in _meta_lines(data)),
    ]
    for lay in layouts(data.edition):
        out.append(f"<h2>{esc(lay.table.title)}</h2>")
        out.extend(_html_table(lay, data.values))
        out.extend(f'<p class="note">{esc(n)}</p>' for n in unit_notes(lay))
    out.append(f"<h2>{esc(SUMMARY_TITLE)}</h2>")
    out.extend(f"<p>{esc(s)}</p>" for s in summary(data.edition, data.values))
    out += ["</body>", "</html>", ""]
    return "\n".join(out)


def _meta_lines(data: ReportData) -> list[str]:
    lines = [f"{UNIT_LABEL}：{data.unit}"] if data.unit else []
    return [*lines, f"{EDITION_LABEL}：{data.edition.name}"]


def _html_table(lay: SheetLayout, values: Mapping[str, float]) -> list[str]:
    out = ["<table>"]
    heads = header_rows(lay)
    by_row: dict[int, list[GridCell]] = {}
    for g in table_cells(lay, values):
        by_row.setdefault(g.row, []).append(g)
    for r in range(body_size(lay)[0]):
        if r == 0 and heads:
            out.append("<thead>")
        if r == heads:
            out.append("<tbody>")
        out.append("<tr>" + "".join(_html_cell(g) for g in by_row.get(r, [])) + "</tr>")
        if r == heads - 1:
            out.append("</thead>")
    out += ["</tbody>", "</table>"]
    return out


def _html_cell(g: GridCell) -> str:
    tag = "th" if g.is_header or g.role == "row" else "td"
    attrs = ""
    if g.role == "row":
        attrs += ' class="row" scope="row"'
    elif g.role in ("na", "note"):
        attrs += ' class="na"'
    if g.rowspan > 1:
        attrs += f' rowspan="{g.rowspan}"'
    if g.colspan > 1:
        attrs += f' colspan="{g.colspan}"'
    return f"<{tag}{attrs}>{html.escape(g.text)}</{tag}>"


# ---------------------------------------------------------------- Markdown


def markdown_grid(lay: SheetLayout, values: Mapping[str, float]) -> list[list[str]]:
    """The body as a plain grid: a row-spanning label in every row it spans, a column-spanning one in its first cell."""
    height, width = body_size(lay)
    grid = [[""] * width for _ in range(height)]
    for g in table_cells(lay, values):
        for r in range(g.row, g.row + g.rowspan):
            grid[r][g.col] = g.text
    return grid


def to_markdown(data: ReportData) -> str:
    out = [f"# {data.title}", ""]
    out += [line for m in _meta_lines(data) for line in (m, "")]
    out += [MARKDOWN_NOTE, ""]
    for lay in layouts(data.edition):
        out += [f"## {lay.table.title}", ""]
        grid = markdown_grid(lay, data.values)
        out.append(_md_row(grid[0]))
        out.append("|" + "|".join("---" for _ in grid[0]) + "|")
        out += [_md_row(row) for row in grid[1:]]
        out.append("")
        out += [line for n in unit_notes(lay) for line in (n, "")]
    out += [f"## {SUMMARY_TITLE}", ""]
    out += [line for s in summary(data.edition, data.values) for line in (s, "")]
    return "\n".join(out)


def _md_row(cells: list[str]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


# ---------------------------------------------------------------- Word


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
    for line in _meta_lines(data):
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


# ---------------------------------------------------------------- files


def check_format(suffix: str) -> str:
    """The lower-cased suffix if it names a report format; :class:`UsageError` otherwise."""
    if suffix.lower() not in FORMATS:
        shown = suffix or "（无扩展名）"
        raise UsageError(f"不支持的报告格式“{shown}”：请使用 .docx、.html 或 .md 作为输出文件的扩展名。")
    return suffix.lower()


def render(data: ReportData, suffix: str) -> bytes:
    """The report in the format named by a file suffix (.docx, .html, .htm, .md)."""
    suffix = check_format(suffix)
    if suffix == ".docx":
        return to_docx_bytes(data)
    if suffix == ".md":
        return to_markdown(data).encode("utf-8")
    return to_html(data).encode("utf-8")


def write_report(source: Path, output: Path) -> Path:
    """Write the report of ``source`` (a merged workbook or a single return) to ``output``."""
    publish_report(source, output)
    return output


def publish_report(source: Path, output: Path) -> FileCheck:
    """Write the report of ``source`` to ``output``; and the findings about ``source``, read once,
    which say whether its figures can be published as they are."""
    check_format(output.suffix)
    refuse_overwriting_inputs(output, [source])
    ret = read_return(source)
    if not isinstance(ret, Return):
        raise InputError(f"无法生成报告：{source}：{ret.message}")
    content = render(report_data(ret), output.suffix)
    with atomic_output(output) as tmp:
        tmp.write_bytes(content)
    return check_return(ret)
