"""Shared by the ``govxl serve`` tests: returns to upload, a service in a subprocess, form tokens."""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from govxl.editions import edition_for_year
from govxl.excel.template_book import build_template
from govxl.synth import consistent_values
from tests.conftest import ROOT

YEAR = 2025
UNITS = ["区财政局", "区教育局", "区民政局", "区司法局"]
WRONG_TOTAL = "t3.new_received.total"


def return_values(seed: int = 1, *, wrong_total: bool = False) -> dict[str, object]:
    """Figures that pass every rule and raise no hint; with ``wrong_total``, 表三's 新收 total one too many."""
    values: dict[str, object] = dict(consistent_values(edition_for_year(YEAR), random.Random(seed)))
    for key in values:
        if key.startswith("t2.regulations."):  # 规章 are for governments above the district: a hint otherwise
            values[key] = 0
    if wrong_total:
        values[WRONG_TOTAL] = int(values[WRONG_TOTAL]) + 1  # type: ignore[call-overload]
    return values


def make_return(path: Path, unit: str, seed: int = 1, *, wrong_total: bool = False, explanation: str = "") -> Path:
    values = return_values(seed, wrong_total=wrong_total)
    build_template(
        path,
        edition_for_year(YEAR),
        YEAR,
        unit=unit,
        values=values,
        explanations={"t2": explanation} if explanation else None,
    )
    return path


def write_roster(folder: Path, units: list[str] = UNITS) -> Path:
    path = folder / "名单.txt"
    path.write_text("\n".join(units) + "\n", encoding="utf-8")
    return path


def govxl_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``govxl`` run as the user runs it (a command that ends by itself)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "govxl.apps.cli", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def csrf(html: str) -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', html)
    assert m, "no CSRF field on the page"
    return m.group(1)


@contextmanager
def running(
    folder: Path, *args: str, cwd: Path, said: list[str] | None = None
) -> Iterator[tuple[str, dict[str, str], subprocess.Popen[str]]]:
    """``govxl serve`` in a subprocess on a free loopback port: (base URL, office link and unit links, process);
    what it said at the start is added to ``said``."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "govxl.apps.cli", "serve", str(folder), "--port", "0", "--no-browser", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    links: dict[str, str] = {}
    try:
        assert proc.stdout is not None
        deadline = time.monotonic() + 60
        for line in proc.stdout:
            if said is not None:
                said.append(line.rstrip("\n"))
            if "办公室页面" in line:
                links["office"] = line.split("：", 1)[1].strip()
            elif line.startswith("  ") and "/u/" in line:
                name, link = line.strip().split("：", 1)
                links[name] = link
            if line.startswith("按 Ctrl+C") or time.monotonic() > deadline:
                break
        assert "office" in links, f"the service did not start (exit code {proc.poll()})"
        base = links["office"].split("/login", 1)[0]
        _wait_until_listening(base)
        yield base, links, proc
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)


def _wait_until_listening(base: str) -> None:
    import urllib.error
    import urllib.request

    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/static/app.css", timeout=2).read()
            return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    raise AssertionError("the service never answered")
