"""What the ``govxl`` commands print: summaries, findings lists and what was written, in Chinese.

Every function returns the lines; :func:`say` prints them. A command prints once, after the library has done its
work, except where writing comes after something worth showing: the findings of ``check`` and ``audit`` are
shown before the copies, the JSON and the workbooks are written, so that a failure there never hides them.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import typer

from govxl.read.roster import problem_lines
from govxl.results.figures import FiguresKind
from govxl.results.findings import INCOMPLETE, Finding


def say(lines: Iterable[str]) -> None:
    for line in lines:
        typer.echo(line)


def finding_line(f: Finding, *, with_unit: bool = False) -> str:
    """One finding on the terminal: “  [错误] 表三!D5 A1 …” (with the unit first, for merged workbooks)."""
    tag = f.severity.value + ("·已说明" if f.explanation else "")
    where = f"{f.sheet}!{f.cell} " if f.cell else ""
    unit = f"{f.unit}，" if with_unit and f.unit else ""
    return f"  [{tag}] {unit}{where}{f.rule} {f.message}"


def created_lines(folders: list[Path]) -> list[str]:
    """Folders an output needed were created: said, never silently (see :mod:`govxl.outputs`)."""
    return [f"已新建文件夹：{folder}" for folder in folders if folder.is_dir()]


def template_lines(new: list[Path], out: Path, year: int) -> list[str]:
    return [*created_lines(new), f"已生成 {year} 年度模板：{out}"]


def roster_template_lines(result, new: list[Path], folder: Path, year: int) -> list[str]:  # type: ignore[no-untyped-def]
    lines = [*created_lines(new), f"已为 {len(result.written)} 个单位生成 {year} 年度模板，保存在文件夹：{folder}"]
    problems = result.roster.problems + result.notes
    if problems:
        lines.append(
            f"名单中有 {len(result.roster.problems)} 行未生成模板，另有 {len(result.notes)} 个文件名作了调整："
        )
        lines += problem_lines(problems)
    return lines


def merge_lines(result, new: list[Path], output: Path, json_out: Path | None, *, named: bool) -> list[str]:  # type: ignore[no-untyped-def]
    lines = [*created_lines(new), *summary_lines(result, output, json_out)]
    if not named:
        lines.append(
            f"提示：汇总表封面的“填报单位”取自文件名“{output.stem}”；"
            "上级汇总时以此区分各单位，建议用 --name 写明本单位名称。"
        )
    return lines


def summary_lines(result, output: Path, json_out: Path | None) -> list[str]:  # type: ignore[no-untyped-def]
    from govxl.merge import MERGED_STATUSES, Status

    counts: dict[str, int] = {}
    for e in result.files:
        counts[e.status] = counts.get(e.status, 0) + 1
    lines = [
        f"{result.year}年度（{result.edition.short_name}）汇总完成。",
        f"  读取文件：{len(result.files)} 份（已汇总 {len(result.units)}"
        + "".join(f"，{s} {n}" for s, n in counts.items() if s not in MERGED_STATUSES)
        + "）",
        f"  汇总单位：{len(result.units)} 个",
    ]
    if result.roster_used:
        missing = [line.unit for line in result.lines if line.status == Status.MISSING]
        lines.append(f"  缺报单位：{len(missing)} 个" + (f"（{'、'.join(missing)}）" if missing else ""))
    explained = sum(1 for f in result.hints if f.explanation)
    lines.append(f"  校验错误：{len(result.errors)} 项")
    lines.append(f"  校验提示：{len(result.hints)} 项" + (f"（其中已说明 {explained} 项）" if explained else ""))
    shown = _a_few_per_file(result.errors)
    for f in shown:
        where = "，".join(
            x for x in (f.unit, Path(f.file).name if f.file else "", f"{f.sheet}!{f.cell}" if f.cell else "") if x
        )
        lines.append(f"    [错误] {where}：{f.message}")
    if len(result.errors) > len(shown):
        lines.append(f"    ……另有 {len(result.errors) - len(shown)} 项错误，详见汇总表“校验结果”工作表")
    lines += [f"  已忽略：{text}" for text in result.ignored]
    lines.append(f"汇总表：{output}")
    if json_out:
        lines.append(f"校验结果（JSON）：{json_out}")
    return lines


def _a_few_per_file(errors: list[Finding], most: int = 10, per_file: int = 2) -> list[Finding]:
    """The first errors to show on screen, at most two of one file, so one broken file does not hide the others."""
    out: list[Finding] = []
    seen: dict[str, int] = {}
    for f in errors:
        key = f.file or f.unit
        if seen.get(key, 0) < per_file:
            seen[key] = seen.get(key, 0) + 1
            out.append(f)
        if len(out) == most:
            break
    return out


def check_lines(result) -> list[str]:  # type: ignore[no-untyped-def]
    lines = []
    for fc in result.files:
        head = Path(fc.shown).name
        if fc.ret is not None:
            year = f"{fc.ret.year}年度" if fc.ret.year else "年度未注明"
            head += f"（{fc.ret.unit}，{year}，{fc.ret.edition.short_name}）"
        verdict = "通过" if not fc.findings else f"错误 {fc.errors} 项，提示 {fc.hints} 项"
        lines.append(f"{head}：{verdict}")
        for f in fc.findings:
            lines.append(finding_line(f, with_unit=fc.ret is not None and fc.ret.kind == FiguresKind.MERGED))
            if f.explanation:
                lines.append(f"      单位说明：{f.explanation}")
    lines += [f"已忽略：{text}" for text in result.ignored]
    bad = sum(1 for fc in result.files if fc.ret is None and fc.errors)
    not_read = sum(1 for fc in result.files if fc.ret is None and not fc.errors)
    failed = sum(1 for fc in result.files if fc.ret is not None and fc.errors)
    passed = len(result.files) - bad - not_read - failed
    tail = f"，未读取（不是表格文件）{not_read} 份" if not_read else ""
    lines.append(f"共检查 {len(result.files)} 份文件：通过 {passed} 份，有错误 {failed} 份，无法读取 {bad} 份{tail}。")
    return lines


def annotated_lines(annotated: tuple[list[Path], list[tuple[str, str]]] | None, folder: Path | None) -> list[str]:
    """The annotated copies ``check --annotate`` wrote (``annotated`` is what ``annotate_all`` returned)."""
    if annotated is None:
        return []
    written, skipped = annotated
    if written:
        lines = [f"已生成 {len(written)} 份标注副本，保存在文件夹：{folder}"]
    else:
        lines = ["没有需要退回修改的报表，未生成标注副本。"]
    return lines + [f"  未生成 {shown} 的标注副本：{reason}" for shown, reason in skipped]


def check_written_lines(new: list[Path], json_out: Path | None) -> list[str]:
    return [*created_lines(new), *([f"校验结果（JSON）：{json_out}"] if json_out is not None else [])]


def report_lines(checked, source: Path, output: Path, new: list[Path]) -> list[str]:  # type: ignore[no-untyped-def]
    lines = [*created_lines(new), f"已生成年报表格：{output}"]
    errors = [f for f in checked.findings if f.is_error]
    incomplete = [f for f in checked.findings if f.rule == INCOMPLETE]
    lines += [f"注意：汇总表不完整，表格中的数字不包括这些单位：{f.message}" for f in incomplete]
    if errors:
        lines.append(f"注意：{Path(source).name} 的数据有 {len(errors)} 项错误，表格中的数字可能不对，请修改后再发布：")
        lines += [finding_line(f) for f in errors]
    return lines


def export_lines(result, new: list[Path]) -> list[str]:  # type: ignore[no-untyped-def]
    units = result.figures["填报单位"].nunique() if len(result.figures) else 0
    lines = [
        *created_lines(new),
        f"已导出 {units} 个单位、{len(result.figures)} 行数据，{len(result.findings)} 条校验结果：",
    ]
    lines += [f"  {path}" for path in result.written]
    lines += [
        f"  未导出 {fc.shown}：{fc.findings[0].message}" for fc in result.checked.files if fc.ret is None and fc.errors
    ]
    return lines


def history_lines(result, new: list[Path], output: Path) -> list[str]:  # type: ignore[no-untyped-def]
    years = "、".join(str(y.year) for y in result.years)
    lines = [*created_lines(new), f"已生成 {years} 年度的历年对比（{len(result.units)} 个单位）：{output}"]
    return lines + [finding_line(f, with_unit=True) for f in result.findings]


def audit_lines(result, *, many: bool) -> list[str]:  # type: ignore[no-untyped-def]
    """Each report's verdict; its findings and assumptions too when only one was given."""
    lines = []
    for r in result.reports:
        unit = r.unit or "单位未注明"
        year = f"{r.year}年度" if r.year else "年度未注明"
        verdict = "通过" if not r.findings else f"错误 {len(r.errors)} 项，提示 {len(r.hints)} 项"
        lines.append(f"{Path(r.file).name}（{unit}，{year}，{r.edition.short_name}，{r.read_as}）：{verdict}")
        if not many:
            lines += [finding_line(f) for f in r.findings]
            lines += [f"  [推定] {text}" for text in r.assumptions]
    if result.failed:
        lines.append(f"无法读取 {len(result.failed)} 份：")
        lines += [f"  {file}：{why}" for file, why in result.failed]
    return lines


def audit_written_lines(new: list[Path], xlsx: Path | None) -> list[str]:
    return [*created_lines(new), *([f"已写出工作簿：{xlsx}"] if xlsx is not None else [])]
