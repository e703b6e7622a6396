"""Last year's figures, for the cross-year rules (D1–D3): a merged workbook (per unit and totals) or one return."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from govxl.editions.model import Edition
from govxl.editions.rules import Severity
from govxl.errors import InputError, UsageError
from govxl.judge.engine import PREV, cross_year_checks, evaluate
from govxl.layout import a1, cell_index, layouts
from govxl.normalize import Cell, normalize
from govxl.read.roster import unit_key
from govxl.read.workbook import Book, norm, open_book, read_return
from govxl.results.figures import Figures
from govxl.results.findings import NO_LAST_YEAR, Finding
from govxl.sheetnames import FIRST_UNIT_ROW, LEAD, detail_sheet, headers
from govxl.values import show


@dataclass
class LastYear:
    path: Path
    edition: Edition
    year: int | None
    unit: str
    totals: dict[str, float]
    units: dict[str, dict[str, float]] = field(default_factory=dict)  # unit key -> figures

    def figures_for(self, unit: str) -> dict[str, float] | None:
        if unit_key(unit) in self.units:
            return self.units[unit_key(unit)]
        if unit_key(unit) == unit_key(self.unit):
            return self.totals
        return None


def require_year(last: LastYear, year: int) -> None:
    """Refuse a "last year" file of another year: comparing it would report nonsense."""
    if last.year is not None and last.year != year - 1:
        raise UsageError(
            f"--last-year 给出的 {last.path.name} 是 {last.year} 年度的报表，"
            f"本次是 {year} 年度，应使用 {year - 1} 年度的汇总表或报表。"
        )


def read_last_year(path: Path) -> LastYear:
    r = read_return(path)
    if not isinstance(r, Figures):
        raise InputError(f"上年报表 {path} {r.message}")
    last = LastYear(path, r.edition, r.year, r.unit, r.numbers())
    if r.kind == "merged":
        last.units = _detail_units(path, r.edition)
    return last


def detail_rows(path: Path, edition: Edition, shown: str = "") -> list[Figures]:
    """The unit rows of a merged workbook's per-unit sheets, each read as the figures of its unit.

    Empty when the sheets are not laid out as govxl wrote them.
    """
    book = open_book(path)
    rows: dict[str, tuple[dict[str, Cell], dict[str, tuple[str, str]], set[str]]] = {}
    for lay in layouts(edition):
        sheet = detail_sheet(lay)
        grid = book.sheets.get(sheet)
        if grid is None or len(grid) <= FIRST_UNIT_ROW:
            return []
        leaves = [norm(leaf) for _, leaf in headers(lay)]
        if [norm(v) for v in grid[2][len(LEAD) : len(LEAD) + len(leaves)]] != leaves:
            return []
        for r, row in enumerate(grid[FIRST_UNIT_ROW:], start=FIRST_UNIT_ROW):
            if len(row) < len(LEAD) + len(lay.cells) or not str(row[1]).strip():
                continue
            cells, refs, formulas = rows.setdefault(str(row[1]).strip(), ({}, {}, set()))
            for i, cell in enumerate(lay.cells):
                cells[cell.key] = normalize(row[len(LEAD) + i], cell.kind)
                refs[cell.key] = (sheet, a1(r, len(LEAD) + i))
                if (r, len(LEAD) + i) in book.formulas.get(sheet, ()):
                    formulas.add(cell.key)
    year = _year_of(book)
    return [
        Figures(
            path,
            shown or str(path),
            edition,
            year,
            unit,
            "unit",
            cells,
            refs,
            unit_from="row",
            formula_keys=frozenset(formulas),
        )
        for unit, (cells, refs, formulas) in rows.items()
    ]


def _year_of(book: Book) -> int | None:
    text = book.meta.get("year", "")
    return int(text) if text.isdigit() else None


def _detail_units(path: Path, edition: Edition) -> dict[str, dict[str, float]]:
    return {unit_key(f.unit): {k: c.number for k, c in f.cells.items()} for f in detail_rows(path, edition)}


def cross_year_findings(
    r: Figures | None,
    numbers: dict[str, float],
    last: LastYear,
    year: int,
    edition: Edition,
    *,
    unit: str,
    file: str = "",
    refs: dict[str, tuple[str, str]] | None = None,
    prior: dict[str, float] | None = None,
    note: str = "",
) -> list[Finding]:
    """Findings of the D rules for one unit (or the totals, with ``r`` None and no file).

    ``prior`` overrides last year's figures (the totals of only the units present in both years); ``note``
    is added to each message.
    """
    require_year(last, year)
    if prior is None:
        prior = last.figures_for(unit) if r is not None else last.totals
    if prior is None:
        return [
            Finding(
                Severity.HINT,
                NO_LAST_YEAR,
                f"上年文件 {last.path.name} 中没有“{unit}”的数据，未做跨年度校验",
                file=file,
                unit=unit,
            )
        ]
    values = {**numbers, **{PREV + k: v for k, v in prior.items()}}
    out = []
    index = cell_index(edition)
    for check in cross_year_checks(edition, last.edition, year):
        o = evaluate(check, values)
        if o.passed:
            continue
        target = check.cells[0]
        sheet, ref = (refs or {}).get(target) or (index[target][0].sheet, index[target][1].ref)
        out.append(
            Finding(
                check.severity,
                check.id,
                o.message + f"（上年数据取自 {last.path.name}{note}）",
                file=file,
                unit=unit,
                sheet=sheet,
                cell=ref,
                expected=show(o.rhs),
                actual=show(o.lhs),
                key=target,
            )
        )
    return out
