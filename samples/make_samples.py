"""Regenerate the bundled demo data under samples/.

    python samples/make_samples.py

- ``2020西安区/``: the 2020 returns of 13 units of 牡丹江市西安区 (2019 试行 format). Summed cell by
  cell they reproduce the published tables of the district's 2020 annual report exactly.
- ``2021/``: the 2021 returns of a fictitious district (2021 format) with a roster, carrying one
  realistic mistake of each kind a merger has to report; ``2021/README.md`` lists them.

Everything is deterministic: running it twice gives the same bytes, and tests/test_samples.py
fails when what is committed differs from what this writes. Only the files listed here are
deleted and rewritten; anything else in the folders is left alone.
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

import xlsxwriter

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from govxl.editions import edition_by_id  # noqa: E402
from govxl.editions.model import BlockTable, Edition  # noqa: E402
from govxl.excel.template_book import build_template, effective_values  # noqa: E402
from govxl.layout import cell_index, layouts  # noqa: E402
from govxl.values import Raw, show  # noqa: E402

OLD = edition_by_id("2019")
NEW = edition_by_id("2021")

DIR_2020 = "2020西安区"
DIR_2021 = "2021"
ROSTER_NAME = "单位名单.txt"

Figures = dict[str, Raw]
Members = dict[str, bytes]  # the members of an xlsx (zip) file, in order
Edit = Callable[[Members], None]


# ---------------------------------------------------------------------------------------------
# Building blocks: figures by table


def is_total(key: str) -> bool:
    """A key the template prefills with a sum formula when it is not given."""
    return key.endswith(".total") or key.startswith("t3.total.")


def all_keys(edition: Edition) -> list[str]:
    return [c.key for lay in layouts(edition) for c in lay.cells]


def t2(edition: Edition, rows: Mapping[str, tuple[Raw, ...]]) -> Figures:
    """表二 figures by row: the values of the row's columns, in the order of the format."""
    table = edition.table("t2")
    assert isinstance(table, BlockTable)
    columns = {row.key: block.columns for block in table.blocks for row in block.rows}
    out: Figures = {}
    for row, cells in rows.items():
        cols = columns[row]
        assert len(cells) == len(cols), (row, cells)
        out.update({f"t2.{row}.{col.key}": v for col, v in zip(cols, cells, strict=True)})
    return out


def t3(
    edition: Edition,
    results: Mapping[str, Mapping[str, int]],
    carried: Mapping[str, int] | None = None,
    forward: Mapping[str, int] | None = None,
) -> Figures:
    """表三 leaves from the results by applicant; 本年新收 follows from the 勾稽关系 (A1)."""
    g = edition.groups
    assert set(results) <= set(g["results"]), set(results) - set(g["results"])
    carried, forward = carried or {}, forward or {}
    out: Figures = {}
    for c in g["applicants"]:
        done = 0
        for r in g["results"]:
            n = results.get(r, {}).get(c, 0)
            out[f"t3.{r}.{c}"] = n
            done += n
        out[f"t3.carried_over.{c}"] = carried.get(c, 0)
        out[f"t3.carry_forward.{c}"] = forward.get(c, 0)
        out[f"t3.new_received.{c}"] = done + forward.get(c, 0) - carried.get(c, 0)
        assert out[f"t3.new_received.{c}"] >= 0  # type: ignore[operator]
    return out


def t4(
    review: tuple[Raw, Raw, Raw, Raw] = (0, 0, 0, 0),
    direct: tuple[Raw, Raw, Raw, Raw] = (0, 0, 0, 0),
    after: tuple[Raw, Raw, Raw, Raw] = (0, 0, 0, 0),
) -> Figures:
    """表四 outcomes (维持, 纠正, 其他, 尚未审结) of each block; the totals are left to the template."""
    parts = ("upheld", "corrected", "other", "pending")
    out: Figures = {}
    for block, values in (("review", review), ("lit_direct", direct), ("lit_after_review", after)):
        out.update({f"t4.{block}.{p}": v for p, v in zip(parts, values, strict=True)})
    return out


def filled(edition: Edition, *parts: Figures, typed_totals: bool = False) -> Figures:
    """Every input of the edition: explicit 0 where no figure is given; totals left to the
    template's formulas, or typed in (correctly) when ``typed_totals``."""
    values: Figures = {k: 0 for k in all_keys(edition) if not is_total(k)}
    for part in parts:
        unknown = set(part) - set(all_keys(edition))
        assert not unknown, unknown
        values.update(part)
    if typed_totals:
        shown, prefill = effective_values(edition, values)
        values.update({k: shown[k] for k in prefill})
    return values


def addr(edition: Edition, key: str, last: str | None = None) -> str:
    """``B8`` (or a range ``B4:D4``) of a key."""
    first = cell_index(edition)[key][1].ref
    return first if last is None else f"{first}:{cell_index(edition)[last][1].ref}"


