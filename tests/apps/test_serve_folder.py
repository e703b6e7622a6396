"""``govxl serve``: the 报表 folder kept in step with the records, and the downloads always what the board shows.

A clerk's folder or file inside 报表/, a return held open in Excel (simulated: ``os.replace`` refuses the file,
as Windows does), an unreadable upload after a good return, a department's cover naming its unit otherwise.
The downloaded workbook's figures are read with python-calamine, not with govxl.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from starlette.testclient import TestClient

import govxl
from govxl.apps.serve.app import create_app
from govxl.apps.serve.wording import for_department
from govxl.apps.serve.workspace import UploadOutcome, Workspace
from govxl.editions import edition_for_year
from govxl.excel.template_book import build_template
from govxl.read.roster import read_roster
from tests.servekit import ROOT, YEAR, csrf, make_return, return_values, write_roster

LICENSING = "t2.licensing.decisions"  # 表二 行政许可


@pytest.fixture
def service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    ws = Workspace(Path("收集"), year=YEAR, roster=write_roster(tmp_path))
    client = TestClient(create_app(ws, base_url="http://127.0.0.1:8765"), base_url="http://127.0.0.1")
    assert client.get(f"/login?key={ws.office_key}").status_code == 200
    yield ws, client
    client.close()
    ws.close()


def licensing_return(path: Path, unit: str, licensing: int, *, year: int = YEAR) -> Path:
    values = return_values(3)
    values[LICENSING] = licensing
    build_template(path, edition_for_year(year), year, unit=unit, values=values)
    return path


def token(ws: Workspace, name: str) -> str:
    unit = next(u for u in ws.store.units() if u.name == name)
    assert unit.token
    return unit.token


def upload(client: TestClient, ws: Workspace, unit: str, data: bytes, name: str) -> str:
    t = token(ws, unit)
    r = client.post(f"/u/{t}/upload", data={"csrf": csrf(client.get(f"/u/{t}").text)}, files={"file": (name, data)})
    assert r.status_code == 200, r.text
    return r.text


def board_status(client: TestClient) -> dict[str, str]:
    return dict(re.findall(r'data-unit="([^"]+)" data-status="([^"]+)"', client.get("/").text))


def merged_figures(data: bytes, tmp_path: Path) -> tuple[dict[str, object], str]:
    """Each unit's 行政许可 from the downloaded workbook's 表二明细, and its 汇总说明 as text."""
    path = tmp_path / "download.xlsx"
    path.write_bytes(data)
    book = CalamineWorkbook.from_path(str(path))
    rows = book.get_sheet_by_name("表二明细").to_python()
    column = next(j for row in rows[:4] for j, cell in enumerate(row) if cell == "行政许可")
    figures = {row[1]: row[column] for row in rows[4:] if len(row) > column and isinstance(row[1], str) and row[1]}
    notes = "\n".join(" ".join(str(c) for c in row) for row in book.get_sheet_by_name("汇总说明").to_python())
    return figures, notes


class Locked:
    """A file in 报表/ held open in Excel on Windows: it can be neither replaced nor moved."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, *paths: Path) -> None:
        self.paths = {p.resolve() for p in paths}
        self.monkeypatch = monkeypatch
        self.real = os.replace
        monkeypatch.setattr(os, "replace", self.replace)

    def replace(self, src: str | Path, dst: str | Path) -> None:
        if self.paths & {Path(src).resolve(), Path(dst).resolve()}:
            raise PermissionError(errno.EACCES, "locked", str(dst))
        self.real(src, dst)

    def close(self) -> None:
        self.monkeypatch.setattr(os, "replace", self.real)


