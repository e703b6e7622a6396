"""Checks on the zip container and the raw sheet XML of an .xlsx file.

python-calamine returns an empty string both for a blank cell, for an
error value such as #REF!, and for a formula saved without its result.
These are told apart here from the sheet XML, and the container is
checked before any parser sees it (zip bombs, XML entities).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path

from govxl.errors import InputError
from govxl.layout import parse_a1
from govxl.normalize import ERROR_VALUE, NO_CACHED_VALUE, Special

MAX_UNCOMPRESSED = 200 * 1024 * 1024  # a report workbook is well under 1 MB
MAX_RATIO = 200  # compression ratio beyond which a member is taken for a zip bomb

_SHEET = re.compile(rb'<sheet\b[^<>]*?\bname="([^"]*)"[^<>]*?\br:id="([^"]*)"', re.S)
_SHEET_ALT = re.compile(rb'<sheet\b[^<>]*?\br:id="([^"]*)"[^<>]*?\bname="([^"]*)"', re.S)
_REL = re.compile(rb"<Relationship\b[^<>]*?>", re.S)
_ATTR = re.compile(rb'(\w+)="([^"]*)"')
# Cells and rows as any writer may spell them: attributes in any order, an optional namespace prefix (<x:c>).
_P = rb"(?:\w+:)?"
# A formula cell: its attributes (r= among them), the formula (empty for the followers of a shared formula),
# and its cached value: <v>…</v>, or <v></v> / <v/> / nothing when no result was saved.
_FORMULA_CELL = re.compile(
    rb"<" + _P + rb"c\b([^<>]*)>\s*<" + _P + rb"f\b[^<>]*?(?:/>|>(.*?)</" + _P + rb"f>)\s*"
    rb"(?:<" + _P + rb"v>([^<]*)</" + _P + rb"v>|(<" + _P + rb"v/>))?",
    re.S,
)
# An error cell (t="e") and its value: the first <v> after its start tag, before its end and the next cell's start
_CELL_START = re.compile(rb"<" + _P + rb"c\b([^<>]*)>")
_ERROR_TYPE = re.compile(rb'\bt="e"')
_CELL_END = re.compile(rb"</" + _P + rb"c>")
_VALUE = re.compile(rb"<" + _P + rb"v>([^<]*)</")
_REF = re.compile(rb'\br="([A-Z]+[0-9]+)"')
_ROW = re.compile(rb"<" + _P + rb"row\b([^<>]*)>")
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')
_HIDDEN = re.compile(rb'\bhidden="(?:1|true)"')
MAX_ROWS = 100_000  # a province's merged workbook has a few thousand unit rows
MAX_COLUMNS = 702  # columns beyond ZZ
MAX_CELLS = 5_000_000  # positions of a sheet's area: a merged workbook of 10,000 units has under 2 million
_WIDE = re.compile(rb"<" + _P + rb'c\b[^<>]*\br="[A-Z]{3}[0-9]')
_WIDE_HINT = re.compile(rb'r="[A-Z]{3}[0-9]')  # what _WIDE cannot match without: a literal start, fast to search


def check_container(path: Path, zf: zipfile.ZipFile) -> dict[str, bytes]:
    """Refuse zip bombs and XML entity declarations in any part, before any parser expands them.

    Returns the XML parts as read (each is decompressed once: the sheet scans reuse them).
    """
    total = 0
    infos = zf.infolist()
    for info in infos:
        total += info.file_size
        if info.file_size > 10 * 1024 * 1024 and info.file_size > MAX_RATIO * max(1, info.compress_size):
            raise InputError(f"文件中的“{info.filename}”解压后异常巨大（疑似压缩炸弹），已拒绝读取。")
    if total > MAX_UNCOMPRESSED:
        raise InputError(
            f"{path.name}：文件解压后超过 {MAX_UNCOMPRESSED // 1024 // 1024} MB，不是正常的年报统计表，已拒绝读取。"
        )
    parts = {}
    for info in infos:
        if info.filename.lower().endswith(_XML_PARTS):
            data = zf.read(info)
            _refuse_entities(data, info.filename)
            parts[info.filename] = data
    return parts


_XML_PARTS = (".xml", ".rels", ".vml")


def is_ods(zf: zipfile.ZipFile) -> bool:
    """An OpenDocument spreadsheet (LibreOffice, WPS 另存为 .ods), by its mimetype member."""
    try:
        return zf.read("mimetype").startswith(b"application/vnd.oasis.opendocument.spreadsheet")
    except KeyError:
        return False


_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_CALCEXT = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"


def scan_ods(zf: zipfile.ZipFile) -> dict[str, SheetScan]:
    """What calamine does not tell about an .ods: formula cells, error values, formulas without a result."""
    from xml.etree.ElementTree import iterparse

    out: dict[str, SheetScan] = {}
    scan = SheetScan({}, {}, set())
    row = col = 0
    with zf.open("content.xml") as f:
        for event, el in iterparse(f, events=("start", "end")):
            tag = el.tag
            if event == "start":
                if tag == _TABLE + "table":
                    scan = out.setdefault(el.get(_TABLE + "name", ""), SheetScan({}, {}, set()))
                    row = -1
                elif tag == _TABLE + "table-row":
                    row, col = row + 1, 0
                    if el.get(_TABLE + "visibility") == "collapse":
                        scan.hidden_rows.add(row)
                continue
            if tag in (_TABLE + "table-cell", _TABLE + "covered-table-cell"):
                formula = el.get(_TABLE + "formula")
                if formula is not None:
                    text = formula.split(":", 1)[1] if formula.startswith("of:") else formula
                    text = text.removeprefix("=")
                    scan.formulas[(row, col)] = text
                    if el.get(_CALCEXT + "value-type") == "error":
                        shown = "".join(el.itertext()).strip() or "#VALUE!"
                        scan.special[(row, col)] = Special(ERROR_VALUE, shown)
                    elif el.get(_OFFICE + "value-type") is None:
                        scan.special[(row, col)] = Special(NO_CACHED_VALUE, text)
                col += int(el.get(_TABLE + "number-columns-repeated", "1"))
                el.clear()
            elif tag == _TABLE + "table-row":
                repeated = int(el.get(_TABLE + "number-rows-repeated", "1"))
                row += repeated - 1
                el.clear()
    return out


@lru_cache(maxsize=8192)  # the same formulas and references recur in every return made from one template
def _position(ref: bytes) -> tuple[int, int]:
    return parse_a1(ref.decode())


@lru_cache(maxsize=8192)
def _unescape(b: bytes) -> str:
    return (
        b.decode("utf-8", "replace")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&amp;", "&")
    )


def sheet_parts(zf: zipfile.ZipFile, checked: Mapping[str, bytes] | None = None) -> dict[str, str]:
    """Sheet name -> zip member of its XML. ``checked``: parts :func:`check_container` has read."""
    workbook = _read(zf, "xl/workbook.xml", checked)
    rels = {}
    for m in _REL.finditer(_read(zf, "xl/_rels/workbook.xml.rels", checked)):
        attrs = dict(_ATTR.findall(m.group(0)))
        if b"Id" in attrs and b"Target" in attrs:
            target = attrs[b"Target"].decode()
            target = target.lstrip("/") if target.startswith("/") else "xl/" + target
            rels[attrs[b"Id"]] = target
    out = {}
    pairs = [(n, r) for n, r in _SHEET.findall(workbook)] or [(n, r) for r, n in _SHEET_ALT.findall(workbook)]
    for name, rid in pairs:
        if rid in rels:
            out[_unescape(name)] = rels[rid]
    return out


def _read(zf: zipfile.ZipFile, part: str, checked: Mapping[str, bytes] | None) -> bytes:
    """A part's bytes, free of entity declarations: as already read and checked, or read and checked now."""
    if checked is not None and part in checked:
        return checked[part]
    data = zf.read(part)
    _refuse_entities(data, part)
    return data


