"""Every example under examples/ runs and prints what is true of the samples, not merely something.

What each example must print is worked out here from the samples' README and by hand (the figures of
rules_in_python.py are four numbers), so an example that prints wrong figures fails, not only one that crashes.
"""

from __future__ import annotations

import re
import runpy
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ROOT

EXAMPLES = sorted((ROOT / "examples").glob("*.py"))


def _merge_folder(out: str) -> None:
    # samples/README.md: 18 roster lines, 13 units merged; each kind of trouble once
    assert out.splitlines()[0].startswith("2021年度：汇总 13 个单位，错误 ")
    statuses = dict(re.findall(r"^  (\S+)：(\S+)$", out, re.M))
    assert len(statuses) == 18
    assert {u: s for u, s in statuses.items() if s != "已报"} == {
        "区民政局": "重复",
        "区退役军人事务局": "格式不符",
        "区应急管理局": "无法读取",
        "区农业农村局": "无法读取",
        "区档案馆": "缺报",
        "滨河街道办事处": "不在名单中",
    }
    total = re.search(r"本年新收申请（汇总）： ([\d.]+)", out)
    assert total is not None and float(total.group(1)) == 168


def _check_one(out: str) -> None:
    # 区自然资源局 typed 3 as 行政复议 总计 where its parts add to 4
    lines = out.splitlines()
    assert lines[0] == (
        "[错误] 表四!E5 B3：表四“行政复议”：总计为3，结果维持、结果纠正、其他结果、尚未审结之和为4，二者应相等"
    )
    assert lines[1].startswith("[提示] 表四!E5 L1：疑似错误单元格：表四“行政复议·总计”（表四!E5，填写为3）；建议值4")
    assert len(lines) == 2


def _make_templates(out: str) -> None:
    units = ["区财政局", "区司法局", "区教育局"]  # the roster the example writes, in its order
    assert out.splitlines() == [f"{u} → {u}_2026年度政府信息公开年报统计表.xlsx" for u in units]


def _rules_in_python(out: str) -> None:
    # 新收 5 = 予以公开 4 in 自然人, nothing else typed: 一+二 ≠ 三+四 in 自然人 (5, 4) and in 总计 (5, 0);
    # 予以公开 and （七）总计 rows hold 4 in 自然人 and 0 as their 总计. 新收's own row and B2 hold.
    assert out.splitlines() == [
        "A1 表三“自然人”列：第一项加第二项之和为5，第三项加第四项之和为4，二者应相等",
        "A1 表三“总计”列：第一项加第二项之和为5，第三项加第四项之和为0，二者应相等",
        "B1 表三“（一）予以公开”行：总计为0，各类申请人之和为4，二者应相等",
        "B1 表三“（七）总计”行：总计为0，各类申请人之和为4，二者应相等",
    ]


def _analyse_with_pandas(out: str) -> None:
    from govxl.merge import merge
    from tests.conftest import ROSTER_2021, SAMPLES_2021

    result = merge([SAMPLES_2021], roster=ROSTER_2021, name="某某区")
    received = sorted(((u.numbers()["t3.new_received.total"], u.unit) for u in result.units), reverse=True)
    top = re.search(r"本年新收申请最多的单位：\nunit\n((?:.+\n){3})", out)
    assert top is not None
    shown = [line.split() for line in top.group(1).splitlines()]
    assert [float(n) for _, n in shown] == [n for n, _ in received[:3]]
    assert shown[0][0] == "区住房和城乡建设局"  # 47, the largest by far
    review = re.search(r"行政复议·总计\s+([\d.]+)", out)
    assert review is not None and float(review.group(1)) == result.totals["t4.review.total"]
    errors = dict(re.findall(r"^(区\S+)\s+(\d+)$", out.split("各单位的错误数：", 1)[1], re.M))
    for unit, n in errors.items():
        assert int(n) == sum(1 for f in result.errors if f.unit == unit), unit
    assert set(errors) >= {"区住房和城乡建设局", "区自然资源局", "区档案馆"}
    blanks = re.search(r"填写为空白或“/”的单元格： (\d+)", out)
    assert blanks is not None and int(blanks.group(1)) > 0


CHECKS: dict[str, Callable[[str], None]] = {
    "analyse_with_pandas.py": _analyse_with_pandas,
    "check_one.py": _check_one,
    "make_templates.py": _make_templates,
    "merge_folder.py": _merge_folder,
    "rules_in_python.py": _rules_in_python,
}


def test_every_example_has_its_output_checked() -> None:
    assert sorted(p.name for p in EXAMPLES) == sorted(CHECKS)


@pytest.mark.parametrize("script", EXAMPLES, ids=lambda p: p.name)
def test_example_prints_what_is_true(script: Path, capsys: pytest.CaptureFixture[str]) -> None:
    runpy.run_path(str(script), run_name="__main__")
    CHECKS[script.name](capsys.readouterr().out)
