"""Command-line mistakes in Chinese: Click's usage errors (which Typer vendors), told apart by their attributes."""

from __future__ import annotations

from govxl.apps.cli_help import metavar


def is_usage_error(e: Exception) -> bool:
    """Click's usage errors: exit code 2 and a message for the user."""
    return getattr(e, "exit_code", None) == 2 and callable(getattr(e, "format_message", None))


def usage_message(e: Exception) -> str:
    """The Chinese for a command-line mistake, told apart by the attributes Click's errors carry."""
    param = getattr(e, "param", None)
    opts = [o for o in (getattr(param, "opts", None) or []) if o.startswith("-")]
    name = "/".join(opts) or (metavar(param) if param is not None else "")
    option = getattr(e, "option_name", None)
    if hasattr(e, "possibilities"):
        return f"没有这个选项：{option}。"
    if option:
        if "require" in str(getattr(e, "message", "")):
            return f"选项 {option} 后面需要填写一个值。"
        return f"选项 {option} 不需要填写值。"
    if hasattr(e, "param_type"):
        return f"缺少必填参数：{name}。"
    if param is not None:
        wanted = {"年度": "整数（年份）"}.get(metavar(param), metavar(param))
        return f"参数 {name} 的值无效，应填写{wanted}。"
    if "unexpected extra argument" in str(getattr(e, "message", "")):
        return "多了无法识别的参数；文件名中有空格时请用英文引号括起来。"
    return str(getattr(e, "message", e))
