"""Figures and a published report's reading are values: closed sets are enums that read and serialise as the
strings they were, findings are tuples that nobody appends to, and the reader hands its findings back."""

from __future__ import annotations

import dataclasses
import json
import pickle
from pathlib import Path

import openpyxl
import pytest

from govxl.audit import audit
from govxl.editions import EDITIONS
from govxl.excel.template_book import build_template
from govxl.read.lastyear import detail_rows
from govxl.read.reporttables import TablesRead, read_tables
from govxl.read.reporttext import report_texts
from govxl.read.reporttitle import report_edition, title_year_unit
from govxl.read.workbook import read_return
from govxl.results.figures import Figures, FiguresKind, UnitFrom
from tests.conftest import DATA, WrittenMerge

PAGE = DATA / "report_2021_qinghe.html"
REFERENCE = DATA / "reference_2020_xian.txt"  # its surplus values and misprinted labels are read with findings


def test_the_closed_sets_read_and_serialise_as_their_strings() -> None:
    assert [k.value for k in FiguresKind] == ["template", "merged", "unknown", "unit", "published"]
    assert [u.value for u in UnitFrom] == ["cover", "meta", "file name", "document", "row"]
    for member in [*FiguresKind, *UnitFrom]:
        assert member == member.value and f"{member}" == str(member) == member.value
        assert json.dumps({"kind": member}, ensure_ascii=False) == json.dumps({"kind": member.value})
        assert pickle.loads(pickle.dumps(member)) is member
        assert {member.value: True}.get(member) and hash(member) == hash(member.value)  # a key like its string


def test_every_reader_gives_enum_members_and_a_tuple_of_findings(tmp_path: Path, merged_2021: WrittenMerge) -> None:
    edition = EDITIONS[-1]
    filled, blank = tmp_path / "filled.xlsx", tmp_path / "blank.xlsx"
    build_template(filled, edition, 2025, unit="甲局")
    build_template(blank, edition, 2025)
    template = read_return(filled)
    unnamed = read_return(blank)
    totals = read_return(merged_2021.path)
    units = detail_rows(merged_2021.path, totals.edition) if isinstance(totals, Figures) else []
    published = audit(PAGE).figures
    assert isinstance(template, Figures) and isinstance(unnamed, Figures) and isinstance(totals, Figures)
    assert published is not None and units
    seen = [
        (template.kind, template.unit_from),
        (unnamed.kind, unnamed.unit_from),
        (totals.kind, totals.unit_from),
        (units[0].kind, units[0].unit_from),
        (published.kind, published.unit_from),
    ]
    assert seen == [
        (FiguresKind.TEMPLATE, UnitFrom.COVER),
        (FiguresKind.TEMPLATE, UnitFrom.FILE_NAME),
        (FiguresKind.MERGED, UnitFrom.COVER),
        (FiguresKind.UNIT, UnitFrom.ROW),
        (FiguresKind.PUBLISHED, UnitFrom.DOCUMENT),
    ]
    for r in (template, unnamed, totals, units[0], published):
        assert type(r.kind) is FiguresKind and type(r.unit_from) is UnitFrom
        assert isinstance(r.findings, tuple)
        with pytest.raises(dataclasses.FrozenInstanceError):
            r.findings = ()  # type: ignore[misc]


def test_a_workbook_govxl_did_not_make_is_unknown(tmp_path: Path) -> None:
    edition = EDITIONS[-1]
    made = tmp_path / "made.xlsx"
    build_template(made, edition, 2025, unit="甲局")
    book = openpyxl.load_workbook(made)
    for name in book.sheetnames:
        if book[name].sheet_state != "visible":
            del book[name]  # the hidden sheet that says what govxl wrote
    copied = tmp_path / "copied.xlsx"
    book.save(copied)
    r = read_return(copied)
    assert isinstance(r, Figures) and r.kind is FiguresKind.UNKNOWN


def test_the_reader_hands_back_its_findings_and_the_command_combines_them() -> None:
    (text,) = report_texts(REFERENCE)
    year, unit = title_year_unit(text.rows)
    edition, _ = report_edition(text.rows, year)
    first, again = read_tables(text, edition, unit), read_tables(text, edition, unit)
    assert isinstance(first, TablesRead) and isinstance(first.findings, tuple)
    assert first == again  # nothing kept between readings
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.findings = ()  # type: ignore[misc]
    result = audit(REFERENCE)
    read_rules = [f.rule for f in first.findings]
    assert read_rules and all(rule in [f.rule for f in result.findings] for rule in read_rules)
    assert result.assumptions == list(first.assumptions)
