"""The web pages: the office's status board and each department's own page (Starlette).

Every route names what it serves by a number or a token, looked up in the records: nothing from a
request becomes a path. The library does the work (check, merge, annotate, report, templates).
"""

from __future__ import annotations

import json
import logging
import re
import time
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from govxl.apps.serve import outputs
from govxl.apps.serve.security import (
    OFFICE_COOKIE,
    SESSION_SECONDS,
    SecurityMiddleware,
    cross_site,
    csrf_token,
    same,
)
from govxl.apps.serve.store import BoardRow, Submission, Unit, token_hash
from govxl.apps.serve.workspace import (
    MERGE_ROSTER,
    STATUSES,
    Outcome,
    Workspace,
    new_token,
    shown_on_page,
    status,
    usable_record,
    without_controls,
)
from govxl.errors import GovxlError
from govxl.results.findings import ALIAS, LOCATED, NEAR_NAME

log = logging.getLogger("govxl.apps.serve")
HERE = Path(__file__).parent
MB = 1024 * 1024
MAX_FILES = 500  # one office upload
LOOPBACK = ("127.0.0.1", "localhost", "::1")
_STATIC = {
    "app.css": ("text/css; charset=utf-8", (HERE / "static" / "app.css").read_bytes()),
    "app.js": ("text/javascript; charset=utf-8", (HERE / "static" / "app.js").read_bytes()),
}
_PAGES = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    # a name from a file or a cover never carries bidirectional or control characters onto a page
    finalize=lambda value: shown_on_page(value) if isinstance(value, str) else value,
)


def create_app(ws: Workspace, *, base_url: str, loopback_only: bool = True, max_upload_mb: int = 20) -> Starlette:
    """The service for one work folder. ``loopback_only``: refuse Host names other than the loopback's."""
    pages = Pages(ws, base_url)
    routes = [
        Route("/", pages.board),
        Route("/login", pages.login, methods=["GET", "POST"]),
        Route("/logout", pages.logout, methods=["POST"]),
        Route("/key", pages.new_key, methods=["POST"]),
        Route("/upload", pages.office_upload, methods=["POST"]),
        Route("/unit/{unit_id:int}", pages.unit),
        Route("/unit/{unit_id:int}/template", pages.office_template),
        Route("/unit/{unit_id:int}/link", pages.link, methods=["POST"]),
        Route("/file/{submission_id:int}", pages.received_file),
        Route("/download/{what:str}", pages.download),
        Route("/u/{token:str}", pages.department),
        Route("/u/{token:str}/template", pages.department_template),
        Route("/u/{token:str}/upload", pages.department_upload, methods=["POST"]),
        Route("/static/{name:str}", pages.static),
    ]
    middleware = [
        Middleware(
            SecurityMiddleware,  # type: ignore[arg-type]
            max_body=max_upload_mb * MB,
            allowed_hosts=LOOPBACK if loopback_only else None,
        )
    ]
    handlers = {HTTPException: _refused, 500: _failed}
    app = Starlette(routes=routes, middleware=middleware, exception_handlers=handlers)  # type: ignore[arg-type]
    app.state.workspace = ws
    return app


def _html(page: str, status_code: int = 200, **context: object) -> HTMLResponse:
    return HTMLResponse(_PAGES.get_template(page).render(**context), status_code=status_code)


def _message(title: str, text: str, status_code: int, back: str = "") -> HTMLResponse:
    return _html("message.html", status_code, title=title, text=text, back=back)


_ASCII_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,10}")


