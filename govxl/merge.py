"""Merge returned workbooks: read every file, account for every one, add up the units, check."""

from __future__ import annotations

import dataclasses
import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta, timezone
from pathlib import Path

from govxl.check import edition_mismatch, judge
from govxl.editions import edition_for_year
from govxl.editions.model import Edition
from govxl.editions.rules import Severity
from govxl.errors import InputError, UsageError
from govxl.excel.merged_book import write_merged
from govxl.io import atomic_outputs, json_text
from govxl.judge.crossyear import cross_year_findings
from govxl.judge.engine import RuleOutcome, evaluate, linear_checks
from govxl.judge.unit import Judged
from govxl.layout import cell_index
from govxl.outputs import claim_all, marked_json
from govxl.read.inbox import collect, not_read_findings, nothing_to_read, read_all
from govxl.read.lastyear import read_last_year
from govxl.read.roster import near_pairs, read_roster
from govxl.results.completeness import gaps_finding
from govxl.results.figures import Figures, FiguresKind, Row, UnitFrom
from govxl.results.findings import (
    ALIAS,
    ANNOTATED_READ,
    DUPLICATE,
    MERGED_AMONG_UNITS,
    MISSING,
    MIXED,
    NEAR_NAME,
    NO_LAST_YEAR,
    NO_UNIT_NAME,
    NOT_ON_ROSTER,
    TOTALS_UNIT,
    Finding,
)
from govxl.results.inbox import ANNOTATED_SUFFIX, Inbox
from govxl.results.lastyear import LastYear
from govxl.results.merge import MERGED_STATUSES as MERGED_STATUSES  # for the command line
from govxl.results.merge import FileEntry, Merged, Status, UnitLine
from govxl.results.roster import Roster
from govxl.unitnames import unit_key
from govxl.values import show

CHINA = timezone(timedelta(hours=8))


def merge(
    inputs: list[Path],
    *,
    year: int | None = None,
    roster: Path | None = None,
    name: str = "",
    when: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
    last_year: Path | None = None,
    outputs: Iterable[Path | None] = (),
) -> Merged:
    """Merge the returns found in ``inputs``: every file accounted for, every unit checked, the totals checked.

    ``outputs``: the files this run will write (:func:`write_outputs`, claimed by :mod:`govxl.outputs` first),
    refused as inputs and, met in an input folder, skipped when govxl made them (:func:`govxl.read.inbox.collect`).
    """
    last = read_last_year(last_year) if last_year is not None else None
    listed = read_roster(roster) if roster is not None else None  # a roster that cannot be used: before any file
    inbox = collect(inputs, outputs, [roster, last_year])
    returns, judged, findings, entries = _read(inbox, progress)
    edition, year = _edition_and_year(returns, year)
    usable, rejected, rejections = _of_this_edition_and_year(returns, edition, year)
    findings, entries = findings + rejected, entries | rejections
    if listed is not None and listed.aliases:
        usable, judged, findings, entries = _by_other_names(usable, listed, judged, findings, entries)
    by_unit, merged, grouped, groupings = _one_return_per_unit(usable, inbox)
    findings, entries = findings + grouped, entries | groupings
    if not merged:
        raise InputError(_nothing_usable(returns, findings, year))
    lines, roster_findings, order, entries = _roster_lines(listed, by_unit, entries)
    findings = _under_their_units(findings + roster_findings, entries)
    merged.sort(key=lambda r: (order.get(unit_key(r.unit), len(order)), r.unit, r.shown))
    unit_outcomes, per_unit = _check_units(merged, judged, edition, year, last)
    totals, total_outcomes, total_findings = _check_totals(merged, edition)
    gaps, lines = _gaps_below(merged, lines)
    findings += per_unit + total_findings + gaps
    lines = _count_per_line(lines, findings)
    if last is not None:
        findings += _cross_year_totals(merged, totals, last, year, edition)
    merged_name = name or "汇总"
    label, text = _time(merged, when)
    return Merged(
        edition,
        year,
        merged_name,
        label,
        text,
        merged,
        totals,
        unit_outcomes,
        total_outcomes,
        sorted(findings, key=Finding.sort_key),
        sorted(entries.values(), key=lambda e: e.shown),
        lines,
        roster is not None,
        inbox.ignored,
        len(order) if roster is not None else -1,
    )


