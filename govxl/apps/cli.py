"""The ``govxl`` command, declared: options and help texts in Chinese; each command a few library calls and a render."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from govxl.apps import output_names, render
from govxl.apps.cli_help import ChineseCommand, ChineseGroup
from govxl.apps.failures import port_refused_is_usage, run
from govxl.apps.progress import ProgressBar
from govxl.apps.render import say
from govxl.apps.time_option import parse_time
from govxl.outputs import claim_all, claim_folder, missing_folders
from govxl.results.findings import INCOMPLETE
from govxl.template import make_roster_templates, make_template
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
        out = output_names.template_output(output, year, unit)
        new = missing_folders([out])
        make_template(out, year, unit=unit, password=password)
        say(render.template_lines(new, out, year))
        return
    folder = output_names.roster_folder(output, year)
    new = missing_folders([folder / "模板"])
    result = make_roster_templates(roster, folder, year, password=password)
    say(render.roster_template_lines(result, new, folder, year))


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

    output = output_names.workbook_output(output, output_names.MERGED_FILE_NAME)
    claim_all([(output, "merged"), (json_out, "findings")], inputs)  # before the returns are read, which takes a while
    new = missing_folders([output, json_out])
    stamp = parse_time(when) if when else None
    with ProgressBar() as tick:
        result = merge(
            inputs,
            year=year,
            roster=roster,
            name=name or output.stem,
            when=stamp,
            progress=tick,
            last_year=last_year,
            outputs=[output, json_out],
        )
    write_outputs(result, output, json_out)
    say(render.merge_lines(result, new, output, json_out, named=bool(name)))
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
    from govxl.excel.annotate import annotate_all
    from govxl.io import write_json
    from govxl.outputs import marked_json

    claim_all([(json_out, "findings")])
    if annotate is not None:
        claim_folder(annotate, inputs)
    new = missing_folders([json_out, annotate / "副本" if annotate is not None else None])
    with ProgressBar() as tick:
        result = check_files(inputs, year=year, progress=tick, last_year=last_year, outputs=[json_out])
    say(render.check_lines(result))
    say(render.annotated_lines(annotate_all(result, annotate) if annotate is not None else None, annotate))
    if json_out is not None:
        write_json(json_out, marked_json(result.to_json()))
    say(render.check_written_lines(new, json_out))
    raise typer.Exit(2 if not result.usable else 1 if result.errors else 0)


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
    say(render.report_lines(checked, source, output, new))
    raise typer.Exit(1 if any(f.is_error or f.rule == INCOMPLETE for f in checked.findings) else 0)


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
    say(render.export_lines(result, new))
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

    output = output_names.workbook_output(output, output_names.HISTORY_FILE_NAME)
    claim_all([(output, "history")], inputs)  # before the years are read
    new = missing_folders([output])
    result = history(inputs, [output])
    write_history(result, output)
    say(render.history_lines(result, new, output))
    raise typer.Exit(1 if any(f.is_error for f in result.findings) else 0)


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

    xlsx = output_names.audit_workbook(xlsx)
    claim_all([(xlsx, "audit"), (json_out, "findings")])  # before the reports are read, which takes a while
    new = missing_folders([xlsx, json_out])
    with ProgressBar("正在检查年报", shown_from=20) as tick:  # a PDF report takes a good fraction of a second
        result = audit_all(reports, progress=tick)
    many = len(result.reports) + len(result.failed) > 1
    say(render.audit_lines(result, many=many))
    write_audits(result, xlsx, json_out, one_report=not many)
    say(render.audit_written_lines(new, xlsx))
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

    with port_refused_is_usage(host, port):
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
            say=typer.echo,
        )


def _version(value: bool) -> None:
    if value:
        typer.echo(f"govxl {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="显示版本号。")] = False,
    _help: Help = False,
) -> None:
    """政府信息公开工作年度报告统计表工具：生成模板、汇总各单位报表、校验勾稽关系。"""


def main() -> None:
    """Entry point: maps every failure to a Chinese message and an exit code (see :mod:`govxl.apps.failures`)."""
    run(app)


if __name__ == "__main__":
    main()
