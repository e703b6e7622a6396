"""Every rule of the catalogue broken on purpose, and satisfied, in the engine, in `govxl check` and in the
workbook's own formulas.

For each rule instance (A1 in the 自然人 column, C16 in the 规章 row, …) the cases are found from the rule
itself, so a rule added to the catalogue is tested without a line written here (and fails here when no case
can be found for it):

- broken: the smallest change of one typed figure that makes that rule fail and no other rule of the
  catalogue. An equality is broken both ways (one side larger, then smaller), so that ``==`` weakened into
  ``<=`` or ``>=`` is seen; an inequality by one over its bound.
- on the bound (inequalities): the figure that makes both sides equal, where nothing may fail, so that
  ``<=`` narrowed into ``<`` is seen.
- satisfied: figures that break no rule at all (the starting point of every case).

Totals the template computes are left to their formulas (a typed figure moves them, as in Excel); a total is
typed over only when the case is about that total. Cross-year rules (D…) are checked against last year's
figures. In the workbook, cases of different tables share one file, so LibreOffice recalculates a few files.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest

from govxl.check import check_files
from govxl.editions import EDITIONS, Edition, edition_by_id
from govxl.editions.model import Kind
from govxl.editions.rules import RULES
from govxl.excel.template_book import build_template, effective_values
from govxl.judge.engine import PREV, Check, checks_for, cross_year_checks, evaluate, prefill_definitions
from govxl.layout import cell_index, layouts
from govxl.results.catalogue import catalogue
from govxl.synth import consistent_values
from govxl.values import Raw

RULE_IDS = sorted({r.id for r in RULES})  # the rules of the catalogue (file and reading findings are not rules)
SEED = 20


@dataclass(frozen=True)
class Case:
    """Typed figures that break one rule instance (``broken``) or nothing (``broken is None``)."""

    edition: Edition
    check: Check
    what: str  # "above", "below", "bound", "domain …"
    typed: Mapping[str, Raw]
    changed: str  # the key that was changed from the satisfied figures
    broken: bool

    @property
    def table(self) -> str:
        return self.check.table

    @property
    def name(self) -> str:
        return f"{self.edition.id}-{self.check.id}-{self.check.title}-{self.what}"


@cache
def satisfied(edition: Edition) -> dict[str, Raw]:
    """What a clerk types for figures that break no rule, 提示 included: every total left to its formula."""
    values = consistent_values(edition, random.Random(SEED))
    derived = prefill_definitions(edition)
    for lay in layouts(edition):  # no count at 0: each can be typed one lower without going negative
        for cell in lay.cells:
            if cell.kind is Kind.COUNT and cell.key not in derived:
                values[cell.key] = int(values[cell.key]) + 2  # type: ignore[call-overload]
    g = edition.groups
    for c in g["applicants"]:  # 一 + 二 = 三 + 四 again
        results = sum(int(values[f"t3.{r}.{c}"]) for r in g["results"])  # type: ignore[call-overload]
        moved = int(values[f"t3.carry_forward.{c}"]) - int(values[f"t3.carried_over.{c}"])  # type: ignore[call-overload]
        values[f"t3.new_received.{c}"] = results + moved
    if edition.id == "2019":  # 本年新制作 = 本年新公开 ≤ 对外公开总数 (C16, C8)
        for r in edition.groups["t2_docs"]:
            values[f"t2.{r}.new_published"] = values[f"t2.{r}.new_made"]
            values[f"t2.{r}.total_published"] = int(values[f"t2.{r}.new_made"]) + 2  # type: ignore[arg-type]
    else:  # 本年制发 ≤ 现行有效 + 本年废止 (C10)
        for r in edition.groups["t2_docs"]:
            values[f"t2.{r}.in_force"] = int(values[f"t2.{r}.issued"]) + 1  # type: ignore[arg-type]
    for key in values:
        if key.startswith("t2.regulations."):  # 规章 are for governments above the district (C11)
            values[key] = 0
    return {k: v for k, v in values.items() if k not in derived}


def shown(edition: Edition, typed: Mapping[str, Raw]) -> dict[str, Raw]:
    return dict(_shown(edition, frozenset(typed.items())))


@cache
def _shown(edition: Edition, typed: frozenset[tuple[str, Raw]]) -> tuple[tuple[str, Raw], ...]:
    return tuple(effective_values(edition, dict(typed))[0].items())


def _weights(edition: Edition, key: str, typed: Mapping[str, Raw]) -> dict[str, int]:
    """How a cell's value moves with each typed figure: a total the template computes by its parts."""
    parts = prefill_definitions(edition).get(key)
    if parts is None or key in typed:
        return {key: 1}
    out: dict[str, int] = {}
    for part in parts:
        for k, w in _weights(edition, part, typed).items():
            out[k] = out.get(k, 0) + w
    return out


