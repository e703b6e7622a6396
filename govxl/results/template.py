"""What ``govxl template --roster`` gives: the roster read, the template written for each unit, the notes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from govxl.results.roster import Roster, RosterProblem


@dataclass
class RosterTemplates:
    roster: Roster
    written: list[tuple[str, Path]] = field(default_factory=list)
    notes: list[RosterProblem] = field(default_factory=list)  # e.g. shortened file names
