"""The demo data under samples/: current, and the 2020 set adds up to the published report."""

from __future__ import annotations

import importlib.util
import sys
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import pytest
from python_calamine import CalamineWorkbook

from govxl.editions import edition_by_id
from govxl.layout import layouts
from tests.conftest import SAMPLES

OLD = edition_by_id("2019")

# 牡丹江市西安区2020年政府信息公开工作年度报告（000_df20fa1b9dca726d.txt; editions.md §8)
PUBLISHED_T2: dict[str, str] = {  # prev_items/delta/decisions and the like
    "regulations": "0/0/0",
    "normative": "0/0/4",
    "licensing": "42/0/8086",
    "other_services": "357/0/24988",
    "penalty": "1016/-684/2",
    "coercion": "52/-25/0",
    "fees": "0/0",
}
PUBLISHED_PROCUREMENT = (107, Decimal("6733.41375"))
PUBLISHED_NONZERO = {
    f"t3.{row}.{col}": 1 for row in ("new_received", "granted", "total") for col in ("natural", "total")
}


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_samples", SAMPLES / "make_samples.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def script() -> ModuleType:
    return _script()


def test_samples_are_current(script: ModuleType, tmp_path: Path) -> None:
    fresh = script.make_samples(tmp_path)
    assert fresh
    for path in fresh:
        rel = path.relative_to(tmp_path)
        shipped = SAMPLES / rel
        assert shipped.exists(), f"missing samples/{rel}: run python samples/make_samples.py"
        assert shipped.read_bytes() == path.read_bytes(), f"samples/{rel} is stale: run python samples/make_samples.py"
    for folder in {p.relative_to(tmp_path).parts[0] for p in fresh}:
        made = {p.name for p in fresh if p.parent.name == folder}
        leftovers = {p.name for p in (SAMPLES / folder).glob("*.xlsx")} - made
        assert not leftovers, f"samples/{folder} holds files the script does not write: {sorted(leftovers)}"


def _number(value: object) -> Decimal:
    """A cell as the report counts it: blank is 0, an amount may carry 万元."""
    if value == "" or value is None:
        return Decimal(0)
    if isinstance(value, str):
        return Decimal(value.strip().removesuffix("万元"))
    assert isinstance(value, (int, float)) and not isinstance(value, bool), value
    return Decimal(str(value))


def _read_2020() -> dict[str, dict[str, object]]:
    files = sorted((SAMPLES / "2020西安区").glob("*.xlsx"))
    assert 12 <= len(files) <= 14
    out: dict[str, dict[str, object]] = {}
    for path in files:
        wb = CalamineWorkbook.from_path(str(path))
        cells: dict[str, object] = {}
        for lay in layouts(OLD):
            rows = wb.get_sheet_by_name(lay.sheet).to_python(skip_empty_area=False)
            cells.update({c.key: rows[c.row][c.col] for c in lay.cells})
        out[path.stem] = cells
    return out


def test_2020_adds_up_to_the_published_report() -> None:
    units = _read_2020()
    sums = {
        key: sum((_number(cells[key]) for cells in units.values()), Decimal(0)) for key in next(iter(units.values()))
    }

    table = OLD.table("t2")
    columns = {row.key: [c.key for c in b.columns] for b in table.blocks for row in b.rows}  # type: ignore[union-attr]
    for row, published in PUBLISHED_T2.items():
        got = "/".join(str(int(sums[f"t2.{row}.{col}"])) for col in columns[row])
        assert got == published, (row, got)
    assert (sums["t2.procurement.projects"], sums["t2.procurement.amount"]) == PUBLISHED_PROCUREMENT

    for key, total in sums.items():
        if key.startswith(("t3.", "t4.")):
            assert total == PUBLISHED_NONZERO.get(key, 0), key


def test_2020_blanks_and_text_amount_as_in_the_report() -> None:
    units = _read_2020()
    review = ("upheld", "corrected", "other", "pending")
    blank = [u for u, cells in units.items() if all(cells[f"t4.review.{p}"] == "" for p in review)]
    assert len(blank) == 1
    text = [u for u, cells in units.items() if isinstance(cells["t2.procurement.amount"], str)]
    assert [units[u]["t2.procurement.amount"] for u in text] == ["6733.41375万元"]
    for unit, cells in units.items():  # everything else is an explicit number
        for key, value in cells.items():
            if (unit in blank and key.startswith("t4.review.")) or (unit in text and key == "t2.procurement.amount"):
                continue
            assert isinstance(value, float), (unit, key, value)
        for row in ("licensing", "other_services", "penalty", "coercion", "fees"):
            assert _number(cells[f"t2.{row}.prev_items"]) + _number(cells[f"t2.{row}.delta"]) >= 0, (unit, row)


def test_2021_roster(script: ModuleType) -> None:
    folder = SAMPLES / "2021"
    roster = (folder / "单位名单.txt").read_text(encoding="utf-8").splitlines()
    assert len(roster) == 17 == len(set(roster))
    files = {p.stem for p in folder.glob("*.xlsx")}
    assert script.NOT_REPLIED in roster and script.NOT_REPLIED not in files
    assert script.NOT_ON_ROSTER not in roster and script.NOT_ON_ROSTER in files
    not_on_file = [u for u in roster if not any(f == u or f.startswith(u + "（") for f in files)]
    assert not_on_file == [script.NOT_REPLIED]
