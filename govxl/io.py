"""Writing output files safely: atomically, never over an input, inside the chosen folder."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from govxl.errors import InputError, UsageError

_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
MAX_NAME_CHARS = 60  # of the unit name inside a file name; Windows paths are limited to 260


@contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; move it into place only on success."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem[:20]}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp_path, 0o666 & ~umask)  # as an ordinary new file, not mkstemp's owner-only mode
    try:
        yield tmp_path
        with open(tmp_path, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp_path, path)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def refuse_overwriting_inputs(output: Path, inputs: list[Path]) -> None:
    out = output.resolve()
    for p in inputs:
        if p.resolve() == out:
            raise UsageError(f"输出文件 {output} 与输入文件相同。govxl 从不覆盖输入文件，请用 -o 指定另一个文件名。")


def safe_file_stem(name: str) -> str:
    """A Windows-safe file name part for a unit name; never a path."""
    s = unicodedata.normalize("NFC", name)
    s = _FORBIDDEN.sub("_", s)
    s = re.sub(r"\.{2,}", "_", s).strip(" .")
    if not s or s.upper().split(".")[0] in _RESERVED:
        s = "_" + s
    if len(s) > MAX_NAME_CHARS:
        digest = hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]
        s = s[: MAX_NAME_CHARS - 9].rstrip(" .") + "_" + digest
    return s


def inside(folder: Path, name: str) -> Path:
    """``folder / name``, refusing anything that would land outside ``folder``."""
    target = (folder / name).resolve()
    if target.parent != folder.resolve():
        raise UsageError(f"文件名“{name}”不安全，已拒绝写入。")
    return target


def decode_text(data: bytes, what: str) -> str:
    """Text typed on a Chinese Windows machine: UTF-8 (with or without BOM) or GB18030 (which covers GBK)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(f"无法识别{what}的文字编码，请另存为 UTF-8 编码的文件。")


def write_json(path: Path, data: object) -> None:
    """UTF-8 JSON, readable Chinese, written atomically."""
    import json

    with atomic_output(path) as tmp:
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