def _attachment(data: bytes, name: str, media: str) -> Response:
    # RFC 6266: an ASCII fallback (its extension only when plain letters and digits: never a quote or a
    # character the header cannot carry) and the real (Chinese) name, every special character percent-encoded
    name = without_controls(name)
    suffix = Path(name).suffix
    fallback = "govxl" + (suffix if _ASCII_SUFFIX.fullmatch(suffix) else "")
    disposition = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
    return Response(data, media_type=media, headers={"content-disposition": disposition})


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class Pages:
    def __init__(self, ws: Workspace, base_url: str) -> None:
        self.ws = ws
        self.base_url = base_url.rstrip("/")

    # helpers

    def _session(self, request: Request) -> str | None:
        """The office session the request's cookie holds, if the records still keep it."""
        given = request.cookies.get(OFFICE_COOKIE, "")
        if given and self.ws.store.session_alive(token_hash(given), time.time()):
            return given
        return None

    def _office_csrf(self, request: Request) -> str:
        return csrf_token(self.ws.secret, "office:" + (self._session(request) or ""))

    def _is_office(self, request: Request) -> bool:
        return self._session(request) is not None

    def _new_session(self, response: Response) -> Response:
        session = new_token()
        now = time.time()
        self.ws.store.end_sessions(now)  # the expired ones
        self.ws.store.add_session(token_hash(session), now + SESSION_SECONDS)
        response.set_cookie(OFFICE_COOKIE, session, max_age=SESSION_SECONDS, httponly=True, samesite="lax")
        return response

    def _department_unit(self, token: str) -> Unit | None:
        """The unit whose link this is: on the current roster, as the links sheet lists them."""
        unit = self.ws.store.unit_by_token_hash(token_hash(token))
        if unit is None or unit.token is None or not same(unit.token, token) or not unit.on_roster:
            return None
        return unit

    def _refuse_post(self, request: Request, form_token: object, expected: str) -> Response | None:
        """A form post from another site, or without this page's CSRF token, is refused."""
        if cross_site(request) or not isinstance(form_token, str) or not same(form_token, expected):
            return _message("无法提交", "页面已过期或请求来源不正确，请刷新页面后重新操作。", 403)
        return None

    def _common(self) -> dict[str, object]:
        return {"year": self.ws.year, "name": self.ws.name}

    def link_of(self, unit: Unit) -> str:
        return f"{self.base_url}/u/{unit.token}" if unit.token else ""

    # office

    def _need_office(self, request: Request) -> Response | None:
        if self._is_office(request):
            return None
        if request.method == "GET":
            return RedirectResponse("/login", 303)
        return _message("需要登录", "请先用办公室链接登录。", 403)

    async def login(self, request: Request) -> Response:
        key = request.query_params.get("key")
        if request.method == "POST":
            if cross_site(request):
                return _message("无法提交", "请求来源不正确。", 403)
            async with request.form(max_files=0, max_fields=2) as form:
                key = str(form.get("key", "")).strip()
        if key is None:
            return _html("login.html", **self._common(), failed=False)
        if not same(key, self.ws.office_key):
            return _html("login.html", 403, **self._common(), failed=True)
        return self._new_session(RedirectResponse("/", 303))

    async def logout(self, request: Request) -> Response:
        async with request.form(max_files=0, max_fields=2) as form:
            refused = self._refuse_post(request, form.get("csrf"), self._office_csrf(request))
        if refused:
            return refused
        session = self._session(request)
        if session is not None:
            self.ws.store.end_session(token_hash(session))  # for good: the cookie, if kept, no longer opens anything
        response = RedirectResponse("/login", 303)
        response.delete_cookie(OFFICE_COOKIE)
        return response

    async def new_key(self, request: Request) -> Response:
        """A new office key: every office session ends; this browser gets a new one and the new link."""
        if (refused := self._need_office(request)) is not None:
            return refused
        async with request.form(max_files=0, max_fields=2) as form:
            refused = self._refuse_post(request, form.get("csrf"), self._office_csrf(request))
        if refused:
            return refused
        key = self.ws.new_office_key()
        link = f"{request.url.scheme}://{request.headers.get('host', '')}/login?key={key}"
        log.warning("办公室口令已在办公室页面上更换，以前登录的浏览器都已退出。新的办公室页面：%s", link)
        page = _html("new_key.html", **self._common(), link=link, csrf="")
        return self._new_session(page)

    async def board(self, request: Request) -> Response:
        if (refused := self._need_office(request)) is not None:
            return refused
        problems = await run_in_threadpool(self.ws.check_in_step)
        rows = await run_in_threadpool(self.ws.store.board)
        shown = request.query_params.get("status", "")
        lines = [_line(row) for row in rows]
        counts = {s: 0 for s in STATUSES}
        for line in lines:
            counts[line["status"]] += 1  # type: ignore[index]
        if shown in STATUSES:
            lines = [line for line in lines if line["status"] == shown]
        else:
            shown = ""
        return _html(
            "board.html",
            **self._common(),
            lines=lines,
            counts=counts,
            total=len(rows),
            shown=shown,
            csrf=self._office_csrf(request),
            unassigned=self.ws.store.unassigned(),
            has_returns=outputs.has_returns(self.ws),
            has_roster=self.ws.merge_roster is not None,
            problems=problems,
            set_aside=self.ws.store.set_aside(),
            live=True,
        )

    async def unit(self, request: Request) -> Response:
        if (refused := self._need_office(request)) is not None:
            return refused
        unit = self.ws.store.unit(request.path_params["unit_id"])
        if unit is None:
            return _message("找不到该单位", "没有这个单位。", 404, back="/")
        current = self.ws.store.current(unit.id)
        return _html(
            "unit.html",
            **self._common(),
            unit=unit,
            status=status(current),
            current=[_shown(s) for s in current],
            history=[_shown(s) for s in self.ws.store.history(unit.id)],
            counted={s.id for s in current},
            link=self.link_of(unit),
            other_names=self.ws.other_names(unit),
            csrf=self._office_csrf(request),
        )

    async def link(self, request: Request) -> Response:
        if (refused := self._need_office(request)) is not None:
            return refused
        async with request.form(max_files=0, max_fields=4) as form:
            refused = self._refuse_post(request, form.get("csrf"), self._office_csrf(request))
            action = form.get("action")
        if refused:
            return refused
        unit = self.ws.store.unit(request.path_params["unit_id"])
        if unit is None:
            return _message("找不到该单位", "没有这个单位。", 404, back="/")
        if action == "renew":
            self.ws.renew_token(unit.id)
        elif action == "revoke":
            self.ws.revoke_token(unit.id)
        await run_in_threadpool(outputs.write_links, self.ws, self.base_url)
        return RedirectResponse(f"/unit/{unit.id}", 303)

    async def office_upload(self, request: Request) -> Response:
        if (refused := self._need_office(request)) is not None:
            return refused
        async with request.form(max_files=MAX_FILES, max_fields=4) as form:
            refused = self._refuse_post(request, form.get("csrf"), self._office_csrf(request))
            if refused:
                return refused
            files = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
            if not files:
                return _message("没有选择文件", "请先选择要上传的报表文件。", 400, back="/")
            batch = [await run_in_threadpool(self.ws.save_incoming, f.file, f.filename or "") for f in files]
        received = await run_in_threadpool(self.ws.accept_batch, batch, None)
        shown = {i.submission.id: _shown(i.submission) for i in received.intakes}
        return _html("batch.html", **self._common(), intakes=received.intakes, ignored=received.ignored, findings=shown)

    async def office_template(self, request: Request) -> Response:
        if (refused := self._need_office(request)) is not None:
            return refused
        unit = self.ws.store.unit(request.path_params["unit_id"])
        if unit is None:
            return _message("找不到该单位", "没有这个单位。", 404, back="/")
        data, name = await run_in_threadpool(outputs.unit_template, self.ws, unit.name)
        return _attachment(data, name, XLSX)

    async def received_file(self, request: Request) -> Response:
        if (refused := self._need_office(request)) is not None:
            return refused
        s = self.ws.store.submission(request.path_params["submission_id"])
        if s is None:
            return _message("找不到该文件", "没有这份报送记录。", 404, back="/")
        data = await run_in_threadpool(outputs.file_bytes, self.ws, s.stored)
        return _attachment(data, s.original_name, "application/octet-stream")

    async def download(self, request: Request) -> Response:
        if (refused := self._need_office(request)) is not None:
            return refused
        what = request.path_params["what"]
        try:
            if what == "merged":
                data = await run_in_threadpool(outputs.merged_workbook, self.ws)
                return _attachment(data, f"{self.ws.name}.xlsx", XLSX)
            if what == "report":
                data = await run_in_threadpool(outputs.report_docx, self.ws)
                return _attachment(data, f"{self.ws.year}年度年报表格.docx", DOCX)
            if what == "annotated":
                data, count = await run_in_threadpool(outputs.annotated_zip, self.ws)
                return _attachment(data, f"退回修改（{count}份）.zip", "application/zip")
            if what == "templates":
                data = await run_in_threadpool(outputs.templates_zip, self.ws)
                return _attachment(data, f"{self.ws.year}年度模板.zip", "application/zip")
            if what == "roster":
                data = await run_in_threadpool(outputs.merge_roster, self.ws)
                return _attachment(data, MERGE_ROSTER, "text/csv; charset=utf-8")
            if what == "links":
                data = await run_in_threadpool(outputs.links_workbook, self.ws, self.base_url)
                return _attachment(data, "单位报送链接.xlsx", XLSX)
        except GovxlError as e:
            return _message("无法生成", str(e), 409, back="/")
        return _message("找不到该页面", "没有这个下载项。", 404, back="/")

    # departments

    async def department(self, request: Request) -> Response:
        unit = self._department_unit(request.path_params["token"])
        if unit is None:
            return _invalid_link()
        current = self.ws.store.current(unit.id)
        history = self.ws.store.history(unit.id)
        latest = history[0] if history else None
        return _html(
            "department.html",
            **self._common(),
            unit=unit,
            token=unit.token,
            status=status(current),
            current=[_for_department(_shown(s)) for s in current],
            latest=_for_department(_shown(latest))
            if latest is not None and latest.id not in {s.id for s in current}
            else None,
            history=[_for_department(_shown(s)) for s in history],
            counted={s.id for s in current},
            csrf=csrf_token(self.ws.secret, "unit:" + (unit.token or "")),
            not_read=Outcome.NOT_READ,
        )

    async def department_template(self, request: Request) -> Response:
        unit = self._department_unit(request.path_params["token"])
        if unit is None:
            return _invalid_link()
        data, name = await run_in_threadpool(outputs.unit_template, self.ws, unit.name)
        return _attachment(data, name, XLSX)

    async def department_upload(self, request: Request) -> Response:
        token = request.path_params["token"]
        unit = self._department_unit(token)
        if unit is None:
            return _invalid_link()
        async with request.form(max_files=1, max_fields=4) as form:
            refused = self._refuse_post(request, form.get("csrf"), csrf_token(self.ws.secret, "unit:" + token))
            if refused:
                return refused
            upload = form.get("file")
            if not isinstance(upload, UploadFile) or not upload.filename:
                return _message("没有选择文件", "请先选择要上传的报表文件。", 400, back=f"/u/{token}")
            incoming = await run_in_threadpool(self.ws.save_incoming, upload.file, upload.filename)
        intake = await run_in_threadpool(self.ws.accept, incoming, unit)
        if isinstance(intake, str):  # a lock file (~$年报.xlsx): not the return itself
            text = f"已忽略：{intake}。这不是报表文件，没有上传。请选择填好的报表文件本身（.xlsx）重新上传。"
            return _message("没有上传报表", text, 400, back=f"/u/{token}")
        return RedirectResponse(f"/u/{token}#result", 303)

    async def static(self, request: Request) -> Response:
        found = _STATIC.get(request.path_params["name"])
        if found is None:
            return Response("", 404)
        media, data = found
        return Response(data, media_type=media)


