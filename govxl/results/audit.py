"""What ``govxl audit`` found: one published report's figures and findings, or those of a folder of them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from govxl.editions.model import Edition
from govxl.results.figures import Figures
from govxl.results.findings import Finding, Summarised

if TYPE_CHECKING:
    import pandas as pd


@dataclass
class AuditResult(Summarised):
    """What a published report says, and what is wrong with it."""

    edition: Edition
    year: int | None
    unit: str
    values: dict[str, float | None]  # key -> number; None for a blank cell
    findings: list[Finding]
    assumptions: list[str]  # how ambiguous text was read, in Chinese
    file: str = ""
    read_as: str = ""  # 网页, 文本, PDF or Word
    figures: Figures | None = field(default=None, repr=False)  # the tables as a unit's figures

    def to_frame(self) -> pd.DataFrame:
        """The report's figures, one row per input cell, as a merge result's
        (:func:`govxl.results.frames.figures_frame`)."""
        from govxl.results.frames import figures_frame

        return figures_frame([self.figures] if self.figures is not None else [])

    def findings_frame(self) -> pd.DataFrame:
        from govxl.results.frames import findings_frame

        return findings_frame(self.findings)

    def to_json(self) -> dict[str, object]:
        return {
            "edition": self.edition.id,
            "year": self.year,
            "unit": self.unit,
            "assumptions": self.assumptions,
            "findings": [f.to_json() for f in self.findings],
        }


@dataclass
class Audits:
    reports: list[AuditResult]
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file, why it could not be read)

    @property
    def errors(self) -> int:
        return sum(len(r.errors) for r in self.reports)

    def to_json(self) -> dict[str, object]:
        return {
            "reports": [{"file": r.file, "read_as": r.read_as, **r.to_json()} for r in self.reports],
            "unreadable": [{"file": f, "reason": why} for f, why in self.failed],
        }
