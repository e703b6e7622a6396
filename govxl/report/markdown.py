"""The report as Markdown."""

from __future__ import annotations

from collections.abc import Mapping

from govxl.layout import SheetLayout, layouts
from govxl.markers import MARKDOWN_MARKER
from govxl.report.data import (
    MARKDOWN_NOTE,
    SUMMARY_TITLE,
    ReportData,
    body_size,
    meta_lines,
    table_cells,
    unit_notes,
)
from govxl.report.prose import summary


def markdown_grid(lay: SheetLayout, values: Mapping[str, float]) -> list[list[str]]:
    """The body as a plain grid: a row-spanning label in every row it spans, a column-spanning one in its first cell."""
    height, width = body_size(lay)
    grid = [[""] * width for _ in range(height)]
    for g in table_cells(lay, values):
        for r in range(g.row, g.row + g.rowspan):
            grid[r][g.col] = g.text
    return grid


def to_markdown(data: ReportData) -> str:
    out = [MARKDOWN_MARKER, f"# {data.title}", ""]
    out += [line for m in meta_lines(data) for line in (m, "")]
    out += [MARKDOWN_NOTE, ""]
    for lay in layouts(data.edition):
        out += [f"## {lay.table.title}", ""]
        grid = markdown_grid(lay, data.values)
        out.append(_md_row(grid[0]))
        out.append("|" + "|".join("---" for _ in grid[0]) + "|")
        out += [_md_row(row) for row in grid[1:]]
        out.append("")
        out += [line for n in unit_notes(lay) for line in (n, "")]
    out += [f"## {SUMMARY_TITLE}", ""]
    out += [line for s in summary(data.edition, data.values) for line in (s, "")]
    return "\n".join(out)


def _md_row(cells: list[str]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"