def _refuse_entities(xml: bytes, part: str) -> None:
    # anywhere in the part: a long comment can push a DOCTYPE far from the start
    if b"<!" in xml and (b"<!DOCTYPE" in xml or b"<!ENTITY" in xml):  # "<!" first: one fast scan of most parts
        raise InputError(f"文件中的“{part}”含有 XML 实体声明（DOCTYPE/ENTITY），可能是恶意构造的文件，已拒绝读取。")


@dataclass
class SheetScan:
    special: dict[tuple[int, int], Special]  # error values and formulas without a cached result
    formulas: dict[tuple[int, int], str]  # every formula cell -> its formula ("" when shared from another cell)
    hidden_rows: set[int]  # zero-based


def scan_sheet(zf: zipfile.ZipFile, part: str, sheet: str, checked: Mapping[str, bytes] | None = None) -> SheetScan:
    """What the values alone do not tell about a sheet; refuses sheets far larger than a report.

    Every search first looks for a plain substring its pattern cannot match without (fast, in C),
    and runs the pattern only where that is found: the same result, without walking every cell.
    """
    xml = _read(zf, part, checked)
    refuse_oversized(xml, sheet)
    special: dict[tuple[int, int], Special] = {}
    formulas: dict[tuple[int, int], str] = {}
    if b"<f" in xml or b":f" in xml:  # not "f>": a shared formula's follower <f t="shared" si="0"/> has none
        for attrs, formula, cached in _formula_cells(xml):
            ref = _REF.search(attrs)
            if ref is None:
                continue
            pos, text = _position(ref.group(1)), _unescape(formula or b"")
            formulas[pos] = text
            # openpyxl and some tools write <v></v> or <v/> for "no result"; only a string result may be empty
            if cached is None or (cached == b"" and b't="str"' not in attrs):
                special[pos] = Special(NO_CACHED_VALUE, text)
    if b't="e"' in xml:
        for attrs, value in _error_cells(xml):
            ref = _REF.search(attrs)
            if ref is not None:
                special[parse_a1(ref.group(1).decode())] = Special(ERROR_VALUE, _unescape(value))
    return SheetScan(special, formulas, hidden_rows(xml))


