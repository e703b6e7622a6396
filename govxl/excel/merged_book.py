"""Write the merged workbook: cover, the three tables as live sums of the
per-unit sheets, the per-unit sheets, and the list of findings."""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from govxl.editions.rules import Severity
from govxl.excel.charts import CHARTS, write_charts
from govxl.excel.detail import write_head
from govxl.excel.fastrows import BLANK, FORMULA, NUMBER, FastCell, FastRowSheet
from govxl.excel.formulas import Placement, condition, quote_sheet, side_expr, string_literal
from govxl.excel.meta import write_meta
from govxl.excel.sheets import text_lines, write_raw, write_table_sheet
from govxl.excel.styles import Formats
from govxl.excel.template_book import EDITION_LABEL, cover_title
from govxl.judge.engine import linear_checks, prefill_definitions
from govxl.judge.expr import Side
from govxl.layout import SheetLayout, a1, col_letter, layouts
from govxl.results.figures import Figures
from govxl.results.findings import Finding
from govxl.results.merge import Merged, Status
from govxl.sheetnames import FIRST_UNIT_ROW, LEAD, UNIT_LABEL, YEAR_LABEL, detail_columns, detail_sheet
from govxl.version import __version__

COVER = "汇总说明"
FINDINGS = "校验结果"
FINDING_COLUMNS = (
    "序号",
    "级别",
    "单位",
    "文件",
    "工作表",
    "单元格",
    "规则",
    "说明",
    "应为",
    "实际",
    "单位说明",
    "定位",
)


def write_merged(path: Path, result: Merged) -> None:
    wb = xlsxwriter.Workbook(
        str(path), {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}
    )
    stamp = _stamp(result)
    wb.set_properties(
        {
            "title": cover_title(result.year) + "（汇总）",
            "author": "govxl",
            "created": stamp,
            "comments": "由 govxl 汇总生成",
        }
    )
    fmt = Formats(wb)
    cover = wb.add_worksheet(COVER)
    table_sheets = {lay.table.key: wb.add_worksheet(lay.sheet) for lay in layouts(result.edition)}
    detail_sheets = {
        lay.table.key: wb.add_worksheet(detail_sheet(lay), worksheet_class=FastRowSheet)
        for lay in layouts(result.edition)
    }
    findings_ws = wb.add_worksheet(FINDINGS)
    charts_ws = wb.add_worksheet(CHARTS)

    n = len(result.units)
    last_row = FIRST_UNIT_ROW + max(n, 1) - 1
    notes = _notes_by_cell(result)
    for lay in layouts(result.edition):
        column = detail_columns(lay)
        det = detail_sheets[lay.table.key]
        _write_detail(det, fmt, lay, result, column, notes)
        formulas = {
            c.key: f"SUM({quote_sheet(detail_sheet(lay))}!{col_letter(column[c.key])}{FIRST_UNIT_ROW + 1}:"
            f"{col_letter(column[c.key])}{last_row + 1})"
            for c in lay.cells
        }
        ws = table_sheets[lay.table.key]
        write_table_sheet(
            ws,
            fmt,
            lay,
            result.edition,
            {c.key: result.totals[c.key] for c in lay.cells},
            formulas=formulas,
            input_format="value",
        )
        for key, text in notes.get(("total", lay.table.key), {}).items():
            cell = lay.cell(key)
            ws.write_comment(cell.row, cell.col, text, {"author": "govxl", "x_scale": 2.5, "y_scale": 2})
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(*lay.header_rows)
    _write_findings(findings_ws, fmt, result)
    write_charts(wb, charts_ws, fmt, result)
    _write_cover(cover, fmt, result)
    cover.activate()
    write_meta(
        wb,
        {
            "kind": "merged",
            "edition": result.edition.id,
            "year": str(result.year),
            "unit": result.name,
            "units": str(n),
            "generator": f"govxl {__version__}",
            **result.completeness().to_meta(),
        },
    )
    wb.close()


def _stamp(result: Merged) -> datetime:
    """The document's time in UTC, as the file format stores it: the cover shows China time, read back as such."""
    return datetime.strptime(result.time_text, "%Y-%m-%d %H:%M") - timedelta(hours=8)


