"""Tables whose cells ran together: "（一）予以公开2000002（二）部分公开…" read back into cells.

Scrapers and some copy-pastes drop the separators between a published table's
cells. Two steps undo that: :func:`separate` cuts such text at the edition's
labels into rows of a label and its digit run, and :func:`splits` lists every
way a digit run can be cut into a row's cells; :func:`best_readings` then keeps
the readings under which the table's own tallying rules hold (row 总计 = the
applicant columns, the column rules of 表三, the totals of 表四), and says when
more than one does.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from govxl.editions.model import Kind
from govxl.judge.engine import Check, compare, evaluate
from govxl.normalize import is_value_like
from govxl.read.labelmatch import nearest
from govxl.read.workbook import norm

Row = list[str]
Reading = dict[str, float | None]

MAX_SPLITS = 5000  # ways to cut one row's digits; beyond this the row is not split
MAX_KEPT = 200  # readings of one row kept for the joint search (those breaking fewest of the row's own rules)
MAX_NODES = 200_000  # steps of the joint search before it settles for the best found
MAX_SOLUTIONS = 1000

_RUN = re.compile(r"[0-9.\-]+(?:万元|元)?|/")
_UNIT = re.compile(r"(万元|元)$")
_NUMBER = {
    Kind.COUNT: re.compile(r"0|[1-9]\d*"),
    Kind.SIGNED: re.compile(r"-?(?:0|[1-9]\d*)"),
    Kind.AMOUNT: re.compile(r"(?:0|[1-9]\d*)(?:\.\d+)?"),
}
_SPACE = re.compile(r"\s+")
_LOOSE_SPACE = re.compile(r"(?<![0-9.\-/])\s+|\s+(?![0-9.\-/])")  # spaces not between two digits


# ---------------------------------------------------------------- text into rows


@cache
def _pattern(labels: frozenset[str]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(t) for t in sorted(labels, key=len, reverse=True)))


def _tokens(cell: str, labels: frozenset[str]) -> list[tuple[str, str]] | None:
    """("label", text) and ("run", digits) tokens when the cell is nothing but labels and digit runs."""
    out: list[tuple[str, str]] = []
    pattern = _pattern(labels)
    for piece in _SPACE.split(_LOOSE_SPACE.sub("", unicodedata.normalize("NFKC", cell)).strip()):
        at = 0
        for m in [*pattern.finditer(piece), None]:
            gap = piece[at : m.start() if m else len(piece)]
            if gap:
                runs = _RUN.findall(gap)
                if "".join(runs) != gap:
                    return None  # other text: a sentence, not a table row
                out += [("run", r) for r in runs]
            if m:
                out.append(("label", m.group()))
                at = m.end()
    return out if len(out) > 1 and any(k == "label" for k, _ in out) else None


_VALUE = re.compile(r"\s*[0-9.\-/]*\s*")
_UNIT_VALUE = re.compile(r"\s*[0-9.,]+\s*(?:万元|元|件|个|项)\s*")
_SENTENCE = re.compile(r"[。；：！？]")


@lru_cache(maxsize=65536)
def _plain(cell: str, known: frozenset[str]) -> bool:
    """A cell that cannot hold labels and digits run together: a value, one label, or a sentence."""
    return bool(_VALUE.fullmatch(cell) or _SENTENCE.search(cell)) or norm(cell) in known


def separate(
    rows: Sequence[Row], labels: Iterable[str], titles: Iterable[str], said: list[tuple[str, str]] | None = None
) -> tuple[list[Row], int]:
    """Rows whose cells ran together cut at the labels: a new row at each label after a digit run,
    each table title on a row of its own, and the words around the tables (a whole page on one line)
    on rows of their own. Returns the rows and how many cells were cut; a misspelt title read as the
    official one is added to ``said`` as (printed, official)."""
    said = [] if said is None else said
    titled = frozenset(titles)
    known = frozenset(labels) | titled
    out: list[Row] = []
    cut = 0
    for row in rows:
        parts = [_cell_tokens(cell, known, titled, said) for cell in row]
        if len(row) > 1 and any(p is None and not _plain(c, known) for c, p in zip(row, parts, strict=True)):
            # a label cut into cells (an ideographic space read as a cell break): the row's text read as one
            joined = " ".join(c.strip() for c in row if c.strip())
            tokens = _cell_tokens(joined, known, titled, said)
            if tokens:
                row, parts = [joined], [tokens]
        if not any(parts):
            out.append(list(row))
            continue
        cut += sum(p is not None for p in parts)
        current: Row = []
        last = ""
        for cell, tokens in zip(row, parts, strict=True):
            for kind, text in tokens or [("cell", cell)]:
                if kind == "text":  # words are a row of their own
                    if current:
                        out.append(current)
                    out.append([text])
                    current, last = [], ""
                    continue
                if current and (text in titled or last in titled or (kind == "label" and last == "run")):
                    out.append(current)
                    current = []
                current.append(text)
                last = "run" if kind == "run" else text if kind == "label" else "cell"
        if current:
            out.append(current)
    return out, cut


_SPACED = re.compile(r"\s*(?:-?[0-9][0-9.]*|/)(?:\s+(?:-?[0-9][0-9.]*|/))+\s*")


def _cell_tokens(
    cell: str, known: frozenset[str], titles: frozenset[str], said: list[tuple[str, str]]
) -> list[tuple[str, str]] | None:
    tokens = _row_tokens(cell, known)
    if tokens is None and len(cell) > 20 and "、" in cell and _holds_title(cell, titles):
        return _page_tokens(cell, known, titles, said)
    return tokens


def _holds_title(cell: str, titles: frozenset[str]) -> bool:
    text = _compact(cell)
    return any(t in text for t in titles)


@lru_cache(maxsize=16384)  # cells repeat from report to report ("0 0 0", "规章000")
def _row_tokens(cell: str, known: frozenset[str]) -> list[tuple[str, str]] | None:
    if " " in cell and _SPACED.fullmatch(cell):  # "1 0 0 0 1 2": numbers set apart by spaces are cells
        return [("run", r) for r in cell.split()]
    return None if _plain(cell, known) else _tokens(cell, known)


_HEADING = re.compile(r"[一二三四五六七八九十]+、")  # a section of the report: where the tables end
_LEADING_RUNS = re.compile(r"^(?:[0-9][0-9.\-]*(?:万元|元)?|/)(?:\s*(?:[0-9][0-9.\-]*(?:万元|元)?|/))*")


def _compact(cell: str) -> str:
    """NFKC, the spaces inside words dropped ("本年度办 理结果"); a space kept only between two numbers."""
    pieces = unicodedata.normalize("NFKC", cell).split()
    out = pieces[:1]
    for piece in pieces[1:]:
        out.append(" " + piece if _DIGITISH.match(piece) and _DIGITISH.match(out[-1][-1]) else piece)
    return "".join(out)


_DIGITISH = re.compile(r"[0-9./\-]")


def _compact_origin(cell: str) -> list[int | None]:
    """For each character of ``_compact(cell)``, where in the cell it was printed (None where that is not known):
    a label found in a page on one line is quoted as printed, full-width brackets and all."""
    chars: list[str] = []
    origin: list[int | None] = []
    for m in re.finditer(r"\S+", cell):
        piece = [(unicodedata.normalize("NFKC", ch), m.start() + i) for i, ch in enumerate(m.group())]
        first = "".join(n for n, _ in piece)[:1]
        if chars and _DIGITISH.match(first) and _DIGITISH.match(chars[-1]):
            chars.append(" ")
            origin.append(None)
        for normal, at in piece:
            chars += list(normal)
            origin += [at] * len(normal)
    return origin if "".join(chars) == _compact(cell) else [None] * len(_compact(cell))


def near_substring(text: str, word: str, most: int = 1) -> tuple[int, int] | None:
    """Where text holds word with at most one character wrong, missing or added (Sellers' edit distance over
    substrings); None when it does not, or does so at more than one place."""
    if len(word) < 6:
        return None
    m = len(word)
    # with at most `most` edits, all but `most` of the word's disjoint pieces are in the text as they are:
    # the search runs only where they are (and not at all where too few are)
    pieces = [word[k : k + 4] for k in range(0, m - 3, 4)]
    places = [text.find(p) for p in pieces]
    if sum(at >= 0 for at in places) < len(pieces) - most:
        return None
    low = max(0, min(at for at in places if at >= 0) - m)
    high = max(at for at in places if at >= 0) + 2 * m
    if low > 0 or high < len(text):
        found = near_substring(text[low:high], word, most)
        return (found[0] + low, found[1] + low) if found else None
    hits: list[tuple[int, int, int]] = []  # (cost, start, end)
    prev = list(range(m + 1))
    starts = [0] * (m + 1)
    for j, ch in enumerate(text, 1):
        cur, cur_start = [0], [j]
        for i in range(1, m + 1):
            cost, start = min(
                (prev[i - 1] + (word[i - 1] != ch), starts[i - 1]),
                (prev[i] + 1, starts[i]),
                (cur[i - 1] + 1, cur_start[i - 1]),
            )
            cur.append(cost)
            cur_start.append(start)
        if cur[m] <= most:
            hits.append((cur[m], cur_start[m], j))
        prev, starts = cur, cur_start
    if not hits or any(h[1] >= hits[0][2] for h in hits):  # none, or two places apart
        return None
    _, start, end = min(hits, key=lambda h: (h[0], abs(h[2] - h[1] - m)))
    return start, end


_NUMBERED = re.compile(r"(\d\.)(\D{3,40}?)(?=\d|$)")  # "2.其他法律行政止公开" before its row's digits


def _misprinted(text: str, labels: frozenset[str]) -> frozenset[str]:
    """Numbered row labels printed with a character or a few wrong or missing ("2.其他法律行政止公开"), as
    printed: cut at like the labels, and read into the official row they are near (said there, R6)."""
    out = set()
    for m in _NUMBERED.finditer(text):
        printed = m.group(1) + m.group(2)
        official = printed in labels or any(printed.startswith(lb) for lb in labels if lb[:2] == printed[:2])
        if not official and nearest(printed, labels) is not None:
            out.add(printed)
    return frozenset(out)


def _page_tokens(
    cell: str, labels: frozenset[str], titles: frozenset[str], said: list[tuple[str, str]]
) -> list[tuple[str, str]] | None:
    """A whole page on one line ("…一、总体情况…二、主动公开政府信息情况第二十条第（一）项…规章 000…五、存在的
    主要问题…"): the words before the first table title as one text token; from it, the labels and the digit
    runs after them; the words from the next section heading that is not a label on, as one text token."""
    text = _compact(cell)
    origin = _compact_origin(cell)
    labels = labels | _misprinted(text, labels)
    found = list(_pattern(labels).finditer(text))
    missing = [t for t in titles if t not in {m.group() for m in found}]
    if missing and any(m.group() in titles for m in found):  # a title misspelt ("行政法复议"): put right, said
        for title in missing:
            at = near_substring(text, title)
            if at is not None:
                said.append((text[at[0] : at[1]], title))
                text = text[: at[0]] + title + text[at[1] :]
                origin = origin[: at[0]] + [None] * len(title) + origin[at[1] :]
        found = list(_pattern(labels).finditer(text))

    def printed(m: re.Match[str]) -> str:
        """A row label as the page prints it (a title as the edition does: the tables are cut at titles)."""
        where = origin[m.start() : m.end()]
        if m.group() in titles or None in where:
            return m.group()
        return cell[where[0] : where[-1] + 1]  # type: ignore[operator]

    at_titles = [i for i, m in enumerate(found) if m.group() in titles]
    if not at_titles:
        return None
    first, last = at_titles[0], at_titles[-1]
    out: list[tuple[str, str]] = []
    start = found[first].start()
    if text[:start].strip():
        out.append(("text", text[:start].strip()))
    for k, m in enumerate(found[first:]):
        out.append(("label", printed(m)))
        end = found[first + k + 1].start() if first + k + 1 < len(found) else len(text)
        gap = text[m.end() : end]
        runs = _LEADING_RUNS.match(gap.strip())
        numbers = runs.group() if runs else ""
        out += [("run", r) for r in _RUN.findall(numbers)]
        rest = gap.strip()[len(numbers) :].strip()
        if not rest:
            continue
        heading = _HEADING.search(rest) if k >= last - first else None
        if heading:  # the report goes on after its last table: the rest of the page is words
            words = rest[: heading.start()].strip()
            out += [("text", words)] if words else []
            out.append(("text", (rest[heading.start() :] + text[end:]).strip()))
            return out
        out.append(("text", rest))
    return out


class Assembled(list[str]):
    """A row put together from several lines of the document (a wrapped label, values on lines of their own):
    where a table's values are printed apart from its labels, such a row's values may be another row's."""


def gather(rows: Sequence[Row], labels: frozenset[str]) -> list[Row]:
    """A table set a cell to a line ("规章 |" / "21 |" / "0 |" / "21 |"): each label and the values on the lines
    after it made one row again."""
    out: list[Row] = []
    i = 0
    while i < len(rows):
        first = rows[i]
        row = list(first)
        i += 1
        texts = [c for c in row if c.strip()]
        if len(texts) == 1 and norm(texts[0]) in labels:
            gap = 1 if _blank(rows, i) and not _blank(rows, i + 1) else 0  # pdftotext: a blank line between cells
            while all(_blank(rows, k) for k in range(i, i + gap)) and (k := i + gap) < len(rows):
                given = [c for c in rows[k] if c.strip()]
                if len(given) != 1 or not (_value_like(given[0]) or is_value_like(given[0])):  # —, 无, １２, 1,234
                    break
                row.append(given[0])
                i = k + 1
        out.append(Assembled(row) if len(row) > len(first) or isinstance(first, Assembled) else row)
    return out


def _blank(rows: Sequence[Row], i: int) -> bool:
    return i < len(rows) and not any(c.strip() for c in rows[i])


def join_wrapped(rows: Sequence[Row], labels: frozenset[str], most: int = 3) -> list[Row]:
    """A long row label wrapped over lines (text extracted from a PDF: "（二）部分公开（区分处理的，只计这一情 形，不" /
    "计其他情形）" / "9 0 0 0 0 0 9") joined into one row: the label's pieces joined when together they make a
    label of the vocabulary, and the row's values, on whichever of its lines they are, after it."""
    prefixes = _prefixes(labels)
    out: list[Row] = []
    i = 0
    rows = [_joined_cells(row, labels, prefixes) for row in rows]
    while i < len(rows):
        row = rows[i]
        joined = _wrapped_at(rows, i, labels, prefixes, most)
        if joined is None:
            out.append(list(row))
            i += 1
            continue
        label, values, used = joined
        out.append(Assembled([label, *values]))
        i += used
    return out


_norm = lru_cache(maxsize=65536)(norm)  # every cell of every row, many of them alike


@cache
def _prefixes(labels: frozenset[str]) -> frozenset[str]:
    return frozenset(label[:k] for label in labels for k in range(4, len(label)))


def _joined_cells(row: Row, labels: frozenset[str], prefixes: frozenset[str]) -> Row:
    """A label cut into two or three cells of one row (a PDF cell's lines read as cells) joined again."""
    for j, cell in enumerate(row):
        text = _norm(cell)
        if text in labels or text not in prefixes:
            continue
        for k in range(j + 1, min(j + 3, len(row))):
            text += _norm(row[k])
            if text in labels:
                return [*row[:j], text, *row[k + 1 :]]
            if text not in prefixes:
                break
    return row


@lru_cache(maxsize=65536)
def _is_word(cell: str) -> bool:
    """A cell of words: not blank, not a value, not a digit run."""
    return bool(cell.strip()) and not _value_like(cell) and not _RUN.fullmatch(cell.strip())


def _wrapped_at(
    rows: Sequence[Row], i: int, labels: frozenset[str], prefixes: frozenset[str], most: int
) -> tuple[str, list[str], int] | None:
    words = [c for c in rows[i] if _is_word(c)]
    if len(words) != 1:
        return None
    text = _norm(words[0])
    if text in labels or text not in prefixes:
        return None
    values = _values_after(rows[i], words[0])
    for k in range(i + 1, min(i + 1 + most, len(rows))):
        more = [c for c in rows[k] if _is_word(c)]
        if len(more) > 1 or (more and _norm(more[0]) in labels):
            return None
        found = _values_after(rows[k], more[0]) if more else _values_after(rows[k], "")
        if found and values:
            return None  # values on two lines: not one row's
        values = values or found
        if more:
            text += _norm(more[0])
        if text in labels:
            after = _values_after(rows[k + 1], "") if k + 1 < len(rows) and _only_values(rows[k + 1]) else []
            if not values and len([c for c in after if c.strip()]) > 1:  # a line of values: the row's
                return text, after, k + 2 - i
            return text, values, k + 1 - i
        if more and text not in prefixes:
            return None
    return None


def _values_after(row: Row, word: str) -> list[str]:
    """The cells after the label piece (all of a line of values when word is ""), blank cells kept but those
    before the first value (the label columns of a line that holds only values)."""
    cells = row[row.index(word) + 1 :] if word else list(row)
    if not word or not any(c.strip() for c in cells):
        while cells and not cells[0].strip():
            cells.pop(0)
    return cells if any(c.strip() for c in cells) else []


def _only_values(row: Row) -> bool:
    given = [c for c in row if c.strip()]
    return bool(given) and all(_value_like(c) or _RUN.fullmatch(c.strip()) for c in given)


def _value_like(cell: str) -> bool:
    return bool(_VALUE.fullmatch(cell) or _UNIT_VALUE.fullmatch(cell))


# ---------------------------------------------------------------- digit runs into cells


def is_run(cells: Sequence[str]) -> bool:
    """Whether a row's value cells are digit runs that may hold more cells than they show."""
    given = [c.strip() for c in cells if c.strip()]
    return bool(given) and all(_RUN.fullmatch(c) for c in given) and any(len(c) > 1 and c != "/" for c in given)


def splits(cells: Sequence[str], kinds: Sequence[Kind]) -> list[tuple[str, ...]] | None:
    """Every way to cut the runs into len(kinds) numbers that fit their cells; None when there are too many.

    A unit the run ends with (6733.41375万元) stays with the run's last number."""
    runs = [c.strip() for c in cells if c.strip()]
    n = len(kinds)
    out: list[tuple[str, ...]] = []

    def cut(run: int, pos: int, done: tuple[str, ...]) -> bool:
        if len(out) > MAX_SPLITS:
            return False
        if run == len(runs):
            if len(done) == n:
                out.append(done)
            return True
        unit = _UNIT.search(runs[run])
        text = runs[run][: unit.start()] if unit else runs[run]
        left = n - len(done) - (len(runs) - run - 1)  # cells this run may still take, leaving one for each later run
        if left <= 0:
            return True
        if text == "/":
            return cut(run + 1, 0, (*done, "/"))
        for end in range(pos + 1, len(text) + 1):
            part = text[pos:end]
            if not _NUMBER[kinds[len(done)]].fullmatch(part):
                continue
            if end == len(text):
                if not cut(run + 1, 0, (*done, part + (unit.group() if unit else ""))):
                    return False
            elif left > 1 and not cut(run, end, (*done, part)):
                return False
        return True

    if not cut(0, 0, ()) or len(out) > MAX_SPLITS:
        return None
    return out


def summed_splits(
    cells: Sequence[str], kinds: Sequence[Kind], keys: Sequence[str], checks: Sequence[Check]
) -> list[tuple[str, ...]] | None:
    """The cuts under which the row's own rules hold, found directly for the usual row — one digit run of counts
    whose cells are blocks each ending in the sum of the others (表三's 总计, 表四's three 总计): a block's total
    must be the digits of its parts' sum, which prunes the search to what can fit. None: not such a row."""
    runs = [c.strip() for c in cells if c.strip()]
    blocks = _blocks(keys, checks)
    if len(runs) != 1 or not runs[0].isdigit() or any(k is not Kind.COUNT for k in kinds) or not blocks:
        return None
    text = runs[0]
    out: list[tuple[str, ...]] = []

    def block(pos: int, b: int, done: tuple[str, ...]) -> bool:
        if len(out) > MAX_SPLITS:
            return False
        if b == len(blocks):
            if pos == len(text):
                out.append(done)
            return True
        later = sum(blocks[b + 1 :])  # a digit at least for every cell of the blocks after this one
        return part(pos, b, blocks[b] - 1, 0, done, later)

    def part(pos: int, b: int, left: int, total: int, done: tuple[str, ...], later: int) -> bool:
        if left == 0:  # the block's total: exactly the digits of the sum
            shown = str(total)
            return not text.startswith(shown, pos) or block(pos + len(shown), b + 1, (*done, shown))
        for end in range(pos + 1, len(text) + 1):
            piece = text[pos:end]
            if len(piece) > 1 and piece[0] == "0":
                break
            grown = total + int(piece)
            if len(text) - end < (left - 1) + len(str(grown)) + later:
                break  # a longer piece leaves fewer digits for a larger total
            if not part(end, b, left - 1, grown, (*done, piece), later):
                return False
        return True

    if not block(0, 0, ()) or len(out) > MAX_SPLITS:
        return None
    return out


def _blocks(keys: Sequence[str], checks: Sequence[Check]) -> list[int]:
    """The row as consecutive blocks (sizes) whose last cell is the sum of the others; [] when it is not so."""
    at = {k: i for i, k in enumerate(keys)}
    size_at: dict[int, int] = {}  # first cell of a block -> its size
    for check in checks:
        c = check.constraint
        if c is None or not at.keys() >= set(check.cells):
            continue
        if c.op != "==" or c.lhs.const or c.rhs.const or len(c.lhs.terms) != 1 or c.lhs.terms[0][1] != 1:
            return []
        total = at[c.lhs.terms[0][0]]
        parts = sorted(at[k] for k, w in c.rhs.terms if w == 1)
        if len(parts) != len(c.rhs.terms) or parts != list(range(total - len(parts), total)):
            return []
        size_at[total - len(parts)] = len(parts) + 1
    sizes, i = [], 0
    while i < len(keys):
        if i not in size_at:
            return []
        sizes.append(size_at[i])
        i += size_at[i]
    return sizes


def surplus_split(cells: Sequence[str], kinds: Sequence[Kind], most: int = 2) -> tuple[str, ...] | None:
    """When no cut gives the row's cells, the one way to cut it into a few more ("00000000" for 7 cells):
    the surplus values are then dropped as in any row with too many."""
    for extra in range(1, most + 1):
        found = splits(cells, [*kinds, *[kinds[-1]] * extra])
        if found:
            return found[0] if len(found) == 1 else None
    return None


# ---------------------------------------------------------------- the readings the rules allow


@dataclass
class Search:
    failures: int  # rules broken by the best readings
    solutions: list[tuple[int, ...]]  # per row, the index of its reading; all with that many failures
    complete: bool  # False when the search stopped at MAX_NODES or MAX_SOLUTIONS


def components(rows: Sequence[Sequence[Reading]], checks: Sequence[Check]) -> list[list[int]]:
    """Groups of rows that share a rule: each group's readings are chosen on their own."""
    owner = {key: i for i, readings in enumerate(rows) for key in readings[0]}
    group = list(range(len(rows)))

    def root(i: int) -> int:
        while group[i] != i:
            i = group[i]
        return i

    for check in checks:
        mine = sorted({owner[k] for k in check.cells if k in owner})
        for other in mine[1:]:
            group[root(other)] = root(mine[0])
    out: dict[int, list[int]] = {}
    for i in range(len(rows)):
        out.setdefault(root(i), []).append(i)
    return list(out.values())


def best_readings(
    base: Mapping[str, float | None], rows: Sequence[Sequence[Reading]], checks: Sequence[Check]
) -> Search:
    """The combinations of one reading per row that break the fewest of the checks (branch and bound)."""
    owner = {key: i for i, readings in enumerate(rows) for key in readings[0]}
    order = sorted(range(len(rows)), key=lambda i: len(rows[i]))
    depth_of = {row: d for d, row in enumerate(order)}
    due: list[list[Check]] = [[] for _ in rows]  # the checks whose cells are all read at each depth
    for check in checks:
        mine = {owner[k] for k in check.cells if k in owner}
        if mine:
            due[max(depth_of[i] for i in mine)].append(check)
    best = Search(len(checks) + 1, [], True)
    values = dict(base)
    chosen = [0] * len(rows)
    nodes = 0

    def walk(depth: int, failures: int) -> None:
        nonlocal nodes
        if depth == len(order):
            if failures < best.failures:
                best.failures, best.solutions, best.complete = failures, [], True
            if len(best.solutions) < MAX_SOLUTIONS:
                best.solutions.append(tuple(chosen))
            else:
                best.complete = False
            return
        row = order[depth]
        for k, reading in enumerate(rows[row]):
            nodes += 1
            if nodes > MAX_NODES:
                best.complete = False
                return
            values.update(reading)
            broken = failures + sum(not evaluate(c, values).passed for c in due[depth])
            if broken <= best.failures:
                chosen[row] = k
                walk(depth + 1, broken)

    walk(0, 0)
    return best


def own_failures(numbers: Sequence[Sequence[float | None]], keys: Sequence[str], checks: Sequence[Check]) -> list[int]:
    """For each reading of one row (numbers aligned with keys), how many of the row's own rules it breaks
    (its 总计 against its parts); the rules are compiled once, as thousands of readings may be tried."""
    at = {k: i for i, k in enumerate(keys)}
    forms = [
        (
            [(at[k], w) for k, w in c.constraint.lhs.terms],
            c.constraint.lhs.const,
            c.constraint.op,
            [(at[k], w) for k, w in c.constraint.rhs.terms],
            c.constraint.rhs.const,
        )
        for c in checks
        if c.constraint is not None and at.keys() >= set(c.cells)
    ]
    out = []
    for row in numbers:
        x = [v or 0.0 for v in row]
        out.append(
            sum(
                not compare(sum(x[i] * w for i, w in lhs) + lc, op, sum(x[i] * w for i, w in rhs) + rc)
                for lhs, lc, op, rhs, rc in forms
            )
        )
    return out
