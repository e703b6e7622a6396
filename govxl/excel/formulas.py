"""Compile rule checks to Excel formulas.

A :class:`Placement` says where each key's cell is (a table sheet, or a row
of a per-unit sheet); the same check compiles for either. Every function
returns formula text without the leading ``=``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from govxl.editions.model import Kind
from govxl.editions.rules import Severity
from govxl.judge.engine import Check, RuleOutcome
from govxl.judge.expr import Side
from govxl.layout import a1, col_letter
from govxl.values import NA_MARKERS

OK_TEXT = "正确"


@dataclass(frozen=True)
class Placement:
    """Where the cells of an edition's keys are: ``pos(key) -> (row, col)``."""

    pos: Callable[[str], tuple[int, int]]
    sheet: str | None = None  # prefix references with this sheet
    row_relative: bool = False  # "$D5" instead of "$D$5" (rules repeated down unit rows)
    relative: bool = False  # plain "D5", as a person would type it

    def ref(self, key: str) -> str:
        row, col = self.pos(key)
        return self._prefix() + self._cell(row, col)

    def range(self, first: tuple[int, int], last: tuple[int, int]) -> str:
        a, b = self._cell(*first), self._cell(*last)
        return self._prefix() + (a if a == b else f"{a}:{b}")

    def _cell(self, row: int, col: int) -> str:
        if self.relative:
            return a1(row, col)
        if self.row_relative:
            return f"${col_letter(col)}{row + 1}"
        return a1(row, col, absolute=True)

    def _prefix(self) -> str:
        return f"{quote_sheet(self.sheet)}!" if self.sheet else ""


