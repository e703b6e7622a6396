"""A text PDF as rows of cell texts, in the shape an HTML table gives them.

Producers draw a report's tables in many ways (WPS, Word, LibreOffice, browsers): ruled cells, cells
without rules, a table cut by a page break (its bottom and top rules missing, a row split in two, the
header rows printed again). What comes out is what :func:`govxl.read.documents.html_rows` gives for the same
table: one row per table row, one cell per table cell (a merged cell's text in its first row, ``""``
below it, nothing for the columns it spans), a cell's text joined across its wrapped lines; every other
line of the page is a row of its own, cut into cells where the line is laid out as a table row.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from govxl.errors import InputError
from govxl.normalize import is_value_like
from govxl.read.pdflines import cell_text, cell_text_join, line_cells, text_lines, without_page_numbers, wrapped
from govxl.read.pdfunruled import Context, Line, stacked_headings
from govxl.read.pdfunruled import tables as unruled_tables

Row = list[str]
Box = tuple[float, float, float, float]  # x0, top, x1, bottom

TOLERANCE = 2.0  # points: rules and cell edges this close are the same position
MIN_RULE = 4.0  # points: shorter strokes are no table rules (underlines of a character, dots)
PAGE_FURNITURE = 12  # characters: a line this short between two parts of a table is a page number or header


@cache  # once a process
def silence_pdfminer() -> None:
    """pdfminer logs and warns about fonts it cannot measure ("Could not get FontBBox …"): English noise that
    says nothing about the report. Called before any PDF is opened, in every process that opens one."""
    for name in ("pdfminer", "pdfplumber"):
        logger = logging.getLogger(name)
        logger.setLevel(logging.CRITICAL + 1)
        logger.propagate = False
    warnings.filterwarnings("ignore", module=r"pdfminer(\..*)?")
    warnings.filterwarnings("ignore", module=r"pdfplumber(\..*)?")


Span = tuple[float, float]  # x0, x1


@dataclass
class _Table:
    rows: list[Row]
    box: Box
    columns: list[float]  # x of each column's left edge
    top: list[tuple[Span, int]]  # the cells of the first row: where each is, and its place in rows[0]
    bottom: list[tuple[Span, int, int]]  # the cells reaching the bottom: where, and the row and place of its text
    ruled_top: list[Span] = field(default_factory=list)  # the horizontal rules drawn along its top
    ruled_bottom: list[Span] = field(default_factory=list)  # and along its bottom

    def open_top(self) -> list[tuple[Span, int]]:
        """The first row's cells with no rule above them: a page break cut them (they go on from the page before)."""
        return [(span, j) for span, j in self.top if not _covered(span, self.ruled_top)]

    def open_bottom(self) -> list[tuple[Span, int, int]]:
        """The cells with no rule below them: a page break cut them (they go on to the next page)."""
        return [cell for cell in self.bottom if not _covered(cell[0], self.ruled_bottom)]


def _covered(span: Span, rules: list[Span]) -> bool:
    middle = (span[0] + span[1]) / 2
    return any(x0 - TOLERANCE <= middle <= x1 + TOLERANCE for x0, x1 in rules)


@dataclass
class _Page:
    blocks: list[tuple[float, _Table | Row]] = field(default_factory=list)  # (top, block) as the page reads


def pdf_rows(path: Path) -> list[Row]:
    """A text PDF: each page's tables as rows of cells, and its other lines as rows (see the module doc)."""
    import pdfplumber

    silence_pdfminer()
    pages: list[_Page] = []
    text: Counter[str] = Counter()
    context = Context()
    try:
        pdf = pdfplumber.open(path)
    except Exception as e:  # pdfminer raises many kinds for damaged files
        raise _unreadable(path, e) from e
    with pdf:
        for page in pdf.pages:
            try:
                page.objects  # noqa: B018  parsed here, so that only a damaged file's errors are caught
            except Exception as e:
                raise _unreadable(path, e) from e
            text.update(c["text"] for c in page.chars)
            pages.append(_read_page(page, context))
    if not text:
        raise InputError(f"{path.name}：这是扫描件（图片）PDF，没有文字层，无法读取表格；请使用网页版或含文字的 PDF。")
    if _garbled(text):
        raise InputError(
            f"{path.name}：PDF 的文字层中汉字无法识别（多为生成 PDF 时缺少中文字体，汉字都变成了同一个字符或编码），"
            "无法读取表格；请使用网页版、Word 版，或在装有中文字体的电脑上重新导出 PDF 后再检查。"
        )
    return _joined(pages)


