"""Which cell is wrong: localisation and typo repair on known slips."""

from __future__ import annotations

import random
from fractions import Fraction
from pathlib import Path

import pytest

from govxl.check import check_files
from govxl.editions import edition_by_id
from govxl.excel.template_book import build_template
from govxl.judge.engine import prefill_definitions
from govxl.judge.localize import localise, slip
from govxl.synth import consistent_values

NEW, OLD = edition_by_id("2021"), edition_by_id("2019")


def truth(edition=NEW, seed: int = 11) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Consistent figures in which t3.granted.natural is 35 and t3.denied_4.research is 120."""
    v = consistent_values(edition, random.Random(seed), scale=40)
    for key, want in (("t3.granted.natural", 35), ("t3.denied_4.research", 120)):
        row, col = key.split(".")[1:]
        d = want - v[key]  # type: ignore[operator]
        for k in (
            key,
            f"t3.{row}.total",
            f"t3.total.{col}",
            "t3.total.total",
            f"t3.new_received.{col}",
            "t3.new_received.total",
        ):
            v[k] += d  # type: ignore[operator]
    return {k: float(x) for k, x in v.items()}  # type: ignore[arg-type]


def only(found):  # type: ignore[no-untyped-def]
    assert found is not None and not found.ambiguous, found
    return {(s.key, s.fixed, s.slip) for s in found.explanations[0]}


def test_truth_is_consistent() -> None:
    assert localise(NEW, truth()) is None


@pytest.mark.parametrize(
    ("key", "typed", "fixed", "kind"),
    [
        ("t3.granted.natural", 53, 35, "相邻两位数字颠倒"),  # a leaf
        ("t3.denied_4.research", 12, 120, "漏输了一位数字"),
        ("t3.denied_4.research", 1200, 120, "多输入了一位数字"),
        ("t3.denied_4.research", 170, 120, "有一位数字填错"),
    ],
)
def test_one_slip_in_a_leaf(key: str, typed: float, fixed: float, kind: str) -> None:
    v = truth()
    v[key] = typed
    assert only(localise(NEW, v)) == {(key, fixed, kind)}


def test_slip_in_a_total() -> None:
    v = truth()
    right = v["t3.total.natural"]
    v["t3.total.natural"] = float(str(int(right))[::-1] + "0")  # not a slip: still the cell, no suggestion
    assert {k for k, _, _ in only(localise(NEW, v))} == {"t3.total.natural"}
    v["t3.total.natural"] = right * 10
    assert only(localise(NEW, v)) == {("t3.total.natural", right, "多输入了一位数字")}


def test_sign_slip_in_a_signed_cell() -> None:
    assert slip(Fraction(-684), Fraction(684)) == "正负号填反"
    v = truth()
    v["t4.review.total"] = -v["t4.review.total"] if v["t4.review.total"] else -5
    found = localise(NEW, v)
    assert found is not None and found.explanations[0][0].key == "t4.review.total"


def test_two_unrelated_slips() -> None:
    v = truth()
    v["t3.granted.natural"] = 53
    v["t3.denied_4.research"] = 12
    assert only(localise(NEW, v)) == {
        ("t3.granted.natural", 35, "相邻两位数字颠倒"),
        ("t3.denied_4.research", 120, "漏输了一位数字"),
    }


def test_a_slip_in_a_typed_total_blames_the_total() -> None:
    v = truth()
    v["t4.review.upheld"] += 10  # the part is wrong, but blaming the typed total is as simple, and cheaper
    (s,) = localise(NEW, v).explanations[0]  # type: ignore[union-attr]
    assert s.key == "t4.review.total" and s.fixed == v["t4.review.total"] + 10


def test_ambiguity_is_reported_as_ambiguity() -> None:
    """With formula totals, 53 typed for 35 in one leaf is explained as well by another leaf holding 53."""
    from govxl.excel.template_book import effective_values

    derived = frozenset(prefill_definitions(NEW))
    v = truth()
    d = 53 - v["t3.partial.natural"]
    v["t3.partial.natural"] = 53
    v["t3.new_received.natural"] += d
    v["t3.granted.natural"] = 53  # the slip
    shown, _ = effective_values(NEW, {k: x for k, x in v.items() if k not in derived})
    found = localise(NEW, {k: float(x) for k, x in shown.items()}, derived=derived)  # type: ignore[arg-type]
    assert found is not None and found.ambiguous
    options = {e[0].key: (e[0].fixed, e[0].slip) for e in found.explanations}
    assert options["t3.granted.natural"] == options["t3.partial.natural"] == (35, "相邻两位数字颠倒")


def test_formula_totals_are_not_blamed(tmp_path: Path) -> None:
    """In a template return the totals are formulas: the slip is in a leaf, found through the totals it moved."""
    v = truth()
    v["t3.granted.natural"] = 53
    derived = prefill_definitions(NEW)
    typed = {k: x for k, x in v.items() if k not in derived}
    path = tmp_path / "区测试局.xlsx"
    build_template(path, NEW, 2021, unit="区测试局", values=typed)  # type: ignore[arg-type]
    (fc,) = check_files([path]).files
    located = [f for f in fc.findings if f.rule == "L1"]
    assert located, fc.findings
    assert all(f.key not in derived for f in located if f.key)
    texts = " ".join(f.message for f in located)
    assert "表三!D7，填写为53" in texts and "35" in texts


def test_message_with_suggestion(tmp_path: Path) -> None:
    v = truth()
    v["t4.review.total"] = v["t4.review.total"] * 10 + 1 if v["t4.review.total"] else 10
    path = tmp_path / "区测试局.xlsx"
    build_template(path, NEW, 2021, unit="区测试局", values=v)  # type: ignore[arg-type]
    (fc,) = check_files([path]).files
    (f,) = [f for f in fc.findings if f.rule == "L1"]
    assert f.cell == "E5" and f.message.startswith("疑似错误单元格：表四“行政复议·总计”（表四!E5，填写为")
    assert f.actual == str(int(v["t4.review.total"]))


def _review_return(tmp_path: Path, blanks: tuple[str, ...], total: int) -> list:  # type: ignore[type-arg]
    """表四's 行政复议 row: every part 0 but ``blanks`` left blank, the total typed as ``total``: L1's findings."""
    values = dict(truth())
    for key in [k for k in values if k.startswith("t4.review.")]:
        values[key] = 0
    values["t4.review.total"] = total
    for key in blanks:
        values[f"t4.review.{key}"] = None
    path = tmp_path / "区测试局.xlsx"
    build_template(path, NEW, 2021, unit="区测试局", values=values)  # type: ignore[arg-type]
    (fc,) = check_files([path]).files
    return [f for f in fc.findings if f.rule == "L1"]


def test_no_value_is_suggested_for_a_blank_cell(tmp_path: Path) -> None:
    (f,) = _review_return(tmp_path, ("upheld",), 4)
    assert f.cell == "A5" and "填写为空白" in f.message
    assert f.expected == "" and "应为" not in f.message and "4" not in f.message.split("填写为空白")[1]


def test_the_list_of_alternatives_is_given_once(tmp_path: Path) -> None:
    located = _review_return(tmp_path, ("upheld", "corrected"), 4)
    assert sorted(f.cell for f in located) == ["A5", "B5"]
    full = [f for f in located if "有2种同样简单的改法" in f.message]
    assert len(full) == 1 and "①" in full[0].message and "②" in full[0].message
    (other,) = [f for f in located if f is not full[0]]
    assert f"各种改法见表四!{full[0].cell}的说明" in other.message and "①" not in other.message
    assert all(f.expected == "" and "可能应为" not in f.message for f in located)  # both cells were blank
