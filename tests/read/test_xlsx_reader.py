"""The single-pass .xlsx reader (govxl.read.xlsxcells) against calamine with the XML scans: the same cells,
formulas, error values, hidden rows and refusals on every workbook of the repository, on generated sheets,
and on the files it leaves to calamine (which it names in a debug log, never to the user)."""

from __future__ import annotations

import contextlib
import logging
import random
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govxl.editions import edition_by_id
from govxl.errors import InputError
from govxl.excel.template_book import build_template
from govxl.layout import layouts
from govxl.read.workbook import open_book, read_return
from govxl.results.figures import Figures
from govxl.synth import consistent_values

ROOT = Path(__file__).resolve().parents[2]
FALLBACK = "read with calamine"


def _both(path: Path) -> tuple[object, object]:
    return _snapshot(path, fast=True), _snapshot(path, fast=False)


def _snapshot(path: Path, *, fast: bool) -> object:
    try:
        b = open_book(path, fast=fast)
    except InputError as e:
        return ("refused", str(e))
    sheets = {name: [[repr(v) for v in row] for row in grid] for name, grid in b.sheets.items()}  # types, nan
    return sheets, b.special, b.formulas, b.hidden, b.meta, b.saved, b.hidden_sheets, b.binary


def _workbooks() -> list[Path]:
    found = [*ROOT.joinpath("tests").rglob("*.xls*"), *ROOT.joinpath("samples").rglob("*.xls*")]
    found += ROOT.joinpath("templates").rglob("*.xls*")
    return sorted(p for p in found if p.is_file())


def test_both_readers_agree_on_every_workbook_of_the_repository(caplog: pytest.LogCaptureFixture) -> None:
    paths = _workbooks()
    assert len(paths) > 40
    with caplog.at_level(logging.DEBUG, logger="govxl.read.workbook"):
        for path in paths:
            fast, plain = _both(path)
            assert fast == plain, path
    fell_back = {r.args[0] for r in caplog.records if FALLBACK in r.getMessage()}  # type: ignore[index]
    fast_read = [p for p in paths if p.suffix == ".xlsx" and p not in fell_back]
    assert len(fast_read) > 25  # the fast reader is what reads the usual file


@pytest.mark.libreoffice
def test_both_readers_agree_on_returns_saved_by_libreoffice(tmp_path: Path) -> None:
    """Templates filled and saved by LibreOffice (the benchmark's, when they are there, else made here)."""
    paths = sorted((ROOT / "benchmarks" / ".data" / "lo_bases").glob("*.xlsx"))
    if not paths:
        from tests import lo

        edition = edition_by_id("2021")
        sources = []
        for i in range(2):
            src = tmp_path / f"s{i}.xlsx"
            build_template(src, edition, 2025, unit=f"单位{i}", values=consistent_values(edition, random.Random(i)))
            sources.append(src)
        paths = lo.convert(sources, tmp_path / "lo")
    for path in paths:
        fast, plain = _both(path)
        assert fast == plain, path


# Generated sheets: cells of every kind, as different writers spell them.
def _text() -> st.SearchStrategy[str]:
    alphabet = st.sampled_from(
        [
            "a",
            "中",
            " ",
            "\t",
            "\n",
            "\r\n",
            "\r",
            "&",
            "<",
            ">",
            '"',
            "'",
            "_x000D_",
            "_x005F_x0041_",
            "_xD83D_",
            "\u3000",
            "\u00a0",
            "1",
            "-",
            ".",
            "/",
            "=",
            "𠀀",
        ]
    )
    return st.lists(alphabet, max_size=6).map("".join)


def _escape(text: str, mode: int) -> str:
    out = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if mode == 1:
        out = out.replace('"', "&quot;").replace("'", "&apos;")
    elif mode == 2:
        out = "".join(f"&#{ord(ch)};" if ch in "中\n" else f"&#x{ord(ch):x};" if ch == "a" else ch for ch in out)
    return out


@st.composite
def _string_item(draw: st.DrawFn) -> str:
    runs = draw(st.lists(st.tuples(_text(), st.booleans(), st.integers(0, 2)), min_size=1, max_size=3))
    parts = []
    for text, preserve, mode in runs:
        space = ' xml:space="preserve"' if preserve else ""
        parts.append(f"<t{space}>{_escape(text, mode)}</t>")
    if len(parts) == 1 and draw(st.booleans()):
        return f"<si>{parts[0]}</si>"
    rich = "".join(f'<r><rPr><b/><sz val="11"/></rPr>{p}</r>' for p in parts)
    if draw(st.booleans()):
        rich += '<rPh sb="0" eb="1"><t>ピン</t></rPh><phoneticPr fontId="1"/>'
    return f"<si>{rich}</si>"


