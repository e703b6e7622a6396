"""A clerk's whole loop, level after level: times, re-runs, corrected copies, incomplete workbooks."""

from __future__ import annotations

import json
import random
import shutil
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from govxl.check import check_files
from govxl.editions import edition_by_id
from govxl.errors import InputError
from govxl.excel.annotate import annotate_all
from govxl.excel.template_book import build_template
from govxl.merge import Status, merge, write_outputs
from govxl.synth import consistent_values
from tests.apps.test_cli import run
from tests.conftest import SAMPLES_2020 as XIAN
from tests.conftest import SAMPLES_2021 as S2021
from tests.helpers import sheet_values

NEW = edition_by_id("2021")


def _cover_time(path: Path) -> str:
    return next(str(row[2]) for row in sheet_values(path)["汇总说明"] if "时间" in str(row[0]))


def test_the_time_on_the_cover_is_the_same_at_every_level(tmp_path: Path) -> None:
    city, province = tmp_path / "市", tmp_path / "省"
    city.mkdir()
    province.mkdir()
    write_outputs(merge([XIAN], name="西安区", when=datetime(2026, 1, 15, 10, 0)), city / "西安区.xlsx")
    write_outputs(merge([city], name="某市"), province / "某市.xlsx")
    write_outputs(merge([province], name="某省"), tmp_path / "某省.xlsx")
    assert [_cover_time(p) for p in (city / "西安区.xlsx", province / "某市.xlsx", tmp_path / "某省.xlsx")] == [
        "2026-01-15 10:00"
    ] * 3


def test_a_merge_run_again_replaces_its_own_json_inside_the_input_folder(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    inbox = tmp_path / "收件"
    shutil.copytree(XIAN, inbox)
    args = ("merge", str(inbox), "-o", str(inbox / "汇总.xlsx"), "--json", str(inbox / "汇总.json"), "-n", "西安区")
    assert run(capsys, monkeypatch, *args)[0] == 0
    assert run(capsys, monkeypatch, *args)[0] == 0


def test_districts_that_kept_the_default_name_are_told_to_use_name(tmp_path: Path) -> None:
    city = tmp_path / "市"
    (city / "甲").mkdir(parents=True)
    (city / "乙").mkdir()
    write_outputs(merge([XIAN], name="汇总"), city / "甲" / "汇总.xlsx")
    write_outputs(merge([XIAN], name="汇总"), city / "乙" / "汇总.xlsx")
    with pytest.raises(InputError) as e:  # nothing else to merge: the run says why for both
        merge([city], name="市")
    assert str(e.value).count("请各地用 --name 写明本单位名称") == 2


def test_a_merged_workbook_among_returns_has_a_status_of_its_own(tmp_path: Path, merged_2020) -> None:  # type: ignore[no-untyped-def]
    inbox = tmp_path / "收件"
    shutil.copytree(XIAN, inbox)
    shutil.copy(merged_2020.path, inbox / "上次汇总.xlsx")
    result = merge([inbox], name="西安区")
    assert {Path(e.shown).name: e.status for e in result.files}["上次汇总.xlsx"] == Status.MERGED_WORKBOOK
    assert result.completeness().rejected == 0


def test_unit_rows_count_their_own_findings(merged_2021) -> None:  # type: ignore[no-untyped-def]
    line = next(line for line in merged_2021.result.lines if line.status == Status.MISSING)
    assert line.errors == 1  # its 缺报 (F5)


def test_an_incomplete_merged_workbook_is_not_passed_by_check_or_report(
    tmp_path: Path, capsys, monkeypatch, merged_2021
) -> None:  # type: ignore[no-untyped-def]
    merged = merged_2021.path
    fc = check_files([merged]).files[0]
    assert any(f.rule == "F7" and "缺报1个单位" in f.message for f in fc.findings)
    code, out, _ = run(capsys, monkeypatch, "report", str(merged), "-o", str(tmp_path / "r.md"))
    assert code == 1 and "汇总表不完整" in out


def test_no_edited_total_hint_on_govxls_own_merged_workbook(merged_2021) -> None:  # type: ignore[no-untyped-def]
    assert not [f for f in check_files([merged_2021.path]).findings if f.rule == "C15"]


def test_a_blamed_typed_total_says_what_to_check_if_it_is_right() -> None:
    fc = check_files([S2021 / "区自然资源局.xlsx"]).files[0]
    located = [f for f in fc.findings if f.rule == "L1"]
    assert any("若此总计无误，则是相关各项中有数字填错" in f.message for f in located)


def test_annotating_a_corrected_copy_clears_last_rounds_marks(tmp_path: Path) -> None:
    src = tmp_path / "区住建局.xlsx"
    values = consistent_values(NEW, random.Random(4))
    values["t3.granted.natural"] = int(values["t3.granted.natural"]) + 5  # type: ignore[arg-type]
    build_template(src, NEW, 2021, unit="区住建局", values=values)
    (first,), _ = annotate_all(check_files([src]), tmp_path / "一")
    wb = openpyxl.load_workbook(first)
    marked = [(ws.title, c.coordinate) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.comment]
    assert marked
    corrected = tmp_path / "改" / first.name
    corrected.parent.mkdir()
    shutil.copy(first, corrected)
    again, _ = annotate_all(check_files([corrected]), tmp_path / "二")
    assert [p.name for p in again] == [first.name]  # not …_退回修改_退回修改
    wb = openpyxl.load_workbook(again[0])
    notes = [c.comment.text for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.comment]
    assert all(text.count("【") == len(set(text.split("\n【"))) for text in notes)  # no note written twice


def test_json_and_cover_agree_on_every_file(merged_2021) -> None:  # type: ignore[no-untyped-def]
    path, result = merged_2021
    data = json.loads(merged_2021.json.read_text(encoding="utf-8"))
    assert sum(u["errors"] for u in data["units"]) <= len(result.errors)
    cover = sheet_values(path)["汇总说明"]
    for f in data["files"]:
        assert any(f["shown"] in str(row[3]) for row in cover), f["shown"]


def test_an_output_with_another_extension_is_refused(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(capsys, monkeypatch, "merge", str(XIAN), "-o", str(tmp_path / "x.csv"))
    assert code == 2 and "只能保存为 .xlsx" in err and not (tmp_path / "x.csv.xlsx").exists()


def test_small_things_in_the_merged_workbook(merged_2021) -> None:  # type: ignore[no-untyped-def]
    out = merged_2021.path
    cover = sheet_values(out)["汇总说明"]
    duplicate = next(row for row in cover if row[1] == "区民政局")
    assert duplicate[2] == "重复" and str(duplicate[6]).count("同一填报单位") == 1  # its reason once, not per file
    wb = openpyxl.load_workbook(out)
    ws = wb["表四明细"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value == "区司法局")
    notes = [c.comment.text for c in ws[row] if c.comment]
    assert any("没有保存计算结果" in n and "按各项之和" in n for n in notes)  # the total without a saved result
    findings = wb["校验结果"]
    unreadable = [r for r in findings.iter_rows(min_row=3, values_only=True) if r[6] == "F1"]
    assert unreadable and all(r[3] for r in unreadable)  # each names its file
