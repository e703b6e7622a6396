"""A single-pass reader of the usual .xlsx sheet: values, formulas, error values and hidden rows at once.

python-calamine reads a sheet in Rust, but govxl then scanned the same XML again for what calamine does
not tell (formulas, their saved results, error values, hidden rows). Here one pass over the sheet's
cells gives all of it, the values exactly as calamine gives them (the tests hold the two readers to the
same cells on every workbook they know, and on generated sheets).

Only what is recognised is read here: cells as Excel, WPS, LibreOffice and XlsxWriter write them. Anything
else (a namespace prefix, cells without references, a date format on a number, an unknown entity, a
comment in the data, …) raises :class:`Unrecognised` with the reason, and the caller reads the file with
calamine instead. What calamine does that is easy to miss, and done here the same way:

- the sheet's extent counts only cells with a value (a styled blank or a formula without a numeric result
  does not widen it; an error value, a boolean and any string, even empty, do);
- text in <t> is stripped of spaces, tabs and line breaks unless xml:space="preserve"; a <v> is not;
- line breaks are normalised (CR LF, CR -> LF) before entities are decoded; ``_xHHHH_`` is decoded after;
- phonetic runs (<rPh>) are not part of a shared string.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from govxl.layout import parse_a1
from govxl.normalize import ERROR_VALUE, NO_CACHED_VALUE, Special
from govxl.read.xlsxparts import SheetScan, _unescape, hidden_rows


class Unrecognised(Exception):
    """A part the single-pass reader does not read (the reason is the message): calamine reads the file."""


Grid = list[list[object]]

_PREFIXABLE = re.compile(rb":(?:c|row|v|f|is|si|t|r|rPh|xf|sheetData|cellXfs|numFmt)[\s>/]")


def not_xml(xml: bytes) -> bool:
    """A tag holding "<", or never ended: calamine refuses such a part. (Writers escape ">" in text too, so a
    usual part has as many of each. The patterns here stop at the next "<", so such a part costs linear
    time whatever it holds; this only keeps the two readers to the same refusals.)"""
    return xml.count(b"<") != xml.count(b">")


def _prefixed(xml: bytes) -> bool:
    """Whether a tag read here may carry a namespace prefix (<x:c>): then calamine reads the file."""
    return _PREFIXABLE.search(xml) is not None


# Cells with content (a self-closing cell has no value): reference, style and type as every usual writer orders
# them (_ANY_CELLS: else the attributes, read one by one), then a lone <v> or whatever the cell holds
_CELLS = re.compile(
    rb'<c r="([A-Z]{1,3})([1-9][0-9]{0,6})"(?: s="([0-9]+)")?(?: t="([a-zA-Z]+)")?()>(?:(<v>[^<]*</v>)|(.*?))</c>',
    re.S,
)
_ANY_CELLS = re.compile(
    rb'<c (?:r="([A-Z]{1,3})([1-9][0-9]{0,6})"(?: s="([0-9]+)")?(?: t="([a-zA-Z]+)")?|([^<>]*[^/<>]))>'
    rb"(?:(<v>[^<]*</v>)|(.*?))</c>",
    re.S,
)
_OPEN_CELL = re.compile(rb"<c [^<>]*[^/<>]>")
_BAD_CELL_TAG = re.compile(rb"<c(?:[\t\n\r>]| ?/?>| <)")  # broken over lines, without attributes, not XML
_NUMBER_START = frozenset(bytes([b]) for b in b"+-.0123456789")
_NUMBER_END = frozenset(bytes([b]) for b in b".0123456789")
_R = re.compile(rb'\sr="([A-Z]{1,3})([1-9][0-9]{0,6})"')
_S = re.compile(rb'\ss="([0-9]+)"')
_T = re.compile(rb'\st="([a-zA-Z]+)"')
_KNOWN_ATTR = re.compile(rb'\s+(?:r|s|t|cm|vm|ph)="[^"<>]*"')
_ATTR_NAME = re.compile(rb'\s([a-z]+)="')
_V = re.compile(rb"<v>([^<]*)</v>")
_F = re.compile(rb"<f\b[^>]*?(/?)>")
_AFTER_F = re.compile(rb"\s*(?:<v>([^<]*)</v>|(<v/>))?\s*")
_T_TEXT = re.compile(rb"<t(\s[^<>]*)?>([^<]*)</t>|<t(?:\s[^<>]*)?/>")
_ENTITY = re.compile(r"&(?:(lt|gt|amp|quot|apos)|#([0-9]{1,7})|#x([0-9a-fA-F]{1,6}));")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
_WS = " \t\n\r"
_ERRORS = frozenset([b"#DIV/0!", b"#N/A", b"#NAME?", b"#NULL!", b"#NUM!", b"#REF!", b"#VALUE!"])
_PRESERVE = b'xml:space="preserve"'
_COLUMNS: dict[bytes, int] = {}


def _column(letters: bytes) -> int:
    col = _COLUMNS.get(letters)
    if col is None:
        col = _COLUMNS[letters] = parse_a1(letters.decode() + "1")[1]
    return col


def _char(m: re.Match[str]) -> str:
    if m.group(1):
        return _NAMED[m.group(1)]
    code = int(m.group(2)) if m.group(2) else int(m.group(3), 16)
    if code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF:
        return chr(code)
    raise Unrecognised(f"character reference to U+{code:04X}")


def text(raw: bytes, *, trim: bool) -> str:
    """An XML text node as calamine gives it."""
    try:
        s = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise Unrecognised("text that is not UTF-8") from e
    if "\r" in s:
        s = s.replace("\r\n", "\n").replace("\r", "\n")
    if "&" in s:
        decoded = _ENTITY.sub(_char, s)
        if "&" in _ENTITY.sub("", s):
            raise Unrecognised("an entity other than the five of XML or a character reference")
        s = decoded
    if trim:
        s = s.strip(_WS)
    if "_x" in s:
        s = _ESCAPED.sub(_unescape_code, s)
        if trim and s != s.strip(_WS):
            raise Unrecognised("an escaped space at the edge of a text")
    return s


def _unescape_code(m: re.Match[str]) -> str:
    code = int(m.group(1), 16)
    return m.group(0) if 0xD800 <= code <= 0xDFFF else chr(code)


def _rich_text(inner: bytes) -> str:
    """The text of a shared string or an inline string: its <t> elements, phonetic runs left out."""
    if b"<rPh" in inner:
        inner = _without_phonetic(inner)
    parts = []
    for m in _T_TEXT.finditer(inner):
        if m.group(2) is not None:
            parts.append(text(m.group(2), trim=_PRESERVE not in (m.group(1) or b"")))
    t_tags = inner.count(b"<t>") + inner.count(b"<t ") + inner.count(b"<t/")
    if len(parts) != inner.count(b"</t>") or inner.count(b"<t") != t_tags:
        raise Unrecognised("a text element holding other elements, or an element whose name starts with t")
    return "".join(parts)


def _without_phonetic(inner: bytes) -> bytes:
    """The string's XML without its <rPh> runs: each cut at its own end, found by a search (linear time,
    whatever the string holds)."""
    kept, at = [], 0
    while (start := inner.find(b"<rPh", at)) >= 0:
        end = inner.find(b"</rPh>", start)
        if end < 0:
            raise Unrecognised("a phonetic run without its end")
        kept.append(inner[at:start])
        at = end + len(b"</rPh>")
    kept.append(inner[at:])
    return b"".join(kept)


_STRINGS: dict[bytes, str] = {}  # a shared string's XML -> its text: returns from one template share most


def shared_strings(xml: bytes | None) -> list[str]:
    if xml is None:
        return []
    odd = b"<!" in xml or b"<?" in xml[40:]  # a comment, CDATA, a processing instruction after the declaration
    if odd or _prefixed(xml) or xml.count(b"xml:space") != xml.count(_PRESERVE):
        raise Unrecognised("shared strings with prefixes, comments or a space setting other than on <t>")
    if not_xml(xml):
        raise Unrecognised("unbalanced '<' and '>' (not XML, or '>' unescaped in a text)")
    if b"<si " in xml or b"<si/>" in xml:
        raise Unrecognised("a shared string element with attributes, or empty")
    if len(_STRINGS) > 50_000:  # a few templates' strings; one name per return
        _STRINGS.clear()
    out = []
    for chunk in xml.split(b"<si>")[1:]:  # each string's XML, up to the next (split: far faster than a pattern)
        found = _STRINGS.get(chunk)
        if found is None:
            found = _STRINGS[chunk] = _string(chunk)
        out.append(found)
    return out


def _string(chunk: bytes) -> str:
    end = chunk.rfind(b"</si>")
    if end < 0 or chunk[end + 5 :].strip() not in (b"", b"</sst>") or b"<si" in chunk[:end]:
        raise Unrecognised("a shared string without its end")
    return _rich_text(chunk[:end])


_BUILTIN_NUMBERS = frozenset([*range(0, 14), *range(37, 45), 48, 49])  # General, numbers, text: never a date
_DATE_LETTERS = re.compile(r"[dmyhsebgDMYHSEBG\[]")
_NUM_FMT = re.compile(rb"<numFmt\b([^<>]*)>")
_FORMAT_CODE = re.compile(rb'\bformatCode="([^"]*)"')
_XF = re.compile(rb"<xf\b([^<>]*)>")
_NUM_FMT_ID = re.compile(rb'\bnumFmtId="([0-9]+)"')


def maybe_dates(xml: bytes | None) -> frozenset[int] | None:
    """The cell formats (XF indices) that might show a number as a date or a time (calamine would give a
    date); ``None`` when there is no style part (every number stays a number)."""
    if xml is None:
        return None
    if _prefixed(xml) or b"<!--" in xml or not_xml(xml):
        raise Unrecognised("a style part with prefixes or comments")
    plain = set()
    for m in _NUM_FMT.finditer(xml):
        number, code_xml = _NUM_FMT_ID.search(m.group(1)), _FORMAT_CODE.search(m.group(1))
        if number is None or code_xml is None:
            continue  # a format without its number or code: numbers in it count as possible dates
        code = text(code_xml.group(1), trim=False)
        if code.lower() == "general" or not _DATE_LETTERS.search(re.sub(r'"[^"]*"', "", code)):
            plain.add(int(number.group(1)))
    start, end = xml.find(b"<cellXfs"), xml.find(b"</cellXfs>")
    if start < 0:
        return frozenset()
    if end < 0:
        raise Unrecognised("a style part without the end of its cell formats")
    out = set()
    for i, m in enumerate(_XF.finditer(xml, start, end)):
        fmt = _NUM_FMT_ID.search(m.group(1))
        number = int(fmt.group(1)) if fmt else 0
        if number not in _BUILTIN_NUMBERS and number not in plain:
            out.add(i)
    return frozenset(out)


@dataclass
class SheetCells:
    grid: Grid
    scan: SheetScan
    texts: list[tuple[int, int, str]]  # (row, column, text) of the cells holding text, row by row


def read_sheet(xml: bytes, strings: list[str], dates: frozenset[int] | None) -> SheetCells:
    """One sheet's values (as calamine lays them out) and its formulas, error values and hidden rows."""
    if _prefixed(xml):
        raise Unrecognised("a namespace prefix on cells or rows")
    start, end = xml.find(b"<sheetData"), xml.rfind(b"</sheetData>")
    if start < 0 or xml.find(b"<sheetData", start + 1) >= 0:
        raise Unrecognised("no <sheetData>, or more than one")
    if end < 0:
        if xml.find(b"/>", start) != xml.find(b">", start) - 1:
            raise Unrecognised("no end of <sheetData> (a damaged sheet)")
        end = start  # <sheetData/>: no cells
    if not xml.rstrip().endswith(b"</worksheet>"):
        raise Unrecognised("no end of the worksheet (a damaged sheet)")
    data = xml[start:end]
    if b"<!" in data or b"<?" in data:
        raise Unrecognised("a comment, CDATA section or processing instruction among the cells")
    if _BAD_CELL_TAG.search(data):
        raise Unrecognised("a cell tag broken over lines, or without attributes")
    tags = xml.count(b"<")
    if tags != xml.count(b">"):  # not_xml
        raise Unrecognised("unbalanced '<' and '>' (not XML, or '>' unescaped in a text)")
    date_styles = frozenset(str(i).encode() for i in dates) if dates else frozenset()
    declaration = xml.count(b"<?", 0, 64)  # any other "<?" or "<!" (rare) leaves the sheet to calamine too
    if tags - declaration - xml.count(b"/>") != 2 * xml.count(b"</"):
        raise Unrecognised("an element without its end, or an end without its element (a damaged sheet)")
    # Every cell opened has its end (else left to calamine). Cells are searched for up to the last end, never to
    # the end of the sheet (from every cell, quadratic time); a cell without its end before it would take in the
    # cells up to the next end (a cell inside a cell, below). _CELLS passes by a cell of unusual attributes.
    ends = data.count(b"</c>")
    if len(_OPEN_CELL.findall(data)) != ends:
        raise Unrecognised("a cell without its end")
    close = data.rfind(b"</c>") + len(b"</c>")
    found = _CELLS.findall(data, 0, close)
    if len(found) != ends:
        found = _ANY_CELLS.findall(data, 0, close)
        if len(found) != ends:
            raise Unrecognised("a cell without its end")
    cells: list[tuple[int, int, object]] = []
    special: dict[tuple[int, int], Special] = {}
    formulas: dict[tuple[int, int], str] = {}
    errors = 0
    last = -1
    count = len(strings)
    columns = _COLUMNS
    append = cells.append
    for letters, number, style, kind, attrs, lone_v, inner in found:
        if attrs:
            letters, number, style, kind = _attributes(attrs)
        col = columns.get(letters)
        if col is None:
            col = _column(letters)
        row = int(number) - 1
        at = row * 20_000 + col
        if at <= last:
            raise Unrecognised("cells out of order or repeated")
        last = at
        if lone_v:
            cached: bytes | None = lone_v[3:-4]
            if kind == b"s":
                if not cached.isdigit() or int(cached) >= count:
                    raise Unrecognised("a shared string cell without a valid index")
                append((row, col, strings[int(cached)]))
                continue
        elif inner:
            errors += inner.count(b' t="e"')
            if b"<c" in inner:
                raise Unrecognised("a cell inside a cell (a damaged sheet)")
            pos = (row, col)
            if b"<f" in inner:
                cached = _formula(inner, kind == b"str", pos, formulas, special)
            elif kind == b"inlineStr" and b"<v" not in inner:
                if not inner.lstrip().startswith(b"<is>") or not inner.rstrip().endswith(b"</is>"):
                    raise Unrecognised("an inline string that is not one <is> element")
                append((row, col, _rich_text(inner)))
                continue
            elif inner.strip():
                m = _V.fullmatch(inner.strip())
                if m is None:
                    raise Unrecognised(f"a cell holding {inner[:40]!r}")
                cached = m.group(1)
            else:
                cached = None
        else:
            cached = None
        if not kind or kind == b"n":
            if cached:
                if style in date_styles:
                    raise Unrecognised("a number in a date or time format")
                append((row, col, _number(cached)))
            continue
        if kind == b"s":
            if not cached or not cached.isdigit() or int(cached) >= count:
                raise Unrecognised("a shared string cell without a valid index")
            append((row, col, strings[int(cached)]))
            continue
        if kind == b"e":
            errors += 1
            if cached is not None:
                special[(row, col)] = Special(ERROR_VALUE, _unescape(cached))
        value = _value(kind, cached)
        if value is not None:
            append((row, col, value))
    if data.count(b"<f") != len(formulas):
        raise Unrecognised("formula tags outside the cells read")
    if data.count(b' t="e"') != errors:  # calamine reads no value in <c t="e"/>, the error scan did
        raise Unrecognised("error values outside the cells read (a self-closing cell with a type)")
    grid: Grid = []
    if cells:
        rows = cells[-1][0] + 1  # cells are in order
        width = max(c for _, c, _ in cells) + 1
        grid = [[""] * width for _ in range(rows)]
        texts = []
        for r, c, value in cells:
            grid[r][c] = value
            if value.__class__ is str and value:
                texts.append((r, c, value))
    else:
        texts = []
    return SheetCells(grid, SheetScan(special, formulas, hidden_rows(xml)), texts)  # type: ignore[arg-type]


