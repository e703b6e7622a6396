"""Every id of the catalogue is provoked on purpose by some test: the rules by test_every_rule.py, the file,
reading and audit findings by the tests listed here (a new id without a test that provokes it fails here)."""

from __future__ import annotations

import ast
import random
import shutil
from pathlib import Path

from govxl.audit import audit
from govxl.editions import edition_by_id
from govxl.editions.rules import RULES
from govxl.excel.template_book import build_template
from govxl.merge import merge
from govxl.results.catalogue import catalogue
from govxl.synth import consistent_values
from tests.conftest import DATA, SAMPLES_2020, TESTS, WrittenMerge

# id -> the test that makes govxl report it and says so (file, function).
PROVOKED = {
    "C12": ("commands/test_audit.py", "test_words_that_disagree_with_the_table_are_found"),
    "C14": ("read/test_read.py", "test_other_edition_is_reported_not_misread"),
    "C15": ("read/test_formula_cells.py", "test_an_edited_total_formula_is_taken_as_shown_and_reported"),
    "L1": ("judge/test_localize.py", "test_formula_totals_are_not_blamed"),
    "R1": ("commands/test_audit.py", "test_reference_outcome"),
    "R2": ("commands/test_audit.py", "test_reports_written_by_govxl_audit_clean"),
    "R3": ("results/test_every_finding_id.py", "test_a_published_row_with_too_few_values_is_r3"),
    "R4": ("read/test_real_reports.py", "test_run_together_reads_as_published_or_names_the_rows_in_doubt"),
    "R5": ("commands/test_audit.py", "test_one_report_workbook_keeps_how_it_was_read"),
    "R6": ("read/test_shared_real_reports.py", "test_a_misprinted_label_in_a_page_run_together"),
    "R7": ("read/test_shared_real_reports.py", "test_damaged_text_is_read_and_the_damage_said"),
    "R8": ("read/test_collected_reports.py", "test_values_not_placeable_are_read_blank_and_said"),
    "F1": ("read/test_read.py", "test_unreadable_files"),
    "F2": ("read/test_read.py", "test_not_a_report"),
    "F3": ("commands/test_merge.py", "test_duplicates_are_never_both_counted"),
    "F4": ("results/test_every_finding_id.py", "test_a_unit_not_on_the_roster_is_f4"),
    "F5": ("commands/test_merge.py", "test_2021_roster_status"),
    "F6": ("commands/test_check.py", "test_check_year_problems_are_per_file"),
    "F7": ("commands/test_upward.py", "test_incompleteness_travels_up_to_the_city"),
    "F8": ("read/test_inbox.py", "test_roster_names_match_without_remarks_and_near_misses_are_pointed_out"),
    "F9": ("read/test_inbox.py", "test_every_file_in_the_inbox_is_accounted_for"),
    "F10": ("read/test_inbox.py", "test_a_corrected_annotated_copy_alone_is_the_units_return"),
    "F11": ("commands/test_check_given.py", "test_an_unfilled_return_is_an_error_not_a_pass"),
    "F12": ("commands/test_check_given.py", "test_a_hidden_old_copy_of_a_table_is_not_read"),
    "F13": ("read/test_inbox.py", "test_an_xls_return_says_error_values_cannot_be_told_from_blanks"),
    "F14": ("read/test_hidden_rows.py", "test_hidden_rows_are_found_on_the_sheet_actually_read"),
    "F15": ("apps/test_cli.py", "test_merge_last_year_option"),
    "F16": ("results/test_every_finding_id.py", "test_a_cover_without_a_unit_name_is_f16"),
    "F17": ("results/test_every_finding_id.py", "test_a_merged_workbook_among_the_returns_is_f17"),
    "F18": ("read/test_roster_aliases.py", "test_a_return_under_another_name_of_a_roster_unit_counts_as_that_unit"),
}


def _function(file: str, name: str) -> ast.FunctionDef | None:
    tree = ast.parse((TESTS / file).read_text(encoding="utf-8"))
    return next((n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == name), None)


def test_every_catalogued_id_is_provoked_by_a_test() -> None:
    rules = {r.id for r in RULES}  # each broken on purpose in test_every_rule.py
    assert sorted(set(catalogue()) - rules) == sorted(PROVOKED)
    for rule_id, (file, name) in PROVOKED.items():
        function = _function(file, name)
        assert function is not None, f"{rule_id}: {file}::{name} is gone"
        source = ast.unparse(function)
        assert f"'{rule_id}'" in source or f"{rule_id}" in (ast.get_docstring(function) or ""), (rule_id, name)


def test_a_unit_not_on_the_roster_is_f4(merged_2021: WrittenMerge) -> None:
    (f,) = [f for f in merged_2021.result.findings if f.rule == "F4"]
    assert f.unit == "滨河街道办事处" and f.file.endswith("滨河街道办事处.xlsx")


def test_a_cover_without_a_unit_name_is_f16(tmp_path: Path) -> None:
    new = edition_by_id("2021")
    build_template(tmp_path / "无名.xlsx", new, 2021, unit="", values=consistent_values(new, random.Random(1)))
    (f,) = [f for f in merge([tmp_path]).findings if f.rule == "F16"]
    assert f.message == "封面的“填报单位”没有填写，暂以文件名“无名”作为单位名称；请对方补填填报单位"


def test_a_merged_workbook_among_the_returns_is_f17(tmp_path: Path, merged_2020: WrittenMerge) -> None:
    inbox = tmp_path / "收件"
    shutil.copytree(SAMPLES_2020, inbox)
    shutil.copy(merged_2020.path, inbox / "上次汇总.xlsx")
    result = merge([inbox], name="西安区")
    (f,) = [f for f in result.findings if f.rule == "F17"]
    assert f.file.endswith("上次汇总.xlsx") and len(result.units) == 13  # not counted twice


def test_a_published_row_with_too_few_values_is_r3(tmp_path: Path) -> None:
    text = (DATA / "reference_2020_xian.txt").read_text(encoding="utf-8")
    row = "三、本年度办理结果\t（一）予以公开\t1\t0\t0\t0\t0\t0\t1"
    assert row in text
    report = tmp_path / "报告.txt"
    report.write_text(text.replace(row, "三、本年度办理结果\t（一）予以公开\t1\t0\t0\t0\t1"), encoding="utf-8")
    found = [f for f in audit(report).findings if f.rule == "R3"]
    assert [(f.sheet, f.cell) for f in found] == [("表三", "D7")]
