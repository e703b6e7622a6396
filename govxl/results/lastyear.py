"""Last year's figures as the cross-year rules (D1–D3) take them: the totals, and each unit's by its key."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from govxl.editions.model import Edition
from govxl.unitnames import unit_key


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