def _attributes(attrs: bytes) -> tuple[bytes, bytes, bytes | None, bytes | None]:
    """A cell's reference, style and type, in any order."""
    attrs = b" " + attrs
    if b"'" in attrs or _KNOWN_ATTR.sub(b"", attrs).strip():
        raise Unrecognised(f"cell attributes {attrs[:60]!r}")
    names = _ATTR_NAME.findall(attrs)
    if len(set(names)) != len(names):  # calamine reads the attributes up to the second of a name
        raise Unrecognised(f"an attribute twice in {attrs[:60]!r}")
    r = _R.search(attrs)
    if r is None:
        raise Unrecognised("a cell without its reference")
    s, t = _S.search(attrs), _T.search(attrs)
    return r.group(1), r.group(2), s.group(1) if s else None, t.group(1) if t else None


def _number(cached: bytes) -> float:
    """A number as calamine reads it (Rust's parser): forms Python alone accepts ("inf", " 5", "1_0") are left
    to calamine."""
    if cached[:1] not in _NUMBER_START or cached[-1:] not in _NUMBER_END or b"_" in cached:
        raise Unrecognised(f"a number written {cached[:20]!r}")
    try:
        return float(cached)
    except ValueError as e:
        raise Unrecognised(f"a number written {cached[:20]!r}") from e


