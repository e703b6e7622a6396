"""The vocabulary in which an edition of the report tables is described.

An edition is pure data: trees of labels with keys. Layout (cell addresses,
merges) is derived from these trees by :mod:`govxl.editions.layout`, so no
label or address is written down twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Kind(str, Enum):
    """The type of an input cell."""

    COUNT = "count"  # non-negative integer
    SIGNED = "signed"  # integer, may be negative (old 本年增/减)
    AMOUNT = "amount"  # non-negative decimal, in 万元

    @property
    def description(self) -> str:
        return _KIND_TEXT[self]


_KIND_TEXT = {
    Kind.COUNT: "非负整数",
    Kind.SIGNED: "整数（可为负数）",
    Kind.AMOUNT: "非负数（单位：万元）",
}


@dataclass(frozen=True)
class Node:
    """A label in a header tree. Leaves carry the key of a row or column.

    ``key`` on an inner node is optional; when given it becomes a prefix of
    its leaves' keys (表四: ``review.upheld``).
    """

    label: str
    key: str | None = None
    children: tuple[Node, ...] = ()
    kind: Kind | None = None  # overrides the table's default for a column

    def leaves(self, prefix: str = "") -> list[tuple[str, Node, tuple[Node, ...]]]:
        """(full key, leaf, path of ancestors including the leaf)."""
        return _leaves(self, prefix, ())

    @property
    def depth(self) -> int:
        return 1 + max((c.depth for c in self.children), default=0)


def _leaves(node: Node, prefix: str, path: tuple[Node, ...]) -> list[tuple[str, Node, tuple[Node, ...]]]:
    path = (*path, node)
    key = f"{prefix}.{node.key}" if prefix and node.key else (node.key or prefix)
    if not node.children:
        return [(key, node, path)]
    out: list[tuple[str, Node, tuple[Node, ...]]] = []
    for child in node.children:
        out.extend(_leaves(child, key, path))
    return out


def leaf(label: str, key: str, kind: Kind | None = None) -> Node:
    return Node(label, key, (), kind)


def group(label: str, *children: Node, key: str | None = None) -> Node:
    return Node(label, key, tuple(children))


@dataclass(frozen=True)
class Block:
    """One block of 表二: a caption row, a header row and data rows."""

    caption: str
    corner: str  # header of the label column: 信息内容
    columns: tuple[Node, ...]  # leaves; 1 to 3 of them
    rows: tuple[Node, ...]  # leaves
    note: str = ""  # text outside the verbatim header (e.g. the unit of an amount)


@dataclass(frozen=True)
class BlockTable:
    """表二: blocks stacked vertically in a four-column grid."""

    key: str
    sheet: str
    title: str
    blocks: tuple[Block, ...]
    kind: Kind = Kind.COUNT


@dataclass(frozen=True)
class MatrixTable:
    """表三 and 表四: a column-header tree over a row-label tree.

    ``corner`` is the text of the top-left cell above the row labels.
    A table with no ``rows`` has one unlabelled data row (表四).
    """

    key: str
    sheet: str
    title: str
    columns: tuple[Node, ...]
    rows: tuple[Node, ...] = ()
    corner: str = ""
    kind: Kind = Kind.COUNT
    label_columns: int = 0  # how many label columns the row tree uses


Table = BlockTable | MatrixTable


@dataclass(frozen=True, eq=False)  # identity: editions are singletons
class Edition:
    """One official format of the three tables."""

    id: str  # "2019" or "2021"
    name: str  # the official document, for display
    short_name: str
    years: tuple[int, int]  # first and last report year it covers (inclusive)
    tables: tuple[Table, ...] = field(repr=False)
    groups: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    variants: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False)  # accepted spellings of a label
    # Rows as published reports print them in a table of this edition, read into an official row and said:
    # {printed label: official leaf label}. A group label printed with values of its own (the old single
    # （六）其他处理 row in a new 表三) is read into that leaf; its sibling leaves are then absent.
    printed_rows: dict[str, str] = field(default_factory=dict, repr=False)
    # The sentence of 一、总体情况 that restates 表二: {row.column} is a figure of 表二, {@row} the row's label.
    t2_sentence: str = field(default="", repr=False)

    def __post_init__(self) -> None:
        _REGISTRY.setdefault(self.id, self)

    def __reduce__(self) -> tuple[object, tuple[str]]:
        # Editions are singletons: unpickle (e.g. from a worker process) to the same object.
        # Unpickling imports this module's package first, which creates (and registers) both editions.
        return _registered, (self.id,)

    def covers(self, year: int) -> bool:
        return self.years[0] <= year <= self.years[1]

    def table(self, key: str) -> Table:
        for t in self.tables:
            if t.key == key:
                return t
        raise KeyError(key)


_REGISTRY: dict[str, Edition] = {}


def _registered(edition_id: str) -> Edition:
    return _REGISTRY[edition_id]
