"""What the office's views and the department's views share: the templates, a page, a message, a download,
a submission as the pages show it, and the CSRF refusal of a form post."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from govxl.apps.serve.security import cross_site, same
from govxl.apps.serve.store import Submission
from govxl.apps.serve.workspace import UploadOutcome, Workspace, shown_on_page, usable_record, without_controls
from govxl.results.findings import ALIAS, LOCATED, NEAR_NAME

HERE = Path(__file__).parent
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_PAGES = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    # a name from a file or a cover never carries bidirectional or control characters onto a page
    finalize=lambda value: shown_on_page(value) if isinstance(value, str) else value,
)


class Views:
    """The work folder and the address the links carry, for the views of one audience."""

    def __init__(self, ws: Workspace, base_url: str) -> None:
        self.ws = ws
        self.base_url = base_url.rstrip("/")

    def common(self) -> dict[str, object]:
        return {"year": self.ws.year, "name": self.ws.name}


def html(page: str, status_code: int = 200, **context: object) -> HTMLResponse:
    return HTMLResponse(_PAGES.get_template(page).render(**context), status_code=status_code)


def message(title: str, text: str, status_code: int, back: str = "") -> HTMLResponse:
    return html("message.html", status_code, title=title, text=text, back=back)


def refuse_post(request: Request, form_token: object, expected: str) -> Response | None:
    """A form post from another site, or without this page's CSRF token, is refused."""
    if cross_site(request) or not isinstance(form_token, str) or not same(form_token, expected):
        return message("无法提交", "页面已过期或请求来源不正确，请刷新页面后重新操作。", 403)
    return None


NO_FILE = ("没有选择文件", "请先选择要上传的报表文件。")

_ASCII_SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,10}")


def attachment(data: bytes, name: str, media: str) -> Response:
    # RFC 6266: an ASCII fallback (its extension only when plain letters and digits: never a quote or a
    # character the header cannot carry) and the real (Chinese) name, every special character percent-encoded
    name = without_controls(name)
    suffix = Path(name).suffix
    fallback = "govxl" + (suffix if _ASCII_SUFFIX.fullmatch(suffix) else "")
    disposition = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
    return Response(data, media_type=media, headers={"content-disposition": disposition})


def shown(s: Submission) -> dict[str, object]:
    """A submission as the pages show it, findings in their order (their messages as the library words them)."""
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


_SAID_WHY = (UploadOutcome.NOT_READ, UploadOutcome.UNREADABLE, UploadOutcome.OTHER_UNIT)


def _reason(s: Submission, findings: list[dict[str, str]]) -> str:
    """Why a file was not read, or cannot be used as a return (a blank template, another year's): its first error."""
    if s.outcome in _SAID_WHY and findings:
        return findings[0]["message"]
    if not usable_record(s):
        return next((f["message"] for f in findings if f["severity"] == "错误"), "")
    return ""
