"""What is in the inbox: the files to read, those not read and why, those ignored on purpose."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

ANNOTATED_SUFFIX = "_退回修改"  # the copies ``govxl check --annotate`` writes for 退回修改


@dataclass(frozen=True)
class NotRead:
    """A file in an input folder that is not read, and why."""

    shown: str
    what: str  # 压缩包, Word文档, ...
    advice: str
    may_hold_a_return: bool  # an archive or .et probably holds a department's figures: an error, not a hint

    @property
    def reason(self) -> str:
        return f"{self.what}，未读取；{self.advice}"


@dataclass
class Inbox:
    files: list[tuple[Path, str]]  # spreadsheets to read: (path, as shown), in a stable order
    not_read: list[NotRead] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # lock files, system files, the roster, the output itself

    def is_annotated(self, shown: str) -> bool:
        return Path(shown).stem.endswith(ANNOTATED_SUFFIX)