def where(edition: Edition, key: str, last: str | None = None) -> str:
    """``表二!B8`` (or a range ``表二!B4:D4``) for README texts."""
    return f"{cell_index(edition)[key][0].sheet}!{addr(edition, key, last)}"


# ---------------------------------------------------------------------------------------------
# 2020: 牡丹江市西安区. The published tables (000_df20fa1b9dca726d.txt, editions.md §8):
# 表二 规章 0/0/0; 规范性文件 0/0/4; 行政许可 42/0/8086; 其他对外管理服务事项 357/0/24988;
# 行政处罚 1016/-684/2; 行政强制 52/-25/0; 行政事业性收费 0/0; 政府集中采购 107 项 6733.41375万元;
# 表三 one request from a natural person, granted; 表四 all 0 (行政复议 left blank).


@dataclass(frozen=True)
class Return2020:
    unit: str
    contact: tuple[str, str]
    values: Figures


def returns_2020() -> list[Return2020]:
    e = OLD
    no_review = {f"t4.review.{p}": None for p in ("upheld", "corrected", "other", "pending", "total")}

    def unit(name: str, contact: tuple[str, str], rows: Mapping[str, tuple[Raw, ...]], *extra: Figures) -> Return2020:
        return Return2020(name, contact, filled(e, t2(e, rows), *extra))

    return [
        Return2020(
            "西安区人民政府办公室",
            ("孙丽娟", "0453-6925011"),
            # the office that compiles the report types its 表三 totals itself
            filled(e, t2(e, {"normative": (0, 0, 3)}), t3(e, {"granted": {"natural": 1}}), typed_totals=True),
        ),
        unit("西安区发展和改革局", ("王海涛", "0453-6925136"), {"licensing": (2, 0, 87)}),
        unit(
            "西安区财政局",
            ("刘静", "0453-6925208"),
            {
                "normative": (0, 0, 1),
                "other_services": (12, 0, 138),
                # the whole district's 政府集中采购, with the unit typed into the cell as in the report
                "procurement": (107, "6733.41375万元"),
            },
        ),
        # 行政复议 left blank, as in the published 表四
        unit("西安区司法局", ("赵志刚", "0453-6925317"), {"other_services": (27, 0, 1163)}, no_review),
        unit(
            "西安区市场监督管理局",
            ("陈晓燕", "0453-6925420"),
            {
                "licensing": (12, 0, 5127),
                "other_services": (22, 0, 617),
                "penalty": (538, -362, 1),
                "coercion": (31, -14, 0),
            },
        ),
        unit(
            "西安区人力资源和社会保障局",
            ("李明", "0453-6925533"),
            {"licensing": (2, 0, 146), "other_services": (86, 0, 9842)},
        ),
        unit(
            "西安区住房和城乡建设局",
            ("张伟", "0453-6925641"),
            {"licensing": (7, 0, 642), "other_services": (25, 0, 894)},
        ),
        unit(
            "西安区卫生健康局",
            ("周红", "0453-6925752"),
            {
                "licensing": (8, 0, 1386),
                "other_services": (41, 0, 2735),
                "penalty": (182, -115, 0),
                "coercion": (7, -3, 0),
            },
        ),
        unit(
            "西安区教育局",
            ("吴秀英", "0453-6925864"),
            {"licensing": (4, 0, 213), "other_services": (16, 0, 284)},
        ),
        unit(
            "西安区民政局",
            ("郑国庆", "0453-6925977"),
            {"licensing": (3, 0, 158), "other_services": (54, 0, 4316)},
        ),
        unit(
            "西安区城市管理综合执法局",
            ("马骏", "0453-6926083"),
            {"licensing": (4, 0, 327), "penalty": (296, -207, 1), "coercion": (14, -8, 0)},
        ),
        unit("西安区火车站街道办事处", ("高玉梅", "0453-6926195"), {"other_services": (38, 0, 2608)}),
        unit("西安区先锋街道办事处", ("林淑芬", "0453-6926208"), {"other_services": (36, 0, 2391)}),
    ]


def write_2020(folder: Path) -> list[Path]:
    out = []
    for r in returns_2020():
        path = folder / f"{r.unit}.xlsx"
        build_template(path, OLD, 2020, unit=r.unit, values=r.values, contact=r.contact)
        out.append(path)
    return out


# ---------------------------------------------------------------------------------------------
# Rewriting a written workbook's XML (never through openpyxl, which drops cached values)


def _cell_pattern(ref: str) -> re.Pattern[str]:
    return re.compile(rf'<c r="{ref}"(?P<attrs>(?: [a-z]+="[^"]*")*)\s*(?:/>|>(?P<body>.*?)</c>)', re.S)


