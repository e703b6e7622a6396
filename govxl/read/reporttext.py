"""A file of published reports as text rows: one part for each report it holds (a district's page followed by a
department's), the run-together cells cut and the wrapped labels joined, with what was noticed on the way."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from govxl.read.documents import Row, document_rows
from govxl.read.reportsplit import split_reports
from govxl.read.runtogether import gather, join_wrapped, separate
from govxl.read.vocabulary import all_labels, all_titles, clean, row_labels


@dataclass(frozen=True)
class ReportText:
    """One report's rows, as the tables are looked for in them."""

    rows: list[Row]
    shown: str  # the file as the user gave it, and which report of it (报告.txt（第2份报告）)
    read_as: str  # 网页, 文本, PDF or Word
    damaged: tuple[int, ...] = ()  # the lines with characters that could not be decoded (said with the first report)
    misprinted: tuple[tuple[str, str], ...] = ()  # (the title as printed, the official title it was read as)


def report_texts(path: Path) -> list[ReportText]:
    """Every report a file holds, in order; a file of one report gives one, shown as the file."""
    damaged: list[int] = []
    rows, read_as = document_rows(path, damaged)
    rows = [row[0].split("\t") if len(row) == 1 and "\t" in row[0] else row for row in rows]  # Word: tabs in a line
    said: list[tuple[str, str]] = []
    at: list[int] = []  # for each misprinted title said: how many rows of that title come before it
    known = all_labels() | row_labels()
    cut: list[Row] = []
    for row in gather(rows, known):
        mark, start = len(said), len(cut)
        cut += separate([row], known, all_titles(), said)[0]
        at += [sum(_title_row(r) == title for r in cut[:start]) for _, title in said[mark:]]
    rows = gather(join_wrapped(cut, row_labels()), known)  # a wrapped label's values a line each
    parts = split_reports(rows)
    if len(parts) == 1:
        return [ReportText(rows, str(path), read_as, tuple(damaged), tuple(said))]
    out = []
    before: dict[str, int] = {}  # rows of each title in the reports before this one
    for k, part in enumerate(parts, 1):
        here = {t: before.get(t, 0) + sum(_title_row(r) == t for r in part) for t in {t for _, t in said}}
        mine = tuple((p, t) for (p, t), n in zip(said, at, strict=True) if before.get(t, 0) <= n < here[t])
        before = here
        out.append(ReportText(part, f"{path}（第{k}份报告）", read_as, tuple(damaged) if k == 1 else (), mine))
    return out


def _title_row(row: Row) -> str:
    texts = [t for t in (clean(c) for c in row) if t]
    return texts[0] if len(texts) == 1 else ""
