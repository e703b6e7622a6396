"""The 2019 试行 format (国办公开办函〔2019〕60号), report years 2019–2020."""

from __future__ import annotations

from govxl.editions import shared
from govxl.editions.model import Block, BlockTable, Edition, Kind, leaf

_PREV_ITEMS = leaf("上一年项目数量", "prev_items")
_DELTA = leaf("本年增/减", "delta", Kind.SIGNED)
_DECISIONS = leaf("处理决定数量", "decisions")

T2 = BlockTable(
    key="t2",
    sheet="表二",
    title=shared.T2_TITLE,
    blocks=(
        Block(
            "第二十条第（一）项",
            shared.T2_CORNER,
            (
                leaf("本年新制作数量", "new_made"),
                leaf("本年新公开数量", "new_published"),
                leaf("对外公开总数量", "total_published"),
            ),
            (leaf("规章", "regulations"), leaf("规范性文件", "normative")),
        ),
        Block(
            "第二十条第（五）项",
            shared.T2_CORNER,
            (_PREV_ITEMS, _DELTA, _DECISIONS),
            (leaf("行政许可", "licensing"), leaf("其他对外管理服务事项", "other_services")),
        ),
        Block(
            "第二十条第（六）项",
            shared.T2_CORNER,
            (_PREV_ITEMS, _DELTA, _DECISIONS),
            (leaf("行政处罚", "penalty"), leaf("行政强制", "coercion")),
        ),
        Block(
            "第二十条第（八）项",
            shared.T2_CORNER,
            (_PREV_ITEMS, _DELTA),
            (leaf("行政事业性收费", "fees"),),
        ),
        Block(
            "第二十条第（九）项",
            shared.T2_CORNER,
            (leaf("采购项目数量", "projects"), leaf("采购总金额", "amount", Kind.AMOUNT)),
            (leaf("政府集中采购", "procurement"),),
            note="采购总金额请填写数字，单位：万元",
        ),
    ),
)

T3 = shared.t3_table(leaf(shared.T3_OTHER_LABEL, "other"))

EDITION = Edition(
    id="2019",
    name="《中华人民共和国政府信息公开工作年度报告格式（试行）》（国办公开办函〔2019〕60号）",
    short_name="2019年试行格式",
    years=(2019, 2020),
    tables=(T2, T3, shared.T4),
    groups={
        **shared.shared_groups(T3),
        "t2_docs": shared.leaf_keys(T2.blocks[0].rows),
        "t2_doc_cols": shared.leaf_keys(T2.blocks[0].columns),
        "t2_items": shared.leaf_keys(tuple(r for b in T2.blocks[1:4] for r in b.rows)),
    },
    t2_sentence=(
        "本年新制作{@regulations}{regulations.new_made}件、{@normative}{normative.new_made}件，"
        "新公开{@regulations}{regulations.new_published}件、{@normative}{normative.new_published}件，"
        "对外公开{@regulations}总数{regulations.total_published}件、{@normative}总数{normative.total_published}件；"
        "{@licensing}处理决定{licensing.decisions}件，{@other_services}处理决定{other_services.decisions}件，"
        "{@penalty}处理决定{penalty.decisions}件，{@coercion}处理决定{coercion.decisions}件；"
        "{@procurement}项目{procurement.projects}个，采购总金额{procurement.amount}万元。"
    ),
)
