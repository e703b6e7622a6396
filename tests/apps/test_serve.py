"""``govxl serve`` in process: statuses, findings, history, restart, downloads, the folder as merge input, speed."""

from __future__ import annotations

import html
import io
import json
import re
import time
import zipfile
from pathlib import Path

import pytest
from starlette.testclient import TestClient

import govxl
from govxl.apps.serve.app import create_app
from govxl.apps.serve.store import Submission
from govxl.apps.serve.workspace import UploadOutcome, Workspace
from tests.servekit import UNITS, YEAR, csrf, make_return, write_roster


@pytest.fixture
def service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    ws = Workspace(Path("收集"), year=YEAR, roster=write_roster(tmp_path))
    client = TestClient(create_app(ws, base_url="http://127.0.0.1:8765"), base_url="http://127.0.0.1")
    yield ws, client
    client.close()
    ws.close()


def office(client: TestClient, ws: Workspace) -> TestClient:
    assert client.get(f"/login?key={ws.office_key}").status_code == 200
    return client


def token(ws: Workspace, name: str) -> str:
    unit = next(u for u in ws.store.units() if u.name == name)
    assert unit.token
    return unit.token


def upload(client: TestClient, ws: Workspace, unit: str, path: Path, name: str = "") -> str:
    page = client.get(f"/u/{token(ws, unit)}")
    with open(path, "rb") as f:
        r = client.post(
            f"/u/{token(ws, unit)}/upload", data={"csrf": csrf(page.text)}, files={"file": (name or path.name, f)}
        )
    assert r.status_code == 200, r.text
    return r.text


def board_status(client: TestClient) -> dict[str, str]:
    rows = re.findall(r'data-unit="([^"]+)" data-status="([^"]+)"', client.get("/").text)
    return dict(rows)


def test_a_department_sees_the_findings_fixes_and_the_board_follows(service, tmp_path: Path) -> None:
    ws, client = service
    office(client, ws)
    assert set(board_status(client).values()) == {UploadOutcome.MISSING}
    page = upload(client, ws, "区财政局", make_return(tmp_path / "a.xlsx", "区财政局", wrong_total=True))
    assert "有错误" in page and "建议值" in page and "表三!J5" in page
    expected = govxl.check_files([tmp_path / "a.xlsx"], year=YEAR).findings  # the same findings `govxl check` gives
    assert expected and all(f.message in html.unescape(page) for f in expected)
    assert board_status(client)["区财政局"] == UploadOutcome.ERRORS
    page = upload(client, ws, "区财政局", make_return(tmp_path / "b.xlsx", "区财政局"))
    assert "校验通过" in page
    assert board_status(client)["区财政局"] == UploadOutcome.ACCEPTED
    history = ws.store.history(ws.store.unit_by_key("区财政局").id)  # type: ignore[union-attr]
    # both kept, the latest counts
    assert [s.outcome for s in history] == [UploadOutcome.ACCEPTED, UploadOutcome.ERRORS]
    assert sorted(p.name for p in ws.current.iterdir()) == ["区财政局.xlsx"]


def test_statuses_explained_unreadable_duplicate_and_another_units_return(service, tmp_path: Path) -> None:
    ws, client = service
    office(client, ws)
    hinted = make_return(tmp_path / "h.xlsx", "区教育局", explanation="")
    values_hint = govxl.check_files([hinted], year=YEAR)
    assert not values_hint.findings
    # a 提示 explained in the 说明 field counts as 已说明
    from govxl.editions import edition_for_year
    from govxl.excel.template_book import build_template
    from tests.servekit import return_values

    values = return_values(2)
    values["t2.regulations.issued"] = 1  # 规章 from a district body: a hint
    values["t2.regulations.in_force"] = 1
    build_template(
        tmp_path / "e.xlsx",
        edition_for_year(YEAR),
        YEAR,
        unit="区教育局",
        values=values,
        explanations={"t2": "本局受委托起草规章一件"},
    )
    page = upload(client, ws, "区教育局", tmp_path / "e.xlsx")
    assert "已说明" in page and "本局受委托起草规章一件" in page
    upload(client, ws, "区民政局", tmp_path / "e.xlsx")  # 区教育局's return sent with 区民政局's link
    assert "单位不符" in client.get(f"/u/{token(ws, '区民政局')}").text
    (tmp_path / "bad.xlsx").write_bytes(b"PK\x03\x04 not really")
    upload(client, ws, "区司法局", tmp_path / "bad.xlsx")
    page = client.get("/")
    form = csrf(page.text)
    a = make_return(tmp_path / "x1.xlsx", "区财政局", 3)
    b = make_return(tmp_path / "x2.xlsx", "区财政局", 4)
    r = client.post(
        "/upload",
        data={"csrf": form},
        files=[("files", ("财政1.xlsx", a.read_bytes())), ("files", ("财政2.xlsx", b.read_bytes()))],
    )
    assert r.status_code == 200 and r.text.count("重复") >= 2
    assert board_status(client) == {
        "区财政局": UploadOutcome.DUPLICATE,
        "区教育局": UploadOutcome.EXPLAINED,
        "区民政局": UploadOutcome.MISSING,
        "区司法局": UploadOutcome.UNREADABLE,
    }
    assert "最近一次上传未计入：单位不符" in client.get("/").text
    counts = dict(re.findall(r"(已报|缺报|有错误|已说明|无法读取|重复) (\d+)</a>", client.get("/").text))
    assert counts == {"已报": "0", "缺报": "1", "有错误": "0", "已说明": "1", "无法读取": "1", "重复": "1"}
    assert "区民政局" in client.get("/?status=缺报").text and "区教育局" not in client.get("/?status=缺报").text


