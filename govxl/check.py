"""Findings about one unit's figures: its cell values, its rules, and where the error probably is."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from govxl.editions import edition_for_year
from govxl.editions.model import Edition
from govxl.editions.rules import Severity
from govxl.errors import UsageError
from govxl.judge.engine import RuleOutcome, failing_linear, linear_checks, prefill_definitions
from govxl.judge.localize import Localisation, Suspect, localise
from govxl.layout import cell_index, cell_name
from govxl.normalize import State
from govxl.read.inbox import collect, not_read_findings, nothing_to_read, read_all, read_one
from govxl.read.lastyear import LastYear, cross_year_findings, detail_rows, read_last_year
from govxl.results.check import CheckResult, FileCheck
from govxl.results.completeness import gaps_finding
from govxl.results.figures import Figures
from govxl.results.findings import LOCATED, MIXED, TOTALS_UNIT, UNFILLED, WRONG_EDITION, Finding
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
    if r.kind != "merged" and any(not o.passed and o.check.is_balance for o in outcomes):
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


def judge(item: tuple[Path, str]) -> Judged | Finding:
    """Read one file and judge its figures (in a worker process: see :func:`govxl.read.inbox.read_all`)."""
    r = read_one(item)
    if isinstance(r, Finding):
        return r
    failing = failing_linear(r.edition, r.numbers())
    return Judged(r, failing, unit_findings(r, failing))


def edition_mismatch(r: Figures, edition: Edition, year: int, *, merging: bool) -> Finding | None:
    """A return in the other edition's tables than its report year needs (套用旧模板, or the reverse)."""
    if r.edition is edition:
        return None
    older = r.edition.years[0] < edition.years[0]
    then = "未计入汇总；请对方" if merging else "请"
    return Finding(
        Severity.ERROR,
        WRONG_EDITION,
        f"该报表使用的是{r.edition.short_name}的表格，与{year}年度应使用的{edition.short_name}不符"
        f"{'（套用旧模板）' if older else ''}，{then}使用{year}年度模板重新填报",
        file=r.shown,
        unit=r.unit,
    )


def where(r: Figures, key: str) -> str:
    """“表三“（一）予以公开”“自然人”” for messages."""
    return cell_name(r.edition, key)


def cell_findings(r: Figures) -> list[Finding]:
    out = []
    index = cell_index(r.edition)
    derived = prefill_definitions(r.edition) if r.kind != "merged" else {}
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


def check_files(
    inputs: list[Path],
    *,
    year: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    last_year: Path | None = None,
    outputs: list[Path | None] | None = None,
    annotate: Path | None = None,
) -> CheckResult:
    """Check each return (or merged workbook) on its own: nothing is merged."""
    last = read_last_year(last_year) if last_year is not None else None
    inbox = collect(inputs, outputs or [], [last_year])
    if annotate is not None:
        _refuse_inside(annotate, inputs)
    if not inbox.files:
        raise UsageError(nothing_to_read(inbox))
    out = [FileCheck(f.file, None, [f]) for f in not_read_findings(inbox)]
    files = inbox.files
    ignored = inbox.ignored
    read = read_all(files, progress, work=judge)
    majority = _majority([r.ret for r in read if isinstance(r, Judged)])
    for (_, shown), r in zip(files, read, strict=True):
        if isinstance(r, Finding):
            out.append(FileCheck(shown, None, [r]))
        else:
            out.append(check_return(r.ret, year=year, majority=majority, last=last, judged=r.findings))
    return CheckResult(sorted(out, key=lambda fc: fc.shown), ignored)


def check_return(
    r: Figures,
    *,
    year: int | None = None,
    majority: tuple[int | None, Edition | None] = (None, None),
    last: LastYear | None = None,
    judged: list[Finding] | None = None,
) -> FileCheck:
    """Every finding about one file already read: year and edition, values, rules, suspects, cross-year.

    ``judged``: :func:`unit_findings` of ``r``, when they were found where the file was read.
    """
    year_problems = _year_findings(r, year, majority, cross_year=last is not None)
    findings = year_problems + r.findings + (unit_findings(r) if judged is None else judged)
    this_year = year or r.year
    cross_year = last is not None and this_year is not None and not year_problems
    if r.kind == "merged":
        incomplete = gaps_finding(r.completeness, r.unit, r.shown)
        findings += [incomplete] if incomplete else []
        rows = detail_rows(r.path, r.edition, r.shown)
        findings += _merged_unit_rows(rows)
        if cross_year:
            assert last is not None and this_year is not None
            findings += cross_year_findings(None, r.numbers(), last, this_year, r.edition, unit=TOTALS_UNIT)
            for row in rows:
                findings += cross_year_findings(
                    row, row.numbers(), last, this_year, r.edition, unit=row.unit, file=r.shown, refs=row.refs
                )
    elif cross_year:
        assert last is not None and this_year is not None
        findings += cross_year_findings(
            r, r.numbers(), last, this_year, r.edition, unit=r.unit, file=r.shown, refs=r.refs
        )
    return FileCheck(r.shown, r, sorted(findings, key=Finding.sort_key))


def _majority(returns: list[Figures]) -> tuple[int | None, Edition | None]:
    """The report year and edition most of the files checked together carry (ties: the later)."""
    years = Counter(r.year for r in returns if r.year is not None)
    editions = Counter(r.edition.id for r in returns)
    year = max(years, key=lambda y: (years[y], y)) if years else None
    edition = max(editions, key=lambda e: (editions[e], e)) if editions else None
    return year, next((r.edition for r in returns if r.edition.id == edition), None)


def _year_findings(
    r: Figures, year: int | None, majority: tuple[int | None, Edition | None], *, cross_year: bool = False
) -> list[Finding]:
    """The wrong edition for the report year (套用旧模板), or another year than asked for: errors listed first.

    The year is ``--year``, else the file's own, else the one most files checked together carry.
    """
    out = []
    expected_year = year or r.year or majority[0]
    if expected_year is not None:
        try:
            expected = edition_for_year(expected_year)
        except UsageError as e:
            return [Finding(Severity.ERROR, MIXED, str(e), file=r.shown, unit=r.unit)]
        mismatch = edition_mismatch(r, expected, expected_year, merging=False)
        if mismatch is None and year is None and majority[1] is not None and r.edition is not majority[1]:
            mismatch = edition_mismatch(r, majority[1], majority[0] or expected_year, merging=False)
        if mismatch is not None:
            out.append(mismatch)
    if year is not None and r.year is not None and r.year != year:
        message = (
            f"该报表封面的报告年度为{r.year}，不是本次检查的{year}年度：可能套用了{r.year}年度的模板，"
            f"请改用{year}年度模板填报，或改正封面上的报告年度"
        ) + ("；未做跨年度校验" if cross_year else "")
        out.append(Finding(Severity.ERROR, MIXED, message, file=r.shown, unit=r.unit))
    return out


def _merged_unit_rows(rows: list[Figures]) -> list[Finding]:
    """For a merged workbook: each unit row of its per-unit sheets, checked like a return of its own."""
    out = []
    for row in rows:
        out += [f for f in unit_findings(row) if f.severity is Severity.ERROR or f.rule == LOCATED]
    return out


def _refuse_inside(folder: Path, inputs: list[Path]) -> None:
    target = folder.resolve()
    for given in inputs:
        if given.is_dir() and (target == given.resolve() or given.resolve() in target.parents):
            raise UsageError(
                f"退回修改副本的文件夹 {folder} 在报表文件夹 {given} 之内，下次汇总时会被当作报表；请另选一个文件夹。"
            )
