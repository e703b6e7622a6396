"""The fast paths give what the plain ways give: sheet scans, rule evaluation, the per-unit rows' XML, and
a unit's figures after the trip from a worker process."""

from __future__ import annotations

import pickle
import random
import re
import zipfile
from datetime import date
from functools import partial
from pathlib import Path

import pytest
import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st

from govxl.editions import edition_by_id
from govxl.excel.fastrows import BLANK, FORMULA, NUMBER, FastRowSheet
from govxl.excel.template_book import build_template
from govxl.judge.engine import evaluate, failing_linear, linear_checks
from govxl.normalize import ERROR_VALUE
from govxl.read import xlsxparts
from govxl.read.workbook import read_return
from govxl.results.figures import Figures
from govxl.synth import consistent_values
from tests.conftest import ROOT

# Pieces of sheet XML as writers spell them, and as broken or hostile files do.
FRAGMENTS = [
    '<c r="A1" s="1" t="n"><v>5</v></c>',
    '<c r="B2"><f>SUM(A1:A3)</f><v>6</v></c>',
    '<c r="C3" t="str"><f aca="false">IF(A1&gt;0,"x","")</f><v></v></c>',
    '<c r="D4"><f t="shared" ref="D4:D9" si="0"/><v>1</v></c>',
    '<c r="E5"><f>A1</f></c>',
    '<c r="F6"><f>A1</f><v/></c>',
    '<x:c r="G7"><x:f>B1+1</x:f><x:v>2</x:v></x:c>',
    '<c r="H8" t="e"><v>#REF!</v></c>',
    '<c r="AAA9"><v>1</v></c>',
    '<c r="I10" s="2"/>',
    "<cfRule><formula>$A1&gt;0</formula></cfRule>",
    "<xm:f>Sheet1!A1</xm:f>",
    '<row r="3" hidden="1">',
    '<row r="4" hidden="false">',
    "</row>",
    "<f>",
    "</f>",
    "<c>",
    " ",
    "\n",
    '<c r="J11">\n  <f>1+1</f>\n  <v>2</v></c>',
    '<c r="K12"><is><t>text</t></is><f>x</f></c>',
    '<font sz="11"/>',
    '<c r="L13"><f.x>1</f.x><v>1</v></c>',
]


def _reference(xml: bytes) -> list[tuple[bytes, bytes | None, bytes | None]]:
    return [(m.group(1), m.group(2), m.group(3)) for m in xlsxparts._FORMULA_CELL.finditer(xml)]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=30))
def test_formula_cells_as_the_regex_finds_them(pieces: list[str]) -> None:
    xml = "".join(pieces).encode()
    assert xlsxparts._formula_cells(xml) == _reference(xml)
    assert bool(xlsxparts._WIDE_HINT.search(xml) and xlsxparts._WIDE.search(xml)) == bool(xlsxparts._WIDE.search(xml))


def _sheet_xmls() -> list[bytes]:
    out = []
    paths = sorted((ROOT / "samples").rglob("*.xls[xm]")) + sorted((ROOT / "tests").rglob("*.xls[xm]"))
    for path in paths:
        try:
            with zipfile.ZipFile(path) as zf:
                out += [zf.read(n) for n in zf.namelist() if re.match(r"xl/worksheets/sheet\d+\.xml$", n)]
        except (zipfile.BadZipFile, OSError):
            continue
    return out


def test_formula_cells_of_every_sheet_in_the_repository() -> None:
    xmls = _sheet_xmls()
    assert len(xmls) > 50
    for xml in xmls:
        assert xlsxparts._formula_cells(xml) == _reference(xml)


@pytest.fixture(scope="module")
def returns(tmp_path_factory: pytest.TempPathFactory) -> list[Figures]:
    edition = edition_by_id("2021")
    folder = tmp_path_factory.mktemp("returns")
    out = []
    for i in range(6):
        values = consistent_values(edition, random.Random(i))
        if i % 2:  # typed totals, a slip, a blank, text and "/" among the figures
            key = next(iter(values))
            values[key] = int(values[key]) + 7  # type: ignore[call-overload]
            values["t3.new_received.natural"] = None
            values["t2.regulations.issued"] = "12"
            values["t4.review.total"] = "/"
        else:  # the template's own totals
            values = {k: v for k, v in values.items() if not k.endswith(".total") and ".total." not in k}
        path = folder / f"u{i}.xlsx"
        build_template(path, edition, 2025, unit=f"单位{i}", values=values)
        r = read_return(path)
        assert isinstance(r, Figures)
        out.append(r)
    return out