def sheet_part(members: Members, sheet: str) -> str:
    """The zip member holding a sheet's XML (``xl/worksheets/sheet2.xml`` for 表二), from the workbook's rels."""
    workbook = members["xl/workbook.xml"].decode("utf-8")
    rels = members["xl/_rels/workbook.xml.rels"].decode("utf-8")
    m = re.search(rf'<sheet name="{re.escape(sheet)}" sheetId="\d+"(?: state="\w+")? r:id="(rId\d+)"/>', workbook)
    assert m, sheet
    target = re.search(rf'<Relationship Id="{m[1]}" Type="[^"]+" Target="([^"]+)"/>', rels)
    assert target, m[1]
    return "xl/" + target[1].removeprefix("/xl/")


def _sheet_of(members: Members, edition: Edition, key: str) -> tuple[str, str]:
    lay, cell = cell_index(edition)[key]
    return sheet_part(members, lay.sheet), cell.ref


def _replace_cell(members: Members, edition: Edition, key: str, make: Callable[[str], str]) -> None:
    """Replace one ``<c>`` element; ``make`` gets the cell's style attribute (`` s="9"`` or '')."""
    name, ref = _sheet_of(members, edition, key)
    xml = members[name].decode("utf-8")
    m = _cell_pattern(ref).search(xml)
    assert m, (name, ref)
    style = re.search(r' s="\d+"', m["attrs"])
    members[name] = (xml[: m.start()] + make(style[0] if style else "") + xml[m.end() :]).encode("utf-8")


def error_value(edition: Edition, key: str, error: str = "#REF!") -> Edit:
    """The cell holds a formula that evaluates to an error (a broken reference)."""

    def edit(members: Members) -> None:
        ref = _sheet_of(members, edition, key)[1]
        _replace_cell(members, edition, key, lambda s: f'<c r="{ref}"{s} t="e"><f>{error}</f><v>{error}</v></c>')

    return edit


def uncached_formula(edition: Edition, key: str, formula: str) -> Edit:
    """A formula with no cached value, as written by tools that do not calculate."""

    def edit(members: Members) -> None:
        ref = _sheet_of(members, edition, key)[1]
        _replace_cell(members, edition, key, lambda s: f'<c r="{ref}"{s}><f>{formula}</f></c>')

    return edit


DATE_FORMAT = "m&quot;月&quot;d&quot;日&quot;"  # what Excel (zh-CN) gives a cell typed as 1-2


def date_style(edition: Edition, key: str) -> Edit:
    """Give a cell holding a date serial the date format Excel applies when it converts "1-2".

    govxl writes dates with the cell's own (general) format, so without this the cell would look
    like the number 44198 to every reader.
    """

    def edit(members: Members) -> None:
        styles = members["xl/styles.xml"].decode("utf-8")
        ids = [int(i) for i in re.findall(r'<numFmt numFmtId="(\d+)"', styles)]
        fmt_id = max([175, *ids]) + 1
        numfmt = f'<numFmt numFmtId="{fmt_id}" formatCode="{DATE_FORMAT}"/>'
        if "<numFmts" in styles:
            styles = re.sub(
                r'<numFmts count="(\d+)">',
                lambda m: f'<numFmts count="{int(m[1]) + 1}">',
                styles,
                count=1,
            ).replace("</numFmts>", numfmt + "</numFmts>", 1)
        else:
            styles = re.sub(r"(<styleSheet[^>]*>)", rf'\1<numFmts count="1">{numfmt}</numFmts>', styles, count=1)
        m = re.search(r'<cellXfs count="(\d+)">(.*?)</cellXfs>', styles, re.S)
        assert m
        xfs = re.findall(r"<xf [^>]*?(?:/>|>.*?</xf>)", m[2], re.S)
        name, ref = _sheet_of(members, edition, key)
        cell = _cell_pattern(ref).search(members[name].decode("utf-8"))
        assert cell
        current = re.search(r' s="(\d+)"', cell["attrs"])
        base = xfs[int(current[1]) if current else 0]
        base = re.sub(r' applyNumberFormat="\d"', "", base)
        xf = re.sub(r'numFmtId="\d+"', f'numFmtId="{fmt_id}" applyNumberFormat="1"', base, count=1)
        new_index = len(xfs)
        styles = styles[: m.start()] + f'<cellXfs count="{new_index + 1}">{m[2]}{xf}</cellXfs>' + styles[m.end() :]
        members["xl/styles.xml"] = styles.encode("utf-8")
        assert cell["body"], "a date is a number: the cell has a value"
        _replace_cell(members, edition, key, lambda _: f'<c r="{ref}" s="{new_index}">{cell["body"]}</c>')

    return edit


def rewrite_xlsx(path: Path, edits: list[Edit]) -> None:
    """Apply ``edits`` to the members of the xlsx at ``path``, keeping member order and zip metadata."""
    with zipfile.ZipFile(path) as zin:
        infos = zin.infolist()
        members: Members = {i.filename: zin.read(i) for i in infos}
    for edit in edits:
        edit(members)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zout:
        for info in infos:
            zout.writestr(info, members[info.filename])
    path.write_bytes(buf.getvalue())


