"""What many test modules share: the repository's paths, and the bundled samples merged and checked once.

The session fixtures hand the same objects to every test that asks for them, so a test must only read them
(copy a file before changing it). Each fixture takes a fingerprint of what it made and checks it again at
the end of the session: a test that changed a shared result or file makes that check fail.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
DATA = TESTS / "data"
CORPUS = TESTS / "corpus"
GOLDEN = TESTS / "golden"
SAMPLES = ROOT / "samples"
SAMPLES_2020 = SAMPLES / "2020西安区"  # 牡丹江市西安区's 2020 returns (the 2019 format)
SAMPLES_2021 = SAMPLES / "2021"  # a district's 2021 returns with a roster, every kind of trouble among them
ROSTER_2021 = SAMPLES_2021 / "单位名单.txt"
WHEN = datetime(2021, 1, 15, 9, 0)  # the time the shared merges are said to be made


def in_ci() -> bool:
    return bool(os.environ.get("CI"))


def require(found: object, what: str, how: str) -> None:
    """A tool or folder a test needs: in CI (``CI`` set) its absence fails the test, elsewhere it skips it."""
    if found:
        return
    if in_ci():
        pytest.fail(f"{what} is required in CI and is missing: {how}", pytrace=False)
    pytest.skip(f"{what} is not available here ({how})")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[pytest.TestReport]:
    """In CI every test runs: a skip (a ``skipif`` mark, ``importorskip``, a missing tool) is a failure there."""
    report: pytest.TestReport = yield
    if in_ci() and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, where every test must run: {reason}"
    return report


def shared_reference() -> Path | None:
    """The team's ``shared/reference`` folder, which sits beside the repository (or beside the folder of
    its worktrees) on the team's machines; None elsewhere."""
    for folder in ROOT.parents:
        candidate = folder / "shared" / "reference"
        if candidate.is_dir():
            return candidate
    return None


def _fingerprint(*things: Any) -> str:
    digest = hashlib.sha256()
    for thing in things:
        if isinstance(thing, Path):
            digest.update(thing.read_bytes() if thing.is_file() else b"<missing>")
        else:
            digest.update(pickle.dumps(thing))
    return digest.hexdigest()


def _unchanged(name: str, before: str, *things: Any) -> None:
    assert _fingerprint(*things) == before, (
        f"a test changed the shared fixture {name!r}: copy it (copy.deepcopy, shutil.copy) before changing it"
    )


@dataclass(frozen=True)
class WrittenMerge:
    """A merge of bundled samples, written out: the workbook, its JSON beside it, and the result."""

    path: Path
    result: Any  # govxl.results.merge.Merged

    @property
    def json(self) -> Path:
        return self.path.with_suffix(".json")

    def __iter__(self) -> Iterator[Any]:  # ``path, result = merged_2021``
        return iter((self.path, self.result))


@dataclass(frozen=True)
class Annotated:
    """``govxl check`` of the 2021 samples and their annotated copies (退回修改)."""

    written: list[Path]
    skipped: list[tuple[str, str]]
    result: Any  # govxl.check.CheckResult
    before: dict[Path, bytes]  # the samples' bytes before the check ran

    def __iter__(self) -> Iterator[Any]:  # ``written, result, before = annotated_2021``
        return iter((self.written, self.result, self.before))


def _merged(folder: Path, name: str, **options: Any) -> Iterator[WrittenMerge]:
    from govxl.merge import merge, write_outputs

    out = folder / f"{name}.xlsx"
    result = merge(**options, name=name, when=WHEN)
    write_outputs(result, out, out.with_suffix(".json"))
    shared = WrittenMerge(out, result)
    before = _fingerprint(result, out, shared.json)
    yield shared
    _unchanged(name, before, result, out, shared.json)


@pytest.fixture(scope="session")
def merged_2020(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WrittenMerge]:
    """samples/2020西安区 merged as 西安区: every return passes; the tables equal the published report."""
    yield from _merged(tmp_path_factory.mktemp("merged_2020"), "西安区", inputs=[SAMPLES_2020])


@pytest.fixture(scope="session")
def merged_2021(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WrittenMerge]:
    """samples/2021 merged with its roster as 某某区: duplicates, a missing unit, unreadable files, errors."""
    yield from _merged(tmp_path_factory.mktemp("merged_2021"), "某某区", inputs=[SAMPLES_2021], roster=ROSTER_2021)


@pytest.fixture(scope="session")
def annotated_2021(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Annotated]:
    """``govxl check`` of samples/2021 and an annotated copy of every return with findings."""
    from govxl.check import check_files
    from govxl.excel.annotate import annotate_all

    before = {p: p.read_bytes() for p in SAMPLES_2021.iterdir()}
    result = check_files([SAMPLES_2021])
    written, skipped = annotate_all(result, tmp_path_factory.mktemp("退回"))
    shared = Annotated(written, skipped, result, before)
    fingerprint = _fingerprint(result, skipped, *written)
    yield shared
    _unchanged("annotated_2021", fingerprint, result, skipped, *written)
