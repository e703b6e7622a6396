"""Every label of both editions, verbatim, against the official formats (editions.md §3–§4)."""

from __future__ import annotations

import pytest

from govxl.editions import EDITIONS, edition_by_id, edition_for_year
from govxl.errors import UsageError
from govxl.layout import layouts

OLD, NEW = edition_by_id("2019"), edition_by_id("2021")

T3_ROWS_COMMON = [
    "一、本年新收政府信息公开申请数量",
    "二、上年结转政府信息公开申请数量",
    "三、本年度办理结果",
    "（一）予以公开",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "（三）不予公开",
    "1.属于国家秘密",
    "2.其他法律行政法规禁止公开",
    "3.危及“三安全一稳定”",
    "4.保护第三方合法权益",
    "5.属于三类内部事务信息",
    "6.属于四类过程性信息",
    "7.属于行政执法案卷",
    "8.属于行政查询事项",
    "（四）无法提供",
    "1.本机关不掌握相关政府信息",
    "2.没有现成信息需要另行制作",
    "3.补正后申请内容仍不明确",
    "（五）不予处理",
    "1.信访举报投诉类申请",
    "2.重复申请",
    "3.要求提供公开出版物",
    "4.无正当理由大量反复申请",
    "5.要求行政机关确认或重新出具已获取信息",
    "（六）其他处理",
]
T3_NEW_OTHER = [
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "3.其他",
]
T3_END = ["（七）总计", "四、结转下年度继续办理"]
T3_HEADER = [
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
    "申请人情况",
    "自然人",
    "法人或其他组织",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
    "总计",
]
T4_OUTCOMES = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
T4_LABELS = [
    "四、政府信息公开行政复议、行政诉讼情况",
    "行政复议",
    *T4_OUTCOMES,
    "行政诉讼",
    "未经复议直接起诉",
    *T4_OUTCOMES,
    "复议后起诉",
    *T4_OUTCOMES,
]

T2_OLD = [
    "二、主动公开政府信息情况",
    "第二十条第（一）项",
    "信息内容",
    "本年新制作数量",
    "本年新公开数量",
    "对外公开总数量",
    "规章",
    "规范性文件",
    "第二十条第（五）项",
    "信息内容",
    "上一年项目数量",
    "本年增/减",
    "处理决定数量",
    "行政许可",
    "其他对外管理服务事项",
    "第二十条第（六）项",
    "信息内容",
    "上一年项目数量",
    "本年增/减",
    "处理决定数量",
    "行政处罚",
    "行政强制",
    "第二十条第（八）项",
    "信息内容",
    "上一年项目数量",
    "本年增/减",
    "行政事业性收费",
    "第二十条第（九）项",
    "信息内容",
    "采购项目数量",
    "采购总金额",
    "政府集中采购",
]
T2_NEW = [
    "二、主动公开政府信息情况",
    "第二十条第（一）项",
    "信息内容",
    "本年制发件数",
    "本年废止件数",
    "现行有效件数",
    "规章",
    "行政规范性文件",
    "第二十条第（五）项",
    "信息内容",
    "本年处理决定数量",
    "行政许可",
    "第二十条第（六）项",
    "信息内容",
    "本年处理决定数量",
    "行政处罚",
    "行政强制",
    "第二十条第（八）项",
    "信息内容",
    "本年收费金额（单位：万元）",
    "行政事业性收费",
]


def _texts(edition, sheet):  # type: ignore[no-untyped-def]
    lay = next(lay for lay in layouts(edition) if lay.sheet == sheet)
    return [label.text for label in lay.labels if label.role not in ("na", "note")]


def test_t2_labels_verbatim() -> None:
    assert _texts(OLD, "表二") == T2_OLD
    assert _texts(NEW, "表二") == T2_NEW


def test_t3_labels_verbatim() -> None:
    title = "三、收到和处理政府信息公开申请情况"
    assert _texts(OLD, "表三") == [title, *T3_HEADER, *T3_ROWS_COMMON, *T3_END]
    assert _texts(NEW, "表三") == [title, *T3_HEADER, *T3_ROWS_COMMON, *T3_NEW_OTHER, *T3_END]


def test_t4_labels_verbatim() -> None:
    assert _texts(OLD, "表四") == T4_LABELS
    assert _texts(NEW, "表四") == T4_LABELS


@pytest.mark.parametrize("edition", EDITIONS, ids=lambda e: e.id)
def test_no_half_width_brackets_or_colons(edition) -> None:  # type: ignore[no-untyped-def]
    for lay in layouts(edition):
        for label in lay.labels:
            assert not set("():,") & set(label.text), label.text


