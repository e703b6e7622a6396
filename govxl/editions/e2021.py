"""The format of 国办公开办函〔2021〕30号, report years 2021 on."""

from __future__ import annotations

from govxl.editions import shared
from govxl.editions.model import Block, BlockTable, Edition, Kind, group, leaf

_DECISIONS = leaf("本年处理决定数量", "decisions")

T2 = BlockTable(
    key="t2",
    sheet="表二",
    title=shared.T2_TITLE,
    blocks=(
        Block(
            "第二十条第（一）项",
            shared.T2_CORNER,
            (
                leaf("本年制发件数", "issued"),
                leaf("本年废止件数", "repealed"),
                leaf("现行有效件数", "in_force"),
            ),
            (leaf("规章", "regulations"), leaf("行政规范性文件", "normative")),
        ),
        Block("第二十条第（五）项", shared.T2_CORNER, (_DECISIONS,), (leaf("行政许可", "licensing"),)),
        Block(
            "第二十条第（六）项",
            shared.T2_CORNER,
            (_DECISIONS,),
            (leaf("行政处罚", "penalty"), leaf("行政强制", "coercion")),
        ),
        Block(
            "第二十条第（八）项",
            shared.T2_CORNER,
            (leaf("本年收费金额（单位：万元）", "amount", Kind.AMOUNT),),
            (leaf("行政事业性收费", "fees"),),
        ),
    ),
)

_OTHER_1 = "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
_OTHER_2 = "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
_OTHER_3 = "3.其他"

T3 = shared.t3_table(
    group(
        shared.T3_OTHER_LABEL,
        leaf(_OTHER_1, "other_1"),
        leaf(_OTHER_2, "other_2"),
        leaf(_OTHER_3, "other_3"),
    )
)

EDITION = Edition(
    id="2021",
    name="《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）",
    short_name="2021年格式",
    years=(2021, 2030),
    tables=(T2, T3, shared.T4),
    groups={
        **shared.shared_groups(T3),
        "t2_docs": shared.leaf_keys(T2.blocks[0].rows),
        "t2_doc_cols": shared.leaf_keys(T2.blocks[0].columns),
        "t2_items": (),
    },
    t2_sentence=(
        "本年制发{@regulations}{regulations.issued}件、{@normative}{normative.issued}件，"
        "废止{@regulations}{regulations.repealed}件、{@normative}{normative.repealed}件，"
        "现行有效{@regulations}{regulations.in_force}件、{@normative}{normative.in_force}件；"
        "{@licensing}处理决定{licensing.decisions}件，{@penalty}处理决定{penalty.decisions}件，"
        "{@coercion}处理决定{coercion.decisions}件；{@fees}本年收费金额{fees.amount}万元。"
    ),
    # Copies of the format disagree on this mark; both are read.
    variants={_OTHER_1: (_OTHER_1.replace("、", "，"),), _OTHER_2: (_OTHER_2.replace("、", "，"),)},
    # the 2019 format's single row, still printed in new tables (淮安市洪泽区 2023, 2024)
    printed_rows={shared.T3_OTHER_LABEL: _OTHER_3},
)
