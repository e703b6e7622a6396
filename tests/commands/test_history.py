"""govxl history: three report years across the edition change, per unit and in total, with D1 and charts."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from govxl.editions import edition_by_id, edition_for_year
from govxl.editions.series import SERIES
from govxl.excel.template_book import build_template
from govxl.history import history, write_history
from govxl.layout import cell_index
from govxl.merge import merge, write_outputs
from govxl.results.history import TOTAL
from govxl.synth import consistent_values
from tests.apps.test_cli import run
from tests.conftest import SAMPLES
from tests.helpers import sheet_values

UNITS = ("甲局", "乙局")


def _year(root: Path, year: int, carried: dict[str, int], forward: dict[str, int]) -> Path:
    """A district's merged workbook for ``year``: each unit's 上年结转 and 结转下年度 (自然人) as given."""
    edition = edition_for_year(year)
    inbox = root / str(year)
    inbox.mkdir()
    for i, unit in enumerate(UNITS):
        v = consistent_values(edition, random.Random(year * 10 + i))
        for c in edition.groups["applicants"]:
            v[f"t3.carried_over.{c}"] = carried[unit] if c == "natural" else 0
            v[f"t3.carry_forward.{c}"] = forward[unit] if c == "natural" else 0
            v[f"t3.new_received.{c}"] = int(v[f"t3.total.{c}"]) + int(v[f"t3.carry_forward.{c}"])  # type: ignore[arg-type]
            v[f"t3.new_received.{c}"] -= int(v[f"t3.carried_over.{c}"])  # type: ignore[arg-type,operator]
        for row in ("carried_over", "carry_forward", "new_received"):
            v.pop(f"t3.{row}.total")
        build_template(inbox / f"{unit}.xlsx", edition, year, unit=unit, values=v)
    out = root / f"{year}汇总.xlsx"
    write_outputs(merge([inbox], name="某区"), out)
    return out


@pytest.fixture(scope="module")
def years(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    root = tmp_path_factory.mktemp("history")
    return [
        _year(root, 2020, {"甲局": 0, "乙局": 0}, {"甲局": 2, "乙局": 1}),  # the 2019 试行 format
        _year(root, 2021, {"甲局": 2, "乙局": 3}, {"甲局": 1, "乙局": 0}),  # 乙局 carried 3, but 1 was left: D1
        _year(root, 2022, {"甲局": 1, "乙局": 0}, {"甲局": 0, "乙局": 0}),
    ]


def test_every_series_names_real_cells_of_each_edition() -> None:
    for s in SERIES:
        assert set(s.keys) == {"2019", "2021"}, s.name
        for edition_id, keys in s.keys.items():
            assert set(keys) <= set(cell_index(edition_by_id(edition_id))), (s.name, edition_id)


def test_history_lines_up_the_years_across_the_edition_change(years: list[Path], tmp_path: Path) -> None:
    result = history(years)
    assert [y.year for y in result.years] == [2020, 2021, 2022]
    assert [y.units[0].edition.id for y in result.years] == ["2019", "2021", "2021"]
    received = result.table[(TOTAL, "本年新收政府信息公开申请数量")]
    for y in result.years:
        assert received[y.year] == y.totals["t3.new_received.total"]
    assert result.table[("乙局", "上年结转政府信息公开申请数量")] == {2020: 0, 2021: 3, 2022: 0}
    d1 = [f for f in result.findings if f.rule == "D1"]
    assert {f.unit for f in d1} == {"乙局", "（汇总数）"} and all(f.is_error for f in d1)
    out = write_history(result, tmp_path / "历年对比.xlsx")
    sheets = sheet_values(out)
    assert set(sheets) == {"历年对比", "跨年度校验", "趋势图"}
    assert sheets["历年对比"][0] == ["单位", "项目", "2020年度", "2021年度", "2022年度"]


def test_history_command(years: list[Path], tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "历年对比.xlsx"
    code, printed, _ = run(capsys, monkeypatch, "history", *map(str, years), "-o", str(out))
    assert code == 1 and "2020、2021、2022 年度的历年对比" in printed and "D1" in printed and out.exists()
    code, _, err = run(capsys, monkeypatch, "history", str(years[0]), "-o", str(tmp_path / "x.xlsx"))
    assert code == 2 and "至少给出两个报告年度" in err


@pytest.mark.libreoffice
def test_the_trend_charts_are_drawn_by_libreoffice(years: list[Path], tmp_path: Path) -> None:
    from tests.lo import convert, pdf_text

    out = write_history(history(years), tmp_path / "历年对比.xlsx")
    (pdf,) = convert([out], tmp_path / "pdf", to="pdf")
    text = pdf_text(pdf)
    assert "本年新收政府信息公开申请数量（历年）" in text and "行政诉讼总计（历年）" in text


def test_history_of_folders_counts_as_merge_does(tmp_path: Path) -> None:
    root = SAMPLES
    result = history([root / "2020西安区", root / "2021"])
    merged = merge([root / "2021"])
    assert result.table[(TOTAL, "本年新收政府信息公开申请数量")][2021] == merged.totals["t3.new_received.total"]
    assert any(f.rule == "F3" for f in result.findings)  # 区民政局's two returns: said, and counted in neither


def test_history_never_replaces_an_input_and_says_when_years_are_missing(years: list[Path], tmp_path: Path) -> None:
    from govxl.errors import UsageError

    before = years[0].read_bytes()
    with pytest.raises(UsageError):  # history() only computes; writing claims the output
        write_history(history(years, outputs=[years[0]]), years[0])
    assert years[0].read_bytes() == before
    gap = history([years[0], years[2]])
    assert any("缺少2021年度的数据" in f.message for f in gap.findings)
    assert not [f for f in gap.findings if f.rule == "D1"]


def test_a_unit_named_with_a_remark_one_year_is_one_row(years: list[Path], tmp_path: Path) -> None:
    edition = edition_for_year(2023)
    folder = tmp_path / "2023"
    folder.mkdir()
    values = consistent_values(edition, random.Random(1))
    build_template(folder / "a.xlsx", edition, 2023, unit="甲局（盖章）", values=values)
    result = history([years[2], folder])
    units = {unit for unit, _ in result.table if unit != TOTAL}
    assert "甲局（盖章）" in units and "甲局" not in units  # one row, named as in the latest year


def test_a_renamed_unit_is_pointed_out_and_a_duplicate_said_once(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    folders = []
    for year, units in (
        (2021, ("区城市管理综合执法局", "区教育局")),
        (2022, ("区城市管理局", "区教育局", "区教育局（更正）")),
    ):
        edition = edition_for_year(year)
        folder = tmp_path / str(year)
        folder.mkdir()
        for i, unit in enumerate(units):
            values = consistent_values(edition, random.Random(year + i))
            build_template(folder / f"{unit}.xlsx", edition, year, unit=unit, values=values)
        folders.append(folder)
    result = history(folders)
    near = [f for f in result.findings if f.rule == "F8"]
    assert [f.unit for f in near] == ["区城市管理局"] and "可能是同一单位" in near[0].message
    assert "区城市管理综合执法局" in near[0].message
    code, out, _ = run(capsys, monkeypatch, "history", *map(str, folders), "-o", str(tmp_path / "对比.xlsx"))
    assert code == 1 and out.count("F3 同一填报单位") == 1, out  # 区教育局's two returns: one finding, not one per file


def test_a_merged_unit_far_from_every_roster_name_is_no_near_name() -> None:
    from govxl.read.roster import near_miss

    assert near_miss("区城市管理综合执法局", "区城市管理局")  # renamed: shortened inside
    assert not near_miss("区城市管理局", "区市场监督管理局") and not near_miss("区民政局", "区人民政府办公室")
