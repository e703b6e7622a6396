"""``govxl history``: several report years side by side, both editions, per unit and in total, with trends.

The series that mean the same in both editions come from :mod:`govxl.editions.series`; the cross-year
rules (D1–D3) are those of ``--last-year``, applied between each pair of consecutive years.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

import xlsxwriter

from govxl.editions.rules import Severity
from govxl.editions.series import SERIES
from govxl.errors import UsageError
from govxl.excel.styles import Formats
from govxl.io import atomic_output
from govxl.judge.crossyear import cross_year_findings
from govxl.markers import KIND_PROPERTY, govxl_made
from govxl.merge import merge
from govxl.outputs import claim
from govxl.read.inbox import collect, read_all
from govxl.read.lastyear import detail_rows
from govxl.read.roster import near_pairs
from govxl.read.workbook import read_return
from govxl.results.figures import Figures
from govxl.results.findings import DUPLICATE, FILE_IDS, NEAR_NAME, NO_LAST_YEAR, TOTALS_UNIT, Finding
from govxl.results.history import TOTAL, History, Year
from govxl.results.lastyear import LastYear
from govxl.unitnames import unit_key

TOP_UNITS = 5  # units drawn beside the total in each trend chart
TRENDS = ("本年新收政府信息公开申请数量", "办理结果总计", "行政复议总计", "行政诉讼总计")


def _value(figures: dict[str, float], keys: tuple[str, ...]) -> float:
    return sum(figures.get(k, 0.0) for k in keys)


def history(inputs: list[Path], outputs: Iterable[Path | None] = ()) -> History:
    """Line up the figures of several report years (merged workbooks, or returns and folders of them).

    ``outputs``: the files this run will write (:func:`write_history`, claimed by :mod:`govxl.outputs` first),
    never read as inputs.
    """
    years, notes = _years(inputs, outputs)
    if len(years) < 2:
        raise UsageError("请至少给出两个报告年度的汇总表或报表，才能按年度对比。")
    names: dict[str, str] = {}  # unit key -> the name of its latest year
    for y in years:
        for u in y.units:
            names[unit_key(u.unit)] = u.unit
    table: dict[tuple[str, str], dict[int, float]] = {}
    for y in years:
        edition = y.units[0].edition.id
        for s in SERIES:
            keys = s.keys.get(edition)
            if keys is None:
                continue
            table.setdefault((TOTAL, s.name), {})[y.year] = _value(y.totals, keys)
            for u in y.units:
                table.setdefault((names[unit_key(u.unit)], s.name), {})[y.year] = _value(u.numbers(), keys)
    return History(years, table, notes + _cross_year(years))


def _cross_year(years: list[Year]) -> list[Finding]:
    """The cross-year rules (D1–D3) between each pair of consecutive years, and the units renamed between them."""
    findings: list[Finding] = []
    for before, after in itertools.pairwise(years):
        findings += _renamed_units(before, after)
        if after.year != before.year + 1:
            missing = "、".join(str(y) for y in range(before.year + 1, after.year))
            message = f"缺少{missing}年度的数据，{after.year}年度与{before.year}年度之间未做跨年度校验"
            findings.append(Finding(Severity.HINT, NO_LAST_YEAR, message, unit=TOTALS_UNIT))
            continue
        last = LastYear(
            Path(before.file),
            before.units[0].edition,
            before.year,
            TOTAL,
            before.totals,
            {unit_key(u.unit): u.numbers() for u in before.units},
        )
        edition = after.units[0].edition
        findings += cross_year_findings(None, after.totals, last, after.year, edition, unit=TOTALS_UNIT)
        for u in after.units:
            if last.figures_for(u.unit) is not None:
                findings += cross_year_findings(
                    u, u.numbers(), last, after.year, edition, unit=u.unit, file=u.shown, refs=u.refs
                )
    return findings


def _renamed_units(before: Year, after: Year) -> list[Finding]:
    """A unit of one year not in the next, and one of the next not in the first, with names close enough to be
    one unit renamed (as ``merge`` says of a roster name): two rows of the comparison, pointed out."""
    earlier = {unit_key(u.unit): u.unit for u in before.units}
    later = {unit_key(u.unit): u.unit for u in after.units}
    gone = [name for key, name in earlier.items() if key not in later]
    new = [name for key, name in later.items() if key not in earlier]
    return [
        Finding(
            Severity.HINT,
            NEAR_NAME,
            f"{after.year}年度的“{now}”与{before.year}年度的“{then}”名称相近，可能是同一单位（更名或简称），"
            "历年对比中分列两行；如是同一单位，请统一报表封面的“填报单位”后重新对比",
            unit=now,
        )
        for then, now in near_pairs(gone, new)
    ]


def _years(inputs: list[Path], outputs: Iterable[Path | None]) -> tuple[list[Year], list[Finding]]:
    """Each report year's units and totals: a merged workbook as it shows them; returns merged as ``merge``
    does (duplicates, other editions and unreadable files left out and said so)."""
    by_year: dict[int, Year] = {}
    notes: list[Finding] = []
    merged = [p for p in inputs if p.is_file() and govxl_made(p) == "merged"]
    others = [p for p in inputs if p not in merged]
    for path in merged:
        r = read_return(path)
        if not isinstance(r, Figures) or r.year is None:
            raise UsageError(f"{path}：未能读出报告年度，无法按年度对比。")
        if r.year in by_year:
            first = by_year[r.year].file
            raise UsageError(f"{r.year}年度有两份汇总表（{first}、{path}），请每个年度只给一份。")
        units = detail_rows(r.path, r.edition, str(path)) or [r]
        by_year[r.year] = Year(r.year, str(path), units, r.numbers())
    if others:
        inbox = collect(others, outputs)
        groups: dict[int, list[Path]] = {}
        for (path, _), r in zip(inbox.files, read_all(inbox.files), strict=True):
            if isinstance(r, Figures) and r.year is not None:
                groups.setdefault(r.year, []).append(path)
        for year, paths in sorted(groups.items()):
            if year in by_year:
                raise UsageError(f"{year}年度既有汇总表又有各单位的报表，请每个年度只给一种。")
            result = merge(paths, year=year)
            for f in result.findings:  # a duplicate unit is one finding per file, each saying the same
                if f.rule in FILE_IDS and f.is_error and not any(_same(f, g) for g in notes):
                    notes.append(f)
            given = [str(g) for g in others if any(p == g or g in p.parents for p in paths)]
            by_year[year] = Year(year, "、".join(given), result.units, result.totals)
    return [by_year[y] for y in sorted(by_year)], notes


def _same(a: Finding, b: Finding) -> bool:
    """One problem: two findings about one file, or the two files of one duplicated unit."""
    return (a.rule, unit_key(a.unit)) == (b.rule, unit_key(b.unit)) and (a.rule == DUPLICATE or a.file == b.file)


def write_history(result: History, output: Path) -> Path:
    """The comparison workbook: totals and every unit by year, the cross-year findings, trend charts."""
    claim(output, "history")
    with atomic_output(output) as tmp:
        _write(result, tmp)
    return output


def _write(result: History, path: Path) -> None:
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    wb.set_properties(
        {
            "title": "政府信息公开工作年度报告历年对比",
            "author": "govxl",
            "created": datetime(result.years[-1].year + 1, 1, 1),
        }
    )
    wb.set_custom_property(KIND_PROPERTY, "history")
    fmt = Formats(wb)
    years = [y.year for y in result.years]
    sheet = wb.add_worksheet("历年对比")
    sheet.set_column(0, 0, 26)
    sheet.set_column(1, 1, 30)
    sheet.set_column(2, 1 + len(years), 10)
    heads = ["单位", "项目", *[f"{y}年度" for y in years]]
    for j, text in enumerate(heads):
        sheet.write_string(0, j, text, fmt["header"])
    rows: dict[tuple[str, str], int] = {}
    r = 1
    for unit in [TOTAL, *result.units]:
        for s in SERIES:
            values = result.table.get((unit, s.name))
            if not values:
                continue
            sheet.write_string(r, 0, unit, fmt["text"])
            sheet.write_string(r, 1, s.name, fmt["text"])
            for j, y in enumerate(years):
                if y in values:
                    sheet.write_number(r, 2 + j, values[y], fmt["value"])
                else:
                    sheet.write_blank(r, 2 + j, None, fmt["value"])
            rows[(unit, s.name)] = r
            r += 1
    sheet.freeze_panes(1, 2)
    sheet.autofilter(0, 0, r - 1, len(heads) - 1)
    _findings_sheet(wb, fmt, result)
    _charts(wb, sheet, result, rows, years)
    wb.close()


def _findings_sheet(wb: xlsxwriter.Workbook, fmt: Formats, result: History) -> None:
    ws = wb.add_worksheet("跨年度校验")
    columns = ("级别", "单位", "规则", "说明", "应为", "实际")
    for j, text in enumerate(columns):
        ws.write_string(0, j, text, fmt["header"])
    ws.set_column(0, 2, 10)
    ws.set_column(1, 1, 24)
    ws.set_column(3, 3, 90)
    for i, f in enumerate(result.findings, start=1):
        for j, v in enumerate((f.severity.value, f.unit, f.rule, f.message, f.expected, f.actual)):
            ws.write_string(i, j, v, fmt["text"])
    if not result.findings:
        ws.write_string(1, 0, "各年度之间的跨年度校验未发现问题。", fmt["plain"])


def _charts(
    wb: xlsxwriter.Workbook,
    sheet: xlsxwriter.worksheet.Worksheet,
    result: History,
    rows: dict[tuple[str, str], int],
    years: list[int],
) -> None:
    ws = wb.add_worksheet("趋势图")
    for i, s in enumerate(
        SERIES[:1] + tuple(x for x in SERIES if x.name in ("办理结果总计", "行政复议总计", "行政诉讼总计"))
    ):
        latest = {u: result.table.get((u, s.name), {}).get(years[-1], -math.inf) for u in result.units}
        top = sorted(latest, key=lambda u: (-latest[u], u))[:TOP_UNITS]
        chart = wb.add_chart({"type": "line"})
        for unit in [TOTAL, *top]:
            if (unit, s.name) not in rows:
                continue
            r = rows[(unit, s.name)]
            chart.add_series(
                {
                    "name": unit,
                    "categories": [sheet.name, 0, 2, 0, 1 + len(years)],
                    "values": [sheet.name, r, 2, r, 1 + len(years)],
                    "marker": {"type": "circle"},
                }
            )
        chart.set_title({"name": f"{s.name}（历年）", "name_font": {"size": 12, "name": "宋体"}})
        chart.set_legend({"position": "right", "font": {"name": "宋体"}})
        chart.set_y_axis({"min": 0})
        ws.insert_chart(1 + 22 * i, 1, chart, {"x_scale": 1.8, "y_scale": 1.4})
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.set_h_pagebreaks([1 + 22 * i for i in range(1, len(TRENDS))])  # each chart whole on a printed page
