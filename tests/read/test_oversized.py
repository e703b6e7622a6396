"""Sheets whose cells span far more than a report are refused before the reader lays out their area,
whatever the last row says: a far cell in a near row, text after the last row, rows or cells without
references, references after a line break or under a namespace prefix."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from govxl import make_template
from govxl.read.workbook import read_return
from govxl.results.figures import Figures
from govxl.results.findings import Finding


def _with_row(tmp_path: Path, name: str, row: bytes, after: bytes = b"", *, drop_refs: bool = False) -> Path:
    """A 2021 template whose 表三 sheet gets ``row`` at the end of its data (and ``after`` behind the data)."""
    source = make_template(tmp_path / "t.xlsx", 2021, unit="区财政局")
    target = tmp_path / name
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/worksheets/sheet3.xml":
                if drop_refs:
                    data = re.sub(rb' r="[A-Z]*\d+"', b"", data)
                data = data.replace(b"</sheetData>", row + b"</sheetData>" + after)
            zout.writestr(info, data)
    return target


CASES = {
    "far cell in a near row": (b'<row r="200"><c r="ZZ900000"><v>1</v></c></row>', b"", False),
    "'row ' after the last row": (
        b'<row r="900000"><c r="A900000"><v>1</v></c></row>',
        b"<headerFooter><oddHeader>arrow </oddHeader></headerFooter>",
        False,
    ),
    "99,999 rows by ZZ": (b'<row r="99999"><c r="ZZ99999"><v>1</v></c></row>', b"", False),
    "reference after a line break": (b'<row r="300"><c\nr="ZZ900000"><v>1</v></c></row>', b"", False),
    "namespace prefix": (b'<x:row r="300"><x:c r="ZZ900000"><x:v>1</x:v></x:c></x:row>', b"", False),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_sheet_far_larger_than_a_report_is_refused(tmp_path: Path, case: str) -> None:
    row, after, drop = CASES[case]
    path = _with_row(tmp_path, "big.xlsx", row, after, drop_refs=drop)
    refused = read_return(path)
    assert isinstance(refused, Finding) and refused.rule == "F1" and "远超年报统计表的正常范围" in refused.message


def test_rows_and_cells_without_references_are_measured(tmp_path: Path) -> None:
    wide = b"<row>" + b"<c/>" * 60_000 + b"</row>"  # one row 60,000 cells wide: the area is rows × 60,000
    path = _with_row(tmp_path, "unnumbered.xlsx", wide, drop_refs=True)
    refused = read_return(path)
    assert isinstance(refused, Finding) and re.search(r"\d+ 行 × 6\d{4} 列", refused.message), refused.message


def test_a_usual_sheet_without_references_is_still_read(tmp_path: Path) -> None:
    """References are optional in the format: a writer that leaves them out is read as before."""
    path = _with_row(tmp_path, "plain.xlsx", b"", drop_refs=True)
    assert isinstance(read_return(path), Figures)  # no refusal
