"""The report as an HTML page."""

from __future__ import annotations

import html
from collections.abc import Mapping

from govxl.layout import SheetLayout, layouts
from govxl.markers import HTML_MARKER
from govxl.report.data import (
    SUMMARY_TITLE,
    GridCell,
    ReportData,
    body_size,
    header_rows,
    meta_lines,
    table_cells,
    unit_notes,
)
from govxl.report.prose import summary

_CSS = """body { font-family: "SimSun", "宋体", serif; max-width: 60em; margin: 2em auto; line-height: 1.6; }
h1 { text-align: center; font-size: 1.6em; }
h2 { font-size: 1.2em; margin-top: 1.6em; }
p.meta { text-align: center; margin: 0.2em 0; }
table { border-collapse: collapse; width: 100%; font-size: 0.9em; }
th, td { border: 1px solid #000; padding: 0.25em 0.4em; }
th { text-align: center; font-weight: normal; background: #f2f2f2; }
th.row { text-align: left; background: none; }
td { text-align: center; }
p.note { font-size: 0.9em; }"""


def to_html(data: ReportData) -> str:
    esc = html.escape
    out = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        HTML_MARKER,
        f"<title>{esc(data.title)}</title>",
        f"<style>\n{_CSS}\n</style>",
        "</head>",
        "<body>",
        f"<h1>{esc(data.title)}</h1>",
        *(f'<p class="meta">{esc(line)}</p>' for line in meta_lines(data)),
    ]
    for lay in layouts(data.edition):
        out.append(f"<h2>{esc(lay.table.title)}</h2>")
        out.extend(_html_table(lay, data.values))
        out.extend(f'<p class="note">{esc(n)}</p>' for n in unit_notes(lay))
    out.append(f"<h2>{esc(SUMMARY_TITLE)}</h2>")
    out.extend(f"<p>{esc(s)}</p>" for s in summary(data.edition, data.values))
    out += ["</body>", "</html>", ""]
    return "\n".join(out)


def _html_table(lay: SheetLayout, values: Mapping[str, float]) -> list[str]:
    out = ["<table>"]
    heads = header_rows(lay)
    by_row: dict[int, list[GridCell]] = {}
    for g in table_cells(lay, values):
        by_row.setdefault(g.row, []).append(g)
    for r in range(body_size(lay)[0]):
        if r == 0 and heads:
            out.append("<thead>")
        if r == heads:
            out.append("<tbody>")
        out.append("<tr>" + "".join(_html_cell(g) for g in by_row.get(r, [])) + "</tr>")
        if r == heads - 1:
            out.append("</thead>")
    out += ["</tbody>", "</table>"]
    return out


def _html_cell(g: GridCell) -> str:
    tag = "th" if g.is_header or g.role == "row" else "td"
    attrs = ""
    if g.role == "row":
        attrs += ' class="row" scope="row"'
    elif g.role in ("na", "note"):
        attrs += ' class="na"'
    if g.rowspan > 1:
        attrs += f' rowspan="{g.rowspan}"'
    if g.colspan > 1:
        attrs += f' colspan="{g.colspan}"'
    return f"<{tag}{attrs}>{html.escape(g.text)}</{tag}>"
