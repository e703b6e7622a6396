"""Findings: everything govxl has to say about a file, a unit or a cell."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from govxl.editions.rules import Severity

# File-level problems have ids of their own; cell and rule findings use editions.md §6 ids.
UNREADABLE = "F1"  # cannot be opened or read
NOT_A_REPORT = "F2"  # a spreadsheet, but not the report tables
DUPLICATE = "F3"  # two files for one 填报单位
NOT_ON_ROSTER = "F4"
MISSING = "F5"  # on the roster, no file
MIXED = "F6"  # another report year or edition than the rest
INCOMPLETE = "F7"  # a merged workbook of the level below lacks units or files
WRONG_EDITION = "C14"  # labels of the other edition (套用旧模板)


@dataclass
class Finding:
    severity: Severity
    rule: str
    message: str
    file: str = ""
    unit: str = ""
    sheet: str = ""  # in the file the finding is about
    cell: str = ""  # A1 address in that sheet
    expected: str = ""
    actual: str = ""
    key: str = ""  # the cell's key, when the finding is about one input cell
    explanation: str = ""  # the unit's written explanation of a 提示

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def to_json(self) -> dict[str, str]:
        d = asdict(self)
        d["severity"] = self.severity.value
        return d

    def sort_key(self) -> tuple[str, str, int, str, str, str]:
        # 表二, 表三, 表四 in their order (as strings, 三 would sort before 二)
        return (self.unit, self.file, _SHEET_ORDER.get(self.sheet, 9), self.sheet, _cell_order(self.cell), self.rule)


_SHEET_ORDER = {"": 0, "表二": 1, "表三": 2, "表四": 3}


def _cell_order(ref: str) -> str:
    letters = "".join(ch for ch in ref if ch.isalpha())
    digits = "".join(ch for ch in ref if ch.isdigit())
    return f"{int(digits or 0):07d}{len(letters)}{letters}"


class Summarised:
    """Mixin for results that hold ``findings``: their errors and hints."""

    findings: list[Finding]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.is_error]

    @property
    def hints(self) -> list[Finding]:
        return [f for f in self.findings if not f.is_error]