# ---------------------------------------------------------------------------------------------
# 2021: a fictitious district's returns, with one mistake of each kind


@dataclass
class Return2021:
    file: str  # file name without .xlsx
    unit: str
    contact: tuple[str, str]
    values: Figures
    mistakes: list[str] = field(default_factory=list)  # README lines: where and what
    edits: list[Edit] = field(default_factory=list)
    edition: Edition = NEW
    truncate: int = 0  # keep only the first bytes: a broken download or copy


def _tables(
    rows: Mapping[str, tuple[Raw, ...]],
    results: Mapping[str, Mapping[str, int]],
    carried: Mapping[str, int] | None = None,
    forward: Mapping[str, int] | None = None,
    edition: Edition = NEW,
) -> Figures:
    return filled(edition, t2(edition, rows), t3(edition, results, carried, forward))


def _t2_new(
    normative: tuple[Raw, Raw, Raw] = (0, 0, 0),
    licensing: Raw = 0,
    penalty: Raw = 0,
    coercion: Raw = 0,
    fees: Raw = 0,
    regulations: tuple[Raw, Raw, Raw] = (0, 0, 0),
) -> dict[str, tuple[Raw, ...]]:
    return {
        "regulations": regulations,
        "normative": normative,
        "licensing": (licensing,),
        "penalty": (penalty,),
        "coercion": (coercion,),
        "fees": (fees,),
    }


