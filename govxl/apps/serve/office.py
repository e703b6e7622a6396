"""The office's views: login, the status board, a unit's page, the office's upload and the downloads.

Every view but the login asks for the office session first; a unit or a file is named by its number in the
records, never by a path. The findings are shown as the library words them: to the office, about a department
(请对方…).
"""

from __future__ import annotations

import logging
import time

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from govxl.apps.serve import outputs
from govxl.apps.serve.pages import DOCX, NO_FILE, XLSX, Views, attachment, html, message, refuse_post, shown
from govxl.apps.serve.security import OFFICE_COOKIE, SESSION_SECONDS, cross_site, csrf_token, same
from govxl.apps.serve.store import BoardRow, Unit, token_hash
from govxl.apps.serve.workspace import MERGE_ROSTER, STATUSES, UploadOutcome, new_token, status
from govxl.errors import GovxlError

log = logging.getLogger("govxl.apps.serve")
MAX_FILES = 500  # one office upload


class OfficeViews(Views):
    # the session

    def _session(self, request: Request) -> str | None:
        """The office session the request's cookie holds, if the records still keep it."""
        given = request.cookies.get(OFFICE_COOKIE, "")
        if given and self.ws.store.session_alive(token_hash(given), time.time()):
            return given
        return None

    def _csrf(self, request: Request) -> str:
        return csrf_token(self.ws.secret, "office:" + (self._session(request) or ""))

    def _new_session(self, response: Response) -> Response:
        session = new_token()
        now = time.time()
        self.ws.store.end_sessions(now)  # the expired ones
        self.ws.store.add_session(token_hash(session), now + SESSION_SECONDS)
        response.set_cookie(OFFICE_COOKIE, session, max_age=SESSION_SECONDS, httponly=True, samesite="lax")
        return response

    def _need_office(self, request: Request) -> Response | None:
        if self._session(request) is not None:
            return None
        if request.method == "GET":
            return RedirectResponse("/login", 303)
        return message("需要登录", "请先用办公室链接登录。", 403)

    def link_of(self, unit: Unit) -> str:
        return f"{self.base_url}/u/{unit.token}" if unit.token else ""

    # the views

    async def login(self, request: Request) -> Response:
        key = request.query_params.get("key")
        if request.method == "POST":
            if cross_site(request):
                return message("无法提交", "请求来源不正确。", 403)
            async with request.form(max_files=0, max_fields=2) as form:
                key = str(form.get("key", "")).strip()
        if key is None:
            return html("login.html", **self.common(), failed=False)
        if not same(key, self.ws.office_key):
            return html("login.html", 403, **self.common(), failed=True)
        return self._new_session(RedirectResponse("/", 303))

    async def logout(self, request: Request) -> Response:
        async with request.form(max_files=0, max_fields=2) as form:
            refused = refuse_post(request, form.get("csrf"), self._csrf(request))
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
            refused = refuse_post(request, form.get("csrf"), self._csrf(request))
        if refused:
            return refused
        key = self.ws.new_office_key()
        link = f"{request.url.scheme}://{request.headers.get('host', '')}/login?key={key}"
        log.warning("办公室口令已在办公室页面上更换，以前登录的浏览器都已退出。新的办公室页面：%s", link)
        page = html("new_key.html", **self.common(), link=link, csrf="")
        return self._new_session(page)

    async def board(self, request: Request) -> Response:
        if (refused := self._need_office(request)) is not None:
            return refused
        problems = await run_in_threadpool(self.ws.check_in_step)
        rows = await run_in_threadpool(self.ws.store.board)
        chosen = request.query_params.get("status", "")
        lines = [_line(row) for row in rows]
        counts = {s: 0 for s in STATUSES}
        for line in lines:
            counts[line["status"]] += 1  # type: ignore[index]
        if chosen in STATUSES:
            lines = [line for line in lines if line["status"] == chosen]
        else:
            chosen = ""
        return html(
            "board.html",
            **self.common(),
            lines=lines,
            counts=counts,
            total=len(rows),
            shown=chosen,
            csrf=self._csrf(request),
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
            return message("找不到该单位", "没有这个单位。", 404, back="/")
        current = self.ws.store.current(unit.id)
        return html(
            "unit.html",
            **self.common(),
            unit=unit,
            status=status(current),
            current=[shown(s) for s in current],
            history=[shown(s) for s in self.ws.store.history(unit.id)],
            counted={s.id for s in current},
            link=self.link_of(unit),
            other_names=self.ws.other_names(unit),
            csrf=self._csrf(request),
        )

    async def link(self, request: Request) -> Response:
        if (refused := self._need_office(request)) is not None:
            return refused
        async with request.form(max_files=0, max_fields=4) as form:
            refused = refuse_post(request, form.get("csrf"), self._csrf(request))
            action = form.get("action")
        if refused:
            return refused
        unit = self.ws.store.unit(request.path_params["unit_id"])
        if unit is None:
            return message("找不到该单位", "没有这个单位。", 404, back="/")
        if action == "renew":
            self.ws.renew_token(unit.id)
        elif action == "revoke":
            self.ws.revoke_token(unit.id)
        await run_in_threadpool(outputs.write_links, self.ws, self.base_url)
        return RedirectResponse(f"/unit/{unit.id}", 303)

    async def upload(self, request: Request) -> Response:
        if (refused := self._need_office(request)) is not None:
            return refused
        async with request.form(max_files=MAX_FILES, max_fields=4) as form:
            refused = refuse_post(request, form.get("csrf"), self._csrf(request))
            if refused:
                return refused
            files = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
            if not files:
                return message(*NO_FILE, 400, back="/")
            batch = [await run_in_threadpool(self.ws.save_incoming, f.file, f.filename or "") for f in files]
        received = await run_in_threadpool(self.ws.accept_batch, batch, None)
        findings = {i.submission.id: shown(i.submission) for i in received.intakes}
        return html(
            "batch.html", **self.common(), intakes=received.intakes, ignored=received.ignored, findings=findings
        )

    async def template(self, request: Request) -> Response:
        if (refused := self._need_office(request)) is not None:
            return refused
        unit = self.ws.store.unit(request.path_params["unit_id"])
        if unit is None:
            return message("找不到该单位", "没有这个单位。", 404, back="/")
        data, name = await run_in_threadpool(outputs.unit_template, self.ws, unit.name)
        return attachment(data, name, XLSX)

    async def received_file(self, request: Request) -> Response:
        if (refused := self._need_office(request)) is not None:
            return refused
        s = self.ws.store.submission(request.path_params["submission_id"])
        if s is None:
            return message("找不到该文件", "没有这份报送记录。", 404, back="/")
        data = await run_in_threadpool(outputs.file_bytes, self.ws, s.stored)
        return attachment(data, s.original_name, "application/octet-stream")

    async def download(self, request: Request) -> Response:
        if (refused := self._need_office(request)) is not None:
            return refused
        what = request.path_params["what"]
        try:
            if what == "merged":
                data = await run_in_threadpool(outputs.merged_workbook, self.ws)
                return attachment(data, f"{self.ws.name}.xlsx", XLSX)
            if what == "report":
                data = await run_in_threadpool(outputs.report_docx, self.ws)
                return attachment(data, f"{self.ws.year}年度年报表格.docx", DOCX)
            if what == "annotated":
                data, count = await run_in_threadpool(outputs.annotated_zip, self.ws)
                return attachment(data, f"退回修改（{count}份）.zip", "application/zip")
            if what == "templates":
                data = await run_in_threadpool(outputs.templates_zip, self.ws)
                return attachment(data, f"{self.ws.year}年度模板.zip", "application/zip")
            if what == "roster":
                data = await run_in_threadpool(outputs.merge_roster, self.ws)
                return attachment(data, MERGE_ROSTER, "text/csv; charset=utf-8")
            if what == "links":
                data = await run_in_threadpool(outputs.links_workbook, self.ws, self.base_url)
                return attachment(data, "单位报送链接.xlsx", XLSX)
        except GovxlError as e:
            return message("无法生成", str(e), 409, back="/")
        return message("找不到该页面", "没有这个下载项。", 404, back="/")


def _line(row: BoardRow) -> dict[str, object]:
    """A unit's line on the status board."""
    current = row.current
    shown_status = status(current)
    last = row.last
    uncounted = last is not None and last.id not in {s.id for s in current}
    return {
        "id": row.unit.id,
        "name": row.unit.name,
        "on_roster": row.unit.on_roster,
        "status": shown_status,
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
            UploadOutcome.ACCEPTED: "ok",
            UploadOutcome.EXPLAINED: "ok",
            UploadOutcome.MISSING: "missing",
            UploadOutcome.ERRORS: "bad",
            UploadOutcome.UNREADABLE: "bad",
            UploadOutcome.DUPLICATE: "bad",
        }.get(shown_status, ""),
    }
