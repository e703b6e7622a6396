#!/usr/bin/env python3
"""Regroup govxl by stage (issue 20): editions → read → judge → write → apps.

A codemod, run on whatever tree it finds (the merged main, not the tree it was written on):

    python scripts/restructure.py --dry-run     # the plan: moves, files rewritten, arrows left; changes nothing
    python scripts/restructure.py               # do it (a clean git tree is required; --allow-dirty to override)

It only moves modules (``git mv``) and rewrites references to them; it changes no behaviour:
- imports in every form: ``import govxl.a.b``, ``from govxl.a import b`` (split or aliased when ``b`` moved
  elsewhere or was renamed), relative imports (made absolute when their meaning would change), inside
  functions and under ``TYPE_CHECKING`` alike;
- dotted names anywhere in text (``"govxl.merge"`` in mock.patch, ``python -m govxl.cli``, entry points,
  ``:mod:`` references, docs) and paths (``govxl/excel/read.py``) in govxl/, tests/, scripts/, benchmarks/,
  samples/, examples/, docs/, README.md, pyproject.toml;
- then sorts the import blocks it touched (``ruff check --fix --select I001``), writes the new rooms'
  ``__init__.py``, the generated tables of tests/test_architecture.py and the
  generated sections of docs/architecture.md.

Everything is computed from the tree it runs on. It stops (exit 2) before changing anything when a module has
no room in the tables below, a move's source and target both exist, a moved module finds files through
``__file__``, an import it cannot rewrite, or a dynamic import of govxl. Running it twice changes nothing the
second time.
"""

from __future__ import annotations

import argparse
import ast
import io
import re
import subprocess
import sys
import time
import tokenize
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.test_architecture import import_lines  # one import scanner, and one reading of the stages: the test's
from tests.test_architecture import stage_of as architecture_stage_of

# ---------------------------------------------------------------------------------------------------------------
# The move map: old module (or package) → new module (or package). A package entry moves every file under it.
MOVES: dict[str, str] = {
    # read: workbooks, published documents, merged workbooks' unit rows, the inbox, the roster
    "govxl.excel.read": "govxl.read.workbook",
    "govxl.excel.xlsxparts": "govxl.read.xlsxparts",
    "govxl.excel.xlsxcells": "govxl.read.xlsxcells",  # branch fast-merge
    "govxl.documents": "govxl.read.documents",
    "govxl.pdftables": "govxl.read.pdftables",  # branch audit-pdf
    "govxl.pdfunruled": "govxl.read.pdfunruled",  # branch audit-pdf
    "govxl.labelmatch": "govxl.read.labelmatch",  # branch audit-text: a printed label against the official ones
    "govxl.pdflines": "govxl.read.pdflines",  # a PDF's characters as lines, words and cells
    "govxl.docxrows": "govxl.read.docxrows",  # a Word file as rows of cells
    "govxl.vocabulary": "govxl.read.vocabulary",  # the labels a published report is read by
    "govxl.reportsplit": "govxl.read.reportsplit",  # one file holding several reports, cut into each
    "govxl.runtogether": "govxl.read.runtogether",
    "govxl.inbox": "govxl.read.inbox",
    "govxl.roster": "govxl.read.roster",
    "govxl.lastyear": "govxl.read.lastyear",
    # judge: the rule engine and what it needs, the finding catalogue; figures in, findings out
    "govxl.rules": "govxl.judge.engine",  # was a twin of editions/rules.py (the rules as data)
    "govxl.expr": "govxl.judge.expr",
    "govxl.localize": "govxl.judge.localize",
    "govxl.catalogue": "govxl.results.catalogue",  # the ids of findings, beside them (judging imports no result)
    # results: what flows between the stages (the command results are to follow: see docs/architecture.md)
    "govxl.figures": "govxl.results.figures",
    "govxl.findings": "govxl.results.findings",
    "govxl.completeness": "govxl.results.completeness",
    "govxl.frames": "govxl.results.frames",  # pandas frames of results: below the result types that offer them
    # write: govxl/excel/ keeps the writers only; the twins of the commands' modules get a "_book" name
    "govxl.excel.template": "govxl.excel.template_book",  # was a twin of template.py
    "govxl.excel.merged": "govxl.excel.merged_book",  # was a twin of merge.py
    "govxl.annotate": "govxl.excel.annotate",
    # commands: one report (audit) and a folder of them no longer differ by one letter
    "govxl.audits": "govxl.audit_folder",
    # editions: the series govxl history lines up (was a twin of history.py)
    "govxl.editions.history": "govxl.editions.series",
    # apps
    "govxl.cli": "govxl.apps.cli",
    "govxl.cli_help": "govxl.apps.cli_help",
    "govxl.serve": "govxl.apps.serve",  # the package, its templates and static files
}

