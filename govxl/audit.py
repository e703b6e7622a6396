"""Check a report already published: read its three tables from a web page or extracted text.

A published page is HTML whose tables use rowspan and colspan; text copied or
extracted from one has a cell per tab. Either way the tables carry the artefacts
of typesetting: wrapped label fragments, half-width brackets and stray spaces,
label columns lost at page breaks, surplus cells, units inside amounts, blanks.
Rows are found by their labels (compared after NFKC, without spaces), values
are read after the label, and every guess that could change a number is stated
in :attr:`AuditResult.assumptions`. Then the edition's rules are run.
"""

from __future__ import annotations

from pathlib import Path

from govxl.editions import edition_for_year
from govxl.editions.rules import Severity
from govxl.errors import UsageError
from govxl.excel.template_book import build_template
from govxl.io import atomic_output
from govxl.judge.engine import RuleOutcome, evaluate, linear_checks
from govxl.judge.published import for_reader, text_against_tables
from govxl.judge.unit import unit_findings
from govxl.layout import cell_index, layouts, parse_a1
from govxl.normalize import Cell, State
from govxl.read.documents import Row, document_rows
from govxl.read.reportsplit import split_reports
from govxl.read.reporttables import NOT_FOUND, _read_table, _Reader, _segments
from govxl.read.reporttitle import detect_edition, title_year_unit
from govxl.read.runtogether import (
    gather,
    join_wrapped,
    separate,
)
from govxl.read.vocabulary import (
    all_labels,
    all_titles,
    clean,
    row_labels,
)
from govxl.read.workbook import norm
from govxl.results.audit import AuditResult
from govxl.results.figures import Figures
from govxl.results.findings import (
    DAMAGED_TEXT,
    LABEL_AS_PRINTED,
    ROW_NOT_FOUND,
    WRONG_EDITION,
)

# ---------------------------------------------------------------- the audit


def audit(path: Path) -> AuditResult:
    """Read and check a published report (HTML page, or text with a tab between cells); of a file that holds
    several reports, the first (:func:`audit_reports` gives every one).

    The tables become a unit's figures like a department's return, and get the same findings
    (cell values, rules, the suspect cell and its suggested value) through :func:`govxl.judge.unit.unit_findings`.
    """
    return audit_reports(path)[0]


def audit_reports(path: Path) -> list[AuditResult]:
    """Every report a file holds (a district's page followed by a department's), each read and checked on
    its own; a file of several names each report as its part (报告.txt（第2份报告）)."""
    damaged: list[int] = []
    rows, read_as = document_rows(path, damaged)
    rows = [row[0].split("\t") if len(row) == 1 and "\t" in row[0] else row for row in rows]  # Word: tabs in a line
    said: list[tuple[str, str]] = []
    at: list[int] = []  # for each misprinted title said: how many rows of that title come before it
    known = all_labels() | row_labels()
    cut: list[Row] = []
    for row in gather(rows, known):
        mark, start = len(said), len(cut)
        cut += separate([row], known, all_titles(), said)[0]
        at += [sum(_title_row(r) == title for r in cut[:start]) for _, title in said[mark:]]
    rows = gather(join_wrapped(cut, row_labels()), known)  # a wrapped label's values a line each
    parts = split_reports(rows)
    if len(parts) == 1:
        return [_audit_rows(path, str(path), rows, read_as, damaged, said)]
    out = []
    before: dict[str, int] = {}  # rows of each title in the reports before this one
    for k, part in enumerate(parts, 1):
        here = {t: before.get(t, 0) + sum(_title_row(r) == t for r in part) for t in {t for _, t in said}}
        mine = [(p, t) for (p, t), n in zip(said, at, strict=True) if before.get(t, 0) <= n < here[t]]
        before = here
        out.append(_audit_rows(path, f"{path}（第{k}份报告）", part, read_as, damaged if k == 1 else [], mine))
    return out


def _title_row(row: Row) -> str:
    texts = [t for t in (clean(c) for c in row) if t]
    return texts[0] if len(texts) == 1 else ""


