"""The files the repository ships are what the code writes today."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import ROOT
from tests.helpers import load_script


def _refresh():  # type: ignore[no-untyped-def]
    return load_script("scripts/refresh.py")


def test_templates_are_current(tmp_path: Path) -> None:
    fresh = _refresh().refresh_templates(tmp_path)
    assert len(fresh) == 2
    for path in fresh:
        shipped = ROOT / "templates" / path.name
        assert shipped.exists(), f"missing {shipped}: run python scripts/refresh.py"
        assert shipped.read_bytes() == path.read_bytes(), f"{shipped.name} is stale: run python scripts/refresh.py"


def test_rules_doc_is_current() -> None:
    shipped = ROOT / "docs" / "rules.md"
    assert shipped.read_text(encoding="utf-8") == _refresh().rules_markdown(), "run python scripts/refresh.py"


def test_cli_doc_is_current_and_complete() -> None:
    import typer

    from govxl.apps.cli import app

    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert text == _refresh().cli_markdown(), "run python scripts/refresh.py"
    for name, command in typer.main.get_command(app).commands.items():  # type: ignore[attr-defined]
        assert f"## govxl {name}" in text and command.help
