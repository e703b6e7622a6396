"""The workbook of a folder of published reports: the list, every report's figures as rows of the
per-unit sheets a merged workbook has (表二明细 …), and every finding, linked both ways."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from govxl.editions.model import Edition
from govxl.editions.rules import Severity
from govxl.excel.detail import write_head
from govxl.excel.fastrows import BLANK, NUMBER, FastCell, FastRowSheet
from govxl.excel.formulas import quote_sheet
from govxl.excel.sheets import text_lines, write_raw
from govxl.excel.styles import Formats
from govxl.layout import SheetLayout, a1, layouts
from govxl.markers import KIND_PROPERTY
from govxl.sheetnames import FIRST_UNIT_ROW, LEAD, detail_columns, detail_sheet

if TYPE_CHECKING:
    from govxl.results.audit import AuditResult, Audits

LISTING = "年报清单"
FINDINGS = "校验结果"
LISTING_COLUMNS = (
    "序号",
    "文件",
    "单位",
    "报告年度",
    "表格格式",
    "读取方式",
    "错误",
    "提示",
    "校验结果",
    "无法读取的原因",
)
FINDING_COLUMNS = ("序号", "级别", "单位", "文件", "工作表", "单元格", "规则", "说明", "应为", "实际", "定位")
_WIDTHS = (5, 6, 20, 24, 8, 8, 6, 60, 8, 8, 8)


def write_audit_book(path: Path, audits: Audits) -> None:
    wb = xlsxwriter.Workbook(
        str(path), {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}
    )
    years = [r.year for r in audits.reports if r.year]
    wb.set_properties({"created": datetime(max(years, default=2021) + 1, 1, 1), "author": "govxl"})
    wb.set_custom_property(KIND_PROPERTY, "audit")
    fmt = Formats(wb)
    listing = wb.add_worksheet(LISTING)
    editions = _editions(audits.reports)
    suffix = {e.id: (f"（{e.id}）" if len(editions) > 1 else "") for e in editions}
    sheets = {
        (e.id, lay.table.key): wb.add_worksheet(detail_sheet(lay) + suffix[e.id], worksheet_class=FastRowSheet)
        for e in editions
        for lay in layouts(e)
    }
    findings_ws = wb.add_worksheet(FINDINGS)
    rows: dict[str, int] = {}  # report file -> its row on its edition's per-unit sheets
    for edition in editions:
        mine = [r for r in audits.reports if r.edition is edition]
        rows.update({r.file: FIRST_UNIT_ROW + i for i, r in enumerate(mine)})
        for lay in layouts(edition):
            _write_detail(sheets[(edition.id, lay.table.key)], fmt, lay, mine)
    first_finding = _write_findings(findings_ws, fmt, audits.reports, rows, suffix)
    _write_listing(listing, fmt, audits, first_finding)
    listing.activate()
    wb.close()


def _write_listing(ws: Worksheet, fmt: Formats, audits: Audits, first_finding: dict[str, int]) -> None:
    for j, text in enumerate(LISTING_COLUMNS):
        ws.write_string(0, j, text, fmt["header"])
    for j, w in enumerate((5, 36, 24, 8, 14, 8, 6, 6, 8, 40)):
        ws.set_column(j, j, w)
    r = 0
    for r, report in enumerate(audits.reports, start=1):
        values = (
            r,
            report.file,
            report.unit,
            report.year,
            report.edition.short_name,
            report.read_as,
            len(report.errors),
            len(report.hints),
        )
        for j, v in enumerate(values):
            write_raw(ws, r, j, v, fmt["text"])
        if report.file in first_finding:
            target = f"internal:{quote_sheet(FINDINGS)}!A{first_finding[report.file] + 1}"
            ws.write_url(r, len(values), target, fmt["link"], "查看")
        else:
            ws.write_string(r, len(values), "通过", fmt["text"])
        ws.write_blank(r, len(values) + 1, None, fmt["text"])
    for k, (file, why) in enumerate(audits.failed, start=r + 1):
        for j, v in enumerate((k, file, None, None, None, None, None, None, "无法读取", why)):
            write_raw(ws, k, j, v, fmt["text"])
        ws.set_row(k, 15 * max(text_lines(why, 40), text_lines(file, 36)))
        r = k
    ws.freeze_panes(1, 0)
    _print_setup(ws, fit=True)
    if r:
        ws.autofilter(0, 0, r, len(LISTING_COLUMNS) - 1)


def _write_detail(ws: FastRowSheet, fmt: Formats, lay: SheetLayout, reports: Sequence[AuditResult]) -> None:
    write_head(ws, fmt, lay, "各份年报的数据", "数字按年报原文读出；标色的单元格有错误或提示，见“校验结果”。")
    column = detail_columns(lay)
    flagged = {Severity.ERROR: fmt["flag_error"], Severity.HINT: fmt["flag_hint"]}
    value, text = fmt["value"], fmt["text"]
    last = len(LEAD) + len(lay.cells) - 1
    for i, report in enumerate(reports):
        r = FIRST_UNIT_ROW + i
        severity = {f.key: f.severity for f in report.findings if f.key and f.severity is Severity.HINT}
        severity.update({f.key: f.severity for f in report.findings if f.key and f.severity is Severity.ERROR})
        cells: list[FastCell] = [
            (0, NUMBER, i + 1, value),
            ws.string_cell(r, 1, report.unit, text),
            ws.string_cell(r, 2, Path(report.file).name, text),
        ]
        for c in lay.cells:  # a published figure is a finite number or a blank (audit.values)
            style = flagged.get(severity.get(c.key), value)  # type: ignore[arg-type]
            number = report.values.get(c.key)
            cells.append(
                (column[c.key], BLANK, None, style) if number is None else (column[c.key], NUMBER, number, style)
            )
        ws.add_fast_row(r, 0, last, lambda cells=cells: cells)


def _write_findings(
    ws: Worksheet, fmt: Formats, reports: Sequence[AuditResult], rows: dict[str, int], suffix: dict[str, str]
) -> dict[str, int]:
    """The findings of every report; returns each report's first row here, for the listing's links."""
    for j, text in enumerate(FINDING_COLUMNS):
        ws.write_string(0, j, text, fmt["header"])
    for j, w in enumerate(_WIDTHS):
        ws.set_column(j, j, w)
    first: dict[str, int] = {}
    r = 0
    for report in reports:
        lay_of: dict[str, SheetLayout] = {lay.table.key: lay for lay in layouts(report.edition)}
        for f in report.findings:
            r += 1
            first.setdefault(report.file, r)
            values = (r, f.severity.value, f.unit, Path(f.file).name, f.sheet, f.cell, f.rule, f.message)
            for j, v in enumerate((*values, f.expected, f.actual)):
                write_raw(ws, r, j, v if v != "" else None, fmt["text"])
            ws.set_row(r, 15 * max(text_lines(f.message, _WIDTHS[7]), 1))
            if f.key and report.file in rows:
                lay = lay_of[f.key.split(".")[0]]
                col = detail_columns(lay)[f.key]
                target = f"{quote_sheet(detail_sheet(lay) + suffix[report.edition.id])}!{a1(rows[report.file], col)}"
                ws.write_url(r, len(FINDING_COLUMNS) - 1, "internal:" + target, fmt["link"], "转到")
    ws.freeze_panes(1, 0)
    _print_setup(ws, fit=True)
    if r:
        ws.autofilter(0, 0, r, len(FINDING_COLUMNS) - 1)
        ws.conditional_format(
            1, 1, r, 1, {"type": "cell", "criteria": "==", "value": '"错误"', "format": fmt["cf_error"]}
        )
    else:
        ws.write_string(1, 0, "未发现错误或提示。", fmt["text"])
    return first


def _print_setup(ws: Worksheet, *, fit: bool) -> None:
    ws.set_landscape()
    ws.set_paper(9)
    if fit:
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(0)


def _editions(reports: Sequence[AuditResult]) -> list[Edition]:
    return sorted({r.edition.id: r.edition for r in reports}.values(), key=lambda e: e.id, reverse=True)
