"""The three tables as a report: Word (.docx), HTML or Markdown, with a summary in words.

Every label, merge and position comes from :func:`govxl.layout.layouts`; the numbers from a merged
workbook or a single return. The data (:mod:`.data`), the prose (:mod:`.prose`) and one renderer per
format (:mod:`.html`, :mod:`.markdown`, :mod:`.docx`) do no I/O; this module reads the source and
writes the file atomically.
"""

from __future__ import annotations

from pathlib import Path

from govxl.check import check_return
from govxl.errors import InputError, UsageError
from govxl.io import atomic_output, refuse_overwriting_inputs
from govxl.outputs import claim
from govxl.read.workbook import read_return
from govxl.report.data import FORMATS, MARKDOWN_NOTE, SUMMARY_TITLE, ReportData, load, report_data, table_cells
from govxl.report.docx import to_docx_bytes
from govxl.report.html import to_html
from govxl.report.markdown import markdown_grid, to_markdown
from govxl.report.prose import result_groups, summary
from govxl.results.check import FileCheck
from govxl.results.figures import Figures

__all__ = [
    "MARKDOWN_NOTE",
    "SUMMARY_TITLE",
    "ReportData",
    "load",
    "markdown_grid",
    "publish_report",
    "render",
    "report_data",
    "result_groups",
    "summary",
    "table_cells",
    "to_docx_bytes",
    "to_html",
    "to_markdown",
    "write_report",
]


def check_format(suffix: str) -> str:
    """The lower-cased suffix if it names a report format; :class:`UsageError` otherwise."""
    if suffix.lower() not in FORMATS:
        shown = suffix or "（无扩展名）"
        raise UsageError(f"不支持的报告格式“{shown}”：请使用 .docx、.html 或 .md 作为输出文件的扩展名。")
    return suffix.lower()


def render(data: ReportData, suffix: str) -> bytes:
    """The report in the format named by a file suffix (.docx, .html, .htm, .md)."""
    suffix = check_format(suffix)
    if suffix == ".docx":
        return to_docx_bytes(data)
    if suffix == ".md":
        return to_markdown(data).encode("utf-8")
    return to_html(data).encode("utf-8")


def write_report(source: Path, output: Path) -> Path:
    """Write the report of ``source`` (a merged workbook or a single return) to ``output``."""
    publish_report(source, output)
    return output


def publish_report(source: Path, output: Path) -> FileCheck:
    """Write the report of ``source`` to ``output``; and the findings about ``source``, read once,
    which say whether its figures can be published as they are."""
    claim(output, "report")
    refuse_overwriting_inputs(output, [source])
    ret = read_return(source)
    if not isinstance(ret, Figures):
        raise InputError(f"无法生成报告：{source}：{ret.message}")
    content = render(report_data(ret), output.suffix)
    with atomic_output(output) as tmp:
        tmp.write_bytes(content)
    return check_return(ret)