def _garbled(text: Counter[str]) -> bool:
    """A text layer whose Chinese is lost: every glyph of a missing font mapped to one character ("牡牡牡"), or
    to no character at all ("(cid:123)"). In real Chinese prose no character is even a tenth of the text."""
    cjk = {ch: n for ch, n in text.items() if "\u4e00" <= ch <= "\u9fff"}
    unmapped = sum(n for ch, n in text.items() if ch.startswith("(cid:"))
    total = sum(text.values())
    if total >= 100 and unmapped > total / 3:
        return True
    return sum(cjk.values()) >= 100 and max(cjk.values()) > 0.4 * sum(cjk.values())


def _unreadable(path: Path, error: BaseException) -> InputError:
    if _encrypted(error):
        return InputError(
            f"{path.name}：PDF 文件设置了打开密码（已加密），无法读取；请使用未加密的版本（或网页版）后再检查。"
        )
    return InputError(f"{path.name}：PDF 文件已损坏或无法解析，请重新下载或另存后再检查。")


def _encrypted(error: BaseException) -> bool:
    """pdfplumber wraps pdfminer's password errors in its own kind; the cause says what it was."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, (PDFPasswordIncorrect, PDFEncryptionError)):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


# ---------------------------------------------------------------- one page


def _read_page(page, context: Context) -> _Page:  # type: ignore[no-untyped-def]
    """The page's blocks (context: what the page before tells of unruled tables; updated for the next)."""
    chars = without_page_numbers([c for c in page.chars if c["text"].strip() or c["text"] == " "], page.height)
    tables = _tables(page, chars)
    out = _Page()
    for table in tables:
        out.blocks.append((table.box[1], table))
    outside = [c for c in chars if not any(_centre_in(c, t.box) for t in tables)]
    for table in tables:
        outside = _overflow(table, outside)
    lines = list(text_lines(outside))
    right = max((c["x1"] for _, line in lines for c in line), default=0.0)
    spans = [
        Line(top, max(c["bottom"] for c in line), line_cells(line)) if line else Line(top, top, [])
        for top, line in lines
    ]
    runs = unruled_tables(spans, context)
    unruled = {start: (end, rows) for start, end, rows in runs}
    taken = {n for start, (end, _) in unruled.items() for n in range(start, end)}
    for start, end, rows in stacked_headings(spans):
        if not taken.intersection(range(start, end)):
            unruled[start] = (end, rows)
    before: tuple[Row, list[dict]] | None = None  # type: ignore[type-arg]
    i = 0
    while i < len(lines):
        if i in unruled:
            end, rows = unruled[i]
            out.blocks += rows
            before = None
            i = end
            continue
        top, line = lines[i]
        cells = [text for text, _, _ in spans[i].cells]
        i += 1
        if before is not None and wrapped(before, line, cells, right):
            before[0].extend(cells)  # a table row too long for the line, its last values wrapped to the next
            continue
        out.blocks.append((top, cells))
        before = (cells, line)
    out.blocks.sort(key=lambda block: block[0])
    return out


def _overflow(table: _Table, chars: list[dict]) -> list[dict]:  # type: ignore[type-arg]
    """Text a browser printed below a table cut by a page break, under the cells the break left open: it is
    theirs (a wrapped header cell's last characters). Added to them; the other characters returned."""
    cells = table.open_bottom()
    if not cells:
        return chars
    taken: set[int] = set()
    edge = table.box[3]
    for top, line in text_lines([c for c in chars if c["top"] >= edge - TOLERANCE]):
        height = max(c["bottom"] - c["top"] for c in line)
        if top - edge > 1.5 * height:
            break  # the text after the table
        owners = [[c for c in line if span[0] <= (c["x0"] + c["x1"]) / 2 <= span[1]] for span, _, _ in cells]
        if sum(map(len, owners)) < len(line):
            break  # text across the columns: not a cell's
        for (_, r, k), own in zip(cells, owners, strict=True):
            if own:
                table.rows[r][k] = cell_text_join(table.rows[r][k], cell_text(own))
        taken.update(id(c) for c in line)
        edge = max(c["bottom"] for c in line)
    return [c for c in chars if id(c) not in taken]


