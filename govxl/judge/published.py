"""Judging a published report beyond its tables' rules: its words against its tables (C12), and its findings
worded for the one who reads it."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence

from govxl.editions.model import Edition
from govxl.editions.rules import Severity
from govxl.editions.text_figures import PHRASES
from govxl.layout import cell_index
from govxl.normalize import Cell, State
from govxl.results.findings import (
    TEXT_VS_TABLE,
    Finding,
)
from govxl.values import show

# The checks speak to the office about a department's return (请对方填写后重新报送, 没有数据请填写0); a published
# report is past filling in: its findings speak to the one who reads it.
_FOR_READER = (
    ("请对方填写后重新报送；没有数据的单元格请填0", "请核对报告原文"),
    ("；没有数据请填写0", "，请核对报告原文"),
    ("没有数据请填写0", "请核对报告原文"),
    ("汇总时按0计算", "按0计算"),
    ("；请只填以万元为单位的数字", "，请核对金额的单位"),
    ("，请填写", "，应为"),
    ("请填写", "应为"),
    ("请对方使用完整的模板填报", "请核对报告是否完整"),
    ("重新填报", "核对"),
    ("重新报送", "核对"),
    ("请对方", "请"),
    ("请查看标红的单元格", "请核对报告原文"),
)


def for_reader(text: str) -> str:
    """A message the checks word for a department's return, worded for the reader of a published report."""
    for office, reader in _FOR_READER:
        text = text.replace(office, reader)
    return text


def text_against_tables(
    rows: Sequence[Sequence[str]],
    spans: Mapping[str, tuple[int, int]],
    edition: Edition,
    cells: Mapping[str, Cell],
    file: str,
    unit: str,
) -> list[Finding]:
    """C12: a figure the report's words restate (本年新收申请X件 …) that differs from the table cell it restates."""
    first_table = min((start for start, _ in spans.values() if start > 0), default=len(rows))
    out = []
    index = cell_index(edition)
    for paragraph in _paragraphs(rows[:first_table]):
        sentence, origin = _cleaned(paragraph)
        for phrase in PHRASES:
            keys = phrase.keys.get(edition.id)
            sums = [keys, *phrase.also.get(edition.id, ())] if keys else []
            if not keys or any(not _is_number(cells.get(k)) for ks in sums for k in ks):
                continue
            for m in re.finditer(phrase.pattern, sentence):
                said = float(m.group(1).replace(",", "").replace("，", ""))
                table = sum(cells[k].number for k in keys)
                if any(abs(said - sum(cells[k].number for k in ks)) < 1e-9 for ks in sums):
                    continue
                lay, spec = index[keys[0]]
                start, end = max(0, m.start() - 12), min(len(sentence), m.end() + 4)
                while start > 0 and sentence[start - 1].isdigit():  # never half a number ("…4 年")
                    start -= 1
                quote = paragraph[origin[start] : origin[end - 1] + 1]  # as printed, punctuation and all
                out.append(
                    Finding(
                        Severity.HINT,
                        TEXT_VS_TABLE,
                        f"正文说“…{quote}…”，{phrase.name}为{show(said)}{phrase.unit}，"
                        f"但{lay.sheet}中为{show(table)}{phrase.unit}（{lay.sheet}!{spec.ref}），请核对",
                        file=file,
                        unit=unit,
                        sheet=lay.sheet,
                        cell=spec.ref,
                        expected=show(table),
                        actual=show(said),
                        key=keys[0],
                    )
                )
    return out


def _is_number(cell: Cell | None) -> bool:
    return cell is not None and cell.state in (State.NUMBER, State.CONVERTED)


def _paragraphs(rows: Sequence[Sequence[str]]) -> list[str]:
    """The report's words as paragraphs: lines of one cell joined (a PDF's text wraps sentences over lines),
    a paragraph ending at an empty line or a table row."""
    out: list[str] = []
    current: list[str] = []
    for row in rows:
        texts = [c for c in row if c.strip()]
        if len(texts) == 1:
            current.append(texts[0].strip())
            continue
        if current:
            out.append("".join(current))
        current = []
    if current:
        out.append("".join(current))
    return out


def _cleaned(text: str) -> tuple[str, list[int]]:
    """The text as labels are compared (NFKC, no spaces), and for each of its characters the position in the
    text it comes from: a quote is taken from the text as printed."""
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        for c in unicodedata.normalize("NFKC", ch):
            if not c.isspace():
                chars.append(c)
                origin.append(i)
    return "".join(chars), origin
