"""Published reports crafted to be slow to read (a hostile page, a clerk's runaway paste): each is read in time
linear in its size. Each case took many seconds, or hours at a few MB, before its fix; each must now take under
2 s of processor time."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from govxl.audit import audit
from govxl.read.documents import html_rows
from govxl.read.pdflines import without_page_numbers
from govxl.read.reportsplit import split_reports
from govxl.read.roster import near_pairs, read_roster
from govxl.unitnames import unit_key
from tests.conftest import DATA

REFERENCE = DATA / "reference_2020_xian.txt"


def _seconds(work: Callable[[], object]) -> float:
    start = time.process_time()
    work()
    return time.process_time() - start


def test_a_table_of_many_rows_is_laid_out_in_linear_time() -> None:
    """30,000 one-cell rows (270 KB): each row's width was found by a pass over every cell (18 s)."""
    page = "<html><table>" + "<tr><td>1" * 30_000
    assert _seconds(lambda: html_rows(page)) < 2
    assert len(html_rows(page)) == 30_000


def test_a_row_of_thousands_of_surplus_values_is_read_in_linear_time(tmp_path: Path) -> None:
    """A row of 40,000 values where the table has 3 (80 KB): each kept value was looked for among the dropped
    ones (27 s)."""
    text = REFERENCE.read_text(encoding="utf-8")
    assert "规章\t0\t0\t0" in text
    path = tmp_path / "report.txt"
    path.write_text(text.replace("规章\t0\t0\t0", "规章\t0\t0\t" + "0 " * 40_000), encoding="utf-8")
    assert _seconds(lambda: audit(path)) < 2


def test_a_file_of_thousands_of_table_titles_is_split_in_linear_time() -> None:
    """5,000 lines of the 表二 title (a hostile page, a table of contents pasted again and again): at each one the
    rows with figures were counted again from the report's start (35 s)."""
    rows = [["二、主动公开政府信息情况"]] * 5_000
    assert _seconds(lambda: split_reports(rows)) < 2
    assert split_reports(rows) == [rows]


def test_a_title_again_after_the_tables_still_starts_a_report() -> None:
    """The count kept as the rows are read splits where the count from the start did: the second report from its
    title, and not at a 表二 title with fewer than five rows of figures before it."""
    title, t2, figures = ["2020年政府信息公开工作年度报告"], ["二、主动公开政府信息情况"], [["规章", "0", "0", "1"]] * 5
    first = [title, t2, *figures]
    assert split_reports([*first, title, t2, *figures]) == [first, [title, t2, *figures]]
    short = [t2, *figures[:4], t2, *figures]
    assert split_reports(short) == [short]


def test_a_row_of_a_huge_span_of_empty_cells_is_fitted_in_linear_time(tmp_path: Path) -> None:
    """A label, 300,000 tabs, a value (300 KB): the empty cells before the values were dropped one at a time from
    the front of the row (6 s)."""
    text = REFERENCE.read_text(encoding="utf-8")
    path = tmp_path / "report.txt"
    path.write_text(text.replace("规章\t0\t0\t0", "规章" + "\t" * 300_000 + "0"), encoding="utf-8")
    assert _seconds(lambda: audit(path)) < 2


def test_a_roster_line_of_thousands_of_brackets_is_read_in_linear_time(tmp_path: Path) -> None:
    """A name followed by 30,000 remarks （章）, and one followed by 30,000 opening brackets 《 (about 100 KB each):
    each remark was searched for from the name's start, and each bracket tried as the start of one (20 s)."""
    path = tmp_path / "名单.txt"
    path.write_text("区财政局" + "（章）" * 30_000 + "\n区教育局" + "《" * 30_000 + "\n", encoding="utf-8")
    assert _seconds(lambda: read_roster(path)) < 2
    assert [unit_key(u) for u in read_roster(path).units] == ["区财政局", "区教育局"]


def test_trailing_remarks_are_cut_as_before() -> None:
    """Remarks are cut from the end, each at its leftmost opening bracket; a remark that is the whole name, or
    without a remark word, or with round brackets inside, stays."""
    assert unit_key("区财政局（盖章）（更正）") == unit_key("区财政局[终稿]") == "区财政局"
    assert unit_key("区财政局(《条例》修订版)") == "区财政局"
    assert unit_key("区财政局（第二）") == "区财政局第二"
    assert unit_key("区财政局((盖章)x)") == "区财政局盖章x"
    assert unit_key("（盖章）") == "盖章"


def _line(text: str, top: float) -> list[dict]:  # type: ignore[type-arg]
    return [{"text": t, "top": top, "bottom": top + 10, "x0": i, "x1": i + 1} for i, t in enumerate(text)]


def test_a_pdf_line_of_thousands_of_characters_is_read_in_linear_time() -> None:
    """A PDF line of 30,000 characters: its extent was found again over all its characters for each one (minutes);
    a bottom line of a number, 60,000 spaces and a dash: the page-number pattern tried every split of the spaces
    between two runs of spaces (6 s). Neither is a page number; "- 3 -" at the bottom still is."""
    long, spaced, number = "规" * 30_000, "1" + " " * 60_000 + "-x", "- 3 -"
    for text in (long, spaced):
        chars = _line(text, 800)
        assert _seconds(lambda chars=chars: without_page_numbers(chars, 842)) < 2
        assert len(without_page_numbers(chars, 842)) == len(text)
    assert without_page_numbers(_line(number, 800), 842) == []


@pytest.mark.parametrize("mark", ["<!--", "</", "<?"])
def test_a_page_of_thousands_of_unclosed_marks_is_parsed_in_linear_time(mark: str) -> None:
    """A page that ends in 100,000 comments, end tags or processing instructions never closed (no ">" after them):
    CPython's parser before 3.11.13 tried each again to the page's end when the page was closed (a minute for
    comments, 3 s for the others). The table before them is still read."""
    page = "<html><table><tr><td>规章</td><td>1</td></tr></table>" + mark * 100_000
    assert _seconds(lambda: html_rows(page)) < 2
    assert html_rows(page)[0] == ["规章", "1"]


def test_two_long_names_are_compared_in_linear_time() -> None:
    """A roster name and a cover's name of 5,000 characters each: their edit distance was computed in full, though
    only whether it is at most 2 matters (6 s a pair)."""
    name, other, near = "区" + "甲" * 5_000, "区" + "乙" * 5_000, "区" + "甲" * 4_999 + "乙"
    assert _seconds(lambda: near_pairs([name], [other, near])) < 2
    assert near_pairs([name], [other, near]) == [(name, near)]
    assert near_pairs(["区财政局"], ["区财攻局", "县公安局"]) == [("区财政局", "区财攻局")]


def test_a_page_of_cells_spanning_200_rows_and_columns_is_laid_out_in_bounded_time() -> None:
    """1,000 cells in a row, each spanning 200 rows and 200 columns (30 KB): 40 million positions laid out (a
    minute; a few MB of them, hours and gigabytes). Past a page's budget of spanned positions, spans are read as 1;
    every cell's text is kept."""
    page = "<html><table><tr>" + "<td rowspan=200 colspan=200>1" * 1_000
    assert _seconds(lambda: html_rows(page)) < 2
    assert sum(row.count("1") for row in html_rows(page)) == 1_000
