"""A published row's values fitted to its cells under the table's tallying rules: surplus values dropped, digits
run together cut; every choice said as an assumption, and as a finding where it could change a figure."""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from govxl.editions.model import Edition
from govxl.editions.rules import Severity
from govxl.judge.engine import Check, checks_for, evaluate
from govxl.layout import SheetLayout
from govxl.read.reportrows import RowRead, TablesReader, count_word, published_number
from govxl.read.runtogether import (
    MAX_KEPT,
    best_readings,
    components,
    is_run,
    own_failures,
    splits,
    summed_splits,
    surplus_split,
)
from govxl.read.vocabulary import RowSpec, row_specs
from govxl.results.findings import RUN_TOGETHER, RUN_TOGETHER_AMBIGUOUS, SURPLUS_VALUES

MAX_COMBINATIONS = 4096  # alignments tried jointly for rows with surplus values


# ---------------------------------------------------------------- surplus values


@dataclass(eq=False)
class _Surplus:
    read: RowRead
    options: list[tuple[int, ...]]  # positions that may be dropped
    alike: dict[tuple[int, ...], list[tuple[int, ...]]] = field(
        default_factory=dict
    )  # a reading's options, by the first

    def __post_init__(self) -> None:
        by_reading: dict[tuple[float | None, ...], list[tuple[int, ...]]] = {}
        for drop in self.options:  # rows of zeros read alike whichever zero is dropped: tried once
            by_reading.setdefault(tuple(_numbers(self.read, _kept(self.read, drop)).values()), []).append(drop)
        self.alike = {drops[0]: drops for drops in by_reading.values()}

    @property
    def distinct(self) -> list[tuple[int, ...]]:
        """One option for each reading the options give."""
        return list(self.alike)


def _kept(read: RowRead, drop: tuple[int, ...]) -> list[str]:
    dropped = set(drop)  # a row of thousands of surplus values drops thousands: a tuple's `in` made it quadratic
    return [c for i, c in enumerate(read.cells) if i not in dropped]


def _numbers(read: RowRead, cells: Sequence[str]) -> dict[str, float | None]:
    return {cell.key: published_number(raw, cell.kind) for cell, raw in zip(read.spec.cells, cells, strict=True)}


def resolve_surplus(reader: TablesReader, lay: SheetLayout, reads: dict[RowSpec, RowRead]) -> None:
    """Rows with too many values: keep the alignment under which the table's tallying rules hold."""
    surplus = [r for r in reads.values() if len(r.cells) > len(r.spec.cells)]
    if not surplus:
        return
    base = _absent(lay, reads)
    for read in reads.values():
        if read not in surplus:  # a short row's missing cells are blanks (R3 says so)
            base.update(_numbers(read, read.cells + [""] * (len(read.spec.cells) - len(read.cells))))
    checks = _table_checks(reader.edition, lay)
    touched = {c.key for r in surplus for c in r.spec.cells}
    checks = [c for c in checks if touched.intersection(c.cells)]  # the others do not depend on the choice
    items = [_Surplus(r, _drop_options(r)) for r in surplus]
    choice = _best_alignment(items, base, checks)
    values = _with(base, items, choice)
    for item, drop in zip(items, choice, strict=True):
        _report_surplus(reader, lay, item, drop, _surplus_reason(item, drop, values, checks))
        item.read.cells = _kept(item.read, drop)


def _absent(lay: SheetLayout, reads: Mapping[RowSpec, RowRead]) -> dict[str, float | None]:
    """The cells of rows the report lacks (R2): blank, as the rules will read them; so the rules over them still
    choose how the other rows are read (a hybrid 表三 without the （六） sub-rows tallies with them blank)."""
    return {c.key: None for spec in row_specs(lay) if spec not in reads for c in spec.cells}


def _drop_options(read: RowRead) -> list[tuple[int, ...]]:
    n, extra = len(read.spec.cells), len(read.cells) - len(read.spec.cells)
    if extra > 2 or len(read.cells) > 12:
        return [tuple(range(n, len(read.cells)))]
    return list(itertools.combinations(range(len(read.cells)), extra))


def _failures(values: Mapping[str, float | None], checks: Sequence[Check]) -> int:
    return sum(not evaluate(c, values).passed for c in checks)


def _with(
    base: Mapping[str, float | None], items: Sequence[_Surplus], drops: Sequence[tuple[int, ...]]
) -> dict[str, float | None]:
    values = dict(base)
    for item, drop in zip(items, drops, strict=True):
        values.update(_numbers(item.read, _kept(item.read, drop)))
    return values


