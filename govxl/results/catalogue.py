"""Every kind of finding govxl can report, one meaning per id: the rules, cell and file problems, reading problems.

``docs/rules.md`` is generated from this catalogue, and a test fails when code reports an id it lacks.
"""

from __future__ import annotations

from dataclasses import dataclass

from govxl.editions.rules import RULES
from govxl.results.findings import FILE_IDS, OTHER_IDS


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    source: str


def _rule_title(title: str) -> str:
    for var in ("（{c}）", "（{r}）", "（{b}）"):
        title = title.replace(var, "")
    return title


def catalogue() -> dict[str, Entry]:
    """Id -> what it means. A rule given per edition (C4) is one entry: the same check in both formats."""
    out: dict[str, Entry] = {}
    for rule in RULES:
        out.setdefault(rule.id, Entry(rule.id, _rule_title(rule.title), rule.source))
    for ids, source in ((OTHER_IDS, "govxl"), (FILE_IDS, "govxl")):
        for rule_id, text in ids.items():
            if rule_id in out:
                raise ValueError(f"finding id {rule_id} has two meanings")
            out[rule_id] = Entry(rule_id, text, source)
    return out
