"""What ``govxl check`` found: every file handed to it, with its figures (if usable) and its findings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from govxl.results.figures import Figures
from govxl.results.findings import Finding, Summarised

if TYPE_CHECKING:
    import pandas as pd


@dataclass
class FileCheck:
    shown: str
    ret: Figures | None  # None when the file could not be used
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.is_error)

    @property
    def hints(self) -> int:
        return sum(1 for f in self.findings if not f.is_error)


@dataclass
class CheckResult(Summarised):
    files: list[FileCheck]
    ignored: list[str] = field(default_factory=list)  # lock files and the like

    @property
    def findings(self) -> list[Finding]:
        return [f for fc in self.files for f in fc.findings]

    @property
    def usable(self) -> list[FileCheck]:
        return [fc for fc in self.files if fc.ret is not None]

    def to_frame(self) -> pd.DataFrame:
        """The figures of every usable file, one row per unit × input cell."""
        from govxl.results.frames import figures_frame

        return figures_frame(fc.ret for fc in self.usable if fc.ret is not None)

    def findings_frame(self) -> pd.DataFrame:
        from govxl.results.frames import findings_frame

        return findings_frame(self.findings)

    def to_json(self) -> dict[str, object]:
        return {
            "files": [
                {"file": fc.shown, "unit": fc.ret.unit if fc.ret else "", "errors": fc.errors, "hints": fc.hints}
                for fc in self.files
            ],
            "findings": [f.to_json() for f in self.findings],
        }
