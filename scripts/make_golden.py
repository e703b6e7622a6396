"""Regenerate the golden files of tests/test_golden.py — only on purpose, after reviewing the change.

    python scripts/make_golden.py

Writes tests/golden/merged_2021.xlsx (the 2021 samples merged with their roster) and
tests/golden/annotated_区自然资源局.xlsx (the annotated copy of one return). Open both in Excel or
LibreOffice and look at them before committing: the tests compare every XML part against these.

Beside them, one small text file per feature (SMALL below), short enough to read in a review: a template's
one sheet, an annotated cell's note, a report's one table, a merged workbook's findings. A change to one
feature then shows in its own file, not somewhere inside a large workbook.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from govxl.check import check_files  # noqa: E402
from govxl.excel.annotate import annotate_all  # noqa: E402
from govxl.merge import merge, write_outputs  # noqa: E402
from govxl.publish import write_report  # noqa: E402
from govxl.read.xlsxparts import sheet_parts  # noqa: E402
from govxl.template import make_template  # noqa: E402

GOLDEN = ROOT / "tests" / "golden"
SAMPLES = Path("samples") / "2021"  # relative, as a clerk types it: file names in the outputs do not depend on
# where the repository is checked out (run from the repository's root; main() goes there)
ANNOTATED_SOURCE = "区自然资源局.xlsx"
WHEN = datetime(2022, 1, 10, 9, 0)  # the time the golden merges are said to be made


def merged(path: Path) -> Path:
    result = merge([SAMPLES], roster=SAMPLES / "单位名单.txt", name="某区", when=WHEN)
    write_outputs(result, path)
    return path


def annotated(path: Path) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        (copy,), _ = annotate_all(check_files([SAMPLES / ANNOTATED_SOURCE]), Path(tmp))
        path.write_bytes(copy.read_bytes())
    return path


def template_sheet() -> str:
    """The 表三 worksheet of a blank 2021 template, one XML element per line: labels, formulas, check cells."""
    with tempfile.TemporaryDirectory() as tmp:
        path = make_template(Path(tmp) / "模板.xlsx", 2021)
        with zipfile.ZipFile(path) as zf:
            xml = zf.read(sheet_parts(zf)["表三"]).decode("utf-8")
    return xml.replace("><", ">\n<") + "\n"


def annotated_note() -> str:
    """The note govxl puts on 表四!E5 of 区自然资源局's return (总计 typed 3 where its parts add to 4)."""
    import openpyxl

    with tempfile.TemporaryDirectory() as tmp:
        copy = annotated(Path(tmp) / "copy.xlsx")
        cell = openpyxl.load_workbook(copy)["表四"]["E5"]
        assert cell.comment is not None
        return f"{cell.comment.author}\n{cell.comment.text}\n"


def report_table() -> str:
    """The 表三 of the Markdown report of 牡丹江市西安区's 2020 returns (the figures its report published)."""
    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "西安区.xlsx"
        write_outputs(merge([Path("samples") / "2020西安区"], name="西安区", when=WHEN), book)
        text = write_report(book, Path(tmp) / "报告.md").read_text(encoding="utf-8")
    found = re.search(r"^## 三、.*?(?=^## )", text, re.M | re.S)
    assert found is not None
    return found.group(0)


def merged_findings() -> str:
    """The 校验结果 sheet of the merged 2021 samples, one row per line, cells separated by tabs."""
    from python_calamine import CalamineWorkbook

    with tempfile.TemporaryDirectory() as tmp:
        rows = CalamineWorkbook.from_path(str(merged(Path(tmp) / "汇总.xlsx"))).get_sheet_by_name("校验结果")
        return "".join("\t".join(str(v) for v in row).rstrip("\t") + "\n" for row in rows.to_python())


# One small file per feature: name in tests/golden -> what writes its text.
SMALL: dict[str, Callable[[], str]] = {
    "template_2021_表三.xml": template_sheet,
    "annotated_区自然资源局_表四E5.txt": annotated_note,
    "report_2020西安区_表三.md": report_table,
    "merged_2021_校验结果.tsv": merged_findings,
}


def main() -> None:
    os.chdir(ROOT)
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for written in (merged(GOLDEN / "merged_2021.xlsx"), annotated(GOLDEN / "annotated_区自然资源局.xlsx")):
        print(written.relative_to(ROOT))
    for name, make in SMALL.items():
        (GOLDEN / name).write_text(make(), encoding="utf-8", newline="\n")
        print((GOLDEN / name).relative_to(ROOT))


if __name__ == "__main__":
    main()
