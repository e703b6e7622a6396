"""The parts of the command line outside its declarations that no other test reaches: --time, the progress bar."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import pytest

from govxl.apps.progress import ProgressBar
from govxl.apps.time_option import parse_time
from govxl.errors import UsageError
from tests.apps.test_cli import run


@pytest.mark.parametrize(
    ("text", "when"),
    [
        ("2026-01-15 10:00", datetime(2026, 1, 15, 10, 0)),
        (" 2026-01-15 ", datetime(2026, 1, 15)),
        ("2026/01/15 08:30", datetime(2026, 1, 15, 8, 30)),
        ("2026/1/5", datetime(2026, 1, 5)),
    ],
)
def test_time_as_an_office_writes_it(text: str, when: datetime) -> None:
    assert parse_time(text) == when


def test_a_time_in_another_format_is_a_usage_error_before_any_file_is_read(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "汇总.xlsx"
    args = ("merge", str(tmp_path / "无此文件夹"), "-o", str(out), "--time", "昨天")
    code, stdout, err = run(capsys, monkeypatch, *args)
    assert (code, stdout) == (2, "") and not out.exists()
    assert err == "错误：--time 的格式应为“2026-01-15 10:00”，收到的是“昨天”。\n"
    with pytest.raises(UsageError):
        parse_time("2026.01.15")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_only_for_long_runs_on_a_terminal(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    for stream, total, shown in ((io.StringIO(), 500, False), (_Terminal(), 5, False), (_Terminal(), 500, True)):
        monkeypatch.setattr("sys.stderr", stream)
        with ProgressBar("正在读取报表", shown_from=200) as tick:
            for done in range(1, total + 1):
                tick(done, total)
        assert ("正在读取报表" in stream.getvalue()) is shown