def test_office_uploads_many_files_each_to_its_unit_and_keeps_one_it_cannot_place(service, tmp_path: Path) -> None:
    ws, client = service
    office(client, ws)
    files = [
        ("files", (f"{u}.xlsx", make_return(tmp_path / f"{u}.xlsx", u, i).read_bytes())) for i, u in enumerate(UNITS)
    ]
    files.append(("files", ("区公安局报表.xlsx", make_return(tmp_path / "p.xlsx", "区公安局", 9).read_bytes())))
    files.append(("files", ("扫描件.pdf", b"%PDF-1.4")))
    r = client.post("/upload", data={"csrf": csrf(client.get("/").text)}, files=files)
    assert r.status_code == 200
    status = board_status(client)
    assert all(status[u] == UploadOutcome.ACCEPTED for u in UNITS)
    assert status["区公安局"] == UploadOutcome.ACCEPTED and "不在名单中" in client.get("/").text
    assert "未能确定单位的文件" in client.get("/").text and "扫描件.pdf" in client.get("/").text


def test_the_folder_is_merge_input_and_gives_the_page_workbook(service, tmp_path: Path) -> None:
    ws, client = service
    office(client, ws)
    upload(client, ws, "区财政局", make_return(tmp_path / "a.xlsx", "区财政局", 1))
    upload(client, ws, "区教育局", make_return(tmp_path / "b.xlsx", "区教育局", 2, wrong_total=True))
    page = client.get("/download/merged")
    assert page.status_code == 200
    cli = tmp_path / "汇总.xlsx"
    from typer.testing import CliRunner

    from govxl.apps.cli import app

    result = CliRunner().invoke(
        app, ["merge", "收集/报表", "--roster", "收集/汇总名单.csv", "--year", str(YEAR), "-o", str(cli)]
    )
    assert result.exit_code == 1, result.output  # 缺报 and a wrong total
    assert cli.read_bytes() == page.content
    merged = govxl.read_file(cli)
    assert merged.kind == "merged"
    for what in ("annotated", "report", "templates", "links"):
        r = client.get(f"/download/{what}")
        assert r.status_code == 200 and r.content[:2] == b"PK", what
    with zipfile.ZipFile(io.BytesIO(client.get("/download/annotated").content)) as zf:
        assert zf.namelist() == ["区教育局_退回修改.xlsx"]
    with zipfile.ZipFile(io.BytesIO(client.get("/download/templates").content)) as zf:
        assert len(zf.namelist()) == len(UNITS)


def test_nothing_to_merge_yet_is_said_plainly(service) -> None:
    ws, client = service
    office(client, ws)
    r = client.get("/download/merged")
    assert r.status_code == 409 and "还没有收到任何报表" in r.text


def test_restart_resumes_from_the_folder_and_puts_it_right(service, tmp_path: Path) -> None:
    ws, client = service
    upload(client, ws, "区财政局", make_return(tmp_path / "a.xlsx", "区财政局"))
    link = token(ws, "区财政局")
    ws.close()
    # a crash left: half an upload, a file moved in but never recorded, a stray file in 报表/, a copy gone
    (ws.partial / "x.part").write_bytes(b"half")
    (ws.received / "20260101-unrecorded.xlsx").write_bytes(b"PK")
    (ws.current / "随手放入.xlsx").write_bytes(b"PK")
    (ws.current / "区财政局.xlsx").unlink()
    again = Workspace(Path("收集"))
    assert again.year == YEAR and token(again, "区财政局") == link
    assert not list(again.partial.iterdir())
    assert sorted(p.name for p in again.current.iterdir()) == ["区财政局.xlsx"]
    assert (again.received / "未登记" / "20260101-unrecorded.xlsx").exists()
    assert again.store.submission_count() == 1
    again.close()
    with pytest.raises(govxl.UsageError, match=f"是 {YEAR} 年度的"):
        Workspace(Path("收集"), year=YEAR + 1)


