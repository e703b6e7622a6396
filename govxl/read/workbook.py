"""Read a returned workbook: find the tables by their labels, normalise every value.

The template's hidden metadata is used when present, but the labels are
always what decides: sheets may be renamed or reordered, rows and columns
inserted, the file re-saved by WPS or LibreOffice or as .xls.
"""

from __future__ import annotations

import logging
import re
import unicodedata
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cache, lru_cache
from pathlib import Path

from python_calamine import CalamineWorkbook, SheetVisibleEnum

from govxl.editions import EDITIONS
from govxl.editions.model import Edition, Kind
from govxl.editions.rules import Severity
from govxl.errors import InputError
from govxl.judge.engine import prefill_definitions
from govxl.layout import SheetLayout, a1, cell_name, layouts, parse_a1
from govxl.normalize import Cell, Special, State, from_formula, normalize
from govxl.read import xlsxcells, xlsxparts
from govxl.results.completeness import Completeness
from govxl.results.figures import Figures, FiguresKind, UnitFrom
from govxl.results.findings import (
    BINARY_FORMAT,
    EDITED_TOTAL,
    HIDDEN_ROWS,
    NOT_A_REPORT,
    SEVERAL_SHEETS,
    UNREADABLE,
    WRONG_EDITION,
    Finding,
)
from govxl.sheetnames import EXPLANATION_LABEL, META_SHEET, UNIT_LABEL, YEAR_LABEL, detail_sheet
from govxl.values import show

log = logging.getLogger(__name__)

FOUND = 0.7  # share of a table's labels that must be found for the table to count as present
SAME_TABLE = 0.95  # a second sheet matching this well is another copy of the table, not a sheet that quotes labels
_WS = re.compile(r"[\s\u3000\u00a0]+")
_YEAR_IN_TITLE = re.compile(r"((?:19|20)\d{2})\s*年度?")

Grid = list[list[object]]


@lru_cache(maxsize=65536)
def _norm(text: str) -> str:
    return _WS.sub("", unicodedata.normalize("NFKC", text))


def norm(text: object) -> str:
    """Labels compared loosely: full-width/half-width and spaces do not matter."""
    return _norm(text if isinstance(text, str) else str(text))


@dataclass
class Book:
    path: Path
    sheets: dict[str, Grid]
    special: dict[str, dict[tuple[int, int], Special]] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)
    formulas: dict[str, dict[tuple[int, int], str]] = field(default_factory=dict)  # formula cells per sheet
    hidden: dict[str, set[int]] = field(default_factory=dict)  # hidden rows per sheet (.xlsx)
    saved: datetime | None = None
    hidden_sheets: frozenset[str] = frozenset()
    binary: bool = False  # .xls or .xlsb: formulas and error values cannot be seen, only values
    texts: dict[str, list[tuple[int, int, str]]] = field(default_factory=dict)  # a sheet's text cells, when known
    _indexes: dict[str, dict[str, list[tuple[int, int]]]] = field(default_factory=dict)

    def index(self, sheet: str) -> dict[str, list[tuple[int, int]]]:
        if sheet not in self._indexes:
            self._indexes[sheet] = _index(self.sheets[sheet])
        return self._indexes[sheet]

    def text_cells(self, sheet: str) -> list[tuple[int, int, str]]:
        """(row, column, text) of every cell holding text, row by row."""
        if sheet not in self.texts:
            grid = self.sheets[sheet]
            self.texts[sheet] = [
                (r, c, v) for r, row in enumerate(grid) for c, v in enumerate(row) if v.__class__ is str and v
            ]  # type: ignore[misc]
        return self.texts[sheet]


@dataclass
class Located:
    sheet: str
    dr: int
    dc: int
    score: float
    rows: dict[int, int]  # layout row -> sheet row
    missing: list[str]  # labels not found
    others: list[str] = field(default_factory=list)  # other sheets that hold the same table
    # each input cell: (key, kind, position, (sheet, A1)); made once per layout (see detect_edition)
    cells: tuple[tuple[str, Kind, tuple[int, int], tuple[str, str]], ...] = field(default=(), compare=False)


