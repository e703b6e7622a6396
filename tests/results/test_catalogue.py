"""One catalogue of every finding kind: each id one meaning, every id govxl reports catalogued and documented."""

from __future__ import annotations

import shutil
from collections import defaultdict

import pytest

from govxl.audit import audit
from govxl.check import check_files
from govxl.editions.rules import RULES
from govxl.excel.annotate import annotate_all
from govxl.merge import merge
from govxl.results.catalogue import catalogue
from tests.conftest import ROOT, Annotated, WrittenMerge


def test_no_two_rules_of_one_edition_share_an_id() -> None:
    editions_of: dict[str, list[str]] = defaultdict(list)
    for rule in RULES:
        editions_of[rule.id] += list(rule.editions)
    shared = {rule_id: e for rule_id, e in editions_of.items() if len(e) != len(set(e))}
    assert shared == {}  # one id may be given per edition (C4), never twice in one


def test_every_catalogued_id_is_documented() -> None:
    doc = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert [i for i in catalogue() if f"| {i} |" not in doc] == []


@pytest.fixture(scope="module")
def emitted(
    tmp_path_factory: pytest.TempPathFactory,
    merged_2020: WrittenMerge,
    merged_2021: WrittenMerge,
    annotated_2021: Annotated,
) -> set[str]:
    """The ids govxl reports on everything the repository holds: samples, broken files, published reports."""
    out = tmp_path_factory.mktemp("ids")
    results = [merged_2021.result, merged_2020.result]
    city = out / "city"
    city.mkdir()
    shutil.copy(merged_2021.path, city / "区.xlsx")
    results.append(merge([city], name="市"))
    checks = check_files([ROOT / "tests" / "corpus", ROOT / "tests" / "data"])
    annotate_all(checks, out / "annotated")
    ids = {f.rule for r in results for f in r.findings} | {f.rule for f in checks.findings}
    ids |= {f.rule for f in annotated_2021.result.findings}
    ids |= {f.rule for f in audit(ROOT / "tests" / "data" / "report_2021_qinghe.html").findings}
    ids |= {f.rule for f in audit(ROOT / "tests" / "data" / "reference_2020_xian.txt").findings}
    shutil.rmtree(out / "annotated", ignore_errors=True)
    return ids


def test_every_reported_id_is_in_the_catalogue(emitted: set[str]) -> None:
    assert emitted - set(catalogue()) == set()
    assert len(emitted) >= 15  # the run above does reach most kinds of finding
