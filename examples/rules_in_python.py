"""Evaluate the tallying rules on figures of your own, without any workbook.

Keys name cells: "t3.granted.natural" is 表三 （一）予以公开 × 自然人 (see docs/rules.md).
"""

from govxl.editions import edition_for_year
from govxl.judge.engine import evaluate_all

edition = edition_for_year(2025)
figures = {"t3.new_received.natural": 5, "t3.granted.natural": 4, "t3.total.natural": 4, "t3.new_received.total": 5}
for outcome in evaluate_all(edition, figures):
    if not outcome.passed and outcome.check.severity.value == "错误":
        print(outcome.check.id, outcome.message)
