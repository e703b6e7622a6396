"""Real published reports, read cell for cell against hand-checked transcriptions (see data/real/SOURCES.md).

Where govxl misreads a real report the test states the right answer and is marked xfail(strict=True),
saying exactly what goes wrong, so that it starts failing (and must be unmarked) once govxl reads it.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from govxl.audit import AuditResult, audit
from govxl.editions import edition_for_year
from govxl.layout import cell_index, layouts
from tests.conftest import DATA

REAL = DATA / "real"
SHANGHAI = REAL / "shanghai_office_2019.html"
SHANGHAI_FORMS = ["html", "docx", "pdf"]  # the page, and Word and PDF made from it with LibreOffice
TRUNCATED_2021 = ["yanliang_xinfang_2021", "yueyang_xinfang_2021"]

# 表三 rows of the Shanghai report whose 总计 cell is printed empty although the row has applicants
# (J7 予以公开 … J21 不予处理·重复申请): the row-total rule B1 fails on each, with the sum it should be.
SHANGHAI_EMPTY_TOTALS = {
    "J7": 272,  # 258 + 12 + 1 + 1
    "J8": 3,
    "J9": 14,
    "J13": 5,
    "J14": 4,  # 3 + 1
    "J16": 12,  # 10 + 2
    "J17": 265,  # 252 + 12 + 1
    "J18": 47,  # 44 + 3
    "J19": 25,
    "J20": 149,  # 148 + 1
    "J21": 9,  # 5 + 4
}


@cache
def transcription(name: str) -> dict:
    return json.loads((REAL / f"{name}.cells.json").read_text(encoding="utf-8"))


@cache
def audited(path: Path) -> AuditResult:
    return audit(path)


def _shanghai(form: str) -> AuditResult:
    return audited(SHANGHAI.with_suffix(f".{form}"))


def _differences(result: AuditResult, expected: dict[str, float | None], prefix: str = "") -> dict:
    return {
        k: (v, result.values.get(k)) for k, v in expected.items() if k.startswith(prefix) and result.values.get(k) != v
    }


# ---------------------------------------------------------------- 上海市人民政府办公厅, 2019 (complete)


def test_transcription_is_complete() -> None:
    for name in ["shanghai_office_2019", *TRUNCATED_2021]:
        t = transcription(name)
        edition = edition_for_year(t["year"])
        assert edition.id == t["edition"]
        assert set(t["values"]) == set(cell_index(edition))
        assert set(t.get("absent", [])) <= {k for k, v in t["values"].items() if v is None}


@pytest.mark.parametrize("form", SHANGHAI_FORMS)
def test_shanghai_unit_year_edition(form: str) -> None:
    result = _shanghai(form)
    assert result.edition.id == "2019"
    assert (result.year, result.unit) == (2019, "上海市人民政府办公厅")
    assert result.read_as == {"html": "网页", "docx": "Word", "pdf": "PDF"}[form]


@pytest.mark.parametrize("form", SHANGHAI_FORMS)
def test_shanghai_tables_three_and_four_cell_for_cell(form: str) -> None:
    expected = transcription("shanghai_office_2019")["values"]
    result = _shanghai(form)
    assert _differences(result, expected, "t3.") == {}
    assert _differences(result, expected, "t4.") == {}


@pytest.mark.parametrize("form", SHANGHAI_FORMS)
def test_shanghai_every_cell(form: str) -> None:
    expected = transcription("shanghai_office_2019")["values"]
    assert _differences(_shanghai(form), expected) == {}


@pytest.mark.parametrize("form", SHANGHAI_FORMS)
def test_shanghai_tallying_errors_are_the_empty_totals(form: str) -> None:
    """The published 总计 column is empty from 予以公开 to 不予处理: 11 row totals missing, and so the column
    of totals adds up to 0 against the printed （七）总计 805. Every other rule holds (A1: 859+18 = 805+72)."""
    result = _shanghai(form)
    errors = {(f.rule, f.sheet, f.cell, f.expected, f.actual) for f in result.errors}
    assert errors == {
        *(("B1", "表三", cell, str(total), "0") for cell, total in SHANGHAI_EMPTY_TOTALS.items()),
        ("B2", "表三", "J26", "0", "805"),
    }


@pytest.mark.parametrize("form", SHANGHAI_FORMS)
def test_shanghai_text_against_tables(form: str) -> None:
    """The words restate 共受理…申请859件 (表三 J5 859), 上年度结转申请18件 (J6 18), 行政复议7件 (表四 E5 7):
    all agree, so no C12. The report's real disagreements are in sentences that sum several cells, which C12
    leaves alone by design: 予以公开及部分公开258件 (the table gives 272 + 3 = 275; 258 is the 自然人 cell of
    予以公开) and 因本机关不掌握等原因无法提供265件 (the table's 无法提供 rows give 265 + 47 + 25 = 337;
    265 is the 本机关不掌握 row alone). With 275 and 337 the text's parts would add up to the 805 it states."""
    result = _shanghai(form)
    assert [f for f in result.findings if f.rule == "C12"] == []


