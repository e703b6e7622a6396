"""A published table's row as read, and what reading one report's tables has noticed so far."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from govxl.editions.model import Edition, Kind
from govxl.editions.rules import Severity
from govxl.layout import SheetLayout
from govxl.normalize import State, normalize
from govxl.read.documents import Row
from govxl.read.vocabulary import RowSpec
from govxl.results.findings import Finding

_COUNT_WORDS = {1: "一", 2: "两", 3: "三"}


def count_word(n: int) -> str:
    """A small count as a sentence says it (多出两个), a larger one in digits."""
    return _COUNT_WORDS.get(n, str(n))


@lru_cache(maxsize=8192)  # cut digit runs try the same few strings thousands of times
def published_number(raw: str, kind: Kind) -> float | None:
    """A published cell's number; None for a blank, "/" or text."""
    cell = normalize(raw, kind, published=True)
    return cell.number if cell.state in (State.NUMBER, State.CONVERTED) else None


@dataclass
class RowRead:
    """A row found in the document: its value cells, refitted as its surplus or run-together values are settled."""

    spec: RowSpec
    cells: list[str]  # the raw value cells, after fitting
    given: int  # how many cells the document had after the label


@dataclass
class TablesReader:
    """What reading one report's tables has noticed so far (given as :class:`TablesRead`)."""

    edition: Edition
    rows: list[Row]
    file: str
    unit: str = ""
    assumptions: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    uncertain: set[str] = field(default_factory=set)  # cells read from one of several fitting cuts
    unread: set[str] = field(default_factory=set)  # digits that could not be cut one way (R5): no C3, no rule
    not_found: set[str] = field(default_factory=set)  # cells of rows not found in the report (R2)

    def finding(self, severity: Severity, rule: str, message: str, lay: SheetLayout | None = None, **kw: str) -> None:
        sheet = lay.sheet if lay else ""
        self.findings.append(Finding(severity, rule, message, file=self.file, unit=self.unit, sheet=sheet, **kw))
