"""How complete a merged workbook is: recorded in it, read back one level up.

A district's merged workbook that lacks four units must not look, to the city,
like a complete one: the counts travel upward in the workbook's metadata.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace

from govxl.editions.rules import Severity
from govxl.results.findings import INCOMPLETE, Finding

# What a merged workbook records, in the order a message names them.
GAPS = (
    ("missing", "缺报{}个单位"),
    ("unreadable", "无法读取{}份"),
    ("duplicate", "重复{}份"),
    ("rejected", "格式不符{}份"),
)


@dataclass(frozen=True)
class Completeness:
    expected: int = -1  # units on the roster; -1 when no roster was given
    merged: int = 0
    missing: int = 0
    unreadable: int = 0
    duplicate: int = 0
    rejected: int = 0
    errors: int = 0
    hints: int = 0
    # the same gaps inside the merged workbooks that were themselves merged here (districts of a city)
    below_missing: int = 0
    below_unreadable: int = 0
    below_duplicate: int = 0
    below_rejected: int = 0

    def to_meta(self) -> dict[str, str]:
        return {f"completeness.{f.name}": str(getattr(self, f.name)) for f in fields(self)}

    @classmethod
    def from_meta(cls, meta: Mapping[str, str]) -> Completeness | None:
        if "completeness.merged" not in meta:
            return None
        values = {}
        for f in fields(cls):
            text = meta.get(f"completeness.{f.name}", "0")
            values[f.name] = int(text) if text.lstrip("-").isdigit() else 0
        return cls(**values)

    def gaps(self) -> str:
        """“缺报2个单位、无法读取1份”, with the gaps below added; empty when complete."""
        own = _listed(self, "")
        below = _listed(self, "below_")
        parts = [own] if own else []
        if below:
            parts.append(f"其下级汇总表中{below}")
        return "；".join(parts)

    def with_below(self, merged_below: Iterable[Completeness]) -> Completeness:
        """These counts, plus every gap recorded in (and below) the merged workbooks merged here."""
        totals = {name: getattr(self, f"below_{name}") for name, _ in GAPS}
        for c in merged_below:
            for name in totals:
                totals[name] += getattr(c, name) + getattr(c, f"below_{name}")
        return replace(self, **{f"below_{k}": v for k, v in totals.items()})


def _listed(c: Completeness, prefix: str) -> str:
    return "、".join(text.format(getattr(c, prefix + name)) for name, text in GAPS if getattr(c, prefix + name))


def gaps_finding(c: Completeness | None, unit: str, file: str) -> Finding | None:
    """甲区：缺报2个单位、无法读取1份 — a merged workbook whose totals lack units, as a 提示; None when complete."""
    gaps = c.gaps() if c is not None else ""
    if c is None or not gaps:
        return None
    recorded = f"（该汇总表记录校验错误{c.errors}项、提示{c.hints}项）" if c.errors or c.hints else ""
    return Finding(Severity.HINT, INCOMPLETE, f"{unit}：{gaps}，其汇总数不完整{recorded}", file=file, unit=unit)
