"""Judging a published report beyond its tables' rules: its edition against its year, its words against its
tables (C12), the rules over rows not found, and its findings worded for the one who reads it."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence

from govxl.editions import edition_for_year
from govxl.editions.model import Edition
from govxl.editions.rules import Severity
from govxl.editions.text_figures import PHRASES
from govxl.errors import UsageError
from govxl.judge.engine import RuleOutcome
from govxl.layout import cell_index, layouts
from govxl.normalize import Cell, State
from govxl.results.findings import ROW_NOT_FOUND, TEXT_VS_TABLE, WRONG_EDITION, Finding
from govxl.values import show


def edition_findings(edition: Edition, year: int | None, foreign: list[str], file: str, unit: str) -> list[Finding]:
    """The report's tables in the edition of another year; the other edition's labels among them."""
    out = []
    if year is not None:
        try:
            expected = edition_for_year(year)
        except UsageError:
            expected = edition
        if expected is not edition:
            message = f"报告年度为{year}，应使用{expected.short_name}的表格，但报告使用的是{edition.short_name}的表格"
            out.append(Finding(Severity.ERROR, WRONG_EDITION, message, file=file, unit=unit))
    if foreign:
        sample = "、".join(f"“{t}”" for t in foreign[:3])
        message = f"报告按{edition.short_name}读取，但其中有另一种格式的表格文字{sample}，请核对是否套用了错误的模板"
        out.append(Finding(Severity.HINT, WRONG_EDITION, message, file=file, unit=unit))
    return out


def beside_rows_not_found(
    outcomes: list[RuleOutcome], not_found: frozenset[str], edition: Edition, file: str, unit: str
) -> tuple[list[RuleOutcome], list[Finding]]:
    """A rule that fails over a row not found in the report (R2) does not show the report wrong: the row may be
    missing from it, or printed so that it could not be read (a PDF copied a cell a line, its order scrambled).
    Such failures are said once a table, as a hint, and not as errors: the outcomes kept, and those hints."""
    kept: list[RuleOutcome] = []
    doubtful: dict[str, list[RuleOutcome]] = {}
    for o in outcomes:
        if not o.passed and not_found & set(o.check.cells):
            doubtful.setdefault(o.check.table, []).append(o)
        else:
            kept.append(o)
    hints = []
    for table, failed in doubtful.items():
        lay = next(lay for lay in layouts(edition) if lay.table.key == table)
        rows = {k.rsplit(".", 1)[0] for k in not_found if k.startswith(f"{table}.")}
        rules = "、".join(dict.fromkeys(o.check.id for o in failed))
        message = (
            f"{lay.sheet}有{len(rows)}行没有找到，按空白计算时有{len(failed)}项勾稽关系（{rules}）不成立；"
            "可能是报告缺少这些行，也可能是这些行未能读出，未作为错误，请核对报告原文"
        )
        hints.append(Finding(Severity.HINT, ROW_NOT_FOUND, message, file=file, unit=unit, sheet=lay.sheet))
    return kept, hints


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
