"""Turn what a clerk typed into a number, tolerantly but never silently.

Every conversion that is not a plain number yields a message: a 提示 when
the meaning is unambiguous ("12" as text, "/" for not applicable, an amount
in 元), a 错误 when it is not (words, negative counts, dates, #REF!).
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from enum import Enum
from functools import lru_cache

from govxl.editions.model import Kind
from govxl.editions.rules import Severity
from govxl.values import NA_MARKERS, Raw, show


class State(str, Enum):
    NUMBER = "number"  # a plain number
    CONVERTED = "converted"  # text read as a number
    BLANK = "blank"
    NA = "na"  # "/" and friends: not applicable
    ERROR = "error"  # cannot be used; counts as 0


@dataclass(frozen=True)
class Cell:
    """A normalised cell: ``number`` is what is summed; ``shown`` what the merged workbook writes."""

    state: State
    number: float
    shown: Raw
    severity: Severity | None = None
    rule: str = ""
    message: str = ""
    formula_problem: bool = False  # an error value or a formula saved without its result


# Markers for cells whose XML says more than the value readers return.
ERROR_VALUE = "error-value"  # t="e": #REF!, #DIV/0!, ...
NO_CACHED_VALUE = "no-cached-value"  # a formula saved without its result

_SPACES = re.compile(r"[\s\u3000\u00a0]+")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_GROUPED = re.compile(r"[+-]?\d{1,3}([,，]\d{3})+(\.\d+)?")
_AMOUNT = re.compile(r"(?P<num>.+?)(?P<unit>万元|元)$")
_NA = {unicodedata.normalize("NFKC", m) for m in NA_MARKERS} | set(NA_MARKERS)


@dataclass(frozen=True)
class Special:
    """A cell that readers show as blank but is not: an error value or an uncalculated formula."""

    what: str
    text: str  # the error code or the formula


TOO_LARGE = 1e12  # no count or amount (万元) of a report comes near this; doubles stay exact well beyond it
_DIGITS = 15  # significant digits a double holds exactly


def normalize(raw: object, kind: Kind, *, published: bool = False) -> Cell:
    """What a cell holds, as a number with its state. ``published``: text of a published report, where
    every number is text and that is no finding."""
    if raw.__class__ is float and 0 <= raw < TOO_LARGE and raw == int(raw):  # type: ignore[operator,arg-type]
        return _plain(raw)  # type: ignore[arg-type]  # the common case, fast and shared
    if isinstance(raw, Special):
        return _special(raw)
    if isinstance(raw, bool):
        return _error(raw, f"单元格是逻辑值“{'TRUE' if raw else 'FALSE'}”，应填写数字", "C1")
    if isinstance(raw, (datetime, date, time)):
        shown = raw.isoformat() if not isinstance(raw, datetime) else raw.date().isoformat()
        return _error(
            shown,
            f"单元格是日期“{shown}”（输入“1-2”之类的内容会被Excel自动转换为日期），请改为填写数字",
            "C1",
        )
    if isinstance(raw, (int, float)):
        if not math.isfinite(raw):
            return _error(str(raw), "不是有效的数字，请填写" + kind.description, _rule(kind))
        if abs(raw) >= TOO_LARGE:
            return _too_large(show(float(raw)), kind)
        return _typed(float(raw), kind, raw, converted_from=None)
    if raw is None:
        return _blank()
    text = str(raw)
    compact = _SPACES.sub("", unicodedata.normalize("NFKC", text)).replace("\u2212", "-")  # − (minus sign)
    if compact == "":
        return _blank()
    if compact in _NA or text.strip() in _NA:
        return Cell(
            State.NA, 0.0, text.strip(), Severity.HINT, "C3", f"填写了“{text.strip()}”，按不适用计为0；没有数据请填写0"
        )
    number = _parse_number(compact)
    if number is not None:
        if abs(number) >= TOO_LARGE:
            return _too_large(text.strip(), kind)
        if sum(ch.isdigit() for ch in compact.lstrip("+-0.")) > _DIGITS:
            message = f"数字“{_clip(text.strip())}”超过{_DIGITS}位有效数字，无法准确读取，请核实后填写"
            return _error(text.strip(), message, _rule(kind))
        if published:
            return _typed(number, kind, int(number) if number == int(number) else number, converted_from=None)
        return _typed(number, kind, text, converted_from=text)
    if kind is Kind.AMOUNT:
        m = _AMOUNT.match(compact)
        amount = _parse_number(m.group("num")) if m else None
        if m and amount is not None:
            wan = amount / 10000 if m.group("unit") == "元" else amount
            wan = round(wan, 10)
            if wan < 0:
                return _error(text, f"金额“{text}”为负数，金额不能为负", "C2")
            note = "已换算为" if m.group("unit") == "元" else "已按"
            return Cell(
                State.CONVERTED,
                wan,
                wan,
                Severity.HINT,
                "C4",
                f"金额填写为“{text}”，{note}{show(wan)}万元读取；请只填以万元为单位的数字",
            )
    return _error(text, f"“{_clip(text)}”不是数字，请填写{kind.description}", "C1" if kind is Kind.COUNT else "C2")


@lru_cache(maxsize=4096)
def _plain(x: float) -> Cell:
    """Plain whole numbers recur in every return (0, 1, 2, …): one immutable Cell each."""
    return Cell(State.NUMBER, x, x)


def is_value_like(raw: str) -> bool:
    """Whether text holds a value (a number, a blank, "/", an amount with its unit) rather than a label."""
    compact = _SPACES.sub("", unicodedata.normalize("NFKC", raw)).replace("\u2212", "-")
    if compact == "" or compact in _NA or _parse_number(compact) is not None:
        return True
    m = _AMOUNT.match(compact)
    return bool(m and _parse_number(m.group("num")) is not None)


def _parse_number(s: str) -> float | None:
    if _NUMBER.fullmatch(s):
        return float(s)
    if _GROUPED.fullmatch(s):
        return float(s.replace(",", "").replace("，", ""))
    return None


def _typed(x: float, kind: Kind, shown_raw: object, converted_from: str | None) -> Cell:
    rule = "C1" if kind is Kind.COUNT else "C2"
    label = show(x)
    # Written back as text so that SUM skips it, as govxl's own totals do.
    bad_shown = converted_from.strip() if converted_from is not None else label
    if kind is not Kind.AMOUNT and x != int(x):
        return _error(bad_shown, f"填写了{label}，应填写整数", rule)
    if kind is not Kind.SIGNED and x < 0:
        return _error(bad_shown, f"填写了{label}，不能为负数", rule)
    if converted_from is None:
        return Cell(State.NUMBER, x, shown_raw)  # type: ignore[arg-type]
    value: Raw = int(x) if kind is not Kind.AMOUNT and x == int(x) else x
    return Cell(
        State.CONVERTED,
        x,
        value,
        Severity.HINT,
        "C1" if kind is not Kind.AMOUNT else "C4",
        f"数字“{_clip(converted_from)}”以文本形式填写，已按{label}读取；请在单元格中直接填写数字",
    )


def _rule(kind: Kind) -> str:
    return "C1" if kind is Kind.COUNT else "C2"


def _too_large(shown: str, kind: Kind) -> Cell:
    return _error(shown, f"数值过大（{_clip(shown)}），不可能是实际的数字，请核实后填写{kind.description}", _rule(kind))


def from_formula(cell: Cell, formula: str) -> Cell:
    """A formula's saved result, judged as the same value typed would be; the message names the formula."""
    if cell.severity is None or cell.formula_problem:
        return cell
    head = f"单元格是公式“={_clip(formula)}”，" if formula else "单元格是公式，"
    message = cell.message
    for typed, computed in (("填写了", "计算结果为"), ("单元格为空", "计算结果为空")):
        if message.startswith(typed):
            return replace(cell, message=head + computed + message[len(typed) :])
    return replace(cell, message=f"{head}计算结果：{message}")


def _blank() -> Cell:
    return Cell(State.BLANK, 0.0, None, Severity.HINT, "C3", "单元格为空，按0计算；没有数据请填写0")


def _error(shown: object, message: str, rule: str) -> Cell:
    return Cell(State.ERROR, 0.0, str(shown), Severity.ERROR, rule, message)


def _special(raw: Special) -> Cell:
    if raw.what == ERROR_VALUE:
        message = f"单元格是错误值“{raw.text}”（公式引用失效或计算出错），请改为填写数字"
        return Cell(State.ERROR, 0.0, raw.text, Severity.ERROR, "C1", message, formula_problem=True)
    message = f"单元格是公式“={_clip(raw.text)}”但文件中没有保存计算结果，请在Excel或WPS中打开、确认数字后重新保存"
    return Cell(State.ERROR, 0.0, NO_RESULT, Severity.ERROR, "C1", message, formula_problem=True)


NO_RESULT = "公式无计算结果"  # written in place of a formula's missing result


def _clip(text: str, n: int = 30) -> str:
    return text if len(text) <= n else text[:n] + "…"
