"""The three tables of a published report, found in the text rows a document reader gives.

A published page is HTML whose tables use rowspan and colspan; text copied or
extracted from one has a cell per tab. Either way the tables carry the artefacts
of typesetting: wrapped label fragments, half-width brackets and stray spaces,
label columns lost at page breaks, surplus cells, units inside amounts, blanks.
Rows are found by their labels (compared after NFKC, without spaces), values
are read after the label, and every guess that could change a number is stated
as an assumption. :func:`read_tables` gives all of it as a value, :class:`TablesRead`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from govxl.editions.model import Edition, Kind, MatrixTable
from govxl.editions.rules import Severity
from govxl.layout import SheetLayout, cell_index, layouts
from govxl.normalize import Cell, State, is_value_like, normalize
from govxl.read.documents import Row
from govxl.read.labelmatch import nearest
from govxl.read.reportalign import resolve_run_together, resolve_surplus
from govxl.read.reportrows import RowRead, TablesReader, count_word
from govxl.read.reporttext import ReportText
from govxl.read.runtogether import Assembled, is_run
from govxl.read.vocabulary import Printed, RowSpec, all_labels, clean, row_specs, vocabulary
from govxl.read.workbook import norm
from govxl.results.findings import (
    DAMAGED_TEXT,
    DETACHED_VALUES,
    LABEL_AS_PRINTED,
    NOT_A_REPORT,
    ROW_NOT_FOUND,
    SHORT_ROW,
    Finding,
)
from govxl.values import show

_SECTION = re.compile(r"^[一二三四五六七八九十]+、")


NOT_FOUND = Cell(State.BLANK, 0.0, None)  # a row the report lacks or could not read: said once (R2, R5), not per cell


@dataclass(frozen=True)
class TablesRead:
    """A report's three tables as read: every cell of the edition, and what the reading noticed."""

    cells: dict[str, Cell]  # every cell of the edition: a row not found or not read is NOT_FOUND
    spans: dict[str, tuple[int, int]]  # table key -> the rows (start, end) it was looked for in
    findings: tuple[Finding, ...]  # how the document was read (R1–R8, C4), in the order they were found
    assumptions: tuple[str, ...]  # every guess that could change a number, in Chinese
    uncertain: frozenset[str]  # cells read from one of several fitting cuts
    unread: frozenset[str]  # digits that could not be cut one way, values not placed (R5, R8): no C3, no rule
    not_found: frozenset[str]  # cells of rows not found in the report (R2)


def read_tables(text: ReportText, edition: Edition, unit: str) -> TablesRead:
    """The edition's tables in one report's rows; first what reading the document noticed (characters that could
    not be decoded, titles printed otherwise)."""
    reader = TablesReader(edition, text.rows, text.shown, unit)
    if text.damaged:
        damaged = sorted(set(text.damaged))
        lines = "、".join(str(n) for n in damaged[:5]) + ("等" if len(damaged) > 5 else "")
        reader.finding(
            Severity.HINT,
            DAMAGED_TEXT,
            f"文件中有{len(text.damaged)}个无法识别的字符（第{lines}行），可能是下载不完整或夹杂了另一种编码的片段；"
            "已替换为“�”，其余照常读取，请核对报告原文",
        )
    lays = layouts(edition)
    for printed, title in dict.fromkeys(text.misprinted):  # a cell may be tokenised twice (alone, then with its row)
        lay = next(lay for lay in lays if norm(lay.table.title) == title)
        shown_title = f"已按{lay.sheet}的标题“{lay.table.title}”读取，请核对"
        reader.finding(Severity.HINT, LABEL_AS_PRINTED, f"报告中的标题印作“{printed}”，{shown_title}", lay)
    cells: dict[str, Cell] = dict.fromkeys(cell_index(edition), NOT_FOUND)
    spans = _segments(text.rows, lays)
    for lay in lays:
        cells.update(_read_table(reader, lay, spans[lay.table.key]))
    return TablesRead(
        cells,
        spans,
        tuple(reader.findings),
        tuple(reader.assumptions),
        frozenset(reader.uncertain),
        frozenset(reader.unread),
        frozenset(reader.not_found),
    )