def _slope(edition: Edition, check: Check, typed: Mapping[str, Raw], key: str) -> int:
    """How the check's lhs − rhs moves when the typed figure ``key`` goes up by one."""
    c = check.constraint
    assert c is not None
    typed = {**typed, key: None}  # once typed, a total is the clerk's figure, no longer its parts' sum
    lhs = sum(w * _weights(edition, k, typed).get(key, 0) for k, w in c.lhs.terms)
    return lhs - sum(w * _weights(edition, k, typed).get(key, 0) for k, w in c.rhs.terms)


def failing(edition: Edition, typed: Mapping[str, Raw]) -> list[tuple[Check, tuple[str, ...]]]:
    values = shown(edition, typed)
    return [(o.check, o.bad) for o in (evaluate(c, values) for c in checks_for(edition)) if not o.passed]


def _gap(edition: Edition, check: Check, typed: Mapping[str, Raw]) -> float:
    o = evaluate(check, shown(edition, typed))
    return o.lhs - o.rhs


def _with(typed: Mapping[str, Raw], key: str, value: Raw) -> dict[str, Raw]:
    out = dict(typed)
    out[key] = value
    return out


def _typed_value(edition: Edition, typed: Mapping[str, Raw], key: str) -> float:
    v = shown(edition, typed).get(key)
    return float(v) if isinstance(v, (int, float)) else 0.0


# Hints that follow from an error rule and the cells' types: they cannot fail unless that error rule fails
# too (or a count goes below 0), so they are broken together with it. Every other rule is broken alone.
COMPANIONS = {
    "C5": {"A1", "C6"},  # 结转 ≤ 新收 + 上年结转 follows from 一 + 二 = 三 + 四 with 三 ≥ 0 (and implies C6)
    "C7": {"B3"},  # 尚未审结 ≤ 总计 follows from 总计 = the results with every result ≥ 0
}


def companions(check: Check) -> set[str]:
    """The rules that must fail with this one (besides other instances of it)."""
    out = set(COMPANIONS.get(check.id, set()))
    if check.constraint is not None and check.id != "C11" and any(k.startswith("t2.regulations.") for k in check.cells):
        out.add("C11")  # 规章 must all be 0 for a district: any case on their row breaks C11 too
    if check.id == "B1" and check.cells[0] == "t3.total.total":
        out.add("B2")  # （七）总计's 总计 is the sum of its row and of its column: it breaks both or neither
    return out


def _only(edition: Edition, typed: Mapping[str, Raw], check: Check) -> bool:
    """Whether the figures break this rule instance and no other rule (other instances of it may fail too)."""
    broken = failing(edition, typed)
    ids = {c.id for c, _ in broken}
    return any(c == check for c, _ in broken) and {check.id} <= ids <= {check.id} | companions(check)


def _whole(x: float) -> Raw:
    return int(x) if x == int(x) else x


def _candidates(edition: Edition, keys: tuple[str, ...]) -> list[str]:
    """The figures a clerk types that move these cells: a computed total's parts (all the way down), then itself."""
    derived = prefill_definitions(edition)
    out: list[str] = []

    def add(key: str) -> None:
        for part in derived.get(key, ()):
            add(part)
        if key not in out:
            out.append(key)

    for key in keys:
        add(key)
    return out


def _moved(edition: Edition, check: Check, typed: Mapping[str, Raw], key: str, target: float) -> dict[str, Raw] | None:
    """``typed`` with ``key`` changed so that the check's lhs − rhs becomes ``target``; None if it cannot."""
    slope = _slope(edition, check, typed, key)
    if not slope:
        return None
    g0 = _gap(edition, check, typed)
    start = _typed_value(edition, typed, key)
    kind = _kind(edition, key)
    value = start + (target - g0) / slope
    if (kind is not Kind.AMOUNT and value != int(value)) or (value < 0 and kind is not Kind.SIGNED):
        return None
    return _with(typed, key, _whole(value))


