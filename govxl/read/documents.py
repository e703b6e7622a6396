"""A published report as rows of cell texts: an HTML page (rowspan/colspan laid out) or extracted text.

Knows nothing of the tables; :mod:`govxl.read.reporttables` finds them in these rows.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from govxl.errors import InputError
from govxl.io import decode_damaged, explain_os_error

Row = list[str]

HTML_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml")


def document_rows(path: Path, damaged: list[int] | None = None) -> tuple[list[Row], str]:
    """Every line of text and every table row of the document, as lists of cell texts; and what it was.

    The kind is told by content, not only by the name: a PDF, a Word (.docx) file, an HTML page, or text.
    Text with a few undecodable bytes is read with them replaced; ``damaged`` receives their line numbers.
    """
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError(explain_os_error(e, path, "读取")) from e
    if data.startswith(b"%PDF"):
        return pdf_rows(path), PDF
    if data.startswith(b"PK") and _is_docx(path):
        return docx_rows(path), WORD
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(f"{path.name}：这是旧版 Word（.doc）或 WPS 文件，请另存为 .docx 或 PDF 后再检查。")
    if data.startswith(b"PK"):
        raise InputError(
            f"{path.name}：这是 Excel 工作簿或压缩包，不是已发布的年报；检查各单位报送的报表请用 govxl check。"
        )
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{path.name}：不是网页、文本、Word（.docx）或 PDF 文件，无法作为年报读取。")
    text, bad = decode_damaged(data, f"文件 {path} ")
    if damaged is not None:
        damaged += bad
    head = text[:4096].lstrip().lower()
    if path.suffix.lower() in HTML_SUFFIXES or head.startswith(("<!doctype html", "<html")) or "<table" in head:
        return html_rows(text), HTML
    return text_rows(text), TEXT


HTML, TEXT, PDF, WORD = "网页", "文本", "PDF", "Word"


def _is_docx(path: Path) -> bool:
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            return "word/document.xml" in z.namelist()
    except (OSError, zipfile.BadZipFile):
        return False


def pdf_rows(path: Path) -> list[Row]:
    """A text PDF: each page's tables as rows of cells, and its other lines as rows (:mod:`govxl.read.pdftables`)."""
    from govxl.read.pdftables import pdf_rows as rows_of_pdf

    return rows_of_pdf(path)


def docx_rows(path: Path) -> list[Row]:
    """A Word document: paragraphs and table rows in document order (:mod:`govxl.read.docxrows`)."""
    from govxl.read.docxrows import docx_rows as rows_of_docx

    return rows_of_docx(path)


def text_rows(text: str) -> list[Row]:
    """Extracted text: a cell per tab; Markdown table rows (| a | b |) and lines ending in "|" are read too."""
    rows: list[Row] = []
    for line in text.splitlines():
        stripped = line.strip()
        if (stripped.startswith("|") or stripped.endswith("|")) and len(stripped) > 1:
            # Markdown rows (| a | b |), and pages rendered as "a | b |" or a cell a line ("规章 |")
            inner = stripped[1 if stripped.startswith("|") else 0 : -1 if stripped.endswith("|") else None]
            cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", inner)]
            if all(re.fullmatch(r":?-{3,}:?", c) for c in cells):
                continue
            rows.append(cells)
        elif "\t" in line:
            rows.append(line.split("\t"))
        else:  # no tabs: cells set apart by runs of spaces, as text copied from some PDFs comes
            rows.append(re.split(r"[ \u00a0]{2,}|\u3000+", line.strip()) if line.strip() else [line])
    return rows


class _Table:
    """One HTML table being parsed: rows of (text, rowspan, colspan).

    A table with a many-row table inside one of its cells only lays the page out (a site's frame around the
    report): it yields its cells' paragraphs and the inner tables' rows in reading order instead of a grid.
    """

    def __init__(self) -> None:
        self.rows: list[list[tuple[str, int, int]]] = []
        self.cell: list[str | list[Row]] | None = None
        self.spans = (1, 1)
        self.layout = False
        self.flow: list[Row] = []  # the content of every cell, in reading order, as a layout table shows it

    def start_row(self) -> None:
        self.end_cell()
        self.rows.append([])

    def start_cell(self, rowspan: int, colspan: int) -> None:
        self.end_cell()
        if not self.rows:
            self.rows.append([])
        self.cell, self.spans = [], (rowspan, colspan)

    def add_text(self, text: str) -> None:
        if self.cell is not None:
            self.cell.append(text)

    def add_break(self) -> None:
        if self.cell is not None:
            self.cell.append(_BREAK)

    def add_table(self, rows: list[Row]) -> None:
        if self.cell is None:
            self.flow.extend(rows)
            self.layout = self.layout or len(rows) > 1
        elif len(rows) > 1:
            self.cell.append(rows)
            self.layout = True
        else:
            self.cell.append(" ".join(c for row in rows for c in row if c))

    def end_cell(self) -> None:
        if self.cell is not None:
            joined = "".join(p for p in self.cell if isinstance(p, str) and p != _BREAK)
            text = " ".join(joined.replace("\xa0", " ").split())
            self.rows[-1].append((text, *self.spans))
            line: list[str] = []
            for part in [*self.cell, _BREAK]:
                if isinstance(part, list) or part == _BREAK:
                    flat = " ".join("".join(line).replace("\xa0", " ").split())
                    if flat:
                        self.flow.append([flat])
                    line = []
                    if isinstance(part, list):
                        self.flow.extend(part)
                else:
                    line.append(part)
            self.cell = None

    def grid(self) -> list[Row]:
        """Spans laid out: a merged cell's text in its top-left position and empty strings below it; the
        positions it spans to the right are left out, as Word-made pages put one value across two columns."""
        self.end_cell()
        if self.layout:
            return self.flow
        taken: dict[tuple[int, int], str | None] = {}  # None: a position a cell to its left spans
        for r, row in enumerate(self.rows):
            c = 0
            for text, rowspan, colspan in row:
                while (r, c) in taken:
                    c += 1
                for dr in range(rowspan):
                    for dc in range(colspan):
                        taken[(r + dr, c + dc)] = text if dr == dc == 0 else "" if dc == 0 else None
                c += colspan
        widths: dict[int, int] = {}  # each row's width, found in one pass (a pass per row made long tables quadratic)
        for r, c in taken:
            widths[r] = max(widths.get(r, 0), c + 1)
        height = max(widths, default=-1) + 1
        out: list[Row] = []
        for r in range(height):
            cells = [taken.get((r, c), "") for c in range(widths.get(r, 0))]
            out.append([c for c in cells if c is not None])
        return out


