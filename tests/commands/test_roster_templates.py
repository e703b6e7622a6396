"""`govxl template --roster`: one file per unit, awkward names handled, problems reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from govxl.errors import InputError
from govxl.io import safe_file_stem
from govxl.read.roster import read_roster
from govxl.template import make_roster_templates
from tests.helpers import sheet_values

LONG = "某" * 200


def _roster(tmp_path: Path) -> Path:
    lines = [f"第{i}单位" for i in range(1, 26)]
    lines += ["发改委/物价局", "..", "../../逃逸", LONG, "第3单位", "", "  区教育局  ", "CON"]
    path = tmp_path / "名单.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_thirty_units_with_awkward_lines(tmp_path: Path) -> None:
    out = tmp_path / "模板"
    result = make_roster_templates(_roster(tmp_path), out, 2021)
    names = [u for u, _ in result.written]
    assert len(names) == 30 and "区教育局" in names and LONG in names and "../../逃逸" in names
    problems = {p.line: p.reason for p in result.roster.problems}
    assert problems == {27: "不是有效的单位名称，已跳过", 30: "与第3行重复，已跳过", 31: "空行，已跳过"}
    files = sorted(p.name for p in out.iterdir())
    assert len(files) == 30
    for _, path in result.written:
        assert path.parent == out.resolve() and path.exists()
    assert all(len(f) < 100 for f in files)
    assert not list(tmp_path.glob("逃逸*")) and not (tmp_path.parent / "逃逸").exists()
    # the full name is in the workbook even when the file name was shortened
    long_file = next(p for u, p in result.written if u == LONG)
    cover = sheet_values(long_file)["填报说明"]
    assert cover[2][1] == LONG
    assert {p.text for p in result.notes} == {"发改委/物价局", "../../逃逸", LONG, "CON"}


@pytest.mark.parametrize(
    ("name", "stem"),
    [("发改委/物价局", "发改委_物价局"), ("..", "_"), ("a:b*c?", "a_b_c_"), ("CON", "_CON"), ("区 局. ", "区 局")],
)
def test_safe_file_stem(name: str, stem: str) -> None:
    assert safe_file_stem(name) == stem


def test_roster_from_csv_and_xlsx(tmp_path: Path) -> None:
    csv = tmp_path / "名单.csv"
    csv.write_bytes("序号,单位名称\n1,区财政局\n2,区审计局\n3,\n".encode("gb18030"))
    r = read_roster(csv)
    assert r.units == ["区财政局", "区审计局"] and r.problems[0].line == 4

    import xlsxwriter

    xlsx = tmp_path / "名单.xlsx"
    wb = xlsxwriter.Workbook(str(xlsx))
    ws = wb.add_worksheet()
    ws.write_column(0, 0, ["单位名称", "区民政局", "区民政局"])
    wb.close()
    r = read_roster(xlsx)
    assert r.units == ["区民政局"] and "重复" in r.problems[0].reason


def test_roster_without_name_column(tmp_path: Path) -> None:
    csv = tmp_path / "x.csv"
    csv.write_text("名称\n区财政局\n", encoding="utf-8")
    with pytest.raises(InputError, match="找不到“单位名称”列"):
        read_roster(csv)


def test_missing_roster(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="找不到名单文件"):
        read_roster(tmp_path / "nope.txt")


def test_unit_names_that_look_like_formulas_stay_text(tmp_path: Path) -> None:
    import openpyxl

    roster = tmp_path / "r.txt"
    roster.write_text("=1+1\n+SUM(1)\n@cmd\n-2+3\n", encoding="utf-8")
    result = make_roster_templates(roster, tmp_path / "out", 2021)
    assert len(result.written) == 4
    for unit, path in result.written:
        cell = openpyxl.load_workbook(path)["填报说明"]["B3"]
        assert (cell.value, cell.data_type) == (unit, "s")


def test_names_the_copies_cannot_carry_are_built_and_long_emoji_names_fit_a_file_name(tmp_path: Path) -> None:
    """U+FFFE is written as _xFFFE_ by XlsxWriter, so that unit's template is built, not copied (a copy would
    be unreadable XML); 130 emoji (520 bytes) are shortened to a file name Linux and macOS accept."""
    import zipfile

    import openpyxl

    emoji = "区" + "😀" * 130 + "局"
    odd = "区\ufffe局"
    roster = tmp_path / "名单.txt"
    roster.write_text("\n".join(["区财政局", odd, emoji, "区教育局"]) + "\n", encoding="utf-8")
    result = make_roster_templates(roster, tmp_path / "模板", 2021)
    written = dict(result.written)
    assert set(written) == {"区财政局", odd, emoji, "区教育局"}
    assert len(written[emoji].name.encode("utf-8")) <= 255
    for path in written.values():
        openpyxl.load_workbook(path)  # well-formed XML in every one
        with zipfile.ZipFile(path) as z:
            assert b"\xef\xbf\xbe" not in z.read("xl/sharedStrings.xml")


def test_a_line_separator_inside_a_roster_line_does_not_split_the_unit(tmp_path: Path) -> None:
    path = tmp_path / "名单.txt"
    path.write_text("区\u2028财政局\n区教育局\n", encoding="utf-8")
    assert [u for u in read_roster(path).units] == ["区\u2028财政局", "区教育局"]
