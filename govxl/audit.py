"""govxl audit: check a report already published (a web page, text, Word or PDF).

Its three tables are read (:mod:`govxl.read.reporttables`), then judged as a department's return is judged and
against the report's own words and year (:mod:`govxl.judge.published`); every guess that could change a number is
stated in :attr:`AuditResult.assumptions`.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from govxl.excel.template_book import build_template
from govxl.io import atomic_output
from govxl.judge.engine import evaluate, linear_checks
from govxl.judge.published import beside_rows_not_found, edition_findings, for_reader, text_against_tables
from govxl.judge.unit import unit_findings
from govxl.layout import cell_index, layouts, parse_a1
from govxl.normalize import State
from govxl.read.reporttables import read_tables
from govxl.read.reporttext import ReportText, report_texts
from govxl.read.reporttitle import report_edition, title_year_unit
from govxl.results.audit import AuditResult
from govxl.results.figures import Figures, FiguresKind, UnitFrom


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
    return [_audit(path, text) for text in report_texts(path)]


def _audit(path: Path, text: ReportText) -> AuditResult:
    """One report: its tables read, then judged; the findings of both in the order of the tables."""
    year, unit = title_year_unit(text.rows)
    edition, foreign = report_edition(text.rows, year)
    read = read_tables(text, edition, unit)
    refs = {k: (lay.sheet, spec.ref) for k, (lay, spec) in cell_index(edition).items()}
    kind, unit_from = FiguresKind.PUBLISHED, UnitFrom.DOCUMENT
    figures = Figures(path, text.shown, edition, year, unit, kind, read.cells, refs, unit_from=unit_from)
    # a rule over a cell that could not be read says nothing about the report (R5 said the cell was not read)
    numbers = figures.numbers()
    outcomes = [evaluate(c, numbers) for c in linear_checks(edition) if not read.unread & set(c.cells)]
    outcomes, beside = beside_rows_not_found(outcomes, read.not_found, edition, text.shown, unit)
    stated = {k: c for k, c in read.cells.items() if k not in read.uncertain}  # a cut the rules could not settle
    findings = [
        *edition_findings(edition, year, foreign, text.shown, unit),
        *read.findings,
        *text_against_tables(text.rows, read.spans, edition, stated, text.shown, unit),
        *beside,
        *unit_findings(figures, outcomes),
    ]
    order = {lay.sheet: i for i, lay in enumerate(layouts(edition))}
    findings.sort(key=lambda f: (order.get(f.sheet, -1), parse_a1(f.cell) if f.cell else (-1, -1), f.rule))
    findings = [replace(f, message=for_reader(f.message)) for f in findings]
    values = {k: c.number if c.state in (State.NUMBER, State.CONVERTED) else None for k, c in read.cells.items()}
    assumptions = list(read.assumptions)
    return AuditResult(edition, year, unit, values, findings, assumptions, text.shown, text.read_as, figures)


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