def _write_detail(
    ws: FastRowSheet,
    fmt: Formats,
    lay: SheetLayout,
    result: Merged,
    column: dict[str, int],
    notes: dict[tuple[str, str], dict[str, str]],
) -> None:
    write_head(ws, fmt, lay, "各单位数据", f"修改本表中的数字，“{lay.sheet}”的合计和校验结果会随之更新。")

    sums = {k: v for k, v in prefill_definitions(result.edition).items() if k in column}
    rows = _UnitRows(ws, fmt, lay, column, sums)
    for i, unit in enumerate(result.units):
        rows.add(FIRST_UNIT_ROW + i, i + 1, unit, notes.get(("unit", unit.shown), {}))
    if result.units:
        _flag_unit_rows(ws, fmt, lay, result, column)


_ROW_MARK = 999_998  # a row no sheet reaches: formulas are made once with it, and given each unit's row
_ROW_TEXT = str(_ROW_MARK + 1)


class _UnitRows:
    """The unit rows of one per-unit sheet: what each cell holds is decided when the row is added (shared
    strings numbered in the order they are written), the XML is made when the sheet is written."""

    def __init__(
        self,
        ws: FastRowSheet,
        fmt: Formats,
        lay: SheetLayout,
        column: dict[str, int],
        sums: dict[str, tuple[str, ...]],
    ) -> None:
        self.ws, self.sums = ws, sums
        self.value, self.text = fmt["value"], fmt["text"]
        self.flagged = {Severity.ERROR: fmt["flag_error"], Severity.HINT: fmt["flag_hint"]}
        self.keys = [(c.key, column[c.key]) for c in lay.cells]
        self.last_col = len(LEAD) + len(lay.cells) - 1
        at = Placement(lambda key: (_ROW_MARK, column[key]), relative=True)
        self.totals = {k: side_expr(Side(tuple((p, 1) for p in parts)), at) for k, parts in sums.items()}
        self.plain = {k: ws.formula_is_plain("=" + f) for k, f in self.totals.items()}

    def add(self, r: int, number: int, unit: Figures, unit_notes: dict[str, str]) -> None:
        ws = self.ws
        kept: dict[int, FastCell] = {  # cells other than plain numbers, blanks and plain totals
            1: ws.string_cell(r, 1, unit.unit, self.text),
            2: ws.string_cell(r, 2, Path(unit.shown).name, self.text),
        }
        for key, col in self.keys:
            cell = unit.cells[key]
            style = self.value if cell.severity is None else self.flagged[cell.severity]
            # a total the department's template computed stays a formula, so edits to its parts flow into it
            if key in self.sums and key in unit.formula_keys:
                value = unit.numbers()[key]
                if not self.plain[key] or value.__class__ not in (int, float):
                    formula = "=" + self.totals[key].replace(_ROW_TEXT, str(r + 1))
                    kept[col] = ws.other_cell(ws._write_formula, r, col, formula, style, value)
            else:
                shown = cell.shown
                if shown.__class__ is str and shown != "":
                    kept[col] = ws.string_cell(r, col, shown, style)  # type: ignore[arg-type]
                elif not (shown is None or shown == "" or _finite(shown)):
                    kept[col] = ws.other_cell(lambda row, c, v, f: write_raw(ws, row, c, v, f), r, col, shown, style)
            if key in unit_notes:
                ws.write_comment(r, col, unit_notes[key], {"author": "govxl", "x_scale": 2.5, "y_scale": 2})
        ws.add_fast_row(r, 0, self.last_col, lambda: self._cells(r, number, unit, kept))

    def _cells(self, r: int, number: int, unit: Figures, kept: dict[int, FastCell]) -> list[FastCell]:
        row = str(r + 1)
        out: list[FastCell] = [(0, NUMBER, number, self.value), kept[1], kept[2]]
        for key, col in self.keys:
            if col in kept:
                out.append(kept[col])
                continue
            cell = unit.cells[key]
            style = self.value if cell.severity is None else self.flagged[cell.severity]
            if key in self.sums and key in unit.formula_keys:
                out.append((col, FORMULA, (self.totals[key].replace(_ROW_TEXT, row), unit.numbers()[key]), style))
            elif cell.shown is None or cell.shown == "":
                out.append((col, BLANK, None, style))
            else:
                out.append((col, NUMBER, cell.shown, style))
        return out


def _finite(x: object) -> bool:
    """A number write_raw writes with write_number, without an error."""
    return x.__class__ is int or (x.__class__ is float and math.isfinite(x))  # type: ignore[arg-type]