# Modules of a move whose source may be absent: they come with branches not merged when this was written.
OPTIONAL = {"govxl.excel.xlsxcells", "govxl.pdftables", "govxl.pdfunruled", "govxl.labelmatch"}

# Every module that stays where it is, with its stage, and the stage of the modules moved to the top level. A
# module found in the tree that is neither moved nor listed here (or under a package of STAY_PACKAGES) stops the
# codemod: give it a room first.
STAY: dict[str, str] = {
    "govxl": "front",  # the public API: govxl.read_file, govxl.merge_files, …
    "govxl.__main__": "apps",  # python -m govxl: the command line
    "govxl.errors": "base",
    "govxl.version": "base",
    "govxl.values": "base",
    "govxl.io": "core",
    "govxl.outputs": "write",  # branch output-fixes: one output policy for every command (reads what is there)
    "govxl.workers": "core",
    "govxl.layout": "core",
    "govxl.normalize": "core",
    "govxl.synth": "core",
    "govxl.publish": "commands",  # govxl report: read, write the report, check (govxl/report/ only renders)
    "govxl.sheetnames": "core",  # sheet names and labels both the writers and the readers go by
    "govxl.columns": "core",  # the frames' and exports' columns, English and Chinese
    "govxl.markers": "core",  # what govxl wrote a file as: the output policy and the inbox both ask
    "govxl.excel": "write",
    "govxl.excel.styles": "write",
    "govxl.excel.sheets": "write",
    "govxl.excel.formulas": "write",
    "govxl.excel.fastrows": "write",
    "govxl.excel.charts": "write",
    "govxl.excel.detail": "write",
    "govxl.excel.meta": "write",
    "govxl.excel.copies": "write",
    "govxl.excel.audit_book": "write",
    "govxl.excel.finding_notes": "write",
    "govxl.merge": "commands",
    "govxl.check": "commands",
    "govxl.audit": "commands",
    "govxl.audit_folder": "commands",
    "govxl.history": "commands",
    "govxl.template": "commands",
    "govxl.export": "commands",
    # judging that gives findings (a unit's, cross-year): above the result types it takes (Figures, LastYear) and
    # gives (Finding), below the readers and commands that ask it; the rule engine beneath it stays below results
    "govxl.judge.unit": "results",
    "govxl.judge.crossyear": "results",
    "govxl.judge.published": "results",  # a published report's words against its tables (C12)
    "govxl.unitnames": "core",  # the key a unit's names match by: the roster, merging, last year's figures
}
STAY_PACKAGES = {"govxl.editions", "govxl.report"}

# The stage of every module after the move: by its room, else by STAY. Lower stages never import higher ones.
ROOM_STAGE: dict[str, str] = {
    "govxl.editions": "editions",
    "govxl.results": "results",
    "govxl.judge": "judge",
    "govxl.read": "read",
    "govxl.excel": "write",
    "govxl.report": "write",
    "govxl.apps": "apps",
}
# judge below results: the rule engine gives rule outcomes, which the results hold (a merge's per unit);
# it imports no result, and Figures settle their formula totals by the engine's prefill definitions.
STAGES = ("base", "editions", "core", "judge", "results", "read", "write", "commands", "front", "apps")

# The new rooms' __init__.py (written when absent), and the docstring govxl/excel/__init__.py gets.
ROOMS: dict[str, str] = {
    "govxl.read": "Reading: workbooks, published documents, merged workbooks' unit rows, the inbox, the roster.",
    "govxl.judge": "Judging: the rule engine, its expression language, error localisation. Figures in, never files.",
    "govxl.results": "What flows between the stages: figures, findings and their catalogue, the commands' results.",
    "govxl.apps": "What people run: the command line and the web portal, thin layers over the library.",
}
EXCEL_DOC = ('"""Everything that reads or writes spreadsheet files."""', '"""The spreadsheet writers."""')

# Where text is rewritten. Data and golden files are never touched.
SCOPE_DIRS = ("govxl", "tests", "scripts", "benchmarks", "samples", "examples", "docs")
SCOPE_FILES = ("README.md", "pyproject.toml")
SUFFIXES = {".py", ".md", ".toml", ".sh", ".cfg", ".ini", ".yml", ".yaml", ".html"}
SKIP_DIRS = {"tests/data", "tests/golden", "__pycache__"}
THIS = "scripts/restructure.py"
ARCH_TEST = "tests/test_architecture.py"  # its generated tables are rewritten; the rest is its own
ARCH_DOC = "docs/architecture.md"

