"""Small helpers shared by tests."""

from __future__ import annotations

from pathlib import Path

from python_calamine import CalamineWorkbook


def sheet_values(path: Path) -> dict[str, list[list[object]]]:
    wb = CalamineWorkbook.from_path(str(path))
    return {name: wb.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in wb.sheet_names}


def value_diffs(a: Path, b: Path) -> list[tuple[str, str, object, object]]:
    """Cells whose values differ between two workbooks: (sheet, A1, a, b)."""
    from govxl.layout import a1

    va, vb = sheet_values(a), sheet_values(b)
    out = []
    for sheet, rows in va.items():
        other = vb.get(sheet, [])
        for r, row in enumerate(rows):
            for c, x in enumerate(row):
                y = other[r][c] if r < len(other) and c < len(other[r]) else ""
                if x != y and not (isinstance(x, float) and isinstance(y, float) and abs(x - y) < 1e-9):
                    out.append((sheet, a1(r, c), x, y))
    return out


def find_text(rows: list[list[object]], text: str) -> tuple[int, int]:
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if v == text:
                return r, c
    raise AssertionError(f"{text!r} not found")