def cell_map(lay: SheetLayout, loc: Located) -> tuple[tuple[str, Kind, tuple[int, int], tuple[str, str]], ...]:
    """Where each input cell of a table is in the workbook."""
    out = []
    for cell in lay.cells:
        r, c = loc.rows.get(cell.row, cell.row + loc.dr), cell.col + loc.dc
        out.append((cell.key, cell.kind, (r, c), (loc.sheet, a1(r, c))))
    return tuple(out)


def read_meta(rows: list[list[object]]) -> dict[str, str]:
    """The fields of the hidden sheet that says what a workbook is (:mod:`govxl.excel.meta` writes it)."""
    out = {}
    for row in rows:
        if len(row) >= 2 and isinstance(row[0], str) and row[0]:
            out[row[0]] = "" if row[1] is None else str(row[1])
    return out


DAMAGED = "文件已损坏（可能没有完整发送或下载），请对方重新发送"


def open_book(path: Path, *, fast: bool = True) -> Book:
    """Load every sheet's values; refuse files that are not safe spreadsheets.

    An .xlsx file is read by :mod:`govxl.read.xlsxcells` in one pass per sheet when it recognises every
    part (``fast``), else by calamine beside the scans of :mod:`govxl.read.xlsxparts`.
    """
    if not path.is_file():
        raise InputError("找不到文件，或不是普通文件")
    with open(path, "rb") as f:
        head = f.read(8)
    suffix = path.suffix.lower()
    special: dict[str, dict[tuple[int, int], Special]] = {}
    formulas: dict[str, dict[tuple[int, int], str]] = {}
    hidden: dict[str, set[int]] = {}
    saved: datetime | None = None
    if head.startswith(b"PK"):
        try:
            with zipfile.ZipFile(path) as zf:
                checked = xlsxparts.check_container(path, zf)
                if xlsxparts.is_ods(zf):
                    saved = xlsxparts.saved_time(zf, checked)
                    for name, scan in xlsxparts.scan_ods(zf).items():
                        special[name], formulas[name], hidden[name] = scan.special, scan.formulas, scan.hidden_rows
                    return _open_with_calamine(path, special, formulas, hidden, saved)
                members = set(zf.namelist())
                if "xl/workbook.bin" in members:  # .xlsb: values only, as for .xls
                    return _open_with_calamine(path, special, formulas, hidden, saved, binary=True)
                if "xl/workbook.xml" not in members:
                    raise InputError("不是 Excel 工作簿（压缩包中没有工作簿内容），请确认文件是 .xlsx 格式的报表")
                saved = xlsxparts.saved_time(zf, checked)
                parts = xlsxparts.sheet_parts(zf, checked)
                if fast:
                    try:
                        return _open_fast(path, checked, parts, members, saved)
                    except xlsxcells.Unrecognised as e:
                        log.debug("%s: read with calamine (%s)", path, e)
                for name, part in parts.items():
                    if part in members:
                        scan = xlsxparts.scan_sheet(zf, part, name, checked)
                        special[name], formulas[name], hidden[name] = scan.special, scan.formulas, scan.hidden_rows
        except (zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError) as e:  # a damaged or incomplete zip
            raise InputError(DAMAGED) from e
    elif head.startswith(b"\xd0\xcf\x11\xe0"):
        if suffix in (".xlsx", ".xlsm"):
            raise InputError("文件设置了打开密码（已加密），无法读取，请对方取消密码后重新报送")
        return _open_with_calamine(path, special, formulas, hidden, saved, binary=True)
    else:
        raise InputError(_not_a_workbook(path))
    return _open_with_calamine(path, special, formulas, hidden, saved)


_PART_TARGETS = {  # the parts calamine looks for by these names: elsewhere, calamine reads the file
    "sharedStrings": ("xl/sharedStrings.xml", (b'Target="sharedStrings.xml"', b'Target="/xl/sharedStrings.xml"')),
    "styles": ("xl/styles.xml", (b'Target="styles.xml"', b'Target="/xl/styles.xml"')),
}