def _best_alignment(
    items: list[_Surplus], base: Mapping[str, float | None], checks: Sequence[Check]
) -> tuple[tuple[int, ...], ...]:
    """Fewest broken rules; then the same position in every row (one extra column); then the later positions."""

    def failures(drops: tuple[tuple[int, ...], ...]) -> int:
        return _failures(_with(base, items, drops), checks)

    if math.prod(len(i.distinct) for i in items) <= MAX_COMBINATIONS:  # the rules judge readings, not positions
        scored = [(failures(c), c) for c in itertools.product(*(i.distinct for i in items))]
        least = min(f for f, _ in scored)
        best = [c for f, c in scored if f == least]
    else:
        chosen = [i.distinct[-1] for i in items]
        for k, item in enumerate(items):
            chosen[k] = min(item.distinct, key=lambda d, k=k: failures((*chosen[:k], d, *chosen[k + 1 :])))
        best = [tuple(chosen)]
    concrete = itertools.chain.from_iterable(
        itertools.product(*(i.alike[d] for i, d in zip(items, c, strict=True))) for c in best
    )
    return min(
        itertools.islice(concrete, MAX_COMBINATIONS * 4),
        key=lambda drops: (len(set(drops)), -sum(sum(d) for d in drops)),
    )


def _report_surplus(reader: TablesReader, lay: SheetLayout, item: _Surplus, drop: tuple[int, ...], reason: str) -> None:
    read = item.read
    n, given = len(read.spec.cells), len(read.cells)
    extra = given - n
    positions = "、".join(str(i + 1) for i in drop)
    dropped = "、".join(read.cells[i].strip() or "空白" for i in drop)
    reader.assumptions.append(
        f"{read.spec.name}有{given}个数值，多出{count_word(extra)}个；"
        f"按第{positions}个数值为多余的{dropped}读取（{reason}）"
    )
    reader.finding(
        Severity.HINT,
        SURPLUS_VALUES,
        f"{read.spec.name}有{given}个数值，应为{n}个；已按第{positions}个数值为多余读取，请核对报告原文",
        lay,
        cell=read.spec.cells[0].ref,
        key=read.spec.cells[0].key,
        expected=str(n),
        actual=str(given),
    )


def _surplus_reason(
    item: _Surplus, drop: tuple[int, ...], values: Mapping[str, float | None], checks: Sequence[Check]
) -> str:
    read = item.read
    if len(item.options) == 1:
        return "多余的数值过多，无法逐一比较，按靠后的数值为多余"
    readings = {tuple(_numbers(read, _kept(read, d)).values()) for d in item.options}
    if len(readings) == 1:
        return "去掉其中哪一个，读数都相同"
    keys = {c.key for c in read.spec.cells}
    own = [c for c in checks if set(c.cells) <= keys]
    related = [c for c in checks if keys & set(c.cells) and c not in own]
    if not own and not related:
        return "没有可供判断的勾稽关系，按靠后的数值为多余"
    parts = ["这样总计等于各列之和"] if own and not _failures(values, own) else []
    if related and not _failures(values, related):
        parts.append("与其他各行的勾稽关系也一致" if parts else "这样与其他各行的勾稽关系一致")
    return "，".join(parts) or "这样不符合勾稽关系的项最少"


# ---------------------------------------------------------------- cells run together


@dataclass(eq=False)
class _Run:
    read: RowRead
    shown: str  # the digits as the report prints them
    readings: list[dict[str, float | None]]
    texts: list[tuple[str, ...]]
    options: list[int] = field(default_factory=list)  # readings that serve the rules equally well
    guessless: bool = False  # the rules cannot tell the readings apart: the cells they disagree on are read blank


