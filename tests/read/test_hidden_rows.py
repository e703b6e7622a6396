"""Rows hidden inside a table are reported on the sheet that was read, whatever the sheet is called."""

from __future__ import annotations

import random
from pathlib import Path

import openpyxl
import pytest

from govxl.editions import edition_by_id
from govxl.editions.rules import Severity
from govxl.excel.template_book import build_template
from govxl.layout import cell_index, parse_a1
from govxl.read.workbook import read_return
from govxl.results.figures import Figures
from govxl.synth import consistent_values
from tests.helpers import rewrite

NEW = edition_by_id("2021")
KEY = "t3.granted.natural"  # 表三 （一）予以公开 × 自然人: row 7 of the official sheet


def _hidden(tmp_path: Path, sheet_name: str, *, rows_above: int = 0) -> tuple[Path, int]:
    """A return whose 表三 is named ``sheet_name`` (rows inserted above the table), the row of KEY hidden."""
    src = tmp_path / "原表.xlsx"
    build_template(src, NEW, 2021, unit="区测试局", values=consistent_values(NEW, random.Random(5)))
    path = rewrite(
        src,
        tmp_path / f"{sheet_name}.xlsx",
        rename={"表三": sheet_name},
        insert_rows={"表三": (0, rows_above)} if rows_above else None,
    )
    row = parse_a1(cell_index(NEW)[KEY][1].ref)[0] + rows_above
    wb = openpyxl.load_workbook(path)
    wb[sheet_name].row_dimensions[row + 1].hidden = True
    wb.save(path)
    return path, row + 1


@pytest.mark.parametrize(("name", "above"), [("表三", 0), ("Sheet3", 0), ("依申请公开", 2)])
def test_hidden_rows_are_found_on_the_sheet_actually_read(tmp_path: Path, name: str, above: int) -> None:
    path, row = _hidden(tmp_path, name, rows_above=above)
    r = read_return(path)
    assert isinstance(r, Figures)
    assert r.refs[KEY][0] == name  # the table was read from the renamed sheet
    (f,) = [f for f in r.findings if f.rule == "F14"]
    assert (f.severity, f.sheet, f.cell) == (Severity.HINT, name, f"D{row}")
    assert f.message == f"表三第{row}行被隐藏，其中的数字照常汇总，请取消隐藏后核对"


def test_a_renamed_sheet_without_hidden_rows_has_no_such_finding(tmp_path: Path) -> None:
    src = tmp_path / "原表.xlsx"
    build_template(src, NEW, 2021, unit="区测试局", values=consistent_values(NEW, random.Random(5)))
    r = read_return(rewrite(src, tmp_path / "改名.xlsx", rename={"表三": "Sheet3"}))
    assert isinstance(r, Figures) and not [f for f in r.findings if f.rule == "F14"]