def _acceptable(edition: Edition, typed: Mapping[str, Raw], check: Check, broken: bool) -> bool:
    return _only(edition, typed, check) if broken else not failing(edition, typed)


def _find(edition: Edition, check: Check, target: float, broken: bool) -> tuple[dict[str, Raw], str] | None:
    """One figure changed so that lhs − rhs is ``target``; if that breaks a balance, a second figure of that
    balance changed back to restore it (C6: 结转 raised, 上年结转 raised with it)."""
    base = satisfied(edition)
    for key in _candidates(edition, check.cells):
        typed = _moved(edition, check, base, key, target)
        if typed is None:
            continue
        fixed = _repaired(edition, typed, check, key, broken)
        if fixed is not None and abs(_gap(edition, check, fixed) - target) < 1e-9:
            return fixed, key
    return None


def _repaired(edition: Edition, typed: dict[str, Raw], check: Check, key: str, broken: bool) -> dict[str, Raw] | None:
    """``typed`` if acceptable; else with one figure of the first other rule it breaks changed to mend that rule."""
    if _acceptable(edition, typed, check, broken):
        return typed
    others = [c for c, _ in failing(edition, typed) if c.id != check.id]
    for other in others[:1]:
        if other.constraint is None:
            continue
        for key2 in _candidates(edition, other.cells):
            if key2 != key and (check.constraint is None or key2 not in check.cells):
                fixed = _moved(edition, other, typed, key2, 0.0)
                if fixed is not None and _acceptable(edition, fixed, check, broken):
                    return fixed
    return None


# Each rule's relation as the specification states it (shared/reference/editions.md §6), written here and not
# read from the catalogue: a catalogue whose C16 "==" became "<=" is then tested as an equality and fails.
SPEC_RELATION = {
    "A1": "==",  # 一 + 二 = 三 + 四, per column
    "B1": "==",  # row 总计 = Σ applicants
    "B2": "==",  # （七）总计 = Σ results
    "B3": "==",  # 表四 总计 = Σ results
    "C1": "domain",  # counts: non-negative whole numbers
    "C2": "domain",  # 本年增/减 whole, amounts ≥ 0
    "C3": "blank",  # no blank or "/"
    "C4": "<=",  # amount ≤ 10⁵ 万元
    "C5": "<=",  # 结转 ≤ 新收 + 上年结转
    "C6": "<=",  # 结转 ≤ 新收
    "C7": "<=",  # 尚未审结 ≤ 总计
    "C8": "<=",  # 本年新公开 ≤ 对外公开总数
    "C16": "==",  # 本年新制作 = 本年新公开 ("warn if ≠")
    "C9": ">=",  # 上一年项目数量 + 本年增/减 ≥ 0
    "C10": "<=",  # 本年制发 ≤ 现行有效 + 本年废止
    "C11": "==",  # 规章 = 0
    "D1": "==",  # 上年结转 = last year's 结转下年度
    "D2": "==",  # 现行有效 = last year's + 制发 − 废止
    "D3": "==",  # 上一年项目数量 = last year's + its 增/减
}


def test_every_rule_has_its_relation_from_the_specification() -> None:
    assert sorted(SPEC_RELATION) == RULE_IDS  # a new rule: state its relation above, from editions.md
    for rule in RULES:
        op = {"domain": "domain", "blank": "blank"}.get(rule.check) or next(
            o for o in ("==", "<=", ">=") if f" {o} " in rule.expr
        )
        spec = SPEC_RELATION[rule.id]
        assert op == spec, f"{rule.id}: the catalogue says {op}, the specification {spec}"


def linear_cases(edition: Edition, check: Check) -> Iterator[Case]:
    """Broken above / below its bound and, for an inequality, on its bound."""
    c = check.constraint
    assert c is not None
    wanted = {"==": ("above", "below"), "<=": ("above", "bound"), ">=": ("below", "bound")}[SPEC_RELATION[check.id]]
    for what in wanted:
        found = _find(edition, check, {"above": 1.0, "below": -1.0, "bound": 0.0}[what], what != "bound")
        if found is not None:  # which must be found is asserted per rule, below
            yield Case(edition, check, what, found[0], found[1], what != "bound")