def _audit_rows(
    path: Path, shown: str, rows: list[Row], read_as: str, damaged: list[int], said: list[tuple[str, str]]
) -> AuditResult:
    year, unit = title_year_unit(rows)
    edition, foreign = detect_edition(rows, year)
    reader = _Reader(edition, rows, shown, unit)
    _edition_findings(reader, year, foreign)
    if damaged:
        lines = "、".join(str(n) for n in sorted(set(damaged))[:5]) + ("等" if len(set(damaged)) > 5 else "")
        reader.finding(
            Severity.HINT,
            DAMAGED_TEXT,
            f"文件中有{len(damaged)}个无法识别的字符（第{lines}行），可能是下载不完整或夹杂了另一种编码的片段；"
            "已替换为“�”，其余照常读取，请核对报告原文",
        )
    for printed, title in dict.fromkeys(said):  # a cell may be tokenised twice (alone, then with its row)
        lay = next(lay for lay in layouts(edition) if norm(lay.table.title) == title)
        shown_title = f"已按{lay.sheet}的标题“{lay.table.title}”读取，请核对"
        reader.finding(Severity.HINT, LABEL_AS_PRINTED, f"报告中的标题印作“{printed}”，{shown_title}", lay)
    index = cell_index(edition)
    cells: dict[str, Cell] = {k: NOT_FOUND for k in index}
    lays = layouts(edition)
    spans = _segments(rows, lays)
    for lay in lays:
        cells.update(_read_table(reader, lay, spans[lay.table.key]))
    refs = {k: (lay.sheet, spec.ref) for k, (lay, spec) in index.items()}
    stated = {k: c for k, c in cells.items() if k not in reader.uncertain}  # a cut the rules could not settle
    reader.findings += text_against_tables(rows, spans, edition, stated, shown, unit)
    figures = Figures(path, shown, edition, year, unit, "published", cells, refs, unit_from="document")
    # a rule over a cell that could not be read says nothing about the report (R5 said the cell was not read)
    numbers = figures.numbers()
    outcomes = [evaluate(c, numbers) for c in linear_checks(edition) if not reader.unread & set(c.cells)]
    outcomes = _beside_rows_not_found(reader, outcomes)
    findings = reader.findings + unit_findings(figures, outcomes)
    order = {lay.sheet: i for i, lay in enumerate(lays)}
    findings.sort(key=lambda f: (order.get(f.sheet, -1), parse_a1(f.cell) if f.cell else (-1, -1), f.rule))
    for f in findings:
        f.message = for_reader(f.message)
    values = {k: c.number if c.state in (State.NUMBER, State.CONVERTED) else None for k, c in cells.items()}
    return AuditResult(edition, year, unit, values, findings, reader.assumptions, shown, read_as, figures)


def _beside_rows_not_found(reader: _Reader, outcomes: list[RuleOutcome]) -> list[RuleOutcome]:
    """A rule that fails over a row not found in the report (R2) does not show the report wrong: the row may be
    missing from it, or printed so that it could not be read (a PDF copied a cell a line, its order scrambled).
    Such failures are said once a table, as a hint, and not as errors."""
    kept: list[RuleOutcome] = []
    doubtful: dict[str, list[RuleOutcome]] = {}
    for o in outcomes:
        if not o.passed and reader.not_found & set(o.check.cells):
            doubtful.setdefault(o.check.table, []).append(o)
        else:
            kept.append(o)
    for table, failed in doubtful.items():
        lay = next(lay for lay in layouts(reader.edition) if lay.table.key == table)
        rows = {k.rsplit(".", 1)[0] for k in reader.not_found if k.startswith(f"{table}.")}
        rules = "、".join(dict.fromkeys(o.check.id for o in failed))
        reader.finding(
            Severity.HINT,
            ROW_NOT_FOUND,
            f"{lay.sheet}有{len(rows)}行没有找到，按空白计算时有{len(failed)}项勾稽关系（{rules}）不成立；"
            "可能是报告缺少这些行，也可能是这些行未能读出，未作为错误，请核对报告原文",
            lay,
        )
    return kept


def _edition_findings(reader: _Reader, year: int | None, foreign: list[str]) -> None:
    edition = reader.edition
    if year is not None:
        try:
            expected = edition_for_year(year)
        except UsageError:
            expected = edition
        if expected is not edition:
            reader.finding(
                Severity.ERROR,
                WRONG_EDITION,
                f"报告年度为{year}，应使用{expected.short_name}的表格，但报告使用的是{edition.short_name}的表格",
            )
    if foreign:
        sample = "、".join(f"“{t}”" for t in foreign[:3])
        reader.finding(
            Severity.HINT,
            WRONG_EDITION,
            f"报告按{edition.short_name}读取，但其中有另一种格式的表格文字{sample}，请核对是否套用了错误的模板",
        )


def write_audit_xlsx(result: AuditResult, output: Path) -> Path:
    """The audited figures in a govxl workbook, whose live checks mark every problem in red; every finding
    (how the tables were read included: R1–R5, C12) is a note on its cell and a row of the 校验结果 sheet."""
    with atomic_output(output) as tmp:
        build_template(
            tmp,
            result.edition,
            result.year or result.edition.years[0],
            unit=result.unit,
            values=result.values,
            findings=result.findings,
            marked_as="audit",
        )
    return output
