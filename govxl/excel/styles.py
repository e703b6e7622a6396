"""Cell formats shared by every workbook govxl writes."""

from __future__ import annotations

from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook

INPUT_FILL = "#FFF2CC"  # light yellow: cells to fill in
NA_FILL = "#D9D9D9"  # grey: cells not to fill in
HEADER_FILL = "#F2F2F2"
ERROR_FILL = "#FFC7CE"
ERROR_FONT = "#9C0006"
HINT_FILL = "#FFEB9C"
HINT_FONT = "#9C5700"
OK_FONT = "#006100"
FONT = "宋体"

_SPECS: dict[str, dict[str, Any]] = {
    "title": {"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"},
    "subtitle": {"bold": True, "font_size": 11, "align": "left", "valign": "vcenter"},
    "caption": {"bold": True, "border": 1, "align": "left", "valign": "vcenter", "bg_color": HEADER_FILL},
    "header": {
        "bold": True,
        "border": 1,
        "align": "center",
        "valign": "vcenter",
        "text_wrap": True,
        "bg_color": HEADER_FILL,
    },
    "corner": {
        "border": 1,
        "align": "left",
        "valign": "vcenter",
        "text_wrap": True,
        "font_size": 9,
        "bg_color": HEADER_FILL,
    },
    "row": {"border": 1, "align": "left", "valign": "vcenter", "text_wrap": True},
    "note": {
        "border": 1,
        "align": "center",
        "valign": "vcenter",
        "text_wrap": True,
        "font_size": 9,
        "italic": True,
        "bg_color": NA_FILL,
    },
    "na": {"border": 1, "bg_color": NA_FILL},
    "input": {"border": 1, "align": "center", "valign": "vcenter", "bg_color": INPUT_FILL, "locked": False},
    # an input cell a finding names: its fill says how bad (the annotated copy's 标红/标黄)
    "input_error": {"border": 1, "align": "center", "valign": "vcenter", "bg_color": ERROR_FILL, "locked": False},
    "input_hint": {"border": 1, "align": "center", "valign": "vcenter", "bg_color": HINT_FILL, "locked": False},
    "input_date": {"border": 1, "align": "center", "bg_color": INPUT_FILL, "locked": False, "num_format": 'm"月"d"日"'},
    "value_date": {"border": 1, "align": "center", "num_format": 'm"月"d"日"'},
    "input_text": {
        "border": 1,
        "align": "left",
        "valign": "top",
        "text_wrap": True,
        "bg_color": INPUT_FILL,
        "locked": False,
    },
    "value": {"border": 1, "align": "center", "valign": "vcenter"},
    "label": {"bold": True, "border": 1, "align": "left", "valign": "vcenter", "bg_color": HEADER_FILL},
    "text": {"border": 1, "align": "left", "valign": "vcenter", "text_wrap": True},
    "plain": {"align": "left", "valign": "top", "text_wrap": True},
    "check_id": {"border": 1, "align": "left", "valign": "vcenter", "text_wrap": True, "font_size": 9},
    "check": {"border": 1, "align": "left", "valign": "vcenter", "text_wrap": True, "font_size": 9},
    "link": {"font_color": "blue", "underline": 1, "border": 1, "valign": "vcenter"},
    "flag_error": {
        "border": 1,
        "align": "center",
        "valign": "vcenter",
        "bg_color": ERROR_FILL,
        "font_color": ERROR_FONT,
    },
    "flag_hint": {"border": 1, "align": "center", "valign": "vcenter", "bg_color": HINT_FILL, "font_color": HINT_FONT},
    "cf_error": {"bg_color": ERROR_FILL, "font_color": ERROR_FONT},
    "cf_hint": {"bg_color": HINT_FILL, "font_color": HINT_FONT},
    "cf_ok": {"font_color": OK_FONT},
}


class Formats:
    """Creates each named format once per workbook."""

    def __init__(self, workbook: Workbook) -> None:
        self._wb = workbook
        self._made: dict[str, Format] = {}

    def __getitem__(self, name: str) -> Format:
        if name not in self._made:
            spec = {"font_name": FONT, "font_size": 11, **_SPECS[name]}
            if name.startswith("cf_"):
                spec = dict(_SPECS[name])  # conditional formats carry only what changes
            self._made[name] = self._wb.add_format(spec)
        return self._made[name]
