"""Write one official table onto a sheet, with its live checks.

Used for templates (input cells to fill) and merged workbooks (cells that
sum the per-unit sheet). Every formula is written with the value Python
computed for it, so readers that do not calculate still see numbers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from xlsxwriter.worksheet import Worksheet

from govxl.editions.model import BlockTable, Edition, Kind
from govxl.editions.rules import Severity
from govxl.excel.formulas import (
    OK_TEXT,
    Placement,
    cached_text,
    cell_is_bad,
    check_formula,
    condition,
    rects,
    string_literal,
)
from govxl.excel.styles import Formats
from govxl.judge.engine import RuleOutcome, checks_for, evaluate
from govxl.layout import SheetLayout, a1
from govxl.sheetnames import EXPLANATION_LABEL
from govxl.values import Raw

EXPLANATION_HINT = "（对本表“提示”项如属实际情况，可在此说明原因）"
CHECKS_HEADER = "校验项目"
CHECKS_RESULT_HEADER = "校验结果（自动计算，请勿修改）"

_ROLE_FORMAT = {
    "title": "title",
    "caption": "caption",
    "header": "header",
    "corner": "corner",
    "row": "row",
    "note": "note",
    "na": "na",
}

_VALIDATION = {
    Kind.COUNT: {"validate": "integer", "criteria": ">=", "value": 0},
    Kind.SIGNED: {"validate": "integer", "criteria": "between", "minimum": -(10**9), "maximum": 10**9},
    Kind.AMOUNT: {"validate": "decimal", "criteria": ">=", "value": 0},
}
_VALIDATION_TEXT = {
    Kind.COUNT: ("请填写非负整数", "本单元格应填写0或正整数（件数、项数）。没有数据请填0。"),
    Kind.SIGNED: ("请填写整数", "本单元格应填写整数，减少时填写负数，例如 -5。"),
    Kind.AMOUNT: ("请填写金额（万元）", "本单元格应填写以万元为单位的数字，可以有小数，不要带“元”“万元”等文字。"),
}


@dataclass
class SheetChecks:
    """What a written table sheet says about itself."""

    outcomes: list[RuleOutcome]
    result_range: str  # the check-result cells, as a reference usable from other sheets
    explanation_cell: tuple[int, int]
    values: dict[str, Raw] = field(default_factory=dict)  # what every input cell shows


def placement(lay: SheetLayout, sheet: str | None = None, *, relative: bool = False) -> Placement:
    def pos(key: str) -> tuple[int, int]:
        c = lay.cell(key)
        return c.row, c.col

    return Placement(pos, sheet, relative=relative)


def explanation_row(lay: SheetLayout) -> int:
    return lay.height + 1


def checks_first_row(lay: SheetLayout) -> int:
    return lay.height + 4


def desc_span(lay: SheetLayout) -> int:
    """How many columns the description of a check takes."""
    if isinstance(lay.table, BlockTable):
        return 1
    return lay.table.label_columns or 5


def write_table_sheet(
    ws: Worksheet,
    fmt: Formats,
    lay: SheetLayout,
    edition: Edition,
    values: Mapping[str, Raw],
    *,
    formulas: Mapping[str, str] | None = None,
    input_format: str = "input",
    cell_formats: Mapping[str, str] | None = None,
    explanation: str = "",
) -> SheetChecks:
    """Write the table, its input cells, its explanation field and its checks.

    ``formulas`` maps keys to formulas (without ``=``) whose cached value is
    taken from ``values``; ``cell_formats`` names another format than ``input_format`` for some cells.
    """
    formulas = formulas or {}
    widths = _set_columns(ws, lay)
    for label in lay.labels:
        f = fmt[_ROLE_FORMAT[label.role]]
        if (label.row, label.col) != (label.last_row, label.last_col):
            ws.merge_range(label.row, label.col, label.last_row, label.last_col, label.text, f)
        elif label.text:
            ws.write_string(label.row, label.col, label.text, f)
        else:
            ws.write_blank(label.row, label.col, None, f)
    for cell in lay.cells:
        f = fmt[(cell_formats or {}).get(cell.key, input_format)]
        if cell.last_col > cell.col:
            ws.merge_range(cell.row, cell.col, cell.row, cell.last_col, "", f)
        value = values.get(cell.key)
        if cell.key in formulas:
            ws.write_formula(cell.row, cell.col, "=" + formulas[cell.key], f, value if value is not None else 0)
        else:
            write_raw(ws, cell.row, cell.col, value, f, fmt[input_format + "_date"])
    _row_heights(ws, lay)

    at = placement(lay)
    _validations(ws, lay, at)
    width = lay.width
    span = desc_span(lay)

    r = explanation_row(lay)
    ws.write_string(r, 0, EXPLANATION_LABEL, fmt["label"]) if span == 1 else ws.merge_range(
        r, 0, r, span - 1, EXPLANATION_LABEL, fmt["label"]
    )
    ws.merge_range(r, span, r, width - 1, "", fmt["input_text"])
    write_raw(ws, r, span, explanation or None, fmt["input_text"])
    ws.write_comment(r, span, EXPLANATION_HINT, {"author": "govxl"})
    ws.set_row(r, 45)

    header = checks_first_row(lay) - 1
    if span == 1:
        ws.write_string(header, 0, CHECKS_HEADER, fmt["header"])
    else:
        ws.merge_range(header, 0, header, span - 1, CHECKS_HEADER, fmt["header"])
    ws.merge_range(header, span, header, width - 1, CHECKS_RESULT_HEADER, fmt["header"])

    checks = [c for c in checks_for(edition) if c.table == lay.table.key]
    outcomes = [evaluate(c, values) for c in checks]
    first = checks_first_row(lay)
    for i, (check, outcome) in enumerate(zip(checks, outcomes, strict=True)):
        r = first + i
        desc = f"{check.id}　{check.title}"
        if span == 1:
            ws.write_string(r, 0, desc, fmt["check_id"])
        else:
            ws.merge_range(r, 0, r, span - 1, desc, fmt["check_id"])
        ws.merge_range(r, span, r, width - 1, "", fmt["check"])
        formula, is_array = check_formula(check, at)
        cached = cached_text(outcome)
        if is_array:
            ws.write_array_formula(r, span, r, span, "{=" + formula + "}", fmt["check"], cached)
        else:
            ws.write_formula(r, span, "=" + formula, fmt["check"], cached)
        ws.set_row(
            r,
            15 * max(text_lines(desc, _width(widths, 0, span)), text_lines(cached, _width(widths, span, width)), 1) + 3,
        )
    last = first + len(checks) - 1
    result_range = f"{a1(first, span, True)}:{a1(last, span, True)}"
    _check_cell_colours(ws, fmt, result_range)
    _flag_cells(ws, fmt, checks, at)
    return SheetChecks(outcomes, result_range, (explanation_row(lay), span), dict(values))


def _width(widths: dict[int, float], first: int, stop: int) -> float:
    return sum(widths.get(c, 8.43) for c in range(first, stop))


def text_lines(text: str, width: float) -> int:
    """Lines a wrapped text needs (CJK characters are two columns wide; 9 pt font)."""
    columns = sum(2 if ord(ch) > 0x2E80 else 1 for ch in text) * 0.85
    return max(1, -(-int(columns) // max(1, int(width))))


def write_raw(ws: Worksheet, row: int, col: int, value: Raw, f: object, date_format: object = None) -> None:
    if value is None or value == "":
        ws.write_blank(row, col, None, f)
    elif isinstance(value, (date, datetime)):
        ws.write_datetime(row, col, value, date_format or f)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, f)
    elif isinstance(value, (int, float)):
        ws.write_number(row, col, value, f)
    else:
        ws.write_string(row, col, str(value), f)


def _set_columns(ws: Worksheet, lay: SheetLayout) -> dict[int, float]:
    t = lay.table
    if isinstance(t, BlockTable):
        widths = {0: 26.0, **{c: 17.0 for c in range(1, lay.width)}}
    elif t.label_columns:
        widths = {0: 11.0, 1: 16.0, 2: 30.0, **{c: 10.0 for c in range(t.label_columns, lay.width)}}
    else:
        widths = {c: 9.0 for c in range(lay.width)}
    for col, w in widths.items():
        ws.set_column(col, col, w)
    return widths


def _row_heights(ws: Worksheet, lay: SheetLayout) -> None:
    ws.set_row(0, 28)
    for label in lay.labels:
        if (
            label.role == "row"
            and label.row == label.last_row
            and len(label.text) > 16
            and not isinstance(lay.table, BlockTable)
        ):
            ws.set_row(label.row, 30 if len(label.text) < 34 else 45)


def _validations(ws: Worksheet, lay: SheetLayout, at: Placement) -> None:
    keys = tuple(c.key for c in lay.cells)
    kinds = tuple(c.kind for c in lay.cells)
    for kind, (first, last) in rects(keys, kinds, at):
        title, message = _VALIDATION_TEXT[kind]
        ws.data_validation(
            first[0],
            first[1],
            last[0],
            last[1],
            {
                **_VALIDATION[kind],
                "input_title": title,
                "input_message": message,
                "error_title": "填写有误",
                "error_message": message,
                "error_type": "stop",
            },
        )


def _check_cell_colours(ws: Worksheet, fmt: Formats, result_range: str) -> None:
    for text, name in ((Severity.ERROR.value, "cf_error"), (Severity.HINT.value, "cf_hint"), (OK_TEXT, "cf_ok")):
        ws.conditional_format(
            result_range, {"type": "text", "criteria": "begins with", "value": text, "format": fmt[name]}
        )


def _flag_cells(ws: Worksheet, fmt: Formats, checks: list, at: Placement) -> None:
    """Turn the cells of a failing check red (errors) or amber (hints), live."""
    ordered = sorted(checks, key=lambda c: c.severity is not Severity.ERROR)
    for check in ordered:
        style = fmt["cf_error" if check.severity is Severity.ERROR else "cf_hint"]
        if check.constraint is not None:
            cells = " ".join(at.ref(k).replace("$", "") for k in check.cells)
            first = cells.split(" ")[0]
            ws.conditional_format(
                first,
                {
                    "type": "formula",
                    "criteria": "=NOT(" + condition(check, at) + ")",
                    "format": style,
                    "multi_range": cells,
                },
            )
        elif check.rule.check == "domain":
            for kind, (first, last) in rects(check.cells, check.kinds, at):
                top_left = a1(*first)
                ws.conditional_format(
                    first[0],
                    first[1],
                    last[0],
                    last[1],
                    {"type": "formula", "criteria": "=" + cell_is_bad(kind, top_left), "format": style},
                )


__all__ = ["SheetChecks", "placement", "string_literal", "write_raw", "write_table_sheet"]
