"""The words a published report's tables are found by: every label a row may be printed with (official labels,
accepted spellings, the other edition's label, the old single rows, labels without their numbering), the table
titles, and how a cell is compared with them. All projected from the editions' data (govxl/editions/)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

from govxl.editions import EDITIONS
from govxl.editions.model import Edition
from govxl.layout import InputCell, SheetLayout, layouts
from govxl.read.labelmatch import renumbered, unnumbered
from govxl.read.workbook import norm


@lru_cache(maxsize=65536)  # the same few hundred labels and numbers in every report, compared many times
def clean(text: str) -> str:
    """A cell compared as a label: NFKC, no spaces, no Markdown heading or emphasis marks, a sub-row's numbering
    as the editions print it ("1、" "（1）" read as "1.")."""
    return renumbered(norm(text).strip("#*"))


@dataclass(frozen=True, eq=False)
class RowSpec:
    """A data row of a table: its leaf label, the group labels above it and its input cells."""

    lay: SheetLayout
    label: str  # normalised leaf label; "" for 表四's unlabelled row
    groups: tuple[str, ...]  # normalised labels of the groups the row belongs to
    cells: tuple[InputCell, ...]

    @property
    def shown(self) -> str:
        return self.cells[0].row_label

    @property
    def name(self) -> str:
        """The row as messages name it: 表三“（七）总计”行."""
        return f"{self.lay.sheet}“{self.shown}”行" if self.shown else f"{self.lay.sheet}的数据行"


@cache
def row_specs(lay: SheetLayout) -> tuple[RowSpec, ...]:
    by_row: dict[int, list[InputCell]] = {}
    for cell in lay.cells:
        by_row.setdefault(cell.row, []).append(cell)
    labels = [lb for lb in lay.labels if lb.role == "row"]
    out = []
    for r, cells in sorted(by_row.items()):
        leaves = [lb for lb in labels if lb.row == r == lb.last_row]
        leaf = max(leaves, key=lambda lb: lb.col).text if leaves else ""
        groups = tuple(norm(lb.text) for lb in labels if lb.row <= r <= lb.last_row and lb.last_row > lb.row)
        out.append(RowSpec(lay, norm(leaf), groups, tuple(sorted(cells, key=lambda c: c.col))))
    return tuple(out)


@dataclass(frozen=True)
class Printed:
    """A label a report may print for a row: the rows it may be, and how it differs from the official label."""

    specs: tuple[RowSpec, ...]
    differs: str = ""  # "" for the official label or an accepted spelling; else what the report printed, said
    sole: bool = False  # a group label printed as one row (the old （六）其他处理): read only if the leaf is not
    needs_values: bool = False  # a label that is also a column's ("其他" for 3.其他): a row only with values after it


@cache
def vocabulary(edition: Edition, lay: SheetLayout) -> dict[str, Printed]:
    """Every label the table's rows may be printed with, from the edition's data: official labels and accepted
    spellings, the other edition's label for the same row, the edition's printed rows, and the labels without
    their numbering where that leaves them unmistakable."""
    specs = row_specs(lay)
    out: dict[str, Printed] = {}
    by_label: dict[str, list[RowSpec]] = {}
    for spec in specs:
        by_label.setdefault(spec.label, []).append(spec)
    for label, found in by_label.items():
        out[label] = Printed(tuple(found))
    for variant, canonical in ((norm(v), norm(c)) for c, vs in edition.variants.items() for v in vs):
        if canonical in out:
            out.setdefault(variant, out[canonical])
    for label, spec in old_labels(edition, lay).items():  # 规范性文件 in a 2021 table
        other = next(e for e in EDITIONS if e is not edition)
        out.setdefault(label, Printed((spec,), f"{other.short_name}的文字"))
    for printed, official in edition.printed_rows.items():
        leaf = [s for s in specs if s.label == norm(official) and norm(printed) in s.groups]
        if leaf:
            out.setdefault(norm(printed), Printed(tuple(leaf), "旧格式的单行", sole=True))
    rows = {norm(lb.text) for e in EDITIONS for other in layouts(e) for lb in other.labels if lb.role == "row"}
    plain: dict[str, list[str]] = {}
    for label in list(out):
        bare = unnumbered(label)
        if bare != label and bare not in rows:
            plain.setdefault(bare, []).append(label)
    every = edition_labels(edition)
    for bare, labels in plain.items():
        if len(labels) == 1 and not out[labels[0]].differs:
            out.setdefault(bare, Printed(out[labels[0]].specs, "没有编号", needs_values=bare in every))
    return out


@cache
def old_labels(edition: Edition, lay: SheetLayout) -> dict[str, RowSpec]:
    """Another edition's label for a row this table has too (same row key and cells): where a report keeps the
    old label, the row is still read, and the label is reported as the other format's text (C14)."""
    own = {spec.cells[0].key.rsplit(".", 1)[0]: spec for spec in row_specs(lay)}
    out = {}
    for other in EDITIONS:
        if other is edition:
            continue
        for other_lay in layouts(other):
            for spec in row_specs(other_lay) if other_lay.table.key == lay.table.key else ():
                mine = own.get(spec.cells[0].key.rsplit(".", 1)[0])
                if mine and spec.label and len(mine.cells) == len(spec.cells) and spec.label != mine.label:
                    out[spec.label] = mine
    return out


def edition_labels(edition: Edition) -> set[str]:
    out = {
        norm(lb.text) for lay in layouts(edition) for lb in lay.labels if lb.text and lb.role not in ("title", "note")
    }
    return out | {norm(v) for vs in edition.variants.values() for v in vs}


@cache
def all_labels() -> frozenset[str]:
    return frozenset().union(*(edition_labels(e) for e in EDITIONS))


@cache
def row_labels() -> frozenset[str]:
    """Every label a table row may be printed with, in either edition."""
    return frozenset(label for e in EDITIONS for lay in layouts(e) for label in vocabulary(e, lay) if label)


@cache
def all_titles() -> frozenset[str]:
    return frozenset(norm(lay.table.title) for e in EDITIONS for lay in layouts(e))
