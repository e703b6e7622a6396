"""Reading returns as they really come back: every kind of bad value, with its exact message and cell."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest

from govxl.editions import edition_by_id
from govxl.editions.rules import Severity
from govxl.excel.template_book import build_template
from govxl.merge import merge
from govxl.read.workbook import read_return
from govxl.results.figures import Figures
from govxl.results.findings import Finding
from govxl.sheetnames import META_SHEET
from govxl.synth import consistent_values
from tests.helpers import rewrite, samples_module

OLD, NEW = edition_by_id("2019"), edition_by_id("2021")


def _return(tmp_path: Path, edition=NEW, year: int = 2021, **values: object) -> Path:  # type: ignore[no-untyped-def]
    figures = consistent_values(edition, random.Random(7))
    figures.update({k.replace("__", "."): v for k, v in values.items()})  # type: ignore[misc]
    path = tmp_path / "测试局.xlsx"
    build_template(path, edition, year, unit="区测试局", values=figures)
    return path


def _cell_findings(path: Path) -> list[Finding]:
    result = merge([path])
    return [f for f in result.findings if f.key and f.rule in ("C1", "C2", "C3", "C4")]


LICENSING = "表二“行政许可”“本年处理决定数量”："


@pytest.mark.parametrize(
    ("raw", "severity", "rule", "message"),
    [
        ("12", Severity.HINT, "C1", "数字“12”以文本形式填写，已按12读取；请在单元格中直接填写数字"),
        ("１２", Severity.HINT, "C1", "数字“１２”以文本形式填写，已按12读取；请在单元格中直接填写数字"),
        ("1,234", Severity.HINT, "C1", "数字“1,234”以文本形式填写，已按1234读取；请在单元格中直接填写数字"),
        (" 7 ", Severity.HINT, "C1", "数字“ 7 ”以文本形式填写，已按7读取；请在单元格中直接填写数字"),
        ("/", Severity.HINT, "C3", "填写了“/”，按不适用计为0；没有数据请填写0"),
        ("—", Severity.HINT, "C3", "填写了“—”，按不适用计为0；没有数据请填写0"),
        ("-", Severity.HINT, "C3", "填写了“-”，按不适用计为0；没有数据请填写0"),
        ("无", Severity.HINT, "C3", "填写了“无”，按不适用计为0；没有数据请填写0"),
        (None, Severity.HINT, "C3", "单元格为空，按0计算；没有数据请填写0"),
        ("见附件", Severity.ERROR, "C1", "“见附件”不是数字，请填写非负整数"),
        (-3, Severity.ERROR, "C1", "填写了-3，不能为负数"),
        (2.5, Severity.ERROR, "C1", "填写了2.5，应填写整数"),
        (
            date(2021, 1, 2),
            Severity.ERROR,
            "C1",
            "单元格是日期“2021-01-02”（输入“1-2”之类的内容会被Excel自动转换为日期），请改为填写数字",
        ),
    ],
)
def test_value_kinds(tmp_path: Path, raw: object, severity: Severity, rule: str, message: str) -> None:
    path = _return(tmp_path, t2__licensing__decisions=raw)
    (f,) = _cell_findings(path)
    assert (f.severity, f.rule, f.sheet, f.cell) == (severity, rule, "表二", "B8")
    assert f.message == LICENSING + message
    assert f.file == str(path) and f.unit == "区测试局"


def test_converted_values_are_summed(tmp_path: Path) -> None:
    path = _return(tmp_path, t2__licensing__decisions="1,234")
    result = merge([path])
    assert result.totals["t2.licensing.decisions"] == 1234


@pytest.mark.parametrize(
    ("raw", "wan", "message"),
    [
        ("251000元", 25.1, "金额填写为“251000元”，已换算为25.1万元读取；请只填以万元为单位的数字"),
        ("38.5万元", 38.5, "金额填写为“38.5万元”，已按38.5万元读取；请只填以万元为单位的数字"),
    ],
)
def test_amount_with_unit(tmp_path: Path, raw: str, wan: float, message: str) -> None:
    path = _return(tmp_path, t2__fees__amount=raw)
    result = merge([path])
    (f,) = [f for f in result.findings if f.key == "t2.fees.amount"]
    assert (f.severity, f.rule, f.cell) == (Severity.HINT, "C4", "B15")
    assert f.message == "表二“行政事业性收费”“本年收费金额（单位：万元）”：" + message
    assert result.totals["t2.fees.amount"] == wan


def test_old_procurement_amount_with_unit(tmp_path: Path) -> None:
    path = _return(tmp_path, OLD, 2020, t2__procurement__amount="6733.41375万元")
    result = merge([path])
    assert result.totals["t2.procurement.amount"] == 6733.41375
    (f,) = [f for f in result.findings if f.key == "t2.procurement.amount"]
    assert f.cell == "C19" and f.rule == "C4"


def test_error_value_and_uncached_formula(tmp_path: Path) -> None:
    samples = samples_module()
    path = _return(tmp_path)
    samples.rewrite_xlsx(
        path,
        [
            samples.error_value(NEW, "t3.new_received.natural"),
            samples.uncached_formula(NEW, "t4.review.total", "SUM(A5:D5)"),
        ],
    )
    found = {(f.sheet, f.cell): f.message for f in _cell_findings(path)}
    assert found == {
        ("表三", "D5"): "表三“一、本年新收政府信息公开申请数量”“自然人”："
        "单元格是错误值“#REF!”（公式引用失效或计算出错），请改为填写数字",
        ("表四", "E5"): "表四“行政复议·总计”：单元格是公式“=SUM(A5:D5)”但文件中没有保存计算结果，"
        "请在Excel或WPS中打开、确认数字后重新保存；汇总时此总计按各项之和3计算",
    }


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "无法读取：文件是空的（0字节）"),
        (
            "单位,数量\n区财政局,3\n".encode("gb18030"),
            "无法读取：不是 Excel 文件（是文本或 CSV 文件被改成了 .xlsx 扩展名），",
        ),
        ("这是一份说明".encode(), "无法读取：不是 Excel 文件（是文本文件），请确认报送的是报表文件"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
            "无法读取：文件设置了打开密码（已加密），无法读取，请对方取消密码后重新报送",
        ),
    ],
)
def test_unreadable_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "坏文件.xlsx"
    path.write_bytes(content)
    result = read_return(path)
    assert isinstance(result, Finding) and result.rule == "F1" and result.severity is Severity.ERROR
    assert result.message.startswith(message)


def test_truncated_file(tmp_path: Path) -> None:
    path = _return(tmp_path)
    path.write_bytes(path.read_bytes()[:3000])
    result = read_return(path)
    assert isinstance(result, Finding)
    assert result.message == "无法读取：文件已损坏（可能没有完整发送或下载），请对方重新发送"


def test_not_a_report(tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "通讯录.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet("通讯录").write_row(0, 0, ["姓名", "电话"])
    wb.close()
    result = read_return(path)
    assert isinstance(result, Finding) and result.rule == "F2"
    assert result.message == "不是年报统计表：没有找到表二、表三、表四（请确认对方报送的是本次下发的模板）"


def test_missing_table(tmp_path: Path) -> None:
    path = rewrite(_return(tmp_path), tmp_path / "缺表.xlsx", drop=("表四",))
    result = read_return(path)
    assert isinstance(result, Finding) and result.rule == "F2"
    assert result.message.startswith("缺少表四（四、政府信息公开行政复议、行政诉讼情况）")


def _same_values(a: Figures, b: Figures) -> None:
    assert {k: c.number for k, c in a.cells.items()} == {k: c.number for k, c in b.cells.items()}


@pytest.mark.parametrize(
    "change",
    [
        {"rename": {"表三": "Sheet3", "表二": "主动公开"}},
        {"order": ["表四", "填报说明", "表三", "表二", META_SHEET]},
        {"drop": (META_SHEET,)},
        {"insert_rows": {"表三": (0, 3), "表二": (0, 1)}},
        {"insert_cols": {"表三": (0, 2), "表四": (0, 1)}},
        {"insert_rows": {"表三": (12, 1)}},  # a row inserted inside the table
    ],
    ids=["renamed", "reordered", "no-metadata", "rows-above", "columns-beside", "row-inside"],
)
def test_tables_found_by_their_labels(tmp_path: Path, change: dict) -> None:  # type: ignore[type-arg]
    original = read_return(_return(tmp_path))
    changed = read_return(rewrite(_return(tmp_path), tmp_path / "改.xlsx", **change))
    assert isinstance(original, Figures) and isinstance(changed, Figures)
    _same_values(original, changed)
    assert changed.unit == "区测试局" and changed.year == 2021 and changed.edition is NEW


def test_inserted_rows_move_the_reported_cell(tmp_path: Path) -> None:
    path = _return(tmp_path, t3__granted__natural="见附件")
    moved = rewrite(path, tmp_path / "移.xlsx", insert_rows={"表三": (0, 2)}, insert_cols={"表三": (0, 1)})
    (f,) = [f for f in _cell_findings(moved) if f.key == "t3.granted.natural"]
    assert (f.sheet, f.cell) == ("表三", "E9")  # D7 moved two rows down and one column right


def test_other_edition_is_reported_not_misread(tmp_path: Path) -> None:
    old_template = _return(tmp_path, OLD, 2021)
    result = read_return(old_template)
    assert isinstance(result, Figures) and result.edition is OLD
    (tmp_path / "new").mkdir()
    fresh = _return(tmp_path / "new", NEW, 2021)
    merged = merge([old_template, fresh], year=2021)
    assert [u.unit for u in merged.units] == ["区测试局"]
    (f,) = [f for f in merged.errors if f.file == str(old_template)]
    assert f.rule == "C14"
    assert f.message == (
        "该报表使用的是2019年试行格式的表格，与2021年度应使用的2021年格式不符（套用旧模板），"
        "未计入汇总；请对方使用2021年度模板重新填报"
    )


def test_variant_punctuation_is_accepted(tmp_path: Path) -> None:
    path = _return(tmp_path)
    grid_path = rewrite(path, tmp_path / "v.xlsx")
    import openpyxl

    wb = openpyxl.load_workbook(grid_path)
    ws = wb["表三"]
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, str) and c.value.startswith(("1.申请人", "2.申请人")):
                c.value = c.value.replace("、", "，")
            if isinstance(c.value, str) and c.value == "（一）予以公开":
                c.value = "(一) 予以公开"  # half-width brackets and a space, as published reports often have
    wb.save(grid_path)
    result = read_return(grid_path)
    assert isinstance(result, Figures) and result.findings == ()