def test_a_return_held_open_in_excel_is_never_downloaded_stale(service, tmp_path: Path, monkeypatch) -> None:
    ws, client = service
    upload(client, ws, "区财政局", licensing_return(tmp_path / "a.xlsx", "区财政局", 41).read_bytes(), "年报.xlsx")
    figures, _ = merged_figures(client.get("/download/merged").content, tmp_path)
    assert figures["区财政局"] == 41
    # the clerk opens it in Excel, which writes its owner file beside it and holds both: that alone stops nothing
    owner = ws.current / "~$区财政局.xlsx"
    owner.write_bytes(b"\x08zhangsan" + b"\x00" * 150)
    locked = Locked(monkeypatch, ws.current / "区财政局.xlsx", owner)
    assert "与报送记录不一致" not in client.get("/").text and client.get("/download/merged").status_code == 200
    upload(client, ws, "区财政局", licensing_return(tmp_path / "b.xlsx", "区财政局", 97).read_bytes(), "年报改.xlsx")
    # another unit reporting meanwhile is kept in step
    upload(client, ws, "区教育局", licensing_return(tmp_path / "c.xlsx", "区教育局", 5).read_bytes(), "教育.xlsx")
    assert (ws.current / "区教育局.xlsx").exists()
    assert board_status(client)["区财政局"] == UploadOutcome.ACCEPTED
    board = client.get("/").text
    assert "与报送记录不一致" in board and "“区财政局.xlsx”无法更新" in board and "Excel 或 WPS 中打开" in board
    for what in ("merged", "report", "annotated"):
        r = client.get(f"/download/{what}")
        assert r.status_code == 409 and "区财政局.xlsx" in r.text and "请在 Excel 或 WPS 中关闭该文件" in r.text, what
    locked.close()  # the clerk closes Excel: the board puts it right and stops saying so
    owner.unlink()
    assert "与报送记录不一致" not in client.get("/").text
    figures, _ = merged_figures(client.get("/download/merged").content, tmp_path)
    assert figures == {"区财政局": 97, "区教育局": 5}


def test_a_folder_made_inside_the_returns_folder_is_set_aside_and_stops_nothing(service, tmp_path: Path) -> None:
    ws, client = service
    (ws.current / "旧版").mkdir()  # the clerk keeps an old version there
    licensing_return(ws.current / "旧版" / "区财政局.xlsx", "区财政局", 41)
    upload(client, ws, "区财政局", licensing_return(tmp_path / "b.xlsx", "区财政局", 97).read_bytes(), "年报.xlsx")
    assert sorted(p.name for p in ws.current.iterdir()) == ["区财政局.xlsx"]
    (kept,) = (ws.received / "未登记").iterdir()
    assert kept.name.endswith("_旧版") and (kept / "区财政局.xlsx").exists()  # moved, never deleted
    board = client.get("/").text
    assert "移出的文件" in board and "报表/旧版" in board and f"收件/未登记/{kept.name}" in board
    assert board_status(client)["区财政局"] == UploadOutcome.ACCEPTED
    r = client.get("/download/merged")
    assert r.status_code == 200
    figures, _ = merged_figures(r.content, tmp_path)
    assert figures == {"区财政局": 97}


def test_a_folder_that_cannot_be_moved_is_shown_and_refuses_the_downloads_only(
    service, tmp_path: Path, monkeypatch
) -> None:
    ws, client = service
    (ws.current / "旧版").mkdir()
    licensing_return(ws.current / "旧版" / "区财政局.xlsx", "区财政局", 41)
    locked = Locked(monkeypatch, ws.current / "旧版")
    upload(client, ws, "区财政局", licensing_return(tmp_path / "b.xlsx", "区财政局", 97).read_bytes(), "年报.xlsx")
    assert (ws.current / "区财政局.xlsx").exists()  # the others are kept in step all the same
    assert "“旧版”不是服务登记的报表，无法移到“收件/未登记”" in client.get("/").text
    r = client.get("/download/merged")
    assert r.status_code == 409 and "旧版" in r.text
    locked.close()
    figures, _ = merged_figures(client.get("/download/merged").content, tmp_path)
    assert figures == {"区财政局": 97}


