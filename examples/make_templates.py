"""Make one template per unit of a roster, from Python.

The same as: govxl template --year 2026 --roster 单位名单.txt -o 模板
"""

from pathlib import Path
from tempfile import TemporaryDirectory

import govxl

with TemporaryDirectory() as tmp:
    roster = Path(tmp) / "单位名单.txt"
    roster.write_text("区财政局\n区司法局\n区教育局\n", encoding="utf-8")
    result = govxl.make_roster_templates(roster, Path(tmp) / "模板", 2026)
    for unit, path in result.written:
        print(unit, "→", path.name)
