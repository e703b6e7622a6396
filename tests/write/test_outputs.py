"""Outputs are all-or-nothing and their failures are explained in Chinese, naming the file the user gave."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from govxl.editions import edition_by_id
from govxl.excel.template_book import build_template
from govxl.synth import consistent_values
from tests.apps.test_cli import run
from tests.conftest import ROOT

NEW = edition_by_id("2021")


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "收件"
    folder.mkdir()
    for i, unit in enumerate(("甲局", "乙局")):
        build_template(folder / f"{unit}.xlsx", NEW, 2021, unit=unit, values=consistent_values(NEW, random.Random(i)))
    return folder


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_a_json_that_cannot_be_written_leaves_no_workbook_either(
    inbox: Path, tmp_path: Path, capsys, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "不是文件夹"
    blocker.write_text("x", encoding="utf-8")
    out = tmp_path / "汇总.xlsx"
    code, _, err = run(capsys, monkeypatch, "merge", str(inbox), "-o", str(out), "--json", str(blocker / "r.json"))
    assert code == 2
    assert f"无法写入 {blocker / 'r.json'}" in err and "没有写入任何不完整的文件" in err
    assert not out.exists() and _leftovers(tmp_path) == []


def test_an_output_held_open_by_excel_says_close_it(inbox: Path, tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "汇总.xlsx"
    assert run(capsys, monkeypatch, "merge", str(inbox), "-o", str(out), "-n", "旧")[0] in (0, 1)
    old = out.read_bytes()  # last time's merged workbook, open in Excel

    def locked(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied", str(src))  # what Windows says for a file Excel holds

    monkeypatch.setattr(os, "replace", locked)
    code, _, err = run(capsys, monkeypatch, "merge", str(inbox), "-o", str(out))
    assert code == 2
    assert f"无法写入 {out}" in err and "请先在Excel或WPS中关闭该文件" in err
    assert ".tmp" not in err  # never the temporary file's name
    assert out.read_bytes() == old and _leftovers(tmp_path) == []


def test_a_name_too_long_is_explained(inbox: Path, tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / ("很长的文件名" * 60 + ".xlsx")
    code, _, err = run(capsys, monkeypatch, "merge", str(inbox), "-o", str(out))
    assert code == 2 and "文件名或路径过长" in err and "Errno" not in err


def test_output_naming_a_folder_writes_inside_it(inbox: Path, tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "结果"
    folder.mkdir()
    code, out, _ = run(capsys, monkeypatch, "merge", str(inbox), "-o", str(folder), "--name", "某区")
    assert code in (0, 1)
    assert (folder / "汇总.xlsx").is_file() and f"汇总表：{folder / '汇总.xlsx'}" in out


def test_the_merged_workbook_never_replaces_a_return(inbox: Path, tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    a_return = tmp_path / "区统计局.xlsx"
    a_return.write_bytes((inbox / "甲局.xlsx").read_bytes())
    before = a_return.read_bytes()
    code, _, err = run(capsys, monkeypatch, "merge", str(inbox), "-o", str(a_return))
    assert code == 2 and "不是 govxl 上次生成的汇总表" in err and a_return.read_bytes() == before
    merged = tmp_path / "汇总.xlsx"
    assert run(capsys, monkeypatch, "merge", str(inbox), "-o", str(merged), "-n", "区")[0] in (0, 1)
    assert run(capsys, monkeypatch, "merge", str(inbox), "-o", str(merged), "-n", "区")[0] in (0, 1)  # replaced


def test_output_and_json_cannot_be_one_file(inbox: Path, tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    same = tmp_path / "s.xlsx"
    code, _, err = run(capsys, monkeypatch, "merge", str(inbox), "-o", str(same), "--json", str(same))
    assert code == 2 and "不能是同一个文件" in err and not same.exists()


def test_templates_never_replace_a_filled_return(inbox: Path, tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from govxl.template import template_file_name

    roster = tmp_path / "名单.txt"
    roster.write_text("甲局\n乙局\n", encoding="utf-8")
    folder = tmp_path / "模板"
    assert run(capsys, monkeypatch, "template", "-y", "2021", "-r", str(roster), "-o", str(folder))[0] == 0
    assert run(capsys, monkeypatch, "template", "-y", "2021", "-r", str(roster), "-o", str(folder))[0] == 0  # blank
    filled = folder / template_file_name(2021, "乙局")
    filled.write_bytes((inbox / "乙局.xlsx").read_bytes())  # the department's return saved under the template's name
    other = folder / template_file_name(2021, "甲局")
    other.unlink()
    code, _, err = run(capsys, monkeypatch, "template", "-y", "2021", "-r", str(roster), "-o", str(folder))
    assert code == 2 and "不是空白模板" in err
    assert filled.read_bytes() == (inbox / "乙局.xlsx").read_bytes() and not other.exists()  # nothing written


def test_check_refuses_a_json_folder_before_writing_copies(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    root = ROOT
    copies = tmp_path / "退回"
    code, _, err = run(
        capsys, monkeypatch, "check", str(root / "samples" / "2021" / "区教育局.xlsx"), "--annotate", str(copies),
        "--json", str(tmp_path),
    )  # fmt: skip
    assert code == 2 and "是一个文件夹" in err and not copies.exists()