def test_a_file_put_into_the_returns_folder_by_hand_is_set_aside_never_deleted(service, tmp_path: Path) -> None:
    ws, client = service
    upload(client, ws, "区财政局", make_return(tmp_path / "a.xlsx", "区财政局").read_bytes(), "a.xlsx")
    by_hand = make_return(ws.current / "区公安局.xlsx", "区公安局", 5).read_bytes()
    shutil.copyfile(tmp_path / "a.xlsx", ws.current / "副本.xlsx")  # the same bytes as a return received
    (ws.current / "区财政局.xlsx").write_bytes(make_return(tmp_path / "edited.xlsx", "区财政局", 6).read_bytes())
    edited = (ws.current / "区财政局.xlsx").read_bytes()
    upload(client, ws, "区教育局", make_return(tmp_path / "b.xlsx", "区教育局", 2).read_bytes(), "b.xlsx")
    assert sorted(p.name for p in ws.current.iterdir()) == ["区教育局.xlsx", "区财政局.xlsx"]
    assert (ws.current / "区财政局.xlsx").read_bytes() == (tmp_path / "a.xlsx").read_bytes()  # the counted one
    kept = {p.name.split("_", 1)[1]: p.read_bytes() for p in (ws.received / "未登记").iterdir()}
    copy = (tmp_path / "a.xlsx").read_bytes()
    assert kept == {"区公安局.xlsx": by_hand, "区财政局.xlsx": edited, "副本.xlsx": copy}  # kept, byte for byte
    board = client.get("/").text
    assert "报表/区公安局.xlsx" in board and "报表/区财政局.xlsx" in board and "没有删除" in board


@pytest.mark.parametrize("bad", ["truncated", "renamed_docx", "last_years_blank_template", "zeros"])
def test_an_unreadable_upload_never_displaces_a_good_return(service, tmp_path: Path, bad: str) -> None:
    ws, client = service
    upload(client, ws, "区财政局", licensing_return(tmp_path / "a.xlsx", "区财政局", 41).read_bytes(), "年报.xlsx")
    if bad == "truncated":
        data = (ROOT / "tests" / "corpus" / "truncated.xlsx").read_bytes()
    elif bad == "renamed_docx":
        with zipfile.ZipFile(tmp_path / "letter.docx", "w") as zf:  # a Word document renamed .xlsx
            zf.writestr("[Content_Types].xml", "<Types/>")
            zf.writestr("word/document.xml", "<w:document/>")
        data = (tmp_path / "letter.docx").read_bytes()
    elif bad == "last_years_blank_template":
        data = govxl.make_template(tmp_path / "t.xlsx", YEAR - 1, unit="区财政局").read_bytes()
    else:
        data = b"\0" * (19 * 1024 * 1024)
    page = upload(client, ws, "区财政局", data, "年报（最终版）.xlsx")
    assert "未计入汇总" in page and "计入汇总的仍是此前上传的“年报.xlsx”" in page
    assert board_status(client)["区财政局"] == UploadOutcome.ACCEPTED
    assert "此前的报表仍计入汇总" in client.get("/").text
    unit = ws.store.unit_by_key("区财政局")
    assert unit is not None
    latest, first = ws.store.history(unit.id)
    assert latest.original_name == "年报（最终版）.xlsx" and latest.errors >= 1  # kept, with its reason
    assert [s.id for s in ws.store.current(unit.id)] == [first.id]
    assert for_department(latest.findings[0]["message"]) in page  # the history says why
    figures, _ = merged_figures(client.get("/download/merged").content, tmp_path)
    assert figures == {"区财政局": 41}
    # a good return replaces the good one as before
    upload(client, ws, "区财政局", licensing_return(tmp_path / "b.xlsx", "区财政局", 97).read_bytes(), "新.xlsx")
    figures, _ = merged_figures(client.get("/download/merged").content, tmp_path)
    assert figures == {"区财政局": 97}


def test_the_office_sorting_by_file_name_never_displaces_a_good_return_either(service, tmp_path: Path) -> None:
    _, client = service
    good = licensing_return(tmp_path / "a.xlsx", "区财政局", 41).read_bytes()
    bad = (ROOT / "tests" / "corpus" / "truncated.xlsx").read_bytes()
    r = client.post(
        "/upload",
        data={"csrf": csrf(client.get("/").text)},
        files=[("files", ("区财政局.xlsx", good)), ("files", ("区财政局（更正）.xlsx", bad))],
    )
    assert r.status_code == 200 and "该单位此前的报表仍计入汇总" in r.text
    r = client.post("/upload", data={"csrf": csrf(client.get("/").text)}, files=[("files", ("区财政局2.xlsx", bad))])
    assert r.status_code == 200 and "该单位此前的报表仍计入汇总" in r.text
    assert board_status(client)["区财政局"] == UploadOutcome.ACCEPTED
    figures, _ = merged_figures(client.get("/download/merged").content, tmp_path)
    assert figures == {"区财政局": 41}