NUMBERS = [
    "5",
    "0",
    "-0",
    "1.5",
    "1E3",
    "1e-2",
    ".5",
    "5.",
    "+5",
    " 7",
    "inf",
    "nan",
    "1_0",
    "12345678901234567890",
    "0.1",
    "1e400",
    "",
    "abc",
]
KINDS = ["n", "s", "str", "inlineStr", "b", "e", "blank", "formula", "sformula", "d"]


@st.composite
def _cell(draw: st.DrawFn, ref: str, strings: int) -> str:
    kind = draw(st.sampled_from(KINDS))
    style = draw(st.sampled_from(["", "0", "1", "2"]))
    attrs = {"r": ref}
    if style:
        attrs["s"] = style
    inner = ""
    if kind == "n":
        if draw(st.booleans()):
            attrs["t"] = "n"
        inner = draw(st.sampled_from([f"<v>{n}</v>" for n in NUMBERS] + ["<v/>", ""]))
    elif kind == "s":
        attrs["t"] = "s"
        inner = f"<v>{draw(st.integers(0, strings))}</v>" if strings else "<v>0</v>"
    elif kind == "str":
        attrs["t"] = "str"
        inner = draw(st.sampled_from(["", "<v/>", "<v></v>"]) | _text().map(lambda s: f"<v>{_escape(s, 0)}</v>"))
    elif kind == "inlineStr":
        attrs["t"] = "inlineStr"
        inner = draw(_string_item()).replace("<si>", "<is>").replace("</si>", "</is>")
    elif kind == "b":
        attrs["t"] = "b"
        inner = draw(st.sampled_from(["<v>1</v>", "<v>0</v>", "<v>true</v>", "<v></v>"]))
    elif kind == "e":
        attrs["t"] = "e"
        inner = draw(st.sampled_from(["<v>#REF!</v>", "<v>#N/A</v>", "<v>#DIV/0!</v>", "<v></v>", ""]))
    elif kind in ("formula", "sformula"):
        if draw(st.booleans()):
            attrs["t"] = draw(st.sampled_from(["str", "e", "b", "n"]))
        f = "<f>SUM(A1:B2)&gt;0</f>" if kind == "formula" else '<f t="shared" ref="A1:A3" si="0"/>'
        inner = f + draw(st.sampled_from(["", "<v/>", "<v></v>", "<v>3</v>", "<v>#REF!</v>", "<v>x y</v>"]))
    elif kind == "d":
        attrs["t"] = "d"
        inner = "<v>2020-01-02</v>"
    order = draw(st.permutations(list(attrs))) if draw(st.integers(0, 4)) == 0 else list(attrs)
    if draw(st.integers(0, 9)) == 0:
        order.append("cm")
        attrs["cm"] = "1"
    head = "<c" + "".join(f' {k}="{attrs[k]}"' for k in order)
    if kind == "blank" or (not inner and draw(st.booleans())):
        return head + "/>"
    return f"{head}>{inner}</c>"


@st.composite
def _sheet(draw: st.DrawFn, strings: int) -> str:
    rows = []
    for r in sorted(draw(st.sets(st.integers(1, 12), max_size=6))):
        cols = sorted(draw(st.sets(st.integers(0, 5), max_size=5)))
        cells = "".join(draw(_cell(f"{'ABCDEF'[c]}{r}", strings)) for c in cols)
        hidden = draw(st.sampled_from(["", ' hidden="1"', ' hidden="false"', ' hidden="true"']))
        rows.append(f'<row r="{r}"{hidden} ht="15">{cells}</row>')
    return "".join(rows)


def _prefixed(xml: str) -> str:
    for tag in ("worksheet", "sheetData", "row", "c", "v", "f", "is", "t", "r", "rPr", "b", "sz", "rPh"):
        for end in (">", " ", "/>"):
            xml = xml.replace(f"<{tag}{end}", f"<x:{tag}{end}")
        xml = xml.replace(f"</{tag}>", f"</x:{tag}>")
    return xml.replace("<x:worksheet xmlns=", "<x:worksheet xmlns:x=")