# Values that break a cell-type rule, and values on the edge of what it allows (which must pass).
DOMAIN = {
    "C1": {Kind.COUNT: ((-1, 2.5, "三件"), (0, 12))},
    "C2": {Kind.SIGNED: ((2.5, "少5"), (-3, 0)), Kind.AMOUNT: ((-0.5, "五万"), (0, 0.01))},
    "C3": {kind: ((None, "/", "—", "无"), (0,)) for kind in Kind},
}


def domain_cases(edition: Edition, check: Check) -> Iterator[Case]:
    base = satisfied(edition)
    derived = prefill_definitions(edition)
    for kind, (bad, good) in DOMAIN[check.id].items():
        cells = [k for k, kd in zip(check.cells, check.kinds or (kind,) * len(check.cells), strict=True) if kd is kind]
        cells = [k for k in cells if k not in derived and (check.id != "C3" or _kind(edition, k) is kind)]
        if not cells:
            continue
        for value, broken in [*((v, True) for v in bad), *((v, False) for v in good)]:
            found = ((k, _repaired(edition, _with(base, k, value), check, k, broken)) for k in cells)
            key, typed = next(((k, ty) for k, ty in found if ty is not None), (None, None))
            if key is not None and typed is not None:  # 2.5 fits no cell of 表三 without breaking 一+二=三+四
                yield Case(edition, check, f"{kind.name} {value!r}", typed, key, broken)


def _kind(edition: Edition, key: str) -> Kind:
    return cell_index(edition)[key][1].kind


@cache
def cases_of(edition: Edition, check: Check) -> tuple[Case, ...]:
    return tuple(linear_cases(edition, check) if check.constraint is not None else domain_cases(edition, check))


INSTANCES = [(edition, check) for edition in EDITIONS for check in checks_for(edition)]


def all_cases() -> list[Case]:
    return [case for edition, check in INSTANCES for case in cases_of(edition, check)]


def test_the_satisfied_figures_break_nothing() -> None:
    for edition in EDITIONS:
        assert failing(edition, satisfied(edition)) == []


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_every_rule_of_the_catalogue_is_broken_on_purpose(rule_id: str) -> None:
    """Every instance broken; an equality both ways and an inequality on its bound in at least one instance."""
    assert rule_id in catalogue()
    specs = [r for r in RULES if r.id == rule_id]
    if specs[0].cross_year:  # broken against last year's figures (below)
        assert any(c.check.id == rule_id and c.changed for c in cross_year_cases())
        return
    for spec in specs:
        for edition_id in spec.editions:
            edition = edition_by_id(edition_id)
            instances = [c for c in checks_for(edition) if c.id == rule_id]
            assert instances, (rule_id, edition_id)
            cases = [case for check in instances for case in cases_of(edition, check)]
            for check in instances:
                assert any(c.check == check and c.broken for c in cases), f"{check.title} never broken"
            ops = {SPEC_RELATION[rule_id]} - {"domain", "blank"}
            kinds = {c.what for c in cases}
            if ops == {"=="}:  # 规章 counts cannot go below 0 without C1: C11 only above
                assert kinds == ({"above"} if rule_id == "C11" else {"above", "below"}), (rule_id, kinds)
            elif rule_id in COMPANIONS:  # on the bound only when every other result is 0: not with one change
                assert kinds & {"above", "below"}, (rule_id, kinds)
            elif ops:
                assert "bound" in kinds and kinds & {"above", "below"}, (rule_id, kinds)
            else:  # a cell-type rule: every value it refuses refused somewhere, every edge value taken somewhere
                values = {(kind, v) for kind, (bad, good) in DOMAIN[rule_id].items() for v in (*bad, *good)}
                tried = {c.what for c in cases}
                kinds_here = {_kind(edition, k) for check in instances for k in check.cells}
                assert {f"{k.name} {v!r}" for k, v in values if k in kinds_here} == tried, rule_id


@pytest.mark.parametrize(("edition", "check"), INSTANCES, ids=[f"{e.id}-{c.id}-{c.title}" for e, c in INSTANCES])
def test_the_engine_reports_the_rule_broken_and_nothing_else(edition: Edition, check: Check) -> None:
    for case in cases_of(edition, check):
        broken = failing(case.edition, case.typed)
        if not case.broken:
            assert broken == [], case.name
            continue
        assert {c.id for c, _ in broken} - companions(check) == {check.id}, case.name
        (bad,) = [cells for c, cells in broken if c == check]
        if check.constraint is None:  # the cell of the wrong type or left blank (and a total it feeds)
            assert case.changed in bad and set(bad) <= {case.changed, *prefill_definitions(edition)}, case.name
        else:
            assert bad == check.cells and case.changed in _candidates(edition, check.cells), case.name


