"""The corpus of broken and hostile returns (tests/corpus/): each gets its own precise message."""

from __future__ import annotations

import importlib.util
import resource
import sys
import time
from pathlib import Path

import openpyxl
import pytest

from govxl.editions.rules import Severity
from govxl.merge import merge, write_outputs
from govxl.read.workbook import read_return
from govxl.results.figures import Figures
from govxl.results.findings import Finding
from tests.conftest import CORPUS, SAMPLES_2021

REFUSED = {
    "truncated.xlsx": ("F1", "无法读取：文件已损坏（可能没有完整发送或下载），请对方重新发送"),
    "csv_renamed.xlsx": (
        "F1",
        "无法读取：不是 Excel 文件（是文本或 CSV 文件被改成了 .xlsx 扩展名），请用 Excel 或 WPS 打开报表后另存为 .xlsx",
    ),
    "empty_workbook.xlsx": (
        "F2",
        "不是年报统计表：没有找到表二、表三、表四（请确认对方报送的是本次下发的模板）",
    ),
    "sheet_deleted.xlsx": ("F2", "缺少表三（三、收到和处理政府信息公开申请情况），无法汇总；请对方使用完整的模板填报"),
    "entity.xlsx": (
        "F1",
        "无法读取：文件中的“xl/workbook.xml”含有 XML 实体声明（DOCTYPE/ENTITY），可能是恶意构造的文件，已拒绝读取。",
    ),
    "external_entity.xlsx": (
        "F1",
        "无法读取：文件中的“xl/sharedStrings.xml”含有 XML 实体声明（DOCTYPE/ENTITY），"
        "可能是恶意构造的文件，已拒绝读取。",
    ),
    "zip_bomb.xlsx": ("F1", "无法读取：文件中的“xl/media/padding.bin”解压后异常巨大（疑似压缩炸弹），已拒绝读取。"),
    "million_rows.xlsx": (
        "F1",
        "无法读取：工作表“表四”有 1048576 行，远超年报统计表的正常范围，已拒绝读取（可能是损坏或恶意构造的文件）",
    ),
}


def _module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("make_corpus", CORPUS / "make_corpus.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_corpus"] = module
    spec.loader.exec_module(module)
    return module


def test_corpus_is_current(tmp_path: Path) -> None:
    fresh = _module().make(tmp_path)
    assert sorted(p.name for p in fresh) == sorted(p.name for p in CORPUS.glob("*.xlsx"))
    for p in fresh:
        assert (CORPUS / p.name).read_bytes() == p.read_bytes(), (
            f"{p.name} stale: run python tests/corpus/make_corpus.py"
        )


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused_with_its_reason(name: str) -> None:
    start = time.perf_counter()
    result = read_return(CORPUS / name)
    assert time.perf_counter() - start < 5  # refused before anything is expanded
    assert isinstance(result, Finding)
    assert (result.rule, result.message) == REFUSED[name]
    assert result.severity is Severity.ERROR


def test_refusals_stay_small_in_memory() -> None:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for name in ("zip_bomb.xlsx", "million_rows.xlsx", "entity.xlsx"):
        read_return(CORPUS / name)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 50


def test_all_values_as_text_are_read_with_hints() -> None:
    r = read_return(CORPUS / "all_text.xlsx")
    assert isinstance(r, Figures)
    converted = [c for c in r.cells.values() if c.severity is not None]
    assert len(converted) == len(r.cells) and all(c.severity is Severity.HINT for c in converted)
    assert all(c.message.startswith("数字“") for c in converted)


def test_unmerged_copy_reads_the_same() -> None:
    a, b = read_return(CORPUS / "all_text.xlsx"), read_return(CORPUS / "unmerged.xlsx")
    assert isinstance(a, Figures) and isinstance(b, Figures)
    assert {k: c.number for k, c in a.cells.items()} == {k: c.number for k, c in b.cells.items()}
    assert b.findings == ()


def test_hidden_rows_are_flagged() -> None:
    r = read_return(CORPUS / "hidden_rows.xlsx")
    assert isinstance(r, Figures)
    (f,) = r.findings
    assert (f.rule, f.severity, f.sheet, f.cell) == ("F14", Severity.HINT, "表三", "D7")
    assert f.message == "表三第7行被隐藏，其中的数字照常汇总，请取消隐藏后核对"


