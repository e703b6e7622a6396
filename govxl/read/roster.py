"""The list of units expected to report (名单): from .txt, .csv or .xlsx."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from pathlib import Path

from govxl.errors import InputError
from govxl.io import decode_text
from govxl.results.roster import Roster, RosterProblem
from govxl.unitnames import unit_key

NAME_COLUMN = "单位名称"
ALIAS_COLUMN = "其他名称"  # optional in a workbook or CSV roster: other names a unit's returns arrive under
ALIAS_SEPARATOR = "；"  # between other names (half-width ; too)
_HAS_WORD = re.compile(r"[\w\u4e00-\u9fff]")
_MARK = re.compile("[=＝]")  # in a text roster: 区财政局 = 牡丹江市西安区财政局；财政局
_SEPARATORS = re.compile("[;；]")


def read_roster(path: Path) -> Roster:
    """Read unit names and their other names; blank, duplicate and meaningless lines become problems, never
    silently dropped; another name that is a roster unit's name, or another unit's other name, is refused."""
    if not path.exists():
        raise InputError(f"找不到名单文件：{path}")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls"):
        rows = _column_from_workbook(path)
    elif suffix == ".csv":
        rows = _column_from_csv(path)
    else:
        # lines end at line breaks only: U+2028 or NEL pasted from a web page stays inside its name
        lines = re.split(r"\r\n|\n|\r", _decode(path))
        if lines[-1] == "":  # the break that ends the last line
            lines.pop()
        rows = [(n, *split_aliases(text), text) for n, text in enumerate(lines, start=1)]
    roster = Roster(path)
    seen: dict[str, int] = {}
    given: list[tuple[int, str, str]] = []  # (line, unit, other names as typed)
    for line, raw, others, text in rows:
        name = raw.strip().strip("\ufeff").strip()
        if not name:
            roster.problems.append(RosterProblem(line, text, "空行，已跳过"))
        elif not _HAS_WORD.search(name):
            roster.problems.append(RosterProblem(line, text, "不是有效的单位名称，已跳过"))
        elif unit_key(name) in seen:
            also = "（其中的其他名称也未采用）" if others.strip() else ""
            roster.problems.append(RosterProblem(line, text, f"与第{seen[unit_key(name)]}行重复，已跳过{also}"))
        else:
            seen[unit_key(name)] = line
            roster.units.append(name)
            roster.lines[name] = line
            given.append((line, name, others))
    names = {unit_key(u): u for u in roster.units}
    taken: dict[str, str] = {}  # other name's key -> its unit
    for line, name, others in given:
        _take_aliases(roster, line, name, others, names, taken)
    roster.problems.sort(key=lambda p: p.line)  # listed as the file reads
    if not roster.units:
        raise InputError(
            f"名单文件 {path} 中没有读到任何单位名称。请每行填写一个单位名称（表格文件请使用“{NAME_COLUMN}”列）。"
        )
    return roster


def is_name(text: str) -> bool:
    """Whether a text can be a unit's name (it has a letter, digit or Chinese character)."""
    return bool(_HAS_WORD.search(text))


def split_aliases(text: str) -> tuple[str, str]:
    """A text roster's line: the unit's name, and what follows its first ``=`` (its other names). A line that
    begins with ``=`` (a name like ``=1+1``) is a name."""
    m = _MARK.search(text)
    if m is None or not text[: m.start()].strip():
        return text, ""
    return text[: m.start()], text[m.end() :]


def _take_aliases(
    roster: Roster, line: int, unit: str, others: str, names: dict[str, str], taken: dict[str, str]
) -> None:
    for typed in _SEPARATORS.split(others):
        alias = typed.strip()
        key = unit_key(alias)
        if not alias:
            continue  # nothing between two separators, or after the last one
        if not _HAS_WORD.search(alias):
            reason = f"“{unit}”的其他名称“{alias}”不是有效的单位名称，已跳过"
            roster.problems.append(RosterProblem(line, typed, reason))
        elif key == unit_key(unit) or taken.get(key) == unit:
            reason = f"“{unit}”的其他名称“{alias}”与该单位的名称或其他名称重复，已跳过"
            roster.problems.append(RosterProblem(line, typed, reason))
        elif key in names or key in taken:
            other = names.get(key) or taken[key]
            at = roster.lines[other]
            what = f"第{at}行的单位“{other}”" if key in names else f"第{at}行“{other}”的其他名称"
            raise InputError(
                f"名单文件 {roster.path} 第{line}行：“{unit}”的其他名称“{alias}”已是名单中{what}。"
                "一个名称只能属于一个单位，否则无法判断封面写这个名称的报表是哪个单位的；请在名单中删去不对的一处后重新运行。"
            )
        else:
            roster.aliases.setdefault(unit, []).append(alias)
            taken[key] = unit