# ---------------------------------------------------------------------------------------------------------
# The same cases in returns: `govxl check` names the rule on the right cell, and LibreOffice's recalculation
# of the template's check formulas says what the engine says.


@dataclass
class Book:
    edition: Edition
    cases: list[Case] = field(default_factory=list)

    def typed(self) -> dict[str, Raw]:
        out = dict(satisfied(self.edition))
        for case in self.cases:  # one case per table: each table's figures from its case
            out.update({k: v for k, v in case.typed.items() if k.split(".")[0] == case.table})
        return out


def _in_returns(cases: list[Case]) -> list[Case]:
    """The cases written into returns: each way of breaking or meeting a rule once (its first instance; for a
    cell-type rule one value refused and one allowed per kind of cell, in the table with fewest cases so far).
    The engine tests take every case."""
    out = _firsts([c for c in cases if c.check.constraint is not None])
    load: dict[tuple[str, str], int] = {}
    for c in out:
        load[(c.edition.id, c.table)] = load.get((c.edition.id, c.table), 0) + 1
    chosen: dict[tuple[str, str, str, bool], Case] = {}
    for c in cases:
        if c.check.constraint is not None:
            continue
        mark = (c.edition.id, c.check.id, c.what.split(" ")[0] if c.check.id != "C3" else "", c.broken)
        here, there = load.get((c.edition.id, c.table), 0), None
        if mark in chosen:
            there = load[(c.edition.id, chosen[mark].table)]
            if here + 1 >= there:
                continue
            load[(c.edition.id, chosen[mark].table)] -= 1
        chosen[mark] = c
        load[(c.edition.id, c.table)] = here + 1
    return out + list(chosen.values())


def _firsts(cases: list[Case]) -> list[Case]:
    seen: set[tuple[str, str, str]] = set()
    out = []
    for c in cases:
        mark = (c.edition.id, c.check.id, c.what)
        if mark not in seen:
            seen.add(mark)
            out.append(c)
    return out


def books() -> list[Book]:
    """The cases packed into as few returns as possible: one case of each table per return."""
    out: list[Book] = []
    for edition in EDITIONS:
        by_table: dict[str, list[Case]] = {}
        for case in _in_returns(all_cases()):
            if case.edition is edition:
                by_table.setdefault(case.table, []).append(case)
        for i in range(max(len(v) for v in by_table.values())):
            out.append(Book(edition, [cases[i] for cases in by_table.values() if i < len(cases)]))
    return out


@pytest.fixture(scope="module")
def returns(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Book, Path]]:
    folder = tmp_path_factory.mktemp("rules")
    out = []
    for i, book in enumerate(books()):
        path = folder / f"r{i:03d}_{book.edition.id}.xlsx"
        year = book.edition.years[0]
        build_template(path, book.edition, year, unit=f"规则{i}", values=book.typed())
        out.append((book, path))
    return out


def _ref(edition: Edition, key: str) -> tuple[str, str]:
    lay, cell = cell_index(edition)[key]
    return lay.sheet, cell.ref


RULE_FINDINGS = set(RULE_IDS)


def test_check_names_each_broken_rule_on_its_cell(returns: list[tuple[Book, Path]]) -> None:
    results = check_files([path for _, path in returns]).files
    assert len(results) == len(returns)
    for (book, path), fc in zip(returns, results, strict=True):
        assert fc.ret is not None and Path(fc.ret.path) == path
        found = {(f.rule, f.sheet, f.cell) for f in fc.findings if f.rule in RULE_FINDINGS}
        expected = set()
        for case in book.cases:
            if not case.broken:
                continue
            if case.check.constraint is not None:
                expected.add((case.check.id, *_ref(book.edition, case.check.cells[0])))
            else:
                expected.add((case.check.id, *_ref(book.edition, case.changed)))
        # every broken rule on the right cell, and nothing reported that was not broken (other instances of a
        # broken rule may fail with it: a total moved by a figure is in two columns' rules)
        assert expected <= found, (path.name, expected - found)
        # nothing else reported on a table whose case breaks a rule between cells (a value of the wrong type is
        # summed as 0 by govxl check, where the engine and Excel use it: other rules may follow from that)
        exact = {_ref(book.edition, c.changed)[0] for c in book.cases if c.check.constraint is not None}
        sheets_broken = {(c.check.id, _ref(book.edition, c.changed)[0]) for c in book.cases if c.broken}
        sheets_broken |= {(other, sheet) for c in book.cases for other in companions(c.check) for sheet in exact}
        assert {(rule, sheet) for rule, sheet, _ in found if sheet in exact} <= sheets_broken, path.name


