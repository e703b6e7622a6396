"""The department's page asks the department, in its own words, what the library asks the office to have it do.

The library's findings speak to the office (请对方重新发送); serve/wording.py lists each such request once with
the department's sentence. These tests hold the library to that list: a message the library adds or rewords
in a module whose findings reach a department's page fails here until its request is written for the
department too.
"""

from __future__ import annotations

import ast
import re

import pytest

from govxl.apps.serve.wording import ASKS, for_department
from govxl.read.inbox import CRASHED, UNEXPECTED, not_read
from govxl.read.workbook import DAMAGED
from tests.servekit import ROOT

# words that address the office about a department, or tell it to merge again
OFFICE_WORDS = re.compile(r"对方|重新汇总|无需处理|govxl 开发者|重新报送|报送的是|报送\.xlsx|以\.xlsx报送")
# the modules whose findings are shown on a department's page: reading, checking and serve's intake
FINDING_MODULES = (
    "govxl/read",
    "govxl/check.py",
    "govxl/merge.py",
    "govxl/normalize.py",
    "govxl/apps/serve/workspace.py",
)
# merge's findings about the folder as a whole, never about one department's upload
FOLDER_ONLY = ("把其他的移出文件夹后重新汇总", "与名单中的名称后重新汇总")
# check.py's start of a request, completed by another literal: the whole message is tested below
FRAGMENTS = ("未计入汇总；请对方",)


def _literal(node: ast.AST) -> str | None:
    """A string literal as written; an f-string with each {expression} kept as written."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            v.value if isinstance(v, ast.Constant) else "{" + ast.unparse(v.value) + "}"  # type: ignore[attr-defined]
            for v in node.values
        )
    return None


def _office_requests() -> list[tuple[str, str]]:
    """Every literal in the finding modules that asks something of the office about a department."""
    found = []
    for root in FINDING_MODULES:
        path = ROOT / root
        for module in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            tree = ast.parse(module.read_text(encoding="utf-8"))
            parts = {id(v) for n in ast.walk(tree) if isinstance(n, ast.JoinedStr) for v in n.values}
            for node in ast.walk(tree):
                text = _literal(node) if id(node) not in parts else None
                if (
                    text
                    and OFFICE_WORDS.search(text)
                    and text not in FRAGMENTS
                    and not any(f in text for f in FOLDER_ONLY)
                ):
                    found.append((f"{module.relative_to(ROOT)}:{node.lineno}", text))  # type: ignore[attr-defined]
    return found


_REQUESTS = _office_requests()


def test_the_library_asks_the_office_something_in_the_finding_modules() -> None:
    assert len(_REQUESTS) > 15  # the scan finds the messages, so that the next test means something


@pytest.mark.parametrize("where,text", _REQUESTS, ids=[where for where, _ in _REQUESTS])
def test_every_request_the_library_makes_of_the_office_is_written_for_the_department(where: str, text: str) -> None:
    said = for_department(text)
    assert not OFFICE_WORDS.search(said), f"{where}: add the department's wording of this request to wording.py"


@pytest.mark.parametrize(
    "office,department",
    [
        (DAMAGED, "文件已损坏（可能没有完整发送或下载），请重新上传"),
        (UNEXPECTED, "请用 Excel 或 WPS 打开后另存为 .xlsx 重新上传，如仍有问题，请与政务公开办联系"),
        (CRASHED, "已跳过，其他文件照常读取；请用 Excel 或 WPS 打开后另存为 .xlsx 重新上传"),
        (not_read("a.txt", ".txt").reason, "文本文件，未读取；不是报表；请上传填好的报表文件（.xlsx）"),
        (not_read("a.zip", ".zip").reason, "压缩包，未读取；请解压后上传其中的报表文件"),
        (not_read("a.et", ".et").reason, "请用WPS打开后“另存为”Excel工作簿（.xlsx），再重新上传"),
        (not_read("a.png", ".png").reason, "如果是报表的照片或扫描件，请上传.xlsx报表"),
        (not_read("a.xyz", ".xyz").reason, "不是表格文件，未读取；如果是报表，请以.xlsx上传"),
        (
            "该报表使用的是2021版的表格，与2024年度应使用的2019版不符，未计入汇总；请对方使用2024年度模板重新填报",
            "与2024年度应使用的2019版不符，未计入汇总；请使用2024年度模板重新填报",
        ),
        (
            "报表封面的“填报单位”是“财政局”，与名单中的“区财政局”不一致；请对方把封面的“填报单位”改为“区财政局”后重新报送",
            "与名单中的“区财政局”不一致；请把封面的“填报单位”改为“区财政局”后重新上传",
        ),
    ],
)
def test_the_department_reads_the_statement_as_found_and_the_request_made_to_it(office: str, department: str) -> None:
    said = for_department(office)
    assert said.endswith(department) and not OFFICE_WORDS.search(said)


def test_a_message_that_asks_nothing_is_shown_as_the_library_words_it() -> None:
    text = "表三“（一）予以公开”“自然人”：填写的是文字“十二”，已按12汇总"
    assert for_department(text) == text


def test_each_request_is_listed_once() -> None:
    offices = [office.pattern for office, _ in ASKS]
    assert len(offices) == len(set(offices))


def test_the_wording_table_carries_no_office_words_for_the_department() -> None:
    assert [d for _, d in ASKS if OFFICE_WORDS.search(d)] == []
