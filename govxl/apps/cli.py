"""The ``govxl`` command: a thin layer over the library, in Chinese."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path
from typing import Annotated, Optional

import typer

from govxl.apps.cli_help import ChineseCommand, ChineseGroup
from govxl.errors import GovxlError, UsageError
from govxl.io import explain_os_error
from govxl.outputs import missing_folders
from govxl.read.roster import problem_lines
from govxl.results.findings import INCOMPLETE, Finding
from govxl.template import make_roster_templates, make_template, template_file_name
from govxl.version import __version__

app = typer.Typer(
    name="govxl",
    help="政府信息公开工作年度报告统计表工具：生成模板、汇总各单位报表、校验勾稽关系。",
    add_completion=False,
    no_args_is_help=True,
    context_settings={"help_option_names": []},  # our own -h/--help below, with Chinese help text
    pretty_exceptions_enable=False,
    cls=ChineseGroup,
)


def _show_help(ctx: typer.Context, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        typer.echo(ctx.get_help())
        raise typer.Exit()


Help = Annotated[
    bool,
    typer.Option("--help", "-h", is_eager=True, callback=_show_help, help="显示本帮助并退出。", show_default=False),
]


def _supported_year(value: int | None) -> int | None:
    """A year out of range is a usage error at once (exit 2), not a finding about every file."""
    if value is not None:
        from govxl.editions import edition_for_year

        edition_for_year(value)  # UsageError, in Chinese, naming the years supported
    return value


Year = Annotated[
    int,
    typer.Option(
        "--year",
        "-y",
        metavar="年度",
        help="报告年度，例如 2025。2019—2020 年度用2019年试行格式，2021 年度起用2021年格式。",
        callback=_supported_year,
    ),
]


JsonOut = Annotated[Optional[Path], typer.Option("--json", metavar="JSON文件", help="另存全部校验结果为 JSON 文件。")]
YearRead = Annotated[
    Optional[int],
    typer.Option("--year", "-y", metavar="年度", help="报告年度（默认从各报表中读出）。", callback=_supported_year),
]


def _say(text: str = "") -> None:
    typer.echo(text)


@app.command("template", cls=ChineseCommand)
def template_cmd(
    year: Year,
    output: Annotated[
        Optional[Path],
        typer.Option(
            "--output", "-o", metavar="文件或文件夹", help="输出文件（单个模板）或文件夹（使用 --roster 时）。"
        ),
    ] = None,
    roster: Annotated[
        Optional[Path],
        typer.Option(
            "--roster",
            "-r",
            metavar="名单文件",
            help="单位名单：文本文件每行一个单位，或含“单位名称”列的 .xlsx/.csv。为每个单位各生成一份模板"
            "（封面填写名单中的名称；其他名称不生成模板）。",
        ),
    ] = None,
    unit: Annotated[
        str, typer.Option("--unit", "-u", metavar="单位名称", help="填报单位名称（单个模板时预先填入封面）。")
    ] = "",
    password: Annotated[str, typer.Option("--password", metavar="密码", help="工作表保护密码（默认不设密码）。")] = "",
    _help: Help = False,
) -> None:
    """生成空白报表模板，发给各单位填报。

    示例：govxl template -y 2025 -o 模板.xlsx
          govxl template -y 2025 --roster 单位名单.txt -o 模板文件夹
    """
    if roster is None:
        out = output or Path(template_file_name(year, unit))
        out = out / template_file_name(year, unit) if out.is_dir() else with_xlsx(out)
        new = missing_folders([out])
        make_template(out, year, unit=unit, password=password)
        _say_created(new)
        _say(f"已生成 {year} 年度模板：{out}")
        return
    folder = output or Path(f"{year}年度模板")
    new = missing_folders([folder / "模板"])
    result = make_roster_templates(roster, folder, year, password=password)
    _say_created(new)
    _say(f"已为 {len(result.written)} 个单位生成 {year} 年度模板，保存在文件夹：{folder}")
    problems = result.roster.problems + result.notes
    if problems:
        _say(f"名单中有 {len(result.roster.problems)} 行未生成模板，另有 {len(result.notes)} 个文件名作了调整：")
        for line in problem_lines(problems):
            _say(line)


@app.command("merge", cls=ChineseCommand)
def merge_cmd(
    inputs: Annotated[
        list[Path],
        typer.Argument(
            help="回收的报表文件或文件夹（文件夹中的每个文件都会读取或列明原因，包括所有子文件夹）。",
            show_default=False,
            metavar="报表文件或文件夹",
        ),
    ],
    output: Annotated[Path, typer.Option("--output", "-o", metavar="文件", help="汇总表保存为此文件（.xlsx）。")],
    roster: Annotated[
        Optional[Path],
        typer.Option(
            "--roster",
            "-r",
            metavar="名单文件",
            help="单位名单，用于核对已报、缺报、重复、无法读取和名单外的单位。文本文件每行一个单位，"
            "同一行可写明报表封面上使用的其他名称，如“区财政局 = 牡丹江市西安区财政局；财政局”（多个用分号隔开）；"
            ".xlsx/.csv 用“单位名称”列，其他名称写在“其他名称”列。封面写其他名称的报表按名单中的单位计入，并给出提示。",
        ),
    ] = None,
    json_out: JsonOut = None,
    year: YearRead = None,
    name: Annotated[
        str, typer.Option("--name", "-n", metavar="单位名称", help="汇总表封面的“填报单位”（默认取输出文件名）。")
    ] = "",
    last_year: Annotated[
        Optional[Path],
        typer.Option(
            "--last-year",
            metavar="上年文件",
            help="上年的汇总表或报表，用于跨年度校验（本年上年结转应等于上年结转下年度等）。",
        ),
    ] = None,
    when: Annotated[
        Optional[str],
        typer.Option(
            "--time",
            metavar="时间",
            help="封面显示的汇总时间，如 “2026-01-15 10:00”（默认显示最新一份报表的保存时间）。",
        ),
    ] = None,
    _help: Help = False,
) -> None:
    """汇总各单位回收的报表，生成带实时公式和校验标记的汇总表。

    示例：govxl merge 回收报表 -o 汇总.xlsx --roster 单位名单.txt
    """
    from govxl.merge import merge, write_outputs

    output = output / MERGED_FILE_NAME if output.is_dir() else with_xlsx(output)
    new = missing_folders([output, json_out])
    stamp = _parse_time(when) if when else None
    with _progress() as tick:
        result = merge(
            inputs,
            year=year,
            roster=roster,
            name=name or output.stem,
            when=stamp,
            output=output,
            progress=tick,
            last_year=last_year,
            json_out=json_out,
        )
    write_outputs(result, output, json_out)
    _say_created(new)
    for line in summary_lines(result, output, json_out):
        _say(line)
    if not name:
        _say(
            f"提示：汇总表封面的“填报单位”取自文件名“{output.stem}”；"
            "上级汇总时以此区分各单位，建议用 --name 写明本单位名称。"
        )
    raise typer.Exit(1 if result.errors else 0)


@app.command("check", cls=ChineseCommand)
def check_cmd(
    inputs: Annotated[
        list[Path],
        typer.Argument(
            help="要检查的报表文件或文件夹（也可以是汇总表）。", show_default=False, metavar="报表文件或文件夹"
        ),
    ],
    json_out: JsonOut = None,
    year: YearRead = None,
    last_year: Annotated[
        Optional[Path],
        typer.Option("--last-year", metavar="上年文件", help="上年的汇总表或报表，用于跨年度校验。"),
    ] = None,
    annotate: Annotated[
        Optional[Path],
        typer.Option(
            "--annotate",
            metavar="文件夹",
            help="为每份有问题的报表生成一份标注副本（标红、批注、校验结果），保存到此文件夹，用于退回修改。",
        ),
    ] = None,
    _help: Help = False,
) -> None:
    """检查报表，不汇总：指出哪个单元格有误、建议值是多少。

    示例：govxl check 区财政局.xlsx
          govxl check 回收报表 --annotate 退回修改
    """
    from govxl.check import check_files
    from govxl.outputs import claim_all

    claim_all([(json_out, "findings")])
    new = missing_folders([json_out, annotate / "副本" if annotate is not None else None])
    with _progress() as tick:
        result = check_files(
            inputs, year=year, progress=tick, last_year=last_year, outputs=[json_out], annotate=annotate
        )
    for line in check_lines(result):
        _say(line)
    if annotate is not None:
        from govxl.excel.annotate import annotate_all

        written, skipped = annotate_all(result, annotate)
        if written:
            _say(f"已生成 {len(written)} 份标注副本，保存在文件夹：{annotate}")
        else:
            _say("没有需要退回修改的报表，未生成标注副本。")
        for shown, reason in skipped:
            _say(f"  未生成 {shown} 的标注副本：{reason}")
    if json_out is not None:
        from govxl.io import write_json
        from govxl.outputs import marked_json

        write_json(json_out, marked_json(result.to_json()))
    _say_created(new)
    if json_out is not None:
        _say(f"校验结果（JSON）：{json_out}")
    if not result.usable:
        raise typer.Exit(2)
    raise typer.Exit(1 if result.errors else 0)


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
            lines.append(finding_line(f, with_unit=fc.ret is not None and fc.ret.kind == "merged"))
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


@app.command("report", cls=ChineseCommand)
def report_cmd(
    source: Annotated[
        Path, typer.Argument(help="汇总表，或单个单位的报表。", show_default=False, metavar="汇总表或报表")
    ],
    output: Annotated[Path, typer.Option("--output", "-o", metavar="文件", help="输出文件：.docx、.html 或 .md。")],
    _help: Help = False,
) -> None:
    """生成年报用的三张表格和“总体情况”数据摘要（Word、网页或 Markdown），文字与表格数字一致。

    示例：govxl report 汇总.xlsx -o 年报表格.docx
    """
    from govxl.publish import publish_report

    new = missing_folders([output])
    checked = publish_report(source, output)
    _say_created(new)
    _say(f"已生成年报表格：{output}")
    errors = [f for f in checked.findings if f.is_error]
    incomplete = [f for f in checked.findings if f.rule == INCOMPLETE]
    for f in incomplete:
        _say(f"注意：汇总表不完整，表格中的数字不包括这些单位：{f.message}")
    if incomplete and not errors:
        raise typer.Exit(1)
    if errors:
        _say(f"注意：{Path(source).name} 的数据有 {len(errors)} 项错误，表格中的数字可能不对，请修改后再发布：")
        for f in errors:
            _say(finding_line(f))
        raise typer.Exit(1)


@app.command("export", cls=ChineseCommand)
def export_cmd(
    inputs: Annotated[
        list[Path],
        typer.Argument(help="报表、汇总表，或存放它们的文件夹。", show_default=False, metavar="报表文件或文件夹"),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", metavar="文件", help="导出的数据文件：.csv（Excel 可直接打开）、.xlsx 或 .parquet。"
        ),
    ],
    _help: Help = False,
) -> None:
    """导出各单位的全部数据（每个单位每个单元格一行，空白、0 和不适用分开标明），供统计分析软件使用。

    示例：govxl export 回收报表 -o 数据.csv
          govxl export 汇总.xlsx -o 数据.xlsx
    """
    from govxl.export import export

    new = missing_folders([output])
    result = export(inputs, output)
    _say_created(new)
    units = result.figures["填报单位"].nunique() if len(result.figures) else 0
    _say(f"已导出 {units} 个单位、{len(result.figures)} 行数据，{len(result.findings)} 条校验结果：")
    for path in result.written:
        _say(f"  {path}")
    for fc in result.checked.files:
        if fc.ret is None and fc.errors:
            _say(f"  未导出 {fc.shown}：{fc.findings[0].message}")
    raise typer.Exit(1 if result.checked.errors else 0)


@app.command("history", cls=ChineseCommand)
def history_cmd(
    inputs: Annotated[
        list[Path],
        typer.Argument(help="各年度的汇总表或报表（两种表格格式均可）。", show_default=False, metavar="各年度文件"),
    ],
    output: Annotated[Path, typer.Option("--output", "-o", metavar="文件", help="历年对比表保存为此文件（.xlsx）。")],
    _help: Help = False,
) -> None:
    """历年对比：把几个年度（含2019年试行格式和2021年格式）含义相同的数字按单位和合计排在一起，附跨年度校验和趋势图。

    示例：govxl history 2020汇总.xlsx 2021汇总.xlsx 2022汇总.xlsx -o 历年对比.xlsx
    """
    from govxl.history import history, write_history

    output = output / "历年对比.xlsx" if output.is_dir() else with_xlsx(output)
    new = missing_folders([output])
    result = history(inputs, output)
    write_history(result, output)
    _say_created(new)
    years = "、".join(str(y.year) for y in result.years)
    _say(f"已生成 {years} 年度的历年对比（{len(result.units)} 个单位）：{output}")
    errors = [f for f in result.findings if f.is_error]
    for f in result.findings:
        _say(finding_line(f, with_unit=True))
    raise typer.Exit(1 if errors else 0)


@app.command("audit", cls=ChineseCommand)
def audit_cmd(
    reports: Annotated[
        list[Path],
        typer.Argument(
            help="已发布的年报，或存放年报的文件夹：网页（.html）、Word（.docx）、PDF（含文字的）或复制出的文本（.txt）。",
            show_default=False,
            metavar="年报文件或文件夹",
        ),
    ],
    xlsx: Annotated[
        Optional[Path],
        typer.Option(
            "--xlsx",
            metavar="文件",
            help="一份年报：读出的数据写成 govxl 工作簿（带校验和标记）；多份：年报清单、全部数据和校验结果。",
        ),
    ] = None,
    json_out: JsonOut = None,
    _help: Help = False,
) -> None:
    """检查已经发布的年报：识别格式，读出三张表，按全部规则校验；可以一次检查一个文件夹中的全部年报，一个文件中有几份年报时逐份检查。

    示例：govxl audit 2020年报.html --xlsx 核对.xlsx
          govxl audit 各区年报 --xlsx 核对.xlsx --json 核对.json
    """
    from govxl.audit_folder import audit_all, write_audits
    from govxl.outputs import claim_all

    xlsx = with_xlsx(xlsx) if xlsx is not None and not xlsx.is_dir() else xlsx
    claim_all([(xlsx, "audit"), (json_out, "findings")])  # before the reports are read, which takes a while
    new = missing_folders([xlsx, json_out])
    with _progress("正在检查年报", shown_from=20) as tick:  # a PDF report takes a good fraction of a second
        result = audit_all(reports, progress=tick)
    many = len(result.reports) + len(result.failed) > 1
    for r in result.reports:
        unit = r.unit or "单位未注明"
        year = f"{r.year}年度" if r.year else "年度未注明"
        verdict = "通过" if not r.findings else f"错误 {len(r.errors)} 项，提示 {len(r.hints)} 项"
        _say(f"{Path(r.file).name}（{unit}，{year}，{r.edition.short_name}，{r.read_as}）：{verdict}")
        if not many:
            for f in r.findings:
                _say(finding_line(f))
            for text in r.assumptions:
                _say(f"  [推定] {text}")
    if result.failed:
        _say(f"无法读取 {len(result.failed)} 份：")
        for file, why in result.failed:
            _say(f"  {file}：{why}")
    write_audits(result, xlsx, json_out, one_report=not many)
    _say_created(new)
    if xlsx is not None:
        _say(f"已写出工作簿：{xlsx}")
    if result.failed or not result.reports:  # a report that could not be read was not checked: never "clean"
        raise typer.Exit(2)
    raise typer.Exit(1 if result.errors else 0)


@app.command("serve", cls=ChineseCommand)
def serve_cmd(
    folder: Annotated[
        Path,
        typer.Argument(
            help="工作文件夹：收到的报表和报送记录都保存在这里（没有时自动创建；再次启动时从中继续）。",
            show_default=False,
            metavar="工作文件夹",
        ),
    ],
    year: Annotated[
        Optional[int],
        typer.Option("--year", "-y", metavar="年度", help="报告年度（首次启动时指定，默认为上一年度）。"),
    ] = None,
    roster: Annotated[
        Optional[Path],
        typer.Option(
            "--roster",
            "-r",
            metavar="名单文件",
            help="单位名单：为名单中每个单位生成报送链接，并显示报送情况（写法同 merge 的 --roster，可含其他名称）。"
            "服务不改动名单文件；汇总用工作文件夹中的“汇总名单.csv”（名单加上各单位通过本单位链接上传的报表封面上的其他名称）。",
        ),
    ] = None,
    host: Annotated[
        str,
        typer.Option(
            "--host",
            metavar="地址",
            help="监听地址。默认 127.0.0.1 只允许本机访问；0.0.0.0 允许办公网中的其他电脑访问。",
        ),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", "-p", metavar="端口", help="端口号（0 表示自动选择）。")] = 8765,
    name: Annotated[
        str, typer.Option("--name", "-n", metavar="单位名称", help="汇总表封面的“填报单位”（默认“汇总”）。")
    ] = "",
    url: Annotated[
        str,
        typer.Option(
            "--url",
            metavar="网址",
            help="各单位访问本服务的地址，写入报送链接，如 http://10.1.2.3:8765（默认按监听地址生成）。",
        ),
    ] = "",
    no_browser: Annotated[
        bool, typer.Option("--no-browser", help="启动时不自动打开浏览器。", show_default=False)
    ] = False,
    new_key: Annotated[
        bool,
        typer.Option(
            "--new-key",
            help="更换办公室口令：以前登录办公室页面的浏览器都会退出，旧的办公室链接失效；启动时显示新的办公室链接。",
            show_default=False,
        ),
    ] = False,
    _help: Help = False,
) -> None:
    """启动报表收集服务：各单位通过各自的链接上传报表并立即看到校验结果，政务公开办在网页上查看报送情况、下载汇总表。

    示例：govxl serve 年报收集 --year 2025 --roster 单位名单.txt
          govxl serve 年报收集 --host 0.0.0.0 --port 8765
          govxl serve 年报收集 --new-key
    """
    from govxl.apps.serve import serve

    try:
        serve(
            folder,
            year=year,
            roster=roster,
            host=host,
            port=port,
            name=name,
            url=url,
            open_browser=not no_browser,
            new_key=new_key,
            say=_say,
        )
    except OSError as e:
        if e.errno in (98, 10048, 13, 10013):  # address in use, or a port the user may not open
            message = f"无法在 {host}:{port} 上启动服务：端口已被占用或没有权限，请用 --port 换一个端口。"
            raise UsageError(message) from e
        raise


def finding_line(f, *, with_unit: bool = False) -> str:  # type: ignore[no-untyped-def]
    """One finding on the terminal: “  [错误] 表三!D5 A1 …” (with the unit first, for merged workbooks)."""
    tag = f.severity.value + ("·已说明" if f.explanation else "")
    where = f"{f.sheet}!{f.cell} " if f.cell else ""
    unit = f"{f.unit}，" if with_unit and f.unit else ""
    return f"  [{tag}] {unit}{where}{f.rule} {f.message}"


MERGED_FILE_NAME = "汇总.xlsx"  # written inside the folder when -o names an existing folder


_NOT_XLSX = (".xls", ".xlsm", ".xlsb", ".et", ".csv", ".json", ".txt", ".docx", ".doc", ".pdf", ".ods", ".html")


def with_xlsx(path: Path) -> Path:
    """The output as given, with “.xlsx” added unless it already ends so (“西安区.2021年汇总” keeps its name)."""
    if path.suffix.lower() in _NOT_XLSX:
        raise UsageError(
            f"{path.name}：这个输出是 Excel 工作簿，只能保存为 .xlsx 文件（扩展名与写入的内容不符）；"
            "请把文件名改为以 .xlsx 结尾。"
        )
    return path if path.suffix.lower() == ".xlsx" else path.with_name(path.name + ".xlsx")


def _say_created(folders: list[Path]) -> None:
    """Folders an output needed were created: said, never silently (see :mod:`govxl.outputs`)."""
    for folder in folders:
        if folder.is_dir():
            _say(f"已新建文件夹：{folder}")


def _parse_time(text: str):  # type: ignore[no-untyped-def]
    from datetime import datetime

    for pattern in ("%Y-%m-%d %H:%M", "%Y-%m-%d", "%Y/%m/%d %H:%M", "%Y/%m/%d"):
        try:
            return datetime.strptime(text.strip(), pattern)
        except ValueError:
            continue
    raise UsageError(f"--time 的格式应为“2026-01-15 10:00”，收到的是“{text}”。")


class _progress:
    """A progress bar on stderr, only for long runs on a terminal."""

    def __init__(self, label: str = "正在读取报表", shown_from: int = 200) -> None:
        self.label, self.shown_from = label, shown_from

    def __enter__(self):  # type: ignore[no-untyped-def]
        self._bar = None
        return self.tick

    def tick(self, done: int, total: int) -> None:
        if total < self.shown_from or not sys.stderr.isatty():
            return
        if self._bar is None:
            self._bar = typer.progressbar(length=total, label=self.label, file=sys.stderr)
            self._bar.__enter__()
        self._bar.update(1)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)


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


def _version(value: bool) -> None:
    if value:
        _say(f"govxl {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="显示版本号。")] = False,
    _help: Help = False,
) -> None:
    """政府信息公开工作年度报告统计表工具：生成模板、汇总各单位报表、校验勾稽关系。"""


def main() -> None:
    """Entry point: maps every failure to a Chinese message and an exit code."""
    _console_survives_gbk()
    warnings.simplefilter("ignore")  # libraries' English warnings; what matters to the user is said as a finding
    try:
        code = app(args=sys.argv[1:] or ["--help"], prog_name="govxl", standalone_mode=False)
        sys.exit(code if isinstance(code, int) else 0)
    except GovxlError as e:
        typer.echo(f"错误：{e}", err=True)
        sys.exit(e.exit_code)
    except OSError as e:
        typer.echo(f"错误：{explain_os_error(e, e.filename or '', '读写')}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        typer.echo("已中止，未写入任何不完整的文件。", err=True)
        sys.exit(2)
    except typer.Exit as e:
        sys.exit(e.exit_code)
    except typer.Abort:
        typer.echo("已中止。", err=True)
        sys.exit(2)
    except Exception as e:
        if _is_usage_error(e):
            ctx = getattr(e, "ctx", None)
            cmd = ctx.command_path if ctx else "govxl"
            typer.echo(f"用法错误：{usage_message(e)}\n运行“{cmd} --help”查看用法。", err=True)
            sys.exit(2)
        # a bug: say so plainly, never a traceback
        typer.echo(f"govxl 内部错误（{type(e).__name__}: {e}）。请把此信息和所用文件反馈给维护人员。", err=True)
        sys.exit(2)


def _console_survives_gbk() -> None:
    """A Chinese Windows console (GBK) cannot show every character a file name may hold: replace, never crash."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")