def _error_cells(xml: bytes) -> list[tuple[bytes, bytes]]:
    """(attributes, value) of each error cell that holds a value. Each cell is searched only up to the next
    cell's start, so that a sheet of error cells without their ends takes linear time, not quadratic."""
    starts = list(_CELL_START.finditer(xml))
    out = []
    for i, m in enumerate(starts):
        attrs = m.group(1)
        if attrs.endswith(b"/") or not _ERROR_TYPE.search(attrs):
            continue  # <c t="e"/> holds no value
        limit = starts[i + 1].start() if i + 1 < len(starts) else len(xml)
        end = _CELL_END.search(xml, m.end(), limit)
        value = _VALUE.search(xml, m.end(), end.start() if end else limit)
        if value is not None:
            out.append((attrs, value.group(1)))
    return out


def hidden_rows(xml: bytes) -> set[int]:
    """A sheet's hidden rows (zero-based)."""
    hidden = set()
    if b'hidden="1"' in xml or b'hidden="true"' in xml:  # LibreOffice writes hidden="false" on every row
        for m in _ROW.finditer(xml):
            number = _ROW_NUMBER.search(m.group(1))
            if number and _HIDDEN.search(m.group(1)):
                hidden.add(int(number.group(1)) - 1)
    return hidden


# The usual sheet is judged by patterns that start with a literal (C speed over the whole sheet); a sheet
# whose rows or cells do not start with their reference (r="…"), or carry a namespace prefix, the slow way.
_BEYOND_ROWS = re.compile(rb' r="[A-Z]{0,3}([1-9]\d{5,})"')  # a row or cell at row 100,000 (MAX_ROWS) or beyond
_MANY_ROWS = re.compile(rb' r="[A-Z]{0,3}[1-9]\d{3}')  # at row 1,000 or beyond: the area is measured
_IRREGULAR = re.compile(rb'<(?:row|c)(?=[\s>/])(?! r=")')
_BEYOND_ANY = re.compile(rb'\sr="[A-Z]{0,3}([1-9]\d{5,})"')
_ANY_REF = re.compile(rb'\sr="([A-Z]{0,3})(\d+)"')
_UNNUMBERED = re.compile(rb"<" + _P + rb'(?:row|c)\b(?![^<>]*\sr=")')  # a row or cell without its reference
_CELL = re.compile(rb"<" + _P + rb"c\b")