def _open_fast(
    path: Path, checked: dict[str, bytes], parts: dict[str, str], members: set[str], saved: datetime | None
) -> Book:
    workbook = checked["xl/workbook.xml"]
    if not parts or workbook.count(b"<sheet ") != len(parts) or b"&#" in workbook:
        raise xlsxcells.Unrecognised("sheets the workbook lists but does not name plainly")
    rels = checked.get("xl/_rels/workbook.xml.rels", b"")
    if xlsxcells.not_xml(workbook) or xlsxcells.not_xml(rels):
        raise xlsxcells.Unrecognised("unbalanced '<' and '>' in the workbook or its relationships")
    found: dict[str, bytes | None] = {}
    for kind, (member, targets) in _PART_TARGETS.items():
        if kind + '"' in rels.decode("utf-8", "replace").replace(kind + ".xml", "") and not any(
            t in rels for t in targets
        ):
            raise xlsxcells.Unrecognised(f"the {kind} part is not where calamine looks for it")
        if any(m.lower() == member.lower() and m != member for m in members):
            raise xlsxcells.Unrecognised(f"the {kind} part's name is spelt otherwise")
        found[kind] = checked.get(member)
    strings = xlsxcells.shared_strings(found["sharedStrings"])
    dates = xlsxcells.maybe_dates(found["styles"])
    sheets: dict[str, Grid] = {}
    special: dict[str, dict[tuple[int, int], Special]] = {}
    formulas: dict[str, dict[tuple[int, int], str]] = {}
    hidden: dict[str, set[int]] = {}
    texts: dict[str, list[tuple[int, int, str]]] = {}
    for name, part in parts.items():
        if part not in checked or "/worksheets/" not in part:
            raise xlsxcells.Unrecognised(f"sheet {name!r} is not a worksheet part of the file ({part})")
        xml = checked[part]
        xlsxparts.refuse_oversized(xml, name)
        read = xlsxcells.read_sheet(xml, strings, dates)
        sheets[name], texts[name] = read.grid, read.texts
        special[name], formulas[name], hidden[name] = read.scan.special, read.scan.formulas, read.scan.hidden_rows
    meta = read_meta(sheets.get(META_SHEET, []))  # type: ignore[arg-type]
    hidden_sheets = xlsxcells.hidden_sheet_names(workbook, parts)
    return Book(path, sheets, special, meta, formulas, hidden, saved, hidden_sheets, texts=texts)


def _open_with_calamine(
    path: Path,
    special: dict[str, dict[tuple[int, int], Special]],
    formulas: dict[str, dict[tuple[int, int], str]],
    hidden: dict[str, set[int]],
    saved: datetime | None,
    *,
    binary: bool = False,
) -> Book:
    try:
        wb = CalamineWorkbook.from_path(str(path))
        sheets = {name: wb.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in wb.sheet_names}
        hidden_sheets = frozenset(m.name for m in wb.sheets_metadata if m.visible != SheetVisibleEnum.Visible)
    except InputError:
        raise
    except Exception as e:  # calamine raises several exception types for broken files
        raise InputError(
            "文件内容已损坏或不完整（无法解析其中的工作表数据），请对方用 Excel 或 WPS 打开后另存为 .xlsx 重新报送"
        ) from e
    meta = read_meta(sheets.get(META_SHEET, []))  # type: ignore[arg-type]
    return Book(path, sheets, special, meta, formulas, hidden, saved, hidden_sheets, binary)


def _not_a_workbook(path: Path) -> str:
    data = path.read_bytes()[:2048]
    if not data:
        return "文件是空的（0字节）"
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "," in text or "\t" in text:
            return "不是 Excel 文件（是文本或 CSV 文件被改成了 .xlsx 扩展名），请用 Excel 或 WPS 打开报表后另存为 .xlsx"
        return "不是 Excel 文件（是文本文件），请确认报送的是报表文件"
    return "不是 Excel 文件，请确认报送的是 .xlsx 格式的报表"


