"""What the library asks of a department, written for the department reading its own page.

The library's findings speak to the office about a department: a message states what was found, then asks the
office to have the department act (“文件已损坏……，请对方重新发送”). On its own page the department reads the
same finding, with the request made to it. Each request is listed once below as the library words it (its
kind, with what it carries: a unit's name, a year) next to the department's own sentence; the finding's
statement is shown as the library words it.
"""

from __future__ import annotations

import re

# (the office's request, as the library words it; the department's request)
_ASKS: tuple[tuple[str, str], ...] = (
    ("请对方填写后重新报送；没有数据的单元格请填0", "请填写后重新上传；没有数据的单元格请填0"),
    ("请对方补填填报单位", "请补填填报单位"),
    ("请对方重新发送", "请重新上传"),
    ("请对方取消密码后重新报送", "请取消密码后重新上传"),
    (
        "请对方用 Excel 或 WPS 打开后另存为 .xlsx 重新报送，如仍有问题，请把此文件反馈给 govxl 开发者",
        "请用 Excel 或 WPS 打开后另存为 .xlsx 重新上传，如仍有问题，请与政务公开办联系",
    ),
    ("请对方用 Excel 或 WPS 打开后另存为 .xlsx 重新报送", "请用 Excel 或 WPS 打开后另存为 .xlsx 重新上传"),
    ("请确认对方报送的是本次下发的模板", "请确认上传的是本次下发的模板"),
    ("请确认报送的是报表文件", "请确认上传的是报表文件"),
    ("请确认报送的是 .xlsx 格式的报表", "请确认上传的是 .xlsx 格式的报表"),
    ("请对方使用完整的模板填报", "请使用完整的模板填报"),
    ("最好请对方另存为 .xlsx 后重新报送", "最好另存为 .xlsx 后重新上传"),
    ("请对方删除多余的工作表后重新报送", "请删除多余的工作表后重新上传"),
    ("请用WPS打开后“另存为”Excel工作簿（.xlsx），再重新汇总", "请用WPS打开后“另存为”Excel工作簿（.xlsx），再重新上传"),
    ("请对方在下发的模板中填写后以.xlsx报送", "请在下发的模板中填写后以.xlsx上传"),
    ("请解压后把其中的报表放进文件夹，重新汇总", "请解压后上传其中的报表文件"),
    ("请对方报送.xlsx报表", "请上传.xlsx报表"),
    ("不是报表，无需处理", "不是报表；请上传填好的报表文件（.xlsx）"),
    ("请对方以.xlsx报送", "请以.xlsx上传"),
    ("请对方把封面的“填报单位”改为“{unit}”后重新报送", "请把封面的“填报单位”改为“{unit}”后重新上传"),
    ("请对方使用{year}年度模板重新填报", "请使用{year}年度模板重新填报"),
    ("请确认对方已按批注改正", "请确认已按批注改正"),
)

_CARRIED = {"unit": r"[^”]+", "year": r"\d{4}"}


def _pattern(office: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", office)  # text, name, text, name, …, text
    return re.compile(
        "".join(f"(?P<{part}>{_CARRIED[part]})" if i % 2 else re.escape(part) for i, part in enumerate(parts))
    )


ASKS = tuple((_pattern(office), department) for office, department in _ASKS)


def for_department(message: str) -> str:
    """A finding's message for the department's page: the library's statement, the department's request.

    A message whose request is not listed is shown as the library words it (tests/apps/test_serve_wording.py holds
    the library's requests to the list)."""
    for office, department in ASKS:
        found = office.search(message)
        if found:
            return message[: found.start()] + department.format(**found.groupdict()) + message[found.end() :]
    return message
