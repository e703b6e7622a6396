"""A table printed without rules (a web page's table without borders, printed to PDF): rows and columns
found from where its words are, so that its rows have the shape an HTML table gives (see pdftables).

Only a table whose rows take several lines is laid out here (a label wrapped in a narrow column, the
values on one of its lines): its label fragments belong to one row, and cells printed empty are only
seen as columns with nothing in them. A table of one line a row is left to :mod:`govxl.read.pdftables`.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from statistics import median

from govxl.normalize import is_value_like
from govxl.read.pdflines import Cell

Row = list[str]

MAX_FRAGMENTS = 8  # lines of label text between two lines of values, in one table
HEADER_LINES = 12  # lines above the first row of values searched for the column headings
ROW_SPACING = 0.3  # character heights: two rows are this much further apart than two lines of a cell


@dataclass
class Line:
    top: float
    bottom: float
    cells: list[Cell]

    @property
    def values(self) -> bool:
        """A row's line of values: a text cell (or none) and two values or more after it."""
        texts = [is_value_like(t) and bool(t.strip()) for t, _, _ in self.cells]
        return sum(texts) >= 2 and all(texts[texts.index(True) :])

    @property
    def prose(self) -> bool:
        """A line of running text: one cell, long."""
        return len(self.cells) == 1 and len(self.cells[0][0]) >= 15 and not is_value_like(self.cells[0][0])

    @property
    def fragment(self) -> bool:
        """Label text only, short, no sentence."""
        return all(not is_value_like(t) and len(t) <= 30 and "。" not in t for t, _, _ in self.cells)


Span = tuple[float, float]
Run = tuple[int, int, list[tuple[float, Row]]]  # first line, line after the last, the rows


@dataclass
class Context:
    """What one page tells the next: the columns of the last unruled table (a table going on over the page
    break, without its headings on the next page, keeps them) and how far apart lines of prose are."""

    columns: list[Span] = field(default_factory=list)
    prose_gap: float | None = None


def tables(lines: list[Line], context: Context) -> list[Run]:
    """The unruled tables among the page's lines; context is read and updated for the next page."""
    gaps = [_gap(a, b) for a, b in itertools.pairwise(lines) if a.prose and b.prose and _gap(a, b) >= 0]
    if len(gaps) >= 3:
        context.prose_gap = median(gaps)
    out: list[Run] = []
    i = 0
    while i < len(lines):
        if not lines[i].values:
            i += 1
            continue
        values = [i]
        j = i + 1
        while j < len(lines) and j - values[-1] <= MAX_FRAGMENTS + 1 and (lines[j].values or lines[j].fragment):
            if lines[j].values:
                values.append(j)
            j += 1
        if len(values) >= 3 and _rows_set_apart(lines, values, context.prose_gap):
            start, end, rows, context.columns = _table(lines, values, context.columns)
            if not out or start >= out[-1][1]:
                out.append((start, end, rows))
            i = end
        else:
            i = values[-1] + 1
    return out


def _rows_set_apart(lines: list[Line], values: list[int], prose_gap: float | None) -> bool:
    """Rows set apart by more space than two lines of a cell, or of the page's prose (a table's cell padding):
    not text whose lines are evenly spaced, where a line without values is a line of its own."""
    gaps = [max(0.0, _gap(lines[n], lines[n + 1])) for n in range(values[0], values[-1])]
    between = [max(gaps[a - values[0] : b - values[0]]) for a, b in itertools.pairwise(values)]
    size = median(line.bottom - line.top for line in lines[values[0] : values[-1] + 1])
    if any(b - a > 1 for a, b in itertools.pairwise(values)) and median(between) >= min(gaps) + ROW_SPACING * size:
        return True
    return prose_gap is not None and median(between) >= prose_gap + ROW_SPACING * size


def _gap(a: Line, b: Line) -> float:
    return b.top - a.bottom


def _table(
    lines: list[Line], values: list[int], carried: list[Span]
) -> tuple[int, int, list[tuple[float, Row]], list[Span]]:
    """The rows of one unruled table: each line of values a row, the label lines between two of them cut where
    the gap between lines is widest (the space between two rows is wider than between the lines of a cell)."""
    members: list[list[int]] = [[v] for v in values]
    boundaries = []
    for k, (a, b) in enumerate(itertools.pairwise(values)):
        gaps = [_gap(lines[n], lines[n + 1]) for n in range(a, b)]
        cut = a + 1 + max(range(len(gaps)), key=lambda g: gaps[g])  # first line of the next row
        boundaries.append(max(gaps))
        members[k] += list(range(a + 1, cut))
        members[k + 1] = [*range(cut, b), *members[k + 1]]
    inside = 0.7 * median(boundaries) if boundaries else 0.0
    start = values[0]
    while start > 0 and values[0] - start < MAX_FRAGMENTS and lines[start - 1].fragment:
        if _gap(lines[start - 1], lines[start]) >= inside:
            break
        start -= 1
    members[0] = [*range(start, values[0]), *members[0]]
    end = values[-1] + 1
    while end < len(lines) and end - values[-1] <= MAX_FRAGMENTS and lines[end].fragment:
        if _gap(lines[end - 1], lines[end]) >= inside:
            break
        end += 1
    members[-1] += list(range(values[-1] + 1, end))
    columns = _value_columns(lines, values, start)
    if len(carried) > len(columns) and all(
        _column(carried, (x0 + x1) / 2) is not None
        for v in values
        for t, x0, x1 in lines[v].cells
        if is_value_like(t) and t.strip()
    ):
        columns = carried  # the same table after a page break: its headings (and empty columns) are above
    left = columns[0][0] if columns else float("inf")
    rows = [(lines[min(m)].top, _row([lines[n] for n in sorted(m)], columns, left)) for m in members]
    return start, end, rows, columns


