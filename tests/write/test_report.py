"""Reports of the three tables: .md, .html and .docx, labels verbatim, merges real, output deterministic."""

from __future__ import annotations

import re
import zipfile
from datetime import datetime
from pathlib import Path

import docx
import pytest

from govxl.editions import e2019, e2021
from govxl.editions.shared import T3_NOTE
from govxl.errors import InputError, UsageError
from govxl.layout import layouts
from govxl.merge import merge, write_outputs
from govxl.publish import write_report
from govxl.report import (
    MARKDOWN_NOTE,
    SUMMARY_TITLE,
    load,
    markdown_grid,
    result_groups,
    summary,
    table_cells,
)
from tests.conftest import ROOT
from tests.conftest import SAMPLES_2020 as XIAN

PUBLISHED = ("8086", "24988", "-684", "6733.41375", "1016", "357", "107")
REPRESENTATIVE = (
    T3_NOTE,
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
    "第二十条第（九）项",
    "第二十条第（一）项",
    "本年增/减",
    "三、本年度办理结果",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "3.危及“三安全一稳定”",
    "5.要求行政机关确认或重新出具已获取信息",
    "申请人情况",
    "法人或其他组织",
    "未经复议直接起诉",
    "四、政府信息公开行政复议、行政诉讼情况",
)
SENTENCE_2020 = (
    "本年新收政府信息公开申请1件，上年结转0件；本年度办理结果中，予以公开1件，部分公开0件，不予公开0件，"
    "无法提供0件，不予处理0件，其他处理0件；结转下年度继续办理0件。"
)


@pytest.fixture(scope="module")
def merged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("merged") / "西安区汇总.xlsx"
    write_outputs(merge([XIAN], name="西安区"), out)
    return out