async def _failed(request: Request, exc: Exception) -> Response:
    return _message("出现问题", "服务在处理这个请求时出现意外问题，请稍后重试；如仍有问题，请联系政务公开办。", 500)


async def _refused(request: Request, exc: Exception) -> Response:
    """The framework's own refusals (an unknown address, a form it cannot take), said in Chinese."""
    assert isinstance(exc, HTTPException)
    path = request.url.path
    back = (path.removesuffix("/upload") or "/") if path.endswith("/upload") else ""
    if exc.status_code == 404:
        title, text = "找不到该页面", "没有这个页面。请检查地址是否完整，或重新打开政务公开办发来的链接。"
    elif exc.status_code == 405:
        title, text = "无法直接打开", "这个地址只用于提交页面上的表单，不能直接打开。请返回上一页，用页面上的按钮操作。"
    elif exc.status_code == 400:
        title, text = "无法上传", _bad_form(str(exc.detail))
    else:
        title, text = "无法处理该请求", "请返回上一页后重新操作；如仍有问题，请联系政务公开办。"
    response = _message(title, text, exc.status_code, back=back)
    for name, value in (exc.headers or {}).items():  # e.g. Allow on a 405
        response.headers[name] = value
    return response


def _bad_form(detail: str) -> str:
    """A form the framework could not take, from its (English) reason."""
    most = re.search(r"Maximum number of files is (\d+)", detail)
    if most and most.group(1) == "1":
        return "每次只能上传一个文件。请只选择本单位填好的报表文件，重新上传。"
    if most:
        return f"一次最多上传 {most.group(1)} 个文件，请分批上传。"
    if "exceeded maximum size" in detail:
        return "提交的内容过长。请刷新页面后重新操作。"
    return "上传的内容不完整或格式不正确（可能网络中断或页面已过期）。请刷新页面后重新选择文件上传。"


