"""A PDF's characters as lines, words and cells: what pdftables reads a cell's text and a line outside ruled
tables with.

A line is cut into cells where it is laid out as a table row: at wide gaps (a tab, a column of an unruled
table), between two values and between a label and the values after it; a line of prose stays whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from govxl.normalize import is_value_like

Row = list[str]
Cell = tuple[str, float, float]  # text, x0, x1

WIDE_GAP = 0.9  # a gap this many character heights wide sets two cells apart (a tab, a column)
WORD_GAP = 0.15  # a gap this many character heights wide separates two words


# no two runs of spaces side by side (\s*[/，,]?\s*): a line of a number and thousands of spaces took quadratic time
_PAGE_NUMBER = re.compile(r"[-—–－\s]*(?:第\s*)?\d+(?:\s*页)?(?:\s*(?:[/，,]\s*)?共\s*\d+\s*页)?[-—–－\s]*")


def without_page_numbers(chars: list[dict], height: float) -> list[dict]:  # type: ignore[type-arg]
    """The page without its number ("- 3 -", "第3页 共5页") in the top or bottom margin: it is no report text,
    and a table cut by the page break would take it into its last cells."""
    out = []
    for top, line in text_lines(chars):
        text = "".join(c["text"] for c in line)
        decorated = any(mark in text for mark in "-—–－第页")  # a bare number may be a table's value
        if decorated and _PAGE_NUMBER.fullmatch(text) and (top > 0.88 * height or top < 0.08 * height):
            continue
        out += line
    return out


def wrapped(before: tuple[Row, list[dict]], line: list[dict], cells: Row, right: float) -> bool:  # type: ignore[type-arg]
    """A line of values only, starting no further right than the row above it, right under it; that row values
    (after a label, or values only) that fill the line."""
    row, above = before
    size = max(c["bottom"] - c["top"] for c in line) or 10.0
    return (
        len(row) >= 2
        and all(is_value_like(c) and c.strip() for c in [*row[-1:], *cells])
        and max(c["x1"] for c in above) >= right - 2 * size
        and min(c["x0"] for c in line) <= min(c["x0"] for c in above) + size
        and min(c["top"] for c in line) - max(c["bottom"] for c in above) < size
    )


def cell_text(chars: list[dict]) -> str:  # type: ignore[type-arg]
    """A cell's lines joined: nothing between Chinese text wrapped over lines (nor between the digits of a
    number wrapped in a narrow cell), a space only between two words of Latin letters."""
    text = ""
    for _, line in text_lines(chars):
        piece = joined_words(w for w, _, _ in line_words(line))
        if text and piece and text[-1].isascii() and text[-1].isalpha() and piece[0].isascii() and piece[0].isalpha():
            text += " "
        text += piece
    return " ".join(text.split())


# ---------------------------------------------------------------- lines and words


def text_lines(chars: list[dict]) -> Iterator[tuple[float, list[dict]]]:  # type: ignore[type-arg]
    """Characters grouped into lines: those whose middle lies within a line's height join it (a character set a
    little higher or lower, as justified or mixed-font lines have, stays on its line)."""
    lines: list[list[dict]] = []  # type: ignore[type-arg]
    extents: list[list[float]] = []  # each line's [top, bottom], kept as it grows (found again for each character, a
    # line of thousands of characters took quadratic time)
    for ch in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        middle = (ch["top"] + ch["bottom"]) / 2
        for line, extent in zip(reversed(lines[-3:]), reversed(extents[-3:]), strict=True):
            if extent[0] <= middle <= extent[1]:
                line.append(ch)
                extent[0], extent[1] = min(extent[0], ch["top"]), max(extent[1], ch["bottom"])
                break
        else:
            lines.append([ch])
            extents.append([ch["top"], ch["bottom"]])
    for line, extent in zip(lines, extents, strict=True):
        line.sort(key=lambda c: c["x0"])
        yield extent[0], line


def line_words(line: list[dict]) -> list[tuple[str, float, float]]:  # type: ignore[type-arg]
    """(text, x0, x1) of each word: characters set apart by a space or a gap."""
    words: list[tuple[str, float, float]] = []
    text, x0, x1 = "", 0.0, 0.0
    for ch in line:
        size = ch["bottom"] - ch["top"] or 10.0
        if not ch["text"].strip():
            if text:
                words.append((text, x0, x1))
                text = ""
            continue
        if text and ch["x0"] - x1 > WORD_GAP * size:
            words.append((text, x0, x1))
            text = ""
        if not text:
            x0 = ch["x0"]
        text += ch["text"]
        x1 = max(x1, ch["x1"]) if text != ch["text"] else ch["x1"]
    if text:
        words.append((text, x0, x1))
    return words


_SENTENCE = re.compile(r"[。；！？]")
_PROSE = re.compile(r"[。，；：！？]")
_GLUED = re.compile(r"(.*[^\x00-\x7f])(\d+)")


def line_cells(line: list[dict]) -> list[Cell]:  # type: ignore[type-arg]
    """A line outside the ruled tables. Cells are cut where the line is laid out as a table row: at wide gaps
    (a tab, a column of an unruled table), between two values, and between a label and the values after it;
    a sentence ("受理申请 17 件") stays one cell."""
    words = line_words(line)
    if not words:
        return [("", 0.0, 0.0)]
    size = max(c["bottom"] - c["top"] for c in line) or 10.0
    values = [is_value_like(w) for w, _, _ in words]
    trailing = 0  # values at the end of the line, after its text
    while trailing < len(words) and values[len(words) - 1 - trailing]:
        trailing += 1
    first_value = len(words) - trailing
    glued = _GLUED.fullmatch(words[first_value - 1][0]) if trailing and first_value else None
    if glued:  # a label the next column's value touches ("行政事业性收费0": a tab that ended at its stop)
        word, x0, x1 = words[first_value - 1]
        words[first_value - 1 : first_value] = [(glued[1], x0, x1), (glued[2], x1, x1)]
        values.insert(first_value, True)
        trailing += 1
    text = "".join(w for w, _, _ in words[:first_value])
    label_then_values = trailing >= 2 and first_value > 0 and not _SENTENCE.search(text) and len(text) <= 60
    gaps = [words[i][1] - words[i - 1][2] for i in range(1, len(words))]
    if not label_then_values and _PROSE.search(text) and max(gaps, default=0) < WIDE_GAP * size:
        return [
            (joined_words(w for w, _, _ in words), words[0][1], words[-1][2])
        ]  # a line of prose, its spaces stretched by justification
    cells: list[Cell] = [words[0]]
    for i in range(1, len(words)):
        word, x0, _ = words[i]
        gap = x0 - words[i - 1][2]
        cut = (
            gap >= WIDE_GAP * size
            or (values[i] and values[i - 1])
            or (label_then_values and i == first_value)
            or (label_then_values and i > first_value)
        )
        if cut:
            cells.append(words[i])
        else:
            text, start, _ = cells[-1]
            cells[-1] = (joined_words([text, word]), start, words[i][2])
    return cells


def joined_words(words: Iterable[str]) -> str:
    """Words of one line, a space between two as printed ("申请 17 件"), but none inside Chinese text (a gap
    between two Chinese characters is justification, not a space)."""
    out = ""
    for word in words:
        out += " " + word if out and (out[-1].isascii() or word[0].isascii()) else word
    return out


def cell_text_join(a: str, b: str) -> str:
    if a and b and a[-1].isascii() and a[-1].isalpha() and b[0].isascii() and b[0].isalpha():
        return f"{a} {b}"
    return a + b
