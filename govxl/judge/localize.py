"""Which cell is wrong: error localisation and typo repair for the balance rules.

For a unit whose figures break the balance rules (A1, B1, B2, B3), find the
smallest-weight sets of cells whose change makes every balance rule hold
(the Fellegi–Holt principle, solved exactly by enumeration: the system is
small). Where one cell explains it and the value that fixes it differs from
what was typed by one typing slip (Scholtus), that value is the suggestion.
Nothing is ever corrected: the result is reported, and ties are reported as ties.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from itertools import combinations

from govxl.editions.model import Edition, Kind
from govxl.judge.engine import Check, checks_for, prefill_definitions
from govxl.layout import cell_index

MAX_CELLS = 3  # the largest explanation looked for
MAX_SHOWN = 5  # ties listed at most
# A typed total that disagrees with its parts is blamed first: hand-added totals are the commonest slip
# (editions.md §7 E5). The message then says what to check if the total is right after all.
TOTAL_WEIGHT = 0.9


@dataclass(frozen=True)
class Suspect:
    key: str
    found: float
    fixed: float | None  # the value that makes the rules hold, when it is determined
    slip: str  # the typing slip that turns ``fixed`` into ``found``, or ""


@dataclass(frozen=True)
class Localisation:
    explanations: tuple[tuple[Suspect, ...], ...]  # all explanations of the smallest weight (at most MAX_SHOWN)
    more: bool  # there were more ties than shown
    set_aside: int = 0  # equally small explanations passed over because no typing slip explains them

    @property
    def ambiguous(self) -> bool:
        return len(self.explanations) > 1


@dataclass(frozen=True)
class _Equation:
    coefs: dict[str, int]
    const: Fraction  # sum(coef * x) == const


@cache
def _equations(edition: Edition) -> tuple[_Equation, ...]:
    out = []
    for check in balance_checks(edition):
        c = check.constraint
        assert c is not None
        coefs: dict[str, int] = {}
        for k, w in c.lhs.terms:
            coefs[k] = coefs.get(k, 0) + w
        for k, w in c.rhs.terms:
            coefs[k] = coefs.get(k, 0) - w
        out.append(_Equation(coefs, Fraction(c.rhs.const - c.lhs.const)))
    return tuple(out)


@cache
def _substituted(edition: Edition, derived: frozenset[str]) -> tuple[_Equation, ...]:
    """The balance equations over typed cells only: every formula total replaced by the sum it computes."""
    definitions = {k: v for k, v in prefill_definitions(edition).items() if k in derived}

    def expand(key: str, seen: frozenset[str] = frozenset()) -> dict[str, int]:
        if key not in definitions or key in seen:
            return {key: 1}
        out: dict[str, int] = {}
        for part in definitions[key]:
            for k, w in expand(part, seen | {key}).items():
                out[k] = out.get(k, 0) + w
        return out

    equations = []
    for eq in _equations(edition):
        coefs: dict[str, int] = {}
        for key, w in eq.coefs.items():
            for k, v in expand(key).items():
                coefs[k] = coefs.get(k, 0) + w * v
        coefs = {k: w for k, w in coefs.items() if w}
        if coefs or eq.const:
            equations.append(_Equation(coefs, eq.const))
    return tuple(equations)


def balance_checks(edition: Edition) -> list[Check]:
    return [c for c in checks_for(edition) if c.is_balance]


def is_total(key: str) -> bool:
    return key.endswith(".total") or ".total." in key


def _weight(key: str) -> float:
    return TOTAL_WEIGHT if is_total(key) else 1.0


def localise(
    edition: Edition,
    values: Mapping[str, float],
    *,
    derived: frozenset[str] = frozenset(),
    weights: Mapping[str, float] | None = None,
) -> Localisation | None:
    """The likeliest wrong cells, or None when every balance rule holds (or nothing small explains it).

    ``derived`` are cells holding the template's sum formulas: they follow
    their parts, so they are never blamed. ``weights`` lowers the cost of
    blaming cells already known to be unusable (text, blanks).
    """
    x = {k: Fraction(v).limit_denominator(10**6) for k, v in values.items()}
    equations = _substituted(edition, derived)
    residual = [sum(w * x.get(k, 0) for k, w in eq.coefs.items()) - eq.const for eq in equations]
    failing = [i for i, r in enumerate(residual) if r != 0]
    if not failing:
        return None
    weigh = {k: (weights or {}).get(k, _weight(k)) for eq in equations for k in eq.coefs}
    candidates = sorted({k for i in failing for k in equations[i].coefs})
    lightest = min(weigh.values())
    found: list[tuple[float, tuple[Suspect, ...]]] = []
    best = float("inf")
    for size in range(1, MAX_CELLS + 1):
        if size * lightest > best + 1e-9:
            break
        for subset in combinations(candidates, size):
            weight = sum(weigh[k] for k in subset)
            if weight > best + 1e-9:
                continue
            if not all(any(k in equations[i].coefs for k in subset) for i in failing):
                continue
            solved = _solve(equations, residual, subset)
            if solved is None:
                continue
            suspects = _suspects(edition, subset, x, solved)
            if suspects is None:
                continue
            if weight < best - 1e-9:
                best, found = weight, []
            found.append((weight, suspects))
    if not found:
        return None
    explanations = [s for _, s in found]
    slips = [e for e in explanations if all(s.slip for s in e)]
    others = len(explanations) - len(slips)
    if slips:  # Scholtus: prefer what one typing slip per cell explains
        explanations = slips
    return Localisation(tuple(explanations[:MAX_SHOWN]), len(explanations) > MAX_SHOWN, others if slips else 0)


def _solve(
    equations: tuple[_Equation, ...], residual: list[Fraction], subset: tuple[str, ...]
) -> list[Fraction | None] | None:
    """Changes to the subset's cells that zero every residual: a value per cell, None where not determined."""
    rows = []
    for eq, r in zip(equations, residual, strict=True):
        coefs = [Fraction(eq.coefs.get(k, 0)) for k in subset]
        if any(coefs):
            rows.append([*coefs, -r])
        elif r != 0:
            return None
    n = len(subset)
    pivots: list[int] = []
    row = 0
    for col in range(n):
        pivot = next((i for i in range(row, len(rows)) if rows[i][col] != 0), None)
        if pivot is None:
            continue
        rows[row], rows[pivot] = rows[pivot], rows[row]
        p = rows[row][col]
        rows[row] = [v / p for v in rows[row]]
        for i in range(len(rows)):
            if i != row and rows[i][col] != 0:
                f = rows[i][col]
                rows[i] = [a - f * b for a, b in zip(rows[i], rows[row], strict=True)]
        pivots.append(col)
        row += 1
    if any(all(v == 0 for v in r[:n]) and r[n] != 0 for r in rows):
        return None  # inconsistent
    if len(pivots) < n:
        return [None] * n  # a whole family of fixes: the cells are suspect, the values are not determined
    delta: list[Fraction | None] = [None] * n
    for i, col in enumerate(pivots):
        delta[col] = rows[i][n]
    return delta


