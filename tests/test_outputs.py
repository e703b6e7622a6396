"""Outputs are all-or-nothing and their failures are explained in Chinese, naming the file the user gave."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from govxl.editions import edition_by_id
from govxl.excel.template import build_template
from govxl.synth import consistent_values
from tests.test_cli import run

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
    out.write_bytes(b"the old merged workbook")

    def locked(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied", str(src))  # what Windows says for a file Excel holds

    monkeypatch.setattr(os, "replace", locked)
    code, _, err = run(capsys, monkeypatch, "merge", str(inbox), "-o", str(out))
    assert code == 2
    assert f"无法写入 {out}" in err and "请先在Excel或WPS中关闭该文件" in err
    assert ".tmp" not in err  # never the temporary file's name
    assert out.read_bytes() == b"the old merged workbook" and _leftovers(tmp_path) == []


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
