"""The columns of the figures and findings frames and of the files ``govxl export`` writes: English names for
code, Chinese names in the exported files (whose header row is also how an export is recognised).
"""

from __future__ import annotations

FIGURE_COLUMNS = (
    "unit",
    "year",
    "edition",
    "table",
    "key",
    "row_label",
    "col_label",
    "value",
    "state",
    "shown",
    "file",
    "sheet",
    "cell",
)
FINDING_COLUMNS = (
    "severity",
    "rule",
    "message",
    "file",
    "unit",
    "sheet",
    "cell",
    "expected",
    "actual",
    "key",
    "explanation",
)

# Column names in exported files, which people open in Excel (the frames keep the English names for code).
CHINESE_COLUMNS = {
    "unit": "填报单位",
    "year": "报告年度",
    "edition": "表格格式",
    "table": "表格",
    "key": "单元格代码",
    "row_label": "行",
    "col_label": "列",
    "value": "数值",
    "state": "状态",
    "shown": "填写内容",
    "file": "文件",
    "sheet": "工作表",
    "cell": "单元格",
    "severity": "级别",
    "rule": "规则",
    "message": "说明",
    "expected": "应为",
    "actual": "实际",
    "explanation": "单位说明",
}
