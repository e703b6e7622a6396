"""The rule expression language: linear (in)equalities over cell keys.

    constraint := side ("==" | "<=" | ">=") side
    side       := term (("+" | "-") term)*
    term       := NUMBER | KEY | "sum(" KEY ")"

A key inside ``sum()`` may contain ``@group`` segments, which expand to
every member of the named group.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import product

_TOKEN = re.compile(r"\s*(?:(==|<=|>=)|([+\-()])|(\d+(?:\.\d+)?)|(sum)(?=\()|([A-Za-z_@][\w.@]*))")


@dataclass(frozen=True)
class Side:
    terms: tuple[tuple[str, int], ...]  # (key, coefficient)
    const: float = 0.0

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(k for k, _ in self.terms)


@dataclass(frozen=True)
class Constraint:
    lhs: Side
    op: str  # "==", "<=", ">="
    rhs: Side

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.lhs.keys + self.rhs.keys))

    def __str__(self) -> str:
        return f"{_show(self.lhs)} {self.op} {_show(self.rhs)}"


def _show(side: Side) -> str:
    parts = [("-" if c < 0 else "+") + k for k, c in side.terms]
    if side.const or not parts:
        parts.append(f"+{side.const:g}")
    return " ".join(parts).lstrip("+")


class ExprError(ValueError):
    pass


def parse(text: str, groups: Mapping[str, tuple[str, ...]]) -> Constraint:
    tokens = _tokenize(text)
    pos = 0

    def side() -> Side:
        nonlocal pos
        terms: list[tuple[str, int]] = []
        const = 0.0
        sign = 1
        expect_term = True
        while pos < len(tokens) and tokens[pos] not in ("==", "<=", ">="):
            tok = tokens[pos]
            if not expect_term:
                if tok not in ("+", "-"):
                    raise ExprError(f"{text!r}: expected + or - before {tok!r}")
                sign = 1 if tok == "+" else -1
                pos += 1
                expect_term = True
                continue
            if tok == "sum":
                if tokens[pos + 1 : pos + 2] != ["("] or tokens[pos + 3 : pos + 4] != [")"]:
                    raise ExprError(f"{text!r}: sum() takes one key pattern")
                terms.extend((k, sign) for k in expand(tokens[pos + 2], groups))
                pos += 4
            elif re.fullmatch(r"\d+(?:\.\d+)?", tok):
                const += sign * float(tok)
                pos += 1
            elif tok[0].isalpha() or tok[0] == "_":
                if "@" in tok:
                    raise ExprError(f"{text!r}: group {tok!r} outside sum()")
                terms.append((tok, sign))
                pos += 1
            else:
                raise ExprError(f"{text!r}: unexpected {tok!r}")
            expect_term = False
        if expect_term:
            raise ExprError(f"{text!r}: missing term")
        return Side(tuple(terms), const)

    lhs = side()
    if pos >= len(tokens):
        raise ExprError(f"{text!r}: no comparison")
    op = tokens[pos]
    pos += 1
    rhs = side()
    if pos != len(tokens):
        raise ExprError(f"{text!r}: trailing {tokens[pos]!r}")
    return Constraint(lhs, op, rhs)


def expand(pattern: str, groups: Mapping[str, tuple[str, ...]]) -> list[str]:
    choices = []
    for seg in pattern.split("."):
        if seg.startswith("@"):
            if seg[1:] not in groups:
                raise ExprError(f"unknown group {seg!r} in {pattern!r}")
            choices.append(groups[seg[1:]])
        else:
            choices.append((seg,))
    return [".".join(parts) for parts in product(*choices)]


def _tokenize(text: str) -> list[str]:
    out: list[str] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ExprError(f"{text!r}: cannot read at {text[pos:]!r}")
        out.append(next(g for g in m.groups() if g is not None))
        pos = m.end()
    return out