DECIMALS = 6  # amounts are 万元 to 4 places (1 元); sums are rounded so that grouping never changes them


def add_up(values: Iterable[float]) -> float:
    """A total that does not depend on the order or grouping of its parts (district by district, or all at once)."""
    return round(math.fsum(values), DECIMALS) + 0.0


def _gaps_below(merged: list[Figures], lines: list[UnitLine]) -> tuple[list[Finding], list[UnitLine]]:
    """A merged workbook of the level below that is incomplete says so here: 甲区：缺报2个单位、无法读取1份;
    and its unit's line says what it lacks."""
    out = []
    gaps: dict[str, str] = {}  # file -> what it lacks
    for r in merged:
        found = gaps_finding(r.completeness, r.unit, r.shown)
        if found is None:
            continue
        out.append(found)
        if r.completeness is not None:
            gaps[r.shown] = r.completeness.gaps()
    return out, [_with_gaps(line, gaps) for line in lines]


def _with_gaps(line: UnitLine, gaps: dict[str, str]) -> UnitLine:
    """The line, saying what its merged workbook of the level below lacks."""
    lacking = [gaps[f] for f in line.files if f in gaps]
    return dataclasses.replace(line, gaps=lacking[-1]) if lacking else line


def _read(
    inbox: Inbox, progress: Callable[[int, int], None] | None
) -> tuple[list[Figures], dict[str, Judged], list[Finding], dict[str, FileEntry]]:
    """Every file read and its own figures judged (in the worker processes); the ones that cannot be
    read, and the ones that are not spreadsheets, listed with why."""
    if not inbox.files:
        raise UsageError(nothing_to_read(inbox))
    read = read_all(inbox.files, progress, work=judge)
    judged = {r.ret.shown: r for r in read if isinstance(r, Judged)}
    returns = [r.ret for r in read if isinstance(r, Judged)]
    findings = [r for r in read if isinstance(r, Finding)]
    if not returns:
        reasons = "\n".join(f"  {f.file}：{f.message}" for f in findings + not_read_findings(inbox))
        raise InputError(f"没有一份文件可以汇总：\n{reasons}")
    entries = {f.file: FileEntry(f.file, Status.UNREADABLE, reason=f.message) for f in findings}
    for f in not_read_findings(inbox):
        findings.append(f)
        entries[f.file] = FileEntry(f.file, Status.UNREADABLE if f.is_error else Status.NOT_READ, reason=f.message)
    return returns, judged, findings, entries


def _of_this_edition_and_year(
    returns: list[Figures], edition: Edition, year: int
) -> tuple[list[Figures], list[Finding], dict[str, FileEntry]]:
    """The returns that can be added up: of this year's edition and year, and not a merged workbook among units;
    the findings about the others and those without a unit name, and the entries of the files left out."""
    units_present = any(r.kind != FiguresKind.MERGED for r in returns)
    usable: list[Figures] = []
    findings: list[Finding] = []
    entries: dict[str, FileEntry] = {}
    for r in returns:
        problem = _mismatch(r, edition, year) or (_merged_among_units(r) if units_present else None)
        if problem:
            findings.append(problem)
            status = Status.MERGED_WORKBOOK if problem.rule == MERGED_AMONG_UNITS else Status.REJECTED
            entries[r.shown] = FileEntry(r.shown, status, r.unit, problem.message)
            continue
        usable.append(r)
        if r.unit_from == UnitFrom.FILE_NAME:
            message = f"封面的“填报单位”没有填写，暂以文件名“{r.unit}”作为单位名称；请对方补填填报单位"
            findings.append(Finding(Severity.HINT, NO_UNIT_NAME, message, file=r.shown, unit=r.unit))
    return usable, findings, entries