def _segments(rows: list[Row], lays: Sequence[SheetLayout]) -> dict[str, tuple[int, int]]:
    """Where each table's part of the document starts and ends (the whole document when its title is not found).
    A title printed more than once (a table of contents, a repeated heading) starts the table where the rows
    after it carry the table's own labels."""
    places: dict[str, list[int]] = {}
    headings: list[int] = []
    for i, row in enumerate(rows):
        texts = [t for t in (clean(c) for c in row) if t]
        if len(texts) != 1:
            continue
        for lay in lays:
            title = norm(lay.table.title)
            if title in texts[0] and len(texts[0]) <= len(title) + 6:
                places.setdefault(lay.table.key, []).append(i)
        if _SECTION.match(texts[0]):
            headings.append(i)
    every = sorted(i for found in places.values() for i in found)
    out = {}
    for lay in lays:
        found = places.get(lay.table.key)
        if not found:
            out[lay.table.key] = (0, len(rows))
            continue
        own = {norm(lb.text) for lb in lay.labels if lb.text}
        own_rows = {norm(lb.text) for lb in lay.labels if lb.text and lb.role == "row"}
        spans = []
        for start in found:
            titles = [i for i in every if i > start and not any(clean(c) in own for c in rows[i])]
            after = min(titles, default=len(rows))
            # a section number in a broken table ("三、本法提供": 三、本年度办理结果 run into （四）无法提供) ends
            # it only where none of its row labels comes after it
            ends = [
                i
                for i in headings
                if start < i < after and not any(clean(c) in own_rows for row in rows[i + 1 : after] for c in row)
            ]
            spans.append((start, min(ends, default=after)))
        out[lay.table.key] = max(spans, key=lambda span: _own_labels(rows, span, own)) if len(spans) > 1 else spans[0]
    return out


def _own_labels(rows: list[Row], span: tuple[int, int], own: set[str]) -> int:
    return sum(clean(c) in own for row in rows[span[0] : span[1]] for c in row)


def _read_labelled(reader: TablesReader, lay: SheetLayout, span: tuple[int, int]) -> dict[RowSpec, RowRead]:
    """Rows found by their labels: the value cells after the last label cell."""
    printable = vocabulary(reader.edition, lay)
    by_label = {label: list(p.specs) for label, p in printable.items()}
    groups = {g for s in row_specs(lay) for g in s.groups}
    found: dict[RowSpec, RowRead] = {}
    sole: dict[RowSpec, tuple[RowRead, str]] = {}
    unnumbered_rows: list[str] = []
    at: dict[RowSpec, int] = {}  # the line each row was read from
    used: set[int] = set()  # lines read as a row's values
    context = ""
    for i in range(*span):
        row = reader.rows[i]
        hit: tuple[int, list[RowSpec]] | None = None
        printed: Printed | None = None
        for j, cell in enumerate(row):
            t = clean(cell)
            if t in groups:
                context = t
            p = printable.get(t)
            if p is None or ((p.sole or p.needs_values) and not _numbers_only(row[j + 1 :])):
                continue
            if _values_only(row[j + 1 :]):
                hit, printed = (j, list(p.specs)), p
        if hit is None:
            hit = _fragment_hit(reader, lay, row, by_label, found)
        if hit is None:
            hit = _near_hit(reader, lay, row, by_label, found)
        if hit is None:
            continue
        j, candidates = hit
        spec = _choose(candidates, context, found)
        if spec is None:
            reader.assumptions.append(f"{candidates[0].name}在报告中出现了不止一次，按第一次出现的数值读取")
            continue
        more = _continued(reader.rows, i, len(spec.cells) - len(row[j + 1 :]), span)
        read = _fit(spec, row[j + 1 :] + more)
        used.update((i, i + 1) if more else (i,))
        at.setdefault(spec, i)
        if printed is not None and printed.sole:
            sole[spec] = (read, row[j].strip())
            continue
        found[spec] = read
        if printed is not None and printed.differs == "没有编号":
            unnumbered_rows.append(row[j].strip())
        elif printed is not None and printed.differs:
            _say_printed(reader, spec, row[j].strip(), f"{printed.differs}“{row[j].strip()}”")
    for spec, (read, text) in sole.items():
        if spec not in found:
            found[spec] = read
            _say_printed(reader, spec, text, f"旧格式的单行“{text}”")
    if at:
        _place_detached(reader, lay, found, at, used)
    if unnumbered_rows:
        sample = "、".join(f"“{t}”" for t in unnumbered_rows[:3])
        reader.assumptions.append(
            f"{lay.sheet}有{len(unnumbered_rows)}行的标签没有编号（如{sample}），已按对应的行读取"
        )
        reader.finding(
            Severity.HINT,
            LABEL_AS_PRINTED,
            f"{lay.sheet}有{len(unnumbered_rows)}行的标签没有编号（如{sample}），已按标签文字对应的行读取，请核对",
            lay,
        )
    return found