@pytest.fixture(scope="module")
def reports(merged: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("reports")
    return {ext: write_report(merged, folder / f"报告.{ext}") for ext in ("md", "html", "docx")}


def _labels(edition: object) -> list[str]:
    return [lb.text for lay in layouts(edition) for lb in lay.labels if lb.text and lb.role != "note"]  # type: ignore[arg-type]


@pytest.mark.parametrize("ext", ["md", "html"])
def test_every_label_verbatim(reports: dict[str, Path], ext: str) -> None:
    text = reports[ext].read_text(encoding="utf-8")
    for label in (*_labels(e2019.EDITION), *REPRESENTATIVE):
        assert label in text, label
    for number in PUBLISHED:
        assert re.search(rf"(?<![\d.-]){re.escape(number)}(?![\d.])", text), number
    assert "（四）无法提供" in text and "(四)" not in text  # full-width brackets kept


@pytest.mark.parametrize("ext", ["md", "html"])
def test_summary_sentences(reports: dict[str, Path], ext: str) -> None:
    text = reports[ext].read_text(encoding="utf-8")
    assert SUMMARY_TITLE in text
    assert SENTENCE_2020 in text
    assert "行政许可处理决定8086件" in text
    assert "其他对外管理服务事项处理决定24988件" in text
    assert "对外公开规章总数0件、规范性文件总数4件" in text
    assert "政府集中采购项目107个，采购总金额6733.41375万元" in text
    assert "本年度因政府信息公开申请提起行政复议0件，行政诉讼0件（其中未经复议直接起诉0件，复议后起诉0件）。" in text


def test_html_merges(reports: dict[str, Path]) -> None:
    text = reports["html"].read_text(encoding="utf-8")
    assert re.search(r'<th[^>]*\browspan="20"[^>]*>三、本年度办理结果</th>', text)
    assert re.search(r'<th[^>]*\bcolspan="7"[^>]*>申请人情况</th>', text)
    assert re.search(r'<th[^>]*\browspan="3"[^>]*\bcolspan="3"[^>]*>（本列数据的勾稽关系为', text)
    assert re.search(r'<th[^>]*\browspan="8"[^>]*>（三）不予公开</th>', text)
    assert re.search(r'<th[^>]*\bcolspan="10"[^>]*>行政诉讼</th>', text)
    assert re.search(r'<th[^>]*\bcolspan="4"[^>]*>第二十条第（九）项</th>', text)
    for title in (lay.table.title for lay in layouts(e2019.EDITION)):
        assert f"<h2>{title}</h2>" in text
    assert '<meta charset="utf-8">' in text


def test_markdown_grid(reports: dict[str, Path]) -> None:
    text = reports["md"].read_text(encoding="utf-8")
    assert MARKDOWN_NOTE in text
    rows = [line for line in text.splitlines() if line.startswith("| 三、本年度办理结果 |")]
    assert len(rows) == 20  # the group label repeated in each of its rows
    assert "| 三、本年度办理结果 | （三）不予公开 | 1.属于国家秘密 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |" in text
    assert "| 行政处罚 | 1016 | -684 | 2 |" in text
    grid = markdown_grid(layouts(e2019.EDITION)[1], {})
    assert all(len(row) == 10 for row in grid) and len(grid) == 26


def test_docx_tables_match_layout(reports: dict[str, Path], merged: Path) -> None:
    document = docx.Document(str(reports["docx"]))
    data = load(merged)
    lays = layouts(data.edition)
    assert len(document.tables) == 3
    for table, lay in zip(document.tables, lays, strict=True):
        assert (len(table.rows), len(table.columns)) == (lay.height - 1, lay.width)
        for g in table_cells(lay, data.values):
            top = table.cell(g.row, g.col)
            assert top.text == g.text, (lay.sheet, g)
            for r in range(g.row, g.row + g.rowspan):
                for c in range(g.col, g.col + g.colspan):
                    assert table.cell(r, c)._tc is top._tc, (lay.sheet, g, r, c)  # really merged
    t3 = document.tables[1]
    assert t3.cell(0, 0).text == T3_NOTE
    assert t3.cell(5, 0).text == "三、本年度办理结果" and t3.cell(24, 0)._tc is t3.cell(5, 0)._tc
    assert t3.cell(0, 3)._tc is t3.cell(0, 9)._tc and t3.cell(0, 9).text == "申请人情况"
    assert t3.style.name == "Table Grid"
    headings = [p.text for p in document.paragraphs]
    titles = [lay.table.title for lay in lays]
    assert [h for h in headings if h in titles] == titles
    assert SENTENCE_2020 in headings
    props = document.core_properties
    assert props.author == "govxl"
    assert props.created.replace(tzinfo=None) == datetime(2021, 1, 1)
    section = document.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7


def test_same_input_same_bytes(merged: Path, reports: dict[str, Path], tmp_path: Path) -> None:
    for ext, first in reports.items():
        again = write_report(merged, tmp_path / f"again.{ext}")
        assert again.read_bytes() == first.read_bytes(), ext
    with zipfile.ZipFile(reports["docx"]) as zf:
        assert {i.date_time for i in zf.infolist()} == {(2021, 1, 1, 0, 0, 0)}
        assert not any("thumbnail" in n for n in zf.namelist())


def test_single_return(tmp_path: Path) -> None:
    source = XIAN / "西安区财政局.xlsx"
    md = write_report(source, tmp_path / "财政局.md").read_text(encoding="utf-8")
    assert "填报单位：西安区财政局" in md
    assert "| 政府集中采购 |" in md and "6733.41375" in md  # the amount typed as "6733.41375万元"
    html = write_report(source, tmp_path / "财政局.htm").read_text(encoding="utf-8")
    assert 'rowspan="20"' in html
    document = docx.Document(str(write_report(source, tmp_path / "财政局.docx")))
    assert len(document.tables) == 3


def test_new_edition(tmp_path: Path) -> None:
    source = ROOT / "samples" / "2021" / "区人民政府办公室.xlsx"
    html = write_report(source, tmp_path / "r.html").read_text(encoding="utf-8")
    assert re.search(r'<th[^>]*\browspan="22"[^>]*>三、本年度办理结果</th>', html)
    assert re.search(r'<td colspan="3">\d+</td>', html)  # 本年处理决定数量 spans the three value columns
    for label in _labels(e2021.EDITION):
        assert label in html, label
    assert "第二十条第（九）项" not in html
    assert "注：" not in html  # the amount's header states its unit


def test_summary_from_label_trees() -> None:
    values = {f"t3.denied_{i}.total": float(i) for i in range(1, 9)}
    values |= {"t3.unable_1.total": 5.0, "t3.unable_3.total": 2.0, "t3.not_processed_4.total": 7.0}
    values |= {"t3.new_received.total": 61.0, "t3.carried_over.total": 3.0, "t3.carry_forward.total": 4.0}
    values |= {"t3.other.total": 9.0, "t3.other_1.total": 1.0, "t3.other_2.total": 2.0, "t3.other_3.total": 3.0}
    values |= {"t4.review.total": 3.0, "t4.lit_direct.total": 2.0, "t4.lit_after_review.total": 1.0}
    old = summary(e2019.EDITION, values)[1]
    assert old == (
        "本年新收政府信息公开申请61件，上年结转3件；本年度办理结果中，予以公开0件，部分公开0件，不予公开36件，"
        "无法提供7件，不予处理7件，其他处理9件；结转下年度继续办理4件。"
    )
    new = summary(e2021.EDITION, values)
    assert "其他处理6件" in new[1]  # the three sub-rows of the new （六）
    assert new[2] == "本年度因政府信息公开申请提起行政复议3件，行政诉讼3件（其中未经复议直接起诉2件，复议后起诉1件）。"
    assert "行政事业性收费本年收费金额0万元" in new[0]
    names = [name for name, _ in result_groups(e2021.EDITION)]
    assert names == ["予以公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理"]


def test_bad_inputs(tmp_path: Path, merged: Path) -> None:
    not_a_workbook = tmp_path / "note.xlsx"
    not_a_workbook.write_text("名单\n", encoding="utf-8")
    with pytest.raises(InputError, match="无法生成报告"):
        write_report(not_a_workbook, tmp_path / "r.md")
    with pytest.raises(UsageError, match=r"r\.pdf：.*\.docx、\.html、\.htm 或 \.md"):
        write_report(merged, tmp_path / "r.pdf")
    assert not (tmp_path / "r.md").exists() and not (tmp_path / "r.pdf").exists()