def refuse_oversized(xml: bytes, sheet: str) -> None:
    """A sheet whose cells span far more than a report (the reader lays out every position of that area):
    judged on every row and cell reference, not only the last row, and on rows and cells without one."""
    irregular = b":row" in xml or _IRREGULAR.search(xml) is not None
    too_far = (_BEYOND_ANY if irregular else _BEYOND_ROWS).search(xml)
    if too_far:
        rows = int(too_far.group(1))
        raise InputError(
            f"工作表“{sheet}”有 {rows} 行，远超年报统计表的正常范围，已拒绝读取（可能是损坏或恶意构造的文件）"
        )
    if _WIDE_HINT.search(xml) and _WIDE.search(xml):
        raise InputError(f"工作表“{sheet}”超过 {MAX_COLUMNS} 列，远超年报统计表的正常范围，已拒绝读取")
    if not (irregular or _MANY_ROWS.search(xml)):
        return  # under 1,000 rows and at most 702 columns: small enough
    refs = _ANY_REF.findall(xml)
    rows = max((int(number) for _, number in refs), default=0)
    columns = max((parse_a1(letters.decode() + "1")[1] + 1 for letters, _ in refs if letters), default=1)
    if irregular and _UNNUMBERED.search(xml):  # rows and cells without a reference follow one another
        rows = max(rows, len(_ROW.findall(xml)))
        columns = max(columns, len(_CELL.findall(xml)))
    if rows > MAX_ROWS or rows * columns > MAX_CELLS:
        raise InputError(
            f"工作表“{sheet}”的数据区域有 {rows} 行 × {columns} 列，远超年报统计表的正常范围，已拒绝读取"
            "（可能是损坏或恶意构造的文件）"
        )


_F_OPEN = re.compile(rb"<" + _P + rb"f\b")
# _FORMULA_CELL in three steps: the cell's start tag and the <f> tag; the end of the formula; the cached value
_CELL_F = re.compile(rb"<" + _P + rb"c\b([^<>]*)>\s*<" + _P + rb"f\b[^<>]*?(/?)>")
_F_END = re.compile(rb"</" + _P + rb"f>")
_CACHED = re.compile(rb"\s*(?:<" + _P + rb"v>([^<]*)</" + _P + rb"v>|(<" + _P + rb"v/>))?")


def _formula_cells(xml: bytes) -> list[tuple[bytes, bytes | None, bytes | None]]:
    """(attributes, formula, cached value) of each match ``_FORMULA_CELL.finditer(xml)`` gives, found faster.

    A match is a cell's start tag followed by an <f> tag, and every <f> (or <x:f>) tag holds "<f" or ":f":
    only the tag before each <f> is tried, instead of every tag of the sheet, and the end of a long
    formula is found by searching for "</", not by trying each character.
    """
    starts = set()
    for needle in (b"<f", b":f") if b":f" in xml else (b"<f",):
        i = xml.find(needle)
        while i >= 0:
            after = xml[i + 2 : i + 3]
            if not (after.isalnum() or after == b"_"):  # "f" ends the name (\b): not <formula>, <font>, …
                lt = xml.rfind(b"<", 0, i + 1)
                if _F_OPEN.match(xml, lt):
                    starts.add(xml.rfind(b"<", 0, lt))
            i = xml.find(needle, i + 2)
    out: list[tuple[bytes, bytes | None, bytes | None]] = []
    end = 0
    # The first </f> at or after a position: searched again only past the one found (or not at all once none is
    # left), so that formulas without their ends take linear time, not quadratic
    f_end: re.Match[bytes] | None = None
    searched_from = len(xml) + 1
    for start in sorted(starts):
        if start < end:
            continue  # inside the previous match, as finditer would skip it
        m = _CELL_F.match(xml, start) if start >= 0 else None
        if m is None:
            continue
        formula: bytes | None = None
        after = m.end()
        if not m.group(2):
            if after < searched_from or (f_end is not None and after > f_end.start()):
                f_end, searched_from = _F_END.search(xml, after), after
            close = f_end
            if close is None:
                continue
            formula, after = xml[after : close.start()], close.end()
        v = _CACHED.match(xml, after)
        assert v is not None  # everything in it is optional
        out.append((m.group(1), formula, v.group(1)))
        end = v.end()
    return out


_MODIFIED = re.compile(rb"<dcterms:modified[^>]*>(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)")


_ODS_DATE = re.compile(rb"<dc:date>(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)")
_CHINA = timezone(timedelta(hours=8))


def saved_time(zf: zipfile.ZipFile, checked: Mapping[str, bytes] | None = None) -> datetime | None:
    """The workbook's own last-saved time, from docProps/core.xml (UTC) or an .ods file's meta.xml (local time)."""
    for part, pattern, zone in (("docProps/core.xml", _MODIFIED, timezone.utc), ("meta.xml", _ODS_DATE, _CHINA)):
        if checked is not None and part in checked:
            m = pattern.search(checked[part][:8192])
        else:
            try:
                with zf.open(part) as f:
                    m = pattern.search(f.read(8192))
            except KeyError:
                continue
        if m:
            try:
                return datetime(*map(int, m.groups()), tzinfo=zone).astimezone(timezone.utc)  # type: ignore[misc]
            except ValueError:
                return None
    return None
