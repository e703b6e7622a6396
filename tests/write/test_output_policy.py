"""One policy for every output of every command (govxl/outputs.py): a file govxl did not write is never
replaced, a file it wrote earlier is; a name whose extension says otherwise is refused; a new folder is said."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.apps.test_cli import run

ROOT = Path(__file__).resolve().parents[2]
S2021 = ROOT / "samples" / "2021"
RETURN = S2021 / "区统计局.xlsx"
WORD = ROOT / "tests" / "data" / "report_2021_qinghe.docx"
PAGE = ROOT / "tests" / "data" / "report_2021_qinghe.html"

# What a clerk may already have under the name: a department's return, a Word report, own notes.
FOREIGN: dict[str, bytes] = {
    ".xlsx": RETURN.read_bytes(),
    ".docx": WORD.read_bytes(),
    ".html": PAGE.read_bytes(),
    ".md": "# 我写好的年报\n\n正文……\n".encode(),
    ".json": json.dumps({"findings": [], "备注": "我自己的文件"}, ensure_ascii=False).encode(),
    ".csv": "\ufeff填报单位,备注\n区统计局,自己整理的\n".encode(),  # begins as an export does
}


def _cases(tmp: Path) -> list[tuple[str, list[str], Path]]:
    """(what, the command's arguments, the output the case aims at a foreign file)."""
    two_years = [str(ROOT / "samples" / "2020西安区"), str(S2021)]
    report_source = str(S2021 / "区教育局.xlsx")
    return [
        ("template -o", ["template", "-y", "2021", "-o", str(tmp / "t.xlsx")], tmp / "t.xlsx"),
        ("template --roster", ["template", "-y", "2021", "-r", str(tmp / "名单.txt"), "-o", str(tmp / "模板")],
         tmp / "模板" / "区统计局_2021年度政府信息公开年报统计表.xlsx"),
        ("merge -o", ["merge", str(S2021), "-o", str(tmp / "m.xlsx"), "-n", "区"], tmp / "m.xlsx"),
        ("merge --json", ["merge", str(S2021), "-o", str(tmp / "m2.xlsx"), "-n", "区", "--json", str(tmp / "m.json")],
         tmp / "m.json"),
        ("check --json", ["check", str(S2021), "--json", str(tmp / "c.json")], tmp / "c.json"),
        ("check --annotate", ["check", str(S2021 / "区教育局.xlsx"), "--annotate", str(tmp / "退回")],
         tmp / "退回" / "区教育局_退回修改.xlsx"),
        ("report -o .docx", ["report", report_source, "-o", str(tmp / "r.docx")], tmp / "r.docx"),
        ("report -o .html", ["report", report_source, "-o", str(tmp / "r.html")], tmp / "r.html"),
        ("report -o .md", ["report", report_source, "-o", str(tmp / "r.md")], tmp / "r.md"),
        ("export -o .xlsx", ["export", str(S2021), "-o", str(tmp / "e.xlsx")], tmp / "e.xlsx"),
        ("export -o .csv", ["export", str(S2021), "-o", str(tmp / "e.csv")], tmp / "e.csv"),
        ("export -o .csv (findings beside)", ["export", str(S2021), "-o", str(tmp / "f.csv")], tmp / "f_校验结果.csv"),
        ("history -o", ["history", *two_years, "-o", str(tmp / "h.xlsx")], tmp / "h.xlsx"),
        ("audit --xlsx (one report)", ["audit", str(PAGE), "--xlsx", str(tmp / "a.xlsx")], tmp / "a.xlsx"),
        ("audit --xlsx (many)", ["audit", str(PAGE), str(WORD), "--xlsx", str(tmp / "b.xlsx")], tmp / "b.xlsx"),
        ("audit --json", ["audit", str(PAGE), "--json", str(tmp / "a.json")], tmp / "a.json"),
    ]  # fmt: skip


CASES = [what for what, _, _ in _cases(Path("."))]


@pytest.mark.parametrize("what", CASES)
def test_a_foreign_file_is_never_replaced_and_an_own_one_is(what: str, tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    (args, target) = next((a, t) for w, a, t in _cases(tmp_path) if w == what)
    (tmp_path / "名单.txt").write_text("区统计局\n区教育局\n", encoding="utf-8")
    target.parent.mkdir(parents=True, exist_ok=True)
    foreign = FOREIGN[target.suffix]
    target.write_bytes(foreign)
    code, _, err = run(capsys, monkeypatch, *args)
    assert code == 2 and str(target) in err, err
    assert target.read_bytes() == foreign
    assert "Traceback" not in err and "内部错误" not in err

    target.unlink()  # the file govxl wrote itself, last time, is replaced
    assert run(capsys, monkeypatch, *args)[0] in (0, 1) and target.exists()
    first = target.stat().st_mtime_ns
    code, _, err = run(capsys, monkeypatch, *args)
    assert code in (0, 1), err
    assert target.exists() and target.stat().st_mtime_ns >= first


@pytest.mark.parametrize(
    "args",
    [
        ["merge", str(S2021), "-o", "{tmp}/m.xlsx", "--json", "{tmp}/m.xlsx.txt"],
        ["check", str(S2021 / "区教育局.xlsx"), "--json", "{tmp}/c.xlsx"],
        ["report", str(S2021 / "区教育局.xlsx"), "-o", "{tmp}/r.txt"],
        ["export", str(S2021), "-o", "{tmp}/e.json"],
        ["history", str(S2021), "-o", "{tmp}/h.docx"],
        ["audit", str(PAGE), "--xlsx", "{tmp}/mine.txt"],
        ["audit", str(PAGE), "--json", "{tmp}/mine.txt"],
    ],
)
def test_an_extension_that_says_otherwise_is_refused(args: list[str], tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    named = Path(args[-1])
    named.write_bytes(b"mine")
    code, _, err = run(capsys, monkeypatch, *args)
    assert code == 2 and named.name in err and "扩展名" in err, err
    assert named.read_bytes() == b"mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == [named.name]  # nothing else written either


def test_a_new_folder_is_said(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "新建" / "下一级" / "汇总.xlsx"
    code, printed, _ = run(capsys, monkeypatch, "merge", str(S2021), "-o", str(out), "-n", "区")
    assert code in (0, 1) and out.exists()
    assert f"已新建文件夹：{out.parent}" in printed
    code, printed, _ = run(capsys, monkeypatch, "merge", str(S2021), "-o", str(out), "-n", "区")
    assert "已新建文件夹" not in printed


def test_annotated_copies_are_all_refused_before_any_is_written(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "退回"
    folder.mkdir()
    inputs = tmp_path / "收件"
    inputs.mkdir()
    for name in ("区教育局.xlsx", "区财政局.xlsx"):
        shutil.copy(S2021 / name, inputs / name)
    blocker = folder / "区财政局_退回修改.xlsx"
    blocker.write_bytes(RETURN.read_bytes())
    code, _, err = run(capsys, monkeypatch, "check", str(inputs), "--annotate", str(folder))
    assert code == 2 and str(blocker) in err
    assert sorted(p.name for p in folder.iterdir()) == [blocker.name]


def test_a_parquet_export_replaces_only_its_own_file(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from govxl.markers import govxl_made

    out = tmp_path / "数据.parquet"
    out.write_bytes(RETURN.read_bytes())
    code, _, err = run(capsys, monkeypatch, "export", str(S2021), "-o", str(out))
    assert code == 2 and str(out) in err and out.read_bytes() == RETURN.read_bytes()
    out.unlink()
    assert run(capsys, monkeypatch, "export", str(S2021), "-o", str(out))[0] == 1
    assert govxl_made(out) == "export" and govxl_made(tmp_path / "数据_校验结果.parquet") == "export"
    assert run(capsys, monkeypatch, "export", str(S2021), "-o", str(out))[0] == 1


def test_annotated_copies_inside_an_input_folder_are_refused(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    inputs = tmp_path / "收件"
    inputs.mkdir()
    shutil.copy(S2021 / "区财政局.xlsx", inputs / "区财政局.xlsx")
    code, _, err = run(capsys, monkeypatch, "check", str(inputs), "--annotate", str(inputs / "退回"))
    assert code == 2 and "下次汇总时会被当作报表" in err
    assert sorted(p.name for p in inputs.iterdir()) == ["区财政局.xlsx"]


def test_computing_claims_nothing_writing_claims_always(tmp_path: Path) -> None:
    """merge() and check_files() only compute (the outputs they are told of are kept out of the inputs); the
    policy holds where the files are written, for a caller of the library as for the command line."""
    import govxl
    from govxl.errors import UsageError

    a_return = tmp_path / "区统计局.xlsx"
    a_return.write_bytes(RETURN.read_bytes())
    result = govxl.merge_files([S2021 / "区教育局.xlsx"], name="区")
    assert govxl.check_files([S2021 / "区教育局.xlsx"]).files
    with pytest.raises(UsageError, match="不是 govxl 上次生成的汇总表"):
        govxl.write_merge(result, a_return)
    assert a_return.read_bytes() == RETURN.read_bytes()


def test_a_refused_output_is_said_before_any_return_is_read(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import govxl.merge

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("the returns were read before the output was claimed")

    monkeypatch.setattr(govxl.merge, "merge", never)
    a_return = tmp_path / "区统计局.xlsx"
    a_return.write_bytes(RETURN.read_bytes())
    code, _, err = run(capsys, monkeypatch, "merge", str(S2021), "-o", str(a_return))
    assert code == 2 and "不是 govxl 上次生成的汇总表" in err
    for output in (RETURN, S2021 / "区教育局.xlsx"):  # an input: named, or in an input folder
        code, _, err = run(capsys, monkeypatch, "merge", str(S2021), str(RETURN), "-o", str(output))
        assert code == 2 and "govxl 从不覆盖输入文件" in err


@pytest.mark.parametrize("under", ["", "退回"])
def test_annotated_copies_into_a_file_are_refused_before_anything_is_read(
    under: str, tmp_path: Path, capsys, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """--annotate naming a file (or a folder inside one): refused at once, not after the check has run and said
    its results."""
    a_file = tmp_path / "区统计局.xlsx"
    a_file.write_bytes(RETURN.read_bytes())
    folder = a_file / under if under else a_file
    code, printed, err = run(capsys, monkeypatch, "check", str(S2021 / "区教育局.xlsx"), "--annotate", str(folder))
    assert code == 2 and f"{a_file} 是一个文件" in err, err
    assert "共检查" not in printed and "Traceback" not in err
    assert a_file.read_bytes() == RETURN.read_bytes() and sorted(tmp_path.iterdir()) == [a_file]


def test_an_output_under_a_file_is_refused_before_anything_is_read_or_written(
    tmp_path: Path, capsys, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """check --annotate 退回 --json 区统计局.xlsx/c.json ran the check, wrote the annotated copies, then failed on
    the JSON, saying "没有写入任何不完整的文件" beside the copies it had just written."""
    a_file = tmp_path / "区统计局.xlsx"
    a_file.write_bytes(RETURN.read_bytes())
    copies = tmp_path / "退回"
    code, printed, err = run(
        capsys, monkeypatch, "check", str(S2021), "--annotate", str(copies), "--json", str(a_file / "c.json")
    )
    assert code == 2 and f"无法写入 {a_file / 'c.json'}：路径中有一部分是文件而不是文件夹（{a_file}）" in err, err
    assert "共检查" not in printed and not copies.exists()
    for args in (
        ["merge", str(S2021), "-o", str(a_file / "m.xlsx")],
        ["template", "-y", "2025", "-o", str(a_file / "t.xlsx")],
    ):
        code, _, err = run(capsys, monkeypatch, *args)
        assert code == 2 and f"路径中有一部分是文件而不是文件夹（{a_file}）" in err, err
    assert sorted(tmp_path.iterdir()) == [a_file] and a_file.read_bytes() == RETURN.read_bytes()


def test_a_folder_that_cannot_be_written_in_is_refused_before_the_returns_are_read(
    tmp_path: Path, capsys, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    import os

    locked = tmp_path / "只读"
    locked.mkdir()
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: Path(p) != locked and real(p, mode, **kw))
    progress: list[str] = []
    monkeypatch.setattr("govxl.merge.merge", lambda *a, **k: progress.append("read") or None)
    for out in (locked / "汇总.xlsx", locked / "新建" / "汇总.xlsx"):
        code, _, err = run(capsys, monkeypatch, "merge", str(S2021), "-o", str(out))
        assert code == 2 and f"没有文件夹 {locked} 的写入权限" in err, err
    code, _, err = run(capsys, monkeypatch, "check", str(S2021), "--annotate", str(locked / "退回"))
    assert code == 2 and f"没有文件夹 {locked} 的写入权限" in err, err
    assert not progress and not list(locked.iterdir())


def test_history_written_over_one_of_its_years_is_refused_as_an_input(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """-o naming one of the years given (a merged workbook govxl wrote) was refused as "not govxl's 历年对比表
    (maybe a department's return or your own file)": it is an input, and said so, as merge says it."""
    merged = tmp_path / "2021汇总.xlsx"
    assert run(capsys, monkeypatch, "merge", str(S2021), "-o", str(merged), "-n", "区")[0] in (0, 1)
    before = merged.read_bytes()
    code, _, err = run(
        capsys, monkeypatch, "history", str(ROOT / "samples" / "2020西安区"), str(merged), "-o", str(merged)
    )
    assert code == 2 and f"输出文件 {merged} 也是输入文件之一" in err, err
    assert merged.read_bytes() == before
