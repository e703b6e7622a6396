"""Where one report ends and the next begins in a file that holds several (a district's report followed by a
department's), and the report titles that mark them."""

from __future__ import annotations

import itertools
import re

from govxl.editions import EDITIONS
from govxl.layout import layouts
from govxl.normalize import is_value_like
from govxl.read.documents import Row
from govxl.read.vocabulary import clean
from govxl.read.workbook import norm

MIN_LABELS = 5  # distinct table labels a document must carry to be read as a report (表二 alone has more)
TITLE = re.compile(r"(?P<year>(?:19|20)\d{2})年度?(?P<after>.*?)政府信息公开(?:工作)?年度报告")
TITLE_NO_YEAR = re.compile(r"^(?P<unit>[^0-9，。]{2,40}?)政府信息公开(?:工作)?年度报告$")
ORGAN = re.compile(r"(?:政府|办公室|办公厅|委员会|局|委|办|厅|院|署|处|中心|街道办事处|街道|镇|乡|所|站|队|会)$")


def split_reports(rows: list[Row]) -> list[list[Row]]:
    """The rows of each report in a file: a new report where a table title comes again after the tables
    (表二 after 表三 or 表四), from the report title above it when there is one."""
    starts = [0]
    seen: set[str] = set()
    titles = {norm(lay.table.title): lay.table.key for e in EDITIONS for lay in layouts(e)}
    # rows with figures before each row, counted once as far as needed: a count from the report's start at each
    # repeated title made a file of thousands of 表二 titles quadratic
    with_figures = [0]
    for i, row in enumerate(rows):
        texts = [t for t in (clean(c) for c in row) if t]
        key = titles.get(texts[0]) if len(texts) == 1 else None
        if key is None:
            continue
        if key in seen and key == "t2":
            counted = len(with_figures) - 1
            with_figures += itertools.accumulate(map(_has_figures, rows[counted:i]), initial=with_figures[-1])
            del with_figures[counted + 1]  # the initial count, already there
        if key in seen and key == "t2" and with_figures[i] - with_figures[starts[-1]] >= MIN_LABELS:
            start = next((j for j in range(i - 1, starts[-1], -1) if is_report_title(rows[j])), i)
            above = clean("".join(rows[start - 1])) if start - 1 > starts[-1] else ""
            if start < i and len(above) <= 30 and ORGAN.search(above):  # the title set over two lines
                start -= 1
            starts.append(start)
            seen = set()
        seen.add(key)
    return [rows[a:b] for a, b in itertools.pairwise([*starts, len(rows)])]


def _has_figures(row: Row) -> bool:
    """Whether a row holds figures: a few such rows tell tables from their titles alone (a table of contents)."""
    return any(c.strip() and is_value_like(c) for c in row)


def is_report_title(row: Row) -> bool:
    text = clean("".join(row))
    return len(text) <= 80 and bool(TITLE.search(text) or TITLE_NO_YEAR.search(text))