def test_input_cell_counts() -> None:
    """editions.md §5: 表二 22 → 10, 表三 161 → 175, 表四 15."""
    assert [len(lay.cells) for lay in layouts(OLD)] == [22, 161, 15]
    assert [len(lay.cells) for lay in layouts(NEW)] == [10, 175, 15]


def test_keys_are_unique_and_stable() -> None:
    for edition in EDITIONS:
        keys = [c.key for lay in layouts(edition) for c in lay.cells]
        assert len(keys) == len(set(keys))
    assert layouts(NEW)[1].cell("t3.other_2.total").ref == "J26"
    assert layouts(OLD)[1].cell("t3.carry_forward.natural").ref == "D27"
    assert layouts(NEW)[2].cell("t4.lit_after_review.total").ref == "O5"


def test_t3_merged_header_as_official() -> None:
    """editions.md §9: note A:C over three rows, 申请人情况 D:J, 自然人 D2:D3, 法人或其他组织 E:I, 总计 J2:J3."""
    lay = layouts(NEW)[1]
    spans = {lb.text: (lb.row, lb.col, lb.last_row, lb.last_col) for lb in lay.labels}
    assert spans[T3_HEADER[0]] == (1, 0, 3, 2)
    assert spans["申请人情况"] == (1, 3, 1, 9)
    assert spans["自然人"] == (2, 3, 3, 3)
    assert spans["法人或其他组织"] == (2, 4, 2, 8)
    assert spans["总计"] == (2, 9, 3, 9)
    assert spans["三、本年度办理结果"] == (6, 0, 27, 0)  # merged down 22 rows
    assert spans["（六）其他处理"] == (24, 1, 26, 1)
    assert spans["（一）予以公开"] == (6, 1, 6, 2)  # B:C
    assert spans["一、本年新收政府信息公开申请数量"] == (4, 0, 4, 2)  # A:C
    old = {lb.text: (lb.row, lb.col, lb.last_row, lb.last_col) for lb in layouts(OLD)[1].labels}
    assert old["三、本年度办理结果"] == (6, 0, 25, 0)  # merged down 20 rows
    assert old["（六）其他处理"] == (24, 1, 24, 2)


def test_t4_header_layout() -> None:
    spans: dict[tuple[str, int], tuple[int, int, int, int]] = {}
    for lb in layouts(NEW)[2].labels:  # the first of each repeated label
        spans.setdefault((lb.text, lb.row), (lb.row, lb.col, lb.last_row, lb.last_col))
    assert spans[("行政复议", 1)] == (1, 0, 1, 4)
    assert spans[("行政诉讼", 1)] == (1, 5, 1, 14)
    assert spans[("结果维持", 2)] == (2, 0, 3, 0)  # 行政复议's outcomes span header rows 2–3
    assert spans[("未经复议直接起诉", 2)] == (2, 5, 2, 9)
    assert spans[("结果维持", 3)] == (3, 5, 3, 5)


def test_new_single_values_merge_across_the_block() -> None:
    cell = layouts(NEW)[0].cell("t2.licensing.decisions")
    assert (cell.col, cell.last_col) == (1, 3)


def test_old_two_column_blocks_have_a_grey_fourth_cell() -> None:
    lay = layouts(OLD)[0]
    fees = lay.cell("t2.fees.prev_items")
    assert any(lb.role == "na" and lb.row == fees.row and lb.col == 3 for lb in lay.labels)
    procurement = lay.cell("t2.procurement.amount")
    note = [lb for lb in lay.labels if lb.role == "note"]
    assert len(note) == 1 and "万元" in note[0].text and note[0].row == procurement.row - 1


@pytest.mark.parametrize(("year", "edition"), [(2019, "2019"), (2020, "2019"), (2021, "2021"), (2025, "2021")])
def test_edition_by_year(year: int, edition: str) -> None:
    assert edition_for_year(year).id == edition


@pytest.mark.parametrize("year", [2018, 2008, 2031, 20211])
def test_years_outside_the_editions_are_refused(year: int) -> None:
    with pytest.raises(UsageError, match=f"报告年度 {year} 不在支持范围内"):
        edition_for_year(year)


def test_the_t2_sentence_names_only_cells_and_rows_of_its_edition() -> None:
    import re

    from govxl.editions import EDITIONS
    from govxl.layout import cell_index

    for edition in EDITIONS:
        keys = set(cell_index(edition))
        rows = {k.split(".")[1] for k in keys if k.startswith("t2.")}
        placeholders = re.findall(r"\{(@?)([a-z_]+)(?:\.([a-z_]+))?\}", edition.t2_sentence)
        assert placeholders
        for label, row, col in placeholders:
            assert (row in rows) if label else (f"t2.{row}.{col}" in keys), (edition.id, row, col)
