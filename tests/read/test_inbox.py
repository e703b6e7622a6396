"""Every file in the inbox is accounted for: read, or listed with its reason and what to do."""

from __future__ import annotations

import random
import shutil
import zipfile
from pathlib import Path

import pytest

from govxl.check import check_files
from govxl.editions import edition_by_id
from govxl.errors import UsageError
from govxl.excel.annotate import annotate_all
from govxl.excel.template_book import build_template
from govxl.merge import Status, merge
from govxl.read.workbook import read_return
from govxl.synth import consistent_values
from tests.conftest import ROOT

NEW = edition_by_id("2021")
ODS = ROOT / "tests" / "data" / "区教育局.ods"  # samples/2021/区教育局.xlsx saved as .ods by LibreOffice Calc


def _return(folder: Path, unit: str, seed: int) -> Path:
    path = folder / f"{unit}.xlsx"
    build_template(path, NEW, 2021, unit=unit, values=consistent_values(NEW, random.Random(seed)))
    return path


def _inbox(tmp_path: Path) -> Path:
    inbox = tmp_path / "回收报表"
    inbox.mkdir()
    _return(inbox, "区财政局", 1)
    _return(inbox, "区民政局", 2)
    shutil.copy(ODS, inbox / "区教育局.ods")
    (inbox / "区司法局.et").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    (inbox / "区统计局.csv").write_text("单位,数量\n区统计局,3\n", encoding="utf-8")
    with zipfile.ZipFile(inbox / "区农业农村局.zip", "w") as zf:
        zf.writestr("区农业农村局.xlsx", b"")
    (inbox / "报送说明.docx").write_bytes(b"PK\x03\x04")
    (inbox / "盖章页.pdf").write_bytes(b"%PDF-1.4\n")
    (inbox / "扫描件.jpg").write_bytes(b"\xff\xd8\xff")
    (inbox / "Thumbs.db").write_bytes(b"\x00")
    return inbox


def test_every_file_in_the_inbox_is_accounted_for(tmp_path: Path) -> None:
    result = merge([_inbox(tmp_path)], name="区")
    status = {Path(e.shown).name: e for e in result.files}
    assert {name: e.status for name, e in status.items()} == {
        "区财政局.xlsx": Status.MERGED,
        "区民政局.xlsx": Status.MERGED,
        "区教育局.ods": Status.MERGED,
        "区司法局.et": Status.UNREADABLE,
        "区统计局.csv": Status.UNREADABLE,
        "区农业农村局.zip": Status.UNREADABLE,
        "报送说明.docx": Status.NOT_READ,
        "盖章页.pdf": Status.NOT_READ,
        "扫描件.jpg": Status.NOT_READ,
    }
    assert "请用WPS打开后“另存为”Excel工作簿（.xlsx）" in status["区司法局.et"].reason
    assert "请解压后" in status["区农业农村局.zip"].reason
    assert any("Thumbs.db" in text for text in result.ignored)
    by_file = {Path(f.file).name: f for f in result.findings if f.file}
    assert by_file["区司法局.et"].is_error and by_file["区农业农村局.zip"].is_error
    assert not by_file["报送说明.docx"].is_error and by_file["报送说明.docx"].rule == "F9"


def test_an_ods_return_reads_as_the_same_figures_as_the_xlsx(tmp_path: Path) -> None:
    ods, xlsx = read_return(ODS), read_return(ROOT / "samples" / "2021" / "区教育局.xlsx")
    assert not hasattr(ods, "severity") and not hasattr(xlsx, "severity")
    assert ods.numbers() == xlsx.numbers()  # type: ignore[union-attr]
    assert ods.cells == xlsx.cells  # type: ignore[union-attr]  # the #REF! total is an error value in both
    assert ods.formula_keys == xlsx.formula_keys  # type: ignore[union-attr]


def test_a_folder_without_spreadsheets_names_every_file(tmp_path: Path) -> None:
    inbox = tmp_path / "收件"
    inbox.mkdir()
    (inbox / "区司法局.zip").write_bytes(b"PK\x05\x06" + bytes(18))
    (inbox / "报告.docx").write_bytes(b"PK\x03\x04")
    with pytest.raises(UsageError) as e:
        merge([inbox])
    assert "区司法局.zip：压缩包，未读取；请解压后" in str(e.value)
    assert "报告.docx：Word文档，未读取" in str(e.value)


