"""Every kind of workbook govxl writes survives LibreOffice (saved as .xlsx and as .xls) and reads back the same."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from govxl.check import check_files
from govxl.excel.annotate import annotate_all
from govxl.excel.template_book import build_template
from govxl.merge import merge, write_outputs
from govxl.read.workbook import read_return
from govxl.results.figures import Figures
from tests.conftest import ROOT
from tests.lo import convert

pytestmark = pytest.mark.libreoffice


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("written")
    src = ROOT / "samples" / "2021"
    base = read_return(src / "区自然资源局.xlsx")
    assert isinstance(base, Figures)
    template = folder / "template.xlsx"
    build_template(template, base.edition, 2021, unit=base.unit, values={k: c.shown for k, c in base.cells.items()})
    merged = folder / "merged.xlsx"
    write_outputs(merge([src], roster=src / "单位名单.txt", when=datetime(2022, 1, 5)), merged)
    (annotated,), _ = annotate_all(check_files([src / "区自然资源局.xlsx"]), folder / "退回")
    return {"template": template, "merged": merged, "annotated": annotated}


@pytest.mark.parametrize("to", ["xlsx", "xls"])
def test_round_trip(written: dict[str, Path], tmp_path: Path, to: str) -> None:
    kinds = list(written)
    copies = convert([written[k] for k in kinds], tmp_path, to=to)
    for kind, copy in zip(kinds, copies, strict=True):
        a, b = read_return(written[kind]), read_return(copy)
        assert isinstance(a, Figures) and isinstance(b, Figures), (kind, b)
        assert {k: c.number for k, c in b.cells.items()} == pytest.approx({k: c.number for k, c in a.cells.items()})
        assert (b.unit, b.year, b.edition) == (a.unit, a.year, a.edition), kind


def test_no_formula_gives_an_error_value(written: dict[str, Path], tmp_path: Path) -> None:
    """After LibreOffice recalculated everything, no cell holds an error value (#REF!, #VALUE!, …)."""
    from govxl.normalize import ERROR_VALUE
    from govxl.read.workbook import open_book

    for path in convert(list(written.values()), tmp_path):
        book = open_book(path)
        errors = {(sheet, pos): s.text for sheet, cells in book.special.items() for pos, s in cells.items()}
        assert {k: v for k, v in errors.items() if book.special[k[0]][k[1]].what == ERROR_VALUE} == {}, path.name
