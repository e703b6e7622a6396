"""The ``--time`` option of ``govxl merge``: the time the cover shows, as an office writes it."""

from __future__ import annotations

from datetime import datetime

from govxl.errors import UsageError

PATTERNS = ("%Y-%m-%d %H:%M", "%Y-%m-%d", "%Y/%m/%d %H:%M", "%Y/%m/%d")


def parse_time(text: str) -> datetime:
    """“2026-01-15 10:00”, “2026/01/15” …; anything else is a usage error naming the format."""
    for pattern in PATTERNS:
        try:
            return datetime.strptime(text.strip(), pattern)
        except ValueError:
            continue
    raise UsageError(f"--time 的格式应为“2026-01-15 10:00”，收到的是“{text}”。")