@cache
def _label_specs(lay: SheetLayout) -> tuple[list[tuple[str, int, int, bool]], int]:
    """(normalised text, row, col, is a leaf row label) for every text label; and how many are unique."""
    specs = []
    for label in lay.labels:
        if label.text and label.role not in ("note", "title"):
            leaf = label.role == "row" and label.row == label.last_row
            specs.append((norm(label.text), label.row, label.col, leaf))
    counts = Counter(s[0] for s in specs)
    return specs, sum(1 for s in specs if counts[s[0]] == 1)


@cache
def _variants(edition: Edition) -> dict[str, str]:
    return {norm(v): norm(canonical) for canonical, vs in edition.variants.items() for v in vs}


def _index(grid: Grid) -> dict[str, list[tuple[int, int]]]:
    """Where each (normalised) text sits on a sheet."""
    index: dict[str, list[tuple[int, int]]] = {}
    for r, row in enumerate(grid):
        for c, v in enumerate(row):
            if v.__class__ is str and v:
                index.setdefault(_norm(v), []).append((r, c))  # type: ignore[arg-type]
    return index


def _with_variants(index: dict[str, list[tuple[int, int]]], edition: Edition) -> dict[str, list[tuple[int, int]]]:
    variants = _variants(edition)
    if not variants or not any(v in index for v in variants):
        return index
    out = dict(index)
    for variant, canonical in variants.items():
        if variant in index:
            out[canonical] = out.get(canonical, []) + index[variant]
    return out


@cache
def _locate_plan(
    lay: SheetLayout,
) -> tuple[tuple[tuple[str, int, int], ...], tuple[tuple[str, int, int, bool], ...], int]:
    """The labels that vote for the table's position (those that occur once), all labels top to bottom."""
    specs, _ = _label_specs(lay)
    counts = Counter(s[0] for s in specs)
    voters = tuple((text, row, col) for text, row, col, _ in specs if counts[text] == 1)
    return voters, tuple(sorted(specs, key=lambda s: (s[1], s[2]))), len(specs)


def locate(lay: SheetLayout, grid: Grid, index: dict[str, list[tuple[int, int]]]) -> Located | None:
    voters, ordered, n = _locate_plan(lay)
    votes: Counter[tuple[int, int]] = Counter()
    for text, row, col in voters:
        for r, c in index.get(text, ()):
            votes[(r - row, c - col)] += 1
    if not votes:
        return None
    (dr, dc), _ = votes.most_common(1)[0]
    rows: dict[int, int] = {}
    matched, missing = 0, []
    shift = 0  # rows inserted inside the table push the labels below them down
    for text, row, col, leaf in ordered:
        want = row + dr + shift
        hits = [r for r, c in index.get(text, ()) if c == col + dc and r >= want - 1]
        if hits:
            found = min(hits, key=lambda r: abs(r - want))
            if found - want <= 20:
                matched += 1
                if leaf:
                    rows[row] = found
                if found != want and leaf:
                    shift += found - want
                continue
        missing.append(text)
    score = matched / n
    if score < FOUND:
        return None
    return Located("", dr, dc, score, rows, missing)


def find_tables(edition: Edition, book: Book) -> dict[str, Located]:
    """Where each table is. When several sheets hold one table, a visible sheet is preferred to a hidden
    one, then the sheet with the official name, then the better match; the others are kept in ``others``."""
    out: dict[str, Located] = {}
    for lay in layouts(edition):
        found: list[Located] = []
        for name, grid in book.sheets.items():
            if name == META_SHEET:
                continue
            if book.meta.get("kind") == "merged" and name == detail_sheet(lay):
                continue  # a merged workbook's per-unit sheet carries the same labels as a header row
            located = locate(lay, grid, _with_variants(book.index(name), edition))
            if located:
                located.sheet = name
                found.append(located)
        if found:
            found.sort(key=lambda f: (f.sheet in book.hidden_sheets, f.sheet != lay.sheet, -f.score))
            best = found[0]
            best.others = [f.sheet for f in found[1:] if f.score >= SAME_TABLE]
            out[lay.table.key] = best
    return out


_LAYOUTS: dict[tuple[object, ...], tuple[Edition, dict[str, Located]] | None] = {}  # fingerprint -> tables found


