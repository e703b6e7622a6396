"""PDFs of real reports read into rows shaped as an HTML table's (govxl/read/pdftables.py), and audited end to end.

The PDFs are in data/real/pdf/ (SOURCES.md there says which is a real publication and which was made here
from a real report, and how); the expected cells are the hand transcriptions of the reports they come from.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from govxl.audit import AuditResult, audit
from govxl.editions import EDITIONS
from govxl.errors import InputError
from govxl.layout import InputCell, layouts
from govxl.normalize import State, is_value_like, normalize
from govxl.read.documents import document_rows
from govxl.read.workbook import norm

HERE = Path(__file__).resolve().parents[1]  # tests/
PDFS = HERE / "data" / "real" / "pdf"
REFERENCE = HERE / "data" / "reference_2020_xian.txt"

# (PDF, the case whose transcription it is, why audit() does not yet read it cell for cell, or None)
CASES = [
    ("2024-huaian-hongze.pdf", "2024-huaian-hongze", None),
    ("2025-pingtan-jiaotong.chromium.pdf", "2025-pingtan-jiaotong", None),
    ("2023-pingtan-shehuishiye.chromium.pdf", "2023-pingtan-shehuishiye", None),
    ("2025-pingtan-jiaotong.repeated-header.libreoffice.pdf", "2025-pingtan-jiaotong", None),
    ("2025-pingtan-jiaotong.libreoffice.pdf", "2025-pingtan-jiaotong", None),
    ("2023-shuyang-fgj.chromium-unruled.pdf", "2023-shuyang-fgj", None),
    ("2023-shuyang-fgj.chromium-unruled-landscape.pdf", "2023-shuyang-fgj", None),
]


@cache
def _case(name: str) -> dict:  # type: ignore[type-arg]
    return json.loads((PDFS / f"{name}.case.json").read_text(encoding="utf-8"))


@cache
def _cells(edition_id: str) -> dict[tuple[str, str, str], InputCell]:
    """Each input cell of the edition by (table, row label, column label) as the transcriptions name them."""
    edition = next(e for e in EDITIONS if e.id == edition_id)
    out = {}
    for lay in layouts(edition):
        for cell in lay.cells:
            col = cell.col_label if lay.table.key == "t4" else cell.col_label.split("·")[-1]
            out[(lay.table.key, cell.row_label, col)] = cell
    return out


def _key(cell: dict) -> tuple[str, str, str]:  # type: ignore[type-arg]
    if cell["table"] == "t4":
        return ("t4", "", f"{cell['group'].replace('/', '·')}·{cell['col']}")
    row = f"{cell['group']}·{cell['row']}" if cell.get("group") else cell["row"]
    return (cell["table"], row, cell["col"])


def expected_values(name: str) -> dict[str, float | None]:
    """The transcription as govxl keys and numbers (None for a blank)."""
    case = _case(name)
    cells = _cells(case["edition"])
    out: dict[str, float | None] = {}
    for c in case["cells"]:
        cell = cells[_key(c)]
        value = c["value"]
        if isinstance(value, str):
            read = normalize(value, cell.kind, published=True)
            value = read.number if read.state in (State.NUMBER, State.CONVERTED) else None
        out[cell.key] = value
    return out


def printed_rows(name: str) -> list[tuple[str, str, list[float | None]]]:
    """(table, label as printed, the row's values) of every labelled row the transcription has."""
    rows: dict[tuple[str, str], list[float | None]] = {}
    for c in _case(name)["cells"]:
        if c["table"] == "t4" or c.get("published_absent"):
            continue
        label = c.get("published_label", c["row"])
        rows.setdefault((c["table"], label), []).append(c["value"])
    return [(table, label, values) for (table, label), values in rows.items()]


def _number(text: str) -> float | None:
    read = normalize(text, _KIND_COUNT, published=True)
    return read.number if read.state in (State.NUMBER, State.CONVERTED) else None


_KIND_COUNT = next(iter(_cells("2021").values())).kind


def _row_values(row: list[str], label: str) -> list[float | None] | None:
    """The numbers after the label's cell, when a cell of the row is the label (whole, spaces aside)."""
    cells = [norm(c) for c in row]
    if norm(label) not in cells:
        return None
    after = row[len(cells) - cells[::-1].index(norm(label)) :]
    return [_number(c) for c in after if c.strip()]


@pytest.mark.parametrize(("pdf", "name"), [(pdf, name) for pdf, name, _ in CASES])
def test_every_row_label_is_one_cell_with_its_values_after_it(pdf: str, name: str) -> None:
    """Each labelled row of 表二 and 表三: its whole label in one cell (a label wrapped over two or three lines
    joined), followed by exactly the row's printed values."""
    rows, read_as = document_rows(PDFS / pdf)
    assert read_as == "PDF"
    missing = {}
    for table, label, values in printed_rows(name):
        found = [v for row in rows if (v := _row_values(row, label)) is not None]
        printed = [v for v in values if v is not None]
        if printed not in found:
            missing[(table, label)] = (printed, found)
    assert missing == {}


@pytest.mark.parametrize(("pdf", "name"), [(pdf, name) for pdf, name, _ in CASES])
def test_table_four_is_one_row_of_fifteen_cells(pdf: str, name: str) -> None:
    rows, _ = document_rows(PDFS / pdf)
    expected = [v for k, v in expected_values(name).items() if k.startswith("t4.")]
    assert len(expected) == 15
    numbers = [[_number(c) for c in row] for row in rows if row and all(is_value_like(c) and c.strip() for c in row)]
    assert expected in numbers


@cache
def _audited(pdf: str) -> AuditResult:
    return audit(PDFS / pdf)


@pytest.mark.parametrize(
    ("pdf", "name"),
    [
        pytest.param(pdf, name, marks=[pytest.mark.xfail(strict=False, reason=why)] if why else [])
        for pdf, name, why in CASES
    ],
)
def test_audit_reads_every_cell_as_transcribed(pdf: str, name: str) -> None:
    result = _audited(pdf)
    case = _case(name)
    assert (result.year, result.edition.id, result.read_as) == (case["year"], case["edition"], "PDF")
    expected = expected_values(name)
    assert {k: (v, result.values.get(k)) for k, v in expected.items() if result.values.get(k) != v} == {}


@pytest.mark.parametrize(("pdf", "name"), [(pdf, name) for pdf, name, why in CASES if why is None])
def test_a_report_that_tallies_gets_no_error(pdf: str, name: str) -> None:
    """Every tallying rule holds in these reports: a misread row would show as a false A1/B1/B2 error. No row is
    said to be missing (R2) but those the report does not print, and none short of values (R3, R5)."""
    result = _audited(pdf)
    assert result.errors == []
    absent = {
        cell.key
        for c in _case(name)["cells"]
        if c.get("published_absent")
        for cell in [_cells(_case(name)["edition"])[_key(c)]]
    }
    assert {f.key for f in result.findings if f.rule == "R2"} <= absent
    assert not [f for f in result.findings if f.rule in ("R3", "R5")]


def test_page_break_split_row_is_joined() -> None:
    """Chromium cut 表三's （六）2 row in two at a page break: its label's last line is on the next page."""
    rows, _ = document_rows(PDFS / "2025-pingtan-jiaotong.chromium.pdf")
    label = "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
    assert [_row_values(r, label) for r in rows if _row_values(r, label) is not None] == [[0.0] * 7]
    assert not any(norm("".join(r)) in ("请", "信息公开申请") for r in rows)


def test_repeated_header_rows_are_dropped() -> None:
    """LibreOffice printed 表三's three header rows again on each page the table goes on to: given once."""
    rows, _ = document_rows(PDFS / "2025-pingtan-jiaotong.repeated-header.libreoffice.pdf")
    heads = [r for r in rows if any(norm(c) == norm("申请人情况") for c in r)]
    assert len(heads) == 1
    assert not any(r and not any(c.strip() for c in r) for r in rows[rows.index(heads[0]) :][:40])


def test_header_cell_cut_by_a_page_break_is_whole() -> None:
    """Chromium cut 表四's 行政复议 header cells (结果维持 … wrapped a character a line) at a page break and
    printed their last characters below the table: each header cell is one cell again."""
    rows, _ = document_rows(PDFS / "2023-pingtan-shehuishiye.chromium.pdf")
    head = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"]
    assert head in [[norm(c) for c in r] for r in rows]


def test_group_label_cut_by_a_page_break_stays_in_its_table() -> None:
    rows, _ = document_rows(PDFS / "2023-pingtan-shehuishiye.chromium.pdf")
    assert ["三、本年度办理结果", "（一）予以公开", *["0"] * 7] in rows


# ---------------------------------------------------------------- the reference report through LibreOffice


def test_reference_text_pdf_rows_keep_labels_and_values() -> None:
    """The reference report (.txt, cells set apart by tabs) printed by LibreOffice: no rules, the columns are
    where the tabs put them. Every labelled row of its tables is one row again, the label with its values
    after it (a tab that ended exactly at its stop left a label and value touching: split again)."""
    rows, _ = document_rows(PDFS / "2020-xian-reference.libreoffice.pdf")
    assert ["规章", "0", "0", "0"] in rows
    assert ["行政事业性收费", "0", "0"] in rows
    assert ["行政处罚", "1016", "-684", "2"] in rows
    assert ["三、本年度办理结果", "（一）予以公开", "1", "0", "0", "0", "0", "0", "1"] in rows
    # wrapped onto two lines by the page width, joined again
    assert ["（二）部分公开（区分处理的，只计这一情形，不计其他情形）", *["0"] * 7] in rows
    assert ["(七) 总计", "1", "0", "0", "0", "0", "0", "0", "1"] in rows  # 8 values, as the text has them
    assert ["0"] * 10 in rows  # 表四: nine values and the tenth, wrapped to the next line


def test_reference_text_pdf_audits_as_the_text_but_for_invisible_blanks() -> None:
    """Read as the text is (it raised 读取时出现意外问题 before), with no error. But a text PDF cannot show an
    empty cell: 表四's row is five tabs then ten zeros in the text, ten zeros in the PDF (its tenth wrapped to
    the next line, joined back), so its five blanks are read at the end (C3, R3), not at the start."""
    pdf, text = audit(PDFS / "2020-xian-reference.libreoffice.pdf"), audit(REFERENCE)
    assert pdf.errors == text.errors == []
    t4 = [k for k in text.values if k.startswith("t4.")]
    assert {k: v for k, v in pdf.values.items() if k not in t4} == {k: v for k, v in text.values.items() if k not in t4}
    assert [pdf.values[k] for k in t4] == [0] * 10 + [None] * 5
    assert [text.values[k] for k in t4] == [None] * 5 + [0] * 10


def test_prose_lines_stay_whole() -> None:
    rows, _ = document_rows(PDFS / "2025-pingtan-jiaotong.repeated-header.libreoffice.pdf")
    assert ["2025 年，我局政务公开工作取得了一定的成效，但在实际工作中仍存在"] in rows  # the gap as printed


# ---------------------------------------------------------------- unreadable PDFs, and pdfminer's noise


def test_an_encrypted_pdf_says_it_is_password_protected() -> None:
    with pytest.raises(InputError, match="设置了打开密码") as error:
        document_rows(PDFS / "2020-xian-reference.encrypted.pdf")
    assert "损坏" not in str(error.value)


def _govxl(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(HERE.parent)}
    code = "from govxl.apps.cli import main; main()"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, timeout=300)


