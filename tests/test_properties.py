"""Property-based tests (Hypothesis): the value normaliser and the rule engine."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from govxl.editions import EDITIONS
from govxl.editions.model import Kind
from govxl.editions.rules import Severity
from govxl.normalize import State, normalize
from govxl.rules import checks_for, evaluate

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


@settings(max_examples=200)
@given(st.data())
def test_engine_outcomes_are_consistent(data: st.DataObject) -> None:
    """Evaluating twice gives the same answer; a passing check has no offending cells, a failing one has some."""
    edition = data.draw(st.sampled_from(EDITIONS))
    checks = checks_for(edition)
    keys = sorted({k for c in checks for k in c.cells})
    vals = {k: data.draw(values) for k in keys}
    for check in checks:
        a, b = evaluate(check, vals), evaluate(check, vals)
        assert a == b
        assert a.passed == (not a.bad)
