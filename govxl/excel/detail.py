"""The per-unit sheets of a merged workbook (表二明细 …): one row per unit, one column per input cell.

Both the writer (:mod:`govxl.excel.merged`) and the readers of merged workbooks
(:mod:`govxl.lastyear`, ``check`` on a merged workbook) follow this layout.
"""

from __future__ import annotations

from govxl.layout import SheetLayout

DETAIL_SUFFIX = "明细"
FIRST_UNIT_ROW = 4  # rows 0-3: title, two header rows, a note row
LEAD = ("序号", "填报单位", "文件")


def detail_sheet(lay: SheetLayout) -> str:
    return lay.sheet + DETAIL_SUFFIX


def detail_columns(lay: SheetLayout) -> dict[str, int]:
    """Each input cell's column on its per-unit sheet."""
    return {c.key: len(LEAD) + i for i, c in enumerate(lay.cells)}


def headers(lay: SheetLayout) -> list[tuple[str, str]]:
    """(top, leaf) header of each column: a row label and its column, or a column group and its leaf."""
    out = []
    for c in lay.cells:
        if c.row_label:
            out.append((c.row_label, c.col_label))
        else:
            top, _, leaf = c.col_label.rpartition("·")
            out.append((top, leaf))
    return out
