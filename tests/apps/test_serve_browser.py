"""The whole loop in a real headless Chromium (Debian's ``chromium``, driven by Playwright).

Start the service with a roster; as a department, download the template, fill it in with a wrong total,
upload it and see the finding and its 建议值; upload the corrected return; as the office, see the board
turn 已报 and download the merged workbook, whose totals are checked.

``GOVXL_SCREENSHOTS=docs`` also saves the two screenshots the README shows.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

import govxl
from govxl.editions import edition_for_year
from govxl.layout import cell_index
from tests.conftest import require
from tests.servekit import ROOT, WRONG_TOTAL, YEAR, make_return, return_values, running, write_roster

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"


def _chromium() -> str:
    found = Path(CHROMIUM).exists() and shutil.which("chromium") is not None
    require(found, "Debian's chromium", "scripts/test.sh installs it")
    require(importlib.util.find_spec("playwright"), "playwright", "it comes with the test extras")
    return CHROMIUM


def fill(template: Path, target: Path, *, wrong_total: bool) -> dict[str, object]:
    """What a department does in Excel: type the figures into the template's cells, save."""
    index = cell_index(edition_for_year(YEAR))
    values = return_values(7, wrong_total=wrong_total)
    wb = openpyxl.load_workbook(template)
    for key, value in values.items():
        lay, cell = index[key]
        wb[lay.sheet][cell.ref] = value
    wb.save(target)
    return values


def test_the_whole_loop_in_chromium(tmp_path: Path) -> None:
    executable = _chromium()
    from playwright.sync_api import expect, sync_playwright

    units = ["区财政局", "区教育局", "区民政局", "区司法局", "区统计局"]
    roster = write_roster(tmp_path, units)
    folder = tmp_path / "年报收集"
    shots = os.environ.get("GOVXL_SCREENSHOTS")
    with (
        running(folder, "--year", str(YEAR), "--roster", str(roster), "--name", "示例区", cwd=tmp_path) as (
            _,
            links,
            _proc,
        ),
        sync_playwright() as p,
    ):
        browser = p.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        try:
            department = browser.new_page(accept_downloads=True, viewport={"width": 1200, "height": 900})
            department.goto(links["区财政局"])
            expect(department.locator("h1")).to_have_text("区财政局")
            with department.expect_download() as download:
                department.get_by_role("link", name="下载本单位模板（.xlsx）").click()
            template = tmp_path / "模板.xlsx"
            download.value.save_as(template)
            assert download.value.suggested_filename == f"区财政局_{YEAR}年度政府信息公开年报统计表.xlsx"
            assert govxl.read_file(template).unit == "区财政局"

            wrong = tmp_path / "区财政局.xlsx"
            fill(template, wrong, wrong_total=True)
            department.set_input_files("input[type=file]", str(wrong))
            department.get_by_role("button", name="上传并检查").click()
            findings = department.locator("table.findings")
            expect(findings).to_contain_text("表三!J5")
            expect(department.locator(".suggested")).to_contain_text("建议值")
            expect(department.locator("strong.status")).to_have_text("有错误")
            suggested = department.locator(".suggested").first.inner_text()
            values = return_values(7)
            assert suggested == f"建议值 {values[WRONG_TOTAL]}"  # the total the parts give
            if shots:
                department.screenshot(path=str(Path(shots) / "serve-department.png"), full_page=True)

            fixed = tmp_path / "区财政局（改）.xlsx"
            fill(template, fixed, wrong_total=False)
            department.set_input_files("input[type=file]", str(fixed))
            department.get_by_role("button", name="上传并检查").click()
            expect(department.locator("strong.status")).to_have_text("已报")
            expect(department.locator(".notice.ok")).to_contain_text("校验通过")

            office = browser.new_page(accept_downloads=True, viewport={"width": 1200, "height": 900})
            office.goto(links["office"])
            row = office.locator("tr[data-unit='区财政局']")
            expect(row.locator("td.status")).to_have_text("已报")
            expect(office.locator("tr[data-unit='区教育局'] td.status")).to_have_text("缺报")
            expect(office.locator(".filters")).to_contain_text("已报 1")
            expect(office.locator(".filters")).to_contain_text("缺报 4")
            # returns that came by e-mail: two at once through the office's upload form
            others = [tmp_path / "区教育局.xlsx", tmp_path / "区民政局.xlsx"]
            make_return(others[0], "区教育局", 8, wrong_total=True)
            make_return(others[1], "区民政局", 9)
            office.set_input_files("input[type=file]", [str(p) for p in others])
            office.get_by_role("button", name="上传并检查").click()
            expect(office.locator("section.result")).to_have_count(2)
            office.get_by_role("link", name="返回报送情况").click()
            expect(office.locator("tr[data-unit='区教育局'] td.status")).to_have_text("有错误")
            expect(office.locator(".filters")).to_contain_text("已报 2")
            if shots:
                office.screenshot(path=str(Path(shots) / "serve-office.png"), full_page=True)
            office.get_by_role("link", name="缺报 2").click()
            expect(office.locator("tr[data-unit]")).to_have_count(2)
            office.get_by_role("link", name="全部 5").click()
            with office.expect_download() as download:
                office.get_by_role("link", name="下载汇总表（.xlsx）").click()
            merged = tmp_path / "页面汇总.xlsx"
            download.value.save_as(merged)
            assert download.value.suggested_filename == "示例区.xlsx"
            office.locator("tr[data-unit='区财政局'] a").click()
            expect(office.locator("table.history tbody tr")).to_have_count(2)
        finally:
            browser.close()
    totals = govxl.read_file(merged)
    assert totals.kind == "merged" and totals.unit == "示例区"
    numbers = totals.numbers()
    parts = [values, return_values(8, wrong_total=True), return_values(9)]
    for key in values:
        assert abs(numbers[key] - sum(float(p[key]) for p in parts)) < 1e-6, key  # type: ignore[arg-type]
    assert sorted(p.name for p in (folder / "报表").iterdir()) == ["区教育局.xlsx", "区民政局.xlsx", "区财政局.xlsx"]
    # the folder is an ordinary input: the command line gives the very same workbook
    cli = tmp_path / "命令行" / "示例区.xlsx"
    cli.parent.mkdir()
    args = ["merge", "年报收集/报表", "--roster", "年报收集/汇总名单.csv", "--year", str(YEAR), "-o", str(cli)]
    done = subprocess.run(
        [sys.executable, "-m", "govxl.apps.cli", *args],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert done.returncode == 1 and cli.read_bytes() == merged.read_bytes()
