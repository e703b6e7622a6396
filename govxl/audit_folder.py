"""Many published reports at once: every document in the folders given, one unreadable never stopping the rest."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from govxl.audit import audit_reports, write_audit_xlsx
from govxl.errors import GovxlError, UsageError
from govxl.excel.audit_book import write_audit_book
from govxl.io import atomic_outputs, json_text
from govxl.outputs import claim_all, marked_json
from govxl.read.documents import HTML_SUFFIXES
from govxl.read.inbox import is_system_file
from govxl.results.audit import AuditResult, Audits
from govxl.workers import ordered_map


def documents(inputs: list[Path]) -> list[Path]:
    """The documents named, and every file in the folders named but system and lock files (Office's ~$…,
    Thumbs.db, hidden files), in a stable order: a page saved as .jsp or .doc is told by its content, and a
    file that is no report is listed with the reason rather than passed over. The folder a browser saves a page's
    pictures, styles and scripts in ("网页，全部": 年报.html with 年报_files) is part of that page, not a report."""
    out: list[Path] = []
    for given in inputs:
        if given.is_dir():
            for dirpath, dirnames, filenames in os.walk(given):
                dirnames[:] = sorted(
                    d for d in dirnames if not d.startswith(".") and not _saved_with_page(d, filenames)
                )
                out += [Path(dirpath) / n for n in sorted(filenames) if not is_system_file(n)]
        elif given.exists():
            out.append(given)
        else:
            raise UsageError(f"找不到输入文件或文件夹：{given}")
    return out


def _saved_with_page(folder: str, files: list[str]) -> bool:
    for tail in ("_files", ".files"):
        if folder.endswith(tail):
            stem = folder.removesuffix(tail)
            return any(f.startswith(stem) and f[len(stem) :].lower() in HTML_SUFFIXES for f in files)
    return False


def _audit_one(path: Path) -> list[AuditResult] | tuple[str, str]:
    try:
        return audit_reports(path)
    except GovxlError as e:
        return (str(path), str(e).removeprefix(f"{path.name}："))
    except Exception:  # one odd document never stops a province's run
        return (str(path), "读取时出现意外问题，文件可能已损坏")


def _crashed(path: Path) -> tuple[str, str]:
    return (str(path), "读取此文件时读取程序意外中止（文件可能已损坏或是恶意构造的），已跳过")


def audit_all(inputs: list[Path], progress: Callable[[int, int], None] | None = None) -> Audits:
    """Every document audited, in a stable order; in worker processes when there are many."""
    paths = documents(inputs)
    if not paths:
        raise UsageError("没有找到年报文件（网页、文本、.pdf、.docx），请检查输入的文件或文件夹。")
    result = Audits([])
    for r in ordered_map(_audit_one, paths, progress, crashed=_crashed):
        if isinstance(r, list):
            result.reports += r
        else:
            result.failed.append(r)
    return result


def write_audits(result: Audits, xlsx: Path | None, json_path: Path | None, *, one_report: bool = False) -> None:
    """The workbook and the JSON: both written, or neither changed. The workbook of many reports has one row
    per report, every report's figures on per-unit sheets and every finding; with ``one_report`` (a single
    document was given and read) it is that report's figures in a govxl workbook with live checks."""
    claim_all([(xlsx, "audit"), (json_path, "findings")])
    targets = [p for p in (xlsx, json_path) if p is not None]
    with atomic_outputs(targets) as temps:  # as merge's outputs
        written = dict(zip(targets, temps, strict=True))
        if xlsx is not None and one_report and len(result.reports) == 1:
            write_audit_xlsx(result.reports[0], written[xlsx])
        elif xlsx is not None:
            write_audit_book(written[xlsx], result)
        if json_path is not None:
            written[json_path].write_text(json_text(marked_json(result.to_json())), encoding="utf-8")
