"""A province-sized merge with broken files among the good ones; outputs independent of time zone."""

from __future__ import annotations

import random
import shutil
import time
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from govxl.editions import edition_by_id
from govxl.excel.template_book import build_template
from govxl.merge import Status, merge, write_outputs
from govxl.synth import consistent_values
from tests.conftest import CORPUS, SAMPLES_2020

BROKEN = ["truncated.xlsx", "csv_renamed.xlsx", "empty_workbook.xlsx", "sheet_deleted.xlsx", "entity.xlsx",
          "zip_bomb.xlsx", "million_rows.xlsx", "external_entity.xlsx"]  # fmt: skip
NEW = edition_by_id("2021")


def _returns(folder: Path, n: int) -> None:
    """n returns of distinct units, fast: one workbook, its unit name patched in the shared strings."""
    base = folder / "base.xlsx"
    build_template(base, NEW, 2025, unit="单位00000", values=consistent_values(NEW, random.Random(1)))
    with zipfile.ZipFile(base) as zf:
        members = [(i, zf.read(i.filename)) for i in zf.infolist()]
    base.unlink()
    for i in range(n):
        name = f"单位{i:05d}".encode()
        with zipfile.ZipFile(folder / f"u{i:05d}.xlsx", "w", zipfile.ZIP_DEFLATED) as zf:
            for info, data in members:
                zf.writestr(info, data.replace("单位00000".encode(), name))


def test_1000_returns_of_which_20_broken(tmp_path: Path) -> None:
    folder = tmp_path / "省"
    folder.mkdir()
    _returns(folder, 980)
    for i in range(20):
        shutil.copy(CORPUS / BROKEN[i % len(BROKEN)], folder / f"broken_{i:02d}.xlsx")
    start = time.perf_counter()
    result = merge([folder], when=datetime(2026, 1, 15))
    write_outputs(result, tmp_path / "汇总.xlsx")
    elapsed = time.perf_counter() - start
    assert len(result.units) == 980
    broken = [e for e in result.files if e.status != Status.MERGED]
    assert len(broken) == 20 and all(Path(e.shown).name.startswith("broken_") and e.reason for e in broken)
    assert len(result.files) == 1000
    print(f"merged 980 + 20 broken in {elapsed:.1f} s")  # the timing target is measured by benchmarks/


def test_same_bytes_in_any_time_zone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = SAMPLES_2020
    outputs = []
    try:
        for zone in ("Asia/Shanghai", "America/Los_Angeles", "UTC"):
            monkeypatch.setenv("TZ", zone)
            time.tzset()
            out = tmp_path / f"{zone.replace('/', '_')}.xlsx"
            write_outputs(merge([src]), out)  # the time shown comes from the files' modification times
            outputs.append(out.read_bytes())
    finally:
        monkeypatch.delenv("TZ", raising=False)
        time.tzset()
    assert outputs[0] == outputs[1] == outputs[2]
