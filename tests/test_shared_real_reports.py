"""The shared real reports (data/real/shared/, see SOURCES.md there): every cell of every published form read as
transcribed, or its row named as one the rules cannot cut one way (R5); the tally errors exactly the published
ones (there are none: every report tallies); year and unit from the document; labels printed otherwise said."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from govxl.audit import AuditResult, audit
from govxl.layout import cell_index
from tests.shared_cases import CASES, case, expected, published_labels, sources

FORMS = [p for name in CASES for p in sources(name)]
TALLY = {"A1", "B1", "B2", "B3"}


@cache
def audited(path: Path) -> AuditResult:
    return audit(path)


def _number(value: float | str | None) -> float | None:
    """A published cell as govxl reads it: text with 元 is an amount converted to 万元 (C4 says so)."""
    if isinstance(value, str):
        return round(float(value.removesuffix("元")) / 10000, 10) if value.endswith("元") else None
    return value


def _wrong(result: AuditResult, name: str) -> dict[str, tuple[object, object]]:
    out = {}
    for key, value in expected(name).items():
        want, got = _number(value), result.values.get(key)
        if (want is None) != (got is None) or (want is not None and got is not None and abs(want - got) > 1e-6):
            out[key] = (want, got)
    return out


@pytest.mark.parametrize("path", FORMS, ids=[p.name for p in FORMS])
def test_every_cell_as_transcribed_or_its_row_named(path: Path) -> None:
    name = path.stem
    result = audited(path)
    assert result.edition.id == case(name)["edition"]
    index = cell_index(result.edition)

    def row(key: str) -> tuple[str, int]:
        lay, cell = index[key]
        return lay.sheet, cell.row

    named = {row(f.key) for f in result.findings if f.rule == "R5"}
    wrong = _wrong(result, name)
    assert {k: v for k, v in wrong.items() if row(k) not in named} == {}
    # a row the rules could not cut one way is read blank in the cells its cuts disagree on, never guessed
    assert all(got is None for _, got in wrong.values())


@pytest.mark.parametrize("path", FORMS, ids=[p.name for p in FORMS])
def test_tally_errors_are_the_published_ones(path: Path) -> None:
    """None of the thirteen reports breaks a tallying rule as published: none may be made up."""
    result = audited(path)
    assert [(f.rule, f.cell, f.message) for f in result.errors if f.rule in TALLY] == []
    assert [f.message for f in result.errors] == []


@pytest.mark.parametrize("path", FORMS, ids=[p.name for p in FORMS])
def test_year_and_unit_from_the_document(path: Path) -> None:
    name = path.stem
    result = audited(path)
    assert result.year == case(name)["year"]
    unit = case(name)["unit"].split("（")[0]
    # the OCR copy spells the county 沐阳 (its transcription gives the official 沭阳)
    assert result.unit.replace("沐阳", "沭阳") in unit or unit.startswith(result.unit), (result.unit, unit)


@pytest.mark.parametrize("path", FORMS, ids=[p.name for p in FORMS])
def test_labels_printed_otherwise_are_said(path: Path) -> None:
    """Each row printed with another label (old 规范性文件, the old single （六）其他处理, a typo) is named with the
    label printed and the row it was read into (R6)."""
    result = audited(path)
    said = {f.key.rsplit(".", 1)[0]: f.actual for f in result.findings if f.rule == "R6" and f.key}
    for row, printed in published_labels(path.stem).items():
        assert row in said, (row, printed)
        assert said[row].replace(" ", "") == printed


def test_hongze_words_against_the_table() -> None:
    """受理政府信息公开申请17件 in the words, 95 new applications in 表三: said (C12), quoted as printed."""
    for path in sources("2024-huaian-hongze"):
        (c12,) = [f for f in audited(path).findings if f.rule == "C12"]
        assert (c12.cell, c12.actual, c12.expected) == ("J5", "17", "95")
        assert "受理政府信息公开申请 17 件，" in c12.message


def test_no_words_against_the_table_where_they_agree() -> None:
    """沭阳县 受理749件 = 713 new + 36 carried over: 受理 counts both, no C12."""
    assert [f for f in audited(sources("2025-shuyang-xian")[0]).findings if f.rule == "C12"] == []


def test_the_old_single_other_row_is_read_into_its_leaf() -> None:
    for path in sources("2024-huaian-hongze"):
        result = audited(path)
        r6 = [f for f in result.findings if f.rule == "R6" and f.key.startswith("t3.other_3")]
        assert r6 and "旧格式的单行“（六）其他处理”" in r6[0].message
        missing = {f.key.rsplit(".", 1)[0] for f in result.findings if f.rule == "R2"}
        assert {"t3.other_1", "t3.other_2"} <= missing
