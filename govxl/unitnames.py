"""One unit under several spellings of its name: the key by which a unit's returns, roster lines and last
year's figures are matched."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_REMARK = re.compile(r"[(\[【〔<〈《]([^()\[\]【】〔〕]*)[)\]】〕>〉》]$")
_REMARK_WORDS = ("章", "更正", "修改", "修订", "定稿", "终稿", "最终", "草稿", "报送", "正式", "版")


@lru_cache(maxsize=65536)
def unit_key(name: str) -> str:
    """Names that differ only in spaces, full-width forms, punctuation or a trailing remark
    such as （盖章） or （更正） are one unit."""
    s = "".join(unicodedata.normalize("NFKC", name).split())
    while (m := _REMARK.search(s)) and m.start() > 0 and any(w in m.group(1) for w in _REMARK_WORDS):
        s = s[: m.start()]
    return "".join(ch for ch in s if not unicodedata.category(ch).startswith(("P", "S"))) or s