def _by_other_names(
    usable: list[Figures],
    roster: Roster,
    judged: dict[str, Judged],
    findings: list[Finding],
    entries: dict[str, FileEntry],
) -> tuple[list[Figures], dict[str, Judged], list[Finding], dict[str, FileEntry]]:
    """A return whose cover names a roster unit by one of its other names is that unit's, under the roster's name
    (its findings too), with a 提示 naming both; a file left out (another year, unreadable) is listed under it."""
    of = roster.alias_keys
    out: list[Figures] = []
    aliases: list[Finding] = []
    renamed: dict[str, str] = {}  # file -> the roster unit it is counted as
    for r in usable:
        unit = of.get(unit_key(r.unit)) if r.unit_from != UnitFrom.FILE_NAME else None
        if unit is None:
            out.append(r)
            continue
        aliases.append(alias_finding(r.unit, unit, roster.lines[unit], r.shown))
        renamed[r.shown] = unit
        out.append(dataclasses.replace(r, unit=unit, findings=tuple(_under(unit, r.findings))))
    listed = dict(entries)
    for shown, e in entries.items():  # files not used (another year, 套用旧模板): listed under the roster's unit
        if e.unit and unit_key(e.unit) in of:
            renamed.setdefault(shown, of[unit_key(e.unit)])
            listed[shown] = dataclasses.replace(e, unit=of[unit_key(e.unit)])
    verdicts = {
        shown: dataclasses.replace(v, findings=_under(renamed[shown], v.findings)) if shown in renamed else v
        for shown, v in judged.items()
    }
    moved = [dataclasses.replace(f, unit=renamed[f.file]) if f.file in renamed else f for f in findings]
    return out, verdicts, moved + aliases, listed


def _under(unit: str, findings: Sequence[Finding]) -> list[Finding]:
    """The findings, as about ``unit``."""
    return [dataclasses.replace(f, unit=unit) for f in findings]


def alias_finding(cover: str, unit: str, line: int, shown: str = "") -> Finding:
    """The 提示 for a return counted as a roster unit's under another name (merge, and serve for a department)."""
    message = (
        f"报表封面的“填报单位”是“{cover}”，是名单中“{unit}”的其他名称（名单第{line}行），已作为“{unit}”的报表计入汇总"
    )
    return Finding(Severity.HINT, ALIAS, message, file=shown, unit=unit)


def _one_return_per_unit(
    usable: list[Figures], inbox: Inbox
) -> tuple[dict[str, list[Figures]], list[Figures], list[Finding], dict[str, FileEntry]]:
    """Returns grouped by unit; a unit with two returns has neither counted, and both listed."""
    findings: list[Finding] = []
    entries: dict[str, FileEntry] = {}
    by_unit: dict[str, list[Figures]] = {}
    for r in usable:
        by_unit.setdefault(unit_key(r.unit), []).append(r)
    merged: list[Figures] = []
    for group in by_unit.values():
        if len(group) == 1:
            merged.append(group[0])
            entries[group[0].shown] = FileEntry(group[0].shown, Status.MERGED, group[0].unit)
            if inbox.is_annotated(group[0].shown):
                findings.append(annotated_read(group[0]))
            continue
        names = "、".join(r.shown for r in group)
        for r in group:
            msg = (
                f"同一填报单位“{r.unit}”有{len(group)}份报表：{names}。均未计入汇总；"
                "请确认哪一份是正确的，把其他的移出文件夹后重新汇总"
            )
            if all(g.kind == FiguresKind.MERGED for g in group):  # districts that all kept the default name (汇总.xlsx)
                msg = (
                    f"{len(group)}份汇总表的“填报单位”都是“{r.unit}”：{names}。无法区分，均未计入汇总；"
                    "请各地用 --name 写明本单位名称重新生成汇总表后再汇总"
                )
            findings.append(Finding(Severity.ERROR, DUPLICATE, msg, file=r.shown, unit=r.unit))
            entries[r.shown] = FileEntry(r.shown, Status.DUPLICATE, r.unit, msg)
    return by_unit, merged, findings, entries


def _nothing_usable(returns: list[Figures], findings: list[Finding], year: int) -> str:
    reasons = "\n".join(f"  {f.file}：{f.message}" for f in findings if f.file)
    years = sorted({r.year for r in returns if r.year is not None})
    hint = f"\n报表中的报告年度为：{'、'.join(map(str, years))}，请检查 --year。" if years and year not in years else ""
    return f"没有一份报表可以汇总：\n{reasons}{hint}"


