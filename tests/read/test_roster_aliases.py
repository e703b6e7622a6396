"""A roster's other names of a unit (区财政局 = 牡丹江市西安区财政局；财政局, or a 其他名称 column): a return whose
cover names one counts as that roster unit's, said in a 提示; an other name that is another unit's is refused in words.
The merged workbook is read with python-calamine, not with govxl."""

from __future__ import annotations

from pathlib import Path

import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from govxl.apps.cli import app
from govxl.editions import edition_for_year
from govxl.errors import InputError
from govxl.excel.template_book import build_template
from govxl.merge import Status, merge
from govxl.read.roster import read_roster
from govxl.template import template_file_name
from tests.servekit import YEAR, govxl_cli, return_values

LICENSING = "t2.licensing.decisions"  # 表二 行政许可


def licensing_return(path: Path, unit: str, licensing: int) -> Path:
    values = return_values(3)
    values[LICENSING] = licensing
    build_template(path, edition_for_year(YEAR), YEAR, unit=unit, values=values)
    return path


def workbook(path: Path) -> tuple[dict[str, str], dict[str, object], list[str]]:
    """From a merged workbook: each unit's status (汇总说明), its 行政许可 (表二明细), and the 校验结果 lines."""
    book = CalamineWorkbook.from_path(str(path))
    notes = book.get_sheet_by_name("汇总说明").to_python()
    statuses = {str(row[1]): str(row[2]) for row in notes if len(row) > 2 and row[2] in vars(Status).values()}
    rows = book.get_sheet_by_name("表二明细").to_python()
    column = next(j for row in rows[:4] for j, cell in enumerate(row) if cell == "行政许可")
    figures = {row[1]: row[column] for row in rows[4:] if len(row) > column and isinstance(row[1], str) and row[1]}
    findings = [" ".join(str(c) for c in row) for row in book.get_sheet_by_name("校验结果").to_python()]
    return statuses, figures, findings


@pytest.fixture
def returns(tmp_path: Path) -> Path:
    folder = tmp_path / "回收"
    folder.mkdir()
    licensing_return(folder / "财政.xlsx", "牡丹江市西安区财政局", 41)
    licensing_return(folder / "教育.xlsx", "区教育局", 7)
    return folder


def test_a_return_under_another_name_of_a_roster_unit_counts_as_that_unit(tmp_path: Path, returns: Path) -> None:
    """A cover naming a roster unit's other name counts as that unit, said as F18."""
    roster = tmp_path / "名单.txt"
    roster.write_text("区财政局 = 牡丹江市西安区财政局；财政局\n区教育局\n", encoding="utf-8")
    out = tmp_path / "汇总.xlsx"
    result = CliRunner().invoke(app, ["merge", str(returns), "--roster", str(roster), "-o", str(out)])
    assert result.exit_code == 0, result.output
    statuses, figures, findings = workbook(out)
    assert statuses == {"区财政局": Status.MERGED, "区教育局": Status.MERGED}
    assert figures == {"区财政局": 41, "区教育局": 7}
    said = (
        "报表封面的“填报单位”是“牡丹江市西安区财政局”，是名单中“区财政局”的其他名称（名单第1行），"
        "已作为“区财政局”的报表计入汇总"
    )
    assert any(said in line and "区财政局" in line for line in findings)
    assert not any("不在单位名单中" in line or "缺报" in line for line in findings)


def test_without_the_other_name_the_same_return_is_not_on_the_roster(tmp_path: Path, returns: Path) -> None:
    roster = tmp_path / "名单.txt"
    roster.write_text("区财政局\n区教育局\n", encoding="utf-8")
    result = merge([returns], roster=roster)
    lines = {line.unit: line.status for line in result.lines}
    assert lines == {
        "区财政局": Status.MISSING,
        "区教育局": Status.MERGED,
        "牡丹江市西安区财政局": Status.NOT_ON_ROSTER,
    }


