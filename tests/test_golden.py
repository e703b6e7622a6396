"""Golden files: a merged workbook and an annotated copy, part by part, against reviewed files in the repo.

As XlsxWriter's tests compare with files Excel wrote, these compare every XML part of what govxl
writes now with files a person opened and looked at. Regenerate them only on purpose:
``python scripts/make_golden.py``.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from govxl import __version__
from tests.conftest import GOLDEN, ROOT
from tests.helpers import load_script


def _maker():  # type: ignore[no-untyped-def]
    return load_script("scripts/make_golden.py")


# What may differ without anything being wrong: the versions of govxl and of the writing library.
IGNORED_PARTS = {"docProps/app.xml"}  # XlsxWriter's / openpyxl's application version
VERSION = r"govxl \d+\.\d+\.\d+[^\s<]*"  # govxl's own version, masked wherever it is written


def _parts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i).decode("utf-8") for i in z.infolist() if i.filename not in IGNORED_PARTS}
    return {name: re.sub(VERSION, "govxl VERSION", text) for name, text in parts.items()}


@pytest.mark.parametrize(
    ("golden", "make"), [("merged_2021.xlsx", "merged"), ("annotated_区自然资源局.xlsx", "annotated")]
)
def test_written_file_equals_the_reviewed_golden_file(
    tmp_path: Path, golden: str, make: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)  # the samples are named as a clerk types them, relative to the repository
    written = getattr(_maker(), make)(tmp_path / golden)
    expected, actual = _parts(GOLDEN / golden), _parts(written)
    assert sorted(actual) == sorted(expected), "parts added or removed"
    changed = [name for name in expected if expected[name] != actual[name]]
    assert changed == [], f"parts differ from the reviewed golden file (python scripts/make_golden.py): {changed}"


def test_the_comparison_sees_a_change(tmp_path: Path) -> None:
    golden = GOLDEN / "merged_2021.xlsx"
    changed = tmp_path / "changed.xlsx"
    with zipfile.ZipFile(golden) as zin, zipfile.ZipFile(changed, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/worksheets/sheet3.xml":
                data = data.replace(b"<v>", b"<v>1", 1)
            zout.writestr(info, data)
    parts = _parts(changed)
    assert [n for n, t in _parts(golden).items() if parts[n] != t] == ["xl/worksheets/sheet3.xml"]


def _edited(golden: Path, out: Path, part: str, old: bytes, new: bytes) -> Path:
    with zipfile.ZipFile(golden) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == part:
                assert old in data, (part, old)
                data = data.replace(old, new)
            zout.writestr(info, data)
    return out


def test_only_the_version_number_is_masked_in_the_parts_compared(tmp_path: Path) -> None:
    """Another govxl version in the file is no difference; any other change to the same parts still is."""
    assert re.fullmatch(VERSION, f"govxl {__version__}")  # the version govxl writes now is masked too
    golden = GOLDEN / "merged_2021.xlsx"
    with zipfile.ZipFile(golden) as z:
        found = re.search(VERSION.encode(), z.read("docProps/custom.xml"))
    assert found is not None
    written = found.group(0)  # the version the golden file was made with
    other = _edited(golden, tmp_path / "other.xlsx", "docProps/custom.xml", written, b"govxl 99.7.3rc1")
    assert _parts(other) == _parts(golden)
    for part in ("docProps/custom.xml", "xl/sharedStrings.xml"):  # where the version is written
        renamed = _edited(golden, tmp_path / "renamed.xlsx", part, written, written.replace(b"govxl", b"gov-xl"))
        assert [n for n, t in _parts(golden).items() if _parts(renamed)[n] != t] == [part]