def _check_units(
    merged: list[Figures],
    judged: dict[str, Judged],
    edition: Edition,
    year: int,
    last: LastYear | None,
) -> tuple[dict[str, list[RuleOutcome]], list[Finding]]:
    """The rules each unit breaks; each unit's findings (values, rules, suspects, cross-year)."""
    unit_outcomes: dict[str, list[RuleOutcome]] = {}
    findings: list[Finding] = []
    for r in merged:
        verdict = judged[r.shown]
        unit_outcomes[r.shown] = verdict.failing
        findings += [*r.findings, *verdict.findings]
        if last is not None:
            findings += cross_year_findings(r, r.numbers(), last, year, edition, unit=r.unit, file=r.shown, refs=r.refs)
    return unit_outcomes, findings


def _check_totals(merged: list[Figures], edition: Edition) -> tuple[dict[str, float], list[RuleOutcome], list[Finding]]:
    """The totals, the rules checked on them, and the findings of those they break (汇总数)."""
    index = cell_index(edition)
    figures = [r.numbers() for r in merged]
    rows = [f for f in figures if isinstance(f, Row)]
    if len(rows) == len(figures) and len({id(f.index) for f in rows}) == 1:  # one column of each cell at once
        columns, at = list(zip(*(f.row for f in rows), strict=True)), rows[0].index
        totals = {k: add_up(columns[at[k]]) for k in index}
    else:
        totals = {k: add_up(f[k] for f in figures) for k in index}
    outcomes = [evaluate(c, totals) for c in linear_checks(edition)]
    findings: list[Finding] = []
    for o in outcomes:
        if not o.passed:
            lay, cell = index[o.check.cells[0]]
            findings.append(
                Finding(
                    o.check.severity,
                    o.check.id,
                    f"汇总数：{o.message}",
                    unit=TOTALS_UNIT,
                    sheet=lay.sheet,
                    cell=cell.ref,
                    expected=show(o.rhs),
                    actual=show(o.lhs),
                    key=cell.key,
                )
            )
    return totals, outcomes, findings


def _count_per_line(lines: list[UnitLine], findings: list[Finding]) -> list[UnitLine]:
    """Each unit's line with its own findings counted: about its files, or (缺报) about the unit itself."""
    by_file: dict[str, list[Finding]] = {}
    by_unit: dict[str, list[Finding]] = {}
    for f in findings:
        if f.file:
            by_file.setdefault(f.file, []).append(f)
        else:
            by_unit.setdefault(f.unit, []).append(f)
    out = []
    for line in lines:
        own = [f for shown in line.files for f in by_file.get(shown, ())] if line.files else by_unit.get(line.unit, [])
        errors = sum(1 for f in own if f.is_error)
        hints = sum(1 for f in own if not f.is_error and not f.explanation)
        out.append(dataclasses.replace(line, errors=line.errors + errors, hints=line.hints + hints))
    return out


def _cross_year_totals(
    merged: list[Figures], totals: dict[str, float], last: LastYear, year: int, edition: Edition
) -> list[Finding]:
    """D rules on the totals. Against a merged workbook of last year, only the units present in both years
    are compared: a unit missing this year (缺报) or last year must not show up as a cross-year error."""
    prior, note = None, ""
    if last.units:
        both = [r for r in merged if unit_key(r.unit) in last.units]
        if not both:
            message = f"汇总数：上年汇总表 {last.path.name} 中没有本年任何一个单位的数据，未做跨年度校验"
            return [Finding(Severity.HINT, NO_LAST_YEAR, message, unit=TOTALS_UNIT)]
        if len(both) < len(merged) or len(both) < len(last.units):
            keys = list(totals)
            totals = {k: add_up(r.numbers()[k] for r in both) for k in keys}
            prior = {k: add_up(last.units[unit_key(r.unit)].get(k, 0.0) for r in both) for k in last.totals}
            note = f"；只比较两年都有数据的{len(both)}个单位"
    out = []
    for f in cross_year_findings(None, totals, last, year, edition, unit=TOTALS_UNIT, prior=prior, note=note):
        f.message = "汇总数：" + f.message
        out.append(f)
    return out


