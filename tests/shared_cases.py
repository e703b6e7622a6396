"""The shared real reports (data/real/shared/): each case's transcription as govxl cell keys."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from govxl.audit import AuditResult
from govxl.editions import edition_by_id
from govxl.layout import cell_index

SHARED = Path(__file__).resolve().parent / "data" / "real" / "shared"
CASES = sorted(p.stem for p in SHARED.glob("*.json"))


def sources(case: str) -> list[Path]:
    """Every published form of a case: page text, HTML page, PDF and the PDF's text."""
    return sorted(p for p in SHARED.iterdir() if p.stem == case and p.suffix != ".json")


def unnamed(result: AuditResult, wrong: dict[str, tuple[object, object]]) -> dict[str, tuple[object, object]]:
    """The cells read otherwise than transcribed (key -> (transcribed, read)) that no R5 finding accounts for.

    A row the rules could not cut one way is named by R5 and read blank in the cells its cuts disagree on, never
    guessed: such a cell is accounted for when it is blank and its row is named; anything else is left."""
    index = cell_index(result.edition)

    def row(key: str) -> tuple[str, int]:
        lay, cell = index[key]
        return lay.sheet, cell.row

    named = {row(f.key) for f in result.findings if f.rule == "R5"}
    return {k: v for k, v in wrong.items() if row(k) not in named or v[1] is not None}


@cache
def case(name: str) -> dict:
    return json.loads((SHARED / f"{name}.json").read_text(encoding="utf-8"))


def _key_of(edition_id: str) -> dict[tuple[str, str, str], str]:
    """(table, row as the case names it, column as the case names it) -> cell key."""
    out = {}
    for key, (lay, cell) in cell_index(edition_by_id(edition_id)).items():
        col = cell.col_label.split("·")[-1]
        if lay.table.key == "t4":
            group = "/".join(cell.col_label.split("·")[:-1]).replace("行政诉讼/", "行政诉讼/")
            out[("t4", group, col)] = key
        else:
            out[(lay.table.key, cell.row_label.split("·")[-1] if lay.table.key == "t2" else cell.row_label, col)] = key
    return out


@cache
def expected(name: str) -> dict[str, float | str | None]:
    """Cell key -> the published value (a number, None for blank, a string for text in a number cell)."""
    data = case(name)
    keys = _key_of(data["edition"])
    out: dict[str, float | str | None] = {}
    for c in data["cells"]:
        if c["table"] == "t4":
            k = ("t4", c["group"], c["col"])
        elif c["table"] == "t3":
            k = ("t3", f"{c['group']}·{c['row']}" if c.get("group") else c["row"], c["col"])
        else:
            k = ("t2", c["row"], c["col"])
        out[keys[k]] = c["value"]
    assert len(out) == len(keys), name
    return out


def published_labels(name: str) -> dict[str, str]:
    """Row key -> the label the report printed instead of the official one."""
    keys = expected(name)
    data = case(name)
    out = {}
    for key, c in zip(keys, data["cells"], strict=True):
        if "published_label" in c:
            out[key.rsplit(".", 1)[0]] = c["published_label"]
    return out


def render(name: str, variant: str) -> str:
    """A made-up copy of a case's tables (never a real report), laid out another way than it was published:

    - ``lines``: each row on a line, cells set apart by single spaces, labels without their numbering (OCR);
    - ``onelines``: every table on one line, each row's digits run together, spaces and ideographic spaces
      inside long labels;
    - ``wrapped``: long labels wrapped over two lines with the values on a line of their own (PDF text);
    - ``middle``: long labels wrapped over three lines, the values beside the middle one (a cell centred);
    - ``column``: a cell a line, long labels over two lines (a page whose cells are paragraphs).
    Only cases whose every cell is a number can be rendered (a blank cell has no text to print)."""
    from govxl.layout import layouts
    from govxl.read.labelmatch import unnumbered
    from govxl.read.vocabulary import row_specs
    from govxl.read.workbook import norm
    from govxl.values import show

    data = case(name)
    edition = edition_by_id(data["edition"])
    values = expected(name)
    lines = [f"{data['unit'].split('（')[0]}{data['year']}年政府信息公开工作年度报告", "一、总体情况", "（略）"]

    def label(text: str) -> str:
        if variant == "lines":
            return unnumbered(norm(text)) or text
        if variant == "onelines" and len(text) > 8:
            return text[:3] + " " + text[3:6] + "\u3000" + text[6:]
        return text

    def row(text: str, cells: list[str]) -> list[str]:
        if variant == "onelines":
            return [label(text) + "".join(cells)]
        if variant == "wrapped" and len(text) > 12:
            return [text[:10], text[10:], " ".join(cells)]
        if variant == "middle" and len(text) > 12:  # the values beside the label's middle line
            return [text[:6], text[6:12] + "    " + " ".join(cells), text[12:]]
        if variant == "column":  # a cell a line, long labels over two
            return [text[:10], text[10:], *cells] if len(text) > 12 else [text, *cells]
        return [label(text) + " " + " ".join(cells)]

    for lay in layouts(edition):
        lines.append(lay.table.title)
        group = ""
        for spec in row_specs(lay):
            shown = [show(values[c.key]) for c in spec.cells]  # type: ignore[arg-type]
            parts = spec.shown.split("·")
            if not spec.shown:  # 表四: its header, then the values
                lines.append("行政复议 行政诉讼 " + " ".join(c.col_label.split("·")[-1] for c in spec.cells))
                lines += (
                    shown if variant == "column" else [" ".join(shown) if variant != "onelines" else "".join(shown)]
                )
                continue
            if len(parts) > 1 and parts[0] != group:
                group = parts[0]
                lines.append(label(group))
            lines += row(parts[-1], shown)
    lines.append("五、存在的主要问题及改进情况")
    if variant == "onelines":
        head, tables = lines[:3], lines[3:-1]
        return "\n".join([*head, "".join(tables), lines[-1]]) + "\n"
    return "\n".join(lines) + "\n"


def renderable(name: str) -> bool:
    return all(isinstance(v, int | float) for v in expected(name).values())