def _flag_unit_rows(ws: Worksheet, fmt: Formats, lay: SheetLayout, result: Merged, column: dict[str, int]) -> None:
    """Live red cells in every unit row whose figures break a rule."""
    first, last = FIRST_UNIT_ROW, FIRST_UNIT_ROW + len(result.units) - 1
    at = Placement(lambda key: (first, column[key]), row_relative=True)
    checks = [c for c in linear_checks(result.edition) if c.table == lay.table.key]
    for check in sorted(checks, key=lambda c: c.severity is not Severity.ERROR):
        style = fmt["cf_error" if check.severity is Severity.ERROR else "cf_hint"]
        ranges = " ".join(f"{a1(first, column[k])}:{a1(last, column[k])}" for k in check.cells)
        ws.conditional_format(
            ranges.split(" ")[0],
            {
                "type": "formula",
                "criteria": "=NOT(" + condition(check, at) + ")",
                "format": style,
                "multi_range": ranges,
            },
        )


def _notes_by_cell(result: Merged) -> dict[tuple[str, str], dict[str, str]]:
    """批注 texts: ("unit", file) or ("total", table) -> key -> text."""
    out: dict[tuple[str, str], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for f in result.findings:
        if not f.key:
            continue
        line = f"【{f.severity.value}·{f.rule}】{f.message}"
        if f.expected or f.actual:
            line += f"（应为{f.expected or '—'}，实际{f.actual or '空白'}）"
        if f.explanation:
            line += f"\n单位说明：{f.explanation}"
        if f.file:
            out[("unit", f.file)][f.key].append(line + f"\n单位：{f.unit}")
        else:
            out[("total", f.key.split(".")[0])][f.key].append(line)
    return {k: {key: "\n".join(lines) for key, lines in v.items()} for k, v in out.items()}


def _write_findings(ws: Worksheet, fmt: Formats, result: Merged) -> None:
    ws.merge_range(0, 0, 0, len(FINDING_COLUMNS) - 1, f"{result.year}年度汇总校验结果", fmt["title"])
    for j, text in enumerate(FINDING_COLUMNS):
        ws.write_string(1, j, text, fmt["header"])
    widths = (5, 6, 20, 24, 10, 8, 6, 60, 8, 8, 24, 10)
    for j, w in enumerate(widths):
        ws.set_column(j, j, w)
    lay_of = {lay.table.key: lay for lay in layouts(result.edition)}
    row_of_unit = {u.shown: FIRST_UNIT_ROW + i for i, u in enumerate(result.units)}
    for i, f in enumerate(result.findings):
        r = 2 + i
        style = fmt["text"]
        values = (
            i + 1,
            f.severity.value,
            f.unit,
            f.file,
            f.sheet,
            f.cell,
            f.rule,
            f.message,
            f.expected,
            f.actual,
            f.explanation,
        )
        for j, v in enumerate(values):
            write_raw(ws, r, j, v if v != "" else None, style)
        ws.set_row(
            r, 15 * max(text_lines(f.message, widths[7]), text_lines(f.file, widths[3]), text_lines(f.unit, widths[2]))
        )
        target = _link(f, lay_of, row_of_unit)
        if target:
            ws.write_url(r, len(values), "internal:" + target, fmt["link"], "转到")
        else:
            ws.write_blank(r, len(values), None, fmt["text"])
    last = 1 + len(result.findings)
    if result.findings:
        ws.conditional_format(
            2, 1, last, 1, {"type": "cell", "criteria": "==", "value": '"错误"', "format": fmt["cf_error"]}
        )
        ws.conditional_format(
            2, 1, last, 1, {"type": "cell", "criteria": "==", "value": '"提示"', "format": fmt["cf_hint"]}
        )
        ws.autofilter(1, 0, last, len(FINDING_COLUMNS) - 1)
    else:
        ws.merge_range(2, 0, 2, len(FINDING_COLUMNS) - 1, "未发现错误或提示。", fmt["text"])
    ws.freeze_panes(2, 0)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(1)


def _link(f: Finding, lay_of: dict[str, SheetLayout], row_of_unit: dict[str, int]) -> str:
    if not f.key:
        return ""
    lay = lay_of[f.key.split(".")[0]]
    if f.file in row_of_unit:
        col = len(LEAD) + [c.key for c in lay.cells].index(f.key)
        return f"{quote_sheet(detail_sheet(lay))}!{a1(row_of_unit[f.file], col)}"
    if not f.file:
        return f"{quote_sheet(lay.sheet)}!{lay.cell(f.key).ref}"
    return ""


def _write_cover(ws: Worksheet, fmt: Formats, result: Merged) -> None:
    ws.set_column(0, 0, 8)
    ws.set_column(1, 1, 30)
    ws.set_column(2, 2, 12)
    ws.set_column(3, 3, 36)
    ws.set_column(4, 5, 8)
    ws.set_column(6, 6, 60)
    ws.merge_range(0, 0, 0, 6, cover_title(result.year) + "（汇总）", fmt["title"])
    ws.set_row(0, 30)
    errors, hints = len(result.errors), len(result.hints)
    explained = sum(1 for f in result.hints if f.explanation)
    merged = len(result.units)
    missing = sum(1 for line in result.lines if line.status == Status.MISSING)
    facts: list[tuple[str, object]] = [
        (UNIT_LABEL, result.name),
        (YEAR_LABEL, result.year),
        (EDITION_LABEL, result.edition.name),
        (result.time_label, result.time_text),
        ("收到文件（份）", len(result.files)),
        ("汇总单位（个）", merged),
        ("缺报单位（个）", missing if result.roster_used else "未提供名单"),
        ("校验错误（项）", errors),
        ("校验提示（项）", f"{hints}（其中已说明{explained}）" if explained else hints),
    ]
    r = 2
    for label, value in facts:
        ws.merge_range(r, 0, r, 1, label, fmt["label"])
        ws.merge_range(r, 2, r, 6, "", fmt["text"])
        write_raw(ws, r, 2, value, fmt["text"])  # type: ignore[arg-type]
        r += 1
    details = "”“".join(detail_sheet(lay) for lay in layouts(result.edition))
    ws.merge_range(r, 0, r, 6, f"各单位数据见“{details}”，逐条校验结果见“{FINDINGS}”。", fmt["plain"])
    r += 2
    ws.merge_range(r, 0, r, 6, "报送情况", fmt["subtitle"])
    r += 1
    for j, text in enumerate(("序号", "单位名称", "状态", "文件", "错误", "提示", "原因")):
        ws.write_string(r, j, text, fmt["header"])
    r += 1
    reasons = {e.shown: e.reason for e in result.files}
    status_styles = {
        Status.MISSING: "cf_error",
        Status.DUPLICATE: "cf_error",
        Status.UNREADABLE: "cf_error",
        Status.REJECTED: "cf_error",
        Status.MERGED_WORKBOOK: "cf_error",
    }
    first_status = r
    for i, line in enumerate(result.lines):
        said = [reasons[f] for f in line.files if reasons.get(f)] + ([line.note] if line.note else [])
        reason = "；".join(dict.fromkeys(said))  # a duplicate's reason names both files: once is enough
        status = f"{line.status}（{line.gaps}）" if line.gaps else line.status
        row = (i + 1, line.unit, status, "\n".join(line.files) or None, line.errors, line.hints, reason or None)
        for j, v in enumerate(row):
            write_raw(ws, r, j, v, fmt["text"])  # type: ignore[arg-type]
        files = sum(text_lines(f, 36) for f in line.files)
        ws.set_row(r, 15 * max(1, files, text_lines(line.unit, 30), text_lines(status, 12), text_lines(reason, 60)))
        r += 1
    listed = {f for line in result.lines for f in line.files}
    unassigned = [e for e in result.files if e.shown not in listed]
    for e in unassigned:
        errors = sum(1 for f in result.findings if f.file == e.shown and f.is_error)
        hints = sum(1 for f in result.findings if f.file == e.shown and not f.is_error)
        row = (r - first_status + 1, e.unit or None, e.status, e.shown, errors, hints, e.reason)
        for j, v in enumerate(row):
            write_raw(ws, r, j, v, fmt["text"])  # type: ignore[arg-type]
        ws.set_row(r, 15 * max(text_lines(e.shown, 36), text_lines(e.reason, 60)))
        r += 1
    for status, style in status_styles.items():
        ws.conditional_format(
            first_status,
            2,
            max(first_status, r - 1),
            2,
            {"type": "cell", "criteria": "==", "value": string_literal(status), "format": fmt[style]},
        )
    for text in result.ignored:
        ws.merge_range(r, 0, r, 6, f"已忽略：{text}", fmt["plain"])
        r += 1
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
