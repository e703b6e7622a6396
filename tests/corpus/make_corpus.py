"""Regenerate the corpus of broken and hostile returns in this folder.

    python tests/corpus/make_corpus.py

tests/test_corpus.py checks each file's exact message, and that this folder is current.
"""

from __future__ import annotations

import io
import random
import re
import sys
import zipfile
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

import xlsxwriter  # noqa: E402

from govxl.editions import edition_by_id  # noqa: E402
from govxl.excel.template_book import build_template  # noqa: E402
from govxl.synth import consistent_values  # noqa: E402
from tests.helpers import rewrite  # noqa: E402

NEW, OLD = edition_by_id("2021"), edition_by_id("2019")
UNIT = "区测试局"


def _base(path: Path, edition=NEW, year: int = 2021, **overrides: object) -> Path:  # type: ignore[no-untyped-def]
    values = consistent_values(edition, random.Random(42))
    values.update(overrides)  # type: ignore[arg-type]
    build_template(path, edition, year, unit=UNIT, values=values)
    return path


def _rezip(path: Path, change: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path) as zf:
        members = [(i, change.get(i.filename, zf.read(i.filename))) for i in zf.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in members:
            zf.writestr(info, data)


def _patch(path: Path, member: str, edit) -> None:  # type: ignore[no-untyped-def]
    with zipfile.ZipFile(path) as zf:
        data = zf.read(member)
    _rezip(path, {member: edit(data)})


def make(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    made = []

    def out(name: str) -> Path:
        made.append(folder / name)
        return folder / name

    tmp = folder / "_base.xlsx"
    _base(tmp)
    out("truncated.xlsx").write_bytes(tmp.read_bytes()[:4000])
    out("csv_renamed.xlsx").write_bytes("单位,数量\r\n区测试局,12\r\n".encode("gb18030"))

    wb = xlsxwriter.Workbook(str(out("empty_workbook.xlsx")))
    wb.set_properties({"created": datetime(2021, 1, 1)})
    wb.add_worksheet("Sheet1")
    wb.close()

    rewrite(tmp, out("sheet_deleted.xlsx"), drop=("表三",))
    rewrite(tmp, out("unmerged.xlsx"))  # values only: every merge and style gone

    all_text = {k: str(v) for k, v in consistent_values(NEW, random.Random(42)).items()}
    _base(out("all_text.xlsx"), **all_text)

    _base(out("hidden_rows.xlsx"))
    _patch(made[-1], "xl/worksheets/sheet3.xml", lambda x: x.replace(b'<row r="7" ', b'<row r="7" hidden="1" ', 1))

    _base(out("other_edition.xlsx"), OLD, 2021)

    _base(out("entity.xlsx"))
    _patch(
        made[-1],
        "xl/workbook.xml",
        lambda x: x.replace(
            b"?>", b'?><!DOCTYPE workbook [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>', 1
        ),
    )
    _base(out("external_entity.xlsx"))
    _patch(
        made[-1],
        "xl/sharedStrings.xml",
        lambda x: x.replace(b"?>", b'?><!DOCTYPE sst [<!ENTITY x SYSTEM "file:///etc/passwd">]>', 1),
    )

    bomb = out("zip_bomb.xlsx")
    bomb.write_bytes(tmp.read_bytes())
    buf = io.BytesIO()
    with zipfile.ZipFile(bomb) as zf:
        members = [(i, zf.read(i.filename)) for i in zf.infolist()]
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in members:
            zf.writestr(info, data)
        padding = zipfile.ZipInfo("xl/media/padding.bin", date_time=(1980, 1, 1, 0, 0, 0))
        zf.writestr(padding, b"\0" * (64 * 1024 * 1024), compress_type=zipfile.ZIP_DEFLATED)
    bomb.write_bytes(buf.getvalue())

    _base(out("million_rows.xlsx"))
    _patch(
        made[-1],
        "xl/worksheets/sheet4.xml",
        lambda x: re.sub(rb"</sheetData>", b'<row r="1048576"><c r="A1048576"><v>1</v></c></row></sheetData>', x),
    )

    _base(out("formula_injection.xlsx"))
    _patch(
        made[-1],
        "xl/sharedStrings.xml",
        lambda x: x.replace(UNIT.encode(), b"=HYPERLINK(&quot;http://x&quot;,&quot;a&quot;)", 1),
    )
    tmp.unlink()
    return made


if __name__ == "__main__":
    for p in make(HERE):
        print(p.name)
