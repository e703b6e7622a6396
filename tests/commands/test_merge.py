"""`govxl merge` on the bundled samples and on generated returns."""

from __future__ import annotations

import json
import os
import random
import shutil
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from govxl.editions import edition_by_id
from govxl.editions.rules import Severity
from govxl.errors import UsageError
from govxl.excel.template_book import build_template
from govxl.merge import MERGED_STATUSES, Status, merge, write_outputs
from govxl.synth import consistent_values
from tests.conftest import SAMPLES_2020, SAMPLES_2021, WHEN
from tests.helpers import find_text, sheet_values

NEW = edition_by_id("2021")

# The published figures of 牡丹江市西安区's 2020 report (shared/reference/000_df20fa1b9dca726d.txt).
REFERENCE_2020 = {
    "t2.regulations.new_made": 0, "t2.regulations.new_published": 0, "t2.regulations.total_published": 0,
    "t2.normative.new_made": 0, "t2.normative.new_published": 0, "t2.normative.total_published": 4,
    "t2.licensing.prev_items": 42, "t2.licensing.delta": 0, "t2.licensing.decisions": 8086,
    "t2.other_services.prev_items": 357, "t2.other_services.delta": 0, "t2.other_services.decisions": 24988,
    "t2.penalty.prev_items": 1016, "t2.penalty.delta": -684, "t2.penalty.decisions": 2,
    "t2.coercion.prev_items": 52, "t2.coercion.delta": -25, "t2.coercion.decisions": 0,
    "t2.fees.prev_items": 0, "t2.fees.delta": 0,
    "t2.procurement.projects": 107, "t2.procurement.amount": 6733.41375,
}  # fmt: skip


def test_2020_merged_tables_equal_the_published_report(merged_2020) -> None:  # type: ignore[no-untyped-def]
    path, result = merged_2020
    assert len(result.units) == 13 and result.errors == []
    from govxl.layout import layouts

    edition = edition_by_id("2019")
    grids = sheet_values(path)
    expected = dict.fromkeys((c.key for lay in layouts(edition) for c in lay.cells), 0)
    expected.update(REFERENCE_2020)
    expected.update({"t3.new_received.natural": 1, "t3.new_received.total": 1, "t3.granted.natural": 1})
    expected.update({"t3.granted.total": 1, "t3.total.natural": 1, "t3.total.total": 1})
    for lay in layouts(edition):
        for cell in lay.cells:
            shown = grids[lay.sheet][cell.row][cell.col]
            assert shown == pytest.approx(expected[cell.key]), cell.key


def test_2020_blank_review_cells_are_hints_not_errors(merged_2020) -> None:  # type: ignore[no-untyped-def]
    _, result = merged_2020
    blanks = [f for f in result.hints if f.rule == "C3" and f.key.startswith("t4.review.")]
    assert {f.unit for f in blanks} == {"西安区司法局"} and len(blanks) == 5  # all five, as in the report
    amount = [f for f in result.hints if f.key == "t2.procurement.amount"]
    assert [f.rule for f in amount] == ["C4"] and amount[0].unit == "西安区财政局"


def test_2021_every_file_is_accounted_for(merged_2021) -> None:  # type: ignore[no-untyped-def]
    _, result = merged_2021
    status = {Path(e.shown).name: e.status for e in result.files}
    assert len(status) == 21  # the lock file is not a return; the README is listed, not read
    assert status["README.md"] == Status.NOT_READ
    assert status["区民政局.xlsx"] == status["区民政局（更正）.xlsx"] == Status.DUPLICATE
    assert status["区退役军人事务局.xlsx"] == Status.REJECTED
    for name in ("区应急管理局.xlsx", "区农业农村局.xlsx", "说明.xlsx", "联络员通讯录.xlsx"):
        assert status[name] == Status.UNREADABLE
    assert sum(1 for s in status.values() if s in MERGED_STATUSES) == len(result.units) == 13
    assert any("~$区财政局.xlsx" in i for i in result.ignored)


