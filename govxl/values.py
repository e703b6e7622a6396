"""What a cell may hold, and how numbers are shown in messages."""

from __future__ import annotations

import math
from datetime import date, datetime

# Text that means "not applicable": read as 0, flagged as a hint (C3).
NA_MARKERS: tuple[str, ...] = ("/", "／", "-", "－", "—", "——", "无", "不适用")

Raw = float | int | str | bool | date | None  # a cell as a spreadsheet holds it


_EPOCH = date(1899, 12, 30)


def is_number(value: object) -> bool:
    """Whether Excel's ISNUMBER is TRUE for the value (a date is a number to Excel)."""
    return isinstance(value, (int, float, date)) and not isinstance(value, bool)


def numeric(value: object) -> float:
    """The value as Excel's SUM sees it: text, booleans and blanks count 0; a date is its serial number."""
    if isinstance(value, date):
        d = value.date() if isinstance(value, datetime) else value
        return float((d - _EPOCH).days)
    return float(value) if is_number(value) else 0.0  # type: ignore[arg-type]


def is_blank_or_na(value: object) -> bool:
    return value is None or value == "" or (isinstance(value, str) and value in NA_MARKERS)


def show(x: float) -> str:
    """A number as Excel's ``&`` shows it (General format, 15 significant digits)."""
    if math.isfinite(x) and x == int(x) and abs(x) < 1e15:
        return str(int(x))
    return f"{x:.15g}"
