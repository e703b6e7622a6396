"""What ``govxl history`` gives: several report years side by side, per unit and in total."""

from __future__ import annotations

from dataclasses import dataclass, field

from govxl.results.figures import Figures
from govxl.results.findings import Finding

TOTAL = "（合计）"


@dataclass
class Year:
    year: int
    file: str
    units: list[Figures]  # a return, or the unit rows of a merged workbook
    totals: dict[str, float]


@dataclass
class History:
    years: list[Year]
    table: dict[tuple[str, str], dict[int, float]]  # (unit, series) -> year -> figure
    findings: list[Finding] = field(default_factory=list)  # the cross-year rules between consecutive years
    unmapped: list[str] = field(default_factory=list)

    @property
    def units(self) -> list[str]:
        return list(dict.fromkeys(unit for unit, _ in self.table if unit != TOTAL))
