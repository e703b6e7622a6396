"""Make blank templates: one, or one per unit of a roster."""

from __future__ import annotations

from pathlib import Path

from govxl.editions import edition_for_year
from govxl.excel.copies import TemplateCopies
from govxl.excel.template_book import build_template
from govxl.io import atomic_output, inside, safe_file_stem
from govxl.outputs import claim
from govxl.read.roster import read_roster
from govxl.results.roster import RosterProblem
from govxl.results.template import RosterTemplates

COPIES_FROM = 8  # from this many units, one template is built and copied for the others (same bytes)


def template_file_name(year: int, unit: str = "") -> str:
    base = f"{year}年度政府信息公开年报统计表"
    return f"{safe_file_stem(unit)}_{base}.xlsx" if unit else f"{base}.xlsx"


def make_template(output: Path, year: int, *, unit: str = "", password: str = "") -> Path:
    """Write one blank template for ``year`` (and, optionally, a unit) to ``output``."""
    claim(output, "template")
    edition = edition_for_year(year)
    with atomic_output(output) as tmp:
        build_template(tmp, edition, year, unit=unit, password=password)
    return output


def make_roster_templates(roster_path: Path, folder: Path, year: int, *, password: str = "") -> RosterTemplates:
    """One template per roster unit, named after it, all inside ``folder``."""
    edition = edition_for_year(year)
    roster = read_roster(roster_path)
    result = RosterTemplates(roster)
    used: dict[str, str] = {}
    targets: list[tuple[str, Path]] = []
    for i, unit in enumerate(roster.units, start=1):
        name = template_file_name(year, unit)
        if name.lower() in used:  # two names that differ only in characters Windows forbids
            name = f"{Path(name).stem}_{i}.xlsx"
        used[name.lower()] = unit
        if safe_file_stem(unit) != unit:
            result.notes.append(
                RosterProblem(roster.lines[unit], unit, f"文件名中含有不能使用的字符或过长，文件名改为“{name}”")
            )
        targets.append((unit, inside(folder, name)))
    for _, target in targets:  # every target checked before any is written
        claim(target, "template")
    folder.mkdir(parents=True, exist_ok=True)

    def build(path: Path, unit: str) -> None:
        build_template(path, edition, year, unit=unit, password=password)

    made = TemplateCopies(build) if len(targets) >= COPIES_FROM else None
    for unit, target in targets:
        with atomic_output(target) as tmp:
            if made is None:
                build(tmp, unit)
            else:
                made.write(tmp, unit)
        result.written.append((unit, target))
    return result