def _centre_in(obj: dict, box: Box) -> bool:  # type: ignore[type-arg]
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _tables(page, chars: list[dict]) -> list[_Table]:  # type: ignore[no-untyped-def,type-arg]
    """Ruled tables, with a rule drawn where a page break left a table open (see :func:`_open_ends`)."""
    edges = [e for e in _rules(page) if max(e["x1"] - e["x0"], e["bottom"] - e["top"]) >= MIN_RULE]
    tops, bottoms = _open_ends(edges)
    added = [
        {"object_type": "line", "x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0, "height": 0}
        for y, x0, x1, _ in tops + bottoms
    ]
    verticals = [e for e in edges if e["orientation"] == "v"] + _cut_sides(edges)
    horizontals = [e for e in edges if e["orientation"] == "h"]
    if len(verticals) < 2 or len(horizontals) + len(added) < 2:
        return []
    settings = {
        "vertical_strategy": "explicit",
        "horizontal_strategy": "explicit",
        "explicit_vertical_lines": verticals,
        "explicit_horizontal_lines": horizontals + added,
        "snap_tolerance": TOLERANCE,
        "join_tolerance": TOLERANCE,
        "intersection_tolerance": TOLERANCE,
    }
    out = []
    for found in page.find_tables(settings):
        cells = [c for c in found.cells if c[2] - c[0] > 1 and c[3] - c[1] > 1]
        box = found.bbox
        table = _grid(cells, chars, box)
        if len(table.columns) < 2 and len(table.rows) < 2:
            continue  # a box drawn round a paragraph, not a table
        table.ruled_top = _rules_at(horizontals, box, box[1])
        table.ruled_bottom = _rules_at(horizontals, box, box[3])
        out.append(table)
    return out


def _cut_sides(edges: list[dict]) -> list[dict]:  # type: ignore[type-arg]
    """A table wider than the page (a browser or LibreOffice printing a wide web table) is cut at the side of
    the printed area: its horizontal rules end there, at one x, with no vertical rule. A rule is drawn there,
    so that the last column's cells are cells."""
    verticals = [e for e in edges if e["orientation"] == "v"]
    horizontals = [e for e in edges if e["orientation"] == "h"]

    def closed(x: float, y: float) -> bool:
        return any(
            abs(v["x0"] - x) <= TOLERANCE and v["top"] - TOLERANCE <= y <= v["bottom"] + TOLERANCE for v in verticals
        )

    out = []
    if not horizontals:
        return out
    for side, outermost in (("x0", min(h["x0"] for h in horizontals)), ("x1", max(h["x1"] for h in horizontals))):
        ends = [h["top"] for h in horizontals if abs(h[side] - outermost) <= TOLERANCE]
        ys = _positions(ends)
        if len(ys) >= 3 and not any(closed(outermost, y) for y in ys):  # the cut side of a table, no rule on it
            out.append(
                {"object_type": "line", "x0": outermost, "x1": outermost, "top": ys[0], "bottom": ys[-1]}
                | {"width": 0, "height": ys[-1] - ys[0]}
            )
    return out


def _rules(page) -> list[dict]:  # type: ignore[no-untyped-def,type-arg]
    """The edges a reader sees as rules: lines, stroked rectangles and paths, thin filled ones (Word draws borders
    so), not the sides of a filled background (a cell's or a highlighted phrase's white or coloured box)."""
    from pdfplumber.utils import curve_to_edges, line_to_edge, rect_to_edges

    out = [line_to_edge(line) for line in page.lines]
    out += [e for r in page.rects if r["stroke"] or min(r["width"], r["height"]) <= 2 for e in rect_to_edges(r)]
    out += [e for c in page.curves if c["stroke"] for e in curve_to_edges(c)]
    # a thin filled path is a rule too (browsers draw a collapsed border so, its corners mitred)
    out += [e for c in page.curves if not c["stroke"] and min(c["width"], c["height"]) <= 2 for e in rect_to_edges(c)]
    return [e for e in out if e["orientation"] in ("h", "v")]


def _rules_at(horizontals: list[dict], box: Box, y: float) -> list[Span]:  # type: ignore[type-arg]
    return [
        (h["x0"], h["x1"])
        for h in horizontals
        if abs(h["top"] - y) <= TOLERANCE and h["x1"] > box[0] and h["x0"] < box[2]
    ]


def _open_ends(
    edges: list[dict],  # type: ignore[type-arg]
) -> tuple[list[tuple[float, float, float, bool]], list[tuple[float, float, float, bool]]]:
    """Where vertical rules start (or end) with no horizontal rule there: a table cut by a page break, whose
    top (or bottom) rule the producer did not draw. Returns (y, x0, x1, bare) for each rule to add from the
    first such vertical to the last (or to the horizontal rule the row has further along); bare when no part
    of the row has a rule at that height (the break cut through a row)."""
    verticals = [e for e in edges if e["orientation"] == "v"]
    horizontals = [e for e in edges if e["orientation"] == "h"]

    def at(y: float) -> list[dict]:  # type: ignore[type-arg]
        return [h for h in horizontals if abs(h["top"] - y) <= TOLERANCE]

    def ruled(x: float, y: float) -> bool:
        return any(h["x0"] - TOLERANCE <= x <= h["x1"] + TOLERANCE for h in at(y))

    def _open(v: dict, end: str, other: str) -> bool:  # type: ignore[type-arg]
        """No horizontal rule at this end, and no other piece of the same rule going on from it."""
        y = v[end]
        pieces = (w for w in verticals if abs(w["x0"] - v["x0"]) <= TOLERANCE and abs(w[other] - y) <= TOLERANCE)
        return not ruled(v["x0"], y) and not any(pieces)

    def groups(ends: list[tuple[float, float]]) -> list[tuple[float, float, float, bool]]:
        out = []
        ends.sort()
        i = 0
        while i < len(ends):
            j = i
            while j + 1 < len(ends) and ends[j + 1][0] - ends[i][0] <= TOLERANCE:
                j += 1
            y = ends[i][0]
            xs = [x for _, x in ends[i : j + 1]]
            rules = at(y)
            xs += [x for h in rules for x in (h["x0"], h["x1"])]
            if len(_positions(xs)) >= 2:  # two columns' rules, not one rule drawn twice
                out.append((y, min(xs), max(xs), not rules))
            i = j + 1
        return out

    tops = [(v["top"], v["x0"]) for v in verticals if _open(v, "top", "bottom")]
    bottoms = [(v["bottom"], v["x0"]) for v in verticals if _open(v, "bottom", "top")]
    return groups(tops), groups(bottoms)


def _positions(values: Sequence[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > TOLERANCE:
            out.append(v)
    return out


def _index(positions: list[float], v: float) -> int:
    return min(range(len(positions)), key=lambda i: abs(positions[i] - v))


def _grid(cells: list[Box], chars: list[dict], box: Box) -> _Table:  # type: ignore[type-arg]
    """The table's cells laid out as html_rows lays out an HTML table's."""
    xs = _positions([c[0] for c in cells] + [c[2] for c in cells])
    ys = _positions([c[1] for c in cells] + [c[3] for c in cells])
    placed: dict[tuple[int, int], tuple[str | None, tuple[int, int], Span]] = {}  # None: spanned from the left
    for cell in cells:
        r0, r1 = _index(ys, cell[1]), _index(ys, cell[3])
        c0, c1 = _index(xs, cell[0]), _index(xs, cell[2])
        text = cell_text([c for c in chars if _centre_in(c, cell)])
        for r in range(r0, max(r1, r0 + 1)):
            for c in range(c0, max(c1, c0 + 1)):
                shown = text if (r, c) == (r0, c0) else "" if c == c0 else None
                placed[(r, c)] = (shown, (r0, c0), (cell[0], cell[2]))
    rows: list[Row] = []
    where: dict[tuple[int, int], tuple[int, int]] = {}  # grid position -> (row, place) in rows
    for r in range(len(ys) - 1):
        if not any((r, c) in placed for c in range(len(xs) - 1)):
            continue
        row: Row = []
        for c in range(len(xs) - 1):
            shown = placed[(r, c)][0] if (r, c) in placed else ""
            if shown is not None:
                where[(r, c)] = (len(rows), len(row))
                row.append(shown)
        rows.append(row)
    last = max((r for r, _ in placed), default=0)
    top = [
        (span, where[pos][1]) for pos, (shown, _, span) in sorted(placed.items()) if pos[0] == 0 and shown is not None
    ]
    bottom = [
        (span, *where[owner])
        for pos, (shown, owner, span) in sorted(placed.items())
        if pos[0] == last and pos == (pos[0], owner[1])
    ]
    return _Table(rows, box, xs[:-1], top, bottom)


# ---------------------------------------------------------------- pages joined


def _joined(pages: list[_Page]) -> list[Row]:
    """Every page's rows in order; a table the page break cut in two made one again: the header rows the
    producer printed again dropped, a row split by the break joined."""
    out: list[Row] = []
    previous: _Table | None = None  # the last table of the page before, when nothing but furniture follows it
    for page in pages:
        blocks = page.blocks
        first = next((i for i, (_, b) in enumerate(blocks) if not _furniture(b)), None)
        for i, (_, block) in enumerate(blocks):
            if isinstance(block, _Table):
                if previous is not None and i == first and _continues(previous, block):
                    out += _continuation(previous, block)
                else:
                    out += block.rows
            else:
                out.append(block)
        last = next((b for _, b in reversed(blocks) if not _furniture(b)), None)
        previous = last if isinstance(last, _Table) else None
    return out


def _furniture(block: _Table | Row) -> bool:
    """A page number or running header between two parts of a table."""
    if isinstance(block, _Table):
        return False
    text = "".join(block).replace(" ", "")
    return bool(re.fullmatch(r"[-—–第页共/\d]*", text)) or (
        len(text) <= PAGE_FURNITURE and not any(is_value_like(c) and c.strip() for c in block)
    )


def _continues(before: _Table, after: _Table) -> bool:
    """A table going on: left open by the page break at both sides, its header rows printed again, or the same
    edges and columns."""
    if _cut_cells(before, after) or (len(after.rows) > 1 and before.rows and _same(after.rows[0], before.rows[0])):
        return True
    fewer, more = sorted((before.columns, after.columns), key=len)
    edges = abs(before.box[0] - after.box[0]) <= 3 * TOLERANCE and abs(before.box[2] - after.box[2]) <= 3 * TOLERANCE
    # the same columns, or some of them split further on one side of the break (a label column of sub-items)
    return edges and len(fewer) >= 3 and all(any(abs(a - b) <= 3 * TOLERANCE for b in more) for a in fewer)


def _cut_cells(before: _Table, after: _Table) -> list[tuple[int, int, int]]:
    """(place in the first row after the break, row and place of the text before it) of each cell the page
    break cut in two: open at the bottom of one page and at the top of the next, in the same column."""
    out = []
    for span, j in after.open_top():
        middle = (span[0] + span[1]) / 2
        above = [(r, k) for s, r, k in before.open_bottom() if s[0] - TOLERANCE <= middle <= s[1] + TOLERANCE]
        if above:
            out.append((j, *above[0]))
    return out


def _continuation(before: _Table, after: _Table) -> list[Row]:
    """The part of a table after a page break: without the header rows printed again; each cell the break cut
    in two joined to its first part (in a row already given, amended in place), as one cell."""
    rows = [list(row) for row in after.rows]
    repeated = 0
    while repeated < min(len(rows) - 1, len(before.rows)) and _same(rows[repeated], before.rows[repeated]):
        repeated += 1
    rows = rows[repeated:]
    if not repeated:
        for j, r, k in _cut_cells(before, after):
            before.rows[r][k] = cell_text_join(before.rows[r][k], rows[0][j])
            rows[0][j] = ""
    if rows and before.rows and _rest_of(before.rows[-1], rows[0]):
        last = before.rows[-1]  # a row cut by the break, rules drawn on both sides (LibreOffice): made one
        for j, text in enumerate(rows[0]):
            last[j] = cell_text_join(last[j], text)
        rows[0] = [""] * len(last)
    if rows and not any(c.strip() for c in rows[0]):
        rows.pop(0)  # the rest of a cut row, printed empty (under the repeated header)
    if not repeated:
        after.rows = rows
    return rows


_ENUMERATED = re.compile(r"\s*[（(]?[一二三四五六七八九十\d]+\s*[)）.．、]")


def _rest_of(last: Row, first: Row) -> bool:
    """The first row after a page break is the rest of the last row before it: the same cells, its text goes on
    (no numbered label of its own: "（三）", "2.", "四、"), and it fills cells the last row left empty, never
    one that has a value (a row of its own would have values of its own)."""
    if len(last) != len(first) or not any(c.strip() for c in first):
        return False
    text = next((c for c in first if c.strip() and not is_value_like(c)), "")
    if _ENUMERATED.match(text):
        return False
    for above, below in zip(last, first, strict=True):
        if above.strip() and below.strip() and (is_value_like(above) or is_value_like(below)):
            return False
    return True


def _same(a: Row, b: Row) -> bool:
    return [re.sub(r"\s", "", c) for c in a] == [re.sub(r"\s", "", c) for c in b]