def returns_2021() -> list[Return2021]:
    e = NEW
    w = where
    out: list[Return2021] = []

    def add(r: Return2021, *overrides: Figures) -> Return2021:
        for o in overrides:
            r.values.update(o)
        out.append(r)
        return r

    add(
        Return2021(
            "区人民政府办公室",
            "区人民政府办公室",
            ("孙静", "6021001"),
            _tables(
                _t2_new(normative=(5, 2, 37)),
                {
                    "granted": {"natural": 9, "commercial": 1},
                    "partial": {"natural": 2},
                    "denied_4": {"natural": 1},
                    "unable_1": {"natural": 3},
                    "not_processed_1": {"natural": 1},
                },
                carried={"natural": 1},
                forward={"natural": 2},
            ),
            ["无错误（对照用）。"],
        ),
        t4(direct=(1, 0, 0, 0)),
    )
    add(
        Return2021(
            "区发展和改革局",
            "区发展和改革局",
            ("王磊", "6021015"),
            _tables(
                _t2_new(normative=(0, 0, " 7 "), licensing="12"),
                {"granted": {"natural": 2, "commercial": 1}, "unable_1": {"natural": 1}},
            ),
            [
                f"{w(e, 't2.licensing.decisions')}（行政许可）填的是文本“12”（单元格设为文本格式后输入的数字），"
                "应按 12 读取并提示；Excel 的求和会把它当 0。",
                f"{w(e, 't2.normative.in_force')}（行政规范性文件·现行有效件数）为“ 7 ”，"
                "数字前后带空格，应按 7 读取并提示。",
            ],
        )
    )
    add(
        Return2021(
            "区教育局",
            "区教育局",
            ("何晓燕", "6021027"),
            _tables(
                _t2_new(normative=(0, 1, 3), licensing=27, penalty=2, fees="38.5万元"),
                {
                    "granted": {"natural": 5},
                    "unable_1": {"natural": 2},
                    "not_processed_1": {"natural": 1},
                },
            ),
            [
                f"{w(e, 't2.fees.amount')}（行政事业性收费·本年收费金额）填“38.5万元”：金额带单位的文本，"
                "应按 38.5（万元）读取并提示去掉单位。",
                f"{w(e, 't3.new_received.total')}（本年新收·总计）是错误值 #REF!（公式引用失效），"
                "应报告该单元格无法读取。",
            ],
            [error_value(e, "t3.new_received.total")],
        )
    )
    mz_results = {"granted": {"natural": 3}, "unable_2": {"natural": 1}}
    add(
        Return2021(
            "区民政局",
            "区民政局",
            ("郭建华", "6021033"),
            _tables(_t2_new(normative=(0, 0, 2), licensing=38), mz_results),
            [
                "第一次报送的版本（行政许可 38）。本身没有校验错误，但同一单位还报送了“区民政局（更正）.xlsx”："
                "汇总时应提示同一单位有两份报表，不能重复计入。"
            ],
        )
    )
    add(
        Return2021(
            "区民政局（更正）",
            "区民政局",
            ("郭建华", "6021033"),
            _tables(_t2_new(normative=(0, 0, 2), licensing=41), mz_results),
            [
                f"更正版：{w(e, 't2.licensing.decisions')}（行政许可）由 38 改为 41，其余与第一次报送的相同。"
                "与“区民政局.xlsx”是同一单位的两份报表。"
            ],
        )
    )
    add(
        Return2021(
            "区司法局",
            "区司法局",
            ("冯涛", "6021048"),
            filled(
                e,
                t2(e, _t2_new(regulations=("/", "/", "/"))),
                t3(e, {"granted": {"natural": 2}, "unable_1": {"natural": 1}}),
                t4(review=(1, 0, 1, 0)),
            ),
            [
                f"{w(e, 't2.regulations.issued', 't2.regulations.in_force')}（规章一行）填“/”：按 0 汇总，"
                "提示没有数据应填 0（区级机关无规章制定权）。",
                f"{w(e, 't4.review.total')}（行政复议·总计）是公式 SUM(A5:D5)，但文件里没有保存计算结果"
                "（由不计算公式的软件另存）；各项之和为 2，只读缓存值的程序会读到空白。",
            ],
            [uncached_formula(e, "t4.review.total", "SUM(A5:D5)")],
        )
    )
    add(
        Return2021(
            "区财政局",
            "区财政局",
            ("邓丽", "6021052"),
            _tables(
                _t2_new(normative=(1, 0, 4), penalty=1, fees="251000元"),
                {"granted": {"natural": 4, "commercial": 2}, "partial": {"commercial": 1}, "unable_1": {"natural": 1}},
            ),
            [
                f"{w(e, 't2.fees.amount')}（行政事业性收费·本年收费金额）填“251000元”：以元为单位的文本，"
                "应换算为 25.1 万元并提示。",
                "同一文件夹中还有 Office 的锁定文件“~$区财政局.xlsx”（文件在 Excel 中打开时生成），汇总时应忽略。",
            ],
        )
    )
    add(
        Return2021(
            "区人力资源和社会保障局",
            "区人力资源和社会保障局",
            ("韩冰", "6021066"),
            _tables(
                _t2_new(normative=(date(2021, 1, 2), 0, 6), licensing="１２", penalty=5),
                {
                    "granted": {"natural": 11},
                    "partial": {"natural": 2},
                    "unable_1": {"natural": 3},
                    "not_processed_1": {"natural": 2},
                },
                carried={"natural": 1},
                forward={"natural": 1},
            ),
            [
                f"{w(e, 't2.licensing.decisions')}（行政许可）填的是全角数字“１２”，应按 12 读取并提示。",
                f"{w(e, 't2.normative.issued')}（行政规范性文件·本年制发件数）是日期 2021年1月2日："
                "输入“1-2”被 Excel 自动转成了日期（单元格值为日期序号 44198），应报告为日期而不是按 44198 件汇总。",
            ],
            [date_style(e, "t2.normative.issued")],
        ),
        t4(review=(1, 0, 0, 0)),
    )
    zj = _tables(
        _t2_new(normative=(2, 1, 9), licensing="见附件", penalty=14, coercion=3),
        {
            "granted": {"natural": 35, "commercial": 2},
            "partial": {"natural": 3},
            "unable_1": {"natural": 4},
            "not_processed_2": {"natural": 2},
        },
        carried={"natural": 2},
        forward={"natural": 3},
    )
    zj["t3.granted.natural"] = 53  # 35 typed as 53; everything else, 本年新收 included, is right
    zj.update(t4(direct=(1, 1, 0, 0)))
    shown = effective_values(e, zj)[0]

    def a1_sides(c: str) -> str:
        first = [shown[f"t3.{r}.{c}"] for r in ("new_received", "carried_over")]
        second = [shown[f"t3.{r}.{c}"] for r in ("total", "carry_forward")]
        return (
            f"{'+'.join(show(x) for x in first)}={show(sum(first))}，"
            f"第三项加第四项 {'+'.join(show(x) for x in second)}={show(sum(second))}"
        )

    add(
        Return2021(
            "区住房和城乡建设局",
            "区住房和城乡建设局",
            ("曹志强", "6021071"),
            zj,
            [
                f"{w(e, 't2.licensing.decisions')}（行政许可）填“见附件”：文字而不是数字，无法汇总，应报告"
                f"（所说的附件就是“{NOTE_FILE}”）。",
                f"{w(e, 't3.granted.natural')}（予以公开·自然人）应为 35，误填为 53（数字颠倒）："
                f"A1 在自然人列（第一项加第二项 {a1_sides('natural')}）和总计列（{a1_sides('total')}）不成立；"
                "各总计是模板公式，所以 B1、B2 仍成立。",
            ],
        )
    )
    add(
        Return2021(
            "区卫生健康局",
            "区卫生健康局",
            ("彭玉兰", "6021089"),
            _tables(
                _t2_new(normative=(0, 0, 1), licensing=612, penalty=2.5, fees=3.62),
                {"granted": {"natural": 6, "commercial": 1}, "unable_1": {"natural": 2}},
            ),
            [
                f"{w(e, 't2.penalty.decisions')}（行政处罚·本年处理决定数量）填 2.5：件数不能有小数（C1 错误）。",
                f"{w(e, 't3.carried_over.natural', 't3.carried_over.other_org')}（上年结转，各类申请人）填“-”："
                "按 0 汇总，提示没有数据应填 0。",
            ],
        ),
        {f"t3.carried_over.{c}": "-" for c in NEW.groups["applicants"]},
    )
    add(
        Return2021(
            "区市场监督管理局",
            "区市场监督管理局",
            ("蒋文", "6021094"),
            _tables(
                _t2_new(licensing="3,126", penalty=87, coercion=12),
                {
                    "granted": {"natural": 8, "commercial": 5, "legal_service": 1},
                    "partial": {"commercial": 1},
                    "denied_4": {"commercial": 1},
                    "unable_1": {"natural": 3},
                    "not_processed_1": {"natural": 4},
                },
                carried={"natural": 1},
                forward={"natural": 1},
            ),
            [
                f"{w(e, 't2.licensing.decisions')}（行政许可）填“3,126”：带千位分隔符的文本，应按 3126 读取并提示。",
            ],
        ),
        t4(review=(1, 0, 0, 0), direct=(1, 0, 0, 0)),
    )
    add(
        Return2021(
            "区城市管理局",
            "区城市管理局",
            ("袁刚", "6021103"),
            _tables(
                _t2_new(licensing=214, penalty=46, coercion=-3), {"granted": {"natural": 3}, "unable_1": {"natural": 1}}
            ),
            [
                f"{w(e, 't2.coercion.decisions')}（行政强制·本年处理决定数量）填 -3"
                "（按旧格式“本年增/减”的习惯填了减少数）："
                "件数不能为负（C1 错误）。",
                f"{w(e, 't4.review.upheld', 't4.lit_after_review.total')}（表四全部15格，含三个总计）填“—”："
                "按 0 汇总，提示没有数据应填 0。",
            ],
        ),
        {k: "—" for k in all_keys(NEW) if k.startswith("t4.")},
    )
    add(
        Return2021(
            "区自然资源局",
            "区自然资源局",
            ("许丹", "6021117"),
            _tables(
                _t2_new(normative=(1, 0, 5), licensing=176, penalty=9),
                {
                    "granted": {"natural": 12, "commercial": 2},
                    "partial": {"natural": 3},
                    "denied_6": {"natural": 1},
                    "unable_1": {"natural": 5},
                    "not_processed_2": {"natural": 1},
                },
                carried={"natural": 2},
                forward={"natural": 1},
            ),
            [
                f"{w(e, 't4.review.total')}（行政复议·总计）手工填 3，但结果维持 2、结果纠正 1、其他结果 0、"
                "尚未审结 1 之和为 4：B3 不成立。",
            ],
        ),
        t4(review=(2, 1, 0, 1), direct=(1, 0, 0, 1)),
        {"t4.review.total": 3},
    )
    old = OLD
    add(
        Return2021(
            "区退役军人事务局",
            "区退役军人事务局",
            ("沈国栋", "6021125"),
            filled(
                old,
                t2(old, {"other_services": (6, 1, 318)}),
                t3(old, {"granted": {"natural": 2}, "unable_1": {"natural": 1}}),
            ),
            [
                "套用了旧模板：用 2019 年试行格式（有“上一年项目数量”“本年增/减”“政府集中采购”等栏目）填报 2021 年度，"
                "应报告格式不符，不能按 2021 年格式汇总。"
            ],
            edition=old,
        )
    )
    add(
        Return2021(
            "区应急管理局",
            "区应急管理局",
            ("潘宇", "6021138"),
            _tables(_t2_new(licensing=23, penalty=6, coercion=1), {"granted": {"natural": 1}}),
            ["文件不完整（只有前 3000 字节，传输或复制中断），无法打开，应报告并请该单位重新报送。"],
            truncate=3000,
        )
    )
    add(
        Return2021(
            "区统计局",
            "区统计局",
            ("朱琳", "6021142"),
            _tables(_t2_new(penalty=1), {"granted": {"natural": 1}}),
            ["无错误（对照用）。"],
        )
    )
    add(
        Return2021(
            "滨河街道办事处",
            "滨河街道办事处",
            ("宋春梅", "6021156"),
            _tables(_t2_new(licensing="无", penalty="无", coercion="无"), {"granted": {"natural": 2}}),
            [
                "单位不在“单位名单.txt”中（名单外的单位报送），应提示。",
                f"{w(e, 't2.licensing.decisions')}、{addr(e, 't2.penalty.decisions')}、"
                f"{addr(e, 't2.coercion.decisions')}（行政许可、行政处罚、行政强制）填“无”：按 0 汇总，提示应填 0。",
                f"表四行政复议、行政诉讼各项结果（{w(e, 't4.review.upheld', 't4.review.pending')}、"
                f"{addr(e, 't4.lit_direct.upheld', 't4.lit_direct.pending')}、"
                f"{addr(e, 't4.lit_after_review.upheld', 't4.lit_after_review.pending')}）留空："
                "按 0 汇总，提示没有数据应填 0（三个总计是模板公式，为 0）。",
            ],
        ),
        {k: None for k in all_keys(NEW) if k.startswith("t4.") and not is_total(k)},
    )
    return out


