"""Every way a command can end, as a Chinese message and an exit code: 0 clean, 1 rule errors, 2 unusable
input or usage. Never a traceback, not even for a bug."""

from __future__ import annotations

import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

import typer

from govxl.apps.usage import is_usage_error, usage_message
from govxl.errors import GovxlError, UsageError
from govxl.io import explain_os_error


def run(app: typer.Typer) -> NoReturn:
    """Run the ``govxl`` command on ``sys.argv`` and exit with its code."""
    _console_survives_gbk()
    warnings.simplefilter("ignore")  # libraries' English warnings; what matters to the user is said as a finding
    try:
        code = app(args=sys.argv[1:] or ["--help"], prog_name="govxl", standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except GovxlError as e:
        typer.echo(f"错误：{e}", err=True)
        sys.exit(e.exit_code)
    except OSError as e:
        typer.echo(f"错误：{explain_os_error(e, e.filename or '', '读写')}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        typer.echo("已中止，未写入任何不完整的文件。", err=True)
        sys.exit(2)
    except typer.Exit as e:
        sys.exit(e.exit_code)
    except typer.Abort:
        typer.echo("已中止。", err=True)
        sys.exit(2)
    except Exception as e:
        if is_usage_error(e):
            ctx = getattr(e, "ctx", None)
            cmd = ctx.command_path if ctx else "govxl"
            typer.echo(f"用法错误：{usage_message(e)}\n运行“{cmd} --help”查看用法。", err=True)
            sys.exit(2)
        # a bug: say so plainly, never a traceback
        typer.echo(f"govxl 内部错误（{type(e).__name__}: {e}）。请把此信息和所用文件反馈给维护人员。", err=True)
        sys.exit(2)


@contextmanager
def port_refused_is_usage(host: str, port: int) -> Iterator[None]:
    """``govxl serve``: an address in use, or a port the user may not open, is a usage error naming --port."""
    try:
        yield
    except OSError as e:
        if e.errno in (98, 10048, 13, 10013):
            message = f"无法在 {host}:{port} 上启动服务：端口已被占用或没有权限，请用 --port 换一个端口。"
            raise UsageError(message) from e
        raise


def _console_survives_gbk() -> None:
    """A Chinese Windows console (GBK) cannot show every character a file name may hold: replace, never crash."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")
