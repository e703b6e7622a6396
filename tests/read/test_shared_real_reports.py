"""The shared real reports (data/real/shared/, see SOURCES.md there): every cell of every published form read as
transcribed, or its row named as one the rules cannot cut one way (R5); the tally errors exactly the published
ones (there are none: every report tallies); year and unit from the document; labels printed otherwise said."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from govxl.audit import AuditResult, audit
from govxl.layout import cell_index
from tests.shared_cases import CASES, case, expected, published_labels, render, renderable, sources, unnamed

FORMS = [p for name in CASES for p in sources(name)]
TALLY = {"A1", "B1", "B2", "B3"}


@cache
def audited(path: Path) -> AuditResult:
    return audit(path)


def _number(value: float | str | None) -> float | None:
    """A published cell as govxl reads it: text with 元 is an amount converted to 万元 (C4 says so)."""
    if isinstance(value, str):
        return round(float(value.removesuffix("元")) / 10000, 10) if value.endswith("元") else None
    return value


def _wrong(result: AuditResult, name: str) -> dict[str, tuple[object, object]]:
    out = {}
    for key, value in expected(name).items():
        want, got = _number(value), result.values.get(key)
        if (want is None) != (got is None) or (want is not None and got is not None and abs(want - got) > 1e-6):
            out[key] = (want, got)
    return out


@pytest.mark.parametrize("path", FORMS, ids=[p.name for p in FORMS])
def test_every_cell_as_transcribed_or_its_row_named(path: Path) -> None:
    name = path.stem
    result = audited(path)
    assert result.edition.id == case(name)["edition"]
    assert unnamed(result, _wrong(result, name)) == {}


@pytest.mark.parametrize("path", FORMS, ids=[p.name for p in FORMS])
def test_tally_errors_are_the_published_ones(path: Path) -> None:
    """None of the thirteen reports breaks a tallying rule as published: none may be made up."""
    result = audited(path)
    assert [(f.rule, f.cell, f.message) for f in result.errors if f.rule in TALLY] == []
    assert [f.message for f in result.errors] == []


@pytest.mark.parametrize("path", FORMS, ids=[p.name for p in FORMS])
def test_year_and_unit_from_the_document(path: Path) -> None:
    name = path.stem
    result = audited(path)
    assert result.year == case(name)["year"]
    unit = case(name)["unit"].split("（")[0]
    # the OCR copy spells the county 沐阳 (its transcription gives the official 沭阳)
    assert result.unit.replace("沐阳", "沭阳") in unit or unit.startswith(result.unit), (result.unit, unit)


@pytest.mark.parametrize("path", FORMS, ids=[p.name for p in FORMS])
def test_labels_printed_otherwise_are_said(path: Path) -> None:
    """Each row printed with another label (old 规范性文件, the old single （六）其他处理, a typo) is named with the
    label printed and the row it was read into (R6)."""
    result = audited(path)
    said = {f.key.rsplit(".", 1)[0]: f.actual for f in result.findings if f.rule == "R6" and f.key}
    for row, printed in published_labels(path.stem).items():
        assert row in said, (row, printed)
        assert said[row].replace(" ", "") == printed


def test_hongze_words_against_the_table() -> None:
    """受理政府信息公开申请17件 in the words, 95 new applications in 表三: said (C12), quoted as printed."""
    for path in sources("2024-huaian-hongze"):
        (c12,) = [f for f in audited(path).findings if f.rule == "C12"]
        assert (c12.cell, c12.actual, c12.expected) == ("J5", "17", "95")
        assert "受理政府信息公开申请 17 件，" in c12.message


def test_no_words_against_the_table_where_they_agree() -> None:
    """沭阳县 受理749件 = 713 new + 36 carried over: 受理 counts both, no C12."""
    assert [f for f in audited(sources("2025-shuyang-xian")[0]).findings if f.rule == "C12"] == []


def test_the_old_single_other_row_is_read_into_its_leaf() -> None:
    for path in sources("2024-huaian-hongze"):
        result = audited(path)
        r6 = [f for f in result.findings if f.rule == "R6" and f.key.startswith("t3.other_3")]
        assert r6 and "旧格式的单行“（六）其他处理”" in r6[0].message
        missing = {f.key.rsplit(".", 1)[0] for f in result.findings if f.rule == "R2"}
        assert {"t3.other_1", "t3.other_2"} <= missing


# ---------------------------------------------------------------- the same tables laid out otherwise (made up)

RENDERABLE = [name for name in CASES if renderable(name)]


@pytest.mark.parametrize("variant", ["lines", "onelines", "wrapped", "middle", "column"])
@pytest.mark.parametrize("name", RENDERABLE)
def test_the_tables_laid_out_otherwise_read_the_same(name: str, variant: str, tmp_path: Path) -> None:
    """Not real reports: a case's transcribed tables printed another way (one row a line with labels unnumbered,
    every table on one line with spaces inside labels, labels wrapped over lines) read as transcribed, or their
    rows named by R5; no rule error is made up."""
    path = tmp_path / f"{name}.{variant}.txt"
    path.write_text(render(name, variant), encoding="utf-8")
    result = audit(path)
    assert (result.edition.id, result.year) == (case(name)["edition"], case(name)["year"])
    index = cell_index(result.edition)
    named = {(index[f.key][0].sheet, index[f.key][1].row) for f in result.findings if f.rule == "R5"}
    wrong = {k: v for k, v in _wrong(result, name).items() if (index[k][0].sheet, index[k][1].row) not in named}
    assert wrong == {}
    assert result.errors == []


# ---------------------------------------------------------------- damaged text, several reports, wording

REFERENCE = Path(__file__).resolve().parents[1] / "data" / "reference_2020_xian.txt"


@pytest.mark.parametrize("damage", [b"\xff", "（一段另一种编码的文字）".encode("gbk")])
def test_damaged_text_is_read_and_the_damage_said(damage: bytes, tmp_path: Path) -> None:
    """A bad byte or a GBK fragment inside a UTF-8 report: read as the rest says, the damage said once (R7)."""
    data = REFERENCE.read_bytes()
    cut = data.index("五、存在的主要问题".encode())
    damaged = tmp_path / "damaged.txt"
    damaged.write_bytes(data[:cut] + damage + data[cut:])
    result, clean = audit(damaged), audit(REFERENCE)
    assert result.values == clean.values
    (r7,) = [f for f in result.findings if f.rule == "R7"]
    line = data[:cut].count(b"\n") + 1
    assert f"第{line}行" in r7.message and "无法识别的字符" in r7.message


def test_a_file_of_noise_is_still_refused(tmp_path: Path) -> None:
    from govxl.errors import InputError

    noise = tmp_path / "noise.txt"
    noise.write_bytes(bytes(range(128, 256)) * 40)
    with pytest.raises(InputError, match="文字编码"):
        audit(noise)


def test_two_reports_in_one_file_are_two(tmp_path: Path) -> None:
    """Two real pages saved into one file (made here by joining them): each read and checked on its own."""
    from govxl.audit import audit_reports

    first, second = sources("2021-pingtan-suping")[0], sources("2024-huaian-hongze")[-1]
    both = tmp_path / "两份.txt"
    both.write_text(first.read_text(encoding="utf-8") + "\n" + second.read_text(encoding="utf-8"), encoding="utf-8")
    results = audit_reports(both)
    import govxl

    assert [r.unit for r in govxl.audit_reports(both)] == [r.unit for r in results]
    units = [(2021, "平潭综合实验区苏平片区管理局"), (2024, "淮安市洪泽区人民政府")]
    assert [(r.year, r.unit) for r in results] == units
    assert [r.file for r in results] == [f"{both}（第1份报告）", f"{both}（第2份报告）"]
    for result, name in zip(results, ["2021-pingtan-suping", "2024-huaian-hongze"], strict=True):
        assert _wrong(result, name) == {}
        assert result.errors == []


def test_the_cli_lists_both_reports_of_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import json

    from tests.apps.test_cli import run

    first, second = sources("2022-pingtan-gongan")[0], sources("2025-shuyang-xian")[0]
    both = tmp_path / "两份.txt"
    both.write_text(first.read_text(encoding="utf-8") + "\n" + second.read_text(encoding="utf-8"), encoding="utf-8")
    js = tmp_path / "核对.json"
    xlsx = tmp_path / "核对.xlsx"
    code, printed, _ = run(capsys, monkeypatch, "audit", str(both), "--json", str(js), "--xlsx", str(xlsx))
    assert code == 0
    assert "两份.txt（第1份报告）（平潭综合实验区公安局" in printed
    assert "两份.txt（第2份报告）（沐阳县人民政府" in printed
    assert len(json.loads(js.read_text(encoding="utf-8"))["reports"]) == 2


@pytest.mark.parametrize("path", [*FORMS, REFERENCE], ids=[p.name for p in [*FORMS, REFERENCE]])
def test_findings_speak_to_the_reader_of_a_published_report(path: Path) -> None:
    for f in audited(path).findings:
        assert not any(w in f.message for w in ("请对方", "重新报送", "没有数据请填写0", "请填写", "汇总时")), f.message


def test_a_short_row_beside_rows_with_surplus_values(tmp_path: Path) -> None:
    """The reference report with its （二）部分公开 row two values short (as its PDF gives it) while three rows
    of 表三 carry a surplus value: read with the short row said (R3), never an internal error."""
    text = REFERENCE.read_text(encoding="utf-8")
    row = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）\t0\t0\t0\t0\t0\t0\t0"
    assert row in text
    short = tmp_path / "short.txt"
    short.write_text(text.replace(row, row[: -len("\t0\t0")]), encoding="utf-8")
    result = audit(short)
    assert [f.key for f in result.findings if f.rule == "R3"] == ["t3.partial.natural"]
    assert [f.rule for f in result.findings if f.rule == "R1"] == ["R1"] * 3


def test_numbers_set_apart_by_spaces_are_cells() -> None:
    from govxl.read.runtogether import separate

    rows, _ = separate([["1 0 0 0 1 2 0 0 0 2 0 0 0 0 0"]], ["行政复议"], [])
    assert rows == [["1", "0", "0", "0", "1", "2", "0", "0", "0", "2", "0", "0", "0", "0", "0"]]


def test_the_reference_report_as_word_reads_as_published(tmp_path: Path) -> None:
    """The reference text opened in a word processor and saved as .docx (each line a paragraph, its cells
    apart by tabs, as LibreOffice saves a .txt): the same figures and findings as the text."""
    import docx

    document = docx.Document()
    for line in REFERENCE.read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line)
    word = tmp_path / "reference.docx"
    document.save(str(word))
    result, text = audit(word), audit(REFERENCE)
    assert result.read_as == "Word"
    assert result.values == text.values
    assert [(f.rule, f.cell) for f in result.findings] == [(f.rule, f.cell) for f in text.findings]


def test_values_set_apart_by_spaces_are_not_said_to_run_together(tmp_path: Path) -> None:
    """A made-up row printed as six numbers for seven cells ("27 0 0 2 0 1", its 总计 left out): no cut of "27"
    fits the row's total, so the row is named (R5) as six groups, not as digits run together, and read blank
    rather than guessed; no rule error and no suggested change follows from it."""
    text = render("2021-pingtan", "lines").replace("予以公开 27 0 0 2 0 1 30\n", "予以公开 27 0 0 2 0 1\n")
    path = tmp_path / "six.txt"
    path.write_text(text, encoding="utf-8")
    result = audit(path)
    (r5,) = [f for f in result.findings if f.rule == "R5"]
    assert r5.key == "t3.granted.natural" and "以空格分为6组，少于7个单元格" in r5.message
    assert "连在一起，" not in r5.message.split("（")[0]
    assert result.errors == [] and not any(f.rule == "L1" for f in result.findings)


def test_a_stray_line_of_values_between_whole_rows_changes_nothing(tmp_path: Path) -> None:
    """A made-up copy with a line of two numbers between two rows of 表三 that each carry their values: no row
    lacks values, so the line is no row's; the table reads as without it, nothing said (no R8)."""
    plain = render("2021-pingtan", "lines")
    assert "予以公开 27 0 0 2 0 1 30\n" in plain
    text = plain.replace("予以公开 27 0 0 2 0 1 30\n", "予以公开 27 0 0 2 0 1 30\n5 6\n")
    (tmp_path / "plain.txt").write_text(plain, encoding="utf-8")
    (tmp_path / "stray.txt").write_text(text, encoding="utf-8")
    result, before = audit(tmp_path / "stray.txt"), audit(tmp_path / "plain.txt")
    assert result.values == before.values
    assert [f.rule for f in result.findings] == [f.rule for f in before.findings]


