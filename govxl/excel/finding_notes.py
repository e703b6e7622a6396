"""Findings shown in a workbook: a 批注 on each cell a finding names, and the 校验结果 sheet listing them all.

The wording is shared by the annotated copy (:mod:`govxl.excel.annotate`, openpyxl) and the audit workbook of
one report (:func:`govxl.excel.template_book.build_template`, XlsxWriter)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from xlsxwriter.workbook import Workbook

from govxl.editions.rules import Severity
from govxl.excel.styles import ERROR_FILL, HINT_FILL
from govxl.results.findings import LOCATED, Finding

SHEET = "校验结果"
COLUMNS = ("序号", "级别", "工作表", "单元格", "规则", "说明", "应为/建议值", "实际", "定位")
WIDTHS = (6, 6, 10, 8, 6, 80, 12, 12, 6)
AUTHOR = "govxl"


def note(f: Finding) -> str:
    text = f"【{f.severity.value}·{f.rule}】{f.message}"
    if f.expected and f.rule == LOCATED:
        text += f"（建议值：{f.expected}）"
    return text


def note_size(text: str) -> tuple[int, int]:
    """A note's width and height in pixels: tall enough for its lines."""
    return 360, min(400, 40 + 18 * text.count("\n") + len(text) // 2)


def by_cell(findings: Sequence[Finding], sheets: Sequence[str]) -> dict[tuple[str, str], list[Finding]]:
    """The findings that name a cell of one of ``sheets``, grouped by (sheet, cell), in order."""
    out: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for f in findings:
        if f.sheet and f.cell and f.sheet in sheets:
            out[(f.sheet, f.cell)].append(f)
    return out


def write_findings_sheet(wb: Workbook, findings: Sequence[Finding]) -> None:
    """The 校验结果 sheet as :func:`govxl.excel.annotate.annotate` adds it, written by XlsxWriter."""
    ws = wb.add_worksheet(SHEET)
    bold = wb.add_format({"bold": True})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    level = {
        sev: wb.add_format({"text_wrap": True, "valign": "top", "pattern": 1, "fg_color": fill})
        for sev, fill in ((Severity.ERROR, ERROR_FILL), (Severity.HINT, HINT_FILL))
    }
    link = wb.add_format({"font_color": "#0000FF", "underline": 1})
    for j, text in enumerate(COLUMNS):
        ws.write_string(0, j, text, bold)
    for i, f in enumerate(findings, start=1):
        row = (i, f.severity.value, f.sheet, f.cell, f.rule, f.message, f.expected, f.actual)
        for j, v in enumerate(row):
            style = level[Severity.ERROR if f.severity is Severity.ERROR else Severity.HINT] if j == 1 else wrap
            if isinstance(v, int):
                ws.write_number(i, j, v, style)
            elif v:
                ws.write_string(i, j, v, style)  # text from a return is never a formula
            else:
                ws.write_blank(i, j, None, style)
        if f.sheet and f.cell:
            ws.write_url(i, len(row), f"internal:'{f.sheet}'!{f.cell}", link, "转到")
    for j, width in enumerate(WIDTHS):
        ws.set_column(j, j, width)
    ws.freeze_panes(1, 0)