def test_an_upload_is_checked_and_shown_within_half_a_second(service, tmp_path: Path) -> None:
    ws, client = service
    path = make_return(tmp_path / "a.xlsx", "区财政局", wrong_total=True)
    upload(client, ws, "区财政局", path)  # warm: the first check imports the readers
    times = []
    for _ in range(3):
        start = time.perf_counter()
        page = upload(client, ws, "区财政局", path)
        times.append(time.perf_counter() - start)
        assert "建议值" in page
    assert min(times) < 0.5, times


def test_the_status_board_of_a_thousand_units_renders_within_a_second(tmp_path: Path) -> None:
    roster = tmp_path / "名单.txt"
    roster.write_text("\n".join(f"第{i:04d}号单位" for i in range(1000)), encoding="utf-8")
    ws = Workspace(tmp_path / "w", year=YEAR, roster=roster)
    findings = json.dumps([{"severity": "错误", "rule": "B1", "message": "总计不等于各项之和" * 5}], ensure_ascii=False)
    with ws.store.transaction():
        for unit in ws.store.units()[:700]:
            sid = ws.store.add_submission(
                Submission(
                    0,
                    unit.id,
                    "2026-01-10 10:00:00",
                    "单位上传",
                    "a.xlsx",
                    f"{unit.id}.xlsx",
                    "0" * 64,
                    1,
                    UploadOutcome.ERRORS,
                    1,
                    0,
                    0,
                    unit.name,
                    findings,
                )
            )
            ws.store.set_current(unit.id, [(sid, f"{unit.id}.xlsx")])
    client = office(TestClient(create_app(ws, base_url="http://x"), base_url="http://127.0.0.1"), ws)
    client.get("/")
    start = time.perf_counter()
    page = client.get("/")
    elapsed = time.perf_counter() - start
    assert page.text.count("data-unit=") == 1000 and "有错误 700" in page.text and "缺报 300" in page.text
    assert elapsed < 1.0, elapsed
    ws.close()


def test_a_letter_or_a_scan_is_kept_but_never_replaces_the_return(service, tmp_path: Path) -> None:
    ws, client = service
    office(client, ws)
    good = make_return(tmp_path / "区财政局.xlsx", "区财政局")
    r = client.post(
        "/upload", data={"csrf": csrf(client.get("/").text)}, files=[("files", ("区财政局.xlsx", good.read_bytes()))]
    )
    assert r.status_code == 200
    letter = b"PK\x03\x04" + b"word/document.xml" * 20  # a .docx is a zip too: its name says what it is
    r = client.post(
        "/upload", data={"csrf": csrf(client.get("/").text)}, files=[("files", ("区财政局报送函.docx", letter))]
    )
    assert r.status_code == 200 and "未计入汇总" in r.text and "Word文档" in r.text
    upload(client, ws, "区教育局", make_return(tmp_path / "年报.xlsx", "区教育局", 2))
    page = upload(client, ws, "区教育局", tmp_path / "年报.xlsx", name="年报盖章扫描件.pdf")
    assert "不是报表文件，已保存备查" in page and "计入汇总的仍是下面的报表" in page
    status = board_status(client)
    assert status["区财政局"] == UploadOutcome.ACCEPTED and status["区教育局"] == UploadOutcome.ACCEPTED
    assert sorted(p.name for p in ws.current.iterdir()) == ["区教育局.xlsx", "区财政局.xlsx"]
    unit = ws.store.unit_by_key("区财政局")
    assert unit is not None
    assert [s.outcome for s in ws.store.history(unit.id)] == [UploadOutcome.NOT_READ, UploadOutcome.ACCEPTED]
    shown = client.get(f"/unit/{unit.id}").text
    assert "区财政局报送函.docx" in shown and "Word文档，未读取" in shown  # kept, with the reason
    assert client.get("/download/merged").status_code == 200
    from typer.testing import CliRunner

    from govxl.apps.cli import app

    result = CliRunner().invoke(app, ["merge", "收集/报表", "--year", str(YEAR), "-o", str(tmp_path / "m.xlsx")])
    assert result.exit_code == 0, result.output


