"""Small helpers shared by tests."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from python_calamine import CalamineWorkbook


def load_script(relative: str):  # type: ignore[no-untyped-def]
    """A script of the repository (scripts/refresh.py, …) loaded as a module, for its functions; registered in
    sys.modules under its stem, as dataclasses look their module up there."""
    import importlib.util
    import sys

    from tests.conftest import ROOT

    path = ROOT / relative
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    return module


def samples_module():  # type: ignore[no-untyped-def]
    """samples/make_samples.py, whose XML edits (error values, formulas, dates) tests reuse."""
    import importlib.util
    import sys

    if "make_samples" in sys.modules:
        return sys.modules["make_samples"]
    from tests.conftest import SAMPLES

    spec = importlib.util.spec_from_file_location("make_samples", SAMPLES / "make_samples.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_samples"] = module
    spec.loader.exec_module(module)
    return module


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


def rewrite(
    src: Path,
    dst: Path,
    *,
    rename: dict[str, str] | None = None,
    order: list[str] | None = None,
    insert_rows: dict[str, tuple[int, int]] | None = None,
    insert_cols: dict[str, tuple[int, int]] | None = None,
    drop: tuple[str, ...] = (),
) -> Path:
    """Copy a workbook's values into a new file, as a clerk's copy-paste would:
    sheets renamed, reordered or dropped, rows or columns inserted (at, count)."""
    import xlsxwriter

    grids = sheet_values(src)
    names = [n for n in (order or list(grids)) if n not in drop]
    wb = xlsxwriter.Workbook(str(dst), {"strings_to_numbers": False, "strings_to_formulas": False})
    wb.set_properties({"created": datetime(2021, 1, 1)})  # reproducible bytes
    for name in names:
        ws = wb.add_worksheet((rename or {}).get(name, name))
        row_at, row_n = (insert_rows or {}).get(name, (10**9, 0))
        col_at, col_n = (insert_cols or {}).get(name, (10**9, 0))
        for r, row in enumerate(grids[name]):
            for c, v in enumerate(row):
                rr = r + (row_n if r >= row_at else 0)
                cc = c + (col_n if c >= col_at else 0)
                if isinstance(v, str):
                    if v:
                        ws.write_string(rr, cc, v)
                elif isinstance(v, bool):
                    ws.write_boolean(rr, cc, v)
                elif isinstance(v, (int, float)):
                    ws.write_number(rr, cc, v)
        if row_n:
            ws.write_string(row_at, 0, "（插入的行）")
    wb.close()
    return dst


def run_together(text: str) -> str:
    """What a scraper makes of a table: each row's cells joined without separators (tabs or Markdown pipes)."""
    out = []
    for line in text.splitlines():
        st = line.strip()
        if st.startswith("|") and st.endswith("|"):
            cells = [c.strip() for c in st[1:-1].split("|")]
            if not all(re.fullmatch(r":?-{3,}:?", c) for c in cells):
                out.append("".join(cells))
        else:
            out.append("".join(c.strip() for c in line.split("\t")) if "\t" in line else line)
    return "\n".join(out)
