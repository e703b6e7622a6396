"""The sentences of 一、总体情况 that restate the tables' main figures: from the label trees and the edition's data."""

from __future__ import annotations

import re
from collections.abc import Mapping

from govxl.editions.model import BlockTable, Edition, MatrixTable
from govxl.layout import fragment_labels
from govxl.values import show


def summary(edition: Edition, values: Mapping[str, float]) -> list[str]:
    """Sentences stating the main figures of 表二, 表三 and 表四."""
    return [_t2_sentence(edition, values), _t3_sentence(edition, values), _t4_sentence(edition, values)]


def _n(values: Mapping[str, float], *keys: str) -> str:
    if any(k in values and values[k] is None for k in keys) and all(values.get(k) is None for k in keys):
        return "（数据有误）"
    return show(sum(values.get(k) or 0.0 for k in keys))


def _short(label: str) -> str:
    """ "（二）部分公开（区分处理的，…）" -> "部分公开"."""
    label = re.sub(r"^（[一二三四五六七八九十]+）", "", label)
    return re.sub(r"（[^（）]*）$", "", label)


def result_groups(edition: Edition) -> list[tuple[str, tuple[str, ...]]]:
    """(short name, row keys) of each item of 三、本年度办理结果, from the label tree."""
    t3 = edition.table("t3")
    assert isinstance(t3, MatrixTable)
    results = next(n for n in t3.rows if n.children)
    members = set(edition.groups["results"])
    out = []
    for child in results.children:
        keys = tuple(k for k, _, _ in child.leaves() if k in members)
        if keys:
            out.append((_short(child.label), keys))
    return out


def t3_total_column(edition: Edition) -> str:
    return next(k for k in edition.groups["t3_cols"] if k not in edition.groups["applicants"])


def _t3_sentence(edition: Edition, values: Mapping[str, float]) -> str:
    tot = t3_total_column(edition)

    def row(key: str) -> str:
        return _n(values, f"t3.{key}.{tot}")

    parts = "，".join(
        f"{name}{_n(values, *(f't3.{k}.{tot}' for k in keys))}件" for name, keys in result_groups(edition)
    )
    return (
        f"本年新收政府信息公开申请{row('new_received')}件，上年结转{row('carried_over')}件；"
        f"本年度办理结果中，{parts}；结转下年度继续办理{row('carry_forward')}件。"
    )


def _t4_sentence(edition: Edition, values: Mapping[str, float]) -> str:
    t4 = edition.table("t4")
    assert isinstance(t4, MatrixTable)
    blocks = set(edition.groups["t4_blocks"])
    review = next(n for n in t4.columns if n.key in blocks)
    total = next(c.key for c in review.children if c.key not in edition.groups["t4_parts"])
    litigation = next(n for n in t4.columns if n is not review)
    kinds = [c for c in litigation.children if c.key in blocks]
    lit_keys = [f"t4.{c.key}.{total}" for c in kinds]
    detail = "，".join(f"{c.label}{_n(values, f't4.{c.key}.{total}')}件" for c in kinds)
    return (
        f"本年度因政府信息公开申请提起{review.label}{_n(values, f't4.{review.key}.{total}')}件，"
        f"{litigation.label}{_n(values, *lit_keys)}件（其中{detail}）。"
    )


def _t2_sentence(edition: Edition, values: Mapping[str, float]) -> str:
    """The edition's 表二 sentence (edition data), its placeholders filled with labels and figures."""
    t2 = edition.table("t2")
    assert isinstance(t2, BlockTable)
    rows = {key: label for (pos, key), label in fragment_labels(t2).items() if pos == 1}

    def fill(m: re.Match[str]) -> str:
        label, row, col = m.group(1), m.group(2), m.group(3)
        return rows[row] if label else _n(values, f"t2.{row}.{col}")

    return _PLACEHOLDER.sub(fill, edition.t2_sentence)


_PLACEHOLDER = re.compile(r"\{(@?)([a-z_]+)(?:\.([a-z_]+))?\}")