def _is_usage_error(e: Exception) -> bool:
    """Click's usage errors (which Typer vendors): exit code 2 and a message for the user."""
    return getattr(e, "exit_code", None) == 2 and callable(getattr(e, "format_message", None))


def usage_message(e: Exception) -> str:
    """The Chinese for a command-line mistake, told apart by the attributes Click's errors carry."""
    from govxl.apps.cli_help import metavar

    param = getattr(e, "param", None)
    opts = [o for o in (getattr(param, "opts", None) or []) if o.startswith("-")]
    name = "/".join(opts) or (metavar(param) if param is not None else "")
    option = getattr(e, "option_name", None)
    if hasattr(e, "possibilities"):
        return f"没有这个选项：{option}。"
    if option:
        if "require" in str(getattr(e, "message", "")):
            return f"选项 {option} 后面需要填写一个值。"
        return f"选项 {option} 不需要填写值。"
    if hasattr(e, "param_type"):
        return f"缺少必填参数：{name}。"
    if param is not None:
        wanted = {"年度": "整数（年份）"}.get(metavar(param), metavar(param))
        return f"参数 {name} 的值无效，应填写{wanted}。"
    if "unexpected extra argument" in str(getattr(e, "message", "")):
        return "多了无法识别的参数；文件名中有空格时请用英文引号括起来。"
    return str(getattr(e, "message", e))


if __name__ == "__main__":
    main()