def test_failing_linear_is_evaluate_without_the_passing(returns: list[Figures]) -> None:
    for r in returns:
        plain = [o for o in (evaluate(c, r.numbers()) for c in linear_checks(r.edition)) if not o.passed]
        assert failing_linear(r.edition, r.numbers()) == plain
    assert any(failing_linear(r.edition, r.numbers()) for r in returns)


def test_figures_survive_the_trip_from_a_worker(returns: list[Figures]) -> None:
    for r in returns:
        back = pickle.loads(pickle.dumps(r))
        for name in ("path", "shown", "edition", "year", "unit", "kind", "unit_from", "formula_keys", "saved"):
            assert getattr(back, name) == getattr(r, name)
        assert list(back.cells.items()) == list(r.cells.items())
        assert list(back.refs.items()) == list(r.refs.items())
        assert back.explanations == r.explanations and back.findings == r.findings
        assert list(back.numbers().items()) == list(r.numbers().items())


def _sheet_xml(path: Path, sheet: int = 1) -> bytes:
    with zipfile.ZipFile(path) as zf:
        return zf.read(f"xl/worksheets/sheet{sheet}.xml")


VALUES = st.one_of(
    st.none(),
    st.just(""),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.text(max_size=8),
    st.booleans(),
    st.dates(min_value=date(1901, 1, 1)),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(VALUES, min_size=1, max_size=6), min_size=1, max_size=40), st.integers(0, 3))
def test_fast_rows_are_the_bytes_xlsxwriter_writes(tmp_path_factory: pytest.TempPathFactory, rows, gap) -> None:  # type: ignore[no-untyped-def]
    """The same cells through XlsxWriter's own write methods and through a FastRowSheet."""
    from govxl.excel.sheets import write_raw

    folder = tmp_path_factory.mktemp("fast")
    written = []
    for fast in (False, True):
        path = folder / f"{fast}.xlsx"
        wb = xlsxwriter.Workbook(str(path))
        formats = [wb.add_format({"bold": True}), wb.add_format({"italic": True}), wb.add_format({"border": 1})]
        ws = wb.add_worksheet("s", worksheet_class=FastRowSheet if fast else None)
        ws.write_string(0, 0, "head", formats[0])
        for i, values in enumerate(rows):
            r = 1 + gap + i
            cells = []
            for j, v in enumerate(values):
                f = formats[(i + j) % 3]
                if j == 0 and i % 3 == 0:  # a formula with its cached number
                    if fast:
                        cells.append((j, FORMULA, (f"SUM(B{r + 1}:C{r + 1})", float(i)), f))
                    else:
                        ws.write_formula(r, j, f"=SUM(B{r + 1}:C{r + 1})", f, float(i))
                elif not fast:
                    write_raw(ws, r, j, v, f)
                elif v is None or v == "":
                    cells.append((j, BLANK, None, f))
                elif v.__class__ in (int, float):
                    cells.append((j, NUMBER, v, f))
                elif isinstance(v, str):
                    cells.append(ws.string_cell(r, j, v, f))
                else:
                    cells.append(ws.other_cell(partial(write_raw, ws), r, j, v, f))
            if i % 4 == 1:
                ws.write_comment(r, 0, f"note {i}")
            if fast:
                ws.add_fast_row(r, 0, len(values) - 1, lambda cells=cells: cells)
        wb.close()
        written.append(_sheet_xml(path))
    assert written[0] == written[1]


NAMES = [
    "区财政局",
    "第00042号单位",
    "某某 街道 办事处",
    " 前有空格",
    "后有空格 ",
    "A&B公司",
    "<局>",
    '"引号"',
    "_x0041_",
    "填报单位",  # a string the template itself holds
    "表二",
    "123",
    "单位" * 300,
    "𠀀生僻字😀",
    "全角（括号）与/斜杠",
    "Tab\there",
]


@pytest.mark.filterwarnings("ignore:Length of 'value' parameter exceeds")  # the 600-character name, built
def test_template_copies_are_the_templates_xlsxwriter_builds(tmp_path: Path) -> None:
    from govxl.excel.copies import TemplateCopies

    edition = edition_by_id("2021")

    def build(path: Path, unit: str) -> None:
        build_template(path, edition, 2025, unit=unit, password="abc")

    copies = TemplateCopies(build)
    assert copies.usable
    for i, name in enumerate(NAMES):
        made, built = tmp_path / f"made{i}.xlsx", tmp_path / f"built{i}.xlsx"
        copies.write(made, name)
        build(built, name)
        assert made.read_bytes() == built.read_bytes(), name


