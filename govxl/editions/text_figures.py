"""How the words of a report restate its tables' figures (C12): phrases as data, each tied to one figure.

Each phrase is a regular expression whose one group is the number; ``keys`` are the table cells (per
edition) whose sum the sentence restates. A sentence that matches no phrase is left alone: nothing is
guessed. The variants are those real reports use (收到/受理/新收, 共, 办结 …).
"""

from __future__ import annotations

from dataclasses import dataclass, field

_NUMBER = r"(\d[\d,，]*(?:\.\d+)?)"


@dataclass(frozen=True)
class Phrase:
    name: str  # what the sentence states, for messages
    pattern: str  # one group: the number
    keys: dict[str, tuple[str, ...]]  # edition id -> the cells summed
    unit: str = "件"
    # other sums of cells the same words may state: 受理 counts the applications carried over from last year too
    also: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)


def _both(*keys: str) -> dict[str, tuple[str, ...]]:
    return {"2019": keys, "2021": keys}


PHRASES: tuple[Phrase, ...] = (
    Phrase(
        "本年新收政府信息公开申请",
        r"(?:本年|全年|本年度|年内)?(?:共)?(?:新收|收到|受理|接收)(?:各类)?"
        r"(?:政府信息公开|依申请公开(?:政府信息)?)申请(?:共|合计)?" + _NUMBER + r"件",
        _both("t3.new_received.total"),
        also={e: (("t3.new_received.total", "t3.carried_over.total"),) for e in ("2019", "2021")},
    ),
    Phrase(
        "本年办理政府信息公开申请",
        r"(?:全年|本年|本年度|年内)?(?:共|依法)?(?:办理|办结)(?:了)?(?:依申请公开|政府信息公开申请|依申请公开政府信息申请)"
        r"(?:申请)?(?:件)?(?:共|合计)?" + _NUMBER + r"件",
        _both("t3.new_received.total"),
        # what was handled may count the new applications, those carried over too, or the results (（七）总计)
        also={e: (("t3.new_received.total", "t3.carried_over.total"), ("t3.total.total",)) for e in ("2019", "2021")},
    ),
    Phrase(
        "上年结转",
        r"上年(?:度)?结转(?:政府信息公开申请|申请)?(?:共)?" + _NUMBER + r"件",
        _both("t3.carried_over.total"),
    ),
    Phrase("予以公开", r"予以公开" + _NUMBER + r"件", _both("t3.granted.total")),
    # not "予以公开及部分公开258件", which sums two rows
    Phrase("部分公开", r"(?<![及和与、])部分公开" + _NUMBER + r"件", _both("t3.partial.total")),
    Phrase(
        "结转下年度继续办理",
        r"结转(?:至)?下(?:一)?年度(?:继续办理)?(?:的)?(?:共)?" + _NUMBER + r"件",
        _both("t3.carry_forward.total"),
    ),
    Phrase("行政复议", r"(?:提起|发生|收到)?行政复议(?:案件)?(?:共)?" + _NUMBER + r"件", _both("t4.review.total")),
    Phrase(
        "行政诉讼",
        r"(?:提起|发生|收到)?行政诉讼(?:案件)?(?:共)?" + _NUMBER + r"件",
        _both("t4.lit_direct.total", "t4.lit_after_review.total"),
    ),
    Phrase(
        "本年制发规章",
        r"(?:本年)?(?:新)?(?:制发|制定|出台|印发)(?:政府)?规章(?:共)?" + _NUMBER + r"件",
        {"2019": ("t2.regulations.new_made",), "2021": ("t2.regulations.issued",)},
    ),
    Phrase(
        "本年制发行政规范性文件",
        r"(?:本年)?(?:新)?(?:制发|制定|出台|印发)(?:行政)?规范性文件(?:共)?" + _NUMBER + r"件",
        {"2019": ("t2.normative.new_made",), "2021": ("t2.normative.issued",)},
    ),
    Phrase(
        "现行有效规章", r"现行有效(?:的)?(?:政府)?规章(?:共)?" + _NUMBER + r"件", {"2021": ("t2.regulations.in_force",)}
    ),
    Phrase(
        "现行有效行政规范性文件",
        r"现行有效(?:的)?(?:行政)?规范性文件(?:共)?" + _NUMBER + r"件",
        {"2021": ("t2.normative.in_force",)},
    ),
    Phrase("行政许可处理决定", r"行政许可(?:处理)?决定(?:共)?" + _NUMBER + r"件", _both("t2.licensing.decisions")),
    Phrase("行政处罚处理决定", r"行政处罚(?:处理)?决定(?:共)?" + _NUMBER + r"件", _both("t2.penalty.decisions")),
    Phrase("行政强制处理决定", r"行政强制(?:处理)?决定(?:共)?" + _NUMBER + r"件", _both("t2.coercion.decisions")),
    Phrase(
        "行政事业性收费金额",
        r"(?:行政事业性收费)?(?:本年)?收费(?:金额|总额)(?:共|为)?" + _NUMBER + r"万元",
        {"2021": ("t2.fees.amount",)},
        unit="万元",
    ),
)
