"""Merged workbooks and returns in LibreOffice: cached values right, re-saved files still read."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from govxl.merge import merge, write_outputs
from govxl.read.workbook import read_return
from govxl.results.figures import Figures
from tests.conftest import ROOT
from tests.helpers import value_diffs
from tests.lo import convert, pdf_text

pytestmark = pytest.mark.libreoffice
WHEN = datetime(2021, 1, 15, 9, 0)


@pytest.fixture(scope="module")
def merged(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("merged")
    out = []
    for name, roster in (("2020西安区", None), ("2021", "单位名单.txt")):
        src = ROOT / "samples" / name
        result = merge([src], roster=src / roster if roster else None, when=WHEN)
        path = folder / f"{name}.xlsx"
        write_outputs(result, path)
        out.append(path)
    return out


def test_merged_cached_values_equal_libreoffice(merged: list[Path], tmp_path: Path) -> None:
    recalculated = convert(merged, tmp_path)
    for ours, theirs in zip(merged, recalculated, strict=True):
        assert value_diffs(ours, theirs) == [], ours.name


@pytest.mark.parametrize("to", ["xlsx", "xls"])
def test_resaved_by_libreoffice_still_reads_the_same(merged: list[Path], tmp_path: Path, to: str) -> None:
    returns = sorted((ROOT / "samples" / "2020西安区").glob("*.xlsx"))[:3]
    resaved = convert([*returns, *merged], tmp_path, to=to)
    for original, copy in zip([*returns, *merged], resaved, strict=True):
        a, b = read_return(original), read_return(copy)
        assert isinstance(a, Figures) and isinstance(b, Figures), copy.name
        assert {k: c.number for k, c in a.cells.items()} == pytest.approx({k: c.number for k, c in b.cells.items()})
        assert (b.unit, b.year, b.edition) == (a.unit, a.year, a.edition)


def test_the_charts_are_drawn_by_libreoffice(tmp_path: Path) -> None:
    from govxl.excel.charts import FINDINGS_TITLE, RECEIVED_TITLE, RESULTS_TITLE

    src = ROOT / "samples" / "2021"
    merged = tmp_path / "区.xlsx"
    write_outputs(merge([src], roster=src / "单位名单.txt", name="某区", when=WHEN), merged)
    (pdf,) = convert([merged], tmp_path / "pdf", to="pdf")
    text = pdf_text(pdf)
    for title in (RECEIVED_TITLE, RESULTS_TITLE, FINDINGS_TITLE):
        assert title in text  # the chart's title is drawn: LibreOffice rendered the chart


def test_formula_caches_equal_libreoffice_when_units_typed_text(tmp_path: Path) -> None:
    """A unit's 新收申请 typed as “/” or as words: the 图表 sheet's formulas refer to it and cache what
    Excel computes (the text), not 0; every cell of every sheet is compared after LibreOffice recalculates."""
    import random

    from govxl.editions import edition_by_id
    from govxl.excel.template_book import build_template
    from govxl.synth import consistent_values

    edition = edition_by_id("2021")
    folder = tmp_path / "收件"
    folder.mkdir()
    for i, (unit, typed) in enumerate((("甲局", "/"), ("乙局", None), ("丙局", "十二"), ("丁局", 7))):
        values = dict(consistent_values(edition, random.Random(i)))
        for key in [k for k in values if k.startswith("t3.new_received.")]:
            values[key] = typed
        build_template(folder / f"{unit}.xlsx", edition, 2021, unit=unit, values=values)
    merged = tmp_path / "汇总.xlsx"
    write_outputs(merge([folder], name="某区", when=WHEN), merged)
    (recalculated,) = convert([merged], tmp_path / "lo")
    assert value_diffs(merged, recalculated) == []
