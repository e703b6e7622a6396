"""`govxl check`: annotated copies for 退回修改, cross-year rules, explanations, the command line."""

from __future__ import annotations

import random
import sys
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from govxl.apps.cli import main
from govxl.check import check_files
from govxl.editions import edition_by_id
from govxl.editions.rules import Severity
from govxl.excel.annotate import annotate_all
from govxl.excel.template_book import build_template
from govxl.merge import merge, write_outputs
from govxl.read.workbook import read_return
from govxl.results.figures import Figures
from govxl.synth import consistent_values
from tests.conftest import SAMPLES_2021
from tests.helpers import value_diffs

OLD, NEW = edition_by_id("2019"), edition_by_id("2021")


@pytest.fixture
def annotated(annotated_2021):  # type: ignore[no-untyped-def]
    return annotated_2021  # written once for the session (conftest.py)


def test_annotated_copies_for_every_return_with_findings(annotated) -> None:  # type: ignore[no-untyped-def]
    written, result, before = annotated
    with_findings = [fc for fc in result.files if fc.ret is not None and fc.findings]
    assert len(written) == len(with_findings) == 12
    assert all(p.name.endswith("_退回修改.xlsx") for p in written)
    assert before == {p: p.read_bytes() for p in SAMPLES_2021.iterdir()}  # originals untouched


def test_annotated_copy_marks_cells_and_keeps_values(annotated) -> None:  # type: ignore[no-untyped-def]
    written, _, _ = annotated
    copy = next(p for p in written if p.name.startswith("区自然资源局"))
    original = SAMPLES_2021 / "区自然资源局.xlsx"
    assert value_diffs(original, copy) == []  # every value, incl. cached formula results, as in the original
    wb = openpyxl.load_workbook(copy)
    cell = wb["表四"]["E5"]
    assert cell.comment is not None and "B3" in cell.comment.text and "建议值：4" in cell.comment.text
    assert cell.fill.fgColor.rgb.endswith("FFC7CE")
    assert wb["表四"]["E5"].value == openpyxl.load_workbook(original)["表四"]["E5"].value == 3  # typed, kept as typed
    assert "校验结果" in wb.sheetnames
    rows = list(wb["校验结果"].iter_rows(min_row=2, values_only=True))
    assert any(r[4] == "B3" and r[3] == "E5" for r in rows)
    assert wb["表三"].protection.sheet and len(wb["表二"].data_validations.dataValidation) > 0
    a, b = read_return(original), read_return(copy)
    assert isinstance(a, Figures) and isinstance(b, Figures)
    assert {k: c.number for k, c in a.cells.items()} == {k: c.number for k, c in b.cells.items()}