def test_encrypted_pdf_on_the_command_line_exits_2() -> None:
    done = _govxl("audit", str(PDFS / "2020-xian-reference.encrypted.pdf"))
    assert done.returncode == 2
    assert "设置了打开密码" in done.stdout + done.stderr


def test_pdfminer_warnings_never_reach_the_terminal(tmp_path: Path) -> None:
    """Chromium's PDFs make pdfminer log "Could not get FontBBox from font descriptor …" for each page; neither
    a one-file audit nor a folder audit (worker processes) lets that English reach stderr."""
    import shutil

    chromium = PDFS / "2025-pingtan-jiaotong.chromium.pdf"
    folder = tmp_path / "年报"
    folder.mkdir()
    shutil.copy(chromium, folder / "a.pdf")
    shutil.copy(PDFS / "2023-pingtan-shehuishiye.chromium.pdf", folder / "b.pdf")
    for target in (chromium, folder):
        done = _govxl("audit", str(target), "--xlsx", str(tmp_path / f"{target.stem}.xlsx"))
        assert done.returncode in (0, 1), done.stderr
        assert not re.search(r"[A-Za-z]{4,}", done.stderr), done.stderr


def test_page_number_stays_out_of_a_table_cut_by_the_page_break() -> None:
    """洪泽区 2023 (a real WPS PDF): 表三 goes on past page 3, whose number "- 3 -" is printed inside the
    table's open bottom. The row above it keeps its own values, and no page number is a row."""
    rows, _ = document_rows(PDFS / "2023-huaian-hongze.pdf")
    label = "2.没有现成信息需要另行制作"
    assert [_row_values(r, label) for r in rows if _row_values(r, label) is not None] == [[3, 0, 0, 0, 0, 0, 3]]
    assert not any(re.fullmatch(r"-\d+-", norm("".join(r))) for r in rows)


