"""The rule engine: expand the rule catalogue for an edition and evaluate it.

The same :class:`Check` objects are compiled to Excel formulas by
:mod:`govxl.excel.formulas`; tests hold the two to the same answers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from govxl.editions.model import Edition, Kind
from govxl.editions.rules import RULES, RuleSpec, Severity
from govxl.judge.expr import Constraint, parse
from govxl.layout import cell_index, fragment_labels, layouts
from govxl.values import is_blank_or_na, is_number, numeric, show

_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Check:
    """One rule bound to concrete cells (A1 for the 自然人 column, say)."""

    rule: RuleSpec
    table: str  # table key the check belongs to (t2, t3, t4)
    title: str
    message: str  # may still hold {lhs} and {rhs}
    constraint: Constraint | None  # linear checks
    cells: tuple[str, ...]  # the keys the check looks at
    kinds: tuple[Kind, ...] = ()  # cell types, aligned with cells (domain checks)

    @property
    def id(self) -> str:
        return self.rule.id

    @property
    def severity(self) -> Severity:
        return self.rule.severity

    @property
    def is_balance(self) -> bool:
        """An equality that must hold (A1, B1–B3): what error localisation works on."""
        return self.constraint is not None and self.constraint.op == "==" and self.severity is Severity.ERROR


@dataclass(frozen=True)
class RuleOutcome:
    check: Check
    passed: bool
    lhs: float
    rhs: float
    bad: tuple[str, ...]  # offending cells: all involved cells, or the bad ones of a domain check

    @property
    def message(self) -> str:
        return render(self.check.message, self.lhs, self.rhs)


def render(message: str, lhs: float, rhs: float) -> str:
    return message.replace("{lhs}", show(lhs)).replace("{rhs}", show(rhs))


@cache
def checks_for(edition: Edition) -> tuple[Check, ...]:
    index = cell_index(edition)
    out: list[Check] = []
    for rule in RULES:
        if edition.id not in rule.editions or rule.cross_year:
            continue
        if rule.check == "linear":
            out.extend(_expand_linear(rule, edition))
            continue
        for lay in layouts(edition):
            chosen = [c for c in lay.cells if rule.check == "blank" or c.kind in rule.kinds]
            if chosen:
                cells = tuple(c.key for c in chosen)
                kinds = tuple(c.kind for c in chosen)
                out.append(Check(rule, lay.table.key, rule.title, rule.message, None, cells, kinds))
    for check in out:
        missing = [k for k in check.cells if k not in index]
        if missing:
            raise ValueError(f"rule {check.id} ({check.title}) names unknown cells {missing} in edition {edition.id}")
    return tuple(out)


PREV = "prev."  # prefix of last year's keys in cross-year rules


@cache
def cross_year_checks(edition: Edition, previous: Edition, year: int) -> tuple[Check, ...]:
    """The D rules that apply between last year's figures (``previous``) and this year's."""
    out: list[Check] = []
    for rule in RULES:
        if rule.cross_year and edition.id in rule.editions and previous.id in rule.previous and year >= rule.since:
            out.extend(_expand_linear(rule, edition))
    index, prev_index = cell_index(edition), cell_index(previous)
    for check in out:
        for k in check.cells:
            known = prev_index if k.startswith(PREV) else index
            if k.removeprefix(PREV) not in known:
                raise ValueError(f"rule {check.id} names unknown cell {k}")
    return tuple(out)


def _expand_linear(rule: RuleSpec, edition: Edition) -> list[Check]:
    bindings: list[dict[str, str]] = [{}]
    for var, group in rule.foreach:
        bindings = [{**b, var: member} for b in bindings for member in edition.groups[group]]
    out = []
    for b in bindings:
        expr = rule.expr
        for var, value in b.items():
            expr = expr.replace("{" + var + "}", value)
        constraint = parse(expr, edition.groups)
        table = constraint.keys[0].split(".")[0]
        labels = {var: _fragment_label(edition, rule.expr, var, table, value) for var, value in b.items()}
        out.append(
            Check(
                rule,
                table,
                _fill(rule.title, labels),
                _fill(rule.message, labels),
                constraint,
                constraint.keys,
            )
        )
    return out


def _fragment_label(edition: Edition, expr: str, var: str, table: str, value: str) -> str:
    """The label of the row or column a foreach variable is bound to."""
    position = 1
    for key in re.findall(r"[\w@]+(?:\.[\w@{}]+)+", expr):
        segs = key.split(".")
        if "{" + var + "}" in segs:
            position = segs.index("{" + var + "}")
            break
    return fragment_labels(edition.table(table))[(position, value)]


def _fill(template: str, labels: Mapping[str, str]) -> str:
    for var, label in labels.items():
        template = template.replace("{" + var + "}", label)
    return template


def evaluate(check: Check, values: Mapping[str, object]) -> RuleOutcome:
    """Evaluate one check over raw cell values, as the Excel formula would."""
    if check.constraint is not None:
        c = check.constraint
        lhs = sum(numeric(values.get(k)) * w for k, w in c.lhs.terms) + c.lhs.const
        rhs = sum(numeric(values.get(k)) * w for k, w in c.rhs.terms) + c.rhs.const
        passed = compare(lhs, c.op, rhs)
        return RuleOutcome(check, passed, lhs, rhs, () if passed else check.cells)
    if check.rule.check == "blank":
        bad = tuple(k for k in check.cells if is_blank_or_na(values.get(k)))
    else:
        bad = tuple(k for k, kind in zip(check.cells, check.kinds, strict=True) if not domain_ok(kind, values.get(k)))
    return RuleOutcome(check, not bad, float(len(bad)), 0.0, bad)


def domain_ok(kind: Kind, value: object) -> bool:
    """Whether a raw value fits its cell type. Blanks and "/" pass here (C3 flags them)."""
    if is_number(value):
        x = numeric(value)
        if kind is Kind.AMOUNT:
            return x >= 0
        if x != int(x):
            return False
        return kind is Kind.SIGNED or x >= 0
    return is_blank_or_na(value)


def compare(lhs: float, op: str, rhs: float) -> bool:
    if op == "==":
        return abs(lhs - rhs) <= _TOLERANCE * max(1.0, abs(lhs), abs(rhs))
    if op == "<=":
        return lhs <= rhs + _TOLERANCE
    return lhs >= rhs - _TOLERANCE


def failing_linear(edition: Edition, numbers: Mapping[str, float]) -> list[RuleOutcome]:
    """The linear checks a unit's figures break: ``evaluate`` of each, the passing ones left out.

    ``numbers`` holds a float for every cell (:meth:`Figures.numbers`), so the generic conversions of
    :func:`evaluate` are skipped; the sums are the same ``sum()`` in the same order, so the same floats.
    """
    out = []
    for check, lhs_terms, lhs_const, op, rhs_terms, rhs_const in _linear_plan(edition):
        try:
            lhs = sum([numbers[k] * w for k, w in lhs_terms]) + lhs_const
            rhs = sum([numbers[k] * w for k, w in rhs_terms]) + rhs_const
        except KeyError:  # not every cell there: the generic way
            o = evaluate(check, numbers)
            if not o.passed:
                out.append(o)
            continue
        if not compare(lhs, op, rhs):
            out.append(RuleOutcome(check, False, lhs, rhs, check.cells))
    return out


@cache
def _linear_plan(
    edition: Edition,
) -> tuple[tuple[Check, tuple[tuple[str, int], ...], float, str, tuple[tuple[str, int], ...], float], ...]:
    plan = []
    for check in linear_checks(edition):
        c = check.constraint
        assert c is not None
        plan.append((check, c.lhs.terms, c.lhs.const, c.op, c.rhs.terms, c.rhs.const))
    return tuple(plan)


@cache
def linear_checks(edition: Edition) -> tuple[Check, ...]:
    """The checks that relate cells to each other (all but the per-cell type and blank checks)."""
    return tuple(c for c in checks_for(edition) if c.constraint is not None)


def evaluate_all(edition: Edition, values: Mapping[str, object]) -> list[RuleOutcome]:
    return [evaluate(c, values) for c in checks_for(edition)]


@cache
def prefill_definitions(edition: Edition) -> dict[str, tuple[str, ...]]:
    """The sums a template prefills as formulas: total -> its parts."""
    out: dict[str, tuple[str, ...]] = {}
    for check in checks_for(edition):
        c = check.constraint
        if check.rule.prefill and c is not None and len(c.lhs.terms) == 1:
            out.setdefault(c.lhs.terms[0][0], c.rhs.keys)
    return out