def test_lock_and_system_files_are_ignored_and_a_covering_letter_does_not_make_a_duplicate(
    service, tmp_path: Path
) -> None:
    ws, client = service
    office(client, ws)
    good = make_return(tmp_path / "a.xlsx", "区财政局").read_bytes()
    lock = b"\x08zhangsan" + b"\x00" * 150  # what Excel leaves beside an open workbook
    files = [
        ("files", ("~$区财政局.xlsx", lock)),
        ("files", ("区财政局.xlsx", good)),
        ("files", ("Thumbs.db", b"\xd0\xcf\x11\xe0thumbs")),
        ("files", ("区财政局报送函.docx", b"PK\x03\x04letter")),
    ]
    r = client.post("/upload", data={"csrf": csrf(client.get("/").text)}, files=files)
    assert r.status_code == 200
    assert "~$区财政局.xlsx（Office 临时锁定文件）" in r.text and "Thumbs.db（系统文件）" in r.text
    assert board_status(client)["区财政局"] == UploadOutcome.ACCEPTED
    assert sorted(p.name for p in ws.current.iterdir()) == ["区财政局.xlsx"]
    assert ws.store.submission_count() == 2  # the return and the letter; the lock file is not recorded
    assert len([p for p in ws.received.iterdir() if p.is_file()]) == 2
    # a department picking the lock file is told, and nothing is recorded
    t = token(ws, "区教育局")
    r = client.post(
        f"/u/{t}/upload", data={"csrf": csrf(client.get(f"/u/{t}").text)}, files={"file": ("~$年报.xlsx", lock)}
    )
    assert r.status_code == 400 and "Office 临时锁定文件" in r.text
    assert ws.store.submission_count() == 2 and not list(ws.partial.iterdir())


def test_one_service_holds_the_folder_at_a_time(tmp_path: Path) -> None:
    first = Workspace(tmp_path / "w", year=YEAR)
    with pytest.raises(govxl.UsageError, match="正由另一个 govxl 报表收集服务使用"):
        Workspace(tmp_path / "w")
    first.close()
    Workspace(tmp_path / "w").close()


def test_nothing_is_created_or_recorded_before_everything_given_is_checked(tmp_path: Path) -> None:
    with pytest.raises(govxl.GovxlError, match="找不到名单文件"):
        Workspace(tmp_path / "w", roster=tmp_path / "nonexistent.txt")
    with pytest.raises(govxl.UsageError, match="不在支持范围内"):
        Workspace(tmp_path / "w", year=1999)
    assert not (tmp_path / "w").exists()
    ws = Workspace(tmp_path / "w", year=2024)
    assert ws.year == 2024
    ws.close()
    # a folder in use keeps its records when a restart is given a bad roster
    with pytest.raises(govxl.GovxlError):
        Workspace(tmp_path / "w", roster=tmp_path / "nonexistent.txt")
    again = Workspace(tmp_path / "w")
    assert again.year == 2024
    again.close()


def test_a_department_is_spoken_to_on_its_own_page(service, tmp_path: Path) -> None:
    ws, client = service
    import xlsxwriter

    from tests.servekit import ROOT

    wb = xlsxwriter.Workbook(tmp_path / "plain.xlsx")
    wb.add_worksheet("Sheet1").write(0, 0, "不是年报")
    wb.close()
    (tmp_path / "letter.docx").write_bytes(b"PK\x03\x04letter")
    for path in (ROOT / "tests" / "corpus" / "truncated.xlsx", tmp_path / "plain.xlsx", tmp_path / "letter.docx"):
        page = html.unescape(upload(client, ws, "区财政局", path))
    assert "对方" not in page and "无需处理" not in page
    assert (
        "请重新上传" in page and "请确认上传的是本次下发的模板" in page and "请在下发的模板中填写后以.xlsx上传" in page
    )
    unit = ws.store.unit_by_key("区财政局")
    assert unit is not None
    office(client, ws)
    assert "请对方重新发送" in html.unescape(client.get(f"/unit/{unit.id}").text)  # the office's own words stay


def test_a_long_file_name_is_shortened_keeping_its_extension(service, tmp_path: Path) -> None:
    ws, client = service
    unit = ws.store.unit_by_key("区财政局")
    assert unit is not None
    (tmp_path / "letter.docx").write_bytes(b"PK\x03\x04letter")
    long_name = "区财政局" + "关于报送年度报告统计表的函" * 23 + ".xlsx"
    assert len(long_name) > 300
    page = upload(client, ws, "区财政局", make_return(tmp_path / "a.xlsx", "区财政局"), name=long_name)
    (latest, *_) = ws.store.history(unit.id)
    assert len(latest.original_name) == 200 and latest.original_name.endswith("….xlsx")
    assert latest.outcome == UploadOutcome.ACCEPTED and latest.original_name in page
    upload(client, ws, "区财政局", tmp_path / "letter.docx", name="扫描件" * 100 + ".pdf")
    (latest, *_) = ws.store.history(unit.id)
    assert latest.original_name.endswith(".pdf") and "PDF/OFD文档" in latest.findings_json
