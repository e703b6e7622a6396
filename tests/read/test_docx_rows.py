"""Word files of real reports read into rows (govxl/read/docxrows.py); see data/real/word/SOURCES.md."""

from __future__ import annotations

from pathlib import Path

import pytest

from govxl.audit import audit
from govxl.read.documents import document_rows
from tests.read.test_pdf_rows import REFERENCE, expected_values

WORD = Path(__file__).resolve().parents[1] / "data" / "real" / "word"
JIAOTONG = ["libreoffice", "in-layout-table", "in-content-control"]


@pytest.mark.parametrize("form", JIAOTONG)
def test_jiaotong_reads_every_cell_as_transcribed(form: str) -> None:
    """The report's tables inside a layout table's cell, or inside a content control, read as in the plain file."""
    result = audit(WORD / f"2025-pingtan-jiaotong.{form}.docx")
    assert (result.read_as, result.year, result.unit) == ("Word", 2025, "平潭综合实验区交通与建设局")
    expected = expected_values("2025-pingtan-jiaotong")
    assert {k: (v, result.values.get(k)) for k, v in expected.items() if result.values.get(k) != v} == {}
    assert result.errors == []


def test_tab_separated_paragraphs_are_cells() -> None:
    """The reference report's text as Word paragraphs, cells set apart by tabs: cut at the tabs as the text is,
    so it reads to the same cells and findings as the text itself."""
    rows, _ = document_rows(WORD / "2020-xian-reference.libreoffice.docx")
    assert ["规章", "0", "0", "0"] in rows
    word, text = audit(WORD / "2020-xian-reference.libreoffice.docx"), audit(REFERENCE)
    assert word.values == text.values
    assert [(f.rule, f.cell) for f in word.findings] == [(f.rule, f.cell) for f in text.findings]