@pytest.mark.parametrize("cover", ["牡丹江市西安区财政局", "财政局", "区财政局（盖章）"])
def test_a_department_whose_cover_names_its_unit_otherwise_is_accepted_with_a_hint(
    service, tmp_path: Path, cover: str
) -> None:
    ws, client = service
    page = upload(client, ws, "区财政局", make_return(tmp_path / "a.xlsx", cover).read_bytes(), "a.xlsx")
    assert board_status(client)["区财政局"] == UploadOutcome.ACCEPTED
    unit = ws.store.unit_by_key("区财政局")
    assert unit is not None and len(ws.store.current(unit.id)) == 1
    if cover != "区财政局（盖章）":  # the same name, as merge reads it: no hint
        assert f"报表封面的“填报单位”是“{cover}”，与名单中的“区财政局”不一致" in page
        assert "请把封面的“填报单位”改为“区财政局”后重新上传" in page
        assert "“说明”栏写明原因" not in page  # a cover's name is corrected, not explained


@pytest.mark.parametrize("cover", ["区教育局", "西安区教育局"])
def test_a_department_sending_another_roster_units_return_is_still_refused(service, tmp_path: Path, cover: str) -> None:
    ws, client = service
    page = upload(client, ws, "区财政局", make_return(tmp_path / "a.xlsx", cover).read_bytes(), "a.xlsx")
    assert "单位不符" in page
    assert board_status(client)["区财政局"] == UploadOutcome.MISSING


def statuses(data: bytes, tmp_path: Path) -> dict[str, str]:
    """Each unit's status in the downloaded workbook's 汇总说明."""
    path = tmp_path / "statuses.xlsx"
    path.write_bytes(data)
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("汇总说明").to_python()
    return {
        str(row[1]): str(row[2]) for row in rows if len(row) > 2 and row[2] in ("已报", "缺报", "重复", "不在名单中")
    }


def test_a_cover_accepted_through_the_link_is_the_units_in_the_downloads_too(service, tmp_path: Path) -> None:
    ws, client = service
    given = (tmp_path / "名单.txt").read_bytes()
    kept = ws.roster.read_bytes()
    cover = "牡丹江市西安区财政局"
    page = upload(client, ws, "区财政局", licensing_return(tmp_path / "a.xlsx", cover, 41).read_bytes(), "a.xlsx")
    assert f"“{cover}”已记为“区财政局”的其他名称" in page
    upload(client, ws, "区教育局", licensing_return(tmp_path / "b.xlsx", "区教育局", 7).read_bytes(), "b.xlsx")
    assert board_status(client)["区财政局"] == UploadOutcome.ACCEPTED
    download = client.get("/download/merged").content
    figures, _ = merged_figures(download, tmp_path)
    assert figures == {"区财政局": 41, "区教育局": 7}
    assert statuses(download, tmp_path) == {
        "区财政局": "已报",
        "区教育局": "已报",
        "区民政局": "缺报",
        "区司法局": "缺报",
    }
    # the office's roster (and its copy in the folder) untouched; the roster merge is given holds the other name
    assert (tmp_path / "名单.txt").read_bytes() == given and ws.roster.read_bytes() == kept
    merge_roster = Path("收集/汇总名单.csv")
    assert f"区财政局,{cover}" in merge_roster.read_text(encoding="utf-8-sig").splitlines()
    assert client.get("/download/roster").content == merge_roster.read_bytes()
    unit = ws.store.unit_by_key("区财政局")
    assert unit is not None and f"其他名称：{cover}" in client.get(f"/unit/{unit.id}").text
    cli = govxl.merge_files([Path("收集/报表")], roster=merge_roster, year=YEAR, name=ws.name)
    govxl.write_merge(cli, tmp_path / "cli.xlsx")
    assert (tmp_path / "cli.xlsx").read_bytes() == download
    # the records keep it across a restart
    ws.close()
    again = Workspace(Path("收集"))
    try:
        assert f"区财政局,{cover}" in merge_roster.read_text(encoding="utf-8-sig").splitlines()
    finally:
        again.close()