_BREAK = "\x00"  # a paragraph boundary inside a cell: ignored in a data cell, a new line in a layout cell


def _span(attrs: list[tuple[str, str | None]], name: str) -> int:
    for key, value in attrs:
        if key == name and value:
            m = re.match(r"\s*(\d+)", value)
            if m:
                return min(max(int(m.group(1)), 1), 200)
    return 1


# Positions merged cells may take over a page: a report's tables take a few thousand. Each cell may span 200 rows and
# 200 columns: a page of such cells (30 bytes each) took minutes and gigabytes; beyond this, spans are read as 1
MAX_SPANNED = 250_000


class _HtmlRows(HTMLParser):
    BLOCKS = frozenset({"p", "div", "title", "br", "li", "dt", "dd", "caption", "blockquote", "pre", "section"}) | {
        f"h{i}" for i in range(1, 7)
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[Row] = []
        self.text: list[str] = []
        self.tables: list[_Table] = []
        self.skip = 0
        self.spanned = 0
        self._seen: tuple[str, int, int | None] = ("", -1, None)  # data, its last ">", an unclosed comment

    # When a page is closed, CPython's parser (before 3.11.13, 3.12.11 and 3.13.4) tries each unclosed comment, end
    # tag or processing instruction left in it again to the end of the page: thousands of "<!--" or "</" took
    # minutes. They are told unclosed here without that search, as the search would find.
    def _facts(self) -> tuple[int, int | None]:
        if self._seen[0] is not self.rawdata:
            self._seen = (self.rawdata, self.rawdata.rfind(">"), None)
        return self._seen[1], self._seen[2]

    def parse_comment(self, i: int, report: int = 1) -> int:
        last_gt, unclosed = self._facts()
        abrupt = self.rawdata.startswith((">", "->"), i + 4)  # "<!-->" closes at once in newer parsers
        if not abrupt and (last_gt < i + 4 or (unclosed is not None and unclosed <= i)):
            return -1
        k = super().parse_comment(i, report)
        if k < 0 and not abrupt and unclosed is None:
            self._seen = (self.rawdata, last_gt, i)  # no comment's end after i: none after any later start either
        return k

    def parse_endtag(self, i: int) -> int:
        return -1 if self._facts()[0] < i + 2 else super().parse_endtag(i)

    def parse_pi(self, i: int) -> int:
        return -1 if self._facts()[0] < i + 2 else super().parse_pi(i)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.skip += 1
        elif tag == "table":
            self._flush()
            self.tables.append(_Table())
        elif self.tables:
            if tag == "tr":
                self.tables[-1].start_row()
            elif tag in ("td", "th"):
                rowspan, colspan = _span(attrs, "rowspan"), _span(attrs, "colspan")
                if rowspan * colspan > 1:  # the positions spans take, counted over the page (see MAX_SPANNED)
                    self.spanned += rowspan * colspan
                    if self.spanned > MAX_SPANNED:
                        rowspan = colspan = 1
                self.tables[-1].start_cell(rowspan, colspan)
            elif tag in self.BLOCKS:
                self.tables[-1].add_break()
        elif tag in self.BLOCKS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag == "table" and self.tables:
            rows = self.tables.pop().grid()
            if self.tables:  # a one-row table inside a cell joins the cell's text; a longer one is laid out
                self.tables[-1].add_table(rows)
            else:
                self.rows.extend(rows)
        elif self.tables:
            if tag in ("td", "th"):
                self.tables[-1].end_cell()
            elif tag in self.BLOCKS:
                self.tables[-1].add_break()
        elif tag in self.BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.tables:
            self.tables[-1].add_text(data)
        else:
            self.text.append(data)

    def _flush(self) -> None:
        text = " ".join("".join(self.text).replace("\xa0", " ").split())
        if text:
            self.rows.append([text])
        self.text = []

    def close(self) -> None:
        super().close()
        while self.tables:
            self.rows.extend(self.tables.pop().grid())
        self._flush()


def html_rows(text: str) -> list[Row]:
    parser = _HtmlRows()
    parser.feed(text)
    parser.close()
    return parser.rows