def annotated_read(r: Figures) -> Finding:
    return Finding(
        Severity.HINT,
        ANNOTATED_READ,
        f"这是退回修改副本（文件名以“{ANNOTATED_SUFFIX}”结尾），文件夹中没有“{r.unit}”的其他报表，已作为该单位的报表汇总；"
        "请确认对方已按批注改正",
        file=r.shown,
        unit=r.unit,
    )


def _edition_and_year(returns: list[Figures], year: int | None) -> tuple[Edition, int]:
    if year is not None:
        return edition_for_year(year), year
    years = Counter(r.year for r in returns if r.year is not None)
    if years:
        (common, _), *_ = sorted(years.items(), key=lambda kv: (-kv[1], -kv[0]))
        return edition_for_year(common), common
    raise UsageError("未能从报表中读出报告年度，请用 --year 指定，例如 --year 2025。")


def _mismatch(r: Figures, edition: Edition, year: int) -> Finding | None:
    wrong = edition_mismatch(r, edition, year, merging=True)
    if wrong is not None:
        return wrong
    if r.year is not None and r.year != year:
        return Finding(
            Severity.ERROR,
            MIXED,
            f"该报表的报告年度为{r.year}，与本次汇总的{year}年度不一致，未计入汇总",
            file=r.shown,
            unit=r.unit,
        )
    return None


def _merged_among_units(r: Figures) -> Finding | None:
    if r.kind != FiguresKind.MERGED:
        return None
    return Finding(
        Severity.ERROR,
        MERGED_AMONG_UNITS,
        "这是一份汇总表，与各单位的报表放在一起汇总会重复计算，未计入汇总；"
        "汇总各区县的汇总表时，请把汇总表单独放在一个文件夹中",
        file=r.shown,
        unit=r.unit,
    )


def _roster_lines(
    roster: Roster | None, by_unit: dict[str, list[Figures]], entries: dict[str, FileEntry]
) -> tuple[list[UnitLine], list[Finding], dict[str, int], dict[str, FileEntry]]:
    """One line per unit (the roster's first, in its order, then the others), the roster's findings (缺报, not on
    the roster, near names), each unit's place in the roster, and the entries as the roster tells their units."""
    lines: list[UnitLine] = []
    findings: list[Finding] = []
    order: dict[str, int] = {}
    listed: set[str] = set()
    if roster is not None:
        units = roster.units
        failed, guessed = _failed_files_by_unit(units, entries)
        entries = entries | {shown: dataclasses.replace(entries[shown], unit=unit) for shown, unit in guessed.items()}
        for unit in units:
            key = unit_key(unit)
            listed.add(key)
            order[key] = len(order)
            group = by_unit.get(key, [])
            files = [r.shown for r in group]
            if not group:
                status, files = failed.get(key, (Status.MISSING, []))
                if status == Status.MISSING:
                    findings.append(
                        Finding(
                            Severity.ERROR,
                            MISSING,
                            f"名单中的“{unit}”没有报送报表（缺报），汇总数中不含该单位",
                            unit=unit,
                        )
                    )
            else:
                status = Status.MERGED if len(group) == 1 else Status.DUPLICATE
            lines.append(UnitLine(unit, status, files))
    for key, group in sorted(by_unit.items(), key=lambda kv: kv[1][0].unit):
        if key in listed:
            continue
        unit = group[0].unit
        status = Status.MERGED if len(group) == 1 else Status.DUPLICATE
        if roster is not None:
            findings.append(
                Finding(
                    Severity.HINT,
                    NOT_ON_ROSTER,
                    f"“{unit}”不在单位名单中，其报表{'已' if status == Status.MERGED else '未'}计入汇总，请核实",
                    file=group[0].shown,
                    unit=unit,
                )
            )
            if status == Status.MERGED:
                status = Status.NOT_ON_ROSTER
                # the file says what its unit's line says: merged, but not on the roster
                entries = entries | {r.shown: dataclasses.replace(entries[r.shown], status=status) for r in group}
        lines.append(UnitLine(unit, status, [r.shown for r in group]))
    if roster is not None:
        near, notes = _near_names(lines, listed)
        findings += near
        lines = [dataclasses.replace(line, note=notes[line.unit]) if line.unit in notes else line for line in lines]
    return lines, findings, order, entries


