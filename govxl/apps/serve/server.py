"""uvicorn, speaking Chinese: its own answers (a request it cannot parse, an application that fails before
answering) are pages in Chinese, and its log lines are said in Chinese, never in English or as a traceback."""

from __future__ import annotations

import asyncio
import logging
import socket
import sys

import h11
import uvicorn
from starlette.types import ASGIApp
from uvicorn.protocols.http.h11_impl import H11Protocol

from govxl.apps.serve.security import HEADERS, plain_page

BAD_REQUEST = "请求的格式不正确，无法处理。请用浏览器打开政务公开办发来的链接。"
FAILED = "服务在处理这个请求时出现意外问题，请稍后重试；如仍有问题，请联系政务公开办。"
STOPPED_MIDWAY = "服务停止时，有一个请求尚未处理完，已中止；对方需在服务重新启动后重新打开页面查看，必要时重新提交。"


def _headers(body: bytes) -> list[tuple[bytes, bytes]]:
    return [
        (b"content-type", b"text/html; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
        *HEADERS,
    ]


class Protocol(H11Protocol):
    """uvicorn's pure-Python HTTP/1.1 protocol (h11), with its plain-text English answers replaced."""

    def send_400_response(self, msg: str) -> None:
        body = plain_page(BAD_REQUEST)
        for event in (
            h11.Response(status_code=400, headers=_headers(body), reason=b"Bad Request"),
            h11.Data(data=body),
            h11.EndOfMessage(),
        ):
            output = self.conn.send(event)
            if output:
                self.transport.write(output)
        self.transport.close()

    async def send_500_response(self) -> None:
        body = plain_page(FAILED)
        await self.send({"type": "http.response.start", "status": 500, "headers": _headers(body)})
        await self.send({"type": "http.response.body", "body": body, "more_body": False})


# uvicorn's words (its logger names them once each) and what the console says instead
_SAID = {
    "Invalid HTTP request received.": "收到一个格式不正确的请求（不是浏览器发来的正常请求），已拒绝。",
    "Exception in ASGI application": "处理一个请求时出现内部错误，已向对方显示“出现问题”的页面。",
    "Unsupported upgrade request.": "收到一个本服务不支持的连接升级请求，已按普通请求处理。",
    "No supported WebSocket library detected.": "",
    "Exceeded concurrency limit.": "同时访问的人数过多，已请部分访问者稍后重试。",
    "Cancel ": "停止服务时仍有请求没有处理完，已中止这些请求。",
}


class InChinese(logging.Filter):
    """Every record of uvicorn's loggers said in Chinese: a known message translated, anything else named as an
    unexpected event (the error's type and words, as the CLI names an internal error), never a traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage().strip()
        said = next((chinese for english, chinese in _SAID.items() if text.startswith(english)), None)
        if said == "":
            return False
        if said is None:
            said = f"报表收集服务出现意外情况（{text}）。如页面不能正常使用，请把此信息反馈给维护人员。"
        e = record.exc_info[1] if record.exc_info else None
        if isinstance(e, asyncio.CancelledError):  # a request still running when the service stopped: no fault
            said = STOPPED_MIDWAY
        elif e is not None:
            said += f"（govxl 内部错误 {type(e).__name__}: {e}；请把此信息反馈给维护人员。）"
        record.msg, record.args, record.exc_info, record.exc_text, record.stack_info = said, (), None, None, None
        return True


def quiet_uvicorn() -> None:
    """uvicorn's loggers to the console in Chinese, one line each."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    handler.addFilter(InChinese())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.asgi"):
        logger = logging.getLogger(name)
        logger.handlers = [handler] if name == "uvicorn" else []
        logger.propagate = name != "uvicorn"
    logging.getLogger("uvicorn").setLevel(logging.WARNING)


def run(app: ASGIApp, sock: socket.socket) -> None:
    """Serve ``app`` on the bound socket until interrupted."""
    config = uvicorn.Config(
        app,
        http=Protocol,
        log_config=None,
        log_level="warning",
        access_log=False,
        lifespan="off",
        timeout_graceful_shutdown=5,
    )
    quiet_uvicorn()
    uvicorn.Server(config).run(sockets=[sock])
