"""Real reports in the shapes users meet them, made in tmp_path from data/real/shared/ (each test says what it
changed): every cell still read as transcribed, or said."""

from __future__ import annotations

import re
from pathlib import Path

from govxl.audit import audit
from tests.shared_cases import expected

SHARED = Path(__file__).parent / "data" / "real" / "shared"
SHEHUISHIYE = SHARED / "2023-pingtan-shehuishiye.html"


def _values_as_transcribed(path: Path, name: str) -> None:
    result = audit(path)
    want = {k: v for k, v in expected(name).items() if not isinstance(v, str)}
    assert {k: result.values.get(k) for k in want} == want
    assert [f.message for f in result.errors] == []


def test_tables_inside_a_layout_table(tmp_path: Path) -> None:
    """The real page with its three tables put in one cell of a site's frame table (with a script and a style
    in that cell): the tables are read as tables, not as one joined cell."""
    page = SHEHUISHIYE.read_text(encoding="utf-8")
    start, end = page.find("<table"), page.rfind("</table>") + len("</table>")
    framed = (
        page[:start]
        + '<table width="100%"><tr><td><p>正文</p><script>var t="<td>1</td>";</script><style>td{}</style>'
        + page[start:end]
        + "<p>完</p></td></tr></table>"
        + page[end:]
    )
    path = tmp_path / "framed.html"
    path.write_text(framed, encoding="utf-8")
    _values_as_transcribed(path, "2023-pingtan-shehuishiye")


def test_labels_broken_by_br_and_cells_padded_with_nbsp(tmp_path: Path) -> None:
    page = SHEHUISHIYE.read_text(encoding="utf-8")
    page = page.replace("本年新收政府信息公开申请数量", "本年新收政府<br>信息公开申请数量")
    page = re.sub(r"<p>(\d+)</p>", r"<p>&nbsp;\1&nbsp;</p>", page)
    path = tmp_path / "br.html"
    path.write_text(page, encoding="utf-8")
    _values_as_transcribed(path, "2023-pingtan-shehuishiye")
