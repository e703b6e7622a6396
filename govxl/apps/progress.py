"""A progress bar on stderr, shown only for long runs on a terminal (never in a pipe or a log)."""

from __future__ import annotations

import sys
from collections.abc import Callable

import typer


class ProgressBar:
    """``with ProgressBar() as tick: run(progress=tick)``: ``tick(done, total)`` after each file."""

    def __init__(self, label: str = "正在读取报表", shown_from: int = 200) -> None:
        self.label, self.shown_from = label, shown_from

    def __enter__(self) -> Callable[[int, int], None]:
        self._bar = None
        return self.tick

    def tick(self, done: int, total: int) -> None:
        if total < self.shown_from or not sys.stderr.isatty():
            return
        if self._bar is None:
            self._bar = typer.progressbar(length=total, label=self.label, file=sys.stderr)
            self._bar.__enter__()
        self._bar.update(1)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