@pytest.mark.parametrize("cover", ['=HYPERLINK("http://example.com","区财政局")', "区财政局；预算科"])
def test_an_odd_cover_kept_as_an_other_name_stays_one_name_and_never_a_formula(
    service, tmp_path: Path, cover: str
) -> None:
    ws, client = service
    upload(client, ws, "区财政局", licensing_return(tmp_path / "a.xlsx", cover, 5).read_bytes(), "a.xlsx")
    rows = Path("收集/汇总名单.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(rows) == 1 + len(ws.listed.units)  # a header and one row per unit: nothing split
    other = rows[1].split(",", 1)[1]
    assert not other.lstrip('"').startswith(("=", "+", "-", "@")) and "；" not in other
    download = client.get("/download/merged").content
    assert statuses(download, tmp_path)["区财政局"] == "已报"
    assert merged_figures(download, tmp_path)[0] == {"区财政局": 5}


def test_an_other_name_that_became_a_roster_unit_is_left_out_of_the_merge_roster(service, tmp_path: Path) -> None:
    ws, client = service
    upload(client, ws, "区财政局", licensing_return(tmp_path / "a.xlsx", "财政局", 5).read_bytes(), "a.xlsx")
    assert read_roster(Path("收集/汇总名单.csv")).aliases == {"区财政局": ["财政局"]}
    ws.close()
    again = Workspace(Path("收集"), roster=write_roster(tmp_path, ["区财政局", "区教育局", "财政局"]))
    try:
        assert read_roster(Path("收集/汇总名单.csv")).aliases == {}  # the roster's own unit now; no longer refused
        assert again.other_names(again.store.unit_by_key("区财政局")) == []  # type: ignore[arg-type]
    finally:
        again.close()


def test_the_rosters_other_names_place_and_refuse_uploads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    roster = tmp_path / "名单.txt"
    roster.write_text("区财政局 = 财政局\n区教育局 = 教育局\n", encoding="utf-8")
    ws = Workspace(Path("收集"), year=YEAR, roster=roster)
    client = TestClient(create_app(ws, base_url="http://127.0.0.1:8765"), base_url="http://127.0.0.1")
    try:
        assert client.get(f"/login?key={ws.office_key}").status_code == 200
        page = upload(client, ws, "区财政局", licensing_return(tmp_path / "a.xlsx", "教育局", 3).read_bytes(), "a.xlsx")
        assert "单位不符" in page  # another unit's other name
        office = client.post(
            "/upload",
            data={"csrf": csrf(client.get("/").text)},
            files=[("files", ("x.xlsx", licensing_return(tmp_path / "b.xlsx", "财政局", 12).read_bytes()))],
        )
        assert office.status_code == 200
        assert board_status(client) == {"区财政局": UploadOutcome.ACCEPTED, "区教育局": UploadOutcome.MISSING}
        download = client.get("/download/merged").content
        assert merged_figures(download, tmp_path)[0] == {"区财政局": 12}
        assert statuses(download, tmp_path) == {"区财政局": "已报", "区教育局": "缺报"}
    finally:
        client.close()
        ws.close()


def test_a_copy_that_no_longer_counts_is_removed_not_set_aside(service, tmp_path: Path) -> None:
    ws, client = service
    a = make_return(tmp_path / "a.xlsx", "区财政局", 3).read_bytes()
    b = make_return(tmp_path / "b.xlsx", "区财政局", 4).read_bytes()
    form = {"csrf": csrf(client.get("/").text)}
    client.post("/upload", data=form, files=[("files", ("1.xlsx", a)), ("files", ("2.xlsx", b))])  # 重复
    assert sorted(p.name for p in ws.current.iterdir()) == ["区财政局.xlsx", "区财政局_2.xlsx"]
    upload(client, ws, "区财政局", a, "a.xlsx")
    assert sorted(p.name for p in ws.current.iterdir()) == ["区财政局.xlsx"]
    assert not (ws.received / "未登记").exists() and "移出的文件" not in client.get("/").text
