"""The hidden sheet that says what a workbook is.

Readers use it to recognise a govxl file, but never rely on it alone:
copying sheets or saving from another program can lose it.
"""

from __future__ import annotations

from collections.abc import Mapping

from xlsxwriter.workbook import Workbook

from govxl.sheetnames import META_SHEET

FORMAT_VERSION = "1"
PROPERTY_LIMIT = 255  # UTF-16 code units Excel allows in a custom property's text (longer: XlsxWriter warns)


def write_meta(wb: Workbook, fields: Mapping[str, str], *, marked_as: str = "") -> None:
    """``marked_as``: the output kind the file's marker says, when it is not the sheet's ``kind``
    (one report's audit workbook reads back as a template but is marked as an audit output)."""
    ws = wb.add_worksheet(META_SHEET)
    for i, (key, value) in enumerate({"govxl": FORMAT_VERSION, **fields}.items()):
        ws.write_string(i, 0, key)
        ws.write_string(i, 1, value)
    ws.very_hidden()
    ws.protect()
    wb.set_custom_property("govxl", FORMAT_VERSION)
    for key, value in fields.items():
        wb.set_custom_property(f"govxl.{key}", _fitted(marked_as if key == "kind" and marked_as else value))


def _fitted(value: str) -> str:
    """The value cut to what Excel allows in a custom property (never inside a character); the hidden sheet
    holds it whole, and readers read the sheet."""
    units = value.encode("utf-16-le")
    if len(units) <= 2 * PROPERTY_LIMIT:
        return value
    return units[: 2 * PROPERTY_LIMIT].decode("utf-16-le", errors="ignore")
