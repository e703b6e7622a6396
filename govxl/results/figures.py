"""One unit's figures: the hinge between the readers and everything that judges or adds up.

Every reader produces :class:`Figures`: a department's return, each unit row and the totals of a
merged workbook, last year's file, a published report. Findings, merging, reports and cross-year
rules take them. They are not changed once read.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Any, Generic, TypeVar

from govxl.editions.model import Edition
from govxl.judge.engine import prefill_definitions
from govxl.layout import layouts
from govxl.normalize import Cell, State
from govxl.results.completeness import Completeness
from govxl.results.findings import Finding


class FiguresKind(str, Enum):
    """What the figures were read from.

    A ``str`` as well (Python 3.10 has no ``StrEnum``): shown, hashed and serialised as the string."""

    __str__ = str.__str__
    __format__ = str.__format__
    __hash__ = str.__hash__

    TEMPLATE = "template"  # a department's return on a govxl template
    MERGED = "merged"  # a merged workbook's totals
    UNKNOWN = "unknown"  # a workbook govxl did not make
    UNIT = "unit"  # one unit's row of a merged workbook
    PUBLISHED = "published"  # a published report's tables


class UnitFrom(str, Enum):
    """Where the unit's name was found.

    A ``str`` as well (Python 3.10 has no ``StrEnum``): shown, hashed and serialised as the string."""

    __str__ = str.__str__
    __format__ = str.__format__
    __hash__ = str.__hash__

    COVER = "cover"  # the cover sheet's 填报单位
    META = "meta"  # the hidden sheet govxl wrote
    FILE_NAME = "file name"  # nowhere in the file: its name stands in
    DOCUMENT = "document"  # a published report's title, period sentence, issuer or signature
    ROW = "row"  # its row of a merged workbook


@dataclass(frozen=True, eq=False)  # identity: two files with the same figures are two returns
class Figures:
    """A unit's figures as read from one file: each input cell's value and state, and where it came from."""

    path: Path
    shown: str  # the file as the user gave it, for messages
    edition: Edition
    year: int | None
    unit: str
    kind: FiguresKind
    cells: Mapping[str, Cell]  # a dict, or a Row (a unit received from a worker process)
    refs: dict[str, tuple[str, str]]  # key -> (sheet, A1) in the file
    explanations: dict[str, str] = field(default_factory=dict)  # table key -> the unit's 说明 text
    findings: tuple[Finding, ...] = ()  # what the reader noticed (hidden rows, label drift, …)
    unit_from: UnitFrom = UnitFrom.COVER
    formula_keys: frozenset[str] = frozenset()  # cells holding a template's total formula
    saved: datetime | None = None  # when the workbook was last saved, by its own properties
    completeness: Completeness | None = None  # for a merged workbook: what it lacks, as it recorded

    def formula_totals(self) -> set[str]:
        """The totals this file's template computes by formula (and that still hold a formula): their value is
        the sum of their parts, whatever the formula's cached result."""
        return set(prefill_definitions(self.edition)) & self.formula_keys

    def numbers(self) -> Mapping[str, float]:
        """Each cell's figure.

        In a department's return, a total the template computes is recomputed from its parts as read,
        so that a bad part or a lost formula result is not blamed on the total. A merged workbook
        contributes exactly what it shows: its totals are never recomputed.
        """
        cached: Mapping[str, float] | None = self.__dict__.get("_numbers")
        if cached is None:
            cached = self._compute_numbers()
            self.__dict__["_numbers"] = cached  # a cache, not a change: frozen fields stay as read
        return cached

    def _compute_numbers(self) -> Mapping[str, float]:
        settled: dict[str, float] | None = self.__dict__.pop("_settled", None)
        cells = self.cells
        if isinstance(cells, Row) and (settled is not None or self.kind == FiguresKind.MERGED):
            values = [c.number for c in cells.row]
            for k, v in (settled or {}).items():  # computed where the figures were read (see __reduce__)
                values[cells.index[k]] = v
            return Row(cells.index, tuple(values))
        out = {k: c.number for k, c in cells.items()}
        if self.kind == FiguresKind.MERGED:
            return out
        definitions = prefill_definitions(self.edition)
        done: set[str] = set()

        def settle(key: str) -> float:
            if key in definitions and key in self.formula_keys and key not in done:
                done.add(key)
                out[key] = sum(settle(p) for p in definitions[key])
            return out[key]

        for key in self.formula_keys:
            settle(key)
        return out

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Compact, for the trip from a worker process: a plain number is sent as a float, not a Cell, the
        usual cell addresses not at all, the totals :meth:`numbers` settles as they were settled."""
        keys, refs = _usual(self.edition)
        cells: Any = self.cells
        if tuple(cells) == keys:
            cells = tuple(_compact(c) for c in cells.values())
        sent_refs: Any = None if tuple(self.refs.items()) == refs else self.refs
        numbers = self.numbers()
        definitions = prefill_definitions(self.edition)
        settled = (
            {k: numbers[k] for k in self.formula_keys if k in definitions} if self.kind != FiguresKind.MERGED else None
        )
        fields = (self.path, self.shown, self.edition, self.year, self.unit, self.kind)
        rest = (self.explanations, self.findings, self.unit_from, self.formula_keys, self.saved, self.completeness)
        return _rebuild, (fields, cells, sent_refs, rest, settled)


@cache
def _usual(edition: Edition) -> tuple[tuple[str, ...], tuple[tuple[str, tuple[str, str]], ...]]:
    """An edition's cell keys in layout order, and each cell's address on its official sheet."""
    refs = tuple((c.key, (lay.sheet, c.ref)) for lay in layouts(edition) for c in lay.cells)
    return tuple(k for k, _ in refs), refs


@cache
def _key_index(edition: Edition) -> dict[str, int]:
    return {k: i for i, k in enumerate(_usual(edition)[0])}


V = TypeVar("V")


class Row(Mapping[str, V], Generic[V]):
    """A unit's values (cells, or numbers) in layout order: one tuple, looked up through one index that every
    unit of the edition shares. Thousands of units held at once take a fraction of the memory of dicts."""

    __slots__ = ("index", "row")

    def __init__(self, index: dict[str, int], row: tuple[V, ...]) -> None:
        self.index, self.row = index, row

    def __getitem__(self, key: str) -> V:
        return self.row[self.index[key]]

    def get(self, key: str, default: Any = None) -> Any:
        i = self.index.get(key)
        return default if i is None else self.row[i]

    def __contains__(self, key: object) -> bool:
        return key in self.index

    def __iter__(self) -> Iterator[str]:
        return iter(self.index)

    def __len__(self) -> int:
        return len(self.row)

    def __repr__(self) -> str:
        return f"Row({dict(self)!r})"

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return dict, (list(self.items()),)


def _compact(c: Cell) -> Cell | float:
    x = c.number
    plain = c.severity is None and c.state is State.NUMBER and x.__class__ is float and c.shown is x
    return x if plain and not c.formula_problem and (x > 0.0 or math.copysign(1.0, x) > 0) else c


_PLAIN: dict[float, Cell] = {}  # one Cell for each plain number received: thousands of units share them
_SHARED_REFS: dict[Edition, dict[str, tuple[str, str]]] = {}  # never changed once read (see Figures)
_SHARED_KEYS: dict[frozenset[str], frozenset[str]] = {}


def _rebuild(
    fields: tuple[Any, ...], cells: Any, refs: Any, rest: tuple[Any, ...], settled: dict[str, float] | None
) -> Figures:
    edition = fields[2]
    _, usual = _usual(edition)
    if isinstance(cells, tuple):
        cells = Row(_key_index(edition), tuple([_plain(c) if c.__class__ is float else c for c in cells]))
    if refs is None:
        refs = _SHARED_REFS.get(edition)
        if refs is None:
            refs = _SHARED_REFS[edition] = dict(usual)
    explanations, findings, unit_from, formula_keys, saved, completeness = rest
    formula_keys = _SHARED_KEYS.setdefault(formula_keys, formula_keys)
    figures = Figures(*fields, cells, refs, explanations, findings, unit_from, formula_keys, saved, completeness)
    if settled is not None:
        figures.__dict__["_settled"] = settled
    return figures


def _plain(x: float) -> Cell:
    cell = _PLAIN.get(x)
    if cell is None:
        cell = _PLAIN[x] = Cell(State.NUMBER, x, x)
    return cell
