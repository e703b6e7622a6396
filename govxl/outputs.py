"""Where govxl may write: one policy for every output of every command (``-o``, ``--xlsx``, ``--json``,
the copies of ``--annotate`` and the templates of ``--roster``).

- An output's extension says what it is: a workbook ends in .xlsx, JSON in .json, a report in .docx, .html or
  .md. A name that says otherwise (``--xlsx 结果.txt``) is refused, never written under a misleading name.
- An existing file is replaced only when govxl wrote it as an output of the same kind, as a marker govxl puts
  in every file it writes says (:func:`govxl.markers.govxl_made`); anything else — a department's return, a
  report written in Word, the user's own JSON — is refused with exit code 2, naming it, and its bytes stay as
  they are.
  A template replaces only a blank template.
- A folder that does not exist yet is created; the command line says so (:func:`missing_folders`).
- An output is never an input: named as one, or a return found in an input folder (:func:`claim_all`); the
  copies of ``--annotate`` go to a folder outside every input folder (:func:`claim_folder`).
- The functions that compute (``merge``, ``check_files``) never claim: the command line claims every output of a
  run at once, before anything is read (:func:`claim_all`), and every function that writes claims its files
  again, so that a caller of the library cannot write past the policy.

The markers, one per kind of file:

- .xlsx and .docx: the custom document property ``govxl.kind`` (docProps/custom.xml), which Excel, WPS and
  Word keep when the file is edited and saved again;
- .json: a first key ``"generator": "govxl"``;
- .html: ``<meta name="generator" content="govxl">`` in its head;
- .md (which has no metadata): a first line ``<!-- generator: govxl -->``, which Markdown renderers do not show;
- .csv: govxl's own header row, whole (the byte-order mark and every column's Chinese name);
- .parquet: the key ``govxl.kind`` in the file's schema metadata.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from govxl.errors import UsageError
from govxl.markers import GENERATOR, KIND_PROPERTY, KINDS, govxl_made, overwrites_an_input


def custom_properties_xml(kind: str) -> bytes:
    """docProps/custom.xml holding ``govxl.kind``, for files whose writer has no custom properties (.docx)."""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" '
        f'name="{KIND_PROPERTY}"><vt:lpwstr>{kind}</vt:lpwstr></property></Properties>'
    ).encode()


def marked_json(data: dict[str, object]) -> dict[str, object]:
    """JSON output data with govxl's marker as its first key."""
    return {"generator": GENERATOR, **data}


def claim(path: Path, kind: str) -> None:
    """Refuse (:class:`UsageError`) to write an output of ``kind`` to ``path`` unless the policy allows it."""
    spec = KINDS[kind]
    if path.is_dir():
        raise UsageError(f"{path} 是一个文件夹，请指定文件名。")
    if path.suffix.lower() not in spec.suffixes:
        *most, last = spec.suffixes
        wanted = f"{'、'.join(most)} 或 {last}" if most else last
        raise UsageError(
            f"{path.name}：{spec.what}只能保存为 {wanted} 文件（扩展名与写入的内容不符）；"
            f"请把文件名改为以 {spec.suffixes[0]} 结尾。"
        )
    writable_folder(path.parent, path)
    if not (path.exists() or path.is_symlink()):
        return
    if kind == "template":
        _claim_template(path)
        return
    made = govxl_made(path)
    if made != kind and made not in spec.replaces:
        raise UsageError(
            f"输出文件 {path} 已存在，而且不是 govxl 上次生成的{spec.what}（可能是某个单位的报表或您自己的文件）。"
            "govxl 不会覆盖它，请另选文件名或先移走该文件。"
        )


def _claim_template(path: Path) -> None:
    """A template may replace a blank template, never a file that holds figures (a department's return)."""
    from govxl.normalize import State
    from govxl.read.workbook import read_return
    from govxl.results.figures import Figures

    r = read_return(path)
    blank = isinstance(r, Figures) and all(c.state is State.BLANK or k in r.formula_keys for k, c in r.cells.items())
    if not blank:
        raise UsageError(
            f"文件 {path} 已存在，而且不是空白模板（可能是已填写的报表）。govxl 不会覆盖它，请另选文件名或文件夹。"
        )


def writable_folder(folder: Path, output: Path) -> None:
    """The folder an output goes to can be written in, or created in the nearest folder that exists: refused
    before anything is read (and before any other output of the run is written), not when the output is."""
    existing = next(p for p in (folder, *folder.parents) if p.exists() or p.is_symlink())
    if not existing.is_dir():
        raise UsageError(
            f"无法写入 {output}：路径中有一部分是文件而不是文件夹（{existing}）。没有写入任何不完整的文件。"
        )
    if not os.access(existing, os.W_OK | os.X_OK):
        raise UsageError(
            f"无法写入 {output}：没有文件夹 {existing} 的写入权限，或者该位置是只读的，请换一个文件夹。"
            "没有写入任何不完整的文件。"
        )


def claim_all(outputs: Iterable[tuple[Path | None, str]], inputs: Iterable[Path] = ()) -> None:
    """The outputs of one run: none of its ``inputs``, no two the same file, each allowed by :func:`claim`."""
    given = [(p, kind) for p, kind in outputs if p is not None]
    for path, _ in given:
        _not_an_input(path, inputs)
    if len({p.resolve() for p, _ in given}) < len(given):
        raise UsageError("同一次运行的两个输出文件（如 -o 和 --json）不能是同一个文件，请分别指定文件名。")
    for path, kind in given:
        claim(path, kind)


def _not_an_input(path: Path, inputs: Iterable[Path]) -> None:
    """An output is never an input: named as one, or a return found in an input folder (a merged workbook govxl
    wrote there before is skipped by the inbox, and replaced)."""
    target = path.resolve()
    for given in inputs:
        if given.is_file() and given.resolve() == target:
            raise UsageError(overwrites_an_input(str(path), in_a_folder=False))
        if given.is_dir() and given.resolve() in target.parents and path.is_file() and not govxl_made(path):
            raise UsageError(overwrites_an_input(str(path), in_a_folder=True))


def claim_folder(folder: Path, inputs: Iterable[Path]) -> None:
    """A folder of copies (``--annotate``) outside every input folder: inside one, the next run would read the
    copies as returns."""
    existing = next(p for p in (folder, *folder.parents) if p.exists() or p.is_symlink())
    if not existing.is_dir():
        raise UsageError(f"退回修改副本要保存到文件夹中，而 {existing} 是一个文件，不是文件夹；请另选一个文件夹。")
    writable_folder(folder, folder)
    target = folder.resolve()
    for given in inputs:
        if given.is_dir() and (target == given.resolve() or given.resolve() in target.parents):
            raise UsageError(
                f"退回修改副本的文件夹 {folder} 在报表文件夹 {given} 之内，下次汇总时会被当作报表；请另选一个文件夹。"
            )


def missing_folders(paths: Iterable[Path | None]) -> list[Path]:
    """The folders the outputs need that do not exist yet (each output's parent), to say that they were created."""
    out: list[Path] = []
    for p in paths:
        if p is not None and not p.parent.exists() and p.parent not in out:
            out.append(p.parent)
    return out
