"""govxl: templates, merging and checks for the 政府信息公开工作年度报告 tables — from Python.

>>> import govxl
>>> result = govxl.merge_files(["samples/2021"], roster="samples/2021/单位名单.txt")   # doctest: +SKIP
>>> result.to_frame()            # one row per unit × input cell: blank, 0 and 不适用 kept apart   # doctest: +SKIP
>>> result.findings_frame()      # one row per finding, every field of --json                    # doctest: +SKIP

Each function returns the result object the command line renders (see docs/api.md). The modules
behind them are imported when first used, so that ``import govxl`` (and the command line) stays quick.
The names differ from the modules' (``govxl.merge_files`` calls :func:`govxl.merge.merge`), so that
``import govxl.merge`` keeps meaning the module.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from govxl.errors import GovxlError, InputError, UsageError
from govxl.version import __version__

if TYPE_CHECKING:
    import pandas as pd

    from govxl.audit import AuditResult
    from govxl.check import CheckResult
    from govxl.results.figures import Figures
    from govxl.results.findings import Finding
    from govxl.results.merge import Merged
    from govxl.results.template import RosterTemplates

PathLike = str | Path

__all__ = [
    "GovxlError",
    "InputError",
    "UsageError",
    "__version__",
    "audit_report",
    "audit_reports",
    "check_files",
    "figures_frame",
    "findings_frame",
    "make_roster_templates",
    "make_template",
    "merge_files",
    "read_file",
    "table_frame",
    "wide_frame",
    "write_merge",
]


def _paths(inputs: Iterable[PathLike] | PathLike) -> list[Path]:
    """One path or several: ``merge_files("回收报表")`` is one folder, not one per letter."""
    if isinstance(inputs, (str, Path)):
        return [Path(inputs)]
    return [Path(p) for p in inputs]


def read_file(path: PathLike) -> Figures:
    """One file (a return or a merged workbook) read into a unit's figures; InputError when it cannot be used."""
    from govxl.read.workbook import read_return

    figures = read_return(Path(path))
    if not hasattr(figures, "cells"):
        raise InputError(f"{path}：{figures.message}")  # type: ignore[union-attr]
    return figures  # type: ignore[return-value]


def merge_files(
    inputs: Iterable[PathLike] | PathLike,
    *,
    roster: PathLike | None = None,
    year: int | None = None,
    last_year: PathLike | None = None,
    name: str = "",
    when: datetime | None = None,
) -> Merged:
    """Merge returns (files or folders), as ``govxl merge`` does; write it with :func:`write_merge`."""
    from govxl.merge import merge as _merge

    return _merge(
        _paths(inputs),
        roster=Path(roster) if roster is not None else None,
        year=year,
        last_year=Path(last_year) if last_year is not None else None,
        name=name,
        when=when,
    )


def write_merge(result: Merged, output: PathLike, json_path: PathLike | None = None) -> None:
    """Write what :func:`merge_files` gave: the merged workbook (and the findings as JSON), as ``govxl merge -o``
    (``--json``) writes them, never over a file govxl did not make (:mod:`govxl.outputs`)."""
    from govxl.merge import write_outputs

    write_outputs(result, Path(output), Path(json_path) if json_path is not None else None)


def check_files(
    inputs: Iterable[PathLike], *, year: int | None = None, last_year: PathLike | None = None
) -> CheckResult:
    """Check each file on its own, as ``govxl check`` does."""
    from govxl.check import check_files as _check

    return _check(_paths(inputs), year=year, last_year=Path(last_year) if last_year is not None else None)


def audit_report(path: PathLike) -> AuditResult:
    """Read and check a published report (HTML or extracted text), as ``govxl audit`` does; of a file that
    holds several reports, the first (:func:`audit_reports` gives each)."""
    from govxl.audit import audit as _audit

    return _audit(Path(path))


def audit_reports(path: PathLike) -> list[AuditResult]:
    """Every report a file holds (a district's page followed by a department's), each read and checked."""
    from govxl.audit import audit_reports as _audit_reports

    return _audit_reports(Path(path))


def make_template(output: PathLike, year: int, *, unit: str = "", password: str = "") -> Path:
    """Write a blank template for ``year``."""
    from govxl.template import make_template as _make

    return _make(Path(output), year, unit=unit, password=password)


def make_roster_templates(roster: PathLike, folder: PathLike, year: int, *, password: str = "") -> RosterTemplates:
    """One template per unit of a roster, in ``folder``."""
    from govxl.template import make_roster_templates as _make

    return _make(Path(roster), Path(folder), year, password=password)


def figures_frame(units: Iterable[Figures]) -> pd.DataFrame:
    """The long frame: one row per unit × input cell (see :mod:`govxl.results.frames`)."""
    from govxl.results.frames import figures_frame as _frame

    return _frame(units)


def findings_frame(findings: Iterable[Finding]) -> pd.DataFrame:
    """One row per finding."""
    from govxl.results.frames import findings_frame as _frame

    return _frame(findings)


def wide_frame(figures: pd.DataFrame) -> pd.DataFrame:
    """Unit × key, from the long frame."""
    from govxl.results.frames import wide_frame as _wide

    return _wide(figures)


def table_frame(figures: pd.DataFrame, table: str, unit: str | None = None) -> pd.DataFrame:
    """One table in its official shape (rows × columns), for one unit or the total, from the long frame."""
    from govxl.results.frames import table_frame as _table

    return _table(figures, table, unit)
