"""The cross-year rules (D1–D3): this year's figures against last year's, per unit and in total.

Figures in, findings out; never a file (last year's are read by :mod:`govxl.read.lastyear`).
"""

from __future__ import annotations

from govxl.editions.model import Edition
from govxl.editions.rules import Severity
from govxl.errors import UsageError
from govxl.judge.engine import PREV, cross_year_checks, evaluate
from govxl.layout import cell_index
from govxl.results.figures import Figures
from govxl.results.findings import NO_LAST_YEAR, Finding
from govxl.results.lastyear import LastYear
from govxl.values import show


def require_year(last: LastYear, year: int) -> None:
    """Refuse a "last year" file of another year: comparing it would report nonsense."""
    if last.year is not None and last.year != year - 1:
        raise UsageError(
            f"--last-year 给出的 {last.path.name} 是 {last.year} 年度的报表，"
            f"本次是 {year} 年度，应使用 {year - 1} 年度的汇总表或报表。"
        )


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
