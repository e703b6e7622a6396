"""How a label printed in a published report relates to an official one: its numbering, and near spellings.

Real reports print labels without their numbering (OCR drops "一、" and "（一）"), with a character wrong or
missing, or with a few characters lost ("2.其他法律行政止公开"). These helpers judge such labels against the
edition's vocabulary; :mod:`govxl.read.reporttables` reads the row into the official cell and says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|\d+\.)")


_SUB_NUMBERING = re.compile(r"^(?:(\d+)[、,，.．]|\((\d+)\)|(\d+)\))(?=\D)")


def renumbered(label: str) -> str:
    """A (normalised) label with a sub-row's numbering as the editions print it: "1、" "1." "1．" "(1)" "1)" all
    become "1." (offices number with whichever their word processor offers)."""
    m = _SUB_NUMBERING.match(label)
    if m is None:
        return label
    return f"{next(g for g in m.groups() if g)}.{label[m.end() :]}"


def numbering(label: str) -> str:
    """The numbering a (normalised) label starts with: "一、", "(一)", "1."; "" when none."""
    m = _NUMBERING.match(label)
    return m.group() if m else ""


def unnumbered(label: str) -> str:
    return label[len(numbering(label)) :]


def distance(a: str, b: str, most: int) -> int:
    """Edit distance (characters replaced, missing or added), or most + 1 once it is beyond most."""
    if abs(len(a) - len(b)) > most:
        return most + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j - 1] + (ca != cb), prev[j] + 1, cur[j - 1] + 1))
        if min(cur) > most:
            return most + 1
        prev = cur
    return prev[-1]


def allowed(label: str) -> int:
    """Characters a printed label may differ by: one, and one more for every three beyond six."""
    return 1 + max(0, len(label) - 6) // 3


def nearest(text: str, labels: Iterable[str]) -> str | None:
    """The one label the text is near (same numbering, within :func:`allowed` edits); None when no label is,
    or when two are equally near."""
    own = numbering(text)
    best: list[tuple[int, str]] = []
    for label in labels:
        if numbering(label) != own or len(label) < 4:
            continue
        d = distance(text, label, allowed(label))
        if d <= allowed(label):
            best.append((d, label))
    if not best:
        return None
    best.sort()
    if len(best) > 1 and best[1][0] == best[0][0]:
        return None
    return best[0][1]
