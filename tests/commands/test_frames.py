"""govxl from Python: the front door, pandas frames, and govxl export."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

import govxl
from govxl.errors import InputError, UsageError
from govxl.results.frames import BLANK, NORMAL, NOT_APPLICABLE
from govxl.results.merge import Merged
from tests.apps.test_cli import run
from tests.conftest import ROOT
from tests.conftest import SAMPLES_2021 as S2021


@pytest.fixture(scope="module")
def merged() -> Merged:
    return govxl.merge_files([str(S2021)], roster=S2021 / "单位名单.txt", name="某区")


def test_the_front_door_names_what_it_offers() -> None:
    assert set(govxl.__all__) >= {
        "read_file",
        "merge_files",
        "write_merge",
        "check_files",
        "audit_report",
        "make_template",
    }
    import govxl.merge as module  # the modules stay modules

    assert callable(module.merge) and callable(govxl.merge_files) and govxl.InputError is InputError
    figures = govxl.read_file(S2021 / "区教育局.xlsx")
    assert figures.unit == "区教育局" and figures.edition.id == "2021"
    with pytest.raises(InputError):
        govxl.read_file(S2021 / "说明.xlsx")


def test_the_long_frame_sums_to_the_merged_totals(merged) -> None:  # type: ignore[no-untyped-def]
    frame = merged.to_frame()
    assert len(frame) == len(merged.units) * len(merged.totals)
    sums = frame.groupby("key")["value"].sum()
    assert all(math.isclose(sums[k], v, abs_tol=1e-9) for k, v in merged.totals.items())


def test_blank_zero_and_not_applicable_stay_apart(merged) -> None:  # type: ignore[no-untyped-def]
    frame = merged.to_frame()
    judicial = frame[(frame["unit"] == "区司法局") & (frame["key"].str.startswith("t2.regulations."))]
    assert set(judicial["state"]) == {NOT_APPLICABLE} and judicial["value"].isna().all()  # 规章 typed “/”
    zero = frame[(frame["state"] == NORMAL) & (frame["value"] == 0)]
    blank = frame[frame["state"] == BLANK]
    assert len(zero) > 0 and len(blank) > 0 and blank["value"].isna().all()


def test_findings_frame_has_every_json_field(merged) -> None:  # type: ignore[no-untyped-def]
    frame = merged.findings_frame()
    assert list(frame.columns) == list(merged.findings[0].to_json())
    assert len(frame) == len(merged.findings)


def test_wide_and_table_views(merged) -> None:  # type: ignore[no-untyped-def]
    frame = merged.to_frame()
    wide = govxl.wide_frame(frame)
    assert wide.shape == (len(merged.units), len(merged.totals))
    t4 = govxl.table_frame(frame, "t4")
    assert t4.loc[:, "行政复议·总计"].iloc[0] == merged.totals["t4.review.total"]


def test_export_csv_opens_in_excel_in_chinese(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "数据.csv"
    code, printed, _ = run(capsys, monkeypatch, "export", str(S2021), "-o", str(out))
    assert code == 1 and "已导出" in printed  # the samples have errors
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel reads Chinese
    data = pd.read_csv(out, encoding="utf-8-sig")
    assert list(data.columns)[:3] == ["填报单位", "报告年度", "表格格式"]
    assert (tmp_path / "数据_校验结果.csv").exists()


def test_export_xlsx_is_the_same_bytes_twice(tmp_path: Path) -> None:
    from govxl.export import export

    first, second = tmp_path / "a" / "数据.xlsx", tmp_path / "b" / "数据.xlsx"
    export([S2021], first)
    export([S2021], second)
    assert first.read_bytes() == second.read_bytes()
    sheets = pd.read_excel(first, sheet_name=None, engine="calamine")
    assert set(sheets) == {"数据", "校验结果"}


def test_export_parquet_without_pyarrow_says_how(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    from govxl.export import export

    real = builtins.__import__

    def no_pyarrow(name: str, *args, **kwargs):  # type: ignore[no-untyped-def]
        if name == "pyarrow":
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    with pytest.raises(UsageError, match="pip install pyarrow"):
        export([S2021], tmp_path / "数据.parquet")
    assert not (tmp_path / "数据.parquet").exists()


def test_the_examples_of_docs_api_md_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import re

    (tmp_path / "samples").symlink_to(ROOT / "samples", target_is_directory=True)
    (tmp_path / "tests").symlink_to(ROOT / "tests", target_is_directory=True)
    (tmp_path / "单位名单.txt").write_text("区财政局\n区司法局\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    blocks = re.findall(r"```python\n(.*?)```", (ROOT / "docs" / "api.md").read_text(encoding="utf-8"), re.S)
    namespace: dict[str, object] = {}
    for block in blocks:
        exec(compile(block, "docs/api.md", "exec"), namespace)  # one namespace, as a reader types them in turn
    assert (tmp_path / "汇总.xlsx").exists() and (tmp_path / "模板文件夹").is_dir()


def test_history_of_the_bundled_samples_lines_up_both_editions(tmp_path: Path) -> None:
    from govxl.history import history
    from govxl.results.history import TOTAL

    old, new = tmp_path / "2020.xlsx", tmp_path / "2021.xlsx"
    govxl.write_merge(govxl.merge_files([ROOT / "samples" / "2020西安区"], name="西安区"), old)
    govxl.write_merge(govxl.merge_files([S2021], name="某区"), new)
    result = history([old, new])
    denied = result.table[(TOTAL, "不予公开")]
    assert set(denied) == {2020, 2021}  # the same series read from the 2019 试行 and the 2021 format


def test_export_says_which_units_have_two_returns_and_wide_keeps_both(tmp_path: Path) -> None:
    from govxl.export import export

    result = export([S2021], tmp_path / "数据.csv")
    duplicates = result.findings[result.findings["规则"] == "F3"]
    assert set(duplicates["填报单位"]) == {"区民政局"} and len(duplicates) == 2
    wide = govxl.wide_frame(govxl.check_files(S2021).to_frame())
    assert len(wide.loc["区民政局"]) == 2  # a row per file, not one picked


def test_export_of_nothing_readable_is_refused(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(capsys, monkeypatch, "export", str(S2021 / "区应急管理局.xlsx"), "-o", str(tmp_path / "x.csv"))
    assert code == 2 and "没有一份文件可以导出" in err and not (tmp_path / "x.csv").exists()


def test_export_twice_into_the_input_folder_replaces_its_own_files(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import shutil

    inbox = tmp_path / "收件"
    shutil.copytree(S2021, inbox)
    for _ in range(2):
        code, _, _ = run(capsys, monkeypatch, "export", str(inbox), "-o", str(inbox / "数据.csv"))
        assert code == 1
    merged = govxl.merge_files(inbox)
    assert not [f for f in merged.findings if "数据" in Path(f.file).name]  # its own exports are no returns
    a_return = tmp_path / "区统计局.xlsx"
    shutil.copy(S2021 / "区统计局.xlsx", a_return)
    code, _, err = run(capsys, monkeypatch, "export", str(S2021 / "区财政局.xlsx"), "-o", str(a_return))
    assert code == 2 and "不会覆盖" in err


def test_the_front_door_speaks_chinese_about_missing_and_broken_files(tmp_path: Path) -> None:
    import re

    missing = tmp_path / "没有这个文件.html"
    broken = tmp_path / "名单.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    calls = [
        lambda: govxl.read_file(missing.with_suffix(".xlsx")),
        lambda: govxl.merge_files(missing),
        lambda: govxl.check_files([missing]),
        lambda: govxl.audit_report(missing),
        lambda: govxl.audit_report(tmp_path),  # a folder given as a report
        lambda: govxl.make_roster_templates(missing.with_suffix(".txt"), tmp_path / "模板", 2021),
        lambda: govxl.make_roster_templates(broken, tmp_path / "模板", 2021),
    ]
    for call in calls:
        with pytest.raises(govxl.GovxlError) as raised:
            call()
        message = re.sub(r"\.(xlsx|html|txt)\b|Excel|WPS", "", str(raised.value).replace(str(tmp_path), ""))
        assert not re.search(r"[A-Za-z]{3,}", message), message  # no system wording in English


def test_an_audit_result_has_frames_like_a_merge_result() -> None:
    audited = govxl.audit_report(ROOT / "tests" / "data" / "report_2021_qinghe.html")
    frame = audited.to_frame()
    assert list(frame.columns) == list(govxl.figures_frame([]).columns)
    assert len(frame) == len(audited.values) and set(frame["unit"]) == {audited.unit}
    published = {k: v for k, v in audited.values.items() if v is not None}
    read = frame.set_index("key")["value"].dropna().to_dict()
    assert read == pytest.approx(published)
    assert len(audited.findings_frame()) == len(audited.findings)


def test_table_frame_refuses_a_table_or_unit_it_does_not_hold(merged) -> None:  # type: ignore[no-untyped-def]
    frame = merged.to_frame()
    with pytest.raises(UsageError, match=r"没有填报单位“没有这个单位”.*区教育局"):
        govxl.table_frame(frame, "t3", unit="没有这个单位")
    with pytest.raises(UsageError, match=r"没有“t9”这张表.*t2、t3、t4"):
        govxl.table_frame(frame, "t9")
    assert govxl.table_frame(frame, "t3", unit="区教育局").notna().any().any()


def test_value_is_nan_for_unusable_cells_but_a_template_total_is_its_parts(tmp_path: Path) -> None:
    """docs/api.md's promise, checked: a template total whose formula holds an error value (state 错误) still
    contributes the sum of its parts, as the merged workbook counts it; any other unusable cell is NaN."""
    import random
    import re
    import zipfile

    from govxl.editions import edition_by_id
    from govxl.excel.template_book import build_template
    from govxl.judge.engine import prefill_definitions
    from govxl.read import xlsxparts
    from govxl.results.frames import CONVERTED_UNIT, TEXT_NUMBER
    from govxl.synth import consistent_values

    edition = edition_by_id("2021")
    values = dict(consistent_values(edition, random.Random(3)))
    values.pop("t3.new_received.total")  # the template's SUM formula stays
    values["t3.granted.natural"] = "十"
    plain = tmp_path / "plain.xlsx"
    build_template(plain, edition, 2021, unit="丁局", values=values)
    sheet, ref = govxl.read_file(plain).refs["t3.new_received.total"]
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(broken, "w") as dst:
        part = xlsxparts.sheet_parts(src)[sheet]
        for info in src.infolist():
            data = src.read(info)
            if info.filename == part:  # the total's cached result becomes #REF!, as Excel writes it
                pattern = rf'<c r="{ref}"([^>]*)><f>(.*?)</f><v>[^<]*</v></c>'
                data = re.sub(pattern, rf'<c r="{ref}"\1 t="e"><f>\2</f><v>#REF!</v></c>', data.decode()).encode()
            dst.writestr(info, data)
    frame = govxl.figures_frame([govxl.read_file(broken)]).set_index("key")
    total = frame.loc["t3.new_received.total"]
    parts = sum(values[f"t3.new_received.{c}"] for c in edition.groups["applicants"])  # type: ignore[misc]
    assert total["state"] == "错误" and total["value"] == parts
    totals = set(prefill_definitions(edition))
    usable = frame["state"].isin([NORMAL, TEXT_NUMBER, CONVERTED_UNIT]) | frame.index.isin(list(totals))
    assert frame.loc[~usable, "value"].isna().all() and frame.loc[usable, "value"].notna().all()
    assert math.isnan(frame.loc["t3.granted.natural", "value"])
    api = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    assert "has as `value` the sum of its parts also when its formula gave no usable result" in api