def test_the_fast_row_writer_is_proven_on_this_xlsxwriter() -> None:
    from govxl.excel import fastrows

    fastrows.proven.cache_clear()
    assert fastrows.proven()


def test_a_changed_xlsxwriter_gets_its_own_bytes(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Should XlsxWriter write a cell otherwise than the fast writer does, the probe sees it, and the fast rows
    are written by XlsxWriter itself: the file is XlsxWriter's, byte for byte."""
    from xlsxwriter.worksheet import Worksheet

    from govxl.excel import fastrows

    def other_number(self, number, attributes):  # type: ignore[no-untyped-def]
        self._xml_data_element("c", "", [])  # any change to how a number is written
        self._xml_number_element_original(number, attributes)

    monkeypatch.setattr(Worksheet, "_xml_number_element_original", Worksheet._xml_number_element, raising=False)
    monkeypatch.setattr(Worksheet, "_xml_number_element", other_number)
    fastrows.proven.cache_clear()
    try:
        assert not fastrows.proven()
        written = []
        for fast in (False, True):
            path = tmp_path / f"{fast}.xlsx"
            wb = xlsxwriter.Workbook(str(path))
            f = wb.add_format({"bold": True})
            ws = wb.add_worksheet("s", worksheet_class=FastRowSheet if fast else None)
            for r in range(3):
                if fast:
                    cells = [(0, NUMBER, r + 0.5, f), ws.string_cell(r, 1, f"x{r}", f), (2, BLANK, None, f)]
                    cells.append((3, FORMULA, (f"A{r + 1}*2", 2 * r + 1.0), f))
                    ws.add_fast_row(r, 0, 3, lambda cells=cells: cells)
                else:
                    ws.write_number(r, 0, r + 0.5, f)
                    ws.write_string(r, 1, f"x{r}", f)
                    ws.write_blank(r, 2, None, f)
                    ws.write_formula(r, 3, f"=A{r + 1}*2", f, 2 * r + 1.0)
            wb.close()
            written.append(_sheet_xml(path))
        assert written[0] == written[1] and b"<c></c>" in written[0]
    finally:
        monkeypatch.undo()
        fastrows.proven.cache_clear()


@pytest.mark.parametrize(
    "cells",
    [
        b'<c r="A1" t="e">',
        b'<c r="A1"><f>',
        b'<c r="A1"><f>1',
        b'<c r="A1" t="e" ',
        b'<x:c r="A1" t="e"><x:f>',
        b'<c s="1" r="A1" ',
        b'<row s="1" r="1" hidden="1" ',
    ],
    ids=["error cells", "formulas", "formulas with text", "tags", "prefixed", "reference last", "rows"],
)
def test_the_scans_beside_calamine_take_linear_time_on_cells_without_their_ends(cells: bytes) -> None:
    """A file the fast reader leaves to calamine is scanned for formulas, error values, hidden rows and its extent:
    200,000 cells or tags without their ends (2–6 MB of XML), each searched to the end of the sheet, took hours."""
    import time

    xml = b'<worksheet><sheetData><row r="1">' + cells * 200_000 + b"</row></sheetData></worksheet>"
    start = time.process_time()
    xlsxparts.scan_sheet(None, "s", "表三", {"s": xml})  # type: ignore[arg-type]
    assert time.process_time() - start < 2


def test_error_values_beside_calamine_are_each_cells_own() -> None:
    """An error cell's value is the first <v> inside it; a self-closing error cell has none (it never takes the
    value of the cell after it); prefixed cells and attributes in any order are read."""
    xml = (
        b'<sheetData><row r="1"><c r="A1" t="e"><v>#REF!</v></c><c r="B1" t="e"/><c r="C1"><v>5</v></c>'
        b'<x:c t="e" r="D1"><x:f>1/0</x:f><x:v>#DIV/0!</x:v></x:c><c r="E1" t="e"></c><c r="F1"><v>7</v></c>'
        b"</row></sheetData>"
    )
    scan = xlsxparts.scan_sheet(None, "s", "表三", {"s": xml})  # type: ignore[arg-type]
    errors = {pos: s.text for pos, s in scan.special.items() if s.what == ERROR_VALUE}
    assert errors == {(0, 0): "#REF!", (0, 3): "#DIV/0!"}