def _under_their_units(findings: list[Finding], entries: dict[str, FileEntry]) -> list[Finding]:
    """A file that could not be used is listed under its unit when the roster tells which."""
    return [
        dataclasses.replace(f, unit=entries[f.file].unit) if f.file and not f.unit and f.file in entries else f
        for f in findings
    ]


def _near_names(lines: list[UnitLine], listed: set[str]) -> tuple[list[Finding], dict[str, str]]:
    """A 缺报 unit and a unit not on the roster whose names are close: never merged silently, pointed out;
    and the note each one's line gets."""
    out = []
    notes: dict[str, str] = {}  # unit -> the note on its line
    missing = {line.unit: line for line in lines if line.status == Status.MISSING}
    extra = {line.unit: line for line in lines if unit_key(line.unit) not in listed}
    for m_unit, e_unit in near_pairs(missing, extra):
        m, e = missing[m_unit], extra[e_unit]
        out.append(
            Finding(
                Severity.HINT,
                NEAR_NAME,
                f"“{e.unit}”不在单位名单中，可能是名单中的“{m.unit}”；如是同一单位，"
                "请统一报表封面的“填报单位”与名单中的名称后重新汇总",
                file=e.files[0] if e.files else "",
                unit=e.unit,
            )
        )
        out.append(
            Finding(
                Severity.HINT,
                NEAR_NAME,
                f"名单中的“{m.unit}”缺报，但收到了“{e.unit}”的报表，可能是同一单位，请核实",
                unit=m.unit,
            )
        )
        notes[m.unit] = f"可能是“{e.unit}”报送的报表"
        notes[e.unit] = f"可能是名单中的“{m.unit}”"
    return out, notes


def _failed_files_by_unit(
    units: list[str], entries: dict[str, FileEntry]
) -> tuple[dict[str, tuple[str, list[str]]], dict[str, str]]:
    """Roster units whose only files could not be merged: known by the cover, or guessed from the file name;
    and the units guessed (file -> unit)."""
    out: dict[str, tuple[str, list[str]]] = {}
    guessed: dict[str, str] = {}
    by_length = sorted(units, key=len, reverse=True)
    for e in entries.values():
        if e.status not in (Status.UNREADABLE, Status.REJECTED):
            continue
        unit = e.unit or next((u for u in by_length if unit_key(u) in unit_key(Path(e.shown).stem)), "")
        if unit:
            if not e.unit:
                guessed[e.shown] = unit
            status, files = out.get(unit_key(unit), (e.status, []))
            out[unit_key(unit)] = (status, [*files, e.shown])
    return out, guessed


def _time(merged: list[Figures], when: datetime | None) -> tuple[str, str]:
    """The time shown on the cover: given explicitly, or when the newest merged return was saved (China time).

    The save time is the workbook's own (docProps/core.xml), so copying the files changes nothing;
    a file without one (.xls) counts by its modification time.
    """
    if when is not None:
        return "汇总时间", when.strftime("%Y-%m-%d %H:%M")
    stamps = [r.saved or datetime.fromtimestamp(int(r.path.stat().st_mtime), timezone.utc) for r in merged]
    newest = max(stamps).astimezone(CHINA)
    return "数据截至（最新一份报表的保存时间）", newest.strftime("%Y-%m-%d %H:%M")


def write_outputs(result: Merged, output: Path, json_path: Path | None = None) -> None:
    """The merged workbook and the findings as JSON, as ``govxl merge -o --json`` writes them, where the output
    policy allows (:func:`govxl.outputs.claim_all`): both written, or neither changed."""
    claim_all([(output, "merged"), (json_path, "findings")])
    targets = [output] + ([json_path] if json_path is not None else [])
    with atomic_outputs(targets) as temps:
        write_merged(temps[0], result)
        if json_path is not None:
            temps[1].write_text(json_text(marked_json(result.to_json())), encoding="utf-8")
