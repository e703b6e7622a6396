"""The hidden sheet that says what a workbook is.

Readers use it to recognise a govxl file, but never rely on it alone:
copying sheets or saving from another program can lose it.
"""

from __future__ import annotations

from collections.abc import Mapping

from xlsxwriter.workbook import Workbook

from govxl.sheetnames import META_SHEET

FORMAT_VERSION = "1"


def write_meta(wb: Workbook, fields: Mapping[str, str]) -> None:
    ws = wb.add_worksheet(META_SHEET)
    for i, (key, value) in enumerate({"govxl": FORMAT_VERSION, **fields}.items()):
        ws.write_string(i, 0, key)
        ws.write_string(i, 1, value)
    ws.very_hidden()
    ws.protect()
    wb.set_custom_property("govxl", FORMAT_VERSION)
    for key, value in fields.items():
        wb.set_custom_property(f"govxl.{key}", value)