def test_a_corrected_annotated_copy_alone_is_the_units_return(tmp_path: Path) -> None:
    work = tmp_path / "原件"
    work.mkdir()
    original = _return(work, "区财政局", 3)
    written, _ = annotate_all(check_files([original]), tmp_path / "退回")
    inbox = tmp_path / "回收"
    inbox.mkdir()
    _return(inbox, "区民政局", 4)
    shutil.copy(written[0], inbox / written[0].name)
    result = merge([inbox], name="区")
    assert sorted(u.unit for u in result.units) == ["区民政局", "区财政局"]
    notes = [f for f in result.hints if f.rule == "F10"]
    assert len(notes) == 1 and notes[0].unit == "区财政局" and "退回修改副本" in notes[0].message

    shutil.copy(original, inbox / original.name)  # the first version is back in the folder too: two returns
    again = merge([inbox], name="区")
    assert {Path(e.shown).name: e.status for e in again.files}[written[0].name] == Status.DUPLICATE
    assert [u.unit for u in again.units] == ["区民政局"]


def test_roster_names_match_without_remarks_and_near_misses_are_pointed_out(tmp_path: Path) -> None:
    inbox = tmp_path / "回收"
    inbox.mkdir()
    _return(inbox, "区财政局（盖章）", 5)
    _return(inbox, "区 民政局。", 6)
    _return(inbox, "区教体局", 7)
    roster = tmp_path / "名单.txt"
    roster.write_text("区财政局\n区民政局\n区教育局\n", encoding="utf-8")
    result = merge([inbox], roster=roster, name="区")
    status = {line.unit: line.status for line in result.lines}
    assert status == {
        "区财政局": Status.MERGED,
        "区民政局": Status.MERGED,
        "区教育局": Status.MISSING,
        "区教体局": "不在名单中",
    }
    near = {f.unit: f.message for f in result.hints if f.rule == "F8"}
    assert near["区教体局"].startswith("“区教体局”不在单位名单中，可能是名单中的“区教育局”")
    assert near["区教育局"].startswith("名单中的“区教育局”缺报，但收到了“区教体局”的报表")
    assert [u.unit for u in result.units if u.unit == "区教体局"]  # pointed out, never merged into 区教育局
    notes = {line.unit: line.note for line in result.lines}
    assert notes["区教育局"] == "可能是“区教体局”报送的报表" and notes["区教体局"] == "可能是名单中的“区教育局”"


def test_file_and_unit_statuses_agree_in_json(tmp_path: Path) -> None:
    import json

    from govxl.merge import write_outputs

    src = ROOT / "samples" / "2021"
    result = merge([src], roster=src / "单位名单.txt", name="区")
    write_outputs(result, tmp_path / "汇总.xlsx", tmp_path / "r.json")
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    files = {f["shown"]: f["status"] for f in data["files"]}
    for unit in data["units"]:
        for shown in unit["files"]:
            assert files[shown] == unit["status"], (unit["unit"], shown)
    assert any(u["status"] == "不在名单中" for u in data["units"])


def test_workbooks_without_their_extension_are_read(tmp_path: Path) -> None:
    inbox = tmp_path / "回收"
    inbox.mkdir()
    shutil.copy(_return(tmp_path, "区财政局", 8), inbox / "区财政局")  # the extension lost in an e-mail client
    shutil.copy(_return(tmp_path, "区民政局", 9), inbox / "区民政局.xltx")  # saved as a template
    result = merge([inbox], name="区")
    assert sorted(u.unit for u in result.units) == ["区民政局", "区财政局"]


def test_an_xls_return_says_error_values_cannot_be_told_from_blanks() -> None:
    # samples/2021/区教育局.xlsx saved as .xls by LibreOffice Calc: its #REF! total reads as a blank
    r = read_return(ROOT / "tests" / "data" / "区教育局.xls")
    assert not hasattr(r, "severity")
    notes = [f for f in r.findings if f.rule == "F13"]  # type: ignore[union-attr]
    assert len(notes) == 1 and "无法与真正的空白区分" in notes[0].message


def test_a_linked_folder_is_read_once(tmp_path: Path) -> None:
    inbox = tmp_path / "回收"
    inbox.mkdir()
    _return(inbox, "区财政局", 10)
    streets = tmp_path / "街道"
    streets.mkdir()
    _return(streets, "滨河街道办事处", 11)
    (inbox / "街道报表").symlink_to(streets, target_is_directory=True)
    (streets / "回到上级").symlink_to(inbox, target_is_directory=True)  # a loop must not run forever
    result = merge([inbox], name="区")
    assert sorted(u.unit for u in result.units) == ["区财政局", "滨河街道办事处"]
