"""Help and usage errors in Chinese, through Click's public hooks (``format_help``, ``resolve_command``).

Typer's own help is English-framed ("Usage:", "Options:", type names such as
``<list[Path]>``) and cuts long Chinese lines with "…". Users read this on an
80-column Windows console, so the help is laid out here, by display width.
"""

from __future__ import annotations

import shutil
import unicodedata
from typing import Any

from typer.core import TyperCommand, TyperGroup

TYPE_METAVARS = {"Path": "路径", "int": "整数", "str": "文字", "float": "数字"}
_NO_LINE_START = set("。，、；：？！）》」』”’】〕…")  # Chinese punctuation never starts a line
LEFT_MAX = 30
REQUIRED = " [必填]"  # a name column wider than this puts the help text on the next line


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap(text: str, width: int) -> list[str]:
    """Wrap by display width, breaking anywhere in Chinese and at spaces in Latin text; never truncating."""
    out: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line, used = "", 0
        for word in _words(paragraph):
            w = display_width(word)
            if used + w > width and line.strip() and word not in _NO_LINE_START:
                out.append(line.rstrip())
                word = word.lstrip()
                line, used = "", 0
                w = display_width(word)
            line += word
            used += w
        out.append(line.rstrip())
    return out


def _words(text: str) -> list[str]:
    """Latin words stay whole (with their leading space); every wide character is a word of its own,
    except the required marker, which never breaks."""
    if text.endswith(REQUIRED):
        return [*_words(text[: -len(REQUIRED)]), REQUIRED]
    words: list[str] = []
    for ch in text:
        if display_width(ch) == 2 or not words or ch == " " or display_width(words[-1][-1:]) == 2:
            words.append(ch)
        else:
            words[-1] += ch
    return words


def metavar(param: Any) -> str:
    """The option's own metavar, else a Chinese word for its type; none for a flag."""
    if param.metavar:
        return str(param.metavar)
    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    text = getattr(annotation, "__name__", None) or str(annotation)
    if getattr(param, "is_flag", False) or text == "bool":
        return ""
    return next((word for name, word in TYPE_METAVARS.items() if name in text), "值")


def usage(cmd: Any, ctx: Any) -> str:
    pieces = [ctx.command_path, "[选项]"]
    if isinstance(cmd, TyperGroup):
        pieces.append("命令 [参数]...")
    for p in cmd.params:
        if p.param_type_name == "argument":
            pieces.append(metavar(p) + ("..." if p.nargs == -1 else ""))
    return "用法：" + " ".join(pieces)


def render_help(cmd: Any, ctx: Any) -> str:
    width = max(60, min(shutil.get_terminal_size((80, 24)).columns, 100)) - 1
    lines = [usage(cmd, ctx), ""]
    if cmd.help:
        lines += [line for para in cmd.help.strip().splitlines() for line in wrap(para.rstrip(), width)] + [""]
    arguments = [p for p in cmd.params if p.param_type_name == "argument" and not getattr(p, "hidden", False)]
    options = [p for p in cmd.params if p.param_type_name == "option" and not getattr(p, "hidden", False)]
    if arguments:
        lines.append("参数：")
        lines += _rows([(metavar(p) + ("..." if p.nargs == -1 else ""), _help_text(p)) for p in arguments], width)
        lines.append("")
    if options:
        lines.append("选项：")
        rows = []
        for p in options:
            names = ", ".join(sorted(p.opts, key=len))
            rows.append((f"{names} {metavar(p)}".rstrip(), _help_text(p)))
        lines += _rows(rows, width)
        lines.append("")
    if isinstance(cmd, TyperGroup):
        lines.append("命令：")
        commands = [(name, cmd.get_command(ctx, name)) for name in cmd.list_commands(ctx)]
        lines += _rows([(name, (c.help or "").strip().splitlines()[0]) for name, c in commands if c], width)
        lines += ["", f"运行“{ctx.command_path} 命令 --help”查看各命令的用法。"]
    return "\n".join(lines).rstrip() + "\n"


def _help_text(param: Any) -> str:
    text = (getattr(param, "help", None) or "").strip()
    return text + (REQUIRED if param.required else "")


def _rows(rows: list[tuple[str, str]], width: int) -> list[str]:
    left = min(LEFT_MAX, max((display_width(name) for name, _ in rows), default=0)) + 4
    out = []
    for name, text in rows:
        body = wrap(text, width - left) or [""]
        if display_width(name) + 4 > left:
            out.append("  " + name)
            out += [" " * left + line for line in body]
        else:
            out.append("  " + name + " " * (left - 2 - display_width(name)) + body[0])
            out += [" " * left + line for line in body[1:]]
    return out


class ChineseCommand(TyperCommand):
    def format_help(self, ctx: Any, formatter: Any) -> None:
        formatter.write(render_help(self, ctx))


class ChineseGroup(TyperGroup):
    def format_help(self, ctx: Any, formatter: Any) -> None:
        formatter.write(render_help(self, ctx))

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            known = "、".join(self.list_commands(ctx))
            ctx.fail(f"没有“{name}”这个命令。可用的命令：{known}。")
        return super().resolve_command(ctx, args)
