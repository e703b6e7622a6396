"""The sheet names and labels that both the writers and the readers of govxl's workbooks go by.

A writer puts them in a workbook, a reader finds its way by them: typed once here, below both, so that a reader
never imports a writer.
"""

from __future__ import annotations

from govxl.layout import SheetLayout

META_SHEET = "_govxl"  # the hidden sheet that says what a workbook is (govxl/excel/meta.py writes it)

UNIT_LABEL = "填报单位"  # on the cover: the unit's name is beside it
YEAR_LABEL = "报告年度"
EXPLANATION_LABEL = "说明"  # under each table: the department's explanation of its hints

# The per-unit sheets of a merged workbook (表二明细 …): one row per unit, one column per input cell.
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