def _suspects(
    edition: Edition, subset: tuple[str, ...], x: Mapping[str, Fraction], delta: list[Fraction | None]
) -> tuple[Suspect, ...] | None:
    index = cell_index(edition)
    out = []
    for key, d in zip(subset, delta, strict=True):
        found = x.get(key, Fraction(0))
        if d is None:
            out.append(Suspect(key, float(found), None, ""))
            continue
        fixed = found + d
        kind = index[key][1].kind
        if kind is Kind.COUNT and (fixed < 0 or fixed.denominator != 1):
            return None  # a count cannot become negative or fractional
        out.append(Suspect(key, float(found), float(fixed), slip(found, fixed)))
    return tuple(out)


def slip(found: Fraction, fixed: Fraction) -> str:
    """The typing slip that turns ``fixed`` into ``found``, in Chinese, or ""."""
    if found.denominator != 1 or fixed.denominator != 1 or found == fixed:
        return ""
    a, b = int(found), int(fixed)
    if a == -b:
        return "正负号填反"
    if (a < 0) != (b < 0):
        return ""
    s, t = str(abs(a)), str(abs(b))
    if len(s) == len(t):
        diff = [i for i in range(len(s)) if s[i] != t[i]]
        if len(diff) == 2 and diff[1] == diff[0] + 1 and s[diff[0]] == t[diff[1]] and s[diff[1]] == t[diff[0]]:
            return "相邻两位数字颠倒"
        if len(diff) == 1:
            return "有一位数字填错"
    if len(s) == len(t) + 1 and any(s[:i] + s[i + 1 :] == t for i in range(len(s))):
        return "多输入了一位数字"
    if len(s) + 1 == len(t) and any(t[:i] + t[i + 1 :] == s for i in range(len(t))):
        return "漏输了一位数字"
    return ""
