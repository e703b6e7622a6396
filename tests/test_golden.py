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


def _parts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i).decode("utf-8") for i in z.infolist() if i.filename not in IGNORED_PARTS}
    return {name: re.sub(r"govxl \d+\.\d+\.\d+\S*", "govxl VERSION", text) for name, text in parts.items()}


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
    assert __version__  # the version is masked, not ignored, in the parts compared
