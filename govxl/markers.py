"""The marker govxl puts in every file it writes, and how a file is recognised by it: what govxl wrote a file as.

Read-side and write-side alike go by it: the output policy (:mod:`govxl.outputs`) replaces only what govxl
wrote as the same kind of output, and the inbox (:mod:`govxl.read.inbox`) skips govxl's own outputs. The markers,
one per kind of file, are described in :mod:`govxl.outputs`.
"""

from __future__ import annotations

import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from govxl.columns import CHINESE_COLUMNS, FIGURE_COLUMNS, FINDING_COLUMNS

GENERATOR = "govxl"
HTML_MARKER = f'<meta name="generator" content="{GENERATOR}">'
MARKDOWN_MARKER = f"<!-- generator: {GENERATOR} -->"
KIND_PROPERTY = "govxl.kind"


@dataclass(frozen=True)
class Kind:
    what: str  # in Chinese, as a message names it
    suffixes: tuple[str, ...]  # the first is the one a message suggests
    replaces: tuple[str, ...] = ()  # other kinds an output of this kind may replace


KINDS: dict[str, Kind] = {
    "merged": Kind("汇总表", (".xlsx",)),
    "history": Kind("历年对比表", (".xlsx",)),
    "export": Kind("导出数据", (".csv", ".xlsx", ".parquet")),
    "findings": Kind("校验结果（JSON）", (".json",)),
    # ``audit --xlsx`` of one report was marked ``annotated`` before it was written directly: still replaceable
    "audit": Kind("年报核对工作簿", (".xlsx",), replaces=("annotated",)),
    "annotated": Kind("退回修改副本", (".xlsx", ".xlsm")),
    "report": Kind("年报表格", (".docx", ".html", ".htm", ".md")),
    "template": Kind("空白模板", (".xlsx",)),
}

_CUSTOM_KIND = re.compile(rb'name="govxl\.kind"[^>]*>\s*<vt:lpwstr[^>]*>([a-z]+)</vt:lpwstr>')  # any writer's order
_HTML_HEAD = 4096  # the marker is in the <head>, within the first few hundred bytes


def overwrites_an_input(shown: str, *, in_a_folder: bool) -> str:
    """Why an output is refused that is an input: named as one, or a return (not govxl's) in an input folder. The
    output policy says it before anything is read (:func:`govxl.outputs.claim_all`), the inbox when it meets it."""
    where = "是输入文件夹中的一份报表" if in_a_folder else "也是输入文件之一"
    return f"输出文件 {shown} {where}。govxl 从不覆盖输入文件，请另选输出文件名。"


def govxl_made(path: Path, suffix: str = "") -> str:
    """What govxl wrote this file as (a key of :data:`KINDS`), or "" for anything else (``suffix``: the name's,
    when the file is kept under another name)."""
    suffix = (suffix or path.suffix).lower()
    try:
        if suffix == ".json":
            return "findings" if _is_govxl_json(path) else ""
        if suffix == ".csv":
            with open(path, "rb") as f:
                return "export" if _is_export_header(f.read(1024)) else ""
        if suffix in (".html", ".htm"):
            with open(path, "rb") as f:
                return "report" if HTML_MARKER.encode() in f.read(_HTML_HEAD) else ""
        if suffix == ".md":
            with open(path, "rb") as f:
                return (
                    "report"
                    if f.read(len(MARKDOWN_MARKER) + 3).lstrip(b"\xef\xbb\xbf").startswith(MARKDOWN_MARKER.encode())
                    else ""
                )
        if suffix == ".parquet":
            return _parquet_kind(path)
        with zipfile.ZipFile(path) as zf:
            m = _CUSTOM_KIND.search(zf.read("docProps/custom.xml"))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        return ""
    kind = m.group(1).decode() if m else ""
    # every department's return carries its template's marker: it says nothing about who may replace the file
    return kind if kind in KINDS and kind != "template" else ""


def _is_export_header(head: bytes) -> bool:
    """The whole header row ``govxl export`` writes (byte-order mark, every column's Chinese name), ending a line."""
    for columns in (FIGURE_COLUMNS, FINDING_COLUMNS):
        row = ("\ufeff" + ",".join(CHINESE_COLUMNS[c] for c in columns)).encode()
        if head.startswith(row) and head[len(row) : len(row) + 1] in (b"\n", b"\r"):
            return True
    return False


def _is_govxl_json(path: Path) -> bool:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.get("generator") == GENERATOR


def _parquet_kind(path: Path) -> str:
    try:
        import pyarrow.parquet as pq
    except ImportError:  # without pyarrow nothing reads it (nor writes it): it is not replaced
        return ""
    try:
        metadata = pq.read_schema(path).metadata or {}
    except Exception:  # any file that is not parquet
        return ""
    return metadata.get(KIND_PROPERTY.encode(), b"").decode("utf-8", "replace")
