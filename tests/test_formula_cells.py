"""A formula in an input cell is judged by its saved result, exactly as the same value typed would be."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from govxl.check import check_files
from govxl.editions import edition_by_id
from govxl.editions.rules import Severity
from govxl.excel.template import build_template
from govxl.synth import consistent_values
from tests.helpers import samples_module

NEW = edition_by_id("2021")
KEY = "t3.granted.natural"  # 表三（一）予以公开, 自然人: an input cell


def _with_cell(tmp_path: Path, body: str, attrs: str = "") -> Path:
    """A consistent return whose input cell KEY is replaced by ``<c …>{body}</c>``."""
    ms = samples_module()
    path = tmp_path / "测试局.xlsx"
    build_template(path, NEW, 2021, unit="区测试局", values=consistent_values(NEW, random.Random(3)))

    def edit(members):  # type: ignore[no-untyped-def]
        ref = ms._sheet_of(members, NEW, KEY)[1]
        ms._replace_cell(members, NEW, KEY, lambda s: f'<c r="{ref}"{s}{attrs}>{body}</c>')

    ms.rewrite_xlsx(path, [edit])
    return path


@pytest.mark.parametrize(
    ("body", "attrs", "expected"),
    [
        ("<f>5-8</f><v>-3</v>", "", "单元格是公式“=5-8”，计算结果为-3，不能为负数"),
        ("<f>10/4</f><v>2.5</v>", "", "单元格是公式“=10/4”，计算结果为2.5，应填写整数"),
        ('<f>"3"&amp;"件"</f><v>3件</v>', ' t="str"', '单元格是公式“="3"&"件"”，计算结果：“3件”不是数字'),
        ("<f>1/0</f><v>#DIV/0!</v>", ' t="e"', "错误值“#DIV/0!”"),
        ("<f>1+1</f><v></v>", "", "没有保存计算结果"),
        ("<f>1+1</f><v/>", "", "没有保存计算结果"),
        ("<f>1+1</f>", "", "没有保存计算结果"),
    ],
    ids=["negative", "decimal", "text", "error", "empty-v", "self-closed-v", "no-v"],
)
def test_a_formula_result_gets_the_error_its_value_would(tmp_path: Path, body: str, attrs: str, expected: str) -> None:
    fc = check_files([_with_cell(tmp_path, body, attrs)]).files[0]
    assert fc.ret is not None
    on_cell = [f for f in fc.findings if f.key == KEY and f.rule == "C1"]
    assert len(on_cell) == 1, fc.findings
    assert on_cell[0].severity is Severity.ERROR
    assert expected in on_cell[0].message
    assert fc.ret.cells[KEY].number == 0  # counted as 0, and said so by the error


def test_a_formula_with_a_good_result_is_read_as_that_number(tmp_path: Path) -> None:
    fc = check_files([_with_cell(tmp_path, "<f>2+3</f><v>5</v>")]).files[0]
    assert fc.ret is not None
    assert fc.ret.cells[KEY].number == 5
    assert not [f for f in fc.findings if f.key == KEY and f.rule == "C1"]


def test_an_empty_string_result_is_a_blank_not_a_lost_result(tmp_path: Path) -> None:
    fc = check_files([_with_cell(tmp_path, '<f>""</f><v></v>', ' t="str"')]).files[0]
    assert fc.ret is not None
    found = [f for f in fc.findings if f.key == KEY]
    assert [f.rule for f in found if f.rule == "C3"] == ["C3"]
    assert "计算结果为空" in found[0].message
