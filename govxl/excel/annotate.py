"""退回修改: a copy of a department's return with the offending cells marked.

The copy keeps the department's values, formulas, data validation and
formatting: it is the original re-saved by openpyxl, with fills, 批注 and a
校验结果 sheet added. openpyxl drops every cached formula value on saving,
so they are put back from the original afterwards, and the copy still shows
(and reads back with) the same numbers.
"""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime, timezone
from pathlib import Path

import openpyxl
from openpyxl.cell.cell import MergedCell
from openpyxl.comments import Comment
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Font, PatternFill

from govxl.editions.rules import Severity
from govxl.errors import GovxlError
from govxl.excel.finding_notes import AUTHOR, COLUMNS, SHEET, WIDTHS, by_cell, note, note_size
from govxl.excel.styles import ERROR_FILL, HINT_FILL, INPUT_FILL
from govxl.io import atomic_output, inside, safe_file_stem
from govxl.layout import parse_a1
from govxl.markers import KIND_PROPERTY
from govxl.normalize import ERROR_VALUE, NO_CACHED_VALUE
from govxl.outputs import claim
from govxl.read import xlsxparts
from govxl.read.workbook import Book, open_book
from govxl.results.check import CheckResult, FileCheck
from govxl.results.findings import Finding
from govxl.results.inbox import ANNOTATED_SUFFIX
from govxl.values import numeric

_RED = PatternFill("solid", fgColor=ERROR_FILL.lstrip("#"))
_AMBER = PatternFill("solid", fgColor=HINT_FILL.lstrip("#"))


def annotate_all(result: CheckResult, folder: Path) -> tuple[list[Path], list[tuple[str, str]]]:
    """Annotated copies of every return with findings; and the files that could not get one, with why.

    Every copy's name is checked before any is written: a file in ``folder`` that govxl did not write as an
    annotated copy is never replaced (:func:`govxl.outputs.claim`)."""
    written, skipped = [], []
    used: set[str] = set()
    planned: list[tuple[FileCheck, Path]] = []
    for fc in result.files:
        if fc.ret is None:
            skipped.append((fc.shown, "；".join(f.message for f in fc.findings)))
            continue
        if not fc.findings:
            continue
        suffix = fc.ret.path.suffix.lower()
        if suffix not in (".xlsx", ".xlsm"):
            skipped.append((fc.shown, "只能为 .xlsx/.xlsm 文件生成标注副本，请对方另存为 .xlsx 后重新报送"))
            continue
        stem = safe_file_stem(fc.ret.path.stem.removesuffix(ANNOTATED_SUFFIX)) + ANNOTATED_SUFFIX
        name, n = stem + suffix, 2
        while name.lower() in used:
            name, n = f"{stem}_{n}{suffix}", n + 1
        used.add(name.lower())
        planned.append((fc, inside(folder, name)))
    for _, target in planned:
        claim(target, "annotated")
    for fc, target in planned:
        folder.mkdir(parents=True, exist_ok=True)
        try:
            written.append(annotate(fc, target))
        except GovxlError as e:
            skipped.append((fc.shown, str(e)))
        except Exception:  # openpyxl refuses some files calamine reads: this one gets no copy, the rest do
            skipped.append((fc.shown, "无法为此文件生成标注副本，请按校验结果逐条告知对方修改"))
    return written, skipped


def annotate(fc: FileCheck, target: Path) -> Path:
    assert fc.ret is not None
    source = fc.ret.path
    book = open_book(source)
    wb = openpyxl.load_workbook(source, keep_vba=source.suffix.lower() == ".xlsm")
    _clear_earlier_marks(wb, {fc.ret.refs[k] for k in fc.ret.refs})
    for (sheet, ref), found in by_cell(fc.findings, wb.sheetnames).items():
        cell = wb[sheet][ref]
        if isinstance(cell, MergedCell):
            continue
        cell.fill = _RED if any(f.is_error for f in found) else _AMBER
        text = "\n".join(note(f) for f in found)
        if cell.comment is not None:
            text = cell.comment.text + "\n" + text
        width, height = note_size(text)
        cell.comment = Comment(text, AUTHOR, height=height, width=width)
    _findings_sheet(wb, fc.findings)
    _mark_as_annotated(wb)
    with atomic_output(target) as tmp:
        wb.save(tmp)
        _restore_cached_values(tmp, book)
    return target


def _mark_as_annotated(wb: openpyxl.Workbook) -> None:
    """The copy says it is govxl's annotated copy (the return's own marker says ``template``)."""
    props = wb.custom_doc_props
    if KIND_PROPERTY in props.names:
        del props[KIND_PROPERTY]
    props.append(StringProperty(name=KIND_PROPERTY, value="annotated"))


_OURS = {("FF" + ERROR_FILL.lstrip("#")).upper(), ("FF" + HINT_FILL.lstrip("#")).upper()}
_INPUT = PatternFill("solid", fgColor=INPUT_FILL.lstrip("#"))


