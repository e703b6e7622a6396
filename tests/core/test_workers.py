"""A worker process that dies on one item takes none of the others with it."""

from __future__ import annotations

import os

import pytest

import govxl.workers
from govxl.workers import ordered_map


def _square_or_die(x: int) -> int:
    if x in (37, 38):
        os._exit(134)  # dies as a native parser aborting on a crafted file would
    return x * x


def test_the_item_that_kills_its_worker_is_named_and_the_rest_are_done(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(govxl.workers, "PARALLEL_FROM", 2)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    seen: list[int] = []
    out = ordered_map(_square_or_die, list(range(100)), each=seen.append, crashed=lambda x: -x)
    assert out == [-x if x in (37, 38) else x * x for x in range(100)]
    assert seen == out  # every result once, in order


def test_without_a_stand_in_the_breakage_is_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    from concurrent.futures.process import BrokenProcessPool

    monkeypatch.setattr(govxl.workers, "PARALLEL_FROM", 2)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    with pytest.raises(BrokenProcessPool):
        ordered_map(_square_or_die, list(range(100)))


def _read_or_die(item: tuple[object, str]) -> str:
    if item[1] == "坏.xlsx":
        os._exit(134)
    return item[1]


def test_merge_and_check_name_the_file_whose_reading_died(monkeypatch: pytest.MonkeyPatch) -> None:
    from govxl.read.inbox import CRASHED, read_all
    from govxl.results.findings import Finding

    monkeypatch.setattr(govxl.workers, "PARALLEL_FROM", 2)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    files = [(None, f"{i}.xlsx") for i in range(70)]
    files[40] = (None, "坏.xlsx")
    out = read_all(files, work=_read_or_die)  # type: ignore[arg-type]
    (dead,) = [r for r in out if isinstance(r, Finding)]
    assert dead.file == "坏.xlsx" and dead.message == CRASHED and dead.rule == "F1"
    assert [r for r in out if not isinstance(r, Finding)] == [f"{i}.xlsx" for i in range(70) if i != 40]
