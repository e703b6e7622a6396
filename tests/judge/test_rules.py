"""The rule engine on passing and failing data, for both editions."""

from __future__ import annotations

import random

import pytest

from govxl.editions import EDITIONS, edition_by_id
from govxl.editions.model import Kind
from govxl.editions.rules import RULES, Severity
from govxl.judge.engine import checks_for, domain_ok, evaluate_all
from govxl.judge.expr import ExprError, parse
from govxl.synth import consistent_values

OLD, NEW = edition_by_id("2019"), edition_by_id("2021")


def failing(edition, values):  # type: ignore[no-untyped-def]
    return {(o.check.id, o.check.title) for o in evaluate_all(edition, values) if not o.passed}


def errors(edition, values):  # type: ignore[no-untyped-def]
    return [o for o in evaluate_all(edition, values) if not o.passed and o.check.severity is Severity.ERROR]


@pytest.mark.parametrize("edition", EDITIONS, ids=lambda e: e.id)
@pytest.mark.parametrize("seed", range(20))
def test_consistent_data_breaks_no_error_rule(edition, seed: int) -> None:  # type: ignore[no-untyped-def]
    assert errors(edition, consistent_values(edition, random.Random(seed))) == []


def test_catalogue_ids_follow_the_specification() -> None:
    ids = {r.id for r in RULES}
    assert {"A1", "B1", "B2", "B3", "C1", "C2"} <= ids
    assert all(r.severity is Severity.ERROR for r in RULES if r.id in {"A1", "B1", "B2", "B3", "C1", "C2"})
    assert all(r.severity is Severity.HINT for r in RULES if r.id.startswith("C") and r.id not in {"C1", "C2"})


def test_instance_counts() -> None:
    def count(edition, rule_id: str) -> int:  # type: ignore[no-untyped-def]
        return sum(1 for c in checks_for(edition) if c.id == rule_id)

    assert count(OLD, "A1") == count(NEW, "A1") == 7
    assert (count(OLD, "B1"), count(NEW, "B1")) == (23, 25)
    assert count(NEW, "B2") == 7 and count(NEW, "B3") == 3


def test_a1_names_the_broken_column() -> None:
    values = consistent_values(NEW, random.Random(1))
    values["t3.new_received.research"] = int(values["t3.new_received.research"]) + 1  # type: ignore[arg-type]
    values["t3.new_received.total"] = int(values["t3.new_received.total"]) + 1  # type: ignore[arg-type]
    broken = errors(NEW, values)
    assert {o.check.id for o in broken} == {"A1"}
    assert {o.check.title for o in broken} == {
        "第一项加第二项之和等于第三项加第四项之和（法人或其他组织·科研机构）",
        "第一项加第二项之和等于第三项加第四项之和（总计）",
    }
    research = next(o for o in broken if "科研机构" in o.check.title)
    assert research.message.startswith("表三“法人或其他组织·科研机构”列：第一项加第二项之和为")
    assert research.lhs == research.rhs + 1


def test_b1_row_total() -> None:
    values = consistent_values(OLD, random.Random(2))
    values["t3.granted.total"] = 999
    titles = {o.check.title for o in errors(OLD, values) if o.check.id == "B1"}
    assert titles == {"总计等于各类申请人之和（（一）予以公开）"}


def test_b2_results_total() -> None:
    values = consistent_values(NEW, random.Random(3))
    values["t3.other_3.natural"] = int(values["t3.other_3.natural"]) + 2  # type: ignore[arg-type]
    values["t3.other_3.total"] = int(values["t3.other_3.total"]) + 2  # type: ignore[arg-type]
    broken = errors(NEW, values)
    assert {o.check.id for o in broken} == {"B2"}
    assert {o.check.title for o in broken} == {
        "（七）总计等于各项办理结果之和（自然人）",
        "（七）总计等于各项办理结果之和（总计）",
    }


def test_b3_review_total() -> None:
    values = consistent_values(OLD, random.Random(4))
    values["t4.review.total"] = int(values["t4.review.total"]) + 1  # type: ignore[arg-type]
    (o,) = errors(OLD, values)
    assert (
        o.check.id == "B3"
        and "行政复议" in o.message
        and o.bad
        == ("t4.review.total", "t4.review.upheld", "t4.review.corrected", "t4.review.other", "t4.review.pending")
    )


@pytest.mark.parametrize(
    ("key", "value", "rule"),
    [
        ("t3.granted.natural", -1, "C1"),
        ("t3.granted.natural", 1.5, "C1"),
        ("t4.review.upheld", "三件", "C1"),
        ("t2.licensing.delta", 2.5, "C2"),
        ("t2.procurement.amount", -0.5, "C2"),
    ],
)
def test_domain_errors(key: str, value: object, rule: str) -> None:
    values = consistent_values(OLD, random.Random(5))
    values[key] = value  # type: ignore[assignment]
    bad = [o for o in evaluate_all(OLD, values) if not o.passed and o.check.id == rule]
    assert len(bad) == 1 and bad[0].bad == (key,)


def test_signed_and_amount_cells_accept_their_values() -> None:
    assert domain_ok(Kind.SIGNED, -684)
    assert domain_ok(Kind.AMOUNT, 6733.41375)
    assert not domain_ok(Kind.COUNT, -1)
    assert domain_ok(Kind.COUNT, None) and domain_ok(Kind.COUNT, "/")  # blanks are C3's business
    assert not domain_ok(Kind.COUNT, True)


def test_blank_and_slash_are_hints() -> None:
    values = consistent_values(NEW, random.Random(6))
    values["t4.review.upheld"] = None
    values["t4.review.other"] = "/"
    hints = [o for o in evaluate_all(NEW, values) if not o.passed and o.check.id == "C3"]
    assert len(hints) == 1 and hints[0].bad == ("t4.review.upheld", "t4.review.other")
    assert hints[0].check.severity is Severity.HINT


def test_plausibility_hints() -> None:
    values = consistent_values(NEW, random.Random(7))
    values["t2.fees.amount"] = 251000  # 元 typed where 万元 is asked
    values["t2.regulations.issued"] = 3
    values["t2.regulations.in_force"] = 1
    values["t2.regulations.repealed"] = 0
    assert {"C4", "C10", "C11"} <= {i for i, _ in failing(NEW, values)}


def test_expression_language() -> None:
    groups = {"g": ("a", "b")}
    c = parse("t.x.total == sum(t.x.@g) + 2", groups)
    assert str(c) == "t.x.total == t.x.a +t.x.b +2"
    with pytest.raises(ExprError):
        parse("t.x.@g == 1", groups)
    with pytest.raises(ExprError):
        parse("t.x.a + == 1", groups)
    with pytest.raises(ExprError):
        parse("sum(t.@nope) == 1", groups)