# The reshape left after the move, found by pattern so that docs/architecture.md gets today's file:line.
RESHAPE: list[tuple[str, str, str]] = [
    ("govxl/read/workbook.py", r"^Return = ", "the `Return` alias of `Figures`: one name per thing"),
    ("govxl/judge/engine.py", r"^class Outcome\b", "`Outcome` of a rule check …"),
    ("govxl/apps/serve/workspace.py", r"^class Outcome\b", "… and `Outcome` of an upload: two `Outcome`s"),
    ("govxl/merge.py", r"^class Status\b", "`Status` of a file: a closed set, not an `Enum`"),
    ("govxl/results/figures.py", r"^\s+kind: str\b", "`Figures.kind`: a closed set typed as `str`"),
    ("govxl/results/figures.py", r"^\s+unit_from: str\b", "`Figures.unit_from`: a closed set typed as `str`"),
    ("govxl/merge.py", r"^class (FileEntry|UnitLine|MergeResult)\b", "result type to move to govxl/results/"),
    ("govxl/check.py", r"^class (FileCheck|CheckResult)\b", "result type to move to govxl/results/"),
    ("govxl/audit.py", r"^class AuditResult\b", "result type to move to govxl/results/"),
    ("govxl/audit_folder.py", r"^class Audits\b", "result type to move to govxl/results/"),
    ("govxl/history.py", r"^class (Year|History)\b", "result type to move to govxl/results/"),
    ("govxl/template.py", r"^class RosterTemplates\b", "result type to move to govxl/results/"),
    ("govxl/read/inbox.py", r"^class (NotRead|Inbox)\b", "file entries to move to govxl/results/"),
    ("govxl/audit.py", r"^class (RowSpec|RowRead|_Reader)\b", "the table finder: to govxl/read/"),
    ("govxl/read/inbox.py", r"^def refuse_replacing\b", "an output policy in a reader: to the writers' side"),
    ("govxl/audit.py", r"^\s+annotate\(FileCheck\(", "audit workbook written, read back and re-annotated"),
    ("govxl/excel/meta.py", r"^META_SHEET\b", "a sheet name readers need, in a writer module"),
    ("govxl/excel/meta.py", r"^def read_meta\b", "a reader in a writer module"),
    ("govxl/excel/detail.py", r"^(DETAIL_SUFFIX|FIRST_UNIT_ROW|LEAD)\b", "labels both sides use, in a writer"),
    ("govxl/excel/sheets.py", r"^EXPLANATION_LABEL\b", "a label readers need, in a writer module"),
    ("govxl/excel/template_book.py", r"^(UNIT_LABEL|YEAR_LABEL)\b", "a label readers need, in a writer"),
    ("govxl/results/figures.py", r"^\s+findings: list\[", "a list in a frozen `Figures`, appended to later"),
    ("govxl/audit.py", r"\.findings(\.append\(| \+=)", "a reader's findings mutated from outside"),
    ("govxl/merge.py", r"^def _\w+\(.*\) -> None:", "a merge step that appends to a list handed down"),
    (
        "govxl/merge.py",
        r"^\s+(e|f|line|entries\[.*\])\.(unit|status|note|gaps|errors|hints) \+?= ",
        "an entry, finding or line changed in place",
    ),
    (
        "govxl/merge.py",
        r"^\s+(output|json_out): Path",
        "an output path in the computing function: claimed by the outputs layer",
    ),
    ("govxl/check.py", r"^\s+annotate: Path", "an output path in the computing function: claimed by the outputs layer"),
]

# ---------------------------------------------------------------------------------------------------------------
DOTTED = re.compile(r"(?<![\w.])govxl(?:\.[A-Za-z_]\w*)+")
PATH = re.compile(r"(?<![\w/.-])govxl(?:/[A-Za-z_]\w*)+(?:\.py\b)?")


class Refused(Exception):
    """Something the codemod cannot map: nothing has been changed."""


def mapped(name: str) -> str:
    """The new dotted name of a module, package, or name inside one (longest moved prefix wins)."""
    parts = name.split(".")
    for i in range(len(parts), 0, -1):
        prefix = ".".join(parts[:i])
        if prefix in MOVES:
            return ".".join([MOVES[prefix], *parts[i:]])
    return name


def stage_of(module: str) -> str | None:
    return architecture_stage_of(module, STAY, ROOM_STAGE)


def module_name(rel: Path) -> str:
    parts = rel.with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def module_path(name: str, package: bool) -> Path:
    parts = name.split(".")
    return Path(*parts, "__init__.py") if package else Path(*parts).with_suffix(".py")