def test_2021_roster_status(merged_2021) -> None:  # type: ignore[no-untyped-def]
    _, result = merged_2021
    lines = {line.unit: line.status for line in result.lines}
    assert lines["区档案馆"] == Status.MISSING
    assert lines["区民政局"] == Status.DUPLICATE
    assert lines["区应急管理局"] == Status.UNREADABLE  # known by its file name
    assert lines["区退役军人事务局"] == Status.REJECTED
    assert lines["滨河街道办事处"] == Status.NOT_ON_ROSTER
    assert lines["区人民政府办公室"] == Status.MERGED
    missing = [f for f in result.errors if f.rule == "F5"]
    assert [f.message for f in missing] == ["名单中的“区档案馆”没有报送报表（缺报），汇总数中不含该单位"]


def test_duplicates_are_never_both_counted(merged_2021) -> None:  # type: ignore[no-untyped-def]
    _, result = merged_2021
    assert "区民政局" not in {u.unit for u in result.units}
    dup = [f for f in result.errors if f.rule == "F3"]
    assert len(dup) == 2 and all("区民政局（更正）.xlsx" in f.message for f in dup)


def test_json_findings(merged_2021) -> None:  # type: ignore[no-untyped-def]
    result = merged_2021.result
    data = json.loads(merged_2021.json.read_text(encoding="utf-8"))
    assert len(data["findings"]) == len(result.findings)
    swap = next(f for f in data["findings"] if f["unit"] == "区住房和城乡建设局" and f["rule"] == "A1")
    assert {k: swap[k] for k in ("sheet", "cell", "severity", "expected", "actual")} == {
        "sheet": "表三", "cell": "D5", "severity": "错误", "expected": "65", "actual": "47"
    }  # fmt: skip
    for f in data["findings"]:
        assert set(f) >= {"file", "unit", "sheet", "cell", "rule", "severity", "message", "expected", "actual"}


def test_merged_workbook_structure(merged_2021) -> None:  # type: ignore[no-untyped-def]
    path, result = merged_2021
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [
        "汇总说明",
        "表二",
        "表三",
        "表四",
        "表二明细",
        "表三明细",
        "表四明细",
        "校验结果",
        "图表",
        "_govxl",
    ]
    t3 = wb["表三"]
    assert t3["D5"].value == "=SUM('表三明细'!D5:D17)"  # a live sum over the 13 unit rows
    detail = wb["表三明细"]
    assert detail["B5"].value == result.units[0].unit
    assert detail["J5"].value == "=SUM(D5:I5)"  # the department's own total formula stays live
    t4 = wb["表四明细"]
    row = next(r for r in range(5, 18) if t4.cell(r, 2).value == "区自然资源局")
    assert t4.cell(row, 8).value == 3  # a total the department typed (wrongly) stays as typed
    findings = wb["校验结果"]
    links = [c.hyperlink.location for row in findings.iter_rows(min_row=3) for c in row if c.hyperlink]
    assert links and all(link.startswith("'表") for link in links)
    comments = [c.comment.text for row in detail.iter_rows() for c in row if c.comment]
    assert any("A1" in text and "区住房和城乡建设局" in text for text in comments)
    cover = sheet_values(path)["汇总说明"]
    r, c = find_text(cover, "填报单位")
    assert cover[r][c + 2] == "某某区"


def test_a_merged_workbook_is_a_valid_input(merged_2020, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path, first = merged_2020
    city = merge([path], when=WHEN)
    assert [u.unit for u in city.units] == ["西安区"]
    assert city.totals == pytest.approx(first.totals)


def test_refuses_to_write_over_an_input(tmp_path: Path) -> None:
    src = tmp_path / "a.xlsx"
    shutil.copy(next(SAMPLES_2020.glob("*.xlsx")), src)
    with pytest.raises(UsageError, match="也是输入文件之一"):
        merge([src], outputs=[src])


def test_output_inside_the_input_folder_is_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "回收"
    shutil.copytree(SAMPLES_2020, folder)
    out = folder / "汇总.xlsx"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    for _ in range(2):
        result = merge([folder], outputs=[out], when=WHEN)
        write_outputs(result, out)
        assert len(result.units) == 13
    after = {p.name: p.read_bytes() for p in folder.iterdir() if p.name != "汇总.xlsx"}
    assert after == before  # inputs untouched


def test_same_inputs_same_bytes_whatever_the_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    names = sorted(p.name for p in SAMPLES_2021.iterdir())
    outs = []
    for folder, order in ((tmp_path / "a", names), (tmp_path / "b", names[::-1])):
        folder.mkdir()
        for name in order:  # created in opposite orders
            shutil.copy2(SAMPLES_2021 / name, folder / name)
        monkeypatch.chdir(folder)  # shown paths are relative to where the command runs
        result = merge([Path(".")], roster=Path("单位名单.txt"), when=WHEN)
        out = tmp_path / f"{folder.name}.xlsx"
        write_outputs(result, out)
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]