def test_two_returns_of_one_unit_under_its_names_are_duplicates(tmp_path: Path, returns: Path) -> None:
    licensing_return(returns / "财政2.xlsx", "财政局", 40)
    roster = tmp_path / "名单.txt"
    roster.write_text(
        "区财政局 ＝ 牡丹江市西安区财政局; 财政局\n区教育局\n", encoding="utf-8"
    )  # full-width ＝, half-width ;
    result = merge([returns], roster=roster)
    line = next(line for line in result.lines if line.unit == "区财政局")
    assert line.status == Status.DUPLICATE and len(line.files) == 2
    duplicates = [f for f in result.findings if f.rule == "F3"]
    assert len(duplicates) == 2 and all("同一填报单位“区财政局”有2份报表" in f.message for f in duplicates)


def test_a_workbook_roster_gives_other_names_in_its_column(tmp_path: Path, returns: Path) -> None:
    roster = tmp_path / "名单.xlsx"
    wb = xlsxwriter.Workbook(str(roster))
    sheet = wb.add_worksheet()
    for r, row in enumerate(
        [("序号", "单位名称", "其他名称"), (1, "区财政局", "牡丹江市西安区财政局；财政局"), (2, "区教育局", "")]
    ):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    wb.close()
    assert read_roster(roster).aliases == {"区财政局": ["牡丹江市西安区财政局", "财政局"]}
    result = merge([returns], roster=roster)
    assert {line.unit: line.status for line in result.lines} == {"区财政局": Status.MERGED, "区教育局": Status.MERGED}
    csv_roster = tmp_path / "名单.csv"
    csv_roster.write_text("单位名称,其他名称\r\n区财政局,牡丹江市西安区财政局\r\n区教育局,\r\n", encoding="utf-8-sig")
    assert [u.unit for u in merge([returns], roster=csv_roster).units] == ["区财政局", "区教育局"]


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("区财政局 = 区教育局\n区教育局\n", "第1行：“区财政局”的其他名称“区教育局”已是名单中第2行的单位“区教育局”"),
        ("区财政局 = 财政\n区教育局 = 财政\n", "第2行：“区教育局”的其他名称“财政”已是名单中第1行“区财政局”的其他名称"),
    ],
)
def test_an_other_name_belonging_to_another_unit_is_refused_in_words(
    tmp_path: Path, returns: Path, text: str, said: str
) -> None:
    roster = tmp_path / "名单.txt"
    roster.write_text(text, encoding="utf-8")
    result = govxl_cli("merge", str(returns), "--roster", str(roster), "-o", "汇总.xlsx", cwd=tmp_path)
    assert result.returncode == 2
    assert said in result.stderr + result.stdout and "一个名称只能属于一个单位" in result.stderr + result.stdout
    assert "Traceback" not in result.stderr and not (tmp_path / "汇总.xlsx").exists()
    with pytest.raises(InputError, match=said):
        read_roster(roster)


def test_odd_other_names_are_listed_and_a_line_beginning_with_the_mark_is_a_name(tmp_path: Path) -> None:
    roster = tmp_path / "名单.txt"
    roster.write_text("区财政局 = 区财政局；——；财政局；\n=1+1\n区财政局 = 财政\n", encoding="utf-8")
    read = read_roster(roster)
    assert read.units == ["区财政局", "=1+1"]
    assert read.aliases == {"区财政局": ["财政局"]}
    reasons = [(p.line, p.reason) for p in read.problems]
    assert reasons == [
        (1, "“区财政局”的其他名称“区财政局”与该单位的名称或其他名称重复，已跳过"),
        (1, "“区财政局”的其他名称“——”不是有效的单位名称，已跳过"),
        (3, "与第1行重复，已跳过（其中的其他名称也未采用）"),
    ]


def test_templates_of_a_roster_with_other_names_carry_the_roster_names(tmp_path: Path) -> None:
    roster = tmp_path / "名单.txt"
    roster.write_text("区财政局 = 牡丹江市西安区财政局\n区教育局\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["template", "-y", str(YEAR), "--roster", str(roster), "-o", str(tmp_path / "t")])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "t").iterdir())
    assert names == sorted(template_file_name(YEAR, unit) for unit in ("区财政局", "区教育局"))
