"""Which figures mean the same in both editions: the series ``govxl history`` lines up year by year.

Written once, as data: a series names, for each edition, the cells whose sum is its figure. A figure
that one edition has and the other lacks (收费金额, 现行有效件数 …) is simply not a series across them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Series:
    name: str  # in the words of the tables
    keys: dict[str, tuple[str, ...]]  # edition id -> the cells summed


def _t3(rows: str | tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f"t3.{r}.total" for r in ((rows,) if isinstance(rows, str) else rows))


def _same(keys: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    return {"2019": keys, "2021": keys}


_DENIED = tuple(f"denied_{i}" for i in range(1, 9))
_UNABLE = tuple(f"unable_{i}" for i in range(1, 4))
_NOT_PROCESSED = tuple(f"not_processed_{i}" for i in range(1, 6))

SERIES: tuple[Series, ...] = (
    Series("本年新收政府信息公开申请数量", _same(_t3("new_received"))),
    Series("上年结转政府信息公开申请数量", _same(_t3("carried_over"))),
    Series("予以公开", _same(_t3("granted"))),
    Series("部分公开", _same(_t3("partial"))),
    Series("不予公开", _same(_t3(_DENIED))),
    Series("无法提供", _same(_t3(_UNABLE))),
    Series("不予处理", _same(_t3(_NOT_PROCESSED))),
    Series("其他处理", {"2019": _t3("other"), "2021": _t3(("other_1", "other_2", "other_3"))}),
    Series("办理结果总计", _same(_t3("total"))),
    Series("结转下年度继续办理", _same(_t3("carry_forward"))),
    Series("行政复议总计", _same(("t4.review.total",))),
    Series("行政复议结果纠正", _same(("t4.review.corrected",))),
    Series("行政诉讼总计", _same(("t4.lit_direct.total", "t4.lit_after_review.total"))),
    Series("行政诉讼结果纠正", _same(("t4.lit_direct.corrected", "t4.lit_after_review.corrected"))),
    Series("本年制发（新制作）规章", {"2019": ("t2.regulations.new_made",), "2021": ("t2.regulations.issued",)}),
    Series("本年制发（新制作）行政规范性文件", {"2019": ("t2.normative.new_made",), "2021": ("t2.normative.issued",)}),
    Series("行政许可处理决定数量", _same(("t2.licensing.decisions",))),
    Series("行政处罚处理决定数量", _same(("t2.penalty.decisions",))),
    Series("行政强制处理决定数量", _same(("t2.coercion.decisions",))),
)
