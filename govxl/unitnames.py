"""One unit under several spellings of its name: the key by which a unit's returns, roster lines and last
year's figures are matched."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# A trailing remark: an opening bracket, text without round, square or lenticular brackets, a closing bracket
_OPENERS = frozenset("([【〔<〈《")
_CLOSERS = frozenset(")]】〕>〉》")
_INNER_BANNED = frozenset("()[]【】〔〕")
_REMARK_WORDS = ("章", "更正", "修改", "修订", "定稿", "终稿", "最终", "草稿", "报送", "正式", "版")


@lru_cache(maxsize=65536)
def unit_key(name: str) -> str:
    """Names that differ only in spaces, full-width forms, punctuation or a trailing remark
    such as （盖章） or （更正） are one unit."""
    s = "".join(unicodedata.normalize("NFKC", name).split())
    s = s[: _end_without_remarks(s)]
    return "".join(ch for ch in s if not unicodedata.category(ch).startswith(("P", "S"))) or s


def _end_without_remarks(s: str) -> int:
    """Where the name ends once its trailing remarks are cut, each at its leftmost possible opening bracket.
    Scanned back from the end: searched from the start for each remark, as a pattern did, a name of thousands of
    brackets or remarks took seconds to minutes."""
    end = len(s)
    while end > 1 and s[end - 1] in _CLOSERS:
        start = None
        for i in range(end - 2, -1, -1):
            if s[i] in _OPENERS:
                start = i
            if s[i] in _INNER_BANNED:
                break
        if not start or not any(w in s[start + 1 : end - 1] for w in _REMARK_WORDS):
            break
        end = start
    return end
