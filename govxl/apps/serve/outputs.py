"""What the pages offer for download, each made by the library from the work folder, as the CLI would.

The merged workbook is ``merge_files([工作文件夹/报表], roster=工作文件夹/汇总名单.csv)``: the same
call as ``govxl merge 工作文件夹/报表 --roster 工作文件夹/汇总名单.csv -o 汇总.xlsx`` run from the folder
the service was started in, so the two give the same file. 汇总名单.csv is the office's roster with the other
names accepted through the departments' links (workspace.py).
"""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from pathlib import Path

import xlsxwriter

import govxl
from govxl.apps.serve.workspace import LINKS, Workspace
from govxl.errors import UsageError
from govxl.excel.annotate import annotate_all
from govxl.io import atomic_output
from govxl.template import template_file_name


def as_given(path: Path) -> Path:
    """The path as ``govxl merge`` would be given it from the current folder: relative when it can be."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path.resolve()


def has_returns(ws: Workspace) -> bool:
    """Whether any return counts, by the records (what the status board shows)."""
    return bool(ws.store.current_files())


def merged_workbook(ws: Workspace) -> bytes:
    """The merged workbook of every return that counts (UsageError when there is none yet, or when 报表/
    cannot be put in step with the records: never a workbook that differs from the status board)."""
    if not has_returns(ws):
        raise UsageError("还没有收到任何报表，暂时无法生成汇总表。")
    roster = as_given(ws.merge_roster) if ws.merge_roster is not None else None
    with ws.in_step() as current:
        result = govxl.merge_files([as_given(current)], roster=roster, year=ws.year, name=ws.name)
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / f"{ws.name}.xlsx"
        govxl.write_merge(result, target)
        return target.read_bytes()


def merge_roster(ws: Workspace) -> bytes:
    """汇总名单.csv as the merged workbook is made with it."""
    if ws.merge_roster is None:
        raise UsageError("没有单位名单：启动服务时用 --roster 给出名单后才有汇总名单。")
    with ws.in_step():
        return ws.merge_roster.read_bytes()


def report_docx(ws: Workspace) -> bytes:
    """The report's three tables (.docx), from the merged workbook."""
    from govxl.publish import publish_report

    data = merged_workbook(ws)
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / f"{ws.name}.xlsx"
        source.write_bytes(data)
        target = Path(tmp) / "年报表格.docx"
        publish_report(source, target)
        return target.read_bytes()


def annotated_zip(ws: Workspace) -> tuple[bytes, int]:
    """Every return with findings as an annotated copy (退回修改), zipped; and how many there are."""
    if not has_returns(ws):
        raise UsageError("还没有收到任何报表。")
    with ws.in_step() as current, tempfile.TemporaryDirectory() as tmp:
        result = govxl.check_files([current], year=ws.year)
        written, skipped = annotate_all(result, Path(tmp))  # the copies are made from 报表/ while it is held
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in written:
                zf.write(path, path.name)
            if skipped:
                lines = [f"{Path(shown).name}：{reason}" for shown, reason in skipped]
                zf.writestr("未生成标注副本的文件.txt", "\r\n".join(lines) + "\r\n")
        return buffer.getvalue(), len(written)


def unit_template(ws: Workspace, unit: str) -> tuple[bytes, str]:
    """A blank template with the unit's name on its cover; and its file name."""
    name = template_file_name(ws.year, unit)
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "template.xlsx"
        govxl.make_template(target, ws.year, unit=unit)
        return target.read_bytes(), name


def templates_zip(ws: Workspace) -> bytes:
    """A template for every unit of the roster (or one blank template when there is no roster)."""
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        if ws.roster is None:
            data, name = unit_template(ws, "")
            zf.writestr(name, data)
        else:
            made = govxl.make_roster_templates(ws.roster, Path(tmp), ws.year)
            for _, path in made.written:
                zf.write(path, path.name)
    return buffer.getvalue()


def write_links(ws: Workspace, base_url: str) -> Path:
    """单位报送链接.xlsx in the work folder: each roster unit's own link, to send to it."""
    target = ws.folder / LINKS
    with atomic_output(target) as tmp:
        tmp.write_bytes(links_workbook(ws, base_url))
    return target


def links_workbook(ws: Workspace, base_url: str) -> bytes:
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    sheet = wb.add_worksheet("单位报送链接")
    bold = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    cell = wb.add_format({"border": 1, "text_wrap": True, "valign": "top"})
    sheet.merge_range(
        0,
        0,
        0,
        3,
        f"{ws.year}年度政府信息公开工作年度报告统计表报送链接（每个单位只能用自己的链接；请勿转发给其他单位）",
        bold,
    )
    for col, text in enumerate(("序号", "单位名称", "报送链接", "说明")):
        sheet.write_string(1, col, text, bold)
    row = 2
    for unit in ws.store.units():
        if not unit.on_roster:
            continue
        link = f"{base_url}/u/{unit.token}" if unit.token else ""
        sheet.write_number(row, 0, row - 1, cell)
        sheet.write_string(row, 1, unit.name, cell)
        sheet.write_string(row, 2, link, cell)
        sheet.write_string(row, 3, "" if link else "链接已停用，请在办公室页面重新生成", cell)
        row += 1
    sheet.set_column(0, 0, 6)
    sheet.set_column(1, 1, 28)
    sheet.set_column(2, 2, 70)
    sheet.set_column(3, 3, 30)
    sheet.freeze_panes(2, 0)
    wb.close()
    return buffer.getvalue()


def file_bytes(ws: Workspace, stored: str) -> bytes:
    """A received file, by the name the service gave it (taken from the records, never from a request)."""
    return (ws.received / os.path.basename(stored)).read_bytes()