@pytest.mark.libreoffice
def test_the_check_formulas_say_what_the_engine_says(returns: list[tuple[Book, Path]], tmp_path: Path) -> None:
    """Recalculated by LibreOffice, every cell (check results included) equals what govxl cached from the
    engine; and the check cell of each broken rule shows its 错误/提示, of each case on a bound 正确."""
    from govxl.excel.formulas import OK_TEXT
    from tests.helpers import sheet_values, value_diffs
    from tests.lo import convert

    recalculated = convert([path for _, path in returns], tmp_path / "lo")
    for (book, ours), theirs in zip(returns, recalculated, strict=True):
        assert value_diffs(ours, theirs) == [], ours.name
        grids = sheet_values(theirs)
        for case in book.cases:
            sheet = next(lay.sheet for lay in layouts(book.edition) if lay.table.key == case.table)
            desc = f"{case.check.id}　{case.check.title}"
            row = next(r for r in grids[sheet] if desc in r)
            result = next(v for v in row[row.index(desc) + 1 :] if isinstance(v, str) and v)
            if case.broken:
                assert result.startswith(case.check.severity.value + "："), (ours.name, case.name, result)
            else:
                assert result == OK_TEXT, (ours.name, case.name, result)


# ---------------------------------------------------------------------------------------------------------
# Cross-year rules: this year's figures against last year's.


def _solve_previous(check: Check, values: dict[str, Raw]) -> None:
    """Set the first of last year's figures in the rule so that it holds."""
    c = check.constraint
    assert c is not None
    prev = next(k for k, _ in (*c.lhs.terms, *c.rhs.terms) if k.startswith(PREV))
    values[prev] = 0
    o = evaluate(check, values)
    weight = dict(c.lhs.terms).get(prev, 0) - dict(c.rhs.terms).get(prev, 0)
    values[prev] = _whole((o.rhs - o.lhs) / weight)


@dataclass(frozen=True)
class CrossCase:
    check: Check
    edition: Edition
    previous: Edition
    year: int
    values: Mapping[str, Raw]
    changed: str
    what: str


def _cross_year_settings() -> list[tuple[Edition, Edition, int]]:
    out = []
    for edition in EDITIONS:
        for previous in EDITIONS:
            years = [y for y in range(edition.years[0], edition.years[1] + 1) if previous.covers(y - 1)]
            if years:
                out.append((edition, previous, max(min(years), 2022 if edition is previous else 0)))
    return out


@cache
def cross_year_cases() -> tuple[CrossCase, ...]:
    out = []
    for edition, previous, year in _cross_year_settings():
        checks = cross_year_checks(edition, previous, year)
        if not checks:
            continue
        values = dict(shown(edition, satisfied(edition)))
        values.update({PREV + k: v for k, v in shown(previous, satisfied(previous)).items()})
        for check in checks:
            _solve_previous(check, values)
        assert all(evaluate(c, values).passed for c in checks)
        for check in checks:
            c = check.constraint
            assert c is not None
            prev = next(k for k, _ in (*c.lhs.terms, *c.rhs.terms) if k.startswith(PREV))
            for what, delta in (("above", 1), ("below", -1)):
                v = dict(values)
                v[prev] = _whole(float(v[prev]) + delta)  # type: ignore[arg-type]
                out.append(CrossCase(check, edition, previous, year, v, prev, what))
            out.append(CrossCase(check, edition, previous, year, values, "", "satisfied"))
    return tuple(out)


def test_every_cross_year_rule_is_broken_both_ways() -> None:
    rules = {r.id for r in RULES if r.cross_year}
    assert {c.check.id for c in cross_year_cases() if c.changed} == rules
    for case in cross_year_cases():
        checks = cross_year_checks(case.edition, case.previous, case.year)
        broken = [c for c in checks if not evaluate(c, case.values).passed]
        if not case.changed:
            assert broken == []
        else:
            assert broken == [case.check], (case.check.title, case.what)