@cache
def _label_texts() -> frozenset[str]:
    """Every text the tables are located by: each edition's labels and their variants."""
    texts: set[str] = set()
    for edition in EDITIONS:
        for lay in layouts(edition):
            texts.update(spec[0] for spec in _label_specs(lay)[0])
        texts.update(_variants(edition))
    return frozenset(texts)


def _fingerprint(book: Book) -> tuple[object, ...]:
    """All that locating the tables depends on: where each label text is, on which sheet, hidden or not, and the
    metadata's edition and kind. Returns made from one template share it; locating is done once for them."""
    labels = _label_texts()
    sheets = []
    for name in book.sheets:
        if name == META_SHEET:
            continue
        cells = tuple((r, c, t) for r, c, v in book.text_cells(name) if (t := _norm(v)) in labels)
        sheets.append((name, name in book.hidden_sheets, cells))
    return (book.meta.get("edition"), book.meta.get("kind"), tuple(sheets))


def detect_edition(book: Book) -> tuple[Edition, dict[str, Located]] | None:
    """The edition whose labels the workbook carries best, with its tables: located once per layout (see
    :func:`_fingerprint`), each file's own copy of the result."""
    key = _fingerprint(book)
    if key not in _LAYOUTS:
        if len(_LAYOUTS) >= 64:
            _LAYOUTS.clear()
        found = _detect_edition(book)
        if found is not None:
            for lay in layouts(found[0]):
                loc = found[1].get(lay.table.key)
                if loc is not None:
                    loc.cells = cell_map(lay, loc)
        _LAYOUTS[key] = found
    found = _LAYOUTS[key]
    if found is None:
        return None
    edition, tables = found
    return edition, {
        k: replace(loc, rows=dict(loc.rows), missing=list(loc.missing), others=list(loc.others))
        for k, loc in tables.items()
    }


def _detect_edition(book: Book) -> tuple[Edition, dict[str, Located]] | None:
    """The edition whose labels the workbook carries best, with its tables.

    The metadata only says which edition to try first: a file whose labels
    all match it needs no second look; any other is scored against both.
    """
    scored = []
    hinted = [e for e in EDITIONS if e.id == book.meta.get("edition")]
    for edition in hinted + [e for e in EDITIONS if e not in hinted]:
        tables = find_tables(edition, book)
        if not tables:
            continue
        total = sum(len(_label_specs(lay)[0]) for lay in layouts(edition))
        found = sum(
            tables[lay.table.key].score * len(_label_specs(lay)[0])
            for lay in layouts(edition)
            if lay.table.key in tables
        )
        scored.append((found / total, edition.id, edition, tables))
        if edition in hinted and found >= total:
            break
    if not scored:
        return None
    scored.sort(key=lambda s: (s[0], s[1]), reverse=True)
    _, _, edition, tables = scored[0]
    return edition, tables


def _labelled_value(book: Book, label: str) -> tuple[object, str] | None:
    """The value beside a cover label ("填报单位：XX" or a label cell and the cell right of it)."""
    target = norm(label)
    for name, grid in book.sheets.items():
        if name == META_SHEET:
            continue
        for _r, row in enumerate(grid):
            for c, v in enumerate(row):
                if not isinstance(v, str):
                    continue
                t = norm(v)
                if not t.startswith(target):
                    continue
                rest = t[len(target) :].lstrip(":：")
                if rest:
                    return v.split("：", 1)[-1].split(":", 1)[-1].strip(), name
                for value in row[c + 1 : c + 8]:
                    if value not in ("", None):
                        return value, name
                return None
    return None


def read_return(path: Path, shown: str | None = None) -> Figures | Finding:
    """Read one file: a :class:`Figures`, or a :class:`Finding` saying why it cannot be used."""
    shown = shown or str(path)
    try:
        book = open_book(path)
    except InputError as e:
        return Finding(Severity.ERROR, UNREADABLE, f"无法读取：{e}", file=shown)
    detected = detect_edition(book)
    if detected is None:
        return Finding(
            Severity.ERROR,
            NOT_A_REPORT,
            "不是年报统计表：没有找到表二、表三、表四（请确认对方报送的是本次下发的模板）",
            file=shown,
        )
    edition, tables = detected
    missing = [lay for lay in layouts(edition) if lay.table.key not in tables]
    if missing:
        names = "、".join(f"{lay.sheet}（{lay.table.title}）" for lay in missing)
        return Finding(Severity.ERROR, NOT_A_REPORT, f"缺少{names}，无法汇总；请对方使用完整的模板填报", file=shown)
    return _read_values(book, shown, edition, tables)


