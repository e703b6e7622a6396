"""The three tables as a report: Word (.docx), HTML or Markdown, with a summary in words.

Every label, merge and position comes from :func:`govxl.layout.layouts`; the numbers from a merged
workbook or a single return. The data (:mod:`.data`), the prose (:mod:`.prose`) and one renderer per
format (:mod:`.html`, :mod:`.markdown`, :mod:`.docx`) do no I/O; :func:`render` gives a format's bytes.
``govxl report`` (reading the source, writing the file, checking the figures) is :mod:`govxl.publish`.
"""

from __future__ import annotations

from govxl.errors import UsageError
from govxl.report.data import FORMATS, MARKDOWN_NOTE, SUMMARY_TITLE, ReportData, load, report_data, table_cells
from govxl.report.docx import to_docx_bytes
from govxl.report.html import to_html
from govxl.report.markdown import markdown_grid, to_markdown
from govxl.report.prose import result_groups, summary

__all__ = [
    "MARKDOWN_NOTE",
    "SUMMARY_TITLE",
    "ReportData",
    "load",
    "markdown_grid",
    "render",
    "report_data",
    "result_groups",
    "summary",
    "table_cells",
    "to_docx_bytes",
    "to_html",
    "to_markdown",
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
