"""Write a department's template: a cover sheet and one sheet per table."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path

import xlsxwriter
from xlsxwriter.workbook import Workbook

from govxl.editions.model import Edition
from govxl.editions.rules import Severity
from govxl.excel.finding_notes import AUTHOR, by_cell, note, note_size, write_findings_sheet
from govxl.excel.formulas import quote_sheet, severity_count_formula, side_expr, string_literal
from govxl.excel.meta import write_meta
from govxl.excel.sheets import SheetChecks, placement, write_raw, write_table_sheet
from govxl.excel.styles import Formats
from govxl.judge.engine import checks_for
from govxl.layout import SheetLayout, layouts, parse_a1
from govxl.results.findings import Finding
from govxl.sheetnames import UNIT_LABEL, YEAR_LABEL
from govxl.values import Raw, numeric
from govxl.version import __version__

COVER_SHEET = "填报说明"
TEMPLATE_VERSION = "1"

CONTACT_LABEL = "联系人"
PHONE_LABEL = "联系电话"
EDITION_LABEL = "表格格式"
ERRORS_LABEL = "校验错误（项）"
HINTS_LABEL = "校验提示（项）"
STATUS_LABEL = "校验结论"


def cover_title(year: int) -> str:
    return f"{year}年度政府信息公开工作年度报告统计表"


def instructions(edition: Edition, year: int) -> list[str]:
    return [
        "填报说明",
        f"1. 本表依照{edition.name}设计，请填写本单位{year}年1月1日至12月31日的数据。",
        "2. 请只在黄色单元格中填写；灰色单元格无需填写。请勿增删行列，勿修改表格文字和工作表名称。",
        "3. 所有数量请填写阿拉伯数字；没有数据的请填写0，不要留空，也不要填写“/”“无”等符号。",
        "4. 金额以万元为单位，只填数字（可有小数），不要带“元”“万元”等文字。",
        "5. 表三、表四的“总计”已预设公式自动计算；如改为直接填写，请确保与各项之和一致。",
        "6. 各表下方的“校验结果”自动检查勾稽关系：显示“正确”即通过；显示“错误”的，请按提示修改标红的单元格；"
        "显示“提示”的，如确属实际情况，请在该表“说明”栏中写明原因。",
        "7. 本页“校验结论”为“通过”后，保存为 .xlsx 格式报送。",
    ]


def effective_values(edition: Edition, values: Mapping[str, Raw]) -> tuple[dict[str, Raw], dict[str, str]]:
    """The values every cell shows, and the prefilled sum formulas.

    A total not given is prefilled with the sum of its parts; one given
    (typed over, or deliberately blank) keeps its value, which the checks test.
    """
    shown: dict[str, Raw] = dict(values)
    prefill: dict[str, str] = {}
    lay_of = {lay.table.key: lay for lay in layouts(edition)}
    sums: dict[str, tuple[str, ...]] = {}
    for check in checks_for(edition):
        c = check.constraint
        if not (check.rule.prefill and c and len(c.lhs.terms) == 1):
            continue
        target = c.lhs.terms[0][0]
        if target in sums or target in values:  # given, even as blank: the clerk's cell, not a formula
            continue
        sums[target] = c.rhs.keys
        prefill[target] = side_expr(c.rhs, placement(lay_of[check.table], relative=True))
    for _ in range(len(sums) + 1):  # totals of totals settle in a few passes
        changed = False
        for target, parts in sums.items():
            v = sum(numeric(shown.get(k)) for k in parts)
            if shown.get(target) != v:
                shown[target], changed = v, True
        if not changed:
            break
    return shown, prefill


def build_template(
    path: Path | str,
    edition: Edition,
    year: int,
    *,
    unit: str = "",
    values: Mapping[str, Raw] | None = None,
    explanations: Mapping[str, str] | None = None,
    contact: tuple[str, str] = ("", ""),
    password: str = "",
    findings: Sequence[Finding] = (),
    marked_as: str = "template",
) -> list[SheetChecks]:
    """Write a template to ``path`` (not atomically: see :func:`govxl.api.make_template`).

    ``findings`` (one published report's audit): each is a 批注 on the cell it names, which is filled red
    (an error) or amber (a hint), and a row of a 校验结果 sheet, as in an annotated copy."""
    shown, prefill = effective_values(edition, values or {})
    noted = by_cell(findings, [lay.sheet for lay in layouts(edition)])
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    _deterministic(wb, year, f"{cover_title(year)}（{unit or '模板'}）")
    fmt = Formats(wb)
    cover = wb.add_worksheet(COVER_SHEET)
    results = []
    for lay in layouts(edition):
        ws = wb.add_worksheet(lay.sheet)
        results.append(
            write_table_sheet(
                ws,
                fmt,
                lay,
                edition,
                {k: shown.get(k) for k in (c.key for c in lay.cells)},
                formulas={k: f for k, f in prefill.items() if k.startswith(lay.table.key + ".")},
                cell_formats=_flagged(lay, noted),
                explanation=(explanations or {}).get(lay.table.key, ""),
            )
        )
        _notes(ws, lay, noted)
        _print_setup(ws, lay)
        ws.protect(password, {"autofilter": False, "format_columns": True, "format_rows": True})
    _write_cover(cover, fmt, edition, year, unit, contact, list(zip(layouts(edition), results, strict=True)))
    cover.protect(password, {"format_columns": True, "format_rows": True})
    cover.activate()
    write_meta(
        wb,
        {
            "kind": "template",
            "edition": edition.id,
            "year": str(year),
            "unit": unit,
            "template_version": TEMPLATE_VERSION,
            "generator": f"govxl {__version__}",
        },
        marked_as=marked_as,
    )
    if findings:
        write_findings_sheet(wb, findings)
    wb.close()
    return results


def _flagged(lay: SheetLayout, noted: Mapping[tuple[str, str], list[Finding]]) -> dict[str, str]:
    return {
        c.key: "input_error" if any(f.is_error for f in noted[(lay.sheet, c.ref)]) else "input_hint"
        for c in lay.cells
        if (lay.sheet, c.ref) in noted
    }


def _notes(ws, lay: SheetLayout, noted: Mapping[tuple[str, str], list[Finding]]) -> None:  # type: ignore[no-untyped-def]
    for (sheet, ref), found in noted.items():
        if sheet == lay.sheet:
            text = "\n".join(note(f) for f in found)
            width, height = note_size(text)
            ws.write_comment(*parse_a1(ref), text, {"author": AUTHOR, "width": width, "height": height})


def _deterministic(wb: Workbook, year: int, title: str) -> None:
    # A fixed creation time: the same command must give the same bytes.
    stamp = datetime(year, 1, 1, tzinfo=timezone.utc)
    wb.set_properties({"title": title, "author": "govxl", "created": stamp, "comments": "由 govxl 生成"})
    wb.set_calc_mode("auto")


def _print_setup(ws, lay: SheetLayout) -> None:  # type: ignore[no-untyped-def]
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    ws.repeat_rows(*lay.header_rows)
    ws.center_horizontally()


def _write_cover(ws, fmt: Formats, edition: Edition, year: int, unit: str, contact: tuple[str, str], sheets) -> None:  # type: ignore[no-untyped-def]
    ws.set_column(0, 0, 18)
    ws.set_column(1, 3, 24)
    ws.merge_range(0, 0, 0, 3, cover_title(year), fmt["title"])
    ws.set_row(0, 32)
    rows: list[tuple[str, Raw, str]] = [
        (UNIT_LABEL, unit or None, "input_text"),
        (YEAR_LABEL, year, "value"),
        (CONTACT_LABEL, contact[0] or None, "input_text"),
        (PHONE_LABEL, contact[1] or None, "input_text"),
        (EDITION_LABEL, edition.name, "text"),
    ]
    r = 2
    for label, value, style in rows:
        ws.write_string(r, 0, label, fmt["label"])
        ws.merge_range(r, 1, r, 3, "", fmt[style])
        write_raw(ws, r, 1, value, fmt[style])
        r += 1
    r += 1
    counts = {}
    for sev, label in ((Severity.ERROR, ERRORS_LABEL), (Severity.HINT, HINTS_LABEL)):
        formula = "+".join(
            severity_count_formula(f"{quote_sheet(lay.sheet)}!{res.result_range}", sev) for lay, res in sheets
        )
        n = sum(1 for _, res in sheets for o in res.outcomes if not o.passed and o.check.severity is sev)
        counts[sev] = (r, n)
        ws.write_string(r, 0, label, fmt["label"])
        ws.merge_range(r, 1, r, 3, "", fmt["value"])
        ws.write_formula(r, 1, "=" + formula, fmt["value"], n)
        r += 1
    err_ref = f"B{counts[Severity.ERROR][0] + 1}"
    passed, failed = "通过", "未通过：请按各表下方“校验结果”修改标红的单元格"
    ws.write_string(r, 0, STATUS_LABEL, fmt["label"])
    ws.merge_range(r, 1, r, 3, "", fmt["text"])
    ws.write_formula(
        r,
        1,
        f"=IF({err_ref}=0,{string_literal(passed)},{string_literal(failed)})",
        fmt["text"],
        passed if counts[Severity.ERROR][1] == 0 else failed,
    )
    ws.conditional_format(
        r, 1, r, 1, {"type": "text", "criteria": "begins with", "value": "未通过", "format": fmt["cf_error"]}
    )
    ws.conditional_format(
        r, 1, r, 1, {"type": "text", "criteria": "begins with", "value": "通过", "format": fmt["cf_ok"]}
    )
    r += 2
    for i, line in enumerate(instructions(edition, year)):
        ws.merge_range(r, 0, r, 3, line, fmt["subtitle" if i == 0 else "plain"])
        ws.set_row(r, 20 if i == 0 else 34)
        r += 1
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
