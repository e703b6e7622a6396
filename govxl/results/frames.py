"""pandas frames of figures and findings, for analysts: blank, 0 and 不适用 stay apart.

>>> import govxl
>>> result = govxl.merge_files(["samples/2021"])          # doctest: +SKIP
>>> df = govxl.figures_frame(result.units)           # one row per unit × input cell   # doctest: +SKIP
>>> df.groupby("key")["value"].sum()                 # equals the merged workbook's totals   # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from govxl.columns import FIGURE_COLUMNS, FINDING_COLUMNS
from govxl.errors import UsageError
from govxl.layout import cell_index
from govxl.normalize import NO_RESULT, Cell, State
from govxl.results.figures import Figures
from govxl.results.findings import Finding
from govxl.values import show

# The state of a cell, in the words the workbooks use.
NORMAL, TEXT_NUMBER, BLANK, NOT_APPLICABLE, CONVERTED_UNIT, ERROR, NO_FORMULA_RESULT = (
    "正常",
    "文本数字",
    "空白",
    "不适用",
    "单位换算",
    "错误",
    "公式无结果",
)


def state_of(cell: Cell) -> str:
    if cell.state is State.NUMBER:
        return NORMAL
    if cell.state is State.CONVERTED:
        return CONVERTED_UNIT if cell.rule == "C4" else TEXT_NUMBER
    if cell.state is State.BLANK:
        return BLANK
    if cell.state is State.NA:
        return NOT_APPLICABLE
    return NO_FORMULA_RESULT if cell.shown == NO_RESULT else ERROR


def _shown(cell: Cell) -> str:
    if cell.shown is None:
        return ""
    return show(cell.shown) if isinstance(cell.shown, float) else str(cell.shown)


def figures_frame(units: Iterable[Figures]) -> pd.DataFrame:
    """The long ("tidy") frame: one row per unit × input cell.

    ``value`` is the number the unit contributes to a total, NaN where the cell is blank, 不适用 or unusable
    (``state`` says which) — but a total the template computes by formula is always its computed value: the
    sum of its parts, also where the formula had no usable result (``state`` 错误 or 公式无结果 says so), as
    the merged workbook counts it; so ``value`` summed by key equals the merged totals.
    """
    rows = []
    for f in units:
        numbers = f.numbers()
        derived = f.formula_totals()
        for key, (lay, spec) in cell_index(f.edition).items():
            cell = f.cells[key]
            usable = cell.state in (State.NUMBER, State.CONVERTED) or key in derived
            sheet, ref = f.refs.get(key, (lay.sheet, spec.ref))
            rows.append(
                (
                    f.unit,
                    f.year,
                    f.edition.id,
                    lay.table.title,
                    key,
                    spec.row_label,
                    spec.col_label,
                    numbers[key] if usable else float("nan"),
                    state_of(cell),
                    ""
                    if cell.shown is None
                    else show(cell.shown)
                    if isinstance(cell.shown, float)
                    else str(cell.shown),
                    f.shown,
                    sheet,
                    ref,
                )
            )
    frame = pd.DataFrame.from_records(rows, columns=list(FIGURE_COLUMNS))
    return frame.astype({"value": "float64", "year": "Int64"})


def findings_frame(findings: Iterable[Finding]) -> pd.DataFrame:
    """One row per finding, with every field of ``--json``."""
    return pd.DataFrame.from_records([f.to_json() for f in findings], columns=list(FINDING_COLUMNS))


def wide_frame(figures: pd.DataFrame) -> pd.DataFrame:
    """Unit × key: one row per unit, one column per input cell (NaN where blank, 不适用 or unusable).

    A unit with two files (a return and its correction) gets a row for each, indexed by unit and file,
    never one of them picked silently.
    """
    order = list(dict.fromkeys(figures["key"]))
    twice = figures.groupby("unit")["file"].nunique().gt(1).any()
    index = ["unit", "file"] if twice else ["unit"]
    wide = figures.set_index([*index, "key"])["value"].unstack("key")
    units = list(dict.fromkeys(zip(*(figures[c] for c in index), strict=True))) if twice else None
    wide = wide.reindex(columns=order)
    return wide.reindex(index=units) if units is not None else wide.reindex(index=list(dict.fromkeys(figures["unit"])))


def table_frame(figures: pd.DataFrame, table: str, unit: str | None = None) -> pd.DataFrame:
    """One table in its official shape (row labels × column labels), for one unit or, by default, the total.

    A table or unit the frame does not hold is a :class:`UsageError` naming those it holds, never an empty frame.
    """
    tables = list(dict.fromkeys(figures["key"].str.partition(".")[0]))
    if table not in tables:
        held = "、".join(tables) or "（长表是空的）"
        raise UsageError(f"长表中没有“{table}”这张表；可用的表：{held}（t2 即表二，t3 即表三，t4 即表四）。")
    part = figures[figures["key"].str.startswith(table + ".")]
    if unit is not None:
        if unit not in set(part["unit"]):
            units = list(dict.fromkeys(part["unit"]))
            shown = "、".join(units[:10]) + ("等" if len(units) > 10 else "")
            raise UsageError(f"长表中没有填报单位“{unit}”；其中的单位有：{shown}。")
        part = part[part["unit"] == unit]
    summed = part.groupby(["row_label", "col_label"], sort=False)["value"].sum(min_count=1)
    return summed.unstack("col_label")  # rows and columns in the order of the official table
