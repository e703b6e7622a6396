"""`govxl check` judges what it is given: the wrong edition, an unfilled return, a hostile file in a folder."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

from govxl.check import check_files
from govxl.editions import edition_by_id
from govxl.excel.annotate import annotate_all
from govxl.excel.template_book import build_template
from govxl.synth import consistent_values
from tests.apps.test_cli import run

OLD, NEW = edition_by_id("2019"), edition_by_id("2021")


def _return(folder: Path, unit: str, seed: int, edition=NEW, year: int = 2021) -> Path:  # type: ignore[no-untyped-def]
    folder.mkdir(exist_ok=True)
    path = folder / f"{unit}.xlsx"
    build_template(path, edition, year, unit=unit, values=consistent_values(edition, random.Random(seed)))
    return path


def test_the_old_template_for_the_year_asked_is_an_error(tmp_path: Path) -> None:
    old = _return(tmp_path, "甲局", 1, OLD, 2020)
    fc = check_files([old], year=2021).files[0]
    assert [f.rule for f in fc.findings if f.is_error][:1] == ["C14"]
    assert "套用旧模板" in fc.findings[0].message


def test_the_old_template_among_new_returns_is_an_error(tmp_path: Path) -> None:
    folder = tmp_path / "收件"
    _return(folder, "甲局", 1, OLD, 2020)
    _return(folder, "乙局", 2)
    _return(folder, "丙局", 3)
    by_unit = {fc.ret.unit: fc for fc in check_files([folder]).files if fc.ret}
    assert [f.rule for f in by_unit["甲局"].findings if f.is_error] == ["C14"]
    assert "套用旧模板" in by_unit["甲局"].findings[0].message
    assert not by_unit["乙局"].errors


def test_an_unfilled_return_is_an_error_not_a_pass(tmp_path: Path) -> None:
    blank = tmp_path / "空白.xlsx"
    build_template(blank, NEW, 2021, unit="乙局")
    fc = check_files([blank]).files[0]
    assert [(f.severity.value, f.rule) for f in fc.findings] == [("错误", "F11")]
    assert "报表未填写" in fc.findings[0].message


def test_annotate_skips_a_hostile_file_and_annotates_the_rest(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "收件"
    good = _return(folder, "甲局", 4)
    bad = folder / "乙局.xlsx"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(bad, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "docProps/core.xml":
                data = data.replace(b"?>", b'?><!DOCTYPE x [<!ENTITY a "aaaa">]>', 1)
            zout.writestr(info, data)
    blank = folder / "丙局.xlsx"
    build_template(blank, NEW, 2021, unit="丙局")
    out = tmp_path / "退回"
    code, printed, _ = run(capsys, monkeypatch, "check", str(folder), "--annotate", str(out))
    assert code == 1
    assert "DOCTYPE" in printed and "乙局.xlsx" in printed
    assert sorted(p.name for p in out.iterdir()) == ["丙局_退回修改.xlsx"]
    result = check_files([folder])
    written, skipped = annotate_all(result, tmp_path / "退回2")
    assert [Path(s).name for s, _ in skipped] == ["乙局.xlsx"] and len(written) == 1


def _two_sheets_for_table_three(tmp_path: Path, *, hide_first: bool) -> Path:
    import xlsxwriter

    from tests.helpers import sheet_values

    src = _return(tmp_path / "src", "甲局", 5)
    grids = sheet_values(src)
    path = tmp_path / "两张表三.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    for name, source, changed, hidden in [
        ("填报说明", "填报说明", False, False),
        ("表二", "表二", False, False),
        ("表三", "表三", False, hide_first),
        ("表三（修改）", "表三", True, False),
        ("表四", "表四", False, False),
    ]:
        ws = wb.add_worksheet(name)
        for r, row in enumerate(grids[source]):
            for c, v in enumerate(row):
                if isinstance(v, str) and v:
                    ws.write_string(r, c, v)
                elif isinstance(v, float):
                    ws.write_number(r, c, v + (10 if changed and (r, c) in ((4, 3), (4, 9)) else 0))
        if hidden:
            ws.hide()
    wb.close()
    return path


def test_a_hidden_old_copy_of_a_table_is_not_read(tmp_path: Path) -> None:
    fc = check_files([_two_sheets_for_table_three(tmp_path, hide_first=True)]).files[0]
    assert fc.ret is not None and fc.ret.refs["t3.new_received.natural"][0] == "表三（修改）"
    notes = [f for f in fc.findings if f.rule == "F12"]
    assert len(notes) == 1 and not notes[0].is_error and "隐藏的工作表“表三”" in notes[0].message


def test_two_visible_copies_of_a_table_are_an_error(tmp_path: Path) -> None:
    fc = check_files([_two_sheets_for_table_three(tmp_path, hide_first=False)]).files[0]
    assert fc.ret is not None and fc.ret.refs["t3.new_received.natural"][0] == "表三"  # the official name first
    errors = [f for f in fc.findings if f.rule == "F12"]
    assert len(errors) == 1 and errors[0].is_error and "“表三”“表三（修改）”" in errors[0].message
