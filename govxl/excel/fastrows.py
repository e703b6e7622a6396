"""A worksheet whose many uniform rows go straight to its XML, byte for byte as XlsxWriter writes them.

XlsxWriter spends several microseconds on each cell (argument checks and formula preparation on
every write, attribute escaping when the file is closed); a province's per-unit sheets have a million
cells. The rows added here are kept as a function that lists their cells when the sheet is written:
plain numbers, shared strings, formatted blanks and formulas with a number as result are written
here in XlsxWriter's own format; any other cell is handed to XlsxWriter's own cell writer.

Shared strings are numbered when a row is added, in the order XlsxWriter would number them;
format (XF) indices are taken when the row is written, cell by cell, as XlsxWriter takes them.

This replaces XlsxWriter's private ``_write_rows`` and ``_calculate_spans`` and reads its private state
(``table``, ``row_info``, ``comments``, ``fh``), so it is only trusted after a probe: on first use a small
sheet with every kind of fast cell is written both ways, and unless the bytes are the same, every fast row
is handed to XlsxWriter's own writer as ordinary cells (slower, the same file). pyproject.toml bounds the
XlsxWriter version to those it was proven on.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from datetime import date
from functools import cache
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from govxl.layout import col_letter

NUMBER, STRING, BLANK, FORMULA, OTHER = range(5)
# A cell of a fast row: (column, kind, payload, format). The payload is the number (NUMBER), the shared
# string's index (STRING), None (BLANK), (formula without "=", its number) (FORMULA), or XlsxWriter's own
# cell tuple (OTHER). Every cell but an OTHER one has its format: without one, XlsxWriter would look for the
# row's or the column's.
FastCell = tuple[int, int, Any, Format | None]


class FastRowSheet(Worksheet):
    fast: bool | None = None  # None: as the probe decides (True or False: the probe's own two ways)

    def __init__(self) -> None:
        super().__init__()
        self._fast: dict[int, tuple[int, int, Callable[[], Sequence[FastCell]]]] = {}
        self._xf: dict[int, int] = {}
        self._letters: list[str] = []
        self._on = proven() if self.fast is None else self.fast

    def add_fast_row(self, row: int, first_col: int, last_col: int, cells: Callable[[], Sequence[FastCell]]) -> None:
        """A row whose cells (all between ``first_col`` and ``last_col``, both written) ``cells()`` lists."""
        if not self._on:
            self._write_plainly(row, cells())
            return
        self._check_dimensions(row, first_col)
        self._check_dimensions(row, last_col)
        self._fast[row] = (first_col, last_col, cells)

    def _write_plainly(self, row: int, cells: Sequence[FastCell]) -> None:
        """The cells through XlsxWriter's own write methods (when the fast writer is not proven)."""
        for col, kind, payload, fmt in cells:
            if kind == OTHER:
                self._check_dimensions(row, col)
                self.table[row][col] = payload
            elif kind == NUMBER:
                self._write_number(row, col, payload, fmt)
            elif kind == BLANK:
                self._write_blank(row, col, None, fmt)
            elif kind == FORMULA:
                self._write_formula(row, col, "=" + payload[0], fmt, payload[1])
            else:
                raise ValueError("a shared string numbered for the fast writer, which is not in use")

    def string_cell(self, row: int, col: int, text: str, fmt: Format | None) -> FastCell:
        """A string cell, its shared string numbered now (as :meth:`write_string` would)."""
        if self._on and fmt is not None and len(text) <= self.xls_strmax // 2:  # no truncation to consider
            return (col, STRING, self.str_table._get_shared_string_index(text), fmt)
        return self.other_cell(self._write_string, row, col, text, fmt)

    def other_cell(self, write: Callable[..., Any], row: int, col: int, *args: Any) -> FastCell:
        """Any cell, made by one of XlsxWriter's own write methods (``self._write_…``) and kept for the row."""
        write(row, col, *args)
        return (col, OTHER, self.table[row].pop(col), None)

    def formula_is_plain(self, formula: str) -> bool:
        """Whether XlsxWriter would store ``formula`` (with its "=") as it is, without the "="."""
        plain = formula.startswith("=") and not any(ch in formula for ch in "{}&<>")
        return plain and self._prepare_formula(formula) == formula[1:]

    def _xf_index(self, fmt: Format | None) -> int:
        if fmt is None:
            raise ValueError("a fast cell without its format")
        xf = self._xf.get(id(fmt))
        if xf is None:
            xf = self._xf[id(fmt)] = fmt._get_xf_index()
        return xf

    def _calculate_spans(self) -> None:
        if not self._on:
            super()._calculate_spans()
            return
        # XlsxWriter's own calculation (worksheet._calculate_spans), counting the fast rows' cells
        spans = {}
        span_min = span_max = None
        for row_num in range(self.dim_rowmin, self.dim_rowmax + 1):
            cols: list[int] = []
            if row_num in self._fast:
                cols += self._fast[row_num][:2]
            if row_num in self.table:
                cols += [c for c in self.table[row_num] if self.dim_colmin <= c <= self.dim_colmax]
            if row_num in self.comments:
                cols += [c for c in self.comments[row_num] if self.dim_colmin <= c <= self.dim_colmax]
            if cols:
                low, high = min(cols), max(cols)
                span_min = low if span_min is None else min(span_min, low)
                span_max = high if span_max is None else max(span_max, high)
            end_of_block = (row_num + 1) % 16 == 0 or row_num == self.dim_rowmax
            if end_of_block and span_min is not None and span_max is not None:
                spans[int(row_num / 16)] = f"{span_min + 1}:{span_max + 1}"
                span_min = span_max = None
        self.row_spans = spans

    def _write_rows(self) -> None:
        if not self._on:
            super()._write_rows()
            return
        self._calculate_spans()
        self._letters = [col_letter(c) for c in range(self.dim_colmax + 1)]
        for row_num in range(self.dim_rowmin, self.dim_rowmax + 1):
            fast = self._fast.get(row_num)
            span = self.row_spans.get(int(row_num / 16))
            if fast is not None:
                self._write_row(row_num, span, self.row_info.get(row_num))
                self._write_fast_cells(row_num, fast[2]())
                self._xml_end_tag("row")
            elif self.table[row_num]:
                self._write_row(row_num, span, self.row_info.get(row_num))
                for col_num in range(self.dim_colmin, self.dim_colmax + 1):
                    if col_num in self.table[row_num]:
                        self._write_cell(row_num, col_num, self.table[row_num][col_num])
                self._xml_end_tag("row")
            elif row_num in self.row_info or row_num in self.comments:
                self._write_empty_row(row_num, span, self.row_info.get(row_num))

    def _write_fast_cells(self, row: int, cells: Sequence[FastCell]) -> None:
        number = str(row + 1)
        letters = self._letters
        out: list[str] = []
        for col, kind, payload, fmt in cells:
            if kind == OTHER:
                self.fh.write("".join(out))
                out.clear()
                self._write_cell(row, col, payload)
                continue
            head = f'<c r="{letters[col]}{number}" s="{self._xf_index(fmt)}"'
            if kind == NUMBER:
                out.append(f"{head}><v>{payload:.16G}</v></c>")
            elif kind == STRING:
                out.append(f'{head} t="s"><v>{payload}</v></c>')
            elif kind == BLANK:
                out.append(head + "/>")
            else:
                formula, value = payload
                out.append(f"{head}><f>{formula}</f><v>{value}</v></c>")
        self.fh.write("".join(out))


