"""Findings about one unit's figures: its cell values, its rules, and where the error probably is.

Figures in, findings out; never a file (reading and judging a file in a worker: :func:`govxl.check.judge`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from govxl.editions.model import Edition
from govxl.editions.rules import Severity
from govxl.judge.engine import RuleOutcome, failing_linear, linear_checks, prefill_definitions
from govxl.judge.localize import Localisation, Suspect, localise
from govxl.layout import cell_index, cell_name
from govxl.normalize import State
from govxl.results.figures import Figures, FiguresKind
from govxl.results.findings import LOCATED, UNFILLED, Finding
from govxl.values import show

UNUSABLE_WEIGHT = 0.5  # a cell that was blank, text or an error is the first suspect


def unit_findings(r: Figures, outcomes: list[RuleOutcome] | None = None) -> list[Finding]:
    """Every finding about one return: values, rules and, for broken balances, the suspect cells.

    ``outcomes``: of the linear checks, at least every failing one (passing ones change nothing).
    """
    if outcomes is None:
        outcomes = failing_linear(r.edition, r.numbers())
    out = cell_findings(r)
    out += [rule_finding(o, r) for o in outcomes if not o.passed]
    if r.kind != FiguresKind.MERGED and any(not o.passed and o.check.is_balance for o in outcomes):
        unusable = {k: UNUSABLE_WEIGHT for k, c in r.cells.items() if c.state is not State.NUMBER}
        found = localise(r.edition, r.numbers(), derived=r.formula_keys, weights=unusable)
        if found is not None:
            out += located_findings(r, found)
    return out


@dataclass(frozen=True, eq=False)
class Judged:
    """A return with what its own figures say: the linear checks it breaks, and its findings
    (:func:`unit_findings`). Made where the file was read, in a worker process."""

    ret: Figures
    failing: list[RuleOutcome]
    findings: list[Finding]

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        index = _check_index(self.ret.edition)
        failing = [(index[id(o.check)], o.lhs, o.rhs) for o in self.failing]  # a Check travels as its number
        return _judged, (self.ret, failing, self.findings)


@cache
def _check_index(edition: Edition) -> dict[int, int]:
    return {id(c): i for i, c in enumerate(linear_checks(edition))}


def _judged(ret: Figures, failing: list[tuple[int, float, float]], findings: list[Finding]) -> Judged:
    checks = linear_checks(ret.edition)
    outcomes = [RuleOutcome(checks[i], False, lhs, rhs, checks[i].cells) for i, lhs, rhs in failing]
    return Judged(ret, outcomes, findings)


def where(r: Figures, key: str) -> str:
    """“表三“（一）予以公开”“自然人”” for messages."""
    return cell_name(r.edition, key)


def cell_findings(r: Figures) -> list[Finding]:
    out = []
    index = cell_index(r.edition)
    derived = prefill_definitions(r.edition) if r.kind != FiguresKind.MERGED else {}
    typed = [c for k, c in r.cells.items() if not (k in derived and k in r.formula_keys)]
    if all(c.state is State.BLANK for c in typed):
        message = f"报表未填写：应填写的{len(typed)}个单元格全部为空白。请对方填写后重新报送；没有数据的单元格请填0"
        return [Finding(Severity.ERROR, UNFILLED, message, file=r.shown, unit=r.unit)]
    for key, cell in r.cells.items():
        if cell.severity is None or (key in derived and key in r.formula_keys and not cell.formula_problem):
            continue  # a total the template computes follows its parts: the parts carry the finding
        sheet, ref = r.refs[key]
        message = f"{where(r, key)}：{cell.message}"
        if key in derived and key in r.formula_keys:  # the total follows its parts: say which number is used
            message += f"；汇总时此总计按各项之和{show(r.numbers()[key])}计算"
        f = Finding(
            cell.severity,
            cell.rule,
            message,
            file=r.shown,
            unit=r.unit,
            sheet=sheet,
            cell=ref,
            actual="" if cell.shown is None else str(cell.shown),
            key=key,
        )
        table = index[key][0].table.key
        if cell.severity is Severity.HINT and table in r.explanations:
            f.explanation = r.explanations[table]
        out.append(f)
    return out


def rule_finding(o: RuleOutcome, r: Figures) -> Finding:
    target = o.check.cells[0]
    sheet, ref = r.refs[target]
    f = Finding(
        o.check.severity,
        o.check.id,
        o.message,
        file=r.shown,
        unit=r.unit,
        sheet=sheet,
        cell=ref,
        expected=show(o.rhs),
        actual=show(o.lhs),
        key=target,
    )
    if o.check.severity is Severity.HINT and o.check.table in r.explanations:
        f.explanation = r.explanations[o.check.table]
    return f


def located_findings(r: Figures, found: Localisation) -> list[Finding]:
    """疑似错误单元格: one finding per suspect cell, so every one of them is marked in an annotated copy."""
    out = []
    if found.ambiguous:
        marks = "①②③④⑤"
        options = "；".join(
            marks[i] + "、".join(_describe(r, s) + _maybe(r, s) for s in explanation)
            for i, explanation in enumerate(found.explanations)
        )
        more = "等" if found.more else ""
        n = f"{len(found.explanations)}种{more}"
        head = f"有{n}同样简单的改法都能使勾稽关系成立，无法确定是哪个单元格填错，请逐一核对："
        first = ""
        for i, explanation in enumerate(found.explanations):
            for s in explanation:
                if not first:  # the whole list once; every other suspect cell points to it
                    first = "{}!{}".format(*r.refs[s.key])
                    out.append(_located(r, s, head + options))
                    continue
                part = "即" if len(explanation) == 1 else "属于"
                short = f"疑似错误单元格：{_describe(r, s)}{_maybe(r, s)}；{part}{n}同样简单的改法中的第{marks[i]}种"
                out.append(_located(r, s, f"{short}，各种改法见{first}的说明"))
        return out
    aside = f"（另有{found.set_aside}种改法也能使勾稽关系成立，但都不像输入失误）" if found.set_aside else ""
    typed_totals = set(prefill_definitions(r.edition)) - r.formula_keys
    for s in found.explanations[0]:
        suggested = _suggests(r, s) and (s.slip or r.cells[s.key].state is not State.NUMBER)
        if_right = "；若此总计无误，则是相关各项中有数字填错，请逐项核对" if s.key in typed_totals else ""
        message = "疑似错误单元格：" + _describe(r, s) + _advice(r, s) + if_right + aside
        out.append(_located(r, s, message, show(s.fixed) if suggested else ""))
    return out


def _located(r: Figures, s: Suspect, message: str, suggested: str = "") -> Finding:
    sheet, ref = r.refs[s.key]
    shown = r.cells[s.key].shown
    return Finding(
        Severity.HINT,
        LOCATED,
        message,
        file=r.shown,
        unit=r.unit,
        sheet=sheet,
        cell=ref,
        expected=suggested,
        actual="" if shown is None else str(shown) if not isinstance(shown, float) else show(shown),
        key=s.key,
    )


def _describe(r: Figures, s: Suspect) -> str:
    sheet, ref = r.refs[s.key]
    shown = r.cells[s.key].shown
    typed = "空白" if shown is None else f"“{shown}”" if isinstance(shown, str) else show(float(shown))  # type: ignore[arg-type]
    return f"{where(r, s.key)}（{sheet}!{ref}，填写为{typed}）"


def _suggests(r: Figures, s: Suspect) -> bool:
    """Whether a value is suggested: never for a blank cell, whose figure only the department knows (the
    balance rules would otherwise make one up for it)."""
    return s.fixed is not None and r.cells[s.key].state is not State.BLANK


def _maybe(r: Figures, s: Suspect) -> str:
    if not _suggests(r, s):
        return ""
    assert s.fixed is not None
    return f"，可能应为{show(s.fixed)}" + (f"（{s.slip}）" if s.slip else "")


def _advice(r: Figures, s: Suspect) -> str:
    if r.cells[s.key].state is State.BLANK:
        return "；此格空白（按0计算），勾稽关系不成立，请按实际数字填写，并核对相关的总计"
    if s.fixed is None:
        return "，请核实"
    if r.cells[s.key].state is not State.NUMBER:
        return f"；按各项勾稽关系，此格应为{show(s.fixed)}"
    if s.slip:
        return f"；建议值{show(s.fixed)}（疑为{s.slip}），改为{show(s.fixed)}后各项勾稽关系均成立"
    return f"；如只修改此格，应为{show(s.fixed)}，请核实"
