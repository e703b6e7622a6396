"""``govxl report``: the report of a merged workbook or a single return, and the findings about its figures."""

from __future__ import annotations

from pathlib import Path

from govxl.check import check_return
from govxl.errors import InputError
from govxl.io import atomic_output, refuse_overwriting_inputs
from govxl.outputs import claim
from govxl.read.workbook import read_return
from govxl.report import render
from govxl.report.data import report_data
from govxl.results.check import FileCheck
from govxl.results.figures import Figures


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