def resolve_run_together(reader: TablesReader, lay: SheetLayout, reads: dict[RowSpec, RowRead]) -> None:
    """Rows whose digits ran together ("2000002"): cut under the table's tallying rules, ambiguity said aloud."""
    runs: list[_Run] = []
    checks = _table_checks(reader.edition, lay)
    for read in reads.values():
        n = len(read.spec.cells)
        if n < 2 or len(read.cells) >= n or not is_run(read.cells):
            continue
        shown = " ".join(c.strip() for c in read.cells if c.strip())
        kinds = [c.kind for c in read.spec.cells]
        keys = [c.key for c in read.spec.cells]
        fitting = summed_splits(read.cells, kinds, keys, checks)  # the usual row, found directly
        if fitting is not None:
            texts: list[tuple[str, ...]] | None = fitting
            fits = fitting
            some_cut = bool(fitting) or len(shown.replace(" ", "")) >= n
        else:
            texts = splits(read.cells, kinds)
            numbers = [[published_number(p, k) for p, k in zip(t, kinds, strict=True)] for t in texts or ()]
            fits = [t for t, f in zip(texts or (), own_failures(numbers, keys, checks), strict=True) if f == 0]
            some_cut = bool(texts)
        if fits:  # the readings under which the row's own rules hold
            fits = fits[:MAX_KEPT]
            runs.append(_Run(read, shown, [_numbers(read, t) for t in fits], fits))
            continue
        more = surplus_split(read.cells, kinds) if texts is not None else None
        if more:  # "00000000" for 7 cells: each digit a value, the surplus dropped under the rules as usual
            read.cells = list(more)
            reader.assumptions.append(
                f"{read.spec.name}的数字“{shown}”{_joined(shown, n)}，拆分为{n}个数不合勾稽关系，"
                f"按唯一的拆法{'、'.join(more)}读取"
            )
            continue
        if texts is None:
            reason = "拆法过多，无法逐一比较"
        elif some_cut:
            reason = "没有一种拆法能使本行的总计等于各项之和（可能有空白单元格被略去）"
        else:
            reason = f"无法拆分为{n}个数（可能有空白单元格被略去）"
        reader.assumptions.append(f"{read.spec.name}的数字“{shown}”{_joined(shown, n)}，{reason}，按空白读取")
        _unsplit(reader, read, shown, f"{reason}；本行按空白读取，不作推测")
        read.cells = [""] * n
        reader.unread.update(keys)
    if not runs:
        return
    base = _absent(lay, reads)
    for read in reads.values():
        if not any(r.read is read for r in runs) and len(read.cells) == len(read.spec.cells):
            base.update(_numbers(read, read.cells))
    known = set(base).union(*(r.readings[0] for r in runs)) - reader.unread
    checks = [c for c in checks if known.issuperset(c.cells)]  # not rows aligned next (surplus) or read blank
    broken = complete = 0
    for group in components([r.readings for r in runs], checks):
        mine = [runs[i] for i in group]
        search = best_readings(base, [r.readings for r in mine], checks)
        broken += search.failures
        complete += not search.complete
        for k, run in enumerate(mine):
            run.options = sorted({s[k] for s in search.solutions}) or [0]
            run.read.cells = list(run.texts[run.options[0]])
            if len(run.options) > 1:
                differ = [j for j in range(len(run.read.cells)) if len({run.texts[o][j] for o in run.options}) > 1]
                reader.uncertain.update(run.read.spec.cells[j].key for j in differ)
                # the rules cannot tell the cuts apart: the cells they disagree on are not guessed (R5 lists the cuts)
                run.guessless = True
                reader.unread.update(run.read.spec.cells[j].key for j in differ)
                for j in differ:
                    run.read.cells[j] = ""
            cut = "、".join(c or "空白" for c in run.read.cells)
            joined = _joined(run.shown, len(run.read.spec.cells))
            reader.assumptions.append(f"{run.read.spec.name}的数字“{run.shown}”{joined}，拆分为{cut}")
    _report_run_together(reader, lay, runs, broken, complete == 0)


def _joined(shown: str, n: int) -> str:
    """How a row's digits are printed: all run together, or set apart by spaces into fewer groups than cells."""
    groups = len(shown.split())
    return "连在一起" if groups == 1 else f"以空格分为{groups}组，少于{n}个单元格（有的数字连在一起，或有单元格空白）"


def _unsplit(reader: TablesReader, read: RowRead, shown: str, why: str) -> None:
    spec = read.spec
    reader.finding(
        Severity.HINT,
        RUN_TOGETHER_AMBIGUOUS,
        f"{spec.name}的数字“{shown}”{_joined(shown, len(spec.cells))}，{why}；请核对报告原文",
        spec.lay,
        cell=spec.cells[0].ref,
        key=spec.cells[0].key,
        actual=shown,
    )


def _table_checks(edition: Edition, lay: SheetLayout) -> list[Check]:
    return [
        c
        for c in checks_for(edition)
        if c.table == lay.table.key and c.constraint is not None and c.severity is Severity.ERROR
    ]


def _report_run_together(reader: TablesReader, lay: SheetLayout, runs: list[_Run], broken: int, complete: bool) -> None:
    ambiguous = [r for r in runs if len(r.options) > 1]
    spec = runs[0].read.spec
    reader.finding(
        Severity.HINT,
        RUN_TOGETHER,
        f"{lay.sheet}有{len(runs)}行的数字连在一起（单元格之间没有分隔），已按表格的勾稽关系拆分；"
        + (f"没有一种拆法能使{lay.sheet}的勾稽关系全部成立，已按不符合项最少的拆法读取；" if broken else "")
        + (f"其中{len(ambiguous)}行有不止一种拆法，另行列出；" if ambiguous else "")
        + "请核对报告原文",
        lay,
        cell=spec.cells[0].ref,
        key=spec.cells[0].key,
    )
    for run in ambiguous:
        shown = "；".join("、".join(run.texts[k]) for k in run.options[:4])
        more = "" if len(run.options) <= 4 and complete else "等"
        count = f"{len(run.options)}种" if complete else "多种"
        spec = run.read.spec
        chosen = "各种拆法不一致的单元格按空白读取，不作推测" if run.guessless else "已按第一种读取"
        reader.finding(
            Severity.HINT,
            RUN_TOGETHER_AMBIGUOUS,
            f"{spec.name}的数字“{run.shown}”{_joined(run.shown, len(spec.cells))}，"
            f"有{count}拆法，勾稽关系无法区分：{shown}{more}；"
            f"{chosen}，请核对报告原文",
            lay,
            cell=spec.cells[0].ref,
            key=spec.cells[0].key,
            actual=run.shown,
        )
