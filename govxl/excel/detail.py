"""The per-unit sheets of a merged workbook (表二明细 …): one row per unit, one column per input cell.

The writer (:mod:`govxl.excel.merged_book`) and the readers of merged workbooks
(:mod:`govxl.read.lastyear`, ``check`` on a merged workbook) follow its names and columns, which live in
:mod:`govxl.sheetnames`, below both.
"""

from __future__ import annotations

import math
from itertools import groupby
from typing import TYPE_CHECKING

from govxl.judge.engine import prefill_definitions
from govxl.layout import SheetLayout
from govxl.sheetnames import FIRST_UNIT_ROW, LEAD, headers

if TYPE_CHECKING:
    from xlsxwriter.worksheet import Worksheet

    from govxl.excel.styles import Formats
    from govxl.results.figures import Figures


def referenced_value(unit: Figures, key: str) -> float | str | bool:
    """What a formula ``=表三明细!X5`` evaluates to for this unit's cell, as the merged workbook writes it
    (:class:`govxl.excel.merged_book._UnitRows`): the computed total where the template's formula is kept, the
    text as typed (“/”, “十二”), 0 for a blank; so a formula's cached value is what Excel will compute."""
    if key in unit.formula_keys and key in prefill_definitions(unit.edition):
        return unit.numbers()[key]
    shown = unit.cells[key].shown
    if shown is None or shown == "":
        return 0.0
    if isinstance(shown, (str, bool)):
        return shown
    if isinstance(shown, (int, float)) and math.isfinite(shown):
        return float(shown)
    return unit.numbers()[key]


def write_head(ws: Worksheet, fmt: Formats, lay: SheetLayout, what: str, note: str) -> None:
    """Title, the two header rows (a merged cell per run of the same top header), the note row, widths,
    panes and print setup of a per-unit sheet: the merged workbook's and the audit workbook's alike."""
    width = len(LEAD) + len(lay.cells)
    ws.merge_range(0, 0, 0, min(width, 12) - 1, f"{lay.table.title}：{what}", fmt["subtitle"])
    ws.merge_range(3, 0, 3, min(width, 12) - 1, note, fmt["plain"])
    for i, text in enumerate(LEAD):
        ws.merge_range(1, i, 2, i, text, fmt["header"])
    tops = headers(lay)
    first = len(LEAD)
    for top, run in groupby(tops, key=lambda t: t[0]):  # one merged cell per run of the same top header
        last = first + len(list(run)) - 1
        if last > first:
            ws.merge_range(1, first, 1, last, top, fmt["header"])
        else:
            ws.write_string(1, first, top, fmt["header"])
        first = last + 1
    for j, (_, leaf) in enumerate(tops):
        ws.write_string(2, len(LEAD) + j, leaf, fmt["header"])
    ws.set_row(1, 45)
    ws.set_row(2, 30)
    ws.set_column(0, 0, 5)
    ws.set_column(1, 1, 22)
    ws.set_column(2, 2, 18)
    ws.set_column(len(LEAD), width - 1, 9)
    ws.freeze_panes(FIRST_UNIT_ROW, 2)
    ws.set_landscape()
    ws.set_paper(9)
    ws.repeat_rows(1, 2)
    ws.repeat_columns(0, 1)