def _read_values(book: Book, shown: str, edition: Edition, tables: dict[str, Located]) -> Figures:
    cells: dict[str, Cell] = {}
    refs: dict[str, tuple[str, str]] = {}
    findings: list[Finding] = []
    explanations: dict[str, str] = {}
    formula_keys: set[str] = set()
    for lay in layouts(edition):
        loc = tables[lay.table.key]
        grid = book.sheets[loc.sheet]
        special = book.special.get(loc.sheet, {})
        sheet_formulas = book.formulas.get(loc.sheet, {})
        for key, kind, pos, ref in loc.cells or cell_map(lay, loc):
            r, c = pos
            raw: object = special.get(pos) or (grid[r][c] if r < len(grid) and c < len(grid[r]) else None)
            value = normalize(raw, kind)
            formula = sheet_formulas.get(pos)
            if formula is not None:
                formula_keys.add(key)
                value = from_formula(value, formula)
            cells[key] = value
            refs[key] = ref
        hidden = book.hidden.get(loc.sheet)
        hidden_rows = (
            sorted({refs[c.key][1] for c in lay.cells if parse_a1(refs[c.key][1])[0] in hidden}) if hidden else []
        )
        if hidden_rows:
            rows = "、".join(sorted({ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for ref in hidden_rows}, key=int))
            findings.append(
                Finding(
                    Severity.HINT,
                    HIDDEN_ROWS,
                    f"{lay.sheet}第{rows}行被隐藏，其中的数字照常汇总，请取消隐藏后核对",
                    file=shown,
                    sheet=loc.sheet,
                    cell=hidden_rows[0],
                )
            )
        if loc.others:
            findings.append(_several_sheets(lay, loc, book, shown))
        if loc.missing:
            findings.append(
                Finding(
                    Severity.HINT,
                    WRONG_EDITION,
                    f"{lay.sheet}有{len(loc.missing)}处表格文字与官方格式不一致（如“{loc.missing[0]}”），已按位置读取，请核对",
                    file=shown,
                    sheet=loc.sheet,
                )
            )
        explanation = _explanation(grid, lay, loc)
        if explanation:
            explanations[lay.table.key] = explanation
    if book.binary and any(c.state is State.BLANK for c in cells.values()):
        findings.append(
            Finding(
                Severity.HINT,
                BINARY_FORMAT,
                "该文件是 .xls 或 .xlsb 格式：其中的 #REF! 等错误值和没有计算结果的公式读出来都是空白，"
                "govxl 无法与真正的空白区分；请核对列为空白的单元格，最好请对方另存为 .xlsx 后重新报送",
                file=shown,
            )
        )
    edited = _edited_totals(edition, cells, formula_keys) if book.meta.get("kind") != "merged" else []
    for key in edited:
        formula_keys.discard(key)  # shown as it is, judged as a typed total: never replaced by the sum of its parts
        sheet, ref = refs[key]
        formula = book.formulas.get(sheet, {}).get(parse_a1(ref), "")
        parts = show(_excel_sum(cells, prefill_definitions(edition)[key]))
        findings.append(
            Finding(
                Severity.HINT,
                EDITED_TOTAL,
                f"{cell_name(edition, key)}是公式“={formula}”，显示为{show(cells[key].number)}，但各项之和为{parts}："
                f"公式可能被改动或引用了错误的单元格；汇总按显示的{show(cells[key].number)}计算，请核实",
                file=shown,
                sheet=sheet,
                cell=ref,
                key=key,
                actual=show(cells[key].number),
                expected=parts,
            )
        )
    unit, unit_from = _unit(book, shown)
    for f in findings:
        f.unit = unit
    return Figures(
        book.path,
        shown,
        edition,
        _year(book),
        unit,
        _kind(book.meta.get("kind", "")),
        cells,
        refs,
        explanations,
        tuple(findings),
        unit_from,
        frozenset(formula_keys),
        book.saved,
        completeness=Completeness.from_meta(book.meta) if book.meta.get("kind") == "merged" else None,
    )


