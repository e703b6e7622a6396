"""The template workbook as Excel sees it: protection, validation, print setup, metadata."""

from __future__ import annotations

import random
from pathlib import Path

import openpyxl
import pytest

from govxl.editions import EDITIONS, edition_by_id
from govxl.excel.template_book import build_template
from govxl.layout import layouts
from govxl.sheetnames import META_SHEET
from govxl.synth import consistent_values
from govxl.template import make_template
from tests.helpers import sheet_values

NEW = edition_by_id("2021")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("t") / "t.xlsx"
    make_template(path, 2021, unit="某某区司法局")
    return path


def test_same_command_same_bytes(tmp_path: Path) -> None:
    for edition in EDITIONS:
        a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
        make_template(a, edition.years[0], unit="单位")
        make_template(b, edition.years[0], unit="单位")
        assert a.read_bytes() == b.read_bytes()


def test_sheets_and_hidden_metadata(template: Path) -> None:
    wb = openpyxl.load_workbook(template)
    assert wb.sheetnames == ["填报说明", "表二", "表三", "表四", META_SHEET]
    assert wb[META_SHEET].sheet_state == "veryHidden"
    meta = {r[0]: r[1] for r in wb[META_SHEET].iter_rows(values_only=True)}
    assert meta["kind"] == "template" and meta["edition"] == "2021" and meta["year"] == "2021"
    assert meta["unit"] == "某某区司法局" and meta["template_version"] == "1"


def test_inputs_unlocked_everything_else_locked(template: Path) -> None:
    wb = openpyxl.load_workbook(template)
    for lay in layouts(NEW):
        ws = wb[lay.sheet]
        assert ws.protection.sheet
        inputs = {(c.row + 1, c.col + 1) for c in lay.cells}
        for c in lay.cells:
            assert ws.cell(c.row + 1, c.col + 1).protection.locked is False, c.key
            assert ws.cell(c.row + 1, c.col + 1).fill.fgColor.rgb.endswith("FFF2CC")
        for label in lay.labels:
            if (label.row + 1, label.col + 1) not in inputs:
                assert ws.cell(label.row + 1, label.col + 1).protection.locked is not False


def test_data_validation_per_cell_type(template: Path) -> None:
    ws = openpyxl.load_workbook(template)["表二"]
    rules = {(dv.type, dv.operator, str(dv.sqref)) for dv in ws.data_validations.dataValidation}
    assert ("whole", "greaterThanOrEqual", "B4:D5") in rules
    assert any(t == "decimal" and ref == "B15" for t, _, ref in rules)
    dv = ws.data_validations.dataValidation[0]
    assert dv.promptTitle and dv.error and "填" in dv.error


def test_live_checks_and_red_cells(template: Path) -> None:
    ws = openpyxl.load_workbook(template)["表三"]
    cells = [c.value for row in ws.iter_rows() for c in row]
    formulas = [v for v in cells if isinstance(v, str) and v.startswith("=IF(")]
    assert len(formulas) >= 7 + 25 + 7
    cf_ranges = [str(r.sqref) for r in ws.conditional_formatting]
    assert "D5 D6 D28 D29" in cf_ranges  # A1's cells for 自然人 turn red together


def test_totals_prefilled_as_formulas(template: Path) -> None:
    ws = openpyxl.load_workbook(template)["表三"]
    assert ws["J5"].value == "=SUM(D5:I5)"  # B1
    assert ws["D28"].value == "=SUM(D7:D27)"  # B2
    assert openpyxl.load_workbook(template)["表四"]["E5"].value == "=SUM(A5:D5)"  # B3


def test_typed_total_replaces_the_formula_and_is_checked(tmp_path: Path) -> None:
    values = consistent_values(NEW, random.Random(1))
    values["t3.granted.total"] = int(values["t3.granted.total"]) + 5  # type: ignore[arg-type]
    path = tmp_path / "t.xlsx"
    build_template(path, NEW, 2021, values=values)
    t3 = sheet_values(path)["表三"]
    assert t3[6][9] == values["t3.granted.total"]
    assert any(isinstance(v, str) and v.startswith("错误：表三“（一）予以公开”行：总计为") for row in t3 for v in row)


def test_print_setup(template: Path) -> None:
    ws = openpyxl.load_workbook(template)["表三"]
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.paperSize in (9, "9")
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (1, None)
    assert ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$1:$4"


def test_password_option(tmp_path: Path) -> None:
    path = tmp_path / "p.xlsx"
    make_template(path, 2020, password="abc")
    assert openpyxl.load_workbook(path)["表三"].protection.password


def test_cover(template: Path) -> None:
    cover = sheet_values(template)["填报说明"]
    flat = [v for row in cover for v in row if v != ""]
    assert flat[:3] == ["2021年度政府信息公开工作年度报告统计表", "填报单位", "某某区司法局"]
    assert "报告年度" in flat and 2021.0 in flat and "联系人" in flat and "联系电话" in flat
    assert "通过" in flat  # an empty template has no errors, only hints for blanks


def test_a_unit_name_longer_than_a_custom_property_is_cut_there_and_kept_whole_in_the_sheet(tmp_path: Path) -> None:
    """Excel allows 255 UTF-16 units in a custom property: the marker property holds the name cut there (never
    inside a character), without XlsxWriter's warning; the hidden sheet, which readers read, holds it whole."""
    import re
    import warnings
    import zipfile

    from govxl.read.workbook import read_return

    unit = "区" + "😀" * 130 + "局"  # 262 UTF-16 units
    path = tmp_path / "t.xlsx"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        build_template(path, edition_by_id("2021"), 2025, unit=unit)
    with zipfile.ZipFile(path) as z:
        custom = z.read("docProps/custom.xml").decode("utf-8")
    values = re.findall(r'name="govxl\.unit"[^>]*><vt:lpwstr>([^<]*)</vt:lpwstr>', custom)
    assert values == ["区" + "😀" * 127], values  # 1 + 2 × 127 = 255 units: the next emoji would split
    figures = read_return(path)
    assert getattr(figures, "unit", None) == unit