@pytest.mark.libreoffice
def test_annotated_copy_opens_in_libreoffice(annotated, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.lo import convert

    written, _, _ = annotated
    out = convert(written[:4], tmp_path)
    for copy, recalculated in zip(written[:4], out, strict=True):
        assert value_diffs(copy, recalculated) == [], copy.name
        wb = openpyxl.load_workbook(recalculated)
        assert any(c.comment for ws in wb for row in ws.iter_rows() for c in row)


def _unit(path: Path, edition, year: int, values: dict) -> Path:  # type: ignore[no-untyped-def, type-arg]
    build_template(path, edition, year, unit="区测试局", values=values)
    return path


def test_cross_year_2020_to_2021(tmp_path: Path) -> None:
    last = consistent_values(OLD, random.Random(1))
    last_path = _unit(tmp_path / "2020.xlsx", OLD, 2020, last)
    this = consistent_values(NEW, random.Random(2))
    for c in NEW.groups["t3_cols"]:  # carried over exactly what was carried forward...
        diff = int(last[f"t3.carry_forward.{c}"]) - int(this[f"t3.carried_over.{c}"])  # type: ignore[arg-type]
        this[f"t3.carried_over.{c}"] = int(last[f"t3.carry_forward.{c}"])  # type: ignore[arg-type]
        this[f"t3.new_received.{c}"] = int(this[f"t3.new_received.{c}"]) - diff  # type: ignore[arg-type]
    ok = _unit(tmp_path / "2021.xlsx", NEW, 2021, this)
    assert [f for f in check_files([ok], last_year=last_path).findings if f.rule.startswith("D")] == []
    this["t3.carried_over.natural"] = int(this["t3.carried_over.natural"]) + 1  # type: ignore[arg-type]
    this["t3.new_received.natural"] = int(this["t3.new_received.natural"]) - 1  # type: ignore[arg-type]
    bad = _unit(tmp_path / "2021b.xlsx", NEW, 2021, this)
    d = [f for f in check_files([bad], last_year=last_path).findings if f.rule.startswith("D")]
    assert [(f.rule, f.cell, f.severity) for f in d] == [("D1", "D6", Severity.ERROR)]


def test_cross_year_2021_to_2022_in_force(tmp_path: Path) -> None:
    last = consistent_values(NEW, random.Random(3))
    this = consistent_values(NEW, random.Random(4))
    for c in NEW.groups["t3_cols"]:
        this[f"t3.new_received.{c}"] = (
            int(this[f"t3.new_received.{c}"])
            - int(this[f"t3.carried_over.{c}"])
            + int(  # type: ignore[arg-type]
                last[f"t3.carry_forward.{c}"]  # type: ignore[arg-type]
            )
        )
        this[f"t3.carried_over.{c}"] = last[f"t3.carry_forward.{c}"]
    for r in ("regulations", "normative"):
        this[f"t2.{r}.in_force"] = (
            int(last[f"t2.{r}.in_force"]) + int(this[f"t2.{r}.issued"]) - int(this[f"t2.{r}.repealed"])
        )  # type: ignore[arg-type]
    this["t2.normative.in_force"] = int(this["t2.normative.in_force"]) + 2  # type: ignore[arg-type]
    last_path = _unit(tmp_path / "2021.xlsx", NEW, 2021, last)
    path = _unit(tmp_path / "2022.xlsx", NEW, 2022, this)
    d = [f for f in check_files([path], last_year=last_path).findings if f.rule.startswith("D")]
    assert [(f.rule, f.cell, f.severity) for f in d] == [("D2", "D5", Severity.HINT)]
    # 2021 has no new-format predecessor: D2 does not apply to 2020 -> 2021
    assert not [
        f
        for f in check_files(
            [last_path], last_year=_unit(tmp_path / "o.xlsx", OLD, 2020, consistent_values(OLD, random.Random(5)))
        ).findings
        if f.rule == "D2"
    ]


def _carried_over_mismatch(tmp_path: Path, merged_2020) -> tuple[Path, Path]:  # type: ignore[no-untyped-def]
    """西安区's 2020 merged workbook, and a 2021 folder whose 司法局 carried over 2 applications it never had."""
    last = merged_2020.path
    this = consistent_values(NEW, random.Random(6))
    this["t3.carried_over.natural"] = 2
    this["t3.new_received.natural"] = int(this["t3.new_received.natural"]) - 2  # type: ignore[arg-type]
    folder = tmp_path / "2021"
    folder.mkdir()
    build_template(folder / "a.xlsx", NEW, 2021, unit="西安区司法局", values=this)
    return last, folder


def test_cross_year_per_unit_in_merge(tmp_path: Path, merged_2020) -> None:  # type: ignore[no-untyped-def]
    last, folder = _carried_over_mismatch(tmp_path, merged_2020)
    result = merge([folder], last_year=last, when=datetime(2022, 1, 1))
    d1 = [(f.unit, f.cell) for f in result.findings if f.rule == "D1" and f.cell == "D6"]
    assert ("西安区司法局", "D6") in d1 and ("（汇总数）", "D6") in d1


def test_explained_hint_is_shown_as_explained(tmp_path: Path) -> None:
    values = consistent_values(NEW, random.Random(8))
    values["t2.fees.amount"] = 200000.0  # C4: suspiciously large
    path = tmp_path / "u.xlsx"
    build_template(path, NEW, 2021, unit="区测试局", values=values, explanations={"t2": "本单位为收费大户，数据属实"})
    (fc,) = check_files([path]).files
    (c4,) = [f for f in fc.findings if f.rule == "C4"]
    assert c4.severity is Severity.HINT and c4.explanation == "本单位为收费大户，数据属实"
    assert fc.errors == 0


def test_check_command(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        sys, "argv", ["govxl", "check", str(SAMPLES_2021 / "区自然资源局.xlsx"), "--json", str(tmp_path / "f.json")]
    )
    with pytest.raises(SystemExit) as e:
        main()
    out = capsys.readouterr().out
    assert e.value.code == 1
    assert "[提示] 表四!E5 L1 疑似错误单元格：表四“行政复议·总计”（表四!E5，填写为3）；建议值4" in out
    monkeypatch.setattr(sys, "argv", ["govxl", "check", str(SAMPLES_2021 / "说明.xlsx")])
    with pytest.raises(SystemExit) as e:
        main()
    assert e.value.code == 2
    monkeypatch.setattr(sys, "argv", ["govxl", "check", str(SAMPLES_2021 / "区人民政府办公室.xlsx")])
    with pytest.raises(SystemExit) as e:
        main()
    assert e.value.code == 0 and "通过" in capsys.readouterr().out


def test_check_a_merged_workbook_points_at_unit_rows(tmp_path: Path) -> None:
    merged = tmp_path / "区汇总.xlsx"
    write_outputs(merge([SAMPLES_2021], name="某区", when=datetime(2022, 1, 1)), merged)
    (fc,) = check_files([merged]).files
    b3 = [f for f in fc.findings if f.rule == "B3" and f.sheet == "表四明细"]
    assert {f.unit for f in b3} == {"区自然资源局"}  # 区司法局’s lost formula result is recomputed, not blamed
    assert not [f for f in fc.findings if f.rule == "L1" and f.sheet == "表四"]  # never blames a SUM cell


def test_check_year_problems_are_per_file(tmp_path: Path) -> None:
    good = _unit(tmp_path / "good.xlsx", NEW, 2021, consistent_values(NEW, random.Random(1)))
    odd = _unit(tmp_path / "odd.xlsx", NEW, 2018 + 13, consistent_values(NEW, random.Random(2)))  # 2031
    files = {Path(fc.shown).name: fc for fc in check_files([good, odd]).files}
    assert files["good.xlsx"].errors == 0
    (f,) = [f for f in files["odd.xlsx"].findings if f.rule == "F6"]
    assert "报告年度 2031 不在支持范围内" in f.message
    (fc,) = check_files([good], year=2022).files
    (f,) = [f for f in fc.findings if f.rule == "F6"]
    assert f.message == (  # a template of another year: said as such, no word of cross-year checks not asked for
        "该报表封面的报告年度为2021，不是本次检查的2022年度：可能套用了2021年度的模板，"
        "请改用2022年度模板填报，或改正封面上的报告年度"
    )
    last = _unit(tmp_path / "last.xlsx", NEW, 2021, consistent_values(NEW, random.Random(3)))
    (fc,) = check_files([good], year=2022, last_year=last).files
    (f,) = [f for f in fc.findings if f.rule == "F6"]
    assert f.message.endswith("或改正封面上的报告年度；未做跨年度校验")


def test_check_merged_workbook_against_last_year_per_unit(tmp_path: Path, merged_2020) -> None:  # type: ignore[no-untyped-def]
    last, folder = _carried_over_mismatch(tmp_path, merged_2020)
    merged = tmp_path / "2021.xlsx"
    write_outputs(merge([folder], name="西安区", when=datetime(2022, 1, 1)), merged)
    (fc,) = check_files([merged], last_year=last).files
    d1 = {(f.unit, f.cell) for f in fc.findings if f.rule == "D1" and f.is_error}
    assert ("西安区司法局", "K5") in d1 and ("（汇总数）", "D6") in d1


def test_annotated_copies_are_reproducible(tmp_path: Path) -> None:
    src = SAMPLES_2021 / "区人力资源和社会保障局.xlsx"  # carries a date where a number belongs
    (a,), _ = annotate_all(check_files([src]), tmp_path / "a")
    (b,), _ = annotate_all(check_files([src]), tmp_path / "b")
    assert a.read_bytes() == b.read_bytes()
    first = {(f.sheet, f.cell, f.rule, f.message) for f in check_files([src]).files[0].findings}
    again = {(f.sheet, f.cell, f.rule, f.message) for f in check_files([a]).files[0].findings}
    assert again == first  # the copy says the same about itself as the original did
