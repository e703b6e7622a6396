"""Regenerate the files the repository ships: templates/ (and samples/).

    python scripts/refresh.py

tests/test_shipped.py fails when what is committed differs from what this writes.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from govxl.editions import EDITIONS  # noqa: E402
from govxl.template import make_template  # noqa: E402

# One blank template per edition: the last year of the old one, and the current report year.
TEMPLATE_YEARS = {"2019": 2020, "2021": 2026}


def template_path(folder: Path, edition_id: str) -> Path:
    edition = next(e for e in EDITIONS if e.id == edition_id)
    return folder / f"{TEMPLATE_YEARS[edition_id]}年度模板（{edition.short_name}）.xlsx"


def refresh_templates(folder: Path) -> list[Path]:
    out = []
    for edition_id, year in TEMPLATE_YEARS.items():
        out.append(make_template(template_path(folder, edition_id), year))
    return out


if __name__ == "__main__":
    for p in refresh_templates(ROOT / "templates"):
        print(p.relative_to(ROOT))