def test_a_table_of_contents_is_not_a_second_report(tmp_path: Path) -> None:
    """The table titles listed once before the tables (a contents list): still one report."""
    from govxl.audit import audit_reports

    text = sources("2024-huaian-hongze")[-1].read_text(encoding="utf-8")
    contents = (
        "目录\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n四、政府信息公开行政复议、行政诉讼情况\n"
    )
    path = tmp_path / "目录.txt"
    path.write_text(contents + text, encoding="utf-8")
    (result,) = audit_reports(path)
    assert _wrong(result, "2024-huaian-hongze") == {}


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("2024-pingtan", "办理政府信息公开申请218件"),
        ("2025-pingtan-jiaotong", "依法办结政府信息公开申请21件"),
        ("2022-pingtan-ziranziyuan", "办理依申请公开30件"),
    ],
)
def test_words_that_restate_the_table_are_compared(name: str, said: str, tmp_path: Path) -> None:
    """The real words agree with the table (no C12); the same words with the figure one off are said, quoted
    as printed (made up here by changing the figure)."""
    source = sources(name)[-1]
    assert [f for f in audited(source).findings if f.rule == "C12"] == []
    text = source.read_text(encoding="utf-8")
    number = int("".join(ch for ch in said if ch.isdigit()))
    changed = said.replace(str(number), str(number + 1))
    path = tmp_path / source.name
    path.write_text(text.replace(said, changed), encoding="utf-8")
    (c12,) = [f for f in audit(path).findings if f.rule == "C12"]
    assert changed in c12.message and c12.actual == str(number + 1)