def _clear_earlier_marks(wb: openpyxl.Workbook, inputs: set[tuple[str, str]]) -> None:
    """A copy corrected and checked again: last round's red and yellow cells and 批注 are taken off first."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell, MergedCell):
                    continue
                if cell.comment is not None and cell.comment.author == AUTHOR:
                    cell.comment = None
                color = cell.fill.fgColor.rgb if cell.fill is not None and cell.fill.fill_type == "solid" else None
                if isinstance(color, str) and color.upper() in _OURS:
                    cell.fill = _INPUT if (ws.title, cell.coordinate) in inputs else PatternFill()


def _findings_sheet(wb: openpyxl.Workbook, findings: list[Finding]) -> None:
    if SHEET in wb.sheetnames and tuple(c.value for c in wb[SHEET][1][: len(COLUMNS)]) == COLUMNS:
        wb.remove(wb[SHEET])  # a corrected copy sent back: its old findings are replaced, not kept beside the new
    name = SHEET if SHEET not in wb.sheetnames else SHEET + "（govxl）"
    ws = wb.create_sheet(name)
    for j, text in enumerate(COLUMNS, start=1):
        c = ws.cell(1, j, text)
        c.font = Font(bold=True)
    for i, f in enumerate(findings, start=2):
        row = (i - 1, f.severity.value, f.sheet, f.cell, f.rule, f.message, f.expected, f.actual)
        for j, v in enumerate(row, start=1):
            c = ws.cell(i, j, v if v != "" else None)
            if isinstance(v, str) and v[:1] in ("=", "+", "-", "@"):
                c.data_type = "s"  # text from a return is never a formula
            c.alignment = Alignment(wrap_text=True, vertical="top")
        if f.severity is Severity.ERROR:
            ws.cell(i, 2).fill = _RED
        else:
            ws.cell(i, 2).fill = _AMBER
        if f.sheet and f.cell:
            link = ws.cell(i, len(row) + 1, "转到")
            link.hyperlink = f"#'{f.sheet}'!{f.cell}"
            link.font = Font(color="0000FF", underline="single")
    for col, width in zip("ABCDEFGHI", WIDTHS, strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"


_FORMULA = re.compile(
    rb'<c r="([A-Z]+[0-9]+)"([^>]*)>(<f\b[^>]*/>|<f\b[^>]*>.*?</f>)(?:<v\s*/>|<v>\s*</v>|<v>([^<]*)</v>)?</c>', re.S
)


def _restore_cached_values(path: Path, book: Book) -> None:
    """Put the original's cached formula results back into the sheets openpyxl wrote."""
    with zipfile.ZipFile(path) as zf:
        members = [(info, zf.read(info.filename)) for info in zf.infolist()]
        parts = xlsxparts.sheet_parts(zf)
    part_sheet = {part: sheet for sheet, part in parts.items()}
    out = []
    stamp = (book.saved or datetime(2000, 1, 1, tzinfo=timezone.utc)).strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    for info, data in members:
        sheet = part_sheet.get(info.filename)
        if sheet in book.sheets:
            data = _FORMULA.sub(lambda m, s=sheet: _cached(m, book, s), data)  # type: ignore[misc]
        if info.filename == "docProps/core.xml":  # openpyxl stamps the clock here: keep the original's time
            data = re.sub(rb"(<dcterms:(?:modified|created)[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
        out.append((info, data))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in out:  # fixed entry dates: the same return gives the same copy
            zf.writestr(zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)


def _cached(m: re.Match[bytes], book: Book, sheet: str) -> bytes:
    ref, attrs, formula = m.group(1), m.group(2), m.group(3)
    pos = parse_a1(ref.decode())
    attrs = re.sub(rb'\s+t="[^"]*"', b"", attrs)
    special = book.special.get(sheet, {}).get(pos)
    if special is not None and special.what == NO_CACHED_VALUE:
        return b'<c r="' + ref + b'"' + attrs + b">" + formula + b"</c>"
    if special is not None and special.what == ERROR_VALUE:
        return b'<c r="' + ref + b'"' + attrs + b' t="e">' + formula + b"<v>" + _xml(special.text) + b"</v></c>"
    grid = book.sheets.get(sheet, [])
    value = grid[pos[0]][pos[1]] if pos[0] < len(grid) and pos[1] < len(grid[pos[0]]) else ""
    if isinstance(value, bool):
        return b'<c r="' + ref + b'"' + attrs + b' t="b">' + formula + (b"<v>1</v>" if value else b"<v>0</v>") + b"</c>"
    if isinstance(value, (int, float, date)):  # a date is its serial number, as Excel stores it
        return b'<c r="' + ref + b'"' + attrs + b">" + formula + b"<v>" + repr(numeric(value)).encode() + b"</v></c>"
    return b'<c r="' + ref + b'"' + attrs + b' t="str">' + formula + b"<v>" + _xml(str(value)) + b"</v></c>"


def _xml(text: str) -> bytes:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").encode("utf-8")