def test_time_shown_comes_from_the_inputs(tmp_path: Path) -> None:
    """The newest save time recorded inside the returns: copying or touching the files changes nothing."""
    folder = tmp_path / "r"
    shutil.copytree(SAMPLES_2020, folder)
    stamp = datetime(2024, 5, 6, 7, 8).timestamp()
    for p in folder.iterdir():
        os.utime(p, (stamp, stamp))
    result = merge([folder])
    assert result.time_label == "数据截至（最新一份报表的保存时间）"
    assert result.time_text == "2020-01-01 08:00"  # the samples were saved 2020-01-01T00:00Z
    assert merge([SAMPLES_2020]).time_text == result.time_text


def test_mixed_years_name_the_odd_files(tmp_path: Path) -> None:
    rng = random.Random(3)
    for i, year in enumerate((2022, 2022, 2023)):
        build_template(tmp_path / f"u{i}.xlsx", NEW, year, unit=f"单位{i}", values=consistent_values(NEW, rng))
    result = merge([tmp_path], when=WHEN)
    assert result.year == 2022 and len(result.units) == 2
    (odd,) = [f for f in result.errors if f.rule == "F6"]
    assert (
        odd.file.endswith("u2.xlsx") and odd.message == "该报表的报告年度为2023，与本次汇总的2022年度不一致，未计入汇总"
    )


def test_errors_in_a_unit_show_in_the_totals_too(tmp_path: Path) -> None:
    values = consistent_values(NEW, random.Random(9))
    values["t4.review.total"] = int(values["t4.review.total"]) + 2  # type: ignore[arg-type]
    build_template(tmp_path / "u.xlsx", NEW, 2022, unit="区甲局", values=values)
    result = merge([tmp_path], when=WHEN)
    b3 = [f for f in result.errors if f.rule == "B3"]
    assert [(f.unit, f.sheet, f.cell) for f in b3] == [("区甲局", "表四", "E5"), ("（汇总数）", "表四", "E5")]
    assert all(f.severity is Severity.ERROR for f in b3)


def test_no_spreadsheets_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "readme.txt").write_text("x", encoding="utf-8")
    with pytest.raises(UsageError, match="没有找到任何报表文件"):
        merge([tmp_path])


def test_nothing_usable_is_exit_2(tmp_path: Path) -> None:
    from govxl.errors import InputError

    (tmp_path / "a.xlsx").write_bytes(b"not a workbook")
    with pytest.raises(InputError, match="没有一份文件可以汇总") as e:
        merge([tmp_path])
    assert e.value.exit_code == 2 and "a.xlsx：无法读取" in str(e.value)


def test_a_status_is_a_closed_set_that_is_written_as_its_words() -> None:
    """Status is an Enum (a typo is an AttributeError, not a new status), yet shown, formatted, hashed and put in
    JSON as its Chinese words, so that the workbook, the JSON and the command line say the same as before."""
    from enum import Enum

    assert issubclass(Status, Enum)
    assert [str(s) for s in MERGED_STATUSES] == ["已报", "不在名单中"]
    assert f"{Status.MISSING}（缺2个）" == "缺报（缺2个）"
    assert json.dumps({"status": Status.DUPLICATE}, ensure_ascii=False) == '{"status": "重复"}'
    assert Status.UNREADABLE == "无法读取" and {"无法读取": 1}[Status.UNREADABLE] == 1
    assert len({s.value for s in Status}) == len(Status)  # no two statuses share their words
