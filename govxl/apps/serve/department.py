"""A department's views: its own page (what it sent, what counts, what to fix), its template and its upload.

A department is known by the token of its link, nothing else; it sees its own unit only. The findings are
shown with their requests made to the department (wording.py), not to the office.
"""

from __future__ import annotations

from typing import BinaryIO

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from govxl.apps.serve import outputs
from govxl.apps.serve.pages import NO_FILE, XLSX, Views, attachment, html, message, refuse_post, shown
from govxl.apps.serve.security import csrf_token, same
from govxl.apps.serve.store import Submission, Unit, token_hash
from govxl.apps.serve.wording import for_department
from govxl.apps.serve.workspace import Intake, UploadOutcome, status


class DepartmentViews(Views):
    def _unit(self, token: str) -> Unit | None:
        """The unit whose link this is: on the current roster, as the links sheet lists them."""
        unit = self.ws.store.unit_by_token_hash(token_hash(token))
        if unit is None or unit.token is None or not same(unit.token, token) or not unit.on_roster:
            return None
        return unit

    def _csrf(self, token: str) -> str:
        return csrf_token(self.ws.secret, "unit:" + token)

    async def page(self, request: Request) -> Response:
        unit = self._unit(request.path_params["token"])
        if unit is None:
            return _invalid_link()
        current = self.ws.store.current(unit.id)
        history = self.ws.store.history(unit.id)
        latest = history[0] if history else None
        return html(
            "department.html",
            **self.common(),
            unit=unit,
            token=unit.token,
            status=status(current),
            current=[_shown(s) for s in current],
            latest=_shown(latest) if latest is not None and latest.id not in {s.id for s in current} else None,
            history=[_shown(s) for s in history],
            counted={s.id for s in current},
            csrf=self._csrf(unit.token or ""),
            not_read=UploadOutcome.NOT_READ,
        )

    async def template(self, request: Request) -> Response:
        unit = self._unit(request.path_params["token"])
        if unit is None:
            return _invalid_link()
        data, name = await run_in_threadpool(outputs.unit_template, self.ws, unit.name)
        return attachment(data, name, XLSX)

    async def upload(self, request: Request) -> Response:
        token = request.path_params["token"]
        unit = self._unit(token)
        if unit is None:
            return _invalid_link()
        async with request.form(max_files=1, max_fields=4) as form:
            refused = refuse_post(request, form.get("csrf"), self._csrf(token))
            if refused:
                return refused
            upload = form.get("file")
            if not isinstance(upload, UploadFile) or not upload.filename:
                return message(*NO_FILE, 400, back=f"/u/{token}")
            intake = await run_in_threadpool(self._take, upload.file, upload.filename, unit)
        if isinstance(intake, str):  # a lock file (~$年报.xlsx): not the return itself
            text = f"已忽略：{intake}。这不是报表文件，没有上传。请选择填好的报表文件本身（.xlsx）重新上传。"
            return message("没有上传报表", text, 400, back=f"/u/{token}")
        return RedirectResponse(f"/u/{token}#result", 303)

    def _take(self, data: BinaryIO, name: str, unit: Unit) -> Intake | str:
        """The upload saved and taken in: one trip to a thread of the service, not one for each."""
        return self.ws.accept(self.ws.save_incoming(data, name), unit)


def _shown(s: Submission) -> dict[str, object]:
    """A submission as the department's page shows it: each finding's request made to the department."""
    seen = shown(s)
    findings = [{**f, "message": for_department(f["message"])} for f in seen["findings"]]  # type: ignore[attr-defined]
    return {**seen, "findings": findings, "reason": for_department(str(seen["reason"]))}


def _invalid_link() -> HTMLResponse:
    return message("链接无效", "这个报送链接无效或已停用。请与政务公开办联系，索取本单位的报送链接。", 404)