def _invalid_link() -> HTMLResponse:
    return _message(
        "链接无效",
        "这个报送链接无效或已停用。请与政务公开办联系，索取本单位的报送链接。",
        404,
    )


# the library speaks to the office about the department (请对方…); the department's own page speaks to it
_FOR_DEPARTMENT = (
    ("确认对方报送的", "确认上传的"),
    ("请对方重新发送", "请重新上传"),
    ("请把此文件反馈给 govxl 开发者", "请与政务公开办联系"),
    ("请解压后把其中的报表放进文件夹，重新汇总", "请解压后上传其中的报表文件"),
    ("再重新汇总", "再重新上传"),
    ("不是报表，无需处理", "不是报表；请上传填好的报表文件（.xlsx）"),
    ("最好请对方", "最好"),
    ("告知对方", "说明"),
    ("请对方", "请"),
    ("重新报送", "重新上传"),
    ("以.xlsx报送", "以.xlsx上传"),
    ("报送.xlsx报表", "上传.xlsx报表"),
)


def for_department(text: str) -> str:
    """A message the library words for the office, worded for the department reading its own page."""
    for office, department in _FOR_DEPARTMENT:
        text = text.replace(office, department)
    return text


def _for_department(shown: dict[str, object]) -> dict[str, object]:
    findings = [{**f, "message": for_department(f["message"])} for f in shown["findings"]]  # type: ignore[attr-defined]
    return {**shown, "findings": findings, "reason": for_department(str(shown["reason"]))}


