"""``govxl export``: the long frame of figures (and the findings beside it) for BI tools and statistics packages.

CSV is UTF-8 with a byte-order mark, so that Excel opens it in Chinese; .xlsx has a sheet of each;
.parquet needs pyarrow and says how to get it.

Text from a return (a unit's name, what a cell shows, a file name) is never written as something a
spreadsheet evaluates: .xlsx cells are written as text, and a CSV text field that begins with = + - @, a
tab or a carriage return gets a leading apostrophe, as OWASP's advice on CSV injection has it (Excel
then shows the text, apostrophe included). A field that is a plain number (“-5”) is left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd

from govxl.check import CheckResult, check_files
from govxl.columns import CHINESE_COLUMNS
from govxl.editions.rules import Severity
from govxl.errors import InputError, UsageError
from govxl.io import atomic_outputs
from govxl.markers import KIND_PROPERTY, KINDS
from govxl.outputs import claim, claim_all
from govxl.read.lastyear import detail_rows
from govxl.results.figures import Figures, FiguresKind
from govxl.results.findings import DUPLICATE, Finding
from govxl.results.frames import figures_frame, findings_frame
from govxl.unitnames import unit_key

FORMATS = KINDS["export"].suffixes
FINDINGS_SUFFIX = "_校验结果"
DATA_SHEET, FINDINGS_SHEET = "数据", "校验结果"
FORMULA_HEADS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


@dataclass
class Exported:
    figures: pd.DataFrame
    findings: pd.DataFrame
    written: list[Path]
    checked: CheckResult


def units_of(checked: CheckResult) -> list[Figures]:
    """The units in what was checked: each return, and each unit row of a merged workbook."""
    out: list[Figures] = []
    for fc in checked.usable:
        assert fc.ret is not None
        if fc.ret.kind == FiguresKind.MERGED:
            out += detail_rows(fc.ret.path, fc.ret.edition, fc.ret.shown) or [fc.ret]
        else:
            out.append(fc.ret)
    return out


def export(inputs: list[Path], output: Path) -> Exported:
    """Write the figures of every return (or every unit of a merged workbook) in ``inputs`` to ``output``."""
    claim(output, "export")
    suffix = output.suffix.lower()
    if suffix == ".parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError as e:
            raise UsageError(
                "导出 .parquet 文件需要 pyarrow：请先运行 pip install pyarrow，或改为导出 .csv / .xlsx。"
            ) from e
    beside = output.with_name(output.stem + FINDINGS_SUFFIX + output.suffix)
    targets = [output] if suffix == ".xlsx" else [output, beside]
    claim_all((target, "export") for target in targets)
    checked = check_files(inputs, outputs=targets)
    if not checked.usable:
        reasons = "\n".join(f"  {fc.shown}：{fc.findings[0].message}" for fc in checked.files if fc.findings)
        raise InputError(f"没有一份文件可以导出：\n{reasons}")
    units = units_of(checked)
    figures = figures_frame(units).rename(columns=CHINESE_COLUMNS)
    findings = findings_frame([*checked.findings, *_duplicates(units)]).rename(columns=CHINESE_COLUMNS)
    with atomic_outputs(targets) as temps:
        if suffix == ".csv":
            neutralised(figures).to_csv(temps[0], index=False, encoding="utf-8-sig")
            neutralised(findings).to_csv(temps[1], index=False, encoding="utf-8-sig")
        elif suffix == ".parquet":
            _parquet(temps[0], figures)
            _parquet(temps[1], findings)
        else:
            _xlsx(temps[0], figures, findings)
    return Exported(figures, findings, targets, checked)


def _duplicates(units: list[Figures]) -> list[Finding]:
    """Two files for one unit: both are exported (the file column tells them apart), and it is said."""
    by_unit: dict[str, list[Figures]] = {}
    for u in units:
        by_unit.setdefault(unit_key(u.unit), []).append(u)
    out = []
    for group in by_unit.values():
        if len(group) > 1:
            names = "、".join(u.shown for u in group)
            message = (
                f"同一填报单位“{group[0].unit}”有{len(group)}份报表：{names}。"
                "导出了每一份，汇总时均不计入，请确认哪一份是正确的"
            )
            out += [Finding(Severity.ERROR, DUPLICATE, message, file=u.shown, unit=u.unit) for u in group]
    return out


def neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every text field a spreadsheet would read as a formula prefixed with an apostrophe."""
    out = frame.copy()
    for column in out.columns:
        if not pd.api.types.is_numeric_dtype(out[column]):
            out[column] = out[column].map(_inert)
    return out


def _inert(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_HEADS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def _parquet(path: Path, frame: pd.DataFrame) -> None:
    """The frame as parquet, with govxl's marker in the schema metadata (see :mod:`govxl.outputs`)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame, preserve_index=False)
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), KIND_PROPERTY.encode(): b"export"})
    pq.write_table(table, path)


def _xlsx(path: Path, figures: pd.DataFrame, findings: pd.DataFrame) -> None:
    years = [int(y) for y in figures[CHINESE_COLUMNS["year"]].dropna().unique()]
    stamp = datetime(max(years, default=2021) + 1, 1, 1)  # same data, same bytes: no clock in the file
    # text from a return stays text: never a formula, a link or a number
    options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    with pd.ExcelWriter(path, engine="xlsxwriter", engine_kwargs={"options": options}) as writer:
        writer.book.set_properties({"created": stamp, "author": "govxl"})
        writer.book.set_custom_property(KIND_PROPERTY, "export")
        figures.to_excel(writer, sheet_name=DATA_SHEET, index=False)
        findings.to_excel(writer, sheet_name=FINDINGS_SHEET, index=False)
        for name, frame in ((DATA_SHEET, figures), (FINDINGS_SHEET, findings)):
            sheet = writer.sheets[name]
            sheet.freeze_panes(1, 0)
            sheet.autofilter(0, 0, max(len(frame), 1), len(frame.columns) - 1)
