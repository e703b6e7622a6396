"""Property-based tests (Hypothesis): the value normaliser and the rule engine."""

from __future__ import annotations

import math
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from govxl.editions import EDITIONS
from govxl.editions.model import Kind
from govxl.editions.rules import Severity
from govxl.judge.engine import checks_for, evaluate
from govxl.layout import cell_index
from govxl.normalize import State, normalize
from govxl.synth import consistent_values

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@given(st.integers(min_value=0, max_value=10**12 - 1))
def test_counts_typed_as_text_read_back(n: int) -> None:
    for text in (str(n), str(n).translate(FULL_WIDTH), f" {n}\u3000", f"{n:,}"):
        cell = normalize(text, Kind.COUNT)
        assert cell.state is State.CONVERTED and cell.number == n and cell.severity is Severity.HINT


@given(st.integers(min_value=10**12, max_value=10**30))
def test_values_too_large_to_be_a_count_say_so(n: int) -> None:
    for raw in (float(n), str(n), f"{n:,}"):
        cell = normalize(raw, Kind.COUNT)
        assert cell.state is State.ERROR and cell.number == 0 and "数值过大" in cell.message


def test_more_digits_than_a_double_holds_are_not_rounded_silently() -> None:
    cell = normalize("0.1234567890123456789", Kind.AMOUNT)
    assert cell.state is State.ERROR and "超过15位有效数字" in cell.message


@given(st.integers(min_value=-(10**9), max_value=10**9))
def test_signed_values(n: int) -> None:
    cell = normalize(float(n), Kind.SIGNED)
    assert cell.state is State.NUMBER and cell.number == n
    count = normalize(float(n), Kind.COUNT)
    assert (count.state is State.ERROR) == (n < 0)


@given(st.decimals(min_value=0, max_value=10**7, places=4, allow_nan=False))
def test_amounts_with_units(d) -> None:  # type: ignore[no-untyped-def]
    wan = normalize(f"{d}万元", Kind.AMOUNT)
    assert wan.state is State.CONVERTED and math.isclose(wan.number, float(d), abs_tol=1e-9)
    yuan = normalize(f"{d}元", Kind.AMOUNT)
    assert math.isclose(yuan.number, float(d) / 10000, rel_tol=1e-9, abs_tol=1e-9)


@given(st.one_of(st.text(max_size=30), st.floats(allow_nan=True, allow_infinity=True), st.none(), st.booleans()))
def test_normaliser_never_fails_and_never_sums_an_error(raw: object) -> None:
    for kind in Kind:
        cell = normalize(raw, kind)
        assert math.isfinite(cell.number) or cell.state is State.NUMBER
        if cell.state in (State.ERROR, State.BLANK, State.NA):
            assert cell.number == 0
        if cell.state is not State.NUMBER:
            assert cell.severity is not None and cell.message


values = st.one_of(
    st.integers(min_value=0, max_value=500),
    st.integers(min_value=-5, max_value=5),
    st.floats(min_value=0, max_value=50, allow_nan=False).map(lambda x: round(x, 2)),
    st.sampled_from([None, "", "/", "—", "无", "abc", "12"]),
)


def _n(x: object) -> float:
    return float(x) if isinstance(x, (int, float)) and not isinstance(x, bool) else 0.0  # as Excel's SUM


def _official(edition, v) -> dict[frozenset[str], bool]:  # type: ignore[no-untyped-def]
    """The tallying rules of the official tables, written out by hand from their notes: cells -> holds."""
    g = edition.groups
    columns = (*g["applicants"], "total")
    out = {}
    for c in columns:  # A1: 一 + 二 = 三 + 四, in every column
        keys = [f"t3.new_received.{c}", f"t3.carried_over.{c}", f"t3.total.{c}", f"t3.carry_forward.{c}"]
        out[frozenset(keys)] = _n(v[keys[0]]) + _n(v[keys[1]]) == _n(v[keys[2]]) + _n(v[keys[3]])
        parts = [f"t3.{r}.{c}" for r in g["results"]]  # B2: （七）总计 = the results
        out[frozenset([f"t3.total.{c}", *parts])] = _n(v[f"t3.total.{c}"]) == sum(_n(v[k]) for k in parts)
    for r in g["t3_rows"]:  # B1: a row's 总计 = the applicants
        parts = [f"t3.{r}.{c}" for c in g["applicants"]]
        out[frozenset([f"t3.{r}.total", *parts])] = _n(v[f"t3.{r}.total"]) == sum(_n(v[k]) for k in parts)
    for b in g["t4_blocks"]:  # B3: 行政复议/诉讼 总计 = the results
        parts = [f"t4.{b}.{p}" for p in g["t4_parts"]]
        out[frozenset([f"t4.{b}.total", *parts])] = _n(v[f"t4.{b}.total"]) == sum(_n(v[k]) for k in parts)
    return out


whole = st.one_of(st.integers(min_value=0, max_value=30), st.sampled_from([None, "", "/", "abc", "12"]))


@settings(max_examples=200)
@given(st.data())
def test_engine_agrees_with_the_official_rules_written_out_by_hand(data: st.DataObject) -> None:
    """The rule catalogue, expanded and evaluated by the engine, says what the tables' own notes say."""
    edition = data.draw(st.sampled_from(EDITIONS))
    keys = sorted(cell_index(edition))
    balanced = data.draw(st.booleans())
    vals = consistent_values(edition, random.Random(data.draw(st.integers(0, 10**6))))
    if not balanced:  # some cells replaced by anything a clerk might type
        for k in data.draw(st.lists(st.sampled_from(keys), max_size=6)):
            vals[k] = data.draw(whole)
    official = _official(edition, vals)
    checked = 0
    for check in checks_for(edition):
        if check.id in ("A1", "B1", "B2", "B3"):
            assert evaluate(check, vals).passed == official[frozenset(check.cells)], check.id
            checked += 1
    assert checked == len(official)  # every official rule is in the catalogue, once
