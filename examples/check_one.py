"""Check one return and print where the error probably is, with the suggested value.

The same as: govxl check samples/2021/区自然资源局.xlsx
"""

from pathlib import Path

from govxl.check import check_files

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "2021" / "区自然资源局.xlsx"

(checked,) = check_files([SAMPLE]).files
for f in checked.findings:
    print(f"[{f.severity.value}] {f.sheet}!{f.cell} {f.rule}：{f.message}")
