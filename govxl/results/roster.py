"""The list of units expected to report (名单) as read: its units, their lines and other names, its problems."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from govxl.unitnames import unit_key


@dataclass
class RosterProblem:
    line: int  # 1-based line or row number in the roster file
    text: str
    reason: str


@dataclass
class Roster:
    path: Path
    units: list[str] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)  # unit -> its line in the file
    problems: list[RosterProblem] = field(default_factory=list)
    aliases: dict[str, list[str]] = field(default_factory=dict)  # unit -> the other names it was given, as typed

    @property
    def alias_keys(self) -> dict[str, str]:
        """unit_key of each other name -> its roster unit."""
        return {unit_key(a): unit for unit, names in self.aliases.items() for a in names}
