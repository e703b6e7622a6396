"""Merge a folder of returns against a roster and look at the result before writing it.

The same as: govxl merge samples/2021 --roster samples/2021/单位名单.txt -o 汇总.xlsx --json 结果.json
"""

from pathlib import Path
from tempfile import TemporaryDirectory

from govxl.merge import merge, write_outputs

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "2021"

result = merge([SAMPLES], roster=SAMPLES / "单位名单.txt", name="某某区")
print(f"{result.year}年度：汇总 {len(result.units)} 个单位，错误 {len(result.errors)} 项，提示 {len(result.hints)} 项")
for line in result.lines:
    print(f"  {line.unit}：{line.status}")
print("本年新收申请（汇总）：", result.totals["t3.new_received.total"])
with TemporaryDirectory() as tmp:
    write_outputs(result, Path(tmp) / "汇总.xlsx", json_path=Path(tmp) / "结果.json")