NOT_REPLIED = "区档案馆"
NOT_ON_ROSTER = "滨河街道办事处"
CSV_UNIT = "区农业农村局"


def roster_2021() -> list[str]:
    """Every unit that returned a file (but the street office nobody expected), and one that did not."""
    units: list[str] = []
    for r in returns_2021():
        if r.unit not in units and r.unit != NOT_ON_ROSTER:
            units.append(r.unit)
    units.insert(units.index("区统计局"), CSV_UNIT)
    return [*units, NOT_REPLIED]


def _csv_bytes() -> bytes:
    """A 表二 saved from Excel as CSV (GBK, CRLF), then renamed to .xlsx."""
    lines = [
        "二、主动公开政府信息情况,,,",
        "第二十条第（一）项,,,",
        "信息内容,本年制发件数,本年废止件数,现行有效件数",
        "规章,0,0,0",
        "行政规范性文件,1,0,3",
        "第二十条第（五）项,,,",
        "信息内容,本年处理决定数量,,",
        "行政许可,57,,",
        "第二十条第（六）项,,,",
        "信息内容,本年处理决定数量,,",
        "行政处罚,4,,",
        "行政强制,0,,",
        "第二十条第（八）项,,,",
        "信息内容,本年收费金额（单位：万元）,,",
        "行政事业性收费,0,,",
    ]
    return ("\r\n".join(lines) + "\r\n").encode("gbk")


