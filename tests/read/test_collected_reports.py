"""Real published reports collected for issue 18, read against hand-made expectations.

The documents are in ``data/real/collected/`` (where each came from: its SOURCES.md); the hand work is in
``data/real/collected-cases/``: a full transcription per report where one could be made
(``<name>.json``, the cell-by-cell format of the shared real-reports cases: official labels, values as
published, published errors kept), and ``expected.json`` for every document: what kind it is, its
published tallying errors (checked by hand with the rules of editions.md §6) and, for the reports not
transcribed, unit, year, edition and the cells that can be read without doubt.

Cells are compared as the shared cases compare them: a row R5 names as one the rules cannot cut one way may be
read blank in the cells its cuts disagree on.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from govxl.audit import AuditResult, audit
from govxl.editions import edition_for_year
from govxl.layout import cell_index
from tests.shared_cases import unnamed

REAL = Path(__file__).resolve().parents[1] / "data" / "real"
COLLECTED = REAL / "collected"
CASES = REAL / "collected-cases"
EXPECTED: dict[str, dict] = json.loads((CASES / "expected.json").read_text(encoding="utf-8"))
TRANSCRIBED = sorted(name for name, e in EXPECTED.items() if e["case"])
OTHERS = sorted(name for name, e in EXPECTED.items() if not e["case"])

# The unit as the report's own title names it, where the transcription uses the fuller official name.
UNIT_AS_TITLED = {name: e["unit_as_titled"] for name, e in EXPECTED.items() if "unit_as_titled" in e}


@cache
def case(name: str) -> dict:
    return json.loads((CASES / f"{EXPECTED[name]['case']}.json").read_text(encoding="utf-8"))


@cache
def audited(name: str) -> AuditResult:
    return audit(COLLECTED / name)


def _amount(value: float | int | str | None) -> float | None:
    """A published value as govxl holds it: amounts printed in 元 are 万元 in the workbook."""
    if isinstance(value, str):
        if value.endswith("万元"):
            return float(value.removesuffix("万元"))
        return float(value.removesuffix("元")) / 10000
    return None if value is None else float(value)


def _labels(cell: dict) -> tuple[str, str, str]:
    if cell["table"] == "t3":
        return ("t3", "·".join(p for p in (cell.get("group"), cell["row"]) if p), cell["col"])
    if cell["table"] == "t4":
        return ("t4", "", f"{cell['group'].replace('/', '·')}·{cell['col']}")
    return ("t2", cell["row"], cell["col"])


@cache
def values(name: str) -> dict[str, float | None]:
    """The transcription keyed like ``AuditResult.values``, each cell found by its official labels."""
    t = case(name)
    by_labels = {
        (key.split(".")[0], c.row_label, c.col_label.rsplit("·", 1)[-1] if key.startswith("t3") else c.col_label): key
        for key, (_, c) in cell_index(edition_for_year(t["year"])).items()
    }
    return {by_labels[_labels(c)]: _amount(c["value"]) for c in t["cells"]}


def _differences(result: AuditResult, expected: dict[str, float | None]) -> dict[str, tuple]:
    def same(a: float | None, b: float | None) -> bool:
        return a == b if a is None or b is None else abs(a - b) < 1e-6

    return {k: (v, result.values.get(k)) for k, v in expected.items() if not same(v, result.values.get(k))}


def _errors(result: AuditResult) -> set[tuple[str, str]]:
    return {(f.rule, f.key) for f in result.errors}


# ---------------------------------------------------------------- the hand work itself (no govxl reading)


@pytest.mark.parametrize("name", TRANSCRIBED)
def test_transcription_has_every_cell_of_its_template(name: str) -> None:
    t = case(name)
    edition = edition_for_year(t["year"])
    assert edition.id == t["edition"]
    assert set(values(name)) == set(cell_index(edition))  # every label found, none twice
    assert all(c["value"] is None for c in t["cells"] if c.get("published_absent"))


def _tallying_errors(v: dict[str, float | None]) -> set[tuple[str, str]]:
    """A1, B1, B2, B3 of editions.md §6 on a transcription, named as audit names them (rule, key)."""
    cols = ["natural", "commercial", "research", "public_welfare", "legal_service", "other_org", "total"]
    rows = list(dict.fromkeys(k.split(".")[1] for k in v if k.startswith("t3.")))
    leaves = [r for r in rows if r not in ("new_received", "carried_over", "total", "carry_forward")]
    n = {k: x or 0 for k, x in v.items()}
    found = set()
    for r in rows:
        if sum(n[f"t3.{r}.{c}"] for c in cols[:6]) != n[f"t3.{r}.total"]:
            found.add(("B1", f"t3.{r}.total"))
    for c in cols:
        if sum(n[f"t3.{r}.{c}"] for r in leaves) != n[f"t3.total.{c}"]:
            found.add(("B2", f"t3.total.{c}"))
        if n[f"t3.new_received.{c}"] + n[f"t3.carried_over.{c}"] != n[f"t3.total.{c}"] + n[f"t3.carry_forward.{c}"]:
            found.add(("A1", f"t3.new_received.{c}"))
    for g in ("review", "lit_direct", "lit_after_review"):
        if sum(n[f"t4.{g}.{c}"] for c in ("upheld", "corrected", "other", "pending")) != n[f"t4.{g}.total"]:
            found.add(("B3", f"t4.{g}.total"))
    return found


@pytest.mark.parametrize("name", TRANSCRIBED)
def test_published_errors_are_what_the_transcription_tallies_to(name: str) -> None:
    """The errors listed in expected.json are exactly those the rules find in the transcribed numbers."""
    expected = {tuple(e) for e in EXPECTED[name]["published_errors"]}
    assert _tallying_errors(values(name)) == expected


# ---------------------------------------------------------------- what audit reads


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_unit_year_edition(name: str) -> None:
    e = case(name) if EXPECTED[name]["case"] else EXPECTED[name]
    result = audited(name)
    assert (result.edition.id, result.year) == (e["edition"], e["year"])
    assert result.unit in (e["unit"], UNIT_AS_TITLED.get(name))


@pytest.mark.parametrize("name", TRANSCRIBED)
def test_every_cell_as_published(name: str) -> None:
    """Every cell as transcribed, or blank in a row R5 names as one the rules cannot cut one way."""
    result = audited(name)
    assert unnamed(result, _differences(result, values(name))) == {}


@pytest.mark.parametrize("name", OTHERS)
def test_cells_that_read_without_doubt(name: str) -> None:
    expected = {k: _amount(v) for k, v in EXPECTED[name]["cells"].items()}
    result = audited(name)
    assert unnamed(result, _differences(result, expected)) == {}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_errors_found_are_the_published_tallying_errors(name: str) -> None:
    """Every published tallying error is found, and no other error: a report read right has no false error.
    (Where a converted copy leaves a cell in doubt, the errors that cell would cause are allowed, not required.)"""
    e = EXPECTED[name]
    published = {tuple(x) for x in e["published_errors"]}
    allowed = published | {tuple(x) for x in e.get("may_also", [])}
    found = _errors(audited(name))
    assert published <= found <= allowed


def test_values_printed_apart_from_labels_are_placed_in_order() -> None:
    """上海市政府办公厅 2025 (Markdown from the PDF): labels on lines of their own, each followed by its line of
    values (one with pieces of the label in it): read into those rows, every rule holds."""
    result = audited("2025-shanghai-bangongting.md")
    assert [f.rule for f in result.findings if f.rule == "R8"] == []
    assert [result.values[f"t3.{r}.total"] for r in ("not_processed_5", "other_1", "other_2")] == [0, 43, 0]


def test_values_not_placeable_are_read_blank_and_said() -> None:
    """上海市科委 2024 (Markdown from the PDF): lines of values before the labels they belong to: which is whose is
    not known, so those rows are blank, named once (R8) and no rule is checked over them, never another row's
    values (无法提供 1. is 4 in the PDF; the line after its label says 1)."""
    result = audited("2024-shanghai-kewei.md")
    (said,) = [f for f in result.findings if f.rule == "R8"]
    assert "10行按空白读取" in said.message
    assert result.values["t3.unable_1.natural"] is None
    assert {f.rule for f in result.errors} <= {"A1", "B1"}  # only the 总计 cell the copy prints blank (may_also)


@pytest.mark.parametrize("name", [n for n in sorted(EXPECTED) if n.endswith((".txt", ".md"))])
def test_labels_printed_otherwise_are_quoted_as_printed(name: str) -> None:
    """R6 quotes the label the report prints, character for character (full-width brackets on a page whose
    tables run together on one line: 海坛片区 2023's old single （六）其他处理 row)."""
    text = (COLLECTED / name).read_text(encoding="utf-8")
    quoted = [f.actual for f in audited(name).findings if f.rule == "R6" and f.actual]
    assert [q for q in quoted if q not in text] == []
