"""A Word (.docx) report as rows of cell texts, in the shape an HTML table gives them (see documents.py).

Paragraphs and tables in document order, also those inside content controls (w:sdt); a paragraph's tabs
set its cells apart and its line breaks its lines, as in extracted text; a table laid out as html_rows lays
out an HTML one. A cell holding a table (a page laid out in a table, the report's tables inside it) gives its
paragraphs and tables as rows of their own, after the row of that cell.
"""

from __future__ import annotations

from pathlib import Path

from govxl.errors import InputError

Row = list[str]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_rows(path: Path) -> list[Row]:
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as e:  # python-docx raises several kinds for files it cannot open
        raise InputError(f"{path.name}：Word 文件已损坏或无法解析，请另存为 .docx 后再检查。") from e
    return _blocks(document.element.body)


def _blocks(parent) -> list[Row]:  # type: ignore[no-untyped-def]
    """The rows of a body, a content control's content or a cell that holds tables."""
    rows: list[Row] = []
    for child in parent.iterchildren():
        if child.tag == _W + "p":
            rows += [line.split("\t") if "\t" in line else [line] for line in _paragraph(child).split("\n")]
        elif child.tag == _W + "tbl":
            rows += _table_rows(child)
        elif child.tag == _W + "sdt":
            content = child.find(_W + "sdtContent")
            if content is not None:
                rows += _blocks(content)
    return rows


def _paragraph(p) -> str:  # type: ignore[no-untyped-def]
    from docx.text.paragraph import Paragraph

    return Paragraph(p, None).text  # runs and hyperlinks; w:tab as "\t", w:br as "\n"


def _table_rows(tbl) -> list[Row]:  # type: ignore[no-untyped-def]
    """A Word table laid out as an HTML one is: a merged cell's text in its first position, blanks below it
    (vMerge), and nothing for the columns it spans (gridSpan)."""
    rows: list[Row] = []
    for tr in _children(tbl, "tr"):
        cells: Row = []
        inner: list[Row] = []
        for tc in _children(tr, "tc"):
            props = tc.find(_W + "tcPr")
            merge = props.find(_W + "vMerge") if props is not None else None
            continued = merge is not None and merge.get(_W + "val", "continue") != "restart"
            if _children(tc, "tbl"):  # a cell holding tables lays out a page: its blocks are rows of their own
                inner += _blocks(tc)
                cells.append("")
                continue
            texts = ["".join(t.text or "" for t in p.iter(_W + "t")) for p in _children(tc, "p")]
            cells.append("" if continued else "".join(texts))  # the columns a cell spans are left out
        rows.append(cells)
        rows += inner
    return rows


def _children(parent, *names: str) -> list:  # type: ignore[no-untyped-def,type-arg]
    """The parent's child elements of these kinds, looking through content controls (w:sdt)."""
    out = []
    for child in parent.iterchildren():
        if child.tag in {_W + n for n in names}:
            out.append(child)
        elif child.tag == _W + "sdt":
            content = child.find(_W + "sdtContent")
            if content is not None:
                out += _children(content, *names)
    return out
