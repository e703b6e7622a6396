"""Small golden files, one per feature, beside the two large ones: a template's 表三 sheet, the note on one
annotated cell, the report's 表三, the findings of a merge. Each is short enough to review as text; regenerate
them only on purpose (``python scripts/make_golden.py``) and read the diff before committing.
"""

from __future__ import annotations

import difflib

import pytest

from tests.conftest import GOLDEN, ROOT
from tests.helpers import load_script

MAKER = load_script("scripts/make_golden.py")
LARGE = {"merged_2021.xlsx", "annotated_区自然资源局.xlsx"}  # compared part by part in test_golden.py


@pytest.mark.parametrize("name", sorted(MAKER.SMALL))
def test_feature_equals_its_reviewed_golden_file(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # the samples are named relative to the repository, as a clerk types them
    expected = (GOLDEN / name).read_text(encoding="utf-8")
    actual = MAKER.SMALL[name]()
    if actual != expected:
        diff = difflib.unified_diff(expected.splitlines(), actual.splitlines(), "golden", "now", lineterm="", n=0)
        shown = "\n".join(list(diff)[:30])
        pytest.fail(f"{name} differs from the reviewed file (python scripts/make_golden.py):\n{shown}")


def test_every_golden_file_is_made_by_the_script() -> None:
    assert sorted(p.name for p in GOLDEN.iterdir()) == sorted(LARGE | set(MAKER.SMALL))


def test_the_small_golden_files_hold_what_they_are_for() -> None:
    """Not empty shells: each holds the feature it is named after."""
    sheet = (GOLDEN / "template_2021_表三.xml").read_text(encoding="utf-8")
    assert "<f>" in sheet and "三、本年度办理结果" not in sheet  # formulas inline, labels in shared strings
    note = (GOLDEN / "annotated_区自然资源局_表四E5.txt").read_text(encoding="utf-8")
    assert "【错误·B3】" in note and "建议值4" in note
    table = (GOLDEN / "report_2020西安区_表三.md").read_text(encoding="utf-8")
    assert table.startswith("## 三、收到和处理政府信息公开申请情况") and "| （七）总计 |" in table
    findings = (GOLDEN / "merged_2021_校验结果.tsv").read_text(encoding="utf-8").splitlines()
    assert findings[1].split("\t")[:3] == ["序号", "级别", "单位"] and len(findings) > 20
