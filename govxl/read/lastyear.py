"""Last year's figures, for the cross-year rules (D1–D3; :mod:`govxl.judge.crossyear`): a merged workbook (per unit
and totals) or one return; and a merged workbook's unit rows, each read as the figures of its unit."""

from __future__ import annotations

from pathlib import Path

from govxl.editions.model import Edition
from govxl.errors import InputError
from govxl.layout import a1, layouts
from govxl.normalize import Cell, normalize
from govxl.read.workbook import Book, norm, open_book, read_return
from govxl.results.figures import Figures, FiguresKind, UnitFrom
from govxl.results.lastyear import LastYear
from govxl.sheetnames import FIRST_UNIT_ROW, LEAD, detail_sheet, headers
from govxl.unitnames import unit_key


def read_last_year(path: Path) -> LastYear:
    r = read_return(path)
    if not isinstance(r, Figures):
        raise InputError(f"上年报表 {path} {r.message}")
    last = LastYear(path, r.edition, r.year, r.unit, r.numbers())
    if r.kind == FiguresKind.MERGED:
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
            FiguresKind.UNIT,
            cells,
            refs,
            unit_from=UnitFrom.ROW,
            formula_keys=frozenset(formulas),
        )
        for unit, (cells, refs, formulas) in rows.items()
    ]


def _year_of(book: Book) -> int | None:
    text = book.meta.get("year", "")
    return int(text) if text.isdigit() else None


def _detail_units(path: Path, edition: Edition) -> dict[str, dict[str, float]]:
    return {unit_key(f.unit): {k: c.number for k, c in f.cells.items()} for f in detail_rows(path, edition)}