def _place_detached(
    reader: TablesReader, lay: SheetLayout, found: dict[RowSpec, RowRead], at: Mapping[RowSpec, int], used: set[int]
) -> None:
    """Values printed apart from their labels (a PDF converted to Markdown): a label's lines without values, and
    between the table's rows lines of values without a label (or with pieces of one). Placed when each such line
    follows a label still waiting for its values (and its pieces of words are the label's); otherwise which values
    are whose is not known: the rows without values of their own line, and those put together from several
    lines, are read blank and said once, and no rule is checked over them (R8)."""
    rows = reader.rows
    waiting = {s for s, r in found.items() if not _has_values(r.cells)}
    unfound = [s for s in row_specs(lay) if s not in found]
    lo, hi = min(at.values()), max(at.values())
    events: list[tuple[int, RowSpec | None]] = [(at[s], s) for s in waiting]
    for i in range(lo + 1, hi):
        if i in used:
            continue
        words = [c for c in rows[i] if c.strip() and not _is_value_cell(c)]
        values = [c for c in rows[i] if c.strip() and _is_value_cell(c)]
        if len(values) >= 2:
            events.append((i, None))
        elif len(words) == 1 and not values and len(t := clean(words[0])) >= 4:
            fits = [s for s in unfound if s.label.startswith(t)]
            if len(fits) == 1 and fits[0] not in waiting:
                waiting.add(fits[0])
                events.append((i, fits[0]))
    if not any(s is None for _, s in events):
        return
    pending: list[RowSpec] = []
    placed: dict[RowSpec, RowRead] = {}
    for i, spec in sorted(events, key=lambda e: e[0]):
        if spec is not None:
            pending.append(spec)
            continue
        cells = rows[i]
        words = [j for j, c in enumerate(cells) if c.strip() and not _is_value_cell(c)]
        if not pending or any(clean(cells[j]) not in pending[0].label for j in words):
            break
        spec = pending.pop(0)
        placed[spec] = _fit(spec, [c for c in cells[words[-1] + 1 if words else 0 :] if c.strip()])
    else:
        if not pending:
            found.update(placed)
            names = "、".join(s.name for s in placed)
            reader.assumptions.append(f"{names}的数值与标签不在同一行，按标签之后的那一行数值读取")
            return
    doubt = [s for s in row_specs(lay) if s not in found or s in waiting or isinstance(rows[at[s]], Assembled)]
    if not doubt:
        return  # every row has its values on its own line: the line of values is no row's (a stray line)
    for s in doubt:
        found.pop(s, None)
        reader.unread.update(c.key for c in s.cells)
    orphans = sum(s is None for _, s in events)
    sample = "、".join(s.name for s in doubt[:3])
    reader.finding(
        Severity.HINT,
        DETACHED_VALUES,
        f"{lay.sheet}中有{orphans}行数值与行标签分开印出（不在同一行），无法确定是哪一行的数值："
        f"{sample}{'等' if len(doubt) > 3 else ''}{len(doubt)}行按空白读取，不作勾稽检查，请核对报告原文",
        lay,
        cell=doubt[0].cells[0].ref,
        key=doubt[0].cells[0].key,
    )


def _continued(rows: Sequence[Row], i: int, missing: int, span: tuple[int, int]) -> list[str]:
    """A row's values wrapped onto the next line ("（二）部分公开（…） 0 0 0 0 0" / "0 0"): that line, when it holds
    nothing but values and exactly as many as the row lacks."""
    if missing <= 0 or i + 1 >= span[1]:
        return []
    given = [c for c in rows[i] if c.strip()]
    after = [c for c in rows[i + 1] if c.strip()]
    if given and after and len(after) == missing and all(is_value_like(c) for c in after):
        return after
    return []


def _values_only(cells: Sequence[str]) -> bool:
    """Whether the cells after a label can be its row's values: not a header row naming other labels
    ("予以公开 | 部分公开 | … | 总计"); a row with a word in a value cell ("5件") is still a row (C1 says so)."""
    given = [c for c in cells if c.strip()]
    words = [c for c in given if not _is_value_cell(c)]
    if not words:
        return True
    if any(clean(c) in all_labels() for c in words):
        return False
    return len(words) < 2 or len(words) * 2 < len(given)