def _formula(
    inner: bytes,
    string: bool,
    pos: tuple[int, int],
    formulas: dict[tuple[int, int], str],
    special: dict[tuple[int, int], Special],
) -> bytes | None:
    """A formula cell's formula recorded (as :func:`xlsxparts.scan_sheet` records it); its saved result.
    ``string``: the cell's type is t="str"."""
    end = inner.find(b"</f>")
    known = _FORMULAS.get(inner[: end + 4]) if end > 0 else None  # the same formulas recur in every return
    if known is not None:
        rest = _AFTER_F.fullmatch(inner, end + 4)
        if rest is not None:
            return _result(rest, known, string, pos, formulas, special)
    lead = len(inner) - len(inner.lstrip())
    f = _F.match(inner, lead)
    if f is None:
        raise Unrecognised("a cell whose first element is not its formula")
    after = f.end()
    formula = b""
    if not f.group(1):
        close = inner.find(b"</f>", after)
        if close < 0 or b"<" in inner[after:close]:
            raise Unrecognised("a formula without its end")
        formula, after = inner[after:close], close + 4
    rest = _AFTER_F.fullmatch(inner, after)
    if rest is None:
        raise Unrecognised("a formula cell holding more than its formula and result")
    text_ = _unescape(formula)
    if formula and inner.find(b"</f>") == after - 4:
        if len(_FORMULAS) > 20_000:
            _FORMULAS.clear()
        _FORMULAS[inner[:after]] = text_
    return _result(rest, text_, string, pos, formulas, special)


