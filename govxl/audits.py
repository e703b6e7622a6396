"""Many published reports at once: every document in the folders given, one unreadable never stopping the rest."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd

from govxl.audit import AuditResult, audit
from govxl.errors import GovxlError, UsageError
from govxl.frames import CHINESE_COLUMNS, figures_frame, findings_frame
from govxl.io import atomic_output, check_outputs, json_text

DOCUMENT_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml", ".txt", ".md", ".pdf", ".docx")


@dataclass
class Audits:
    reports: list[AuditResult]
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file, why it could not be read)

    @property
    def errors(self) -> int:
        return sum(len(r.errors) for r in self.reports)

    def to_json(self) -> dict[str, object]:
        return {
            "reports": [{"file": r.file, "read_as": r.read_as, **r.to_json()} for r in self.reports],
            "unreadable": [{"file": f, "reason": why} for f, why in self.failed],
        }


def documents(inputs: list[Path]) -> list[Path]:
    """The documents named, and those found in the folders named (by their suffix), in a stable order."""
    out: list[Path] = []
    for given in inputs:
        if given.is_dir():
            for dirpath, dirnames, filenames in os.walk(given):
                dirnames.sort()
                out += [Path(dirpath) / n for n in sorted(filenames) if n.lower().endswith(DOCUMENT_SUFFIXES)]
        elif given.exists():
            out.append(given)
        else:
            raise UsageError(f"找不到输入文件或文件夹：{given}")
    return out


def audit_all(inputs: list[Path], progress: Callable[[int, int], None] | None = None) -> Audits:
    paths = documents(inputs)
    if not paths:
        raise UsageError("没有找到年报文件（.html、.txt、.pdf、.docx），请检查输入的文件或文件夹。")
    result = Audits([])
    for i, path in enumerate(paths):
        try:
            result.reports.append(audit(path))
        except GovxlError as e:
            result.failed.append((str(path), str(e)))
        except Exception:  # one odd document never stops a province's run
            result.failed.append((str(path), "读取时出现意外问题，文件可能已损坏"))
        if progress:
            progress(i + 1, len(paths))
    return result


def write_audits(result: Audits, xlsx: Path | None, json_path: Path | None) -> None:
    """The workbook (one row per report, every report's figures, every finding) and the JSON."""
    check_outputs([xlsx, json_path])
    if json_path is not None:
        with atomic_output(json_path) as tmp:
            tmp.write_text(json_text(result.to_json()), encoding="utf-8")
    if xlsx is None:
        return
    listing = pd.DataFrame.from_records(
        [
            (r.file, r.unit, r.year, r.edition.short_name, r.read_as, len(r.errors), len(r.hints), "")
            for r in result.reports
        ]
        + [(f, "", None, "", "", None, None, why) for f, why in result.failed],
        columns=["文件", "单位", "报告年度", "表格格式", "读取方式", "错误", "提示", "无法读取的原因"],
    )
    figures = figures_frame(r.figures for r in result.reports if r.figures is not None).rename(columns=CHINESE_COLUMNS)
    findings = findings_frame(f for r in result.reports for f in r.findings).rename(columns=CHINESE_COLUMNS)
    years = [r.year for r in result.reports if r.year]
    with atomic_output(xlsx) as tmp, pd.ExcelWriter(tmp, engine="xlsxwriter") as writer:
        writer.book.set_properties({"created": datetime(max(years, default=2021) + 1, 1, 1), "author": "govxl"})
        for name, frame in (("年报清单", listing), ("数据", figures), ("校验结果", findings)):
            frame.to_excel(writer, sheet_name=name, index=False)
            writer.sheets[name].freeze_panes(1, 0)