def test_other_edition_is_read_as_such() -> None:
    r = read_return(CORPUS / "other_edition.xlsx")
    assert isinstance(r, Figures) and r.edition.id == "2019" and r.year == 2021
    from govxl.errors import InputError

    with pytest.raises(InputError, match="套用旧模板"):
        merge([CORPUS / "other_edition.xlsx"])


def test_text_from_a_return_never_becomes_a_formula(tmp_path: Path) -> None:
    src = CORPUS / "formula_injection.xlsx"
    r = read_return(src)
    assert isinstance(r, Figures) and r.unit.startswith("=HYPERLINK")
    out = tmp_path / "汇总.xlsx"
    write_outputs(merge([src], name="+cmd|' /C calc'!A0"), out)
    wb = openpyxl.load_workbook(out)
    for ws in wb:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and ("HYPERLINK" in c.value or "cmd|" in c.value):
                    assert c.data_type == "s", (ws.title, c.coordinate, c.value)
    detail = wb["表三明细"]
    assert detail["B5"].value == '=HYPERLINK("http://x","a")' and detail["B5"].data_type == "s"


def test_macro_enabled_files_are_read_for_values_only(tmp_path: Path) -> None:
    import shutil
    import zipfile

    from govxl.check import check_files
    from govxl.excel.annotate import annotate_all

    src = SAMPLES_2021 / "区自然资源局.xlsx"
    xlsm = tmp_path / "区自然资源局.xlsm"
    shutil.copy(src, xlsm)
    with zipfile.ZipFile(xlsm, "a") as zf:
        zf.writestr("xl/vbaProject.bin", b'Attribute VB_Name = "AutoOpen"\nShell "calc.exe"\n')
    a, b = read_return(src), read_return(xlsm)
    assert isinstance(a, Figures) and isinstance(b, Figures)
    assert {k: c.number for k, c in a.cells.items()} == {k: c.number for k, c in b.cells.items()}
    (copy,), _ = annotate_all(check_files([xlsm]), tmp_path / "out")
    assert copy.suffix == ".xlsm"
    with zipfile.ZipFile(copy) as zf:
        assert "xl/vbaProject.bin" in zf.namelist()  # kept, never run


def _damaged(tmp_path: Path, name: str, change) -> Path:  # type: ignore[no-untyped-def]
    import zipfile

    src = SAMPLES_2021 / "区统计局.xlsx"
    with zipfile.ZipFile(src) as z:
        members = {i.filename: z.read(i) for i in z.infolist()}
    change(members)
    out = tmp_path / f"{name}.xlsx"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for member, data in members.items():
            z.writestr(member, data)
    return out


def _corrupt_crc(path: Path) -> Path:
    import struct
    import zipfile

    with zipfile.ZipFile(path) as z:
        info = z.getinfo("xl/worksheets/sheet2.xml")
    data = bytearray(path.read_bytes())
    name_length, extra_length = struct.unpack("<HH", data[info.header_offset + 26 : info.header_offset + 30])
    start = info.header_offset + 30 + name_length + extra_length
    data[start + info.compress_size // 2] ^= 0xFF  # one flipped byte inside the compressed sheet
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize(
    "damage",
    [
        lambda m: m.update({"xl/worksheets/sheet2.xml": m["xl/worksheets/sheet2.xml"][:3000]}),
        lambda m: m.pop("xl/sharedStrings.xml", None) or m.update({}),
        lambda m: m.pop("xl/_rels/workbook.xml.rels"),
        lambda m: m.update({"xl/sharedStrings.xml": m["xl/sharedStrings.xml"].replace(b"<t", b"<t>&n;</t><t", 1)}),
    ],
    ids=["truncated-sheet", "no-shared-strings", "no-workbook-rels", "unknown-entity"],
)
def test_a_damaged_file_is_explained_in_chinese_only(tmp_path: Path, damage) -> None:  # type: ignore[no-untyped-def]
    import re

    finding = read_return(_damaged(tmp_path, "坏", damage))
    assert not isinstance(finding, Figures)
    words = set(re.findall(r"[A-Za-z]{3,}", finding.message)) - {"xlsx", "Excel", "WPS"}
    assert words == set(), finding.message


def test_a_flipped_byte_is_explained_in_chinese(tmp_path: Path) -> None:
    import re

    from govxl.read.inbox import read_all

    path = _corrupt_crc(_damaged(tmp_path, "坏", lambda m: None))
    (finding,) = read_all([(path, str(path))])
    assert not isinstance(finding, Figures)
    assert set(re.findall(r"[A-Za-z]{3,}", finding.message)) - {"xlsx", "Excel", "WPS", "govxl"} == set()
