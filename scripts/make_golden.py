"""Regenerate the golden files of tests/test_golden.py — only on purpose, after reviewing the change.

    python scripts/make_golden.py

Writes tests/golden/merged_2021.xlsx (the 2021 samples merged with their roster) and
tests/golden/annotated_区自然资源局.xlsx (the annotated copy of one return). Open both in Excel or
LibreOffice and look at them before committing: the tests compare every XML part against these.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from govxl.annotate import annotate_all  # noqa: E402
from govxl.check import check_files  # noqa: E402
from govxl.merge import merge, write_outputs  # noqa: E402

GOLDEN = ROOT / "tests" / "golden"
SAMPLES = Path("samples") / "2021"  # relative, as a clerk types it: file names in the outputs do not depend on
# where the repository is checked out (run from the repository's root; main() goes there)
ANNOTATED_SOURCE = "区自然资源局.xlsx"


def merged(path: Path) -> Path:
    result = merge([SAMPLES], roster=SAMPLES / "单位名单.txt", name="某区", when=datetime(2022, 1, 10, 9, 0))
    write_outputs(result, path)
    return path


def annotated(path: Path) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        (copy,), _ = annotate_all(check_files([SAMPLES / ANNOTATED_SOURCE]), Path(tmp))
        path.write_bytes(copy.read_bytes())
    return path


def main() -> None:
    os.chdir(ROOT)
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for written in (merged(GOLDEN / "merged_2021.xlsx"), annotated(GOLDEN / "annotated_区自然资源局.xlsx")):
        print(written.relative_to(ROOT))


if __name__ == "__main__":
    main()
