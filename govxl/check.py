"""``govxl check``: each return (or merged workbook) on its own, nothing merged: year and edition, the findings
of its figures (:mod:`govxl.judge.unit`), a merged workbook's unit rows, cross-year."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from govxl.editions import edition_for_year
from govxl.editions.model import Edition
from govxl.editions.rules import Severity
from govxl.errors import UsageError
from govxl.judge.crossyear import cross_year_findings
from govxl.judge.engine import failing_linear
from govxl.judge.unit import Judged, unit_findings
from govxl.read.inbox import collect, not_read_findings, nothing_to_read, read_all, read_one
from govxl.read.lastyear import detail_rows, read_last_year
from govxl.results.check import CheckResult, FileCheck
from govxl.results.completeness import gaps_finding
from govxl.results.figures import Figures, FiguresKind
from govxl.results.findings import LOCATED, MIXED, TOTALS_UNIT, WRONG_EDITION, Finding
from govxl.results.lastyear import LastYear


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


def check_files(
    inputs: list[Path],
    *,
    year: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    last_year: Path | None = None,
    outputs: Iterable[Path | None] = (),
) -> CheckResult:
    """Check each return (or merged workbook) on its own: nothing is merged.

    ``outputs``: the files this run will write (claimed by :mod:`govxl.outputs` first), refused as inputs and,
    met in an input folder, skipped when govxl made them (:func:`govxl.read.inbox.collect`).
    """
    last = read_last_year(last_year) if last_year is not None else None
    inbox = collect(inputs, outputs, [last_year])
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
    findings = [*year_problems, *r.findings, *(unit_findings(r) if judged is None else judged)]
    this_year = year or r.year
    cross_year = last is not None and this_year is not None and not year_problems
    if r.kind == FiguresKind.MERGED:
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
