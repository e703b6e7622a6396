"""``govxl serve`` as started from the command line, on the loopback address: many at once, and a crash."""

from __future__ import annotations

import re
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from govxl.apps.serve.workspace import UploadOutcome, Workspace
from tests.servekit import csrf, govxl_cli, make_return, running, write_roster

UNITS_50 = [f"第{i:02d}街道办事处" for i in range(50)]


def _submit(link: str, path: Path) -> tuple[int, float]:
    with httpx.Client(timeout=60) as client:
        page = client.get(link)
        start = time.perf_counter()
        r = client.post(
            link + "/upload",
            data={"csrf": csrf(page.text)},
            files={"file": (path.name, path.read_bytes())},
            follow_redirects=True,
        )
        return r.status_code, time.perf_counter() - start


def test_fifty_departments_at_once_all_land_each_recorded_once(tmp_path: Path) -> None:
    roster = write_roster(tmp_path, UNITS_50)
    files = {u: make_return(tmp_path / f"{u}.xlsx", u, i) for i, u in enumerate(UNITS_50)}
    folder = tmp_path / "收集"
    with running(folder, "--year", "2025", "--roster", str(roster), cwd=tmp_path) as (_, links, _proc):
        assert (folder / "单位报送链接.xlsx").exists() and len(links) == 51
        start = time.perf_counter()
        with ThreadPoolExecutor(50) as pool:
            answers = list(pool.map(lambda u: _submit(links[u], files[u]), UNITS_50))
        elapsed = time.perf_counter() - start
    assert [code for code, _ in answers] == [200] * 50
    print(f"50 uploads at once: {elapsed:.2f} s in all, slowest {max(t for _, t in answers):.2f} s")
    ws = Workspace(folder)
    try:
        rows = ws.store.board()
        assert [(r.unit.name, r.count, [s.outcome for s in r.current]) for r in rows] == [
            (u, 1, [UploadOutcome.ACCEPTED]) for u in UNITS_50
        ]
        assert ws.store.submission_count() == 50
        assert len([p for p in ws.received.iterdir() if p.is_file()]) == 50
        assert sorted(p.name for p in ws.current.iterdir()) == sorted(f"{u}.xlsx" for u in UNITS_50)
    finally:
        ws.close()


