"""No English reaches a user: help, usage errors, consoles that cannot show every character; Windows' spawn."""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

import govxl.read.inbox
import govxl.workers
from govxl.apps.cli_help import display_width
from govxl.editions import edition_by_id
from govxl.excel.template_book import build_template
from govxl.merge import merge
from govxl.synth import consistent_values
from tests.apps.test_cli import run

NEW = edition_by_id("2021")
COMMANDS = ("template", "merge", "check", "report", "export", "history", "audit")  # in the order help lists them


def _help(command: str) -> str:
    env = {**os.environ, "COLUMNS": "80", "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run(
        [sys.executable, "-m", "govxl.apps.cli", command, "--help"], capture_output=True, text=True, env=env, check=True
    )
    return done.stdout


def test_python_m_govxl_is_the_govxl_command() -> None:
    """``python -m govxl`` (when the console script is not on PATH) prints the same help and ends the same."""
    env = {**os.environ, "COLUMNS": "80", "PYTHONIOENCODING": "utf-8"}
    ran = [
        subprocess.run([sys.executable, "-m", module, "--help"], capture_output=True, text=True, env=env)
        for module in ("govxl", "govxl.apps.cli")
    ]
    assert ran[0].returncode == ran[1].returncode == 0 and ran[0].stderr == ""
    assert ran[0].stdout.startswith("用法：govxl [选项] 命令") and ran[0].stdout == ran[1].stdout


def test_no_arguments_prints_the_help(capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(capsys, monkeypatch)
    assert code == 0 and err == ""
    assert out.startswith("用法：govxl [选项] 命令") and all(c in out for c in COMMANDS)


def test_an_unknown_command_is_explained_in_chinese(capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(capsys, monkeypatch, "mrege")
    assert code == 2
    assert err.startswith(
        "用法错误：没有“mrege”这个命令。可用的命令：template、merge、check、report、export、history、audit、serve。"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("merge", "x", "-o", "a.xlsx", "--year", "abc"), "参数 --year/-y 的值无效，应填写整数（年份）。"),
        (("merge", "x", "-o", "a.xlsx", "--bogus"), "没有这个选项：--bogus。"),
        (("merge",), "缺少必填参数：报表文件或文件夹。"),
        (("check", "--json"), "选项 --json 后面需要填写一个值。"),
        (("template", "-y", "2021", "多余"), "多了无法识别的参数"),
    ],
)
def test_usage_errors_are_chinese(capsys, monkeypatch, args: tuple[str, ...], message: str) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(capsys, monkeypatch, *args)
    assert code == 2 and message in err
    assert not re.search(r"\b(Usage|Error|Option|Missing|invalid|such)\b", err)


@pytest.mark.parametrize("year", ["-1", "0", "2018", "3000", "99999999999999999999999"])
@pytest.mark.parametrize("command", ["template", "merge", "check"])
def test_a_year_out_of_range_is_a_usage_error_before_any_file_is_read(
    tmp_path: Path, capsys, monkeypatch, command: str, year: str
) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "收件"
    folder.mkdir()
    build_template(folder / "甲局.xlsx", NEW, 2021, unit="甲局", values=consistent_values(NEW, random.Random(0)))
    args = {
        "template": ["template", "-o", str(tmp_path / "t.xlsx")],
        "merge": ["merge", str(folder), "-o", str(tmp_path / "m.xlsx")],
        "check": ["check", str(folder)],
    }[command]
    code, out, err = run(capsys, monkeypatch, *args, "--year", year)
    assert code == 2 and f"报告年度 {year} 不在支持范围内" in err and "内部错误" not in err
    assert out == "" and sorted(p.name for p in tmp_path.iterdir()) == ["收件"]  # nothing checked, nothing written


@pytest.mark.parametrize("command", COMMANDS)
def test_help_at_80_columns_shows_every_option_whole_in_chinese(command: str) -> None:
    import typer

    from govxl.apps.cli import app

    text = _help(command)
    assert text.startswith(f"用法：govxl {command} [选项]")
    assert "…" not in text and "Usage" not in text and not re.search(r"<\w+(\[\w+\])?>", text)
    assert all(display_width(line) <= 80 for line in text.splitlines())
    flat = re.sub(r"\s+", "", text)
    for param in typer.main.get_command(app).commands[command].params:  # type: ignore[attr-defined]
        assert re.sub(r"\s+", "", param.help or "") in flat, param.name
        assert not (param.metavar or "").isascii() or param.metavar is None


def _returns(folder: Path, units: list[str]) -> Path:
    folder.mkdir()
    for i, unit in enumerate(units):
        build_template(folder / f"{unit}.xlsx", NEW, 2021, unit=unit, values=consistent_values(NEW, random.Random(i)))
    return folder


def test_a_gbk_console_survives_names_it_cannot_show(tmp_path: Path) -> None:
    folder = _returns(tmp_path / "收件", ["区财政局", "区𠮷局"])  # 𠮷 is not in GBK
    env = {**os.environ, "PYTHONIOENCODING": "gbk"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "govxl.apps.cli",
            "merge",
            str(folder),
            "-o",
            str(tmp_path / "区𠮷汇总.xlsx"),
            "-n",
            "区",
        ],
        capture_output=True,
        env=env,
    )
    assert done.returncode in (0, 1), done.stderr.decode("gbk", "replace")
    out = done.stdout.decode("gbk")
    assert "汇总完成" in out and "区?汇总.xlsx" in out and "内部错误" not in out


def test_parallel_reading_works_with_windows_spawn(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _returns(tmp_path / "收件", [f"区第{i}局" for i in range(6)])
    serial = merge([folder], name="区")
    monkeypatch.setattr(govxl.workers, "PARALLEL_FROM", 2)
    monkeypatch.setattr(govxl.workers, "START_METHOD", "spawn")
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    spawned = merge([folder], name="区")
    assert spawned.totals == serial.totals
    assert [u.unit for u in spawned.units] == [u.unit for u in serial.units]