def problem_lines(problems: list[RosterProblem]) -> list[str]:
    """Each line of the roster that was skipped or changed, as the commands list them."""
    lines = []
    for p in problems:
        shown = p.text if len(p.text) <= 40 else p.text[:40] + "…"
        lines.append(f"  第{p.line}行“{shown}”：{p.reason}")
    return lines


def near_miss(a: str, b: str) -> bool:
    """Two unit names close enough to be one unit mistyped, abbreviated or renamed, but not the same name."""
    ka, kb = unit_key(a), unit_key(b)
    if ka == kb or min(len(ka), len(kb)) < 3:
        return False
    return ka in kb or kb in ka or _within(ka, kb, 2) or _renamed(ka, kb)


def _renamed(a: str, b: str) -> bool:
    """A name shortened inside (区城市管理综合执法局 → 区城市管理局): same beginning and ending, the shorter name's
    characters in order within the longer one."""
    short, long = sorted((a, b), key=len)
    if len(short) < 4 or short[:3] != long[:3] or short[-1] != long[-1]:
        return False
    rest = iter(long)
    return all(ch in rest for ch in short)


def near_pairs(missing: Iterable[str], extra: Iterable[str]) -> list[tuple[str, str]]:
    """(a, b) for every name a of ``missing`` and b of ``extra`` that may be one unit (:func:`near_miss`): a unit
    expected but not found, and one found but not expected."""
    extra = list(extra)
    return [(m, e) for m in missing for e in extra if near_miss(m, e)]


def _within(a: str, b: str, most: int) -> bool:
    """Whether the Levenshtein distance of a and b is at most ``most``. Only the cells within ``most`` of the
    diagonal are computed (the others are beyond it): two names of thousands of characters took minutes."""
    if abs(len(a) - len(b)) > most:
        return False
    beyond = most + 1
    previous = {j: j for j in range(min(len(b), most) + 1)}
    for i, x in enumerate(a, start=1):
        current: dict[int, int] = {}
        for j in range(max(0, i - most), min(len(b), i + most) + 1):
            if j == 0:
                current[j] = i
                continue
            replace = previous.get(j - 1, beyond) + (x != b[j - 1])
            current[j] = min(replace, previous.get(j, beyond) + 1, current.get(j - 1, beyond) + 1, beyond)
        if min(current.values()) > most:
            return False
        previous = current
    return previous.get(len(b), beyond) <= most


def _decode(path: Path) -> str:
    return decode_text(path.read_bytes(), f"名单文件 {path} ")


def _column_from_csv(path: Path) -> list[tuple[int, str, str, str]]:
    rows = list(csv.reader(io.StringIO(_decode(path))))
    return _named_column(path, rows)


def _column_from_workbook(path: Path) -> list[tuple[int, str, str, str]]:
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(path))
        rows = wb.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception as e:  # calamine raises several types for unreadable files
        raise InputError(  # calamine's own message is English
            f"无法读取名单文件 {path}：文件已损坏、已加密或不是 Excel 工作簿。请在 Excel 或 WPS 中另存为 .xlsx，"
            "或把单位名称复制到文本文件中，每行一个。"
        ) from e
    return _named_column(path, [["" if v is None else str(v) for v in row] for row in rows])


def _named_column(path: Path, rows: list[list[str]]) -> list[tuple[int, str, str, str]]:
    """(row number, name, other names, the name as shown) of each row below the header."""
    for i, row in enumerate(rows):
        cells = [c.strip().strip("\ufeff") for c in row]
        if NAME_COLUMN in cells:
            col = cells.index(NAME_COLUMN)
            other = cells.index(ALIAS_COLUMN) if ALIAS_COLUMN in cells else None

            def cell(r: list[str], c: int | None) -> str:
                return r[c] if c is not None and c < len(r) else ""

            return [(j + 1, cell(r, col), cell(r, other), cell(r, col)) for j, r in enumerate(rows) if j > i]
    raise InputError(f"名单文件 {path} 中找不到“{NAME_COLUMN}”列。请在第一行写上“{NAME_COLUMN}”，下面每行一个单位。")