@cache
def proven() -> bool:
    """Whether this XlsxWriter writes the probe's sheet, fast rows and all, to the same bytes both ways."""
    return _probe(True) == _probe(False)


def _probe(fast: bool) -> bytes:
    """A sheet with every kind of fast cell, a comment, a row format, a gap and rows after the fast ones."""
    import zipfile

    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True})
    formats = [wb.add_format({"bold": True}), wb.add_format({"num_format": "0.00"})]
    sheet_class = type("Probe", (FastRowSheet,), {"fast": fast})
    ws = wb.add_worksheet("s", worksheet_class=sheet_class)
    ws.write_string(0, 0, "head", formats[0])
    ws.set_row(5, 30, formats[1])
    for r in range(2, 40):
        f = formats[r % 2]
        cells: list[FastCell] = [
            (0, NUMBER, r * 1.5, f),
            ws.string_cell(r, 1, f"单位{r % 7}", f),
            (2, BLANK, None, f),
            (3, FORMULA, (f"SUM(A{r + 1}:A{r + 1})", r * 1.5), f),
            ws.other_cell(ws._write_boolean, r, 4, r % 2 == 0, f),
            ws.other_cell(ws._write_datetime, r, 5, date(2025, 1, 1 + r % 28), formats[1]),
            ws.other_cell(ws._write_formula, r, 6, '=IF(A1>0,"是","否")', f, "是"),
        ]
        if r % 9 == 0:
            ws.write_comment(r, 2, f"批注{r}")
        if r != 17:
            ws.add_fast_row(r, 0, 6, lambda cells=cells: cells)
    ws.write_number(45, 8, 1)
    wb.close()
    with zipfile.ZipFile(out) as zf:
        return zf.read("xl/worksheets/sheet1.xml") + zf.read("xl/sharedStrings.xml")
