"""A published report's edition, year and unit, from its title, its period sentence, its issuer or signature."""

from __future__ import annotations

import contextlib
import itertools
import re

from govxl.editions import EDITIONS, edition_for_year
from govxl.editions.model import Edition
from govxl.errors import InputError, UsageError
from govxl.read.documents import Row
from govxl.read.reportsplit import MIN_LABELS, ORGAN, TITLE, TITLE_NO_YEAR
from govxl.read.vocabulary import clean, edition_labels
from govxl.read.workbook import norm
from govxl.sheetnames import UNIT_LABEL

_UNIT_JUNK = re.compile(r"^.*[>＞»|｜_:：]")


def report_edition(rows: list[Row], year: int | None) -> tuple[Edition, list[str]]:
    """The edition whose own labels the document carries most; and the other edition's labels found in it."""
    texts = {clean(c) for row in rows for c in row if c.strip()}
    labels = {e.id: edition_labels(e) for e in EDITIONS}
    own = {e.id: labels[e.id] - set().union(*(v for k, v in labels.items() if k != e.id)) for e in EDITIONS}
    hits = {e.id: sorted(own[e.id] & texts) for e in EDITIONS}
    if len(set().union(*labels.values()) & texts) < MIN_LABELS:  # "规章 1 2 3" alone is no report
        raise InputError("文件中没有找到政府信息公开工作年度报告的统计表（表二、表三、表四），请确认文件内容")
    best = max(EDITIONS, key=lambda e: len(hits[e.id]))
    if sum(len(h) == len(hits[best.id]) for h in hits.values()) > 1 and year is not None:
        with contextlib.suppress(UsageError):
            best = edition_for_year(year)
    others = [t for e in EDITIONS if e is not best for t in hits[e.id]]
    return best, others


def title_year_unit(rows: list[Row]) -> tuple[int | None, str]:
    """The report year and unit from the document: the title ("牡丹江市西安区2020年政府信息公开工作年度报告"),
    else the statistics period sentence for the year, and 发布机关, "由…编制" or the signature for the unit."""
    year, unit = None, ""
    lines = [clean("".join(row)) for row in rows[:80]]
    wrapped = [a + b for a, b in itertools.pairwise(lines)]  # a title set over two lines (PDF, narrow pages)
    for i, text in enumerate([*lines, *wrapped]):
        m = TITLE.search(text) if len(text) <= 80 else None
        if m:
            year = int(m.group("year"))
            unit = _UNIT_JUNK.sub("", text[: m.start()]) or m.group("after")
            above = lines[i - 1] if 0 < i < len(lines) else ""
            if not unit and len(above) <= 30 and ORGAN.search(above):  # the unit on the line above the title
                unit = above
            break
    else:  # a title without the year: "某某局政府信息公开工作年度报告"
        m = next((m for t in lines if len(t) <= 60 and (m := TITLE_NO_YEAR.search(t))), None)
        unit = re.sub(r"年度?$", "", _UNIT_JUNK.sub("", m.group("unit"))) if m else ""  # "…办公室年度政府信息…"
    if year is None:
        year = _period_year(rows)
    unit = unit.strip("，,。（）() ") or _unit_line(rows) or _issuer(rows) or _compiled_by(rows) or _signature(rows)
    return year, unit.strip("，,。（）() ")


_PERIOD = re.compile(r"统计(?:期限|时限|期间|时间|区间)[^0-9]{0,4}(?P<year>(?:19|20)\d{2})年0?1月0?1日")
_ISSUER = re.compile(
    r"^(?:发布机关|发布机构|发布单位|发布部门|发文机关|发文单位|信息来源|来源)[:：]"
    r"(?P<unit>[^|]{2,40}?)(?:发布|成文|日期|时间|$)"
)
_COMPILED_BY = re.compile(r"由(?P<unit>[^，。,；;、（(由]{2,30}?)(?:负责)?(?:编制|综合|汇总|编写|起草)")
_DATE_LINE = re.compile(r"^(?:19|20)\d{2}年\d{1,2}月\d{1,2}日$")


def _unit_line(rows: list[Row]) -> str:
    """填报单位：… (a report written from a govxl template)."""
    label = norm(UNIT_LABEL)
    for row in rows[:80]:
        text = clean("".join(row))
        if text.startswith(label):
            return text[len(label) :].lstrip(":：")
    return ""


def _period_year(rows: list[Row]) -> int | None:
    """统计期限自2021年1月1日起至2021年12月31日止."""
    for row in rows[:120]:
        m = _PERIOD.search(clean("".join(row)))
        if m:
            return int(m.group("year"))
    return None


def _issuer(rows: list[Row]) -> str:
    """发布机关：某某区人民政府办公室 (the page's metadata line)."""
    for row in rows:
        m = _ISSUER.match(clean(" ".join(row)))
        if m and ORGAN.search(m.group("unit")):
            return m.group("unit")
    return ""


def _compiled_by(rows: list[Row]) -> str:
    """ "本报告由某某区人民政府办公室编制" in the opening paragraph."""
    for row in rows[:40]:
        m = _COMPILED_BY.search(clean("".join(row)))
        if m and ORGAN.search(m.group("unit")):
            return m.group("unit")
    return ""


def _signature(rows: list[Row]) -> str:
    """The organ's name above the date that closes the report."""
    lines = [t for t in (clean("".join(row)) for row in rows[-30:]) if t]
    for above, below in reversed(list(itertools.pairwise(lines))):
        if _DATE_LINE.match(below) and len(above) <= 30 and ORGAN.search(above):
            return above
    return ""