@dataclass
class Plan:
    root: Path
    moves: list[tuple[Path, Path, bool]] = field(default_factory=list)  # (old, new, is a folder) relative paths
    done: list[str] = field(default_factory=list)  # moves already made
    absent: list[str] = field(default_factory=list)  # optional moves whose source is not in this tree
    new_files: dict[Path, str] = field(default_factory=dict)
    edits: dict[Path, tuple[str, str]] = field(default_factory=dict)  # old relative path -> (before, after)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    modules_after: dict[str, Path] = field(default_factory=dict)  # new module name -> new relative path

    def after_path(self, old: Path) -> Path:
        for src, dst, folder in self.moves:
            if old == src:
                return dst
            if folder and old.is_relative_to(src):
                return dst / old.relative_to(src)
        return old


# ---------------------------------------------------------------------------------------------------------------
def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True).stdout


def scope_files(root: Path) -> list[Path]:
    out = []
    for d in SCOPE_DIRS:
        for p in sorted((root / d).rglob("*")) if (root / d).is_dir() else []:
            rel = p.relative_to(root)
            if not p.is_file() or p.suffix not in SUFFIXES or str(rel) in (THIS, ARCH_TEST, ARCH_DOC):
                continue
            if any(str(rel).startswith(s + "/") or s in rel.parts for s in SKIP_DIRS):
                continue
            out.append(rel)
    out += [Path(f) for f in SCOPE_FILES if (root / f).is_file()]
    return out


def package_modules(root: Path) -> dict[str, Path]:
    return {module_name(p.relative_to(root)): p.relative_to(root) for p in sorted((root / "govxl").rglob("*.py"))}


def plan_moves(plan: Plan, modules: dict[str, Path]) -> None:
    root = plan.root
    for old, new in MOVES.items():
        old_pkg, new_pkg = root / module_path(old, True), root / module_path(new, True)
        old_mod, new_mod = root / module_path(old, False), root / module_path(new, False)
        src = old_pkg.parent if old_pkg.is_file() else old_mod if old_mod.is_file() else None
        dst_exists = new_pkg.is_file() or new_mod.is_file()
        if src is None:
            if dst_exists:
                plan.done.append(f"{old} → {new}")
            elif old in OPTIONAL:
                plan.absent.append(old)
            else:
                plan.errors.append(f"{old}: neither it nor {new} is in this tree; correct MOVES")
            continue
        if dst_exists:
            plan.errors.append(f"{old} → {new}: both exist; merge them by hand first")
            continue
        dst = new_pkg.parent if src.is_dir() else new_mod
        plan.moves.append((src.relative_to(root), dst.relative_to(root), src.is_dir()))
    for name in modules:
        known = mapped(name) != name or stage_of(name) is not None
        known = known or any(name == p or name.startswith(p + ".") for p in STAY_PACKAGES)
        known = known or any(name == new or name.startswith(new + ".") for new in MOVES.values())
        if not known:
            plan.errors.append(f"{modules[name]}: module {name} has no room; add it to MOVES or STAY")
    for name, rel in modules.items():
        new = mapped(name)
        plan.modules_after[new] = plan.after_path(rel)
    plan.errors += [f"{n}: no stage after the move; add it to STAY" for n in plan.modules_after if not stage_of(n)]
    for room, doc in ROOMS.items():
        init = module_path(room, True)
        if room in plan.modules_after:
            continue
        if any(m.startswith(room + ".") for m in plan.modules_after):
            plan.new_files[init] = f'"""{doc}"""\n'
            plan.modules_after[room] = init
    # a new package must not hide a name its parent package defines
    for room in ROOMS:
        parent, _, leaf = room.rpartition(".")
        init = root / module_path(parent, True)
        if init.is_file():
            tree = ast.parse(init.read_text(encoding="utf-8"))
            defined = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
            defined |= {
                t.id for n in tree.body if isinstance(n, ast.Assign) for t in n.targets if isinstance(t, ast.Name)
            }
            if leaf in defined:
                plan.errors.append(
                    f"{init.relative_to(root)} defines {leaf!r}, which the new package {room} would hide"
                )


def check_moved_sources(plan: Plan) -> None:
    """A moved module must not find files next to itself, unless its whole package moves with it."""
    for src, _dst, whole_package in plan.moves:
        files = sorted((plan.root / src).rglob("*.py")) if whole_package else [plan.root / src]
        for f in files:
            text = f.read_text(encoding="utf-8")
            for i, line in enumerate(text.splitlines(), 1):
                if "__file__" not in line:
                    continue
                if whole_package and re.search(r"__file__\)?\.(resolve\(\)\.)?parent(?!\.parent|s)", line):
                    continue
                plan.errors.append(f"{f.relative_to(plan.root)}:{i}: finds files through __file__: {line.strip()}")


