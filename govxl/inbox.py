"""What is in the inbox: every file handed to a command, and what each one is.

A clerk's folder holds more than returns: WPS .et files, archives, Word
letters, scans, the roster, last year's workbook, lock files. Each one is
either read, or accounted for with a reason and what to do about it.
"""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from govxl.errors import UsageError

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
ANNOTATED_SUFFIX = "_退回修改"  # the copies ``govxl check --annotate`` writes for 退回修改

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
_SYSTEM = {"thumbs.db", "desktop.ini", ".ds_store"}
_KIND = re.compile(rb'name="govxl\.kind"><vt:lpwstr>([a-z]+)</vt:lpwstr>')


@dataclass(frozen=True)
class NotRead:
    """A file in an input folder that is not read, and why."""

    shown: str
    what: str  # 压缩包, Word文档, ...
    advice: str
    may_hold_a_return: bool  # an archive or .et probably holds a department's figures: an error, not a hint

    @property
    def reason(self) -> str:
        return f"{self.what}，未读取；{self.advice}"


@dataclass
class Inbox:
    files: list[tuple[Path, str]]  # spreadsheets to read: (path, as shown), in a stable order
    not_read: list[NotRead] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # lock files, system files, the roster, the output itself

    def is_annotated(self, shown: str) -> bool:
        return Path(shown).stem.endswith(ANNOTATED_SUFFIX)


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
    for given in inputs:
        if not given.exists():
            raise UsageError(f"找不到输入文件或文件夹：{given}")
        if given.is_file():
            if given.resolve() in outs:
                raise UsageError(f"输出文件 {given} 也是输入文件之一。govxl 从不覆盖输入文件，请另选输出文件名。")
            _sort_one(given, str(given), files, inbox, outs, sides, given_by_name=True)
            continue
        for dirpath, dirnames, filenames in os.walk(given):
            dirnames.sort()
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
) -> None:
    name = path.name
    suffix = path.suffix.lower()
    resolved = path.resolve()
    if name.startswith("~$"):
        inbox.ignored.append(f"{shown}（Office 临时锁定文件）")
    elif name.lower() in _SYSTEM or (name.startswith(".") and not given_by_name):
        inbox.ignored.append(f"{shown}（系统文件）")
    elif resolved in sides and not given_by_name:
        inbox.ignored.append(f"{shown}（单位名单或上年报表）")
    elif resolved in outs:
        if not is_merged_workbook(path):
            raise UsageError(f"输出文件 {shown} 是输入文件夹中的一份报表。govxl 从不覆盖输入文件，请另选输出文件名。")
        inbox.ignored.append(f"{shown}（上次生成的汇总表，本次将被覆盖）")
    elif suffix in SPREADSHEET_SUFFIXES or (given_by_name and not any(suffix in k for k in _NOT_READ)):
        files.setdefault(resolved, shown)  # a file named on the command line is read unless it is plainly not a sheet
    else:
        inbox.not_read.append(not_read(shown, suffix))


def not_read(shown: str, suffix: str) -> NotRead:
    for suffixes, (what, advice, may_hold) in _NOT_READ.items():
        if suffix in suffixes:
            return NotRead(shown, what, advice, may_hold)
    return NotRead(shown, "不是表格文件", "如果是报表，请对方以.xlsx报送", False)


def is_merged_workbook(path: Path) -> bool:
    """Whether a file is a workbook ``govxl merge`` wrote (by its document properties)."""
    try:
        with zipfile.ZipFile(path) as zf:
            m = _KIND.search(zf.read("docProps/custom.xml"))
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    return bool(m and m.group(1) == b"merged")
