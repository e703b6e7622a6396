"""Where a command writes, from what ``-o`` names: a file, a file without “.xlsx”, or an existing folder."""

from __future__ import annotations

from pathlib import Path

from govxl.errors import UsageError
from govxl.template import template_file_name

MERGED_FILE_NAME = "汇总.xlsx"  # written inside the folder when -o names an existing folder
HISTORY_FILE_NAME = "历年对比.xlsx"

_NOT_XLSX = (".xls", ".xlsm", ".xlsb", ".et", ".csv", ".json", ".txt", ".docx", ".doc", ".pdf", ".ods", ".html")


def with_xlsx(path: Path) -> Path:
    """The output as given, with “.xlsx” added unless it already ends so (“西安区.2021年汇总” keeps its name)."""
    if path.suffix.lower() in _NOT_XLSX:
        raise UsageError(
            f"{path.name}：这个输出是 Excel 工作簿，只能保存为 .xlsx 文件（扩展名与写入的内容不符）；"
            "请把文件名改为以 .xlsx 结尾。"
        )
    return path if path.suffix.lower() == ".xlsx" else path.with_name(path.name + ".xlsx")


def workbook_output(path: Path, name_in_folder: str) -> Path:
    """``-o`` of a command writing one workbook: a folder gets ``name_in_folder``, a file “.xlsx”."""
    return path / name_in_folder if path.is_dir() else with_xlsx(path)


def template_output(path: Path | None, year: int, unit: str) -> Path:
    """``govxl template -o``: the template's own name when none or a folder is given."""
    return workbook_output(path or Path(template_file_name(year, unit)), template_file_name(year, unit))


def roster_folder(path: Path | None, year: int) -> Path:
    """``govxl template --roster -o``: the folder of one template per unit."""
    return path or Path(f"{year}年度模板")


def audit_workbook(path: Path | None) -> Path | None:
    """``govxl audit --xlsx``: a file gets “.xlsx”; an existing folder is passed on as it is."""
    return with_xlsx(path) if path is not None and not path.is_dir() else path
