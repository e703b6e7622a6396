"""What is in the inbox: every file handed to a command, and what each one is.

A clerk's folder holds more than returns: WPS .et files, archives, Word
letters, scans, the roster, last year's workbook, lock files. Each one is
either read, or accounted for with a reason and what to do about it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from govxl.editions.rules import Severity
from govxl.errors import UsageError
from govxl.markers import KINDS, govxl_made, overwrites_an_input
from govxl.read.workbook import read_return
from govxl.results.figures import Figures
from govxl.results.findings import NOT_READ, UNREADABLE, Finding
from govxl.results.inbox import Inbox, NotRead
from govxl.workers import ordered_map

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".xlsb", ".xltx", ".xltm", ".xlt")
_SPREADSHEET_HEADS = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # a zip (xlsx, ods) or an OLE file (xls)

# Files that cannot be read, by suffix: (what it is, what to do, whether it may hold a return).
_NOT_READ: dict[tuple[str, ...], tuple[str, str, bool]] = {
    (".et", ".ett"): ("WPS表格专用格式（.et）", "请用WPS打开后“另存为”Excel工作簿（.xlsx），再重新汇总", True),
    (".csv", ".tsv"): ("CSV文本表格，没有模板的表格结构", "请对方在下发的模板中填写后以.xlsx报送", True),
    (".zip", ".rar", ".7z", ".tar", ".gz", ".tgz", ".bz2", ".xz"): (
        "压缩包",
        "请解压后把其中的报表放进文件夹，重新汇总",
        True,
    ),
    (".doc", ".docx", ".wps", ".rtf", ".odt"): ("Word文档", "如果是报表，请对方在下发的模板中填写后以.xlsx报送", False),
    (".pdf", ".ofd"): ("PDF/OFD文档", "如果是报表，请对方在下发的模板中填写后以.xlsx报送", False),
    (".jpg", ".jpeg", ".png", ".gif", ".bmp", ".tif", ".tiff", ".webp", ".heic"): (
        "图片",
        "如果是报表的照片或扫描件，请对方报送.xlsx报表",
        False,
    ),
    (".txt", ".md", ".json", ".xml", ".html", ".htm"): ("文本文件", "不是报表，无需处理", False),
}
_NOT_READ_SUFFIXES = frozenset(suffix for suffixes in _NOT_READ for suffix in suffixes)
_SYSTEM = {"thumbs.db", "desktop.ini", ".ds_store"}


def is_system_file(name: str) -> bool:
    """Office lock files (~$…), Thumbs.db, desktop.ini and hidden files: never a department's file."""
    return name.startswith(("~$", ".")) or name.lower() in _SYSTEM


def collect(
    inputs: Iterable[Path], outputs: Iterable[Path | None] = (), side_files: Iterable[Path | None] = ()
) -> Inbox:
    """Every file under ``inputs``: to read, not read (with the reason), or ignored on purpose.

    ``outputs`` are refused when given as inputs; inside an input folder, an
    output is skipped only if it is a previous govxl merged workbook.
    ``side_files`` (the roster, last year's file) are skipped when met in a folder.
    """
    files: dict[Path, str] = {}
    inbox = Inbox([])
    outs = {p.resolve() for p in outputs if p is not None}
    sides = {p.resolve() for p in side_files if p is not None}
    for given in map(Path, inputs):
        if not given.exists():
            raise UsageError(f"找不到输入文件或文件夹：{given}")
        if given.is_file():
            if given.resolve() in outs:
                raise UsageError(overwrites_an_input(str(given), in_a_folder=False))
            _sort_one(given, str(given), files, inbox, outs, sides, given_by_name=True)
            continue
        seen = {given.resolve()}

        def unreadable_folder(error: OSError) -> None:
            what, advice = "无法打开的文件夹", "请检查该文件夹是否存在、是否有读取权限"
            inbox.not_read.append(NotRead(str(error.filename), what, advice, True))

        # linked folders are followed (a 街道 folder linked in), each real folder once
        for dirpath, dirnames, filenames in os.walk(given, onerror=unreadable_folder, followlinks=True):
            fresh = []
            for d in sorted(dirnames):
                real = (Path(dirpath) / d).resolve()
                if real not in seen:
                    seen.add(real)
                    fresh.append(d)
            dirnames[:] = fresh
            for name in sorted(filenames):
                path = Path(dirpath) / name
                _sort_one(path, str(path), files, inbox, outs, sides, given_by_name=False)
    inbox.files = sorted(((p, shown) for p, shown in files.items()), key=lambda kv: kv[1])
    inbox.not_read.sort(key=lambda n: n.shown)
    return inbox