@lru_cache(maxsize=65536)
def _is_value_cell(cell: str) -> bool:
    return is_value_like(cell) or is_run([cell])


def _numbers_only(cells: Sequence[str]) -> bool:
    """Values and nothing else after a label that is a row only so (a group label, a column's label)."""
    given = [c for c in cells if c.strip()]
    return bool(given) and all(_is_value_cell(c) for c in given)


def _has_values(cells: Sequence[str]) -> bool:
    return any(c.strip() for c in cells)


def _say_printed(reader: TablesReader, spec: RowSpec, printed: str, what: str) -> None:
    reader.assumptions.append(f"{spec.lay.sheet}中印的是{what}，已按{spec.name}读取")
    reader.finding(
        Severity.HINT,
        LABEL_AS_PRINTED,
        f"{spec.lay.sheet}中印的是{what}，不是官方格式的文字，已按{spec.name}读取，请核对",
        spec.lay,
        cell=spec.cells[0].ref,
        key=spec.cells[0].key,
        actual=printed,
    )


def _near_hit(
    reader: TablesReader,
    lay: SheetLayout,
    row: Row,
    by_label: dict[str, list[RowSpec]],
    found: Mapping[RowSpec, RowRead],
) -> tuple[int, list[RowSpec]] | None:
    """A label with a character or a few wrong or missing ("2.其他法律行政止公开"): read as the one official
    label it is near, when its row has values and that row is not read yet; said."""
    every = all_labels()
    for j, cell in enumerate(row):
        t = clean(cell)
        if len(t) < 4 or t in every or is_value_like(cell) or not _has_values(row[j + 1 :]):
            continue
        if not _values_only(row[j + 1 :]):
            continue
        label = nearest(t, [lb for lb, specs in by_label.items() if not all(s in found for s in specs)])
        if label is not None:
            spec = by_label[label][0]
            _say_printed(reader, spec, cell.strip(), f"“{cell.strip()}”（与官方文字有出入）")
            return j, by_label[label]
    return None


def _fragment_hit(
    reader: TablesReader,
    lay: SheetLayout,
    row: Row,
    by_label: dict[str, list[RowSpec]],
    found: Mapping[RowSpec, RowRead],
) -> tuple[int, list[RowSpec]] | None:
    """A row whose label was cut short by a line break ("4.保护第三方合"): matched when only one label fits."""
    for j, cell in enumerate(row):
        t = clean(cell)
        if len(t) < 4 or is_value_like(cell):
            continue
        fits = [lb for lb, specs in by_label.items() if lb.startswith(t) and not all(s in found for s in specs)]
        if len(fits) == 1 and any(is_value_like(c) and c.strip() for c in row[j + 1 :]):
            spec = by_label[fits[0]][0]
            reader.assumptions.append(f"{lay.sheet}中的“{cell.strip()}”不完整（标签换行被截断），按{spec.name}读取")
            return j, by_label[fits[0]]
    return None


def _choose(candidates: list[RowSpec], context: str, found: Mapping[RowSpec, RowRead]) -> RowSpec | None:
    """The first candidate row not read yet (in the group named last); a row read without any value (its label
    as a heading, "### （一）予以公开") is read again where its label comes with values."""
    free = [s for s in candidates if s not in found or not _has_values(found[s].cells)]
    if not free:
        return None
    return next((s for s in free if context in s.groups), free[0])


def _fit(spec: RowSpec, cells: Sequence[str]) -> RowRead:
    """Drop empty cells a typeset row carries around its values: label spans before, surplus cells after."""
    n = len(spec.cells)
    start, end = 0, len(cells)  # the cells kept, cut once (popped one at a time from the front, quadratic)
    while end - start > n and not cells[start].strip():
        start += 1
    while end - start > n and not cells[end - 1].strip():
        end -= 1
    return RowRead(spec, list(cells[start:end]), len(cells))


def _read_unlabelled(reader: TablesReader, lay: SheetLayout, span: tuple[int, int]) -> dict[RowSpec, RowRead]:
    """表四: the values after its header, on the header's own line (text run together), on the first line of
    values after it, or over several lines (a table printed in three parts, 行政复议 and the two 行政诉讼)."""
    (spec,) = row_specs(lay)
    n = len(spec.cells)
    top = {norm(lb.text) for lb in lay.labels if lb.role == "header" and lb.row == 1}
    rows = reader.rows
    first = next((i for i in range(*span) if any(clean(c) in top for c in rows[i])), None)
    if first is None:
        return {}
    values: list[str] = []
    for i in range(first, span[1]):
        row = rows[i]
        texts = [j for j, c in enumerate(row) if not is_value_like(c)]
        after = row[texts[-1] + 1 if texts else 0 :]
        if not any(c.strip() for c in after):
            continue  # a header row, words, or an empty line
        if values and len(after) >= n:
            break  # a whole row of values again: not a part of this one
        values += after
        if sum(bool(c.strip()) for c in values) >= n or (len(values) >= n and not texts):
            break
    return {spec: _fit(spec, values)} if values else {}