def test_the_old_single_other_row_in_a_page_run_together(tmp_path: Path) -> None:
    """A real one-line page made hybrid here (its three （六） rows replaced by the old single row with the
    figures of 3.其他): read into 3.其他 and said; the rules still settle the cuts of the other rows (the
    absent rows count as blank), so no tallying error is made up."""
    text = sources("2021-pingtan")[0].read_text(encoding="utf-8")
    start, end = text.index("（六）其他处理1.申请人"), text.index("（七）总计")
    path = tmp_path / "hybrid.txt"
    path.write_text(text[:start] + "（六）其他处理1000001" + text[end:], encoding="utf-8")
    result = audit(path)
    assert result.errors == []
    assert {k: v for k, v in _wrong(result, "2021-pingtan").items() if not k.startswith("t2.normative")} == {
        **{f"t3.other_1.{c}": (0, None) for c in ("natural", "commercial", "research")},
        **{f"t3.other_1.{c}": (0, None) for c in ("public_welfare", "legal_service", "other_org", "total")},
        **{f"t3.other_2.{c}": (0, None) for c in ("natural", "commercial", "research")},
        **{f"t3.other_2.{c}": (0, None) for c in ("public_welfare", "legal_service", "other_org", "total")},
    }
    assert any(f.rule == "R6" and f.key == "t3.other_3.natural" for f in result.findings)


