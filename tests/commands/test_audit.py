"""Auditing published reports: extracted text and HTML pages, with their typesetting artefacts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from govxl.audit import AuditResult, audit, write_audit_xlsx
from govxl.editions.model import Kind
from govxl.editions.rules import Severity
from govxl.errors import InputError
from govxl.layout import cell_index
from govxl.merge import merge, write_outputs
from govxl.normalize import normalize
from govxl.publish import write_report
from govxl.read.documents import html_rows
from govxl.read.workbook import read_return
from govxl.results.figures import Figures
from tests.conftest import DATA, ROOT, require, shared_reference

REFERENCE = DATA / "reference_2020_xian.txt"  # a copy of shared/reference/000_df20fa1b9dca726d.txt
PAGE_2021 = DATA / "report_2021_qinghe.html"  # a page built in the shape of a county's report, not a real one
# The same page opened in LibreOffice Writer (with a CJK font) and saved as Word and as PDF:
WORD_2021, PDF_2021 = DATA / "report_2021_qinghe.docx", DATA / "report_2021_qinghe.pdf"
REVIEW = ("upheld", "corrected", "other", "pending", "total")
SURPLUS_ROWS = ("（六）其他处理", "（七）总计", "四、结转下年度继续办理")


def test_reference_is_the_shared_copy() -> None:
    folder = shared_reference()  # shared/ sits beside the repository on the team's machines, not in every clone
    require(folder, "the shared reference folder (shared/reference)", "it sits beside the repository")
    assert folder is not None
    shared = folder / "000_df20fa1b9dca726d.txt"
    assert shared.read_bytes() == REFERENCE.read_bytes()


@pytest.fixture(scope="module")
def reference() -> AuditResult:
    return audit(REFERENCE)


def _where(result: AuditResult) -> set[tuple[str, str, str, str]]:
    return {(f.severity.value, f.rule, f.sheet, f.cell) for f in result.findings}


def test_reference_outcome(reference: AuditResult) -> None:
    assert reference.edition.id == "2019"
    assert (reference.year, reference.unit) == (2020, "牡丹江市西安区")
    assert _where(reference) == {
        ("提示", "C4", "表二", "C19"),
        ("提示", "R1", "表三", "D25"),
        ("提示", "R1", "表三", "D26"),
        ("提示", "R1", "表三", "D27"),
        *(("提示", "C3", "表四", f"{col}5") for col in "ABCDE"),
    }
    assert len(reference.findings) == 9
    assert reference.errors == []
    assert not any(f.rule in ("A1", "B1", "B2", "B3") for f in reference.findings)


def test_reference_blanks_and_units(reference: AuditResult) -> None:
    blanks = [f for f in reference.findings if f.rule == "C3"]
    assert [f.key for f in blanks] == [f"t4.review.{k}" for k in REVIEW]
    assert all("行政复议" in f.message and "为空" in f.message for f in blanks)
    assert "表四“行政复议·结果维持”" in blanks[0].message
    assert [k for k, v in reference.values.items() if v is None] == [f"t4.review.{k}" for k in REVIEW]
    (amount,) = [f for f in reference.findings if f.rule == "C4"]
    assert amount.key == "t2.procurement.amount" and "“6733.41375万元”" in amount.message
    assert "表二“政府集中采购”“采购总金额”" in amount.message
    assert all(f.unit == "牡丹江市西安区" and f.file == str(REFERENCE) for f in reference.findings)


def test_reference_surplus_rows(reference: AuditResult) -> None:
    assert len(reference.assumptions) == 3
    for row, text in zip(SURPLUS_ROWS, reference.assumptions, strict=True):
        assert text.startswith(f"表三“{row}”行有8个数值，多出一个；按第7个数值为多余的0读取（"), text
    assert "按第7个数值为多余的0读取（这样总计等于各列之和" in reference.assumptions[1]
    flagged = [f for f in reference.findings if f.rule == "R1"]
    assert [f.key for f in flagged] == ["t3.other.natural", "t3.total.natural", "t3.carry_forward.natural"]
    assert all(f.severity is Severity.HINT and "8个数值" in f.message for f in flagged)
    assert reference.values["t3.total.natural"] == 1 and reference.values["t3.total.total"] == 1
    assert reference.values["t3.total.other_org"] == 0


def test_reference_values_are_the_published_tables(reference: AuditResult, tmp_path: Path) -> None:
    """The published report and the merge of the 13 sample returns agree cell by cell."""
    out = tmp_path / "m.xlsx"
    write_outputs(merge([ROOT / "samples" / "2020西安区"]), out)
    totals = read_return(out)
    assert isinstance(totals, Figures)
    assert {k: v or 0.0 for k, v in reference.values.items()} == totals.numbers()
    v = reference.values
    assert (v["t2.licensing.decisions"], v["t2.other_services.decisions"]) == (8086, 24988)
    assert (v["t2.penalty.prev_items"], v["t2.penalty.delta"], v["t2.procurement.amount"]) == (1016, -684, 6733.41375)
    assert set(v) == set(cell_index(reference.edition))


def test_wrapped_fragment_is_dropped(reference: AuditResult) -> None:
    assert "法权益" in REFERENCE.read_text(encoding="utf-8")
    assert not any("法权益" in a and "保护第三方" not in a for a in reference.assumptions)
    assert reference.values["t3.denied_4.natural"] == 0 and reference.values["t3.denied_5.natural"] == 0


def test_broken_a1_is_an_error(tmp_path: Path) -> None:
    text = REFERENCE.read_text(encoding="utf-8")
    line = "二、上年结转政府信息公开申请数量\t\t0\t0\t0\t0\t0\t0\t0\t"
    assert line in text
    broken = tmp_path / "broken.txt"
    broken.write_text(text.replace(line, "二、上年结转政府信息公开申请数量\t\t2\t0\t0\t0\t0\t0\t2\t"), encoding="utf-8")
    result = audit(broken)
    errors = {(f.rule, f.sheet, f.cell, f.expected, f.actual) for f in result.errors}
    assert errors == {("A1", "表三", "D5", "1", "3"), ("A1", "表三", "J5", "1", "3")}
    assert "表三“自然人”列" in next(f.message for f in result.errors if f.cell == "D5")
    assert len(result.assumptions) == 3  # the surplus values are still read the same way
    assert "按第7个数值为多余的0读取（这样总计等于各列之和" in result.assumptions[1]


def test_surplus_position_follows_the_rules(tmp_path: Path) -> None:
    """When the spurious value is the last one, dropping the last one is what makes the totals add up."""
    text = REFERENCE.read_text(encoding="utf-8")
    shifted = text.replace("(七) 总计\t1\t0\t0\t0\t0\t0\t0\t1", "(七) 总计\t1\t0\t0\t0\t0\t0\t1\t0")
    assert shifted != text
    path = tmp_path / "shifted.txt"
    path.write_text(shifted, encoding="utf-8")
    result = audit(path)
    assert "按第8个数值为多余的0读取（这样总计等于各列之和" in result.assumptions[1]
    assert all("按第8个数值" in a for a in result.assumptions)  # one extra column for all three rows
    assert result.values["t3.total.total"] == 1 and result.errors == []


def test_html_page_2021() -> None:
    result = audit(PAGE_2021)
    assert result.edition.id == "2021"
    assert (result.year, result.unit) == (2021, "清河县人民政府办公室")
    assert _where(result) == {
        ("错误", "B1", "表三", "J7"),
        ("错误", "B2", "表三", "J28"),
        ("提示", "C3", "表四", "O5"),
        ("提示", "L1", "表三", "J7"),
    }
    b1 = next(f for f in result.findings if f.rule == "B1")
    assert (b1.key, b1.expected, b1.actual) == ("t3.granted.total", "12", "13")
    # the same localisation a department's return gets: the typed total is the suspect, with its suggested value
    (l1,) = [f for f in result.findings if f.rule == "L1"]
    assert (l1.key, l1.expected) == ("t3.granted.total", "12") and "若此总计无误" in l1.message
    assert "表三“（一）予以公开”行" in b1.message
    assert result.assumptions == []
    v = result.values
    # half-width brackets, "1. " with a space, "，" for "、", labels wrapped with <br>, "1,285"
    assert (v["t3.unable_1.natural"], v["t3.unable_3.total"], v["t3.other_3.commercial"]) == (4, 1, 1)
    assert (v["t3.partial.legal_service"], v["t3.denied_3.natural"], v["t3.other_1.total"]) == (1, 1, 0)
    assert (v["t2.licensing.decisions"], v["t2.fees.amount"], v["t2.normative.in_force"]) == (1285, 12.6, 42)
    assert (v["t4.review.total"], v["t4.lit_direct.corrected"], v["t4.lit_after_review.total"]) == (2, 1, None)


def test_html_spans_expand() -> None:
    """A cell spanning rows leaves blanks below it; one spanning columns is one cell (a value Word-made pages
    set across two columns is one value, not a value and a blank)."""
    rows = html_rows(
        "<table><tr><td rowspan='2'>甲</td><td colspan='2'>乙</td></tr><tr><td>1</td><td>&nbsp;</td></tr>"
        "<tr><td>规章</td><td colspan='2'>13</td><td>524</td></tr></table>"
        "<p>五、存在的主要问题</p>"
    )
    assert rows == [["甲", "乙"], ["", "1", ""], ["规章", "13", "524"], ["五、存在的主要问题"]]


@pytest.mark.parametrize(
    ("raw", "kind", "value", "rule"),
    [
        ("0", Kind.COUNT, 0.0, ""),
        (" 1,016 ", Kind.COUNT, 1016.0, ""),
        ("-684", Kind.SIGNED, -684.0, ""),
        ("\u2212684", Kind.SIGNED, -684.0, ""),
        ("6733.41375万元", Kind.AMOUNT, 6733.41375, "C4"),
        ("251000元", Kind.AMOUNT, 25.1, "C4"),
        ("", Kind.COUNT, None, "C3"),
        ("/", Kind.COUNT, None, "C3"),
        ("无", Kind.COUNT, None, "C3"),
        ("若干", Kind.COUNT, None, "C1"),
    ],
)
def test_published_values(raw: str, kind: Kind, value: float | None, rule: str) -> None:
    cell = normalize(raw, kind, published=True)  # the same reading as a department's return, minus "text" hints
    assert (cell.number if value is not None else None, cell.rule) == (value, rule)


@pytest.mark.parametrize("ext", ["html", "md"])
@pytest.mark.parametrize("source", ["2020西安区/西安区财政局.xlsx", "2021/区人民政府办公室.xlsx"])
def test_reports_written_by_govxl_audit_clean(tmp_path: Path, source: str, ext: str) -> None:
    ret = read_return(ROOT / "samples" / source)
    assert isinstance(ret, Figures)
    report = write_report(ret.path, tmp_path / f"report.{ext}")
    result = audit(report)
    assert result.edition is ret.edition and result.year == ret.year and result.unit == ret.unit
    assert result.values == ret.numbers()
    assert result.assumptions == []
    assert result.findings == [
        f for f in result.findings if f.rule not in ("A1", "B1", "B2", "B3", "C3", "R1", "R2", "R3")
    ]


def test_write_audit_xlsx(reference: AuditResult, tmp_path: Path) -> None:
    out = write_audit_xlsx(reference, tmp_path / "核对.xlsx")
    back = read_return(out)
    assert isinstance(back, Figures)
    assert (back.edition, back.year, back.unit) == (reference.edition, 2020, "牡丹江市西安区")
    assert back.numbers() == {k: v or 0.0 for k, v in reference.values.items()}
    blanks = {k for k, c in back.cells.items() if c.rule == "C3"}
    assert blanks <= {f"t4.review.{k}" for k in REVIEW} and len(blanks) >= 4  # 总计 is prefilled with its sum
    assert [p.name for p in tmp_path.iterdir()] == ["核对.xlsx"]


def test_not_a_report(tmp_path: Path) -> None:
    path = tmp_path / "notice.txt"
    path.write_text("关于做好2021年政府信息公开工作年度报告编制工作的通知\n请各单位按时报送。\n", encoding="utf-8")
    with pytest.raises(InputError, match="没有找到"):
        audit(path)


def test_old_format_in_a_new_year(tmp_path: Path) -> None:
    text = REFERENCE.read_text(encoding="utf-8").replace("西安区2020年政府信息公开", "西安区2021年政府信息公开", 1)
    path = tmp_path / "old_format_2021.txt"
    path.write_text(text, encoding="utf-8")
    result = audit(path)
    assert (result.edition.id, result.year) == ("2019", 2021)
    (wrong,) = result.errors
    assert wrong.rule == "C14" and "2021年格式" in wrong.message and "2019年试行格式" in wrong.message


def test_space_separated_text_and_missing_values(tmp_path: Path) -> None:
    from govxl.audit import audit

    text = (DATA / "reference_2020_xian.txt").read_text(encoding="utf-8")
    spaced = tmp_path / "spaced.txt"
    spaced.write_text(text.replace("\t", "   "), encoding="utf-8")
    result = audit(spaced)
    assert result.edition.id == "2019" and not [f for f in result.errors if f.rule in ("A1", "B1", "B2", "B3")]
    assert result.values["t2.licensing.decisions"] == 8086
    lines = [line for line in text.splitlines() if not line.startswith("\t\t\t\t\t0\t0")]  # drop 表四's data row
    gone = tmp_path / "gone.txt"
    gone.write_text("\n".join(lines), encoding="utf-8")
    assert audit(gone).errors  # a table without any figure cannot pass


def test_audit_and_check_find_the_same_for_the_same_figures(tmp_path: Path) -> None:
    """A return whose typed total does not tally, and the report published from it: the same rules broken,
    the same suspect cell and suggested value (L1)."""
    from govxl.check import check_files

    source = ROOT / "samples" / "2021" / "区自然资源局.xlsx"
    published = write_report(source, tmp_path / "report.html")
    kinds = ("A1", "B1", "B2", "B3", "L1")
    checked = {(f.rule, f.key, f.expected) for f in check_files([source]).findings if f.rule in kinds}
    audited = {(f.rule, f.key, f.expected) for f in audit(published).findings if f.rule in kinds}
    assert checked and audited == checked
    assert any(rule == "L1" and expected for rule, _, expected in audited)


@pytest.mark.parametrize(("document", "read_as"), [(WORD_2021, "Word"), (PDF_2021, "PDF")])
def test_word_and_pdf_read_to_the_same_cells_as_the_page(document: Path, read_as: str) -> None:
    page, other = audit(PAGE_2021), audit(document)
    assert other.read_as == read_as and page.read_as == "网页"
    assert (other.year, other.unit, other.edition) == (page.year, page.unit, page.edition)
    assert other.values == page.values  # every cell
    assert [(f.rule, f.cell, f.expected, f.actual) for f in other.findings] == [
        (f.rule, f.cell, f.expected, f.actual) for f in page.findings
    ]


def test_a_scanned_pdf_is_reported_as_such() -> None:
    with pytest.raises(InputError, match="扫描件"):
        audit(DATA / "scanned.pdf")


def test_an_old_word_file_says_what_to_do(tmp_path: Path) -> None:
    doc = tmp_path / "年报.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    with pytest.raises(InputError, match=r"另存为 \.docx"):
        audit(doc)


def test_a_document_is_told_by_its_content_not_its_name(tmp_path: Path) -> None:
    renamed = tmp_path / "年报.txt"
    renamed.write_bytes(PDF_2021.read_bytes())
    assert audit(renamed).read_as == "PDF"


def test_a_folder_of_reports_yields_one_workbook_and_one_json(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import json
    import shutil

    from tests.apps.test_cli import run

    folder = tmp_path / "各区年报"
    folder.mkdir()
    for source in (PAGE_2021, WORD_2021, PDF_2021, REFERENCE, DATA / "scanned.pdf"):
        shutil.copy(source, folder / source.name)
    out, js = tmp_path / "核对.xlsx", tmp_path / "核对.json"
    code, printed, _ = run(capsys, monkeypatch, "audit", str(folder), "--xlsx", str(out), "--json", str(js))
    # the scan never stops the rest, and a folder with a report that could not be read is never judged (exit 2)
    assert code == 2 and "无法读取 1 份" in printed and "scanned.pdf" in printed
    data = json.loads(js.read_text(encoding="utf-8"))
    assert len(data["reports"]) == 4 and [u["file"] for u in data["unreadable"]] == [str(folder / "scanned.pdf")]
    assert {r["read_as"] for r in data["reports"]} == {"网页", "Word", "PDF", "文本"}
    import pandas as pd

    sheets = pd.read_excel(out, sheet_name=None, engine="calamine", header=None)
    per_unit = [f"表{n}明细（{e}）" for e in ("2021", "2019") for n in "二三四"]
    assert list(sheets) == ["年报清单", *per_unit, "校验结果"]
    listing = sheets["年报清单"]
    assert len(listing) == 6 and listing.iloc[5, 1].endswith("scanned.pdf") and listing.iloc[5, 8] == "无法读取"
    errors = {Path(r["file"]).name: sum(f["severity"] == "错误" for f in r["findings"]) for r in data["reports"]}
    assert {Path(listing.iloc[i, 1]).name: listing.iloc[i, 6] for i in range(1, 5)} == errors
    # every report's figures are one row of the per-unit sheets, cell for cell as audited
    from govxl.layout import layouts
    from govxl.sheetnames import FIRST_UNIT_ROW, detail_columns

    page = audit(PAGE_2021)
    (lay,) = [lay for lay in layouts(page.edition) if lay.sheet == "表三"]
    t3 = sheets["表三明细（2021）"]
    row = next(r for r in range(FIRST_UNIT_ROW, len(t3)) if t3.iloc[r, 2] == PAGE_2021.name)
    assert {k: t3.iloc[row, col] for k, col in detail_columns(lay).items()} == {
        k: page.values[k] for k in detail_columns(lay)
    }
    # the listing links to each report's findings, and each finding to its cell on the per-unit sheet
    import openpyxl

    book = openpyxl.load_workbook(out)
    links = [c.hyperlink.location for c in book["年报清单"]["I"] if c.hyperlink]
    assert len(links) == 4 and all(link.startswith("'校验结果'!A") for link in links)
    to_cells = [c.hyperlink.location for c in book["校验结果"]["K"] if c.hyperlink]
    assert any(link.startswith("'表三明细（2019）'!") for link in to_cells)


def _with_sentence(tmp_path: Path, sentence: str) -> Path:
    page = PAGE_2021.read_text(encoding="utf-8")
    at = page.index("全年主动公开政府信息")
    out = tmp_path / "年报.html"
    out.write_text(page[:at] + sentence + page[at:], encoding="utf-8")
    return out


def test_words_that_disagree_with_the_table_are_found(tmp_path: Path) -> None:
    # the table says 24 new applications, 2 carried over to next year, 13 granted
    report = audit(_with_sentence(tmp_path, "本年共收到政府信息公开申请25件，予以公开13件，结转下年度继续办理2件。"))
    (c12,) = [f for f in report.findings if f.rule == "C12"]
    assert (c12.key, c12.expected, c12.actual, c12.cell) == ("t3.new_received.total", "24", "25", "J5")
    assert "本年共收到政府信息公开申请25件" in c12.message and not c12.is_error


def test_words_that_agree_or_cannot_be_tied_to_a_cell_say_nothing(tmp_path: Path) -> None:
    agree = audit(_with_sentence(tmp_path, "本年新收政府信息公开申请24件，上年结转2件，行政复议2件。"))
    assert not [f for f in agree.findings if f.rule == "C12"]
    vague = audit(_with_sentence(tmp_path, "办理各类申请30余件，答复群众来信100件。"))
    assert not [f for f in vague.findings if f.rule == "C12"]


@pytest.mark.parametrize(
    ("title", "year", "unit"),
    [
        ("牡丹江市西安区政府信息公开工作年度报告", 2020, "牡丹江市西安区"),  # the year from 统计期限
        ("2020年政府信息公开工作年度报告", 2020, "西安区人民政府办公室"),  # the unit from 由…综合…编制
        ("政府信息公开工作年度报告", 2020, "西安区人民政府办公室"),
    ],
)
def test_year_and_unit_from_the_document_when_the_title_lacks_them(
    tmp_path: Path, title: str, year: int, unit: str
) -> None:
    text = REFERENCE.read_text(encoding="utf-8").replace("牡丹江市西安区2020年政府信息公开 工作年度报告", title, 1)
    path = tmp_path / "某某区2019年报告.txt"  # the file name says otherwise: never read
    path.write_text(text, encoding="utf-8")
    result = audit(path)
    assert (result.year, result.unit) == (year, unit)


def test_unit_from_the_issuer_line_or_the_signature(tmp_path: Path) -> None:
    body = REFERENCE.read_text(encoding="utf-8").replace("牡丹江市西安区2020年政府信息公开 工作年度报告", "年度报告", 1)
    body = body.replace("由西安区人民政府办公室综合", "综合", 1)
    issuer = tmp_path / "issuer.txt"
    issuer.write_text("发布机关：牡丹江市西安区人民政府办公室    发布日期：2021-01-25\n" + body, encoding="utf-8")
    assert audit(issuer).unit == "牡丹江市西安区人民政府办公室"
    signed = tmp_path / "signed.txt"
    signed.write_text(body + "\n\n牡丹江市西安区人民政府\n2021年1月25日\n", encoding="utf-8")
    assert (audit(signed).unit, audit(signed).year) == ("牡丹江市西安区人民政府", 2020)


@pytest.mark.libreoffice
def test_the_folder_workbook_opens_in_libreoffice_with_its_figures(tmp_path: Path) -> None:
    """LibreOffice reads the folder workbook back: the per-unit rows hold the audited figures."""
    import shutil

    from govxl.audit_folder import audit_all, write_audits
    from govxl.sheetnames import FIRST_UNIT_ROW
    from tests.lo import convert

    folder = tmp_path / "年报"
    folder.mkdir()
    shutil.copy(PAGE_2021, folder / PAGE_2021.name)
    write_audits(audit_all([folder]), tmp_path / "核对.xlsx", None)
    (back,) = convert([tmp_path / "核对.xlsx"], tmp_path / "lo")
    import openpyxl

    ws = openpyxl.load_workbook(back, data_only=True)["表三明细"]
    page = audit(PAGE_2021)
    assert ws.cell(FIRST_UNIT_ROW + 1, 3).value == PAGE_2021.name
    assert ws.cell(FIRST_UNIT_ROW + 1, 4).value == page.values["t3.new_received.natural"]


def test_words_about_table_two_are_compared_too(tmp_path: Path) -> None:
    """govxl's own summary sentence restates 表二 (制发, 现行有效, 处理决定, 收费金额): it agrees with the table;
    a sentence changed by one figure is found, naming the 表二 cell."""
    source = ROOT / "samples" / "2021" / "区人民政府办公室.xlsx"
    report = write_report(source, tmp_path / "report.html")
    assert not [f for f in audit(report).findings if f.rule == "C12"]
    page = report.read_text(encoding="utf-8")
    ret = read_return(source)
    assert isinstance(ret, Figures)
    issued = int(ret.numbers()["t2.normative.issued"])
    said = f"行政规范性文件{issued}件"
    assert said in page
    changed = tmp_path / "changed.html"
    at = page.index("二、主动公开政府信息情况")
    changed.write_text(page[:at] + f"<p>本年制发行政规范性文件{issued + 3}件。</p>" + page[at:], encoding="utf-8")
    (c12,) = [f for f in audit(changed).findings if f.rule == "C12"]
    assert (c12.key, c12.expected, c12.actual) == ("t2.normative.issued", str(issued), str(issued + 3))


def test_a_sentence_summing_two_rows_is_not_read_as_one() -> None:
    from govxl.editions.text_figures import PHRASES

    partial = next(p for p in PHRASES if p.name == "部分公开")
    assert not re.search(partial.pattern, "予以公开及部分公开258件")
    assert re.search(partial.pattern, "部分公开3件").group(1) == "3"  # type: ignore[union-attr]


def test_a_folder_lists_every_file_it_could_not_read_and_ignores_lock_files(tmp_path: Path) -> None:
    """Every file of the folder is a report or a reason, told by content: a page saved as .jsp is read, a
    workbook points to govxl check, a picture is named; Office's lock files are passed over."""
    import shutil

    from govxl.audit_folder import audit_all

    folder = tmp_path / "年报"
    folder.mkdir()
    shutil.copy(PAGE_2021, folder / "content_1916974.jsp")
    shutil.copy(ROOT / "samples" / "2021" / "区财政局.xlsx", folder / "区财政局.xlsx")
    (folder / "截图.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64))
    (folder / "~$年报.docx").write_bytes(b"\x00lock")
    (folder / "Thumbs.db").write_bytes(b"\x00")
    result = audit_all([folder])
    assert [Path(r.file).name for r in result.reports] == ["content_1916974.jsp"]
    reasons = {Path(f).name: why for f, why in result.failed}
    assert set(reasons) == {"区财政局.xlsx", "截图.png"}
    assert "govxl check" in reasons["区财政局.xlsx"] and not reasons["区财政局.xlsx"].startswith("区财政局.xlsx")
    assert "不是网页、文本" in reasons["截图.png"]


def test_utf16_text_with_its_mark_is_read(tmp_path: Path) -> None:
    """Notepad's "Unicode" saves UTF-16 with a byte-order mark."""
    path = tmp_path / "年报.txt"
    path.write_bytes(REFERENCE.read_text(encoding="utf-8").encode("utf-16"))
    assert audit(path).values == audit(REFERENCE).values


def test_a_few_table_words_are_not_a_report(tmp_path: Path) -> None:
    path = tmp_path / "memo.txt"
    path.write_text("规章 1 2 3\n", encoding="utf-8")
    with pytest.raises(InputError, match="没有找到"):
        audit(path)


def test_a_title_with_neither_year_nor_unit_prefix(tmp_path: Path) -> None:
    text = REFERENCE.read_text(encoding="utf-8").replace(
        "牡丹江市西安区2020年政府信息公开 工作年度报告", "牡丹江市西安区年度政府信息公开工作年度报告", 1
    )
    path = tmp_path / "r.txt"
    path.write_text(text, encoding="utf-8")
    assert audit(path).unit == "牡丹江市西安区"


def test_one_report_workbook_keeps_how_it_was_read(tmp_path: Path) -> None:
    """The reading notes (R1–R5) reach the single report's workbook: a note on the cell and a row of 校验结果."""
    import openpyxl

    from tests.helpers import run_together

    joined = tmp_path / "joined.txt"
    joined.write_text(run_together(REFERENCE.read_text(encoding="utf-8")), encoding="utf-8")
    result = audit(joined)
    out = write_audit_xlsx(result, tmp_path / "核对.xlsx")
    book = openpyxl.load_workbook(out)
    note = book["表二"]["B8"].comment
    assert note is not None and "R5" in note.text and "4208086" in note.text
    assert sum(c.value == "R5" for row in book["校验结果"].iter_rows() for c in row) == len(
        [f for f in result.findings if f.rule == "R5"]
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["joined.txt", "核对.xlsx"]


def test_one_report_workbook_is_written_once_with_its_marks(tmp_path: Path) -> None:
    """One report's workbook comes straight from XlsxWriter, marked as an audit output: every finding a note
    on its cell (red for an error, amber for a hint) and a row of 校验结果, the cached values as written."""
    import zipfile

    import openpyxl

    from govxl.excel.finding_notes import note
    from govxl.excel.styles import ERROR_FILL, HINT_FILL
    from govxl.markers import govxl_made

    result = audit(PAGE_2021)
    assert [f for f in result.errors if f.cell] and [f for f in result.hints if f.cell]
    out = write_audit_xlsx(result, tmp_path / "核对.xlsx")
    assert govxl_made(out) == "audit"
    with zipfile.ZipFile(out) as zf:
        assert b"<Application>Microsoft Excel</Application>" in zf.read("docProps/app.xml")
        assert b"openpyxl" not in zf.read("docProps/app.xml") + zf.read("docProps/core.xml")
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[-1] == "校验结果"
    on_cells = [f for f in result.findings if f.sheet and f.cell]
    assert on_cells
    for f in on_cells:
        cell = book[f.sheet][f.cell]
        assert cell.comment is not None and note(f) in cell.comment.text.split("\n")
        worst = any(g.is_error for g in on_cells if (g.sheet, g.cell) == (f.sheet, f.cell))
        assert cell.fill.fgColor.rgb == "FF" + (ERROR_FILL if worst else HINT_FILL).lstrip("#")
    rows = list(book["校验结果"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1], r[4], r[5]) for r in rows] == [
        (i, f.severity.value, f.rule, f.message) for i, f in enumerate(result.findings, start=1)
    ]
    back = read_return(out)
    assert isinstance(back, Figures) and back.numbers() == {k: v or 0.0 for k, v in result.values.items()}


@pytest.mark.libreoffice
def test_one_report_workbook_recalculates_in_libreoffice_to_its_cached_values(tmp_path: Path) -> None:
    import openpyxl

    from tests.lo import convert

    out = write_audit_xlsx(audit(PAGE_2021), tmp_path / "核对.xlsx")
    (back,) = convert([out], tmp_path / "lo")
    cached, recalculated = (openpyxl.load_workbook(p, data_only=True) for p in (out, back))
    compared = 0
    for name in cached.sheetnames:
        if cached[name].sheet_state != "visible":
            continue
        for row in cached[name].iter_rows():
            for c in row:
                if c.value is not None:
                    assert recalculated[name][c.coordinate].value == c.value, (name, c.coordinate)
                    compared += 1
    assert compared > 100


@pytest.mark.parametrize("one_report", [False, True])
def test_an_audit_writes_both_outputs_or_neither(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, one_report: bool
) -> None:
    """The folder workbook or one report's workbook, and the JSON: a failure leaves neither behind."""
    import govxl.audit_folder
    from govxl.audit_folder import audit_all, write_audits

    def fails(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(govxl.audit_folder, "write_audit_xlsx" if one_report else "write_audit_book", fails)
    result = audit_all([REFERENCE] if one_report else [REFERENCE, PAGE_2021])
    with pytest.raises(OSError):
        write_audits(result, tmp_path / "核对.xlsx", tmp_path / "核对.json", one_report=one_report)
    assert list(tmp_path.iterdir()) == []  # the JSON is not left behind without its workbook