def _read_table(reader: TablesReader, lay: SheetLayout, span: tuple[int, int]) -> dict[str, Cell]:
    has_rows = not (isinstance(lay.table, MatrixTable) and not lay.table.rows)
    read = _read_labelled if has_rows else _read_unlabelled
    reads = read(reader, lay, span)
    whole = (0, len(reader.rows))
    if not reads and span != whole:  # the title was found somewhere else (a table of contents, say)
        reads = read(reader, lay, whole)
    if not reads:
        reader.finding(Severity.ERROR, NOT_A_REPORT, f"报告中没有找到{lay.sheet}（{lay.table.title}）", lay)
        return {}
    resolve_run_together(reader, lay, reads)
    resolve_surplus(reader, lay, reads)
    values: dict[str, Cell] = {}
    for spec in row_specs(lay):
        read = reads.get(spec)
        if read is None and spec.cells[0].key in reader.unread:
            continue  # said why (R8)
        if read is None:
            reader.finding(
                Severity.HINT,
                ROW_NOT_FOUND,
                f"报告中没有找到{spec.name}，该行按空白处理",
                lay,
                cell=spec.cells[0].ref,
                key=spec.cells[0].key,
            )
            reader.not_found.update(c.key for c in spec.cells)
            continue
        values.update(_read_values(reader, read))
    if _amounts_in_yuan(reader.rows, lay, span):
        _yuan_to_wan(lay, values)
    return values


def _amounts_in_yuan(rows: Sequence[Row], lay: SheetLayout, span: tuple[int, int]) -> bool:
    """Whether the table's header prints an amount column in 元 (本年收费金额（单位：元）) instead of 万元."""
    in_yuan = {norm(lb.text.replace("万元", "元")) for lb in lay.labels if lb.text and "万元" in lb.text}
    in_yuan -= {norm(lb.text) for lb in lay.labels if lb.text}
    return bool(in_yuan) and any(clean(c) in in_yuan for row in rows[span[0] : span[1]] for c in row)


def _yuan_to_wan(lay: SheetLayout, values: dict[str, Cell]) -> None:
    """The amounts of a column headed in 元, converted to the 万元 the form counts in, each said (C4)."""
    for cell in lay.cells:
        got = values.get(cell.key)
        if cell.kind is not Kind.AMOUNT or got is None or got.state is not State.NUMBER:
            continue
        wan = round(got.number / 10000, 10)
        values[cell.key] = Cell(
            State.CONVERTED,
            wan,
            wan,
            Severity.HINT,
            "C4",
            f"表头印的单位是“元”，金额“{show(got.number)}”已换算为{show(wan)}万元读取，请核对金额的单位",
        )


def _read_values(reader: TablesReader, read: RowRead) -> dict[str, Cell]:
    spec, n = read.spec, len(read.spec.cells)
    if len(read.cells) < n:
        missing = n - len(read.cells)
        reader.assumptions.append(
            f"{spec.name}只有{len(read.cells)}个数值（应为{n}个），按最后{count_word(missing)}个单元格为空白读取"
        )
        reader.finding(
            # a labelled row's missing cells are read as blanks, which C3 reports as for any blank;
            # 表四 without a single figure in its data row is a table not given
            Severity.HINT if read.cells or spec.label else Severity.ERROR,
            SHORT_ROW,
            f"{spec.name}只有{len(read.cells)}个数值，应为{n}个；缺少的按空白读取，请核对报告原文",
            spec.lay,
            cell=spec.cells[0].ref,
            key=spec.cells[0].key,
            expected=str(n),
            actual=str(len(read.cells)),
        )
    raws = read.cells[:n] + [""] * (n - len(read.cells))
    return {
        cell.key: NOT_FOUND if cell.key in reader.unread else normalize(raw, cell.kind, published=True)
        for cell, raw in zip(spec.cells, raws, strict=True)
    }
