"""Findings: everything govxl has to say about a file, a unit or a cell."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from govxl.editions.rules import Severity

# File-level problems have ids of their own; cell and rule findings use editions.md §6 ids.
UNREADABLE = "F1"  # cannot be opened or read
NOT_A_REPORT = "F2"  # a spreadsheet, but not the report tables
DUPLICATE = "F3"  # two files for one 填报单位
NOT_ON_ROSTER = "F4"
MISSING = "F5"  # on the roster, no file
MIXED = "F6"  # another report year or edition than the rest
INCOMPLETE = "F7"  # a merged workbook of the level below lacks units or files
NEAR_NAME = "F8"  # a unit name close to a roster name: maybe the same unit
NOT_READ = "F9"  # a file in the folder that is not a spreadsheet
ANNOTATED_READ = "F10"  # a 退回修改 copy read as the unit's return
UNFILLED = "F11"  # every input cell blank
SEVERAL_SHEETS = "F12"  # two sheets hold the same table
BINARY_FORMAT = "F13"  # .xls/.xlsb: error values read as blanks
NO_UNIT_NAME = "F16"  # the cover names no unit: the file name stands in
MERGED_AMONG_UNITS = "F17"  # a merged workbook among the departments' returns
ALIAS = "F18"  # the cover names a roster unit by one of its other names: counted as that unit
HIDDEN_ROWS = "F14"  # rows hidden inside a table
NO_LAST_YEAR = "F15"  # last year's file has no figures for this unit
LOCATED = "L1"  # 疑似错误单元格 (and 建议值)
SURPLUS_VALUES = "R1"  # a published table's row has more values than cells
ROW_NOT_FOUND = "R2"  # a published table lacks a row
SHORT_ROW = "R3"  # a published table's row has fewer values than cells
RUN_TOGETHER = "R4"  # a published table's digits ran together and were cut under its rules
RUN_TOGETHER_AMBIGUOUS = "R5"  # ... and no single cut satisfies the rules
LABEL_AS_PRINTED = "R6"  # a published row label unlike the official one, read into the official row
DAMAGED_TEXT = "R7"  # a published report's text with undecodable bytes, read with them replaced
DETACHED_VALUES = "R8"  # a published table's values printed apart from its labels, not placeable one way
WRONG_EDITION = "C14"  # labels of the other edition (套用旧模板)
TEXT_VS_TABLE = "C12"  # a figure the report's words state differs from its table
EDITED_TOTAL = "C15"  # a template total whose formula no longer gives the sum of its parts

TOTALS_UNIT = "（汇总数）"  # the unit column of findings about a merged workbook's totals

# What each file-level id means, for docs/rules.md.
FILE_IDS = {
    UNREADABLE: "无法读取（文件损坏、加密、不是 Excel 文件，或是 WPS .et 格式、压缩包、CSV 等需要另存或解压的文件）",
    NOT_A_REPORT: "不是年报统计表，或缺少表格",
    DUPLICATE: "同一填报单位有多份报表（均未计入）",
    NOT_ON_ROSTER: "填报单位不在单位名单中",
    MISSING: "名单中的单位没有报送（缺报）",
    MIXED: "报告年度与本次汇总或检查的年度不一致，或不在支持的年度范围内",
    INCOMPLETE: "下级汇总表不完整（其中有缺报、无法读取、重复或格式不符的单位），上级的汇总数也因此不完整",
    NEAR_NAME: "填报单位与名单中（或历年对比中另一年度）的某个单位名称相近，可能是同一单位",
    NOT_READ: "文件夹中的 Word、PDF、图片、文本等非表格文件，未读取",
    ANNOTATED_READ: "“_退回修改”副本被作为该单位的报表汇总（文件夹中没有该单位的其他报表）",
    UNFILLED: "报表未填写：应填写的单元格全部为空白",
    SEVERAL_SHEETS: "多张工作表都是同一张表（错误；另一张是隐藏的工作表时为提示）",
    BINARY_FORMAT: ".xls/.xlsb 格式的报表中有空白单元格：这两种格式中的错误值读出来也是空白，请核对",
    HIDDEN_ROWS: "表格中有隐藏的行（其中的数字照常汇总）",
    NO_LAST_YEAR: "上年文件中没有该单位的数据，未做跨年度校验",
    NO_UNIT_NAME: "封面没有填写填报单位，暂以文件名作为单位名称",
    MERGED_AMONG_UNITS: "汇总表与各单位的报表放在一起（未计入，以免重复计算）",
    ALIAS: "封面的填报单位是名单中某单位的其他名称（名单中“单位名称 = 其他名称”或“其他名称”列），按名单中的单位计入",
}

# Findings about cells and tables that are not rules of the catalogue in govxl/editions/rules.py.
OTHER_IDS = {
    WRONG_EDITION: "表格文字不是报告年度应使用的格式（套用旧模板），或与官方格式的文字不一致",
    EDITED_TOTAL: "模板预设的总计公式被改动，显示的结果不等于各项之和（按显示的数字汇总）",
    TEXT_VS_TABLE: "已发布年报的正文所述数字（本年新收申请、上年结转、予以公开、结转下年度、行政复议、行政诉讼等）"
    "与表格不一致",
    LOCATED: "疑似错误单元格：改动最少的单元格就能使全部勾稽关系成立的改法，及建议值",
    SURPLUS_VALUES: "已发布年报的表格中，一行的数值多于应有的个数（说明按哪几个读取）",
    ROW_NOT_FOUND: "已发布年报的表格中没有找到某一行（按空白读取）",
    SHORT_ROW: "已发布年报的表格中，一行的数值少于应有的个数（缺少的按空白读取）",
    RUN_TOGETHER: "已发布年报的表格中，单元格的数字连在一起（没有分隔），已按表格的勾稽关系拆分",
    RUN_TOGETHER_AMBIGUOUS: "数字连在一起的一行无法唯一拆分：有多种拆法都符合勾稽关系（列出各种拆法），"
    "或没有一种拆法符合，或无法拆分（按空白读取）",
    LABEL_AS_PRINTED: "已发布年报表格中某行或标题的文字与官方格式不同（错别字、缺字、没有编号、另一种格式的文字、"
    "旧格式的单行），已按对应的官方行读取（说明印的是什么、读入哪一行）",
    DAMAGED_TEXT: "已发布年报的文件中有无法识别的字符（下载不完整，或夹杂另一种编码的片段），已替换为“�”，其余照常读取",
    DETACHED_VALUES: "已发布年报的表格中数值与行标签分开印出（不在同一行），无法确定对应关系：这些行按空白读取，"
    "不作勾稽检查",
}


@dataclass
class Finding:
    severity: Severity
    rule: str
    message: str
    file: str = ""
    unit: str = ""
    sheet: str = ""  # in the file the finding is about
    cell: str = ""  # A1 address in that sheet
    expected: str = ""
    actual: str = ""
    key: str = ""  # the cell's key, when the finding is about one input cell
    explanation: str = ""  # the unit's written explanation of a 提示

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def to_json(self) -> dict[str, str]:
        d = asdict(self)
        d["severity"] = self.severity.value
        return d

    def sort_key(self) -> tuple[str, str, int, str, str, str]:
        # 表二, 表三, 表四 in their order (as strings, 三 would sort before 二)
        return (self.unit, self.file, _SHEET_ORDER.get(self.sheet, 9), self.sheet, _cell_order(self.cell), self.rule)


_SHEET_ORDER = {"": 0, "表二": 1, "表三": 2, "表四": 3}


def _cell_order(ref: str) -> str:
    letters = "".join(ch for ch in ref if ch.isalpha())
    digits = "".join(ch for ch in ref if ch.isdigit())
    return f"{int(digits or 0):07d}{len(letters)}{letters}"


class Summarised:
    """Mixin for results that hold ``findings``: their errors and hints."""

    findings: list[Finding]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.is_error]

    @property
    def hints(self) -> list[Finding]:
        return [f for f in self.findings if not f.is_error]