def _shown(s: Submission) -> dict[str, object]:
    """A submission as the pages show it, findings in their order."""
    return {
        "id": s.id,
        "received": s.received,
        "source": s.source,
        "original_name": s.original_name,
        "sha256": s.sha256,
        "size": s.size,
        "outcome": s.outcome,
        "errors": s.errors,
        "hints": s.hints,
        "unexplained": s.unexplained,
        "cover_unit": s.cover_unit,
        "findings": (findings := json.loads(s.findings_json)),
        # why a file was not read or not counted, for the history tables
        "reason": _reason(s, findings),
        # 提示 the department can explain in a table's 说明 field (a suspect cell is fixed, not explained; the
        # cover's name is corrected)
        "explainable": sum(
            1
            for f in findings
            if f["severity"] == "提示" and f["rule"] not in (LOCATED, NEAR_NAME, ALIAS) and not f["explanation"]
        ),
    }


_SAID_WHY = (Outcome.NOT_READ, Outcome.UNREADABLE, Outcome.OTHER_UNIT)


def _reason(s: Submission, findings: list[dict[str, str]]) -> str:
    """Why a file was not read, or cannot be used as a return (a blank template, another year's): its first error."""
    if s.outcome in _SAID_WHY and findings:
        return findings[0]["message"]
    if not usable_record(s):
        return next((f["message"] for f in findings if f["severity"] == "错误"), "")
    return ""


def _line(row: BoardRow) -> dict[str, object]:
    current = row.current
    shown = status(current)
    last = row.last
    uncounted = last is not None and last.id not in {s.id for s in current}
    return {
        "id": row.unit.id,
        "name": row.unit.name,
        "on_roster": row.unit.on_roster,
        "status": shown,
        "errors": sum(s.errors for s in current),
        "hints": sum(s.unexplained for s in current),
        "count": row.count,
        "last": last.received if last is not None else "",
        "note": (
            f"最近一次上传未计入：{last.outcome}" + ("（此前的报表仍计入汇总）" if current else "")
            if uncounted and last is not None
            else ""
        ),
        "css": {
            Outcome.ACCEPTED: "ok",
            Outcome.EXPLAINED: "ok",
            Outcome.MISSING: "missing",
            Outcome.ERRORS: "bad",
            Outcome.UNREADABLE: "bad",
            Outcome.DUPLICATE: "bad",
        }.get(shown, ""),
    }
