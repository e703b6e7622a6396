"""Who may see what, and the defences every response and every form carries.

- The office page needs the office key (printed at start): once given, a cookie holds a random session
  token whose hash the records keep for 12 hours; logging out ends that session, a new office key
  (``govxl serve 文件夹 --new-key`` or the office page's button) ends every one.
- A department's page is reached by its own token in the link; tokens are compared in constant time.
- Every form carries a CSRF token bound to the office session or to the department's token, and a
  cross-site ``Origin`` or ``Sec-Fetch-Site`` is refused outright.
- Request bodies are limited before they are read; every response has a strict CSP and sends no
  referrer to other sites, so that a token in the address never leaks.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.requests import Request

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

OFFICE_COOKIE = "govxl_office"
SESSION_SECONDS = 12 * 3600
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),  # a token in the address never reaches another site
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
]


def same(a: str, b: str) -> bool:
    """Constant-time comparison of two secrets."""
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


def sign(secret: str, what: str) -> str:
    return hmac.new(secret.encode(), what.encode("utf-8"), hashlib.sha256).hexdigest()


def csrf_token(secret: str, bound_to: str) -> str:
    return sign(secret, "csrf:" + bound_to)


def cross_site(request: Request) -> bool:
    """A request another site's page made (a form posted from elsewhere)."""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None:  # set by the browser itself, never by a page: decisive when present
        return fetch_site not in ("same-origin", "none")
    origin = request.headers.get("origin")
    if origin is None or origin == "null":  # an old browser: the form's CSRF token still has to match
        return False
    own = f"{request.url.scheme}://{request.headers.get('host', '')}"
    return origin != own


class TooLarge(Exception):
    pass


class SecurityMiddleware:
    """Security headers on every response; request bodies limited (413) before they are parsed;
    and, when the service listens on the loopback address only, other ``Host`` names refused
    (a page on another site cannot reach it by pointing a name at 127.0.0.1)."""

    def __init__(self, app: ASGIApp, *, max_body: int, allowed_hosts: tuple[str, ...] | None) -> None:
        self.app = app
        self.max_body = max_body
        self.allowed_hosts = allowed_hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = [*message.get("headers", []), *HEADERS]
            await send(message)

        headers = dict(scope.get("headers", []))
        if self.allowed_hosts is not None:
            host = headers.get(b"host", b"").decode("latin-1").rsplit(":", 1)[0].strip("[]").lower()
            if host not in self.allowed_hosts:
                await _plain(send_with_headers, 421, "请求的主机名不正确。")
                return
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            await _plain(send_with_headers, 413, self._too_large())
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_body:
                raise TooLarge
            return message

        try:
            await self.app(scope, limited, send_with_headers)
        except TooLarge:
            if not started:
                await _plain(send_with_headers, 413, self._too_large())

    def _too_large(self) -> str:
        most = self.max_body // (1024 * 1024)
        return f"上传的文件过大（每次最多 {most} MB）。报表文件通常不到 1 MB，请检查是否选错了文件。"


def plain_page(text: str) -> bytes:
    """A page with one sentence, for answers given before the application (or outside it)."""
    return (
        "<!doctype html><html lang='zh-CN'><meta charset='utf-8'><title>govxl</title>"
        f"<body><p>{text}</p><p>请用浏览器的“后退”按钮返回上一页。</p></body></html>"
    ).encode()


async def _plain(send: Send, status: int, text: str) -> None:
    body = plain_page(text)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"text/html; charset=utf-8"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
