"""The 图表 sheet of a merged workbook: native Excel charts people would rather look at than read.

Each chart's data sits in a small table on the same sheet, as live formulas over the per-unit sheets with
their values cached, so the charts show in Protected View, WPS and previews (XlsxWriter writes the cache
from the values given).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from govxl.excel.detail import referenced_value
from govxl.excel.formulas import quote_sheet
from govxl.excel.styles import Formats
from govxl.layout import a1, cell_index, layouts
from govxl.report.prose import result_groups, t3_total_column
from govxl.sheetnames import FIRST_UNIT_ROW, detail_columns, detail_sheet

if TYPE_CHECKING:
    from govxl.results.merge import Merged

CHARTS = "图表"
RECEIVED_TITLE = "各单位本年新收政府信息公开申请数量"
RESULTS_TITLE = "本年度办理结果分布"
FINDINGS_TITLE = "各单位校验错误和提示数量"
TOP = 30  # units shown in the first chart; a province has thousands


def write_charts(wb: Workbook, ws: Worksheet, fmt: Formats, result: Merged) -> None:
    edition = result.edition
    total = t3_total_column(edition)
    ws.set_column(0, 0, 24)
    ws.set_column(1, 2, 10)
    ws.write_string(0, 0, "图表数据（随明细表更新）", fmt["subtitle"])

    # 1. applications received, largest first
    key = f"t3.new_received.{total}"
    lay, _ = cell_index(edition)[key]
    column = detail_columns(lay)[key]
    row_of = {u.shown: FIRST_UNIT_ROW + i for i, u in enumerate(result.units)}
    ranked = sorted(result.units, key=lambda u: (-u.numbers()[key], u.unit))[:TOP]
    ws.write_string(1, 0, "单位", fmt["header"])
    ws.write_string(1, 1, "新收申请", fmt["header"])
    for i, u in enumerate(ranked):
        ws.write_string(2 + i, 0, u.unit, fmt["text"])
        ref = f"{quote_sheet(detail_sheet(lay))}!{a1(row_of[u.shown], column)}"
        ws.write_formula(2 + i, 1, "=" + ref, fmt["value"], referenced_value(u, key))
    first, last = 2, 1 + max(len(ranked), 1)
    largest = max((u.numbers()[key] for u in ranked), default=0)
    _bar(wb, ws, RECEIVED_TITLE, (first, last, 0), (first, last, 1), "E2", reverse=True, largest=largest)

    # 2. the outcomes of the applications handled this year
    base = last + 3
    t3 = next(lay for lay in layouts(edition) if lay.table.key == "t3")
    ws.write_string(base, 0, "办理结果", fmt["header"])
    ws.write_string(base, 1, "件数", fmt["header"])
    groups = result_groups(edition)
    for i, (name, keys) in enumerate(groups):
        refs = ",".join(f"{quote_sheet(t3.sheet)}!{t3.cell(f't3.{k}.{total}').ref}" for k in keys)
        value = sum(result.totals[f"t3.{k}.{total}"] for k in keys)
        ws.write_string(base + 1 + i, 0, name, fmt["text"])
        ws.write_formula(base + 1 + i, 1, f"=SUM({refs})", fmt["value"], value)
    _bar(
        wb, ws, RESULTS_TITLE, (base + 1, base + len(groups), 0), (base + 1, base + len(groups), 1), "E24", reverse=True
    )

    # 3. findings per unit (a count of what the 校验结果 sheet lists)
    base = base + len(groups) + 3
    ws.write_string(base, 0, "单位", fmt["header"])
    ws.write_string(base, 1, "错误", fmt["header"])
    ws.write_string(base, 2, "提示", fmt["header"])
    lines = sorted(result.lines, key=lambda line: (-line.errors, -line.hints, line.unit))[:TOP]
    for i, line in enumerate(lines):
        ws.write_string(base + 1 + i, 0, line.unit, fmt["text"])
        ws.write_number(base + 1 + i, 1, line.errors, fmt["value"])
        ws.write_number(base + 1 + i, 2, line.hints, fmt["value"])
    end = base + max(len(lines), 1)
    chart = wb.add_chart({"type": "bar", "subtype": "stacked"})
    for j, name in ((1, "错误"), (2, "提示")):
        chart.add_series(
            {
                "name": name,
                "categories": [ws.name, base + 1, 0, end, 0],
                "values": [ws.name, base + 1, j, end, j],
                "fill": {"color": "#C00000" if j == 1 else "#FFC000"},
            }
        )
    _finish(chart, FINDINGS_TITLE, reverse=True, largest=max((x.errors + x.hints for x in lines), default=0))
    ws.insert_chart("E46", chart, {"x_scale": 1.6, "y_scale": 1.4})
    ws.set_h_pagebreaks([23, 45])  # each chart whole on a printed page
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)


def _bar(
    wb: Workbook,
    ws: Worksheet,
    title: str,
    categories: tuple[int, int, int],
    values: tuple[int, int, int],
    at: str,
    *,
    reverse: bool = False,
    largest: float = 0,
) -> None:
    chart = wb.add_chart({"type": "bar"})
    chart.add_series(
        {
            "name": title,
            "categories": [ws.name, categories[0], categories[2], categories[1], categories[2]],
            "values": [ws.name, values[0], values[2], values[1], values[2]],
            "data_labels": {"value": True},
            "fill": {"color": "#2F5597"},
        }
    )
    _finish(chart, title, reverse=reverse, largest=largest)
    ws.insert_chart(at, chart, {"x_scale": 1.6, "y_scale": 1.4})


def _finish(chart, title: str, *, reverse: bool, largest: float) -> None:  # type: ignore[no-untyped-def]
    chart.set_title({"name": title, "name_font": {"size": 12, "name": "宋体"}})
    chart.set_legend({"position": "bottom"} if chart.series and len(chart.series) > 1 else {"none": True})
    chart.set_y_axis({"reverse": reverse, "num_font": {"name": "宋体"}})  # a bar chart's categories: largest on top
    # counts: from 0, whole numbers only (no 0.2 ticks when every unit has one or two)
    axis = {"min": 0, "num_format": "0", "num_font": {"name": "宋体"}}
    chart.set_x_axis({**axis, "major_unit": 1} if largest <= 10 else axis)
