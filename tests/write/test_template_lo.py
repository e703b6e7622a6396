"""Templates in a real spreadsheet engine: LibreOffice recalculates them headless.

Proves that every cached value govxl writes equals what the formulas give,
that the rule engine and the compiled formulas agree on passing and failing
data, and that a broken total shows up in the check cells.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from govxl.editions import EDITIONS, edition_by_id
from govxl.excel.template_book import build_template
from govxl.layout import layouts
from govxl.synth import consistent_values
from tests.helpers import find_text, sheet_values, value_diffs
from tests.lo import convert

pytestmark = pytest.mark.libreoffice

# Not TRUE/FALSE: LibreOffice counts booleans as numbers where Excel (and govxl) do not.
NASTY = [None, "", "/", "—", "无", "abc", "12", -3, 2.5, 0]


def _noisy(edition, rng: random.Random) -> dict:  # type: ignore[no-untyped-def]
    values = consistent_values(edition, rng)
    for lay in layouts(edition):
        for cell in lay.cells:
            if rng.random() < 0.12:
                values[cell.key] = rng.choice(NASTY)
            elif rng.random() < 0.05:
                values[cell.key] = rng.randint(0, 9)  # break a tally
    return values


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Path, Path]]:
    src = tmp_path_factory.mktemp("src")
    paths = []
    rng = random.Random(2024)
    for edition, year in ((edition_by_id("2019"), 2020), (edition_by_id("2021"), 2021)):
        blank = src / f"blank_{year}.xlsx"
        build_template(blank, edition, year)
        paths.append(blank)
        for i in range(3):
            good = src / f"good_{year}_{i}.xlsx"
            build_template(good, edition, year, unit=f"单位{i}", values=consistent_values(edition, rng))
            noisy = src / f"noisy_{year}_{i}.xlsx"
            build_template(noisy, edition, year, unit=f"单位{i}", values=_noisy(edition, rng))
            paths += [good, noisy]
        broken = consistent_values(edition, rng)
        broken["t3.total.natural"] = int(broken["t3.total.natural"]) + 1  # type: ignore[arg-type]
        path = src / f"broken_total_{year}.xlsx"
        build_template(path, edition, year, values=broken)
        paths.append(path)
    out = convert(paths, tmp_path_factory.mktemp("lo"))
    return list(zip(paths, out, strict=True))


def test_every_cached_value_equals_the_recalculated_one(recalculated) -> None:  # type: ignore[no-untyped-def]
    for ours, theirs in recalculated:
        assert value_diffs(ours, theirs) == [], ours.name


def test_failing_data_fails_in_the_engine_too(recalculated) -> None:  # type: ignore[no-untyped-def]
    """Not a vacuous agreement: the noisy files do show errors after recalculation."""
    for ours, theirs in recalculated:
        cover = sheet_values(theirs)["填报说明"]
        r, c = find_text(cover, "校验错误（项）")
        errors = cover[r][c + 1]
        if ours.name.startswith(("noisy", "broken")):
            assert errors > 0, ours.name
        else:
            assert errors == 0, ours.name


def test_a_typed_over_total_shows_in_the_check_cells(recalculated) -> None:  # type: ignore[no-untyped-def]
    for ours, theirs in recalculated:
        if not ours.name.startswith("broken_total"):
            continue
        t3 = sheet_values(theirs)["表三"]
        texts = [v for row in t3 for v in row if isinstance(v, str) and v.startswith("错误：")]
        assert any(t.startswith("错误：表三“自然人”列：第一项加第二项之和为") for t in texts), texts
        assert any(t.startswith("错误：表三“自然人”列：（七）总计为") for t in texts), texts


def test_libreoffice_really_recalculates(tmp_path: Path) -> None:
    """Guard against LibreOffice's default of keeping cached values: a wrong cache must be replaced."""
    import xlsxwriter

    path = tmp_path / "stale.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("表")
    ws.write_number(0, 0, 2)
    ws.write_formula(0, 1, "=A1*2", None, 99)  # deliberately wrong cache
    wb.close()
    (out,) = convert([path], tmp_path / "lo")
    assert sheet_values(out)["表"][0][1] == 4


@pytest.mark.parametrize("edition", EDITIONS, ids=lambda e: e.id)
def test_template_opens_and_saves_as_xls(tmp_path: Path, edition) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "t.xlsx"
    build_template(path, edition, edition.years[0])
    (xls,) = convert([path], tmp_path / "xls", to="xls")
    assert xls.stat().st_size > 0
    assert "表三" in sheet_values(xls)


def test_engine_agrees_with_formulas_on_generated_data(tmp_path: Path) -> None:
    """Hypothesis draws the data; LibreOffice computes the check cells of a whole batch at once."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    value = st.one_of(
        st.integers(min_value=0, max_value=300),
        st.integers(min_value=-3, max_value=3),
        st.floats(min_value=0, max_value=200000, allow_nan=False).map(lambda x: round(x, 3)),
        st.sampled_from([None, "/", "—", "无", "x", "7"]),
    )
    batch: list[Path] = []

    @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(st.data())
    def draw(data: st.DataObject) -> None:
        edition = data.draw(st.sampled_from(EDITIONS))
        base = consistent_values(edition, random.Random(data.draw(st.integers(0, 10**6))))
        keys = sorted(base)
        for key in data.draw(st.lists(st.sampled_from(keys), max_size=25, unique=True)):
            base[key] = data.draw(value)
        path = tmp_path / f"h{len(batch):02d}.xlsx"
        build_template(path, edition, edition.years[0], values=base)
        batch.append(path)

    draw()
    for ours, theirs in zip(batch, convert(batch, tmp_path / "lo"), strict=True):
        assert value_diffs(ours, theirs) == [], ours.name
