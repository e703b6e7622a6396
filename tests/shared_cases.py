"""The shared real reports (data/real/shared/): each case's transcription as govxl cell keys."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from govxl.editions import edition_by_id
from govxl.layout import cell_index

SHARED = Path(__file__).resolve().parent / "data" / "real" / "shared"
CASES = sorted(p.stem for p in SHARED.glob("*.json"))


def sources(case: str) -> list[Path]:
    """Every published form of a case: page text, HTML page, PDF and the PDF's text."""
    return sorted(p for p in SHARED.iterdir() if p.stem == case and p.suffix != ".json")


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