def _kind(meta: str) -> FiguresKind:
    """What the workbook's hidden sheet says it is (govxl writes template or merged there); else unknown."""
    return FiguresKind(meta) if meta in (FiguresKind.TEMPLATE, FiguresKind.MERGED) else FiguresKind.UNKNOWN


def _several_sheets(lay: SheetLayout, loc: Located, book: Book, shown: str) -> Finding:
    """Two sheets hold one table: which figures are meant is for the department to say; a hidden copy is only noted."""
    visible = [name for name in loc.others if name not in book.hidden_sheets]
    names = "”“".join([loc.sheet, *loc.others])
    if visible:
        return Finding(
            Severity.ERROR,
            SEVERAL_SHEETS,
            f"工作簿中有多张工作表都是{lay.sheet}（“{names}”），已读取“{loc.sheet}”；"
            "无法确定以哪张为准，请对方删除多余的工作表后重新报送",
            file=shown,
            sheet=loc.sheet,
        )
    return Finding(
        Severity.HINT,
        SEVERAL_SHEETS,
        f"隐藏的工作表“{'”“'.join(loc.others)}”也是{lay.sheet}，未读取；已读取显示的“{loc.sheet}”，请核实",
        file=shown,
        sheet=loc.sheet,
    )


def _excel_sum(cells: dict[str, Cell], parts: tuple[str, ...]) -> float:
    """What Excel's SUM of the parts shows: numbers count, text and blanks do not."""
    return sum(cells[p].number for p in parts if cells[p].state is State.NUMBER)


def _edited_totals(edition: Edition, cells: dict[str, Cell], formula_keys: set[str]) -> list[str]:
    """Template totals whose saved result is not the sum of their parts: the formula was changed.

    A part that could not be used (an error, a date) leaves the comparison open: that part has its own finding.
    """
    out = []
    for key, parts in prefill_definitions(edition).items():
        cell = cells[key]
        if key not in formula_keys or cell.state is not State.NUMBER:
            continue
        if any(cells[p].state is State.ERROR for p in parts):
            continue
        if abs(cell.number - _excel_sum(cells, parts)) > 1e-6:
            out.append(key)
    return out


def _explanation(grid: Grid, lay: SheetLayout, loc: Located) -> str:
    bottom = max(loc.rows.values(), default=lay.height + loc.dr) + 1
    target = norm(EXPLANATION_LABEL)
    for r in range(bottom, min(len(grid), bottom + 6)):
        row = grid[r]
        for c, v in enumerate(row[: loc.dc + 4]):
            if isinstance(v, str) and norm(v) == target:
                texts = [str(x).strip() for x in row[c + 1 :] if x not in ("", None)]
                return " ".join(t for t in texts if t)
    return ""


def _unit(book: Book, shown: str) -> tuple[str, UnitFrom]:
    found = _labelled_value(book, UNIT_LABEL)
    if found and str(found[0]).strip():
        return str(found[0]).strip(), UnitFrom.COVER
    if book.meta.get("unit"):
        return book.meta["unit"], UnitFrom.META
    return Path(shown).stem, UnitFrom.FILE_NAME


def _year(book: Book) -> int | None:
    found = _labelled_value(book, YEAR_LABEL)
    if found:
        m = re.search(r"(?:19|20)\d{2}", norm(found[0]).split(".")[0])
        if m:
            return int(m.group(0))
    if book.meta.get("year", "").isdigit():
        return int(book.meta["year"])
    for _name, grid in book.sheets.items():
        for row in grid[:3]:
            for v in row:
                if isinstance(v, str) and "政府信息公开" in v:
                    m = _YEAR_IN_TITLE.search(v)
                    if m:
                        return int(m.group(1))
    return None
