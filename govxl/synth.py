"""Plausible, fully consistent figures for an edition: for tests, samples and benchmarks."""

from __future__ import annotations

import random

from govxl.editions.model import Edition, Kind
from govxl.layout import layouts
from govxl.values import Raw


def consistent_values(edition: Edition, rng: random.Random, scale: int = 5) -> dict[str, Raw]:
    """Values that break no 错误 rule: every total is the sum of its parts."""
    g = edition.groups
    values: dict[str, Raw] = {}
    for lay in layouts(edition):
        for cell in lay.cells:
            if cell.kind is Kind.AMOUNT:
                values[cell.key] = round(rng.uniform(0, scale * 20), 2)
            elif cell.kind is Kind.SIGNED:
                values[cell.key] = rng.randint(-scale, scale)
            else:
                values[cell.key] = rng.choice((0, 0, rng.randint(0, scale)))
    for c in g["applicants"]:
        results = sum(int(values[f"t3.{r}.{c}"]) for r in g["results"])  # type: ignore[arg-type]
        values[f"t3.total.{c}"] = results
        carried = rng.randint(0, max(0, results // 3))
        carry_forward = rng.randint(0, max(0, scale // 2))
        values[f"t3.carried_over.{c}"] = carried
        values[f"t3.carry_forward.{c}"] = carry_forward
        values[f"t3.new_received.{c}"] = results + carry_forward - carried
    for r in g["t3_rows"]:
        values[f"t3.{r}.total"] = sum(int(values[f"t3.{r}.{c}"]) for c in g["applicants"])  # type: ignore[arg-type]
    for b in g["t4_blocks"]:
        values[f"t4.{b}.total"] = sum(int(values[f"t4.{b}.{p}"]) for p in g["t4_parts"])  # type: ignore[arg-type]
    for r in g["t2_items"]:  # old 表二: a count of items cannot fall below zero
        prev = int(values[f"t2.{r}.prev_items"])  # type: ignore[arg-type]
        values[f"t2.{r}.delta"] = max(-prev, int(values[f"t2.{r}.delta"]))  # type: ignore[arg-type]
    return values
