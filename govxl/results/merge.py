"""What ``govxl merge`` gives: the units merged, their totals and rule outcomes, what became of every file."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING

from govxl.editions.model import Edition
from govxl.judge.engine import RuleOutcome
from govxl.results.completeness import Completeness
from govxl.results.figures import Figures
from govxl.results.findings import Finding, Summarised

if TYPE_CHECKING:
    import pandas as pd


class Status(str, Enum):
    """What became of a file or a unit, in the words the merged workbook and the command line show.

    A ``str`` as well, shown and written as its Chinese words (never ``Status.MERGED``), equal to them and
    hashed like them, so that the workbook and the JSON are the same as when these were plain strings."""

    __str__ = str.__str__
    __format__ = str.__format__
    __hash__ = str.__hash__

    MERGED = "已报"
    MISSING = "缺报"
    DUPLICATE = "重复"
    UNREADABLE = "无法读取"
    NOT_ON_ROSTER = "不在名单中"
    REJECTED = "格式不符"  # read, but of another edition or year: not merged
    NOT_READ = "未读取"  # not a spreadsheet (a letter, a scan): listed, not read
    MERGED_WORKBOOK = "汇总表未计入"  # a merged workbook among the departments' returns


MERGED_STATUSES = (Status.MERGED, Status.NOT_ON_ROSTER)  # the statuses of files whose figures are in the totals


@dataclass
class FileEntry:
    """What became of one input file."""

    shown: str
    status: Status
    unit: str = ""
    reason: str = ""


@dataclass
class UnitLine:
    unit: str
    status: Status
    files: list[str]
    errors: int = 0
    hints: int = 0
    gaps: str = ""  # for a merged workbook of a level below: what it lacks (缺报2个单位、无法读取1份)
    note: str = ""  # e.g. a near miss of names: 可能是名单中的“区教育局”


@dataclass
class Merged(Summarised):
    """What a merge gives: the units merged and their totals, what became of every file, every finding
    (written by :func:`govxl.merge.write_outputs`)."""

    edition: Edition
    year: int
    name: str  # the merging unit, shown on the cover
    time_label: str
    time_text: str
    units: list[Figures]  # merged, in output order
    totals: dict[str, float]
    unit_outcomes: dict[str, list[RuleOutcome]]  # the rules each unit breaks
    total_outcomes: list[RuleOutcome]
    findings: list[Finding]
    files: list[FileEntry]
    lines: list[UnitLine]  # one per unit: roster units first, then the others
    roster_used: bool = False
    ignored: list[str] = field(default_factory=list)  # lock files and the output itself
    expected: int = -1  # units on the roster

    def to_frame(self) -> pd.DataFrame:
        """The merged units' figures, one row per unit × input cell (:func:`govxl.results.frames.figures_frame`)."""
        from govxl.results.frames import figures_frame

        return figures_frame(self.units)

    def findings_frame(self) -> pd.DataFrame:
        from govxl.results.frames import findings_frame

        return findings_frame(self.findings)

    def to_json(self) -> dict[str, object]:
        return {
            "year": self.year,
            "edition": self.edition.id,
            "unit": self.name,
            "files": [vars(e) for e in self.files],
            "units": [vars(line) for line in self.lines],
            "findings": [f.to_json() for f in self.findings],
        }

    def completeness(self) -> Completeness:
        """What this merged workbook records about itself for the level above."""
        statuses = Counter(e.status for e in self.files)
        own = Completeness(
            expected=self.expected,
            merged=len(self.units),
            missing=sum(1 for line in self.lines if line.status == Status.MISSING),
            unreadable=statuses[Status.UNREADABLE],
            duplicate=statuses[Status.DUPLICATE],
            rejected=statuses[Status.REJECTED],
            errors=len(self.errors),
            hints=len(self.hints),
        )
        return own.with_below(u.completeness for u in self.units if u.completeness is not None)
