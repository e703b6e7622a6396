"""Property tests (Hypothesis) of error localisation: whatever figures a clerk typed, every value govxl suggests
(建议值) fits its cell: a count a non-negative whole number, 本年增/减 a whole number, an amount not below 0."""

from __future__ import annotations

import random
import re
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from govxl.check import check_files
from govxl.editions import EDITIONS, edition_by_id
from govxl.editions.model import Kind
from govxl.excel.template_book import build_template, effective_values
from govxl.judge.engine import domain_ok, prefill_definitions
from govxl.judge.localize import localise
from govxl.layout import cell_index
from govxl.synth import consistent_values

# What a clerk types over a figure: slips of the hand, signs, zeros, large numbers.
TYPED = st.one_of(
    st.integers(min_value=0, max_value=60),
    st.integers(min_value=-20, max_value=-1),
    st.integers(min_value=100, max_value=99999),
    st.sampled_from([0, 1, 10, 100]),
)


def _fits(kind: Kind, value: float) -> bool:
    if kind is Kind.COUNT:
        return value >= 0 and value == int(value)
    if kind is Kind.SIGNED:
        return value == int(value)
    return value >= 0 and domain_ok(kind, value)


def _suggestions(edition, values: dict[str, float], derived: frozenset[str]) -> list[tuple[str, float]]:  # type: ignore[no-untyped-def]
    found = localise(edition, values, derived=derived)
    if found is None:
        return []
    return [(s.key, s.fixed) for e in found.explanations for s in e if s.fixed is not None]


@st.composite
def returns(draw: st.DrawFn):  # type: ignore[no-untyped-def]
    """A unit's figures with one or two cells typed wrong; totals typed, or left to the template's formulas."""
    edition = draw(st.sampled_from(EDITIONS))
    seed, scale = draw(st.integers(0, 10**6)), draw(st.sampled_from([5, 40]))
    values = consistent_values(edition, random.Random(seed), scale=scale)
    formulas = draw(st.booleans())
    derived = frozenset(prefill_definitions(edition)) if formulas else frozenset()
    keys = sorted(k for k in values if k.startswith(("t3.", "t4.")) and k not in derived)
    for key in draw(st.lists(st.sampled_from(keys), min_size=1, max_size=2, unique=True)):
        values[key] = draw(TYPED)
    if formulas:  # the totals show the sums of what was typed
        values = effective_values(edition, {k: v for k, v in values.items() if k not in derived})[0]
    return edition, {k: float(v) for k, v in values.items()}, derived  # type: ignore[arg-type]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(returns())
@example(  # 表四 行政复议: 总计 typed 0 over parts of 5: blaming a part would need it to go below 0
    (
        edition_by_id("2021"),
        {**dict.fromkeys(("t4.review.upheld", "t4.review.other"), 2.0), "t4.review.total": 0.0},
        frozenset(),
    ),
)
def test_every_suggested_value_fits_its_cell(case) -> None:  # type: ignore[no-untyped-def]
    edition, values, derived = case
    index = cell_index(edition)
    for key, fixed in _suggestions(edition, values, derived):
        kind = index[key][1].kind
        assert _fits(kind, fixed), (key, kind, fixed)


def test_the_suggested_value_in_a_finding_is_a_whole_number(tmp_path: Path) -> None:
    """The same through govxl check: the 建议值 of each L1 finding of a return with slips."""
    edition = edition_by_id("2021")
    rng = random.Random(8)
    paths = []
    for i in range(6):
        values = consistent_values(edition, rng, scale=30)
        for key in rng.sample(sorted(k for k in values if k.startswith("t3.")), 2):
            values[key] = rng.choice([0, 3, 53, 120, 1200])
        paths.append(build_template(tmp_path / f"u{i}.xlsx", edition, 2021, unit=f"单位{i}", values=values))
    suggested = [
        m.group(1)
        for f in check_files([tmp_path]).findings
        if f.rule == "L1"
        for m in re.finditer(r"建议值(-?[\d.]+)", f.message)
    ]
    assert suggested, "the slips gave no suggestion to check"
    assert all(re.fullmatch(r"\d+", s) for s in suggested), suggested
