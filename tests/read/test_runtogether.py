"""Published tables whose cells ran together ("（一）予以公开2000002"): cut back into cells under the rules."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from govxl.audit import audit
from govxl.editions.model import Kind
from govxl.layout import cell_index
from govxl.publish import write_report
from govxl.read.runtogether import separate, splits
from govxl.read.workbook import norm, read_return
from govxl.results.figures import Figures
from tests.conftest import ROOT
from tests.helpers import run_together

REFERENCE = ROOT / "tests" / "data" / "reference_2020_xian.txt"


def _rules(result) -> set[str]:  # type: ignore[no-untyped-def]
    return {f.rule for f in result.findings}


def test_splits_cut_digits_into_numbers_that_fit_their_cells() -> None:
    count, signed, amount = Kind.COUNT, Kind.SIGNED, Kind.AMOUNT
    assert splits(["2000002"], [count] * 7) == [("2", "0", "0", "0", "0", "0", "2")]
    assert splits(["1200"], [count] * 3) == [("1", "20", "0"), ("12", "0", "0")]
    assert splits(["000"], [count] * 2) == []  # "00" is not a number a table prints
    assert splits(["52-250"], [count, signed, count]) == [("52", "-2", "50"), ("52", "-25", "0")]
    assert splits(["52-250"], [count] * 3) == []  # a minus sign only where the cell may be negative
    assert ("107", "6733.41375万元") in (splits(["1076733.41375万元"], [count, amount]) or [])
    assert splits(["12", "34"], [count] * 3) == [("1", "2", "34"), ("12", "3", "4")]  # a separator is kept
    assert splits(["1" * 40], [count] * 7) is None  # too many ways to try


def test_separate_cuts_at_labels_and_leaves_sentences_alone() -> None:
    labels = ["（一）予以公开", "（二）部分公开", "三、本年度办理结果"]
    rows = [
        ["三、本年度办理结果（一）予以公开2000002（二）部分公开0000000"],
        ["本年度予以公开2件，（一）予以公开比例较高。"],
        ["（一）予以公开", "2", "0"],
    ]
    out, cut = separate(rows, [norm(t) for t in labels], [])
    assert cut == 1
    assert out == [
        ["三、本年度办理结果", "(一)予以公开", "2000002"],
        ["(二)部分公开", "0000000"],
        ["本年度予以公开2件，（一）予以公开比例较高。"],
        ["（一）予以公开", "2", "0"],
    ]


def test_reference_run_together_reads_as_published_or_names_the_doubt(tmp_path: Path) -> None:
    """The real 2020 report with its cells run together: 表三 reads cell for cell as published (its rules leave one
    way to cut each row); 表二 has no rules between its cells, so each row that can be cut several ways is named
    with its candidates, the published reading among them; 表四's row lost five blank cells and cannot be cut."""
    path = tmp_path / "xian_run_together.txt"
    path.write_text(run_together(REFERENCE.read_text(encoding="utf-8")), encoding="utf-8")
    published, joined = audit(REFERENCE), audit(path)
    assert (joined.edition, joined.year, joined.unit) == (published.edition, published.year, published.unit)
    t3 = {k: v for k, v in published.values.items() if k.startswith("t3.")}
    assert t3 == {k: joined.values[k] for k in t3}
    ambiguous = {f.cell: f.message for f in joined.findings if f.rule == "R5"}
    # 表二: 行政许可, 其他对外管理服务事项, 处罚, 强制, 采购; 表四's row, which lost its five blank cells
    assert set(ambiguous) == {"B8", "B9", "B12", "B13", "B19", "A5"}
    assert "无法拆分为15个数" in ambiguous["A5"] and "按空白读取" in ambiguous["A5"]
    assert "42、0、8086" in ambiguous["B8"] and "1016、-684、2" in ambiguous["B12"]
    assert "52、-25、0" in ambiguous["B13"] and "107、6733.41375万元" in ambiguous["B19"]
    for key in ("t2.regulations.current", "t2.normative.current", "t2.fees.prev_items"):
        if key in published.values:
            assert joined.values[key] == published.values[key]
    (t3_note,) = [f for f in joined.findings if f.rule == "R4" and f.sheet == "表三"]
    assert "勾稽关系全部成立" not in t3_note.message  # a cut was found under which every rule holds
    assert all(joined.values[k] is None for k in joined.values if k.startswith("t4."))  # never a made-up number


@pytest.mark.parametrize("source", ["2021/区人民政府办公室.xlsx", "2021/区自然资源局.xlsx"])
def test_report_written_by_govxl_run_together_reads_to_the_same_cells(tmp_path: Path, source: str) -> None:
    ret = read_return(ROOT / "samples" / source)
    assert isinstance(ret, Figures)
    report = write_report(ret.path, tmp_path / "report.md")
    joined = tmp_path / "joined.txt"
    joined.write_text(run_together(report.read_text(encoding="utf-8")), encoding="utf-8")
    separated, together = audit(report), audit(joined)
    assert "R4" in _rules(together) and "R4" not in _rules(separated)
    index = cell_index(together.edition)

    def row(key: str) -> tuple[str, int]:  # the table row of a cell (表四's 15 cells are one row)
        lay, cell = index[key]
        return lay.sheet, cell.row

    named = {row(f.key) for f in together.findings if f.rule == "R5"}
    own_rule_broken = {row(f.key) for f in separated.findings if f.rule in ("B1", "B3")}
    # 表二 has no rules between its cells; a row whose 总计 is not the sum of its parts fits no cut
    assert all(sheet == "表二" or (sheet, r) in own_rule_broken for sheet, r in named)
    differ = {k for k in separated.values if separated.values[k] != together.values[k]}
    assert {row(k) for k in differ} <= named
    assert all(together.values[k] is None for k in differ)  # a cell in doubt is read blank, never guessed
    if not named - {r for r in named if r[0] == "表二"}:  # when 表三 and 表四 cut one way, they check the same
        rules = ("A1", "B1", "B2", "B3", "L1", "C12")
        assert {(f.rule, f.cell) for f in together.findings if f.rule in rules} == {
            (f.rule, f.cell) for f in separated.findings if f.rule in rules
        }


def test_two_cuts_that_both_tally_are_named_not_chosen_silently(tmp_path: Path) -> None:
    """表四's 未经复议直接起诉 as 10, 1, 0, 0, 11 prints as "1010011", which 1, 0, 10, 0, 11 prints as too:
    both tally, so the report names both instead of picking one."""
    report = write_report(ROOT / "samples" / "2021" / "区人民政府办公室.xlsx", tmp_path / "report.md")
    lines = report.read_text(encoding="utf-8").splitlines()
    row = next(i for i, line in enumerate(lines) if re.fullmatch(r"\|( *\d+ *\|){15}", line))
    lines[row] = "| " + " | ".join(("0",) * 5 + ("10", "1", "0", "0", "11") + ("0",) * 5) + " |"
    joined = tmp_path / "joined.txt"
    joined.write_text(run_together("\n".join(lines)), encoding="utf-8")
    result = audit(joined)
    (doubt,) = [f for f in result.findings if f.rule == "R5" and f.sheet == "表四"]
    assert "“00000101001100000”" in doubt.message and "有2种拆法" in doubt.message
    assert "0、0、0、0、0、1、0、10、0、11、0、0、0、0、0" in doubt.message
    assert "0、0、0、0、0、10、1、0、0、11、0、0、0、0、0" in doubt.message
    assert result.values["t4.lit_direct.total"] == 11  # the cells both readings share are read
    assert not [f for f in result.errors if f.sheet == "表四"]