def _rtf_bytes() -> bytes:
    """A note written in Word and saved as RTF, with the file then named 说明.xlsx."""
    paragraphs = [
        "区住房和城乡建设局关于2021年度政府信息公开工作年度报告统计表的说明",
        "表二“行政许可”本年处理决定数量，因涉及建筑工程施工许可、商品房预售许可等多个事项，"
        "按事项分列如下：建筑工程施工许可126件，商品房预售许可47件，其他许可1310件，合计1483件。",
        "联系人：曹志强，电话：6021071。",
    ]

    def escape(text: str) -> str:
        out = []
        for ch in text:
            if ch in "\\{}":
                out.append("\\" + ch)
            elif ord(ch) < 128:
                out.append(ch)
            else:
                out.append("".join(f"\\'{b:02x}" for b in ch.encode("gbk")))
        return "".join(out)

    body = "".join(f"\\pard\\f0\\fs24 {escape(p)}\\par\r\n" for p in paragraphs)
    font = escape("宋体")
    head = (
        "{\\rtf1\\ansi\\ansicpg936\\deff0\\deflang1033\\deflangfe2052"
        f"{{\\fonttbl{{\\f0\\fnil\\fcharset134 {font};}}}}\r\n"
    )
    return (head + body + "}\r\n").encode("ascii")


def _contacts_xlsx(path: Path) -> None:
    """A valid workbook that is not a report: the liaison officers' phone list."""
    contacts = {r.unit: r.contact for r in returns_2021()}
    contacts |= {CSV_UNIT: ("田野", "6021160"), NOT_REPLIED: ("吕淑珍", "6021173")}
    wb = xlsxwriter.Workbook(str(path))
    wb.set_properties({"author": "区政府办公室", "created": datetime(2021, 12, 20, tzinfo=timezone.utc)})
    ws = wb.add_worksheet("通讯录")
    bold = wb.add_format({"bold": True})
    ws.write_row(0, 0, ["序号", "单位", "联系人", "办公电话"], bold)
    for i, unit in enumerate(roster_2021(), start=1):
        ws.write_row(i, 0, [i, unit, *contacts[unit]])
    ws.set_column(1, 1, 26)
    ws.set_column(2, 3, 12)
    wb.close()