def _value_columns(lines: list[Line], values: list[int], start: int) -> list[Span]:
    """The columns of values: where values are, and where the short headings above them are (a column printed
    empty in every row is only seen in its heading)."""
    spans = [(x0, x1) for v in values for t, x0, x1 in lines[v].cells if is_value_like(t) and t.strip()]
    left = min(x0 for x0, _ in spans)
    heads = [
        (n, x0, x1)
        for n, line in enumerate(lines[max(0, start - HEADER_LINES) : start])
        if line.fragment
        for _, x0, x1 in line.cells
        if x0 >= left - 2
    ]
    for n, x0, x1 in heads:  # a heading over two or more headings below it spans their columns: not one column
        if sum(m > n and x0 <= (a + b) / 2 <= x1 for m, a, b in heads) < 2:
            spans.append((x0, x1))
    merged: list[list[float]] = []
    for x0, x1 in sorted(spans):
        if merged and x0 <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], x1)
        else:
            merged.append([x0, x1])
    return [(a, b) for a, b in merged]


def _row(lines: list[Line], columns: list[Span], left: float) -> Row:
    labels: list[list[float | str]] = []  # [x0, x1, text] of each label cell, joined over its lines
    values = [""] * len(columns)
    for line in lines:
        for text, x0, x1 in line.cells:
            middle = (x0 + x1) / 2
            if middle >= left - 1 and (k := _column(columns, middle)) is not None:
                values[k] += text
                continue
            cell = next((c for c in labels if x0 < float(c[1]) and x1 > float(c[0])), None)
            if cell is None:
                labels.append([x0, x1, text])
            else:
                cell[0], cell[1], cell[2] = min(float(cell[0]), x0), max(float(cell[1]), x1), f"{cell[2]}{text}"
    labels.sort(key=lambda c: float(c[0]))
    return [str(c[2]) for c in labels] + values


def _column(columns: list[Span], x: float) -> int | None:
    for k, (a, b) in enumerate(columns):
        if a - 2 <= x <= b + 2:
            return k
    return None


NARROW = 2  # characters: a heading printed a character or two a line, in a column narrower than its words


def stacked_headings(lines: list[Line]) -> list[Run]:
    """Headings of an unruled table printed a character or two a line ("结/果/维/持" in narrow columns): each
    column's characters joined top to bottom. The columns the first line starts are one row (with the wide
    headings of that line), those starting later the next row, "" where a heading of the row above goes on."""
    out: list[Run] = []
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and _stacked(lines[j], first=j == i):
            j += 1
        if j - i >= 3:
            out.append((i, j, _headings(lines[i:j])))
            i = j
        else:
            i += 1
    return out


def _stacked(line: Line, first: bool) -> bool:
    narrow = [t for t, _, _ in line.cells if len(t) <= NARROW]
    if not line.cells or is_value_like("".join(t for t, _, _ in line.cells)):
        return False
    if any(is_value_like(t) and t.strip() for t, _, _ in line.cells):
        return False
    return len(narrow) >= 3 and (first or len(narrow) == len(line.cells))


def _headings(lines: list[Line]) -> list[tuple[float, Row]]:
    columns: list[list[float | str]] = []  # [x0, x1, text, first line it is on]
    wide: list[tuple[float, str]] = []
    for n, line in enumerate(lines):
        for text, x0, x1 in line.cells:
            if len(text) > NARROW:
                wide.append((x0, text))
                continue
            column = next((c for c in columns if x0 < float(c[1]) + 1 and x1 > float(c[0]) - 1), None)
            if column is None:
                columns.append([x0, x1, text, n])
            else:
                column[0], column[1] = min(float(column[0]), x0), max(float(column[1]), x1)
                column[2] = f"{column[2]}{text}"
    columns.sort(key=lambda c: float(c[0]))
    first = [(float(c[0]), str(c[2])) for c in columns if c[3] == 0]
    later = [(float(c[0]), str(c[2]) if c[3] else "") for c in columns]
    rows = [(lines[0].top, [t for _, t in sorted(first + wide)])]
    if any(c[3] for c in columns):
        rows.append((lines[1].top, [t for _, t in later]))
    return rows