def test_a_crash_mid_upload_counts_nothing_and_the_restart_goes_on(tmp_path: Path) -> None:
    roster = write_roster(tmp_path, ["区财政局"])
    folder = tmp_path / "收集"
    path = make_return(tmp_path / "a.xlsx", "区财政局")
    with running(folder, "--year", "2025", "--roster", str(roster), cwd=tmp_path) as (_, links, proc):
        link = urlsplit(links["区财政局"])
        page = httpx.get(links["区财政局"]).text
        body, boundary = _multipart(csrf(page), path.read_bytes())
        with socket.create_connection((link.hostname, link.port)) as s:
            head = (
                f"POST {link.path}/upload HTTP/1.1\r\nHost: {link.netloc}\r\n"
                f"Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {len(body)}\r\n\r\n"
            )
            s.sendall(head.encode() + body[: len(body) // 2])
            time.sleep(0.3)
            workers = _children(proc.pid)
            assert workers, "the checks' worker processes were not started"
            proc.kill()  # the power goes off halfway through the upload
            proc.wait(10)
            deadline = time.monotonic() + 20
            while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert not [pid for pid in workers if _alive(pid)]  # the workers went with the service
            assert proc.stdout is not None
            said = proc.stdout.read()  # to the end: what shared it (the workers, their tracker) is gone too
            assert not re.search(r"[A-Za-z]{4,}", said.replace("govxl", "")), said  # no English warning left
    ws = Workspace(folder)
    assert ws.store.submission_count() == 0 and not list(ws.current.iterdir()) and not list(ws.partial.iterdir())
    ws.close()
    with running(folder, cwd=tmp_path) as (_, links, _proc):
        assert _submit(links["区财政局"], path)[0] == 200
    ws = Workspace(folder)
    assert ws.store.submission_count() == 1 and [p.name for p in ws.current.iterdir()] == ["区财政局.xlsx"]
    ws.close()


def _children(pid: int) -> list[int]:
    """The processes a process started (Linux: read from /proc)."""
    return [int(c) for task in Path(f"/proc/{pid}/task").iterdir() for c in (task / "children").read_text().split()]


def _alive(pid: int) -> bool:
    """Whether a process runs (one that ended but was not yet reaped by whoever adopted it does not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _multipart(form_token: str, data: bytes) -> tuple[bytes, str]:
    boundary = "govxltestboundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{form_token}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.xlsx"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, boundary


def test_a_second_service_on_the_folder_is_refused_and_the_first_goes_on(tmp_path: Path) -> None:
    roster = write_roster(tmp_path, ["区财政局", "区/财政局", "区\\财政局", "区教育局"])
    folder = tmp_path / "收集"
    path = make_return(tmp_path / "a.xlsx", "区财政局")
    said: list[str] = []
    with running(folder, "--year", "2025", "--roster", str(roster), cwd=tmp_path, said=said) as (_, links, _proc):
        # the lines of the roster left out are listed, as `govxl template --roster` lists them
        assert "名单中有 2 行未列入单位名单：" in said
        assert "  第2行“区/财政局”：与第1行重复，已跳过" in said and "  第3行“区\\财政局”：与第1行重复，已跳过" in said
        assert any(f"--roster {folder / '汇总名单.csv'} --year 2025" in line for line in said)  # what merge is given
        second = govxl_cli("serve", str(folder), "--port", "0", "--no-browser", cwd=tmp_path)
        assert second.returncode == 2, second.stderr
        assert "正由另一个 govxl 报表收集服务使用" in second.stderr and "Traceback" not in second.stderr
        assert _submit(links["区财政局"], path)[0] == 200  # the first service is unharmed
    ws = Workspace(folder)  # the lock went with the process
    try:
        (s,) = ws.store.history(ws.store.unit_by_key("区财政局").id)  # type: ignore[union-attr]
        assert s.outcome == UploadOutcome.ACCEPTED and [p.name for p in ws.current.iterdir()] == ["区财政局.xlsx"]
        assert not (ws.received / "未登记").exists()
    finally:
        ws.close()


def test_a_start_that_fails_leaves_nothing_behind(tmp_path: Path) -> None:
    missing = govxl_cli("serve", "ws7", "--roster", str(tmp_path / "nonexistent.txt"), "--no-browser", cwd=tmp_path)
    assert missing.returncode == 2 and "找不到名单文件" in missing.stderr
    too_early = govxl_cli("serve", "ws7", "--year", "1999", "--no-browser", cwd=tmp_path)
    assert too_early.returncode == 2 and "不在支持范围内" in too_early.stderr
    host = govxl_cli("serve", "ws7", "--host", "999.1.1.1", "--port", "0", "--no-browser", cwd=tmp_path)
    assert host.returncode == 2 and "监听地址“999.1.1.1”无法使用" in host.stderr, host.stderr
    assert "无法读写" not in host.stderr
    assert not (tmp_path / "ws7").exists()
    # nothing was fixed by the failed starts: the folder is still free for any year
    ws = Workspace(tmp_path / "ws7", year=2024)
    assert ws.year == 2024
    ws.close()


def test_a_port_out_of_range_is_a_usage_error(tmp_path: Path) -> None:
    for port in ("99999", "-5", "65536"):
        result = govxl_cli("serve", "ws", "--port", port, "--no-browser", cwd=tmp_path)
        assert result.returncode == 2, result.stderr
        assert f"端口号“{port}”无法使用" in result.stderr and "内部错误" not in result.stderr
    assert not (tmp_path / "ws").exists()


def test_a_request_the_server_cannot_parse_is_answered_and_logged_in_chinese(tmp_path: Path) -> None:
    folder = tmp_path / "收集"
    roster = write_roster(tmp_path, ["区财政局"])
    with running(folder, "--year", "2025", "--roster", str(roster), cwd=tmp_path) as (base, _, proc):
        address = urlsplit(base)
        answers = []
        for garbage in (
            b"GARBAGE\x01 / HTTP/1.1\r\n\r\n",
            b"GET / HTTP/1.1\r\nHo st: x\r\n\r\n",
            b"\x16\x03\x01\x02\x00",
        ):
            with socket.create_connection((address.hostname, address.port)) as s:
                s.sendall(garbage)
                answer = b""
                while chunk := s.recv(65536):
                    answer += chunk
                answers.append(answer.decode("utf-8"))
        proc.terminate()
        assert proc.stdout is not None
        said = proc.stdout.read()
        proc.wait(10)
    for answer in answers:
        head, body = answer.split("\r\n\r\n", 1)
        assert head.startswith("HTTP/1.1 400") and "text/html; charset=utf-8" in head
        assert "请求的格式不正确" in body and "Invalid" not in body
    assert "收到一个格式不正确的请求" in said
    assert not re.search(r"[A-Za-z]{4,}", said.replace("govxl", "")), said  # no English word on the console


def test_new_key_ends_the_office_sessions_and_prints_the_new_link(tmp_path: Path) -> None:
    folder = tmp_path / "收集"
    roster = write_roster(tmp_path, ["区财政局"])
    offices = []
    for args in ((), ("--new-key",), ()):
        said: list[str] = []
        with running(folder, "--roster", str(roster), *args, cwd=tmp_path, said=said) as (_, links, _proc):
            offices.append(links["office"].split("key=", 1)[1])
            changed = [line for line in said if line.startswith("办公室口令已更换：以前登录办公室页面的浏览器都已退出")]
            assert bool(changed) == bool(args)
    assert offices[0] != offices[1] == offices[2]


def test_ctrl_c_during_an_upload_stops_the_service_in_chinese_and_counts_only_what_arrived(tmp_path: Path) -> None:
    """Ctrl+C while a department's upload is half sent: uvicorn waits 5 s, then cancels the request, which it
    logged as an internal error with Python's words ("CancelledError: Task cancelled, timeout graceful shutdown
    exceeded") and a request to report it. The upload sent whole beside it is recorded once; the half one never."""
    import signal

    roster = write_roster(tmp_path, ["区财政局", "区教育局"])
    folder = tmp_path / "收集"
    half, whole = make_return(tmp_path / "a.xlsx", "区财政局"), make_return(tmp_path / "b.xlsx", "区教育局", 2)
    with running(folder, "--year", "2025", "--roster", str(roster), cwd=tmp_path) as (_, links, proc):
        link = urlsplit(links["区财政局"])
        body, boundary = _multipart(csrf(httpx.get(links["区财政局"]).text), half.read_bytes())
        with socket.create_connection((link.hostname, link.port)) as s:
            head = (
                f"POST {link.path}/upload HTTP/1.1\r\nHost: {link.netloc}\r\n"
                f"Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {len(body)}\r\n\r\n"
            )
            s.sendall(head.encode() + body[: len(body) // 2])
            assert _submit(links["区教育局"], whole)[0] == 200
            workers = _children(proc.pid)
            proc.send_signal(signal.SIGINT)
            proc.wait(20)
        assert proc.stdout is not None
        said = proc.stdout.read()
    assert "已中止" in said and "内部错误" not in said, said
    assert not re.search(r"[A-Za-z]{4,}", said.replace("govxl", "")), said  # no English word on the console
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in workers if _alive(pid)]
    ws = Workspace(folder)
    try:
        assert ws.store.submission_count() == 1 and [p.name for p in ws.current.iterdir()] == ["区教育局.xlsx"]
        assert not list(ws.partial.iterdir()) and not (ws.received / "未登记").exists()
    finally:
        ws.close()
