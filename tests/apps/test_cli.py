"""The command line: messages in Chinese, exit codes 0 / 1 / 2, never a traceback."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from govxl.apps.cli import main
from tests.conftest import ROOT


def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["govxl", *args])
    with pytest.raises(SystemExit) as exit_info:
        main()
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


def test_template_command(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    out_file = tmp_path / "a.xlsx"
    code, out, err = run(capsys, monkeypatch, "template", "--year", "2020", "-o", str(out_file))
    assert (code, err) == (0, "") and out_file.exists()
    assert out.strip() == f"已生成 2020 年度模板：{out_file}"


def test_template_roster_command_reports_problems(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    roster = tmp_path / "r.txt"
    roster.write_text("区财政局\n\n区财政局\n区/局\n", encoding="utf-8")
    code, out, _ = run(capsys, monkeypatch, "template", "-y", "2021", "-r", str(roster), "-o", str(tmp_path / "out"))
    assert code == 0
    assert "已为 2 个单位生成 2021 年度模板" in out
    assert "第2行“”：空行，已跳过" in out
    assert "第3行“区财政局”：与第1行重复，已跳过" in out
    assert "第4行“区/局”：文件名中含有不能使用的字符或过长" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("template",), "用法错误：缺少必填参数：--year/-y。"),
        (("template", "-y", "abc"), "用法错误：参数 --year/-y 的值无效，应填写整数（年份）。"),
        (("template", "-y", "2021", "--bogus"), "用法错误：没有这个选项：--bogus。"),
        (("template", "-y", "2018"), "错误：报告年度 2018 不在支持范围内"),
        (("template", "-y", "2021", "-r", "/nonexistent/名单.txt"), "错误：找不到名单文件：/nonexistent/名单.txt"),
    ],
)
def test_usage_errors_exit_2_in_chinese(args, message: str, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(capsys, monkeypatch, *args)
    assert code == 2
    assert err.startswith(message)
    assert "Traceback" not in err


def test_help_is_chinese(capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(capsys, monkeypatch, "template", "--help")
    assert code == 0
    assert "生成空白报表模板" in out and "显示本帮助并退出" in out and "Show this message" not in out


def test_version(capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(capsys, monkeypatch, "--version")
    assert code == 0 and out.startswith("govxl ")


def test_report_and_audit_commands(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    merged = tmp_path / "西安区.xlsx"
    code, _, _ = run(capsys, monkeypatch, "merge", str(ROOT / "samples" / "2020西安区"), "-o", str(merged))
    assert code == 0
    for suffix in (".docx", ".html", ".md"):
        code, out, _ = run(capsys, monkeypatch, "report", str(merged), "-o", str(tmp_path / f"r{suffix}"))
        assert code == 0 and out.strip() == f"已生成年报表格：{tmp_path / f'r{suffix}'}"
    assert "8086" in (tmp_path / "r.md").read_text(encoding="utf-8")
    reference = ROOT / "tests" / "data" / "reference_2020_xian.txt"
    code, out, _ = run(capsys, monkeypatch, "audit", str(reference), "--xlsx", str(tmp_path / "a.xlsx"))
    assert code == 0 and "错误 0 项，提示 9 项" in out and "[推定] 表三“（七）总计”行有8个数值" in out
    assert (tmp_path / "a.xlsx").exists()
    code, _, err = run(capsys, monkeypatch, "report", str(merged), "-o", str(tmp_path / "r.pdf"))
    assert code == 2 and err.startswith("错误：")


def test_merge_command_summary(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    src = ROOT / "samples" / "2021"
    args = (
        "merge",
        str(src),
        "--roster",
        str(src / "单位名单.txt"),
        "-o",
        str(tmp_path / "m.xlsx"),
        "--json",
        str(tmp_path / "m.json"),
    )
    code, out, _ = run(capsys, monkeypatch, *args)
    assert code == 1
    assert "读取文件：21 份（已汇总 13，未读取 1" in out and "缺报单位：1 个（区档案馆）" in out
    assert (tmp_path / "m.xlsx").exists() and (tmp_path / "m.json").exists()


def test_review_regressions(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import shutil

    src = tmp_path / "回收"
    shutil.copytree(ROOT / "samples" / "2021", src)
    before = {p.name: p.read_bytes() for p in src.iterdir()}
    # an output that names a return inside the input folder is refused, not written over it
    code, _, err = run(capsys, monkeypatch, "merge", str(src), "-o", str(src / "区教育局.xlsx"))
    assert code == 2 and "govxl 从不覆盖输入文件" in err
    # --json naming an input is refused too
    code, _, err = run(
        capsys, monkeypatch, "merge", str(src), "-o", str(tmp_path / "m"), "--json", str(src / "区统计局.xlsx")
    )
    assert code == 2 and "govxl 从不覆盖输入文件" in err
    # annotated copies may not go inside the folder of returns
    code, _, err = run(capsys, monkeypatch, "check", str(src), "--annotate", str(src / "退回"))
    assert code == 2 and "下次汇总时会被当作报表" in err
    assert before == {p.name: p.read_bytes() for p in src.iterdir()}
    # “.xlsx” is added, not substituted
    code, _, _ = run(
        capsys, monkeypatch, "merge", str(ROOT / "samples" / "2020西安区"), "-o", str(tmp_path / "西安区.2020年汇总")
    )
    assert code == 0 and (tmp_path / "西安区.2020年汇总.xlsx").exists()
    # an unwritable output is a clear message, not an internal error
    (tmp_path / "afile").write_text("x")
    code, _, err = run(
        capsys, monkeypatch, "merge", str(ROOT / "samples" / "2020西安区"), "-o", str(tmp_path / "afile" / "m.xlsx")
    )
    assert code == 2 and err.startswith("错误：无法写入") and "路径中有一部分是文件而不是文件夹" in err


def test_merge_last_year_option(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    last = tmp_path / "西安区2020.xlsx"
    run(capsys, monkeypatch, "merge", str(ROOT / "samples" / "2020西安区"), "-o", str(last), "--name", "西安区")
    code, _, _ = run(capsys, monkeypatch, "merge", str(ROOT / "samples" / "2020西安区"), "-o", str(tmp_path / "x"),
                     "--last-year", str(last))  # fmt: skip
    assert code == 2  # a 2020 file is not last year's for 2020
    code, _, _ = run(capsys, monkeypatch, "merge", str(ROOT / "samples" / "2021"), "-o", str(tmp_path / "y"),
                     "--last-year", str(last), "--json", str(tmp_path / "y.json"))  # fmt: skip
    assert code == 1
    import json

    findings = json.loads((tmp_path / "y.json").read_text(encoding="utf-8"))["findings"]
    # 西安区's units are not 2021's 区…: nothing to compare, and it says so instead of comparing the totals
    assert any(f["rule"] == "F15" and f["unit"] == "（汇总数）" for f in findings)
    assert not any(f["rule"] == "D1" and f["unit"] == "（汇总数）" for f in findings)


def test_report_on_a_return_with_errors_warns(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(
        capsys, monkeypatch, "report", str(ROOT / "samples" / "2021" / "区教育局.xlsx"), "-o", str(tmp_path / "r.md")
    )
    assert code == 1 and "的数据有 1 项错误" in out and (tmp_path / "r.md").exists()
