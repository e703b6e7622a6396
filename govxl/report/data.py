"""What a report shows: its figures and the cells of each table, from the edition's layout. No I/O but :func:`load`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from govxl.editions.model import Edition, Kind, MatrixTable
from govxl.errors import InputError
from govxl.excel.template_book import EDITION_LABEL, cover_title
from govxl.layout import SheetLayout
from govxl.markers import KINDS
from govxl.normalize import State
from govxl.read.workbook import read_return
from govxl.results.figures import Figures
from govxl.sheetnames import UNIT_LABEL
from govxl.values import show

SUMMARY_TITLE = "总体情况（数据摘要）"
FORMATS = KINDS["report"].suffixes
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


def report_data(ret: Figures) -> ReportData:
    numbers = ret.numbers()
    # a cell whose content could not be used is left blank, never shown as a made-up 0
    unusable = {k for k, c in ret.cells.items() if c.state is State.ERROR and k not in ret.formula_keys}
    return ReportData(ret.edition, ret.year, ret.unit, {k: None if k in unusable else v for k, v in numbers.items()})


def load(source: Path) -> ReportData:
    """Read a merged workbook or a single return; :class:`InputError` if it cannot be used."""
    ret = read_return(source)
    if not isinstance(ret, Figures):
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


def meta_lines(data: ReportData) -> list[str]:
    lines = [f"{UNIT_LABEL}：{data.unit}"] if data.unit else []
    return [*lines, f"{EDITION_LABEL}：{data.edition.name}"]
