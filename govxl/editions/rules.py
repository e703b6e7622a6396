"""The tallying rules (勾稽关系) and plausibility checks, as data.

Ids follow the specification (editions.md §6). ``expr`` is a linear
constraint over cell keys in the small language of :mod:`govxl.judge.expr`:

    t3.new_received.{c} + t3.carried_over.{c} == t3.total.{c} + t3.carry_forward.{c}
    t3.{r}.total == sum(t3.{r}.@applicants)

``{v}`` is bound by ``foreach`` to each member of a named key group of the
edition; ``@group`` inside ``sum()`` expands to all its members. In
``message``, ``{v}`` is the label of the bound row or column and ``{lhs}``,
``{rhs}`` are the values of the two sides at check time.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from govxl.editions.model import Kind


class Severity(str, Enum):
    ERROR = "错误"
    HINT = "提示"


BOTH = ("2019", "2021")
OLD = ("2019",)
NEW = ("2021",)

_T3_NOTE = "表三表头注：本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和"


@dataclass(frozen=True)
class RuleSpec:
    id: str
    severity: Severity
    title: str  # short description shown beside the check cell
    message: str
    source: str
    expr: str = ""  # for check == "linear"
    foreach: tuple[tuple[str, str], ...] = ()
    editions: tuple[str, ...] = BOTH
    check: str = "linear"  # linear | domain | blank
    kinds: tuple[Kind, ...] = ()  # for domain checks
    prefill: bool = False  # the template prefills the left-hand cell with the right-hand sum
    previous: tuple[str, ...] = ()  # cross-year rules: editions last year's figures may be in ("prev." keys)
    since: int = 0  # first report year a rule applies to

    @property
    def cross_year(self) -> bool:
        return bool(self.previous)


RULES: tuple[RuleSpec, ...] = (
    RuleSpec(
        "D1",
        Severity.ERROR,
        "本年上年结转等于上年结转下年度（{c}）",
        "表三“{c}”列：本年“二、上年结转政府信息公开申请数量”为{lhs}，上年报表“四、结转下年度继续办理”为{rhs}，二者应相等",
        "跨年度勾稽：本年上年结转数即上年结转下年度继续办理数",
        expr="t3.carried_over.{c} == prev.t3.carry_forward.{c}",
        foreach=(("c", "t3_cols"),),
        previous=BOTH,
    ),
    RuleSpec(
        "D2",
        Severity.HINT,
        "现行有效件数等于上年现行有效件数加本年制发减本年废止（{r}）",
        "表二“{r}”：现行有效件数为{lhs}，上年现行有效件数加本年制发件数减本年废止件数为{rhs}；如有修订、到期失效等情况请在说明中注明",
        "跨年度勾稽：现行有效件数 = 上年现行有效件数 + 本年制发件数 − 本年废止件数（2022年度起）",
        expr="t2.{r}.in_force == prev.t2.{r}.in_force + t2.{r}.issued - t2.{r}.repealed",
        foreach=(("r", "t2_docs"),),
        editions=NEW,
        previous=NEW,
        since=2022,
    ),
    RuleSpec(
        "D3",
        Severity.HINT,
        "上一年项目数量等于上年报表的项目数量加增减（{r}）",
        "表二“{r}”：上一年项目数量为{lhs}，上年报表的上一年项目数量加本年增/减为{rhs}",
        "跨年度勾稽：本年“上一年项目数量”= 上年“上一年项目数量”+ 上年“本年增/减”（2019→2020）",
        expr="t2.{r}.prev_items == prev.t2.{r}.prev_items + prev.t2.{r}.delta",
        foreach=(("r", "t2_items"),),
        editions=OLD,
        previous=OLD,
    ),
    RuleSpec(
        "A1",
        Severity.ERROR,
        "第一项加第二项之和等于第三项加第四项之和（{c}）",
        "表三“{c}”列：第一项加第二项之和为{lhs}，第三项加第四项之和为{rhs}，二者应相等",
        _T3_NOTE,
        expr="t3.new_received.{c} + t3.carried_over.{c} == t3.total.{c} + t3.carry_forward.{c}",
        foreach=(("c", "t3_cols"),),
    ),
    RuleSpec(
        "B1",
        Severity.ERROR,
        "总计等于各类申请人之和（{r}）",
        "表三“{r}”行：总计为{lhs}，各类申请人之和为{rhs}，二者应相等",
        "表三结构：总计列为申请人各列之和",
        expr="t3.{r}.total == sum(t3.{r}.@applicants)",
        foreach=(("r", "t3_rows"),),
        prefill=True,
    ),
    RuleSpec(
        "B2",
        Severity.ERROR,
        "（七）总计等于各项办理结果之和（{c}）",
        "表三“{c}”列：（七）总计为{lhs}，（一）至（六）各项办理结果之和为{rhs}，二者应相等",
        "表三结构：（七）总计为本年度办理结果各项之和",
        expr="t3.total.{c} == sum(t3.@results.{c})",
        foreach=(("c", "t3_cols"),),
        prefill=True,
    ),
    RuleSpec(
        "B3",
        Severity.ERROR,
        "总计等于各项结果之和（{b}）",
        "表四“{b}”：总计为{lhs}，结果维持、结果纠正、其他结果、尚未审结之和为{rhs}，二者应相等",
        "表四结构：总计为各项结果之和",
        expr="t4.{b}.total == sum(t4.{b}.@t4_parts)",
        foreach=(("b", "t4_blocks"),),
        prefill=True,
    ),
    RuleSpec(
        "C1",
        Severity.ERROR,
        "各项数量应为非负整数",
        "有{lhs}个单元格不是非负整数，请查看标红的单元格",
        "数量为件数、项数，应为非负整数",
        check="domain",
        kinds=(Kind.COUNT,),
    ),
    RuleSpec(
        "C2",
        Severity.ERROR,
        "本年增/减应为整数，金额应为非负数",
        "有{lhs}个单元格不符合要求（本年增/减应为整数，金额应为非负数字），请查看标红的单元格",
        "本年增/减可为负数；金额以万元为单位，可有小数",
        check="domain",
        kinds=(Kind.SIGNED, Kind.AMOUNT),
    ),
    RuleSpec(
        "C3",
        Severity.HINT,
        "不应留空或填写“/”等符号",
        "有{lhs}个单元格为空白或填写了“/”“—”“无”等符号，汇总时按0计算；没有数据请填写0",
        "年报各单元格应填写数字，没有数据的填0",
        check="blank",
    ),
    RuleSpec(
        "C4",
        Severity.HINT,
        "金额以万元为单位，数值是否过大",
        "金额为{lhs}万元，数值较大，请确认是否误以“元”为单位填写（应以万元为单位）",
        "金额单位为万元；过大的数值多为误填为元",
        expr="t2.fees.amount <= 100000",
        editions=NEW,
    ),
    RuleSpec(
        "C4",
        Severity.HINT,
        "采购总金额以万元为单位，数值是否过大",
        "采购总金额为{lhs}万元，数值较大，请确认是否误以“元”为单位填写（应以万元为单位）",
        "采购总金额应以万元为单位；过大的数值多为误填为元",
        expr="t2.procurement.amount <= 100000",
        editions=OLD,
    ),
    RuleSpec(
        "C5",
        Severity.HINT,
        "结转下年度不超过新收与上年结转之和（{c}）",
        "表三“{c}”列：结转下年度继续办理为{lhs}，超过了本年新收与上年结转之和{rhs}",
        "由第一项加第二项之和等于第三项加第四项之和推出",
        expr="t3.carry_forward.{c} <= t3.new_received.{c} + t3.carried_over.{c}",
        foreach=(("c", "t3_cols"),),
    ),
    RuleSpec(
        "C6",
        Severity.HINT,
        "结转下年度不超过本年新收（{c}）",
        "表三“{c}”列：结转下年度继续办理为{lhs}，超过本年新收申请{rhs}，上年结转的申请一般应在本年办结",
        "上年结转申请应在法定期限内办结（推断）",
        expr="t3.carry_forward.{c} <= t3.new_received.{c}",
        foreach=(("c", "t3_cols"),),
    ),
    RuleSpec(
        "C7",
        Severity.HINT,
        "尚未审结不超过总计（{b}）",
        "表四“{b}”：尚未审结为{lhs}，超过了总计{rhs}",
        "由总计为各项结果之和推出",
        expr="t4.{b}.pending <= t4.{b}.total",
        foreach=(("b", "t4_blocks"),),
    ),
    RuleSpec(
        "C8",
        Severity.HINT,
        "本年新公开数量不超过对外公开总数量（{r}）",
        "表二“{r}”：本年新公开数量为{lhs}，超过了对外公开总数量{rhs}",
        "对外公开总数量包含本年新公开的文件（推断）",
        expr="t2.{r}.new_published <= t2.{r}.total_published",
        foreach=(("r", "t2_docs"),),
        editions=OLD,
    ),
    RuleSpec(
        "C16",
        Severity.HINT,
        "本年新制作数量与本年新公开数量一致（{r}）",
        "表二“{r}”：本年新制作数量为{lhs}，本年新公开数量为{rhs}；规章和规范性文件应当公开，请核实",
        "规章和规范性文件应当主动公开（推断）",
        expr="t2.{r}.new_made == t2.{r}.new_published",
        foreach=(("r", "t2_docs"),),
        editions=OLD,
    ),
    RuleSpec(
        "C9",
        Severity.HINT,
        "上一年项目数量加本年增/减不为负（{r}）",
        "表二“{r}”：上一年项目数量与本年增/减之和为{lhs}，项目数量不能为负",
        "本年项目数量 = 上一年项目数量 + 本年增/减，不能小于0",
        expr="t2.{r}.prev_items + t2.{r}.delta >= 0",
        foreach=(("r", "t2_items"),),
        editions=OLD,
    ),
    RuleSpec(
        "C10",
        Severity.HINT,
        "本年制发件数不超过现行有效件数与本年废止件数之和（{r}）",
        "表二“{r}”：本年制发件数为{lhs}，超过了现行有效件数与本年废止件数之和{rhs}",
        "现行有效件数 = 上年现行有效件数 + 本年制发件数 − 本年废止件数，上年数不小于0",
        expr="t2.{r}.issued <= t2.{r}.in_force + t2.{r}.repealed",
        foreach=(("r", "t2_docs"),),
        editions=NEW,
    ),
    RuleSpec(
        "C11",
        Severity.HINT,
        "规章数量（无规章制定权的机关应为0）",
        "表二“规章”行合计为{lhs}：只有省级、设区的市级人民政府和国务院部门可以制定规章，其他机关应填0，请核实",
        "《中华人民共和国立法法》规章制定权（推断）",
        expr="sum(t2.regulations.@t2_doc_cols) == 0",
    ),
)
