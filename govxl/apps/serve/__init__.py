"""``govxl serve``: collect the returns over the office network, checked the moment they arrive.

workspace.py  the work folder (files as received, the returns that count) and the intake of an upload
checking.py   the checks of received files, in worker processes beside the service
store.py      the records (SQLite): units, links, submissions, what counts
app.py        the routes (Starlette), the static files and the error pages
office.py     the office's views: login, status board, a unit's page, the office's upload, the downloads
department.py a department's views: its own page, its template, its upload
pages.py      what both render with: templates/ (Jinja2), a message, a download, a submission as shown
wording.py    the library's requests to the office (请对方…), written for the department's page
security.py   office login, department tokens, CSRF, body limit, security headers
outputs.py    the downloads, each made by the library (merge, annotate, report, templates)
server.py     uvicorn, its own answers and log lines in Chinese
"""

from __future__ import annotations

import errno
import signal
import socket
import sys
import webbrowser
from collections.abc import Callable
from pathlib import Path
from typing import Any

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
MAX_PORT = 65535


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, bound before the server starts, so that port 0 gives a free port to print.

    An address that is not this computer's is refused in words; a port in use is left to the caller (OSError).
    """
    from govxl.errors import UsageError

    if not 0 <= port <= MAX_PORT:
        raise UsageError(
            f"端口号“{port}”无法使用：端口号应为 0 到 {MAX_PORT} 之间的整数（0 表示自动选择），如 --port 8765。"
        )
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except (socket.gaierror, UnicodeError, ValueError) as e:  # not an address, nor a name that resolves
        sock.close()
        raise UsageError(_unusable(host)) from e
    except OSError as e:
        sock.close()
        if e.errno in _NOT_HERE or getattr(e, "winerror", None) == 10049:
            raise UsageError(_unusable(host)) from e
        raise
    sock.set_inheritable(True)
    return sock


_NOT_HERE = (errno.EADDRNOTAVAIL, errno.EAFNOSUPPORT)


def _unusable(host: str) -> str:
    return (
        f"监听地址“{host}”无法使用：它不是本机的有效地址。"
        "请用 127.0.0.1（只允许本机访问）、0.0.0.0（允许办公网中的其他电脑访问）或本机网卡的 IP 地址。"
    )


def base_url(host: str, port: int, given: str = "") -> str:
    """The address the links carry: as given, else the bound one (for 0.0.0.0, this machine's name)."""
    if given:
        return given.rstrip("/")
    shown = socket.gethostname() if host in ("0.0.0.0", "::", "") else host
    return f"http://[{shown}]:{port}" if ":" in shown else f"http://{shown}:{port}"


def serve(
    folder: Path,
    *,
    year: int | None = None,
    roster: Path | None = None,
    host: str = "127.0.0.1",
    port: int = 8765,
    name: str = "",
    url: str = "",
    open_browser: bool = True,
    max_upload_mb: int = 20,
    new_key: bool = False,
    say: Callable[[str], None] = print,
) -> None:
    """Open the work folder and serve it until interrupted; ``new_key``: a new office key first (every office
    session ends, the old office link stops working)."""
    from govxl.apps.serve.app import create_app
    from govxl.apps.serve.checking import Checker
    from govxl.apps.serve.outputs import write_links
    from govxl.apps.serve.server import run
    from govxl.apps.serve.workspace import CURRENT, Workspace, in_use, in_use_message
    from govxl.errors import UsageError
    from govxl.read.roster import problem_lines

    if in_use(folder):  # said before the port, which the running service also holds
        raise UsageError(in_use_message(folder))
    sock = bind(host, port)  # before the folder is opened: a start that fails leaves it as it was
    try:
        ws = Workspace(folder, year=year, roster=roster, name=name)
    except BaseException:
        sock.close()
        raise
    try:
        if new_key:
            ws.new_office_key()
        actual = sock.getsockname()[1]
        link_base = base_url(host, actual, url)
        local = base_url(host if host not in ("0.0.0.0", "::") else "127.0.0.1", actual)
        links = write_links(ws, link_base)
        loopback = host in LOOPBACK_HOSTS
        app = create_app(ws, base_url=link_base, loopback_only=loopback, max_upload_mb=max_upload_mb)
        office = f"{local}/login?key={ws.office_key}"
        units = [u for u in ws.store.units() if u.on_roster]
        say(f"govxl 报表收集服务已启动：{ws.year}年度，工作文件夹 {folder}")
        if new_key:
            say("办公室口令已更换：以前登录办公室页面的浏览器都已退出，旧的办公室链接已失效。")
        say(f"办公室页面（仅限政务公开办使用，请勿外传）：{office}")
        if ws.roster_problems:
            say(f"名单中有 {len(ws.roster_problems)} 行未列入单位名单：")
            for line in problem_lines(ws.roster_problems):
                say(line)
        if units:
            say(f"各单位的报送链接（已写入 {links}，共 {len(units)} 个单位）：")
            for u in units:
                say(f"  {u.name}：{link_base}/u/{u.token}" if u.token else f"  {u.name}：链接已停用")
        else:
            say("没有单位名单：各单位的报送链接要用 --roster 给出名单后才会生成；办公室页面可以直接上传报表。")
        if loopback:
            say("现在只有本机可以访问。要让各单位通过办公网报送，请加 --host 0.0.0.0 重新启动。")
        roster_part = f" --roster {ws.merge_roster}" if ws.merge_roster else ""
        say(
            f"在命令行汇总（在同一文件夹下运行，与页面下载的汇总表相同）：govxl merge {folder / CURRENT}{roster_part}"
            f" --year {ws.year} -o {ws.name}.xlsx"
        )
        ws.checker = Checker(ws.year)  # started before the service says it is ready: no upload waits for one
        _warm_threads()
        say("按 Ctrl+C 停止服务；再次启动时从工作文件夹中的记录继续。")
        sys.stdout.flush()
        if open_browser and loopback:
            webbrowser.open(office)
        terminated = _run_until_terminated(app, sock, run)
    finally:
        if ws.checker is not None:
            ws.checker.close()
        ws.close()
    if terminated:  # ended as a terminated process ends, once the workers are stopped and the folder let go
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.raise_signal(signal.SIGTERM)


def _warm_threads() -> None:
    """The first request handed to a thread loads the framework's thread support (a tenth of a second):
    loaded now, not while the first departments wait."""
    import anyio
    from anyio import to_thread

    anyio.run(to_thread.run_sync, lambda: None)


class _Terminated(Exception):
    pass


def _terminated(signum: int, frame: object) -> None:
    raise _Terminated


def _run_until_terminated(app: object, sock: socket.socket, run: Callable[[Any, socket.socket], None]) -> bool:
    """Serve until interrupted; whether it was by SIGTERM (which uvicorn passes on once it has stopped serving:
    taken here as an exception, so that the worker processes are stopped and the folder let go first)."""
    previous = signal.signal(signal.SIGTERM, _terminated)
    try:
        run(app, sock)
    except _Terminated:
        return True
    finally:
        signal.signal(signal.SIGTERM, previous)
    return False
