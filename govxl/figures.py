"""One unit's figures: the hinge between the readers and everything that judges or adds up.

Every reader produces :class:`Figures`: a department's return, each unit row and the totals of a
merged workbook, last year's file, a published report. Findings, merging, reports and cross-year
rules take them. They are not changed once read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from govxl.completeness import Completeness
from govxl.editions.model import Edition
from govxl.findings import Finding
from govxl.normalize import Cell
from govxl.rules import prefill_definitions


@dataclass(frozen=True, eq=False)  # identity: two files with the same figures are two returns
class Figures:
    """A unit's figures as read from one file: each input cell's value and state, and where it came from."""

    path: Path
    shown: str  # the file as the user gave it, for messages
    edition: Edition
    year: int | None
    unit: str
    kind: str  # template | merged | unknown (a file not made by govxl) | unit (a merged workbook's row) | published
    cells: dict[str, Cell]
    refs: dict[str, tuple[str, str]]  # key -> (sheet, A1) in the file
    explanations: dict[str, str] = field(default_factory=dict)  # table key -> the unit's 说明 text
    findings: list[Finding] = field(default_factory=list)  # what the reader noticed (hidden rows, label drift, …)
    unit_from: str = "cover"  # cover | meta | file name | document | row
    formula_keys: frozenset[str] = frozenset()  # cells holding a template's total formula
    saved: datetime | None = None  # when the workbook was last saved, by its own properties
    completeness: Completeness | None = None  # for a merged workbook: what it lacks, as it recorded

    def numbers(self) -> dict[str, float]:
        """Each cell's figure.

        In a department's return, a total the template computes is recomputed from its parts as read,
        so that a bad part or a lost formula result is not blamed on the total. A merged workbook
        contributes exactly what it shows: its totals are never recomputed.
        """
        cached: dict[str, float] | None = self.__dict__.get("_numbers")
        if cached is None:
            cached = self._compute_numbers()
            self.__dict__["_numbers"] = cached  # a cache, not a change: frozen fields stay as read
        return cached

    def _compute_numbers(self) -> dict[str, float]:
        out = {k: c.number for k, c in self.cells.items()}
        if self.kind == "merged":
            return out
        definitions = prefill_definitions(self.edition)
        done: set[str] = set()

        def settle(key: str) -> float:
            if key in definitions and key in self.formula_keys and key not in done:
                done.add(key)
                out[key] = sum(settle(p) for p in definitions[key])
            return out[key]

        for key in self.formula_keys:
            settle(key)
        return out
