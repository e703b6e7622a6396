"""The Word report opens in LibreOffice Writer and keeps its tables."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from govxl.merge import merge, write_outputs
from govxl.publish import write_report
from tests.conftest import ROOT
from tests.lo import convert

pytestmark = pytest.mark.libreoffice


def test_docx_opens_in_libreoffice(tmp_path: Path) -> None:
    merged = tmp_path / "西安区.xlsx"
    write_outputs(merge([ROOT / "samples" / "2020西安区"], name="西安区", when=datetime(2021, 1, 10)), merged)
    docx = write_report(merged, tmp_path / "年报表格.docx")
    (html,) = convert([docx], tmp_path / "lo", to="html")
    text = html.read_text(encoding="utf-8", errors="replace")
    note = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    for expected in ("第二十条第（九）项", "6733.41375", "8086", note):
        assert expected in text
    assert text.count("<table") >= 3
