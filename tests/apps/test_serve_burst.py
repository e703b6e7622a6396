"""``govxl serve`` under many uploads at once: the checks run side by side, the records are written one after
another, a unit's in the order its uploads arrived, and an upload reads no return in 报表/ but the one it replaces.

Nothing here is timed: the overlap is proven by two checks that each wait for the other.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

from govxl.apps.serve import workspace
from govxl.apps.serve.checking import Checker
from govxl.apps.serve.workspace import UploadOutcome, Workspace
from govxl.unitnames import unit_key
from tests.servekit import UNITS, YEAR, make_return, write_roster


@pytest.fixture
def ws(tmp_path: Path):  # type: ignore[no-untyped-def]
    opened = Workspace(tmp_path / "收集", year=YEAR, roster=write_roster(tmp_path))
    yield opened
    opened.close()


def take(ws: Workspace, unit: str, path: Path) -> workspace.Intake:
    with open(path, "rb") as f:
        incoming = ws.save_incoming(f, path.name)
    found = ws.store.unit_by_key(unit_key(unit))
    intake = ws.accept(incoming, found)
    assert isinstance(intake, workspace.Intake)
    return intake


def test_two_uploads_are_checked_side_by_side_and_recorded_in_the_order_they_arrived(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = make_return(tmp_path / "一.xlsx", "区财政局", 1)
    second = make_return(tmp_path / "二.xlsx", "区财政局", 2)
    real = workspace.check_received
    both = threading.Barrier(2, timeout=10)  # broken (and the test failed) if one check waits for the other
    first_checking = threading.Event()
    second_checked = threading.Event()

    def check(path: Path, year: int) -> workspace.Checked:
        checked = real(path, year)
        if first_checking.is_set():
            both.wait()
            second_checked.set()
        else:
            first_checking.set()
            both.wait()
            assert second_checked.wait(30)  # the upload that arrived first is the last to be checked
        return checked

    monkeypatch.setattr(workspace, "check_received", check)
    taken: dict[str, workspace.Intake] = {}
    early = threading.Thread(target=lambda: taken.update(first=take(ws, "区财政局", first)))
    early.start()
    assert first_checking.wait(30)
    late = threading.Thread(target=lambda: taken.update(second=take(ws, "区财政局", second)))
    late.start()
    early.join(60)
    late.join(60)
    assert not both.broken and set(taken) == {"first", "second"}
    assert taken["first"].submission.id < taken["second"].submission.id  # recorded in the order they arrived
    unit = ws.store.unit_by_key(unit_key("区财政局"))
    assert unit is not None
    (counted,) = ws.store.current(unit.id)
    assert counted.original_name == "二.xlsx" and counted.outcome == UploadOutcome.ACCEPTED  # the later one counts
    assert (ws.current / "区财政局.xlsx").read_bytes() == second.read_bytes()


def test_an_upload_reads_no_return_in_the_folder_but_the_one_it_replaces(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i, unit in enumerate(UNITS):
        take(ws, unit, make_return(tmp_path / f"{unit}.xlsx", unit, i))
    assert sorted(p.name for p in ws.current.iterdir()) == sorted(f"{u}.xlsx" for u in UNITS)
    read: list[Path] = []
    written: list[Path] = []
    real_digest, real_copy = workspace._digest, shutil.copyfile
    monkeypatch.setattr(workspace, "_digest", lambda path: read.append(Path(path)) or real_digest(path))
    monkeypatch.setattr(shutil, "copyfile", lambda src, dst: written.append(Path(dst)) or real_copy(src, dst))
    fixed = make_return(tmp_path / "改.xlsx", "区教育局", 9)
    take(ws, "区教育局", fixed)
    in_folder = [p for p in read if p.parent == ws.current]
    assert [p.name for p in in_folder] == ["区教育局.xlsx"]  # the copy it replaces, to see it is the service's own
    assert not [p for p in read if p.parent != ws.current]  # the received file's digest is in the records
    assert [p.parent for p in written] == [ws.current]
    assert (ws.current / "区教育局.xlsx").read_bytes() == fixed.read_bytes()
    # a file put into 报表/ by hand since: the whole folder is read again, as at the start, and the file set aside
    (ws.current / "旧版.xlsx").write_bytes(b"kept by the clerk")
    read.clear()
    take(ws, "区民政局", make_return(tmp_path / "民政.xlsx", "区民政局", 5))
    assert {p.name for p in read if p.parent == ws.current} >= {f"{u}.xlsx" for u in UNITS} - {"区民政局.xlsx"}
    assert not (ws.current / "旧版.xlsx").exists() and len(list((ws.received / "未登记").iterdir())) == 1


def test_uploads_handed_over_while_a_download_holds_the_folder_are_placed_when_it_lets_go(
    ws: Workspace, tmp_path: Path
) -> None:
    with ws.in_step() as current:
        taken = take(ws, "区财政局", make_return(tmp_path / "a.xlsx", "区财政局"))  # answered, not kept waiting
        assert taken.counted and not (current / "区财政局.xlsx").exists()  # the merge's folder did not change
    assert [p.name for p in ws.current.iterdir()] == ["区财政局.xlsx"]


def test_a_worker_that_dies_takes_no_upload_with_it(tmp_path: Path) -> None:
    path = make_return(tmp_path / "a.xlsx", "区财政局")
    checker = Checker(YEAR, workers=1)
    try:
        for process in list(checker._pool._processes.values()):  # type: ignore[union-attr]
            process.kill()  # as a parser aborting on a crafted file would
            process.join()
        ((fc, findings),) = checker.check_all([path])
        assert fc is not None and fc.cover == "区财政局" and findings == []
        ((fc, _),) = checker.check_all([path])  # a new pool took its place
        assert fc is not None
    finally:
        checker.close()


def test_a_slow_check_holds_up_no_other_units_upload(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    slow = make_return(tmp_path / "财政.xlsx", "区财政局", 1)
    quick = make_return(tmp_path / "教育.xlsx", "区教育局", 2)
    real = workspace.check_received
    slow_checking = threading.Event()
    quick_recorded = threading.Event()

    def check(path: Path, year: int) -> workspace.Checked:
        if not slow_checking.is_set():
            slow_checking.set()
            assert quick_recorded.wait(10)  # the other unit's upload, arrived later, is recorded meanwhile
        return real(path, year)

    monkeypatch.setattr(workspace, "check_received", check)
    taken: dict[str, workspace.Intake] = {}
    early = threading.Thread(target=lambda: taken.update(slow=take(ws, "区财政局", slow)))
    early.start()
    assert slow_checking.wait(30)
    taken["quick"] = take(ws, "区教育局", quick)
    quick_recorded.set()
    early.join(60)
    assert set(taken) == {"slow", "quick"} and taken["quick"].submission.id < taken["slow"].submission.id
    assert taken["slow"].counted and taken["quick"].counted
