"""The web service: its routes, each to the office's views (office.py) or a department's (department.py), and
what both share: the security middleware, the static files and the error pages (Starlette).

Every route names what it serves by a number or a token, looked up in the records: nothing from a
request becomes a path. The library does the work (check, merge, annotate, report, templates).
"""

from __future__ import annotations

import re

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from govxl.apps.serve.department import DepartmentViews
from govxl.apps.serve.office import OfficeViews
from govxl.apps.serve.pages import HERE, message
from govxl.apps.serve.security import SecurityMiddleware
from govxl.apps.serve.workspace import Workspace

MB = 1024 * 1024
LOOPBACK = ("127.0.0.1", "localhost", "::1")
_STATIC = {
    "app.css": ("text/css; charset=utf-8", (HERE / "static" / "app.css").read_bytes()),
    "app.js": ("text/javascript; charset=utf-8", (HERE / "static" / "app.js").read_bytes()),
}


def create_app(ws: Workspace, *, base_url: str, loopback_only: bool = True, max_upload_mb: int = 20) -> Starlette:
    """The service for one work folder. ``loopback_only``: refuse Host names other than the loopback's."""
    office = OfficeViews(ws, base_url)
    department = DepartmentViews(ws, base_url)
    routes = [
        Route("/", office.board),
        Route("/login", office.login, methods=["GET", "POST"]),
        Route("/logout", office.logout, methods=["POST"]),
        Route("/key", office.new_key, methods=["POST"]),
        Route("/upload", office.upload, methods=["POST"]),
        Route("/unit/{unit_id:int}", office.unit),
        Route("/unit/{unit_id:int}/template", office.template),
        Route("/unit/{unit_id:int}/link", office.link, methods=["POST"]),
        Route("/file/{submission_id:int}", office.received_file),
        Route("/download/{what:str}", office.download),
        Route("/u/{token:str}", department.page),
        Route("/u/{token:str}/template", department.template),
        Route("/u/{token:str}/upload", department.upload, methods=["POST"]),
        Route("/static/{name:str}", _static),
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


async def _static(request: Request) -> Response:
    found = _STATIC.get(request.path_params["name"])
    if found is None:
        return Response("", 404)
    media, data = found
    return Response(data, media_type=media)


async def _failed(request: Request, exc: Exception) -> Response:
    return message("出现问题", "服务在处理这个请求时出现意外问题，请稍后重试；如仍有问题，请联系政务公开办。", 500)


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
    response = message(title, text, exc.status_code, back=back)
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