@pytest.mark.parametrize("form", SHANGHAI_FORMS)
def test_shanghai_table_two_findings(form: str) -> None:
    """Read right, 表二 has no surplus values, no blanks and no 新公开 > 公开总数; the amount is printed in 元."""
    result = _shanghai(form)
    table2 = {(f.rule, f.cell) for f in result.findings if f.sheet == "表二"}
    assert not {rule for rule, _ in table2} & {"R1", "R2", "R3", "C3", "C8"}
    assert ("C4", "C19") in table2  # 251000元 read as 25.1 万元
    assert result.assumptions == []


# ---------------------------------------------------------------- two 2021-edition reports, truncated copies


@pytest.mark.parametrize("name", TRUNCATED_2021)
def test_truncated_2021_report(name: str) -> None:
    t = transcription(name)
    result = audited(REAL / t["report"])
    assert (result.edition.id, result.year, result.unit) == ("2021", 2021, t["unit"])
    assert _differences(result, t["values"]) == {}
    cut_off = {lay.sheet for lay in layouts(result.edition) if all(c.key in t["absent"] for c in lay.cells)}
    # nothing published contradicts anything; only the tables the copy lacks altogether are missing
    assert {(f.rule, f.sheet) for f in result.errors} == {("F2", sheet) for sheet in cut_off}
    assert [f for f in result.findings if f.rule == "C12"] == []  # the words state no figure of the tables
    if name == "yueyang_xinfang_2021":  # 表二 says 规范性文件, the 2019 label (editions.md E3)
        assert any(f.rule == "C14" and "规范性文件" in f.message for f in result.findings)
    missing = {k.rsplit(".", 1)[0] for k in t["absent"] if k.startswith("t3.")}
    not_found = {f.key.rsplit(".", 1)[0] for f in result.findings if f.rule == "R2" and f.key.startswith("t3.")}
    if "表三" not in cut_off:
        assert missing <= not_found  # the rows the copy lacks are said to be missing, not read as numbers


# ---------------------------------------------------------------- the same reports with their cells run together


@pytest.mark.parametrize("name", ["shanghai_office_2019", *TRUNCATED_2021])
def test_run_together_reads_as_published_or_names_the_rows_in_doubt(name: str) -> None:
    """Each table row's cells joined without separators, empty cells gone (as scrapers leave them): every cell
    reads as published, or its row is named (R5) as one the tallying rules cannot cut one way, and then no
    number is made up for a cell of a row that could not be cut at all."""
    t = transcription(name)
    result = audited(REAL / f"{name}.runtogether.txt")
    assert (result.edition.id, result.year, result.unit) == (t["edition"], t["year"], t["unit"])
    index = cell_index(result.edition)

    def row(key: str) -> tuple[str, int]:  # the table row a cell is on (表四's 15 cells are one row)
        lay, cell = index[key]
        return lay.sheet, cell.row

    named = {row(f.key) for f in result.findings if f.rule == "R5"}
    absent = set(t.get("absent", []))
    wrong = {k for k in _differences(result, t["values"]) if k not in absent}
    assert {row(k) for k in wrong} <= named
    assert any(f.rule == "R4" for f in result.findings)  # the cutting itself is said
    read_right = {k for k in t["values"] if k not in wrong and k not in absent}
    assert len(read_right) > len(wrong)  # most of a real table still reads as published


def test_a_folder_of_the_real_reports_yields_one_workbook_and_one_json(tmp_path: Path) -> None:
    import shutil

    from govxl.audit_folder import audit_all, write_audits

    folder = tmp_path / "年报"
    folder.mkdir()
    documents = sorted(p for p in REAL.iterdir() if p.suffix in (".html", ".docx", ".pdf", ".txt"))
    for p in documents:
        shutil.copy(p, folder / p.name)
    result = audit_all([folder])
    assert len(result.reports) == len(documents) == 8 and result.failed == []
    write_audits(result, tmp_path / "核对.xlsx", tmp_path / "核对.json")
    data = json.loads((tmp_path / "核对.json").read_text(encoding="utf-8"))
    assert sorted(Path(r["file"]).name for r in data["reports"]) == [p.name for p in documents]
    import openpyxl

    book = openpyxl.load_workbook(tmp_path / "核对.xlsx", read_only=True)
    assert book.sheetnames == [
        "年报清单",
        *(f"表{n}明细（{e}）" for e in ("2021", "2019") for n in "二三四"),
        "校验结果",
    ]
    assert book["年报清单"].max_row == 1 + len(documents)