def _lock_file_bytes(user: str = "caizheng") -> bytes:
    """An Office owner file (~$name.xlsx): the user name in ANSI, then in UTF-16, in 162 bytes."""
    ansi = (bytes([len(user)]) + user.encode("ascii")).ljust(54, b" ")
    wide = len(user).to_bytes(2, "little") + user.encode("utf-16-le")
    wide += " ".encode("utf-16-le") * ((162 - len(ansi) - len(wide)) // 2)
    assert len(ansi + wide) == 162
    return ansi + wide


CSV_FILE = f"{CSV_UNIT}.xlsx"
NOTE_FILE = "说明.xlsx"
CONTACTS_FILE = "联络员通讯录.xlsx"
LOCK_FILE = "~$区财政局.xlsx"


def write_2021(folder: Path) -> list[Path]:
    out = []
    returns = returns_2021()
    for r in returns:
        path = folder / f"{r.file}.xlsx"
        build_template(path, r.edition, 2021, unit=r.unit, values=r.values, contact=r.contact)
        if r.edits:
            rewrite_xlsx(path, r.edits)
        if r.truncate:
            path.write_bytes(path.read_bytes()[: r.truncate])
        out.append(path)
    (folder / CSV_FILE).write_bytes(_csv_bytes())
    (folder / NOTE_FILE).write_bytes(_rtf_bytes())
    _contacts_xlsx(folder / CONTACTS_FILE)
    (folder / LOCK_FILE).write_bytes(_lock_file_bytes())
    roster = folder / ROSTER_NAME
    roster.write_text("".join(f"{u}\n" for u in roster_2021()), encoding="utf-8")
    readme = folder / "README.md"
    readme.write_text(readme_2021(returns), encoding="utf-8")
    out += [folder / CSV_FILE, folder / NOTE_FILE, folder / CONTACTS_FILE, folder / LOCK_FILE, roster, readme]
    return out


def readme_2021(returns: list[Return2021]) -> str:
    roster = roster_2021()
    lines = [
        "# 2021 年度演示数据：某区各单位报送的统计表（含常见错误）",
        "",
        "本文件夹由 `python samples/make_samples.py` 生成，请勿手工修改。",
        "",
        "虚构的“某区”政务公开办按《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）"
        "收集 2021 年度统计表。各单位用 govxl 生成的模板填报，但和现实中一样，回收的文件里有各种问题："
        "每种常见错误在下面的某一份文件中出现一次，其余数据都正确、勾稽关系成立。"
        "汇总这个文件夹时，govxl 应当逐一报告下列问题。",
        "",
        f"`{ROSTER_NAME}` 是应报送单位名单（{len(roster)} 个单位，每行一个）。",
        "",
        "## 名单核对",
        "",
        f"- {NOT_REPLIED}：在名单中，但没有报送文件，应报告“未报送”。",
        f"- {NOT_ON_ROSTER}：报送了文件，但不在名单中，应提示。",
        "",
        "## 各文件的问题",
        "",
        "单元格位置写作“工作表!单元格”。",
        "",
        "| 文件 | 填报单位 | 问题 |",
        "|---|---|---|",
    ]
    rows: list[tuple[str, str, list[str]]] = [(f"{r.file}.xlsx", r.unit, r.mistakes) for r in returns]
    rows += [
        (
            CSV_FILE,
            CSV_UNIT,
            [
                "实为 CSV 文本文件（Excel“另存为 CSV”后改了扩展名），不是 xlsx 工作簿，无法按模板读取，"
                "应报告并请该单位重新报送。"
            ],
        ),
        (
            NOTE_FILE,
            "（区住房和城乡建设局的附件）",
            ["实为 Word 保存的 RTF 文档，扩展名被改成了 .xlsx，不是工作簿，应报告无法读取。"],
        ),
        (
            CONTACTS_FILE,
            "—",
            ["正常的 xlsx 工作簿，但只有一张“通讯录”工作表，不是统计表模板，应报告并跳过。"],
        ),
        (
            LOCK_FILE,
            "—",
            ["Office 锁定文件（区财政局的报表在 Excel 中打开时生成的隐藏文件），不是报表，汇总时应直接忽略、不报错。"],
        ),
    ]
    for file, unit, mistakes in rows:
        text = "<br>".join(f"{i}. {m}" if len(mistakes) > 1 else m for i, m in enumerate(mistakes, start=1))
        lines.append(f"| `{file}` | {unit} | {text} |")
    lines += [
        "",
        "## 说明",
        "",
        "#REF!、没有计算结果的公式和日期三处是在生成模板之后直接改写工作表 XML 得到的，"
        "所以这三份文件中各表“校验结果”和封面“校验结论”保存的计算结果仍是改写前的；"
        "用 Excel 或 WPS 打开时会重新计算。汇总程序不应依赖文件中保存的校验结果。",
        "",
        "## 没有问题的文件",
        "",
        "“区人民政府办公室.xlsx”“区统计局.xlsx”以及两份区民政局报表的数据本身没有错误，可用来对照。",
        "",
    ]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------


def generated_names() -> dict[str, list[str]]:
    """The files this script owns, by folder (relative to the samples folder)."""
    return {
        DIR_2020: [f"{r.unit}.xlsx" for r in returns_2020()],
        DIR_2021: [
            *(f"{r.file}.xlsx" for r in returns_2021()),
            CSV_FILE,
            NOTE_FILE,
            CONTACTS_FILE,
            LOCK_FILE,
            ROSTER_NAME,
            "README.md",
        ],
    }


def make_samples(root: Path) -> list[Path]:
    """(Re)create the demo data under ``root`` (the samples folder); return the files written."""
    for folder, names in generated_names().items():
        (root / folder).mkdir(parents=True, exist_ok=True)
        for name in names:
            (root / folder / name).unlink(missing_ok=True)
    written = write_2020(root / DIR_2020) + write_2021(root / DIR_2021)
    expected = {root / folder / name for folder, names in generated_names().items() for name in names}
    assert set(written) == expected, set(written) ^ expected
    return written


if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    for p in make_samples(here):
        print(p.relative_to(here))
