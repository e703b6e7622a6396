"""Where every label and input cell of a table sits on its sheet.

The layout is computed from the edition's label trees, never typed: the
template writer, the reader and the merged-workbook writer all use it.
Rows and columns are zero-based; :func:`a1` gives Excel addresses.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

from govxl.editions.model import Block, BlockTable, Edition, Kind, MatrixTable, Node, Table

BLOCK_GRID = 4  # 表二 is typeset on a four-column grid: label + three values


@dataclass(frozen=True)
class Label:
    text: str
    row: int
    col: int
    last_row: int
    last_col: int
    role: str  # title | caption | header | corner | row | note | na


@dataclass(frozen=True)
class InputCell:
    key: str  # "t3.granted.natural"
    row: int
    col: int
    last_col: int  # > col when the official layout merges the value across columns
    kind: Kind
    row_label: str
    col_label: str

    @property
    def ref(self) -> str:
        return a1(self.row, self.col)


@dataclass(frozen=True, eq=False)
class SheetLayout:
    table: Table
    labels: tuple[Label, ...]
    cells: tuple[InputCell, ...]
    width: int
    height: int
    header_rows: tuple[int, int]  # rows to repeat when printing

    @property
    def sheet(self) -> str:
        return self.table.sheet

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_key", {c.key: c for c in self.cells})

    def cell(self, key: str) -> InputCell:
        return self._by_key[key]  # type: ignore[attr-defined]


def col_letter(col: int) -> str:
    s = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        s = chr(65 + rem) + s
    return s


@lru_cache(maxsize=65536)  # the same few hundred cells are named in every return
def a1(row: int, col: int, absolute: bool = False) -> str:
    d = "$" if absolute else ""
    return f"{d}{col_letter(col)}{d}{row + 1}"


def parse_a1(ref: str) -> tuple[int, int]:
    ref = ref.replace("$", "")
    i = 0
    while i < len(ref) and ref[i].isalpha():
        i += 1
    col = 0
    for ch in ref[:i].upper():
        col = col * 26 + ord(ch) - 64
    return int(ref[i:]) - 1, col - 1


@cache
def layouts(edition: Edition) -> tuple[SheetLayout, ...]:
    return tuple(layout_of(t) for t in edition.tables)


@cache
def cell_index(edition: Edition) -> dict[str, tuple[SheetLayout, InputCell]]:
    return {c.key: (lay, c) for lay in layouts(edition) for c in lay.cells}


def cell_name(edition: Edition, key: str) -> str:
    """表三“（一）予以公开”“自然人”, or 表四“行政复议·总计”: an input cell named for messages."""
    lay, spec = cell_index(edition)[key]
    if spec.row_label:
        return f"{lay.sheet}“{spec.row_label}”“{spec.col_label}”"
    return f"{lay.sheet}“{spec.col_label}”"


def layout_of(table: Table) -> SheetLayout:
    if isinstance(table, BlockTable):
        return _block_layout(table)
    return _matrix_layout(table)


def _display(path: tuple[Node, ...]) -> str:
    return "·".join(n.label for n in path)


def _row_display(path: tuple[Node, ...]) -> str:
    # "（三）不予公开·1.属于国家秘密", but "（一）予以公开" without its 三、 group
    return _display(path[-2:] if len(path) >= 3 else path[-1:])


@cache
def fragment_labels(table: Table) -> dict[tuple[int, str], str]:
    """Labels of key fragments: (1, row key) and (2, column key) for tables
    with rows; for 表四, (1, block key) and (2, outcome key)."""
    out: dict[tuple[int, str], str] = {}
    if isinstance(table, BlockTable):
        for block in table.blocks:
            out.update({(1, r.key): r.label for r in block.rows if r.key})
            out.update({(2, c.key): c.label for c in block.columns if c.key})
        return out
    for node in table.rows:
        out.update({(1, k.split(".")[-1]): _row_display(p) for k, _, p in node.leaves()})
    sole_root = len(table.columns) == 1

    def walk(node: Node, path: tuple[Node, ...]) -> None:
        path = (*path, node)
        shown = path[1:] if sole_root else path
        if node.key:
            position = 2 if (table.rows or not node.children) else 1
            out.setdefault((position, node.key), _display(shown))
        for child in node.children:
            walk(child, path)

    for node in table.columns:
        walk(node, ())
    return out


def _block_layout(t: BlockTable) -> SheetLayout:
    labels = [Label(t.title, 0, 0, 0, BLOCK_GRID - 1, "title")]
    cells: list[InputCell] = []
    r = 1
    for block in t.blocks:
        labels.append(Label(block.caption, r, 0, r, BLOCK_GRID - 1, "caption"))
        r += 1
        labels.append(Label(block.corner, r, 0, r, 0, "header"))
        spans = _block_spans(block)
        for (c1, c2), col in zip(spans, block.columns, strict=True):
            labels.append(Label(col.label, r, c1, r, c2, "header"))
        spare = spans[-1][1] + 1
        if spare < BLOCK_GRID:
            labels.append(Label(block.note, r, spare, r, BLOCK_GRID - 1, "note" if block.note else "na"))
        r += 1
        for row in block.rows:
            labels.append(Label(row.label, r, 0, r, 0, "row"))
            for (c1, c2), col in zip(spans, block.columns, strict=True):
                key = f"{t.key}.{row.key}.{col.key}"
                cells.append(InputCell(key, r, c1, c2, col.kind or t.kind, row.label, col.label))
            if spare < BLOCK_GRID:
                labels.append(Label("", r, spare, r, BLOCK_GRID - 1, "na"))
            r += 1
    return SheetLayout(t, tuple(labels), tuple(cells), BLOCK_GRID, r, (0, 0))


def _block_spans(block: Block) -> list[tuple[int, int]]:
    n = len(block.columns)
    if n == 1:
        return [(1, BLOCK_GRID - 1)]
    return [(1 + i, 1 + i) for i in range(n)]


def _matrix_layout(t: MatrixTable) -> SheetLayout:
    depth = max(n.depth for n in t.columns)
    width = t.label_columns + sum(len(n.leaves()) for n in t.columns)
    labels = [Label(t.title, 0, 0, 0, width - 1, "title")]
    header_top, header_bottom = 1, depth
    if t.label_columns:
        labels.append(Label(t.corner, header_top, 0, header_bottom, t.label_columns - 1, "corner"))

    col_leaves: list[tuple[str, Node, tuple[Node, ...]]] = []
    c = t.label_columns
    for node in t.columns:
        _place_header(node, header_top, c, header_bottom, labels)
        col_leaves.extend(node.leaves())
        c += len(node.leaves())
    sole_root = len(t.columns) == 1
    col_names = [_display(path[1:] if sole_root else path) for _, _, path in col_leaves]

    first_data = header_bottom + 1
    if t.rows:
        row_leaves: list[tuple[str, Node, tuple[Node, ...]]] = []
        r = first_data
        for node in t.rows:
            _place_rows(node, r, 0, t.label_columns, labels)
            row_leaves.extend(node.leaves())
            r += len(node.leaves())
    else:
        row_leaves = [("", Node(""), ())]
    cells = []
    for i, (rkey, _, rpath) in enumerate(row_leaves):
        for j, (ckey, cnode, _) in enumerate(col_leaves):
            key = ".".join(p for p in (t.key, rkey, ckey) if p)
            col = t.label_columns + j
            cells.append(
                InputCell(key, first_data + i, col, col, cnode.kind or t.kind, _row_display(rpath), col_names[j])
            )
    return SheetLayout(t, tuple(labels), tuple(cells), width, first_data + len(row_leaves), (0, header_bottom))


def _place_header(node: Node, row: int, col: int, bottom: int, out: list[Label]) -> None:
    width = len(node.leaves())
    if not node.children:
        out.append(Label(node.label, row, col, bottom, col, "header"))
        return
    out.append(Label(node.label, row, col, row, col + width - 1, "header"))
    c = col
    for child in node.children:
        _place_header(child, row + 1, c, bottom, out)
        c += len(child.leaves())


def _place_rows(node: Node, row: int, col: int, label_columns: int, out: list[Label]) -> None:
    height = len(node.leaves())
    if not node.children:
        out.append(Label(node.label, row, col, row, label_columns - 1, "row"))
        return
    out.append(Label(node.label, row, col, row + height - 1, col, "row"))
    r = row
    for child in node.children:
        _place_rows(child, r, col + 1, label_columns, out)
        r += len(child.leaves())