_FORMULAS: dict[bytes, str] = {}  # a formula's XML (up to </f>) -> the formula, for formulas ended by </f>


def _result(
    rest: re.Match[bytes],
    text_: str,
    string: bool,
    pos: tuple[int, int],
    formulas: dict[tuple[int, int], str],
    special: dict[tuple[int, int], Special],
) -> bytes | None:
    cached = rest.group(1)
    formulas[pos] = text_
    if cached is None or (cached == b"" and not string):
        special[pos] = Special(NO_CACHED_VALUE, text_)
    if rest.group(2) is not None and string:
        return b""  # <v/> after a string formula: an empty string
    return cached


def _value(kind: bytes, cached: bytes | None) -> object:
    """The value calamine gives a cell of a type other than a number or a shared string (None: no value,
    the cell does not count for the sheet's extent)."""
    if kind == b"str":
        return None if cached is None else text(cached, trim=False)
    if kind == b"b":
        if cached == b"1":
            return True
        if cached == b"0":
            return False
        raise Unrecognised("a boolean cell that is not 0 or 1")
    if kind == b"e":
        if cached and cached not in _ERRORS:
            raise Unrecognised(f"an error value {cached[:20]!r} calamine may not know")
        return "" if cached else None
    raise Unrecognised(f"a cell of type {kind.decode(errors='replace')!r}")


def hidden_sheet_names(workbook: bytes, names: Mapping[str, str]) -> frozenset[str]:
    """Sheets the workbook marks hidden or very hidden."""
    out = set()
    for m in re.finditer(rb"<sheet\b([^<>]*)>", workbook):
        state = re.search(rb'\bstate="([^"]*)"', m.group(1))
        name = re.search(rb'\bname="([^"]*)"', m.group(1))
        if state and name and state.group(1) != b"visible":
            out.add(_unescape(name.group(1)))
    return frozenset(n for n in out if n in names)
