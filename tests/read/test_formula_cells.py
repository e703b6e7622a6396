"""A formula in an input cell is judged by its saved result, exactly as the same value typed would be."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from govxl.check import check_files
from govxl.editions import edition_by_id
from govxl.editions.rules import Severity
from govxl.excel.template_book import build_template
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


@pytest.mark.parametrize(
    ("body", "attrs_first", "expected"),
    [
        ("<f>B9+1</f>", True, "没有保存计算结果"),
        ("<f>#REF!</f><v>#REF!</v>", True, "错误值“#REF!”"),
    ],
)
def test_cells_are_found_whatever_the_attribute_order(
    tmp_path: Path, body: str, attrs_first: bool, expected: str
) -> None:
    ms = samples_module()
    path = tmp_path / "测试局.xlsx"
    build_template(path, NEW, 2021, unit="区测试局", values=consistent_values(NEW, random.Random(3)))
    error = ' t="e"' if "#REF" in body else ""

    def edit(members):  # type: ignore[no-untyped-def]
        ref = ms._sheet_of(members, NEW, KEY)[1]
        ms._replace_cell(members, NEW, KEY, lambda s: f'<c{s}{error} r="{ref}">{body}</c>')  # r= last

    ms.rewrite_xlsx(path, [edit])
    fc = check_files([path]).files[0]
    assert any(f.key == KEY and f.is_error and expected in f.message for f in fc.findings), fc.findings


def test_a_doctype_behind_a_long_comment_is_refused(tmp_path: Path) -> None:
    import zipfile

    src = _with_cell(tmp_path, "<v>1</v>")
    with zipfile.ZipFile(src) as z:
        members = {i.filename: z.read(i) for i in z.infolist()}
    core = members["docProps/core.xml"]
    at = core.index(b"?>") + 2
    members["docProps/core.xml"] = core[:at] + b"<!--" + b" " * 5000 + b'--><!DOCTYPE x [<!ENTITY a "1">]>' + core[at:]
    bad = tmp_path / "坏.xlsx"
    with zipfile.ZipFile(bad, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    fc = check_files([bad]).files[0]
    assert fc.ret is None and "DOCTYPE" in fc.findings[0].message


def test_an_edited_total_formula_is_taken_as_shown_and_reported(tmp_path: Path) -> None:
    """A template total whose formula was changed (SUM over too few cells) shows 17 where its parts add to 18."""
    total = "t3.new_received.total"
    path = tmp_path / "测试局.xlsx"
    values = consistent_values(NEW, random.Random(3))
    values["t3.new_received.natural"] = 1  # so that the changed formula gives a different number
    build_template(path, NEW, 2021, unit="区测试局", values=values)
    ms = samples_module()
    before = check_files([path]).files[0].ret
    assert before is not None
    parts = before.numbers()[total]
    shown = parts - 1

    def edit(members):  # type: ignore[no-untyped-def]
        ref = ms._sheet_of(members, NEW, total)[1]
        ms._replace_cell(members, NEW, total, lambda s: f'<c r="{ref}"{s}><f>SUM(E5:I5)</f><v>{shown}</v></c>')

    ms.rewrite_xlsx(path, [edit])
    fc = check_files([path]).files[0]
    assert fc.ret is not None and fc.ret.numbers()[total] == shown  # never silently the sum of its parts
    c15 = [f for f in fc.findings if f.rule == "C15"]
    assert len(c15) == 1 and "公式可能被改动" in c15[0].message and c15[0].actual == str(int(shown))
    assert any(f.rule == "B1" and f.is_error for f in fc.findings)  # and the rule it breaks is an error