def test_a_label_cut_into_two_cells_of_its_row() -> None:
    from govxl.read.runtogether import join_wrapped
    from govxl.read.vocabulary import row_labels

    rows = [["（二）部分公开（区分处理的，只计这一情", "形，不计其他情形）", "9", "0", "0", "0", "0", "0", "9"]]
    label = "(二)部分公开(区分处理的,只计这一情形,不计其他情形)"  # as labels are compared (NFKC, no spaces)
    assert join_wrapped(rows, row_labels()) == [[label, "9", "0", "0", "0", "0", "0", "9"]]


def test_a_word_in_a_value_cell_does_not_hide_the_row(tmp_path: Path) -> None:
    """ "8086件" in a value cell: the row is still read and the cell said (C1), not the row lost (R2) as a header
    row would be (a header row names other labels after the first)."""
    text = REFERENCE.read_text(encoding="utf-8").replace("行政许可\t42\t0\t8086", "行政许可\t42\t0\t8086件")
    path = tmp_path / "word.txt"
    path.write_text(text, encoding="utf-8")
    result = audit(path)
    assert [(f.rule, f.cell) for f in result.findings if f.sheet == "表二" and f.rule in ("C1", "R2")] == [("C1", "D8")]
    assert result.values["t2.licensing.prev_items"] == 42


def test_a_misprinted_label_in_a_page_run_together(tmp_path: Path) -> None:
    """The real one-line page with 洪泽区's misprint put into it ("2.其他法律行政止公开", made up here): the row is
    cut at the printed label, read into the official row and said (R6)."""
    text = sources("2021-pingtan")[0].read_text(encoding="utf-8")
    path = tmp_path / "misprint.txt"
    path.write_text(text.replace("2.其他法律行政法规禁止公开", "2.其他法律行政止公开"), encoding="utf-8")
    result = audit(path)
    assert {k: v for k, v in _wrong(result, "2021-pingtan").items() if not k.startswith("t2.normative")} == {}
    (r6,) = [f for f in result.findings if f.rule == "R6"]
    assert r6.key == "t3.denied_2.natural" and r6.actual == "2.其他法律行政止公开"
    assert result.errors == []
