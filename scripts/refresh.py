"""Regenerate the files the repository ships: templates/ (and samples/).

    python scripts/refresh.py

tests/test_shipped.py fails when what is committed differs from what this writes.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from govxl.editions import EDITIONS  # noqa: E402
from govxl.editions.rules import RULES  # noqa: E402
from govxl.judge.engine import checks_for  # noqa: E402
from govxl.results.catalogue import catalogue  # noqa: E402
from govxl.template import make_template  # noqa: E402

# One blank template per edition: the last year of the old one, and the current report year.
TEMPLATE_YEARS = {"2019": 2020, "2021": 2026}


def template_path(folder: Path, edition_id: str) -> Path:
    edition = next(e for e in EDITIONS if e.id == edition_id)
    return folder / f"{TEMPLATE_YEARS[edition_id]}年度模板（{edition.short_name}）.xlsx"


def refresh_templates(folder: Path) -> list[Path]:
    out = []
    for edition_id, year in TEMPLATE_YEARS.items():
        out.append(make_template(template_path(folder, edition_id), year))
    return out


def rules_markdown() -> str:
    """docs/rules.md: the rule catalogue, generated from govxl/editions/rules.py."""
    lines = [
        "# 校验规则 / Rules",
        "",
        "由 `scripts/refresh.py` 根据 `govxl/editions/rules.py` 生成，请勿手工修改。",
        "Generated from `govxl/editions/rules.py` by `scripts/refresh.py`; do not edit.",
        "",
        "| 编号 | 级别 | 适用格式 | 内容 | 规则 | 每份报表条数 | 依据 |",
        "|---|---|---|---|---|---|---|",
    ]
    for rule in RULES:
        editions = "、".join(e.short_name for e in EDITIONS if e.id in rule.editions)
        expr = rule.expr or {"domain": "按单元格类型逐格检查", "blank": "逐格检查空白及“/”等符号"}[rule.check]
        if rule.foreach:
            expr += "（" + "，".join(f"{var} 取 {group} 中每一项" for var, group in rule.foreach) + "）"
        per_edition = [str(sum(1 for c in checks_for(e) if c.rule is rule)) for e in EDITIONS if e.id in rule.editions]
        count = "跨年度" if rule.cross_year else "／".join(per_edition)
        title = rule.title.replace("（{c}）", "").replace("（{r}）", "").replace("（{b}）", "")
        lines.append(
            f"| {rule.id} | {rule.severity.value} | {editions} | {title} | `{expr}` | {count} | {rule.source} |"
        )
    rule_ids = {rule.id for rule in RULES}
    lines += ["", "其他编号（单元格、文件、名单、已发布年报的读取）：", "", "| 编号 | 内容 |", "|---|---|"]
    lines += [f"| {e.id} | {e.title} |" for e in catalogue().values() if e.id not in rule_ids]
    lines.append("")
    return "\n".join(lines)


def cli_markdown() -> str:
    """docs/cli.md: every command, its description and options, from the Typer app itself."""
    import typer

    from govxl.apps.cli import app

    group = typer.main.get_command(app)
    lines = [
        "# 命令参考 / Command reference",
        "",
        "由 `scripts/refresh.py` 根据 `govxl/apps/cli.py` 生成，请勿手工修改。",
    ]
    lines.append("")
    for name, command in sorted(group.commands.items()):  # type: ignore[attr-defined]
        lines += [f"## govxl {name}", "", (command.help or "").strip(), "", "| 参数 | 说明 |", "|---|---|"]
        for param in command.params:
            if param.name == "_help":
                continue
            names = " / ".join(getattr(param, "opts", [])) or param.name
            if param.param_type_name == "argument":
                names = (param.name or "").upper()
            text = (getattr(param, "help", None) or "").replace("|", "\\|")
            lines.append(f"| `{names}` | {text} |")
        lines.append("")
    return "\n".join(lines)


def refresh_docs(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    rules, cli = folder / "rules.md", folder / "cli.md"
    rules.write_text(rules_markdown(), encoding="utf-8")
    cli.write_text(cli_markdown(), encoding="utf-8")
    return [rules, cli]


if __name__ == "__main__":
    for p in refresh_templates(ROOT / "templates") + refresh_docs(ROOT / "docs"):
        print(p.relative_to(ROOT))
