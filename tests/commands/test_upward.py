"""Merged workbooks one level up contribute exactly what they show (issue: nothing lost or changed)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from govxl.editions import edition_by_id
from govxl.excel.template_book import build_template
from govxl.merge import merge, write_outputs
from govxl.synth import consistent_values

NEW = edition_by_id("2021")
TYPED = "t3.new_received.total"  # a row total a department typed (no formula)


def _return(folder: Path, unit: str, seed: int, *, wrong_total: bool = False) -> Path:
    values = consistent_values(NEW, random.Random(seed))
    if wrong_total:
        values[TYPED] = int(values[TYPED]) + 1  # type: ignore[arg-type]  # typed 56 where the parts sum to 55
    path = folder / f"{unit}.xlsx"
    build_template(path, NEW, 2021, unit=unit, values=values)
    return path


def _district(root: Path, name: str, seeds: range, *, wrong: int | None = None) -> tuple[Path, Path]:
    inbox = root / name
    inbox.mkdir()
    for seed in seeds:
        _return(inbox, f"{name}第{seed}局", seed, wrong_total=seed == wrong)
    out = root / f"{name}汇总.xlsx"
    write_outputs(merge([inbox], name=name), out)
    return inbox, out


@pytest.fixture(scope="module")
def districts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    root = tmp_path_factory.mktemp("upward")
    return {"甲区": _district(root, "甲区", range(1, 5), wrong=2), "乙区": _district(root, "乙区", range(5, 8))}


def test_a_merged_workbook_merged_again_keeps_its_figures(districts, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    inbox, merged_file = districts["甲区"]
    below = merge([inbox], name="甲区")
    city_dir = tmp_path / "市"
    city_dir.mkdir()
    (city_dir / "甲区.xlsx").write_bytes(merged_file.read_bytes())
    above = merge([city_dir], name="市")
    assert above.totals == below.totals
    assert below.totals[TYPED] == sum(r.numbers()[TYPED] for r in below.units)


def test_two_districts_merged_equal_all_returns_at_once(districts, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    city_dir = tmp_path / "市"
    city_dir.mkdir()
    for name, (_, merged_file) in districts.items():
        (city_dir / f"{name}.xlsx").write_bytes(merged_file.read_bytes())
    at_once = merge([inbox for inbox, _ in districts.values()], name="市")
    by_district = merge([city_dir], name="市")
    assert by_district.totals == at_once.totals


def test_a_typed_wrong_total_stays_an_error_one_level_up(districts, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    city_dir = tmp_path / "市"
    city_dir.mkdir()
    (city_dir / "甲区.xlsx").write_bytes(districts["甲区"][1].read_bytes())
    above = merge([city_dir], name="市")
    b1 = [f for f in above.errors if f.rule == "B1" and f.unit == "甲区"]
    assert b1 and b1[0].expected != b1[0].actual
    assert int(b1[0].actual) == int(b1[0].expected) + 1


def test_incompleteness_travels_up_to_the_city(tmp_path: Path) -> None:
    inbox = tmp_path / "丙区"
    inbox.mkdir()
    _return(inbox, "丙区财政局", 11)
    (inbox / "丙区教育局.xlsx").write_bytes(b"PK\x03\x04 broken")
    roster = tmp_path / "名单.txt"
    roster.write_text("丙区财政局\n丙区教育局\n丙区民政局\n丙区司法局\n", encoding="utf-8")
    district = merge([inbox], name="丙区", roster=roster)
    city_dir = tmp_path / "市"
    city_dir.mkdir()
    write_outputs(district, city_dir / "丙区.xlsx")

    city = merge([city_dir], name="市")
    gaps = [f for f in city.hints if f.rule == "F7"]
    assert [f.message for f in gaps] == [
        "丙区：缺报2个单位、无法读取1份，其汇总数不完整（该汇总表记录校验错误3项、提示2项）"
    ]
    assert [line.gaps for line in city.lines] == ["缺报2个单位、无法读取1份"]
    province_dir = tmp_path / "省"
    province_dir.mkdir()
    write_outputs(city, province_dir / "市.xlsx")
    province = merge([province_dir], name="省")
    assert next(f.message for f in province.hints if f.rule == "F7").startswith(
        "市：其下级汇总表中缺报2个单位、无法读取1份，其汇总数不完整"
    )


def test_the_city_cover_shows_a_district_as_incomplete(tmp_path: Path) -> None:
    from tests.helpers import sheet_values

    inbox = tmp_path / "丁区"
    inbox.mkdir()
    _return(inbox, "丁区财政局", 12)
    roster = tmp_path / "名单.txt"
    roster.write_text("丁区财政局\n丁区教育局\n", encoding="utf-8")
    city_dir = tmp_path / "市"
    city_dir.mkdir()
    write_outputs(merge([inbox], name="丁区", roster=roster), city_dir / "丁区.xlsx")
    out = tmp_path / "市.xlsx"
    write_outputs(merge([city_dir], name="市"), out)
    cover = sheet_values(out)["汇总说明"]
    assert any(row[1] == "丁区" and row[2] == "已报（缺报1个单位）" for row in cover)


def test_report_and_last_year_read_what_the_merged_workbook_shows(districts) -> None:  # type: ignore[no-untyped-def]
    from govxl.layout import cell_index, parse_a1
    from govxl.read.lastyear import read_last_year
    from govxl.report import load
    from tests.helpers import sheet_values

    _, merged_file = districts["甲区"]
    r, c = parse_a1(cell_index(NEW)[TYPED][1].ref)
    shown = sheet_values(merged_file)["表三"][r][c]
    values = load(merged_file).values
    parts = sum(v for k, v in values.items() if k.startswith("t3.new_received.") and k != TYPED)
    assert values[TYPED] == shown == parts + 1  # the department's typed 56, not the 55 of its parts
    assert read_last_year(merged_file).totals[TYPED] == shown


def test_a_unit_missing_this_year_is_no_cross_year_error_on_the_totals(tmp_path: Path) -> None:
    from govxl.synth import consistent_values

    def year(folder: Path, y: int, units: dict[str, int], carried: dict[str, int]) -> Path:
        folder.mkdir()
        for unit, carry_forward in units.items():
            v = consistent_values(NEW, random.Random(len(unit)))
            for c in NEW.groups["applicants"]:
                v[f"t3.carried_over.{c}"] = carried.get(unit, 0) if c == "natural" else 0
                v[f"t3.carry_forward.{c}"] = carry_forward if c == "natural" else 0
                v[f"t3.new_received.{c}"] = int(v[f"t3.total.{c}"]) + int(v[f"t3.carry_forward.{c}"])  # type: ignore[arg-type]
                v[f"t3.new_received.{c}"] -= int(v[f"t3.carried_over.{c}"])  # type: ignore[arg-type,operator]
            for row in ("carried_over", "carry_forward", "new_received"):
                v.pop(f"t3.{row}.total")  # the template's own sum
            build_template(folder / f"{unit}.xlsx", NEW, y, unit=unit, values=v)
        return folder

    last = tmp_path / "2025.xlsx"
    write_outputs(merge([year(tmp_path / "a", 2025, {"甲局": 1, "乙局": 1}, {})], name="某区"), last)
    now = merge([year(tmp_path / "b", 2026, {"甲局": 0}, {"甲局": 1})], name="某区", last_year=last)
    assert not [f for f in now.findings if f.rule == "D1"]  # 乙局 is simply absent this year
    wrong = merge([year(tmp_path / "c", 2026, {"甲局": 0}, {"甲局": 2})], name="某区", last_year=last)
    assert {f.unit for f in wrong.errors if f.rule == "D1"} == {"甲局", "（汇总数）"}
