"""The two official formats of the report tables, as data."""

from __future__ import annotations

from govxl.editions import e2019, e2021
from govxl.editions.model import Edition, Kind
from govxl.errors import UsageError

EDITIONS: tuple[Edition, ...] = (e2019.EDITION, e2021.EDITION)


def edition_for_year(year: int) -> Edition:
    """The edition that governs reports for ``year``."""
    for edition in EDITIONS:
        if edition.covers(year):
            return edition
    first, last = EDITIONS[0].years[0], EDITIONS[-1].years[1]
    raise UsageError(
        f"报告年度 {year} 不在支持范围内：govxl 支持 {first}—{last} 年度的报告"
        f"（{first}—{EDITIONS[0].years[1]} 年度用2019年试行格式，{EDITIONS[1].years[0]} 年度起用2021年格式）。"
        "请检查年份是否填写正确。"
    )


def edition_by_id(edition_id: str) -> Edition:
    for edition in EDITIONS:
        if edition.id == edition_id:
            return edition
    raise KeyError(edition_id)


__all__ = ["EDITIONS", "Edition", "Kind", "edition_by_id", "edition_for_year"]