# ---------------------------------------------------------------------------------------------------------------
def rewrite_text(text: str) -> str:
    text = DOTTED.sub(lambda m: mapped(m.group(0)), text)

    def path(m: re.Match[str]) -> str:
        s = m.group(0)
        py = s.endswith(".py")
        dotted = (s[:-3] if py else s).replace("/", ".")
        new = mapped(dotted)
        if new == dotted:
            return s
        return new.replace(".", "/") + (".py" if py else "")

    return PATH.sub(path, text)


def rewrite_imports(text: str, module: str | None, is_package: bool, old_modules: set[str], where: Path) -> str:
    """The import statements whose text a plain rename cannot fix: relative ones, and ``from X import m`` where
    the module ``m`` moved to another package or was renamed."""
    try:
        tree = ast.parse(text)
    except SyntaxError as e:
        raise Refused(f"{where}: cannot parse ({e})") from e
    lines = text.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    replacements: list[tuple[int, int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            f = node.func
            name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
            if name in ("import_module", "__import__") and node.args:
                arg = node.args[0]
                literal = isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                if not literal and ("govxl" in ast.unparse(arg) or where.parts[0] == "govxl"):
                    raise Refused(f"{where}:{node.lineno}: dynamic import {ast.unparse(node)}: map it by hand")
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div) and joined_path(node) is not None:
            dotted = joined_path(node)
            if dotted and mapped(dotted) != dotted:
                raise Refused(f"{where}:{node.lineno}: a path to a moved module built with '/': {ast.unparse(node)}")
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level:
            if module is None:
                raise Refused(f"{where}:{node.lineno}: a relative import outside the package")
            base = module.split(".") if is_package else module.split(".")[:-1]
            base = base[: len(base) - (node.level - 1)]
            absolute = ".".join(base + ([node.module] if node.module else []))
        else:
            absolute = node.module or ""
        if absolute != "govxl" and not absolute.startswith("govxl."):
            continue
        groups: dict[str, list[str]] = defaultdict(list)
        for alias in node.names:
            full = f"{absolute}.{alias.name}"
            if full in old_modules or any(k == full for k in MOVES):
                new_parent, _, new_leaf = mapped(full).rpartition(".")
                local = alias.asname or alias.name
                groups[new_parent].append(new_leaf if local == new_leaf else f"{new_leaf} as {local}")
            else:
                groups[mapped(absolute)].append(alias.name if not alias.asname else f"{alias.name} as {alias.asname}")
        original = [a.name if not a.asname else f"{a.name} as {a.asname}" for a in node.names]
        if not node.level and dict(groups) == {mapped(absolute): original}:
            continue  # the plain rename of dotted names is enough (and keeps the formatting)
        if node.level and module is not None:
            base = mapped(module).split(".") if is_package else mapped(module).split(".")[:-1]
            base = base[: len(base) - (node.level - 1)]
            if dict(groups) == {".".join(base + ([node.module] if node.module else [])): original}:
                continue  # a relative import that means the same after the move
        start = offsets[node.lineno - 1] + node.col_offset
        end = offsets[node.end_lineno - 1] + node.end_col_offset  # type: ignore[operator]
        if text[offsets[node.lineno - 1] : start].strip():
            raise Refused(f"{where}:{node.lineno}: an import after other code on its line: rewrite it by hand")
        indent = " " * node.col_offset
        statements = [f"from {mod} import {', '.join(names)}" for mod, names in groups.items()]
        replacements.append((start, end, ("\n" + indent).join(statements)))
    for start, end, new in sorted(replacements, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def joined_path(node: ast.BinOp) -> str | None:
    """``ROOT / "govxl" / "serve" / "app.py"`` as ``govxl.serve.app``; None when no "govxl" part starts it."""
    parts: list[ast.expr] = []
    while isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        parts.insert(0, node.right)
        node = node.left  # type: ignore[assignment]
    parts.insert(0, node)
    texts = [p.value if isinstance(p, ast.Constant) and isinstance(p.value, str) else None for p in parts]
    if "govxl" not in texts:
        return None
    tail = []
    for text in texts[texts.index("govxl") :]:
        if text is None:
            break
        tail += text.removesuffix(".py").split("/")
    return ".".join(tail)


def unmapped_mentions(rel: Path, text: str) -> list[str]:
    """Old file names a reader would still follow (``excel/read.py`` without ``govxl/``): to correct by hand."""
    olds = {}
    staying = {m.rpartition(".")[2] for m in STAY}
    for old, new in MOVES.items():
        o, n = old.split(".")[1:], new.split(".")[1:]
        olds["/".join(o) + ".py"] = "/".join(n) + ".py"
        olds["/".join(o) + "/"] = "/".join(n) + "/"  # a package, or nothing
        if len(o) > 1 and o[-1] not in staying:  # "read.py" in a list of govxl/excel/'s files
            olds[o[-1] + ".py"] = "/".join(n) + ".py"
    pattern = re.compile(r"(?<![\w/.])(" + "|".join(re.escape(k) for k in sorted(olds, key=len, reverse=True)) + ")")
    out = []
    for i, line in enumerate(text.splitlines(), 1):
        for m in pattern.finditer(line):
            out.append(f"{rel}:{i}: {m.group(1)} (now {olds[m.group(1)]}): {line.strip()[:90]}")
    return out


def plan_edits(plan: Plan, modules: dict[str, Path]) -> None:
    old_modules = set(modules) | set(MOVES)
    rel_to_module = {p: n for n, p in modules.items()}
    for rel in scope_files(plan.root):
        before = (plan.root / rel).read_text(encoding="utf-8")
        after = before
        if rel.suffix == ".py":
            module = rel_to_module.get(rel)
            after = rewrite_imports(after, module, rel.name == "__init__.py", old_modules, rel)
        after = rewrite_text(after)
        if rel == Path("govxl/excel/__init__.py") and EXCEL_DOC[0] in after:
            after = after.replace(*EXCEL_DOC)
        elif rel == Path("govxl/excel/__init__.py") and EXCEL_DOC[1] not in after:
            plan.warnings.append(f"{rel}: its docstring is not the one expected; say there it holds writers only")
        if after != before:
            plan.edits[rel] = (before, after)
        if rel.suffix in (".md", ".py") and rel != Path(ARCH_DOC):
            plan.warnings += unmapped_mentions(rel, after)


# ---------------------------------------------------------------------------------------------------------------
# The import graph after the move, for the test's list of known upward arrows and the doc.
@dataclass(frozen=True)
class Edge:
    importer: str
    imported: str
    path: str
    line: int
    how: str  # module | function | TYPE_CHECKING

    def key(self) -> tuple[str, str]:
        return (self.importer, self.imported)


def edges_of(name: str, rel: Path, text: str, modules: set[str]) -> list[Edge]:
    """Every import of a govxl module in a file, found by the architecture test's own scanner."""
    found = import_lines(ast.parse(text), name, rel.name == "__init__.py", frozenset(modules))
    return [Edge(name, target, str(rel), line, how) for target, line, how in found]


def upward_edges(sources: dict[str, tuple[Path, str]]) -> list[Edge]:
    """Imports from a lower stage to a higher one, and reader → writer, after the move."""
    modules = set(sources)
    rank = {s: i for i, s in enumerate(STAGES)}
    out = []
    for name, (rel, text) in sorted(sources.items()):
        for e in edges_of(name, rel, text, modules):
            a, b = stage_of(e.importer), stage_of(e.imported)
            if a and b and rank[b] > rank[a]:
                out.append(e)
    return sorted(set(out), key=lambda e: (e.path, e.line, e.imported))


def sources_after(plan: Plan) -> dict[str, tuple[Path, str]]:
    out = {}
    before = {plan.after_path(p): p for p in package_modules(plan.root).values()}
    for new, rel_after in plan.modules_after.items():
        old_rel = before.get(rel_after)
        if old_rel is None:
            text = plan.new_files.get(rel_after, "")
        else:
            text = plan.edits.get(old_rel, (None, (plan.root / old_rel).read_text(encoding="utf-8")))[1]
        out[new] = (rel_after, text)
    return out


# ---------------------------------------------------------------------------------------------------------------
def test_file(root: Path, modules: set[str], upward: list[Edge]) -> str:
    """tests/test_architecture.py with its generated tables filled in, laid out as ruff format would."""
    template = (root / ARCH_TEST).read_text(encoding="utf-8")
    stay = {k: v for k, v in sorted(STAY.items()) if k in modules}
    known = sorted({(e.importer, e.imported) for e in upward})
    tables = (
        "STAGES: tuple[str, ...] = (\n" + "".join(f'    "{s}",\n' for s in STAGES) + ")\n"
        "ROOM_STAGE: dict[str, str] = {\n" + "".join(f'    "{k}": "{v}",\n' for k, v in ROOM_STAGE.items()) + "}\n"
        "STAY: dict[str, str] = {\n"
        + "".join(f'    "{k}": "{v}",\n' for k, v in stay.items())
        + "}\n"
        + (
            "KNOWN_UPWARD: set[tuple[str, str]] = {\n" + "".join(f'    ("{a}", "{b}"),\n' for a, b in known) + "}\n"
            if known
            else "KNOWN_UPWARD: set[tuple[str, str]] = set()  # every arrow points downward\n"
        )
    )
    begin, end = (
        "# --- generated by scripts/restructure.py: begin\n",
        "# --- generated by scripts/restructure.py: end\n",
    )
    if begin not in template or end not in template:
        raise Refused(f"{ARCH_TEST}: the markers of its generated tables are missing")
    head, _, rest = template.partition(begin)
    _, _, tail = rest.partition(end)
    return head + begin + tables + end + tail


def doc_sections(sources: dict[str, tuple[Path, str]], upward: list[Edge]) -> dict[str, str]:
    rooms: list[str] = []
    for stage in STAGES:
        members = sorted(n for n in sources if stage_of(n) == stage)
        if not members:
            continue
        rooms.append(f"\n**{stage}**\n")
        for n in members:
            rel, text = sources[n]
            doc = (ast.get_docstring(ast.parse(text)) or "").split("\n\n")[0].replace("\n", " ")
            rooms.append(f"- `{rel}` — {doc}")
    arrows = [
        f"- `{e.path}:{e.line}` {e.importer} ({stage_of(e.importer)}) → {e.imported} ({stage_of(e.imported)})"
        + ("" if e.how == "module" else f", {'inside a function' if e.how == 'function' else 'under TYPE_CHECKING'}")
        for e in upward
    ]
    notes = []
    for rel, pattern, what in RESHAPE:
        text = next((t for r, t in sources.values() if str(r) == rel), None)
        hits = [i for i, line in enumerate((text or "").splitlines(), 1) if re.search(pattern, line)]
        notes.append(f"- `{rel}:{','.join(map(str, hits))}` {what}" if hits else f"- ({rel}: not found) {what}")
    moves = ["| before | after |", "|---|---|"]
    moves += [f"| `{old}` | `{new}` |" for old, new in MOVES.items() if new in sources]
    return {
        "moves": "\n".join(moves) + "\n",
        "rooms": "\n".join(rooms) + "\n",
        "upward": "\n".join(arrows or ["- none: every import points downward"]) + "\n",
        "reshape": "\n".join(notes) + "\n",
    }


def fill_doc(text: str, sections: dict[str, str]) -> str:
    for name, body in sections.items():
        begin, end = f"<!-- generated:{name}:begin -->\n", f"<!-- generated:{name}:end -->"
        if begin not in text or end not in text:
            raise Refused(f"{ARCH_DOC}: the markers of the generated section {name!r} are missing")
        head, _, rest = text.partition(begin)
        _, _, tail = rest.partition(end)
        text = head + begin + body + end + tail
    return text


# ---------------------------------------------------------------------------------------------------------------
def make_plan(root: Path) -> Plan:
    plan = Plan(root)
    modules = package_modules(root)
    plan_moves(plan, modules)
    check_moved_sources(plan)
    if plan.errors:
        return plan
    try:
        plan_edits(plan, modules)
    except Refused as e:
        plan.errors.append(str(e))
    return plan


def show(plan: Plan, verbose: bool) -> None:
    for src, dst, folder in plan.moves:
        print(f"move   {src}{'/' if folder else ''} → {dst}{'/' if folder else ''}")
    for rel in plan.new_files:
        print(f"create {rel}")
    for done in plan.done:
        print(f"done   {done} (already moved)")
    for name in plan.absent:
        print(f"absent {name} (not in this tree: skipped)")
    for rel, (before, after) in sorted(plan.edits.items()):
        changed = sum(a != b for a, b in zip(before.splitlines(), after.splitlines(), strict=False))
        print(f"edit   {rel} ({changed} lines)")
        if verbose:
            import difflib

            sys.stdout.writelines(
                difflib.unified_diff(before.splitlines(True), after.splitlines(True), str(rel), str(rel), n=0)
            )
    for w in plan.warnings:
        print(f"check by hand: {w}")


def apply(plan: Plan) -> None:
    """The moves and the rewritten files; then the touched import blocks sorted and the touched files formatted
    (a longer module name can push a line over the limit; the tree is ruff-formatted)."""
    root = plan.root
    tracked = set(git(root, "ls-files", "govxl").splitlines())
    for rel, (_before, after) in plan.edits.items():
        (root / rel).write_text(after, encoding="utf-8")
    touched = [str(plan.after_path(rel)) for rel in plan.edits if rel.suffix == ".py"]
    touched += [str(r) for r in plan.new_files]
    for src, dst, folder in plan.moves:
        (root / dst).parent.mkdir(parents=True, exist_ok=True)
        for cache in sorted((root / src).rglob("__pycache__")) if folder else []:
            subprocess.run(["rm", "-r", str(cache)], check=True)
        if any(t == str(src) or t.startswith(f"{src}/") for t in tracked):
            git(root, "mv", str(src), str(dst))
        else:
            (root / src).rename(root / dst)
    for rel, text in plan.new_files.items():
        (root / rel).write_text(text, encoding="utf-8")
        git(root, "add", str(rel))
    ruff = [sys.executable, "-m", "ruff"]
    commands = [[*ruff, "check", "--fix", "--select", "I001", "--quiet"], [*ruff, "format", "--quiet"]]
    for command in commands if touched else []:  # ruff with no path would format the whole tree
        done = subprocess.run([*command, *touched], cwd=root, capture_output=True, text=True)
        if done.returncode not in (0, 1):
            print(f"{' '.join(command[1:4])} failed: {done.stderr.strip()}", file=sys.stderr)


def sources_on_disk(root: Path) -> dict[str, tuple[Path, str]]:
    return {n: (rel, (root / rel).read_text(encoding="utf-8")) for n, rel in package_modules(root).items()}


def generated(root: Path, sources: dict[str, tuple[Path, str]]) -> tuple[list[Edge], str, str]:
    """The upward arrows, tests/test_architecture.py and docs/architecture.md for a tree (after the move)."""
    upward = upward_edges(sources)
    test_text = test_file(root, set(sources), upward)
    arch_text = fill_doc((root / ARCH_DOC).read_text(encoding="utf-8"), doc_sections(sources, upward))
    return upward, test_text, arch_text


def leftovers(root: Path) -> list[str]:
    """Old dotted names still in the code after the move (there should be none)."""
    out = []
    for rel in scope_files(root):
        if rel.suffix != ".py":
            continue
        text = (root / rel).read_text(encoding="utf-8")
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            for m in DOTTED.finditer(tok.string):
                if mapped(m.group(0)) != m.group(0):
                    out.append(f"{rel}:{tok.start[0]}: {m.group(0)}")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dry-run", action="store_true", help="print the plan, change nothing")
    parser.add_argument("--diff", action="store_true", help="with --dry-run: every line rewritten")
    parser.add_argument("--allow-dirty", action="store_true", help="run on a tree with uncommitted changes")
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    args = parser.parse_args()
    root = args.root.resolve()
    started = time.perf_counter()
    plan = make_plan(root)
    if plan.errors:
        for e in plan.errors:
            print(f"refused: {e}", file=sys.stderr)
        print("nothing changed", file=sys.stderr)
        return 2
    try:
        upward, test_text, arch_text = generated(root, sources_after(plan))
    except (OSError, Refused) as e:
        print(f"refused: {e}", file=sys.stderr)
        return 2
    test_changes = (root / "tests/test_architecture.py").read_text(encoding="utf-8") != test_text
    doc_changes = (root / ARCH_DOC).read_text(encoding="utf-8") != arch_text
    show(plan, args.diff)
    if test_changes:
        print(f"write  {ARCH_TEST} (its generated tables)")
    if doc_changes:
        print(f"write  {ARCH_DOC} (its generated sections)")
    nothing = not (plan.moves or plan.edits or plan.new_files or test_changes or doc_changes)
    if nothing:
        print(f"\n{len(upward)} upward imports (see {ARCH_DOC}); nothing to do: the tree already has this layout")
        return 0
    if args.dry_run:
        print(f"\nupward imports after the move ({len(upward)}; lines before the import blocks are sorted):")
        for e in upward:
            print(f"  {e.path}:{e.line} {e.importer} → {e.imported} [{e.how}]")
        print(f"\ndry run: nothing changed ({time.perf_counter() - started:.1f} s)")
        return 0
    if not args.allow_dirty and git(root, "status", "--porcelain", "--untracked-files=no").strip():
        print("refused: the tree has uncommitted changes (commit them, or --allow-dirty)", file=sys.stderr)
        return 2
    apply(plan)
    upward, test_text, arch_text = generated(root, sources_on_disk(root))
    (root / "tests/test_architecture.py").write_text(test_text, encoding="utf-8")
    (root / ARCH_DOC).write_text(arch_text, encoding="utf-8")
    print(f"\nupward imports after the move ({len(upward)}; the reshape left, listed in {ARCH_DOC}):")
    for e in upward:
        print(f"  {e.path}:{e.line} {e.importer} → {e.imported} [{e.how}]")
    left = leftovers(root)
    for line in left:
        print(f"left behind: {line}", file=sys.stderr)
    seconds = time.perf_counter() - started
    print(f"\ndone in {seconds:.1f} s: {len(plan.moves)} moves, {len(plan.edits)} files rewritten")
    print("next: python -m ruff check govxl tests scripts benchmarks samples examples; the test suite;")
    print("      pip install -e . (the console script `govxl` points to govxl.apps.cli:main now)")
    return 1 if left else 0


if __name__ == "__main__":
    sys.exit(main())