STYLES = (
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="2">'
    '<numFmt numFmtId="164" formatCode="General"/><numFmt numFmtId="165" formatCode="yyyy-mm-dd"/></numFmts>'
    '<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="{date}"/></cellXfs></styleSheet>'
)
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def write_book(path: Path, sheet: str, strings: list[str], *, prefix: bool = False, dates: bool = False) -> None:
    worksheet = f'<worksheet xmlns="{MAIN}"><sheetData>{sheet}</sheetData></worksheet>'
    if prefix:
        worksheet = _prefixed(worksheet)
    rels = (
        f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
        f'<Relationship Id="rId3" Type="{REL}/styles" Target="styles.xml"/></Relationships>'
    )
    parts = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/></Types>',
        "_rels/.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
        '<sheet name="表 &amp; 一" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": rels,
        "xl/worksheets/sheet1.xml": '<?xml version="1.0" encoding="UTF-8"?>\n' + worksheet,
        "xl/sharedStrings.xml": f'<sst xmlns="{MAIN}">{"".join(strings)}</sst>',
        "xl/styles.xml": STYLES.replace("{date}", "165" if dates else "164"),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in parts.items():
            zf.writestr(name, text.encode())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_both_readers_agree_on_generated_sheets(tmp_path: Path, data: st.DataObject) -> None:
    strings = data.draw(st.lists(_string_item(), max_size=5))
    sheet = data.draw(_sheet(len(strings)))
    path = tmp_path / "g.xlsx"
    write_book(path, sheet, strings, prefix=data.draw(st.integers(0, 9)) == 0, dates=data.draw(st.booleans()))
    fast, plain = _both(path)
    assert fast == plain