def _sort_one(
    path: Path,
    shown: str,
    files: dict[Path, str],
    inbox: Inbox,
    outs: set[Path],
    sides: set[Path],
    *,
    given_by_name: bool,
    name: str = "",
) -> None:
    name = name or path.name  # an upload's name is the sender's; the file itself is kept under another
    suffix = Path(name).suffix.lower()
    resolved = path.resolve()
    if name.startswith("~$"):
        inbox.ignored.append(f"{shown}（Office 临时锁定文件）")
    elif name.lower() in _SYSTEM or (name.startswith(".") and not given_by_name):
        inbox.ignored.append(f"{shown}（系统文件）")
    elif resolved in sides and not given_by_name:
        inbox.ignored.append(f"{shown}（单位名单或上年报表）")
    elif resolved in outs:
        made = govxl_made(path, suffix)
        if not made:
            raise UsageError(overwrites_an_input(shown, in_a_folder=True))
        inbox.ignored.append(f"{shown}（上次生成的{KINDS[made].what}，本次将被覆盖）")
    elif suffix == ".csv" and govxl_made(path, suffix) == "export":
        inbox.ignored.append(f"{shown}（govxl 导出的数据，不是报表）")
    elif suffix in SPREADSHEET_SUFFIXES or (
        suffix not in _NOT_READ_SUFFIXES and (given_by_name or _looks_like_a_workbook(path))
    ):
        # a file named on the command line is read unless it is plainly not a sheet; in a folder, a workbook
        # that lost its extension (“区财政局” or “报表.xlsx.1”) is read by its first bytes
        files.setdefault(resolved, shown)
    else:
        inbox.not_read.append(not_read(shown, suffix))


def sort_received(path: Path, name: str) -> Inbox:
    """What ``collect`` makes of one file found in a folder under ``name`` (a file received under the sender's
    name, kept as ``path``): one file to read, or one not read with the reason, or one ignored (a lock file)."""
    files: dict[Path, str] = {}
    inbox = Inbox([])
    _sort_one(path, name, files, inbox, set(), set(), given_by_name=False, name=name)
    inbox.files = list(files.items())
    return inbox


def _looks_like_a_workbook(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(4) in _SPREADSHEET_HEADS
    except OSError:
        return False


def not_read(shown: str, suffix: str) -> NotRead:
    for suffixes, (what, advice, may_hold) in _NOT_READ.items():
        if suffix in suffixes:
            return NotRead(shown, what, advice, may_hold)
    return NotRead(shown, "不是表格文件", "如果是报表，请对方以.xlsx报送", False)


UNEXPECTED = (
    "无法读取：读取时出现意外问题，文件可能已损坏或不是常规的 Excel 文件；"
    "请对方用 Excel 或 WPS 打开后另存为 .xlsx 重新报送，如仍有问题，请把此文件反馈给 govxl 开发者"
)


CRASHED = (
    "无法读取：读取此文件时读取程序意外中止（文件可能已损坏或是恶意构造的），已跳过，其他文件照常读取；"
    "请对方用 Excel 或 WPS 打开后另存为 .xlsx 重新报送"
)


def read_one(item: tuple[Path, str]) -> Figures | Finding:
    try:
        return read_return(*item)
    except Exception:  # one odd file must never end a run of hundreds: say which, go on
        return Finding(Severity.ERROR, UNREADABLE, UNEXPECTED, file=item[1])


T = TypeVar("T")


def read_all(
    files: list[tuple[Path, str]],
    progress: Callable[[int, int], None] | None = None,
    each: Callable[[Figures], None] | None = None,
    *,
    work: Callable[[tuple[Path, str]], T] = read_one,  # type: ignore[assignment]
) -> list[T]:
    """Read every file, in order; on two or more cores, in worker processes.

    ``each`` is called on every return as it arrives, while the workers read on. ``work`` is what a
    worker does with each file (a module-level function): read it, by default.
    """

    def arrived(r: T) -> None:
        if each is not None and isinstance(r, Figures):
            each(r)

    def crashed(item: tuple[Path, str]) -> T:  # the reading process died on this file (a parser aborted)
        return Finding(Severity.ERROR, UNREADABLE, CRASHED, file=item[1])  # type: ignore[return-value]

    return ordered_map(work, files, progress, arrived, crashed)


def nothing_to_read(inbox: Inbox) -> str:
    """Why there is nothing to merge or check, naming every file that was found."""
    lines = ["没有找到任何报表文件（.xlsx、.xlsm、.xls、.xlsb、.ods 等），请检查输入的文件或文件夹。"]
    if inbox.not_read or inbox.ignored:
        lines.append("找到的文件：")
        lines += [f"  {n.shown}：{n.reason}" for n in inbox.not_read]
        lines += [f"  已忽略：{text}" for text in inbox.ignored]
    return "\n".join(lines)


def not_read_findings(inbox: Inbox) -> list[Finding]:
    """One finding per file that is not a spreadsheet: an error when it probably holds a return (.et, an archive)."""
    return [
        Finding(Severity.ERROR, UNREADABLE, f"无法读取：{n.reason}", file=n.shown)
        if n.may_hold_a_return
        else Finding(Severity.HINT, NOT_READ, n.reason, file=n.shown)
        for n in inbox.not_read
    ]