def quote_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def string_literal(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def side_expr(side: Side, at: Placement) -> str:
    plus = [k for k, w in side.terms if w > 0]
    minus = [k for k, w in side.terms if w < 0]
    parts = []
    if plus:
        parts.append(f"SUM({_ref_list(plus, at)})")
    if minus:
        parts.append(f"-SUM({_ref_list(minus, at)})")
    if side.const or not parts:
        const = f"{side.const:g}"
        parts.append(const if not parts or side.const < 0 else "+" + const)
    return "".join(parts)


def _ref_list(keys: Sequence[str], at: Placement) -> str:
    """References to the keys, runs of adjacent cells folded into ranges."""
    out: list[str] = []
    run: list[tuple[int, int]] = []

    def flush() -> None:
        if run:
            out.append(at.range(run[0], run[-1]))
            run.clear()

    for key in keys:
        p = at.pos(key)
        if run:
            (r0, c0), (r1, c1) = run[0], run[-1]
            same_row = r0 == r1 == p[0] and p[1] == c1 + 1
            same_col = c0 == c1 == p[1] and p[0] == r1 + 1
            if not (same_row or same_col):
                flush()
        run.append(p)
    flush()
    return ",".join(out)


def condition(check: Check, at: Placement) -> str:
    """A boolean expression that is TRUE when the check passes."""
    if check.constraint is None:
        return f"{count_expr(check, at)}=0"
    c = check.constraint
    return f"{side_expr(c.lhs, at)}{'=' if c.op == '==' else c.op}{side_expr(c.rhs, at)}"


def count_expr(check: Check, at: Placement) -> str:
    """Number of offending cells of a domain or blank check (an array expression)."""
    terms = []
    for kind, rect in _rects(check, at):
        r = at.range(*rect)
        if check.rule.check == "blank":
            terms.append(f"SUM({_blank_test(r)})")
        else:
            terms.append(f"SUM(IF(ISNUMBER({r}),{_bad_number(kind, r)},IF({_blank_test(r)},0,1)))")
    return "+".join(terms)


def _blank_test(r: str) -> str:
    return "(" + "+".join(f"({r}={string_literal(m)})" for m in ("", *NA_MARKERS)) + ")"


def _bad_number(kind: Kind, r: str) -> str:
    if kind is Kind.AMOUNT:
        return f"IF({r}<0,1,0)"
    if kind is Kind.SIGNED:
        return f"IF({r}<>INT({r}),1,0)"
    return f"IF({r}<0,1,IF({r}<>INT({r}),1,0))"


def cell_is_bad(kind: Kind, ref: str) -> str:
    """Conditional-format test for one cell breaking its type (relative ref)."""
    blank = "OR(" + ",".join(f"{ref}={string_literal(m)}" for m in ("", *NA_MARKERS)) + ")"
    if kind is Kind.AMOUNT:
        bad = f"{ref}<0"
    elif kind is Kind.SIGNED:
        bad = f"{ref}<>INT({ref})"
    else:
        bad = f"OR({ref}<0,{ref}<>INT({ref}))"
    return f"IF(ISNUMBER({ref}),{bad},NOT({blank}))"


def _rects(check: Check, at: Placement) -> list[tuple[Kind, tuple[tuple[int, int], tuple[int, int]]]]:
    return rects(check.cells, check.kinds or (Kind.COUNT,) * len(check.cells), at)


def rects(
    keys: Sequence[str], kinds: Sequence[Kind], at: Placement
) -> list[tuple[Kind, tuple[tuple[int, int], tuple[int, int]]]]:
    """Cover the cells with rectangles of one kind each."""
    by_kind: dict[Kind, dict[int, list[int]]] = {}
    for key, kind in zip(keys, kinds, strict=True):
        row, col = at.pos(key)
        by_kind.setdefault(kind, {}).setdefault(row, []).append(col)
    rects = []
    for kind, rows in by_kind.items():
        runs: list[tuple[int, int, int]] = []  # (row, first col, last col)
        for row in sorted(rows):
            cols = sorted(rows[row])
            start = prev = cols[0]
            for c in cols[1:]:
                if c != prev + 1:
                    runs.append((row, start, prev))
                    start = c
                prev = c
            runs.append((row, start, prev))
        open_rects: list[list[int]] = []  # [first row, last row, c1, c2]
        for row, c1, c2 in runs:
            for rect in open_rects:
                if rect[1] == row - 1 and rect[2] == c1 and rect[3] == c2:
                    rect[1] = row
                    break
            else:
                open_rects.append([row, row, c1, c2])
        rects.extend((kind, ((r1, c1), (r2, c2))) for r1, r2, c1, c2 in open_rects)
    return rects


def check_formula(check: Check, at: Placement) -> tuple[str, bool]:
    """The check cell: reads 正确, or the severity and message. Returns
    (formula, is_array)."""
    prefix = check.severity.value + "："
    if check.constraint is None:
        n = count_expr(check, at)
        lhs, rhs, ok = n, "0", f"{n}=0"
    else:
        lhs, rhs = side_expr(check.constraint.lhs, at), side_expr(check.constraint.rhs, at)
        ok = condition(check, at)
    text = _message_expr(prefix + check.message, lhs, rhs)
    return f"IF({ok},{string_literal(OK_TEXT)},{text})", check.constraint is None


def _message_expr(message: str, lhs: str, rhs: str) -> str:
    pieces: list[str] = []
    rest = message
    while rest:
        i_l, i_r = rest.find("{lhs}"), rest.find("{rhs}")
        hits = [(i, tok, e) for i, tok, e in ((i_l, "{lhs}", lhs), (i_r, "{rhs}", rhs)) if i >= 0]
        if not hits:
            pieces.append(string_literal(rest))
            break
        i, tok, expr = min(hits)
        if i:
            pieces.append(string_literal(rest[:i]))
        pieces.append(f"({expr})")
        rest = rest[i + len(tok) :]
    return "&".join(pieces)


def cached_text(outcome: RuleOutcome) -> str:
    """The value the check cell shows, computed in Python."""
    if outcome.passed:
        return OK_TEXT
    return outcome.check.severity.value + "：" + outcome.message


def severity_count_formula(check_range: str, severity: Severity) -> str:
    return f"COUNTIF({check_range},{string_literal(severity.value + '*')})"
