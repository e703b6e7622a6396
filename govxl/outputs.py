"""Where govxl may write: one policy for every output of every command (``-o``, ``--xlsx``, ``--json``,
the copies of ``--annotate`` and the templates of ``--roster``).

- An output's extension says what it is: a workbook ends in .xlsx, JSON in .json, a report in .docx, .html or
  .md. A name that says otherwise (``--xlsx 结果.txt``) is refused, never written under a misleading name.
- An existing file is replaced only when govxl wrote it as an output of the same kind, as a marker govxl puts
  in every file it writes says (:func:`govxl_made`); anything else — a department's return, a report written
  in Word, the user's own JSON — is refused with exit code 2, naming it, and its bytes stay as they are.
  A template replaces only a blank template.
- A folder that does not exist yet is created; the command line says so (:func:`missing_folders`).

The markers, one per kind of file:

- .xlsx and .docx: the custom document property ``govxl.kind`` (docProps/custom.xml), which Excel, WPS and
  Word keep when the file is edited and saved again;
- .json: a first key ``"generator": "govxl"``;
- .html: ``<meta name="generator" content="govxl">`` in its head;
- .md (which has no metadata): a first line ``<!-- generator: govxl -->``, which Markdown renderers do not show;
- .csv: govxl's own header row, whole (the byte-order mark and every column's Chinese name);
- .parquet: the key ``govxl.kind`` in the file's schema metadata.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from govxl.errors import UsageError

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
    "audit": Kind("年报核对工作簿", (".xlsx",), replaces=("annotated",)),
    "annotated": Kind("退回修改副本", (".xlsx", ".xlsm")),  # also what ``audit --xlsx`` writes for one report
    "report": Kind("年报表格", (".docx", ".html", ".htm", ".md")),
    "template": Kind("空白模板", (".xlsx",)),
}

_CUSTOM_KIND = re.compile(rb'name="govxl\.kind"[^>]*>\s*<vt:lpwstr[^>]*>([a-z]+)</vt:lpwstr>')  # any writer's order
_HTML_HEAD = 4096  # the marker is in the <head>, within the first few hundred bytes


def custom_properties_xml(kind: str) -> bytes:
    """docProps/custom.xml holding ``govxl.kind``, for files whose writer has no custom properties (.docx)."""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" '
        f'name="{KIND_PROPERTY}"><vt:lpwstr>{kind}</vt:lpwstr></property></Properties>'
    ).encode()


def marked_json(data: dict[str, object]) -> dict[str, object]:
    """JSON output data with govxl's marker as its first key."""
    return {"generator": GENERATOR, **data}


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
    from govxl.frames import CHINESE_COLUMNS, FIGURE_COLUMNS, FINDING_COLUMNS

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


def claim(path: Path, kind: str) -> None:
    """Refuse (:class:`UsageError`) to write an output of ``kind`` to ``path`` unless the policy allows it."""
    spec = KINDS[kind]
    if path.is_dir():
        raise UsageError(f"{path} 是一个文件夹，请指定文件名。")
    if path.suffix.lower() not in spec.suffixes:
        *most, last = spec.suffixes
        wanted = f"{'、'.join(most)} 或 {last}" if most else last
        raise UsageError(
            f"{path.name}：{spec.what}只能保存为 {wanted} 文件（扩展名与写入的内容不符）；"
            f"请把文件名改为以 {spec.suffixes[0]} 结尾。"
        )
    if not (path.exists() or path.is_symlink()):
        return
    if kind == "template":
        _claim_template(path)
        return
    made = govxl_made(path)
    if made != kind and made not in spec.replaces:
        raise UsageError(
            f"输出文件 {path} 已存在，而且不是 govxl 上次生成的{spec.what}（可能是某个单位的报表或您自己的文件）。"
            "govxl 不会覆盖它，请另选文件名或先移走该文件。"
        )


def _claim_template(path: Path) -> None:
    """A template may replace a blank template, never a file that holds figures (a department's return)."""
    from govxl.normalize import State
    from govxl.read.workbook import read_return
    from govxl.results.figures import Figures

    r = read_return(path)
    blank = isinstance(r, Figures) and all(c.state is State.BLANK or k in r.formula_keys for k, c in r.cells.items())
    if not blank:
        raise UsageError(
            f"文件 {path} 已存在，而且不是空白模板（可能是已填写的报表）。govxl 不会覆盖它，请另选文件名或文件夹。"
        )


def claim_all(outputs: Iterable[tuple[Path | None, str]]) -> None:
    """The outputs of one run: each allowed by :func:`claim`, no two the same file."""
    given = [(p, kind) for p, kind in outputs if p is not None]
    if len({p.resolve() for p, _ in given}) < len(given):
        raise UsageError("同一次运行的两个输出文件（如 -o 和 --json）不能是同一个文件，请分别指定文件名。")
    for path, kind in given:
        claim(path, kind)


def missing_folders(paths: Iterable[Path | None]) -> list[Path]:
    """The folders the outputs need that do not exist yet (each output's parent), to say that they were created."""
    out: list[Path] = []
    for p in paths:
        if p is not None and not p.parent.exists() and p.parent not in out:
            out.append(p.parent)
    return out
