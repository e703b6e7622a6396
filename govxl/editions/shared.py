"""Labels shared by both editions: the section titles, 表三 (all but its
（六）其他处理 rows) and 表四, verbatim from the official formats."""

from __future__ import annotations

from govxl.editions.model import MatrixTable, Node, group, leaf

T2_TITLE = "二、主动公开政府信息情况"
T3_TITLE = "三、收到和处理政府信息公开申请情况"
T4_TITLE = "四、政府信息公开行政复议、行政诉讼情况"

T2_CORNER = "信息内容"
T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

T3_APPLICANTS = (
    leaf("自然人", "natural"),
    group(
        "法人或其他组织",
        leaf("商业企业", "commercial"),
        leaf("科研机构", "research"),
        leaf("社会公益组织", "public_welfare"),
        leaf("法律服务机构", "legal_service"),
        leaf("其他", "other_org"),
    ),
)
T3_COLUMNS = (group("申请人情况", *T3_APPLICANTS, leaf("总计", "total")),)

T3_RESULTS_BEFORE_OTHER = (
    leaf("（一）予以公开", "granted"),
    leaf("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "partial"),
    group(
        "（三）不予公开",
        leaf("1.属于国家秘密", "denied_1"),
        leaf("2.其他法律行政法规禁止公开", "denied_2"),
        leaf("3.危及“三安全一稳定”", "denied_3"),
        leaf("4.保护第三方合法权益", "denied_4"),
        leaf("5.属于三类内部事务信息", "denied_5"),
        leaf("6.属于四类过程性信息", "denied_6"),
        leaf("7.属于行政执法案卷", "denied_7"),
        leaf("8.属于行政查询事项", "denied_8"),
    ),
    group(
        "（四）无法提供",
        leaf("1.本机关不掌握相关政府信息", "unable_1"),
        leaf("2.没有现成信息需要另行制作", "unable_2"),
        leaf("3.补正后申请内容仍不明确", "unable_3"),
    ),
    group(
        "（五）不予处理",
        leaf("1.信访举报投诉类申请", "not_processed_1"),
        leaf("2.重复申请", "not_processed_2"),
        leaf("3.要求提供公开出版物", "not_processed_3"),
        leaf("4.无正当理由大量反复申请", "not_processed_4"),
        leaf("5.要求行政机关确认或重新出具已获取信息", "not_processed_5"),
    ),
)
T3_OTHER_LABEL = "（六）其他处理"
T3_TOTAL = leaf("（七）总计", "total")


def t3_table(other: Node) -> MatrixTable:
    """表三 with the edition's （六）其他处理 row or rows."""
    return MatrixTable(
        key="t3",
        sheet="表三",
        title=T3_TITLE,
        corner=T3_NOTE,
        columns=T3_COLUMNS,
        rows=(
            leaf("一、本年新收政府信息公开申请数量", "new_received"),
            leaf("二、上年结转政府信息公开申请数量", "carried_over"),
            group("三、本年度办理结果", *T3_RESULTS_BEFORE_OTHER, other, T3_TOTAL),
            leaf("四、结转下年度继续办理", "carry_forward"),
        ),
        label_columns=3,
    )


def _outcomes() -> tuple[Node, ...]:
    return (
        leaf("结果维持", "upheld"),
        leaf("结果纠正", "corrected"),
        leaf("其他结果", "other"),
        leaf("尚未审结", "pending"),
        leaf("总计", "total"),
    )


T4 = MatrixTable(
    key="t4",
    sheet="表四",
    title=T4_TITLE,
    columns=(
        group("行政复议", *_outcomes(), key="review"),
        group(
            "行政诉讼",
            group("未经复议直接起诉", *_outcomes(), key="lit_direct"),
            group("复议后起诉", *_outcomes(), key="lit_after_review"),
        ),
    ),
)


def leaf_keys(nodes: tuple[Node, ...]) -> tuple[str, ...]:
    return tuple(k for n in nodes for k, _, _ in n.leaves())


def shared_groups(t3: MatrixTable) -> dict[str, tuple[str, ...]]:
    """Named key groups that the rules iterate over."""
    results_node = next(n for n in t3.rows if n.children)
    results = tuple(k for k in leaf_keys(results_node.children) if k != T3_TOTAL.key)
    return {
        "t3_rows": leaf_keys(t3.rows),
        "t3_cols": leaf_keys(t3.columns),
        "applicants": leaf_keys(T3_APPLICANTS),
        "results": results,
        "t4_blocks": tuple(n.key for top in T4.columns for n in (top, *top.children) if n.key and n.children),
        "t4_parts": tuple(n.key for n in _outcomes() if n.key != "total"),
    }