def test_a_pdf_whose_chinese_was_lost_says_so() -> None:
    """The reference report printed by LibreOffice on a machine without a Chinese font: every Chinese glyph is
    the same .notdef, its text layer "牡牡牡…". Not "no tables found" but why, and what to do."""
    with pytest.raises(InputError, match="缺少中文字体") as error:
        document_rows(PDFS / "2020-xian-reference.libreoffice-no-cjk-font.pdf")
    assert "统计表" not in str(error.value)


@pytest.mark.parametrize("pdf", [pdf for pdf, _, _ in CASES])
def test_real_chinese_is_not_taken_for_a_lost_font(pdf: str) -> None:
    assert document_rows(PDFS / pdf)[1] == "PDF"


def test_a_line_with_a_tab_in_it_is_cut_even_with_punctuation() -> None:
    rows, _ = document_rows(PDFS / "2020-xian-reference.libreoffice.pdf")
    assert ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"] in rows


def test_a_damaged_pdf_says_so(tmp_path: Path) -> None:
    cut = tmp_path / "年报.pdf"
    cut.write_bytes((PDFS / "2024-huaian-hongze.pdf").read_bytes()[:2000])  # a download broken off
    with pytest.raises(InputError, match="PDF 文件已损坏"):
        document_rows(cut)


