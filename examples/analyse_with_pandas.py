"""An analyst's first look at a district's returns with pandas: who receives the most applications,
how the outcomes split, which units made mistakes.

The same data as: govxl export samples/2021 -o 数据.csv
"""

from pathlib import Path

import govxl

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "2021"

result = govxl.merge_files([SAMPLES], roster=SAMPLES / "单位名单.txt", name="某某区")
figures = result.to_frame()  # one row per unit × input cell; blank, 0 and 不适用 kept apart in "state"

received = figures[figures["key"] == "t3.new_received.total"].set_index("unit")["value"]
print("本年新收申请最多的单位：")
print(received.sort_values(ascending=False).head(3).to_string())

print("表四（汇总）：")
print(govxl.table_frame(figures, "t4").T.to_string())

print("各单位的错误数：")
findings = result.findings_frame()
print(findings[findings["severity"] == "错误"].groupby("unit").size().sort_values(ascending=False).to_string())

print("填写为空白或“/”的单元格：", int(figures["state"].isin(["空白", "不适用"]).sum()))