def test_a_plain_generated_sheet_is_read_by_the_fast_reader(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """So that the property test above compares two readers, not calamine with itself."""
    strings = ['<si><t xml:space="preserve"> 填报 单位 </t></si>', "<si><r><t>a</t></r><r><t>b</t></r></si>"]
    sheet = (
        '<row r="1"><c r="A1" s="1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" s="2"/></row>'
        '<row r="3" hidden="1"><c r="B3"><f>1+1</f><v>2</v></c><c r="C3" t="e"><v>#REF!</v></c>'
        '<c r="D3"><f>A1</f></c><c t="inlineStr" r="E3"><is><t>x</t></is></c></row>'
    )
    path = tmp_path / "plain.xlsx"
    write_book(path, sheet, strings)
    with caplog.at_level(logging.DEBUG, logger="govxl.read.workbook"):
        fast, plain = _both(path)
    assert fast == plain
    assert [r.getMessage() for r in caplog.records if FALLBACK in r.getMessage()] == []
    book = open_book(path)
    assert book.sheets["表 & 一"][0] == [" 填报 单位 ", "ab", "", "", ""]
    assert book.sheets["表 & 一"][2] == ["", 2.0, "", "", "x"]
    assert book.hidden["表 & 一"] == {2} and set(book.formulas["表 & 一"]) == {(2, 1), (2, 3)}


FALLBACKS = {
    "a namespace prefix": ({"prefix": True}, "namespace prefix"),
    "a number in a date format": ({"dates": True}, "date or time format"),
}


@pytest.mark.parametrize("case", list(FALLBACKS))
def test_files_the_fast_reader_does_not_handle_are_read_by_calamine(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, case: str
) -> None:
    options, reason = FALLBACKS[case]
    sheet = '<row r="1"><c r="A1" s="2"><v>45000</v></c><c r="B1" t="s"><v>0</v></c></row>'
    path = tmp_path / "odd.xlsx"
    write_book(path, sheet, ["<si><t>x</t></si>"], **options)  # type: ignore[arg-type]
    with caplog.at_level(logging.DEBUG, logger="govxl.read.workbook"):
        book = open_book(path)
    said = [r for r in caplog.records if FALLBACK in r.getMessage()]
    assert len(said) == 1 and reason in said[0].getMessage() and said[0].levelno == logging.DEBUG
    assert book.sheets == open_book(path, fast=False).sheets and book.sheets["表 & 一"][0][1] == "x"


def test_a_return_the_fast_reader_leaves_to_calamine_reads_as_before(tmp_path: Path) -> None:
    """A real sample with a date typed into a count (Excel turned "1-2" into a date): read by calamine, the
    same figures and findings as before, and nothing said to the user about the reader."""
    path = ROOT / "samples" / "2021" / "区人力资源和社会保障局.xlsx"
    fast, plain = read_return(path), _read_plain(path)
    assert isinstance(fast, Figures) and isinstance(plain, Figures)
    assert dict(fast.cells) == dict(plain.cells) and fast.findings == plain.findings
    assert not any("calamine" in f.message for f in fast.findings)


def _read_plain(path: Path) -> object:
    import govxl.read.workbook as read

    original = read.open_book
    read.open_book = lambda p, fast=False: original(p, fast=False)  # type: ignore[assignment]
    try:
        return read_return(path)
    finally:
        read.open_book = original


def test_tables_located_once_per_layout_are_where_locating_finds_them(tmp_path: Path) -> None:
    """The tables found through the fingerprint cache are those a fresh search finds, on every workbook of the
    repository and on a return whose label moved (a fingerprint of its own)."""
    from govxl.read import workbook as read

    moved = tmp_path / "moved.xlsx"
    build_template(moved, edition_by_id("2021"), 2025, unit="区财政局")
    with zipfile.ZipFile(moved) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    members["xl/worksheets/sheet3.xml"] = members["xl/worksheets/sheet3.xml"].replace(b'r="A', b'r="B', 3)
    with zipfile.ZipFile(moved, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    read._LAYOUTS.clear()
    for path in [*_workbooks(), moved, *_workbooks()]:
        try:
            book = open_book(path)
        except InputError:
            continue
        cached, fresh = read.detect_edition(book), read._detect_edition(book)
        assert cached == fresh, path
        if cached is not None:
            assert all(a is not b for a, b in zip(cached[1].values(), fresh[1].values(), strict=True))
            for lay in [lay for lay in layouts(cached[0]) if lay.table.key in cached[1]]:  # the cell map kept
                assert cached[1][lay.table.key].cells == read.cell_map(lay, fresh[1][lay.table.key]), path
    assert 0 < len(read._LAYOUTS) < len(_workbooks())  # shared by files of one layout


@pytest.mark.parametrize(
    "sheet",
    [
        b'<row r="1">' + b'<c r="A1">' * 200_000 + b"</row>",
        b'<row r="1"><c r="A1"><v>1</v></c>' + b'<c r="B1">' * 200_000,
    ],
    ids=["unended cells", "unended cells after a cell"],
)
def test_cells_without_their_end_are_left_to_calamine_in_linear_time(sheet: bytes) -> None:
    """Each unclosed cell would be searched to the end of its row: 200,000 of them, in one row, in quadratic time."""
    import time

    from govxl.read import xlsxcells

    start = time.process_time()
    with pytest.raises(xlsxcells.Unrecognised, match="without its end"):
        xlsxcells.read_sheet(b"<worksheet><sheetData>" + sheet + b"</row></sheetData></worksheet>", [], None)
    with pytest.raises(xlsxcells.Unrecognised, match="phonetic run without its end"):
        xlsxcells.shared_strings(b"<sst><si><t>a</t>" + b"<rPh>" * 200_000 + b"</si></sst>")
    for tags in (b"<c " * 200_000, b"<t " * 200_000):  # tags never ended: each search would run to the end
        with pytest.raises(xlsxcells.Unrecognised):
            xlsxcells.read_sheet(b"<worksheet><sheetData><row>" + tags + b"</row></sheetData></worksheet>", [], None)
        with pytest.raises(xlsxcells.Unrecognised, match="unbalanced"):
            xlsxcells.shared_strings(b"<sst><si>" + tags + b"</si></sst>")
        balanced = b"<worksheet><sheetData><row>" + tags + b">" * 200_000 + b"</row></sheetData></worksheet>"
        with contextlib.suppress(xlsxcells.Unrecognised):  # as many ">" at the end: each search ends at a "<"
            xlsxcells.read_sheet(balanced, [], None)
    styles = b"<styleSheet><numFmts><numFmt " + b'numFmtId="1" ' * 100_000 + b"/></numFmts></styleSheet>"
    assert xlsxcells.maybe_dates(styles) == frozenset()
    assert time.process_time() - start < 2


ROW_1 = '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>5</v></c></row>'


@pytest.mark.parametrize(
    "sheet",
    [
        '<row r="1"><c r="A1" t="s" cm="1"><v>0</v><c r="B1"><v>5</v></c></row>',  # attributes in another form,
        '<row r="1"><c t="s" r="A1"><v>0</v><c r="B1"><v>5</v></c></row>',  # the cell's end missing
        '<row r="1"><c  r="A1" t="s"><v>0</v><c r="B1"><v>5</v></c></row>',
        '<row r="1"><c r="A1" t="s" cm="1"><v>0</v></x><c r="B1"><v>5</v></c></row>',  # ... an end of another name
        '<row r="1"><c r="A1" t="s" cm="1"><v>0</v></c></row><row r="2"><c r="A2" vm="1"><v>7</v></row>',
        ROW_1.replace("</row>", "</c ></row>"),  # a stray end: calamine refuses the sheet
        ROW_1.replace("</row>", "</x></row>"),
        ROW_1.replace("</row>", "</v></row>"),
        ROW_1 + "</row >",
        ROW_1.replace("</row>", "</x>"),  # an end of another name in its place: calamine reads it
        ROW_1 + '<row r="2"><c r="A2"><v>1</v></c>',  # a row without its end
        "</c>" + ROW_1,  # stray ends before the cells, and after them
        ROW_1.replace("</row>", "</x>") + "</x>",
    ],
)
def test_a_cell_or_element_without_its_end_is_read_as_calamine_reads_it(tmp_path: Path, sheet: str) -> None:
    """A cell whose attributes the usual pattern does not know was passed by, with its value, when its end was
    missing: the sheet read without it where calamine refuses the file. An end tag nothing opened was passed
    by too."""
    path = tmp_path / "damaged.xlsx"
    write_book(path, sheet, ["<si><t>x</t></si>"])
    assert _snapshot(path, fast=True) == _snapshot(path, fast=False)


@pytest.mark.parametrize(
    "cell",
    [
        '<c s="0" r="A1" s="2" t="s"><v>0</v></c>',
        '<c r="A1" r="B1" t="s"><v>0</v></c>',
        '<c t="n" r="A1" t="s"><v>0</v></c>',
    ],
)
def test_an_attribute_given_twice_is_read_as_calamine_reads_it(tmp_path: Path, cell: str) -> None:
    """calamine stops at the second attribute of a name (the type after it unread: the cell a number), the fast
    reader took the first of each, the type with it: a shared string where calamine reads 0."""
    path = tmp_path / "twice.xlsx"
    write_book(path, f'<row r="1">{cell}<c r="C1"><v>5</v></c></row>', ["<si><t>x</t></si>"])
    assert _snapshot(path, fast=True) == _snapshot(path, fast=False)


@pytest.mark.parametrize("stray", ["<sheetViews></c></sheetViews>", "</c>", "<dimension/></x>"])
def test_an_end_tag_nothing_opened_outside_the_cells_is_read_as_calamine_reads_it(tmp_path: Path, stray: str) -> None:
    path = tmp_path / "damaged.xlsx"
    write_book(path, ROW_1, ["<si><t>x</t></si>"])
    with zipfile.ZipFile(path) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = parts[sheet].replace(b"<sheetData>", stray.encode() + b"<sheetData>")
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    assert _snapshot(path, fast=False)[0] == "refused"
    assert _snapshot(path, fast=True) == _snapshot(path, fast=False)


@pytest.mark.parametrize(
    "sheet",
    [
        b'<row r="1">' + b'<c r="A1" cm="1"><v>1</v>' * 200_000 + b"</row>",
        b'<row r="1"><c r="A1"><v>1</v></c>' + b"</c>" * 200_000 + b"</row>",
        b'<row r="1"><c r="A1" ' + b'cm="1" ' * 200_000 + b"><v>1</v></c></row>",
        b'<row r="1">' + b'<c cm="1">' * 200_000 + b"</row>",
    ],
    ids=["unusual cells unended", "stray ends", "an attribute 200,000 times", "unusual tags unended"],
)
def test_damaged_cells_are_left_to_calamine_in_linear_time(sheet: bytes) -> None:
    import time

    from govxl.read import xlsxcells

    start = time.process_time()
    with pytest.raises(xlsxcells.Unrecognised):
        xlsxcells.read_sheet(b"<worksheet><sheetData>" + sheet + b"</sheetData></worksheet>", [], None)
    assert time.process_time() - start < 2