def test_unruled_table_rows_are_laid_out_by_columns() -> None:
    """沭阳县发改局 2023 printed with its table rules hidden: a label wrapped over up to five lines is one cell,
    and the five 法人或其他组织 columns the report leaves empty in every row are five empty cells (seen only
    in their headings), as the page's HTML has them."""
    rows, _ = document_rows(PDFS / "2023-shuyang-fgj.chromium-unruled.pdf")
    assert ["一、本年新收政府信息公开申请数量", "26", "", "", "", "", "", "26"] in rows
    assert [
        "（六）其他处理",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "0",
        *[""] * 5,
        "0",
    ] in rows
    # the rows on the page after the break keep the columns found under the headings before it
    assert ["3.其他", "0", *[""] * 5, "0"] in rows


def test_headings_printed_a_character_a_line_are_whole() -> None:
    rows, _ = document_rows(PDFS / "2023-shuyang-fgj.chromium-unruled.pdf")
    assert ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"] in rows
    assert [*[""] * 5, *["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2] in rows


def test_unruled_rows_of_one_line_are_laid_out_by_columns() -> None:
    """The same page printed landscape, cells unwrapped: each row one line, the rows set further apart than the
    page's lines of prose (cell padding), so they are a table's; the empty columns are found under headings
    of any length that head one column (社会公益组织), not under those spanning several (法人或其他组织)."""
    rows, _ = document_rows(PDFS / "2023-shuyang-fgj.chromium-unruled-landscape.pdf")
    assert ["一、本年新收政府信息公开申请数量", "26", "", "", "", "", "", "26"] in rows
    assert ["三、本年度办理结果", "（一）予以公开", "26", "", "", "", "", "", "26"] in rows


def test_row_cut_by_a_page_break_with_rules_on_both_sides_is_one() -> None:
    """LibreOffice cut 表三's （二） row at a page break and drew a rule on both sides: the label's last
    characters 形） and the row's 总计 1 are on the next page, in a part of the table that splits a column more.
    Read as one row (was: 总计 blank, and false B1 and B2 errors)."""
    rows, _ = document_rows(PDFS / "2025-pingtan-jiaotong.libreoffice.pdf")
    label = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    assert [_row_values(r, label) for r in rows if _row_values(r, label) is not None] == [[1, 0, 0, 0, 0, 0, 1]]
    assert not any(norm("".join(r)) == "形）1" for r in rows)


def test_table_cut_at_the_side_of_the_printed_area_keeps_its_last_column() -> None:
    """Chromium printed the Shanghai page's 表三 wider than the printed area: the 总计 column is cut at the
    area's side, where no rule is drawn. Its cells are still read (was: 读取时出现意外问题, then 总计 lost)."""
    expected = json.loads((HERE / "data" / "real" / "shanghai_office_2019.cells.json").read_text(encoding="utf-8"))
    result = audit(PDFS / "shanghai_office_2019.chromium.pdf")
    values = expected["values"]
    assert {k: (v, result.values.get(k)) for k, v in values.items() if result.values.get(k) != v} == {}
