"""Writing output files safely: atomically, never over an input, inside the chosen folder."""

from __future__ import annotations

import errno
import hashlib
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from govxl.errors import InputError, OutputError, UsageError

_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
MAX_NAME_CHARS = 60  # of the unit name inside a file name; Windows paths are limited to 260
MAX_NAME_BYTES = 180  # and in UTF-8 (60 Chinese characters): Linux and macOS allow 255 bytes a name


@contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; move it into place only on success."""
    with atomic_outputs([path]) as (tmp,):
        yield tmp


@contextmanager
def atomic_outputs(paths: list[Path]) -> Iterator[list[Path]]:
    """Temporary paths beside each of ``paths``, all moved into place only when every one was written.

    Every temporary file is created before anything is written, so a folder that cannot be
    written to (or a file Excel holds open) is found before any output changes.
    """
    temps: list[Path] = []
    try:
        for path in paths:
            temps.append(_temporary_beside(path))
        yield temps
        for tmp in temps:
            with open(tmp, "rb") as f:
                os.fsync(f.fileno())
        for tmp, path in zip(temps, paths, strict=True):
            try:
                os.replace(tmp, path)
            except OSError as e:
                raise OutputError(explain_os_error(e, path)) from e
    finally:
        for tmp in temps:
            if tmp.exists():
                tmp.unlink()


def _temporary_beside(path: Path) -> Path:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_dir():
            raise OutputError(f"无法写入 {path}：这是一个文件夹，请指定文件名。")
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem[:20]}.", suffix=".tmp", dir=path.parent)
    except OSError as e:
        raise OutputError(explain_os_error(e, path)) from e
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # as an ordinary new file, not mkstemp's owner-only mode
    return Path(tmp)


def explain_os_error(e: OSError, path: Path | str, action: str = "写入") -> str:
    """What went wrong with a file the user named, in Chinese, never naming a temporary file."""
    reasons = {
        errno.EACCES: "文件可能正在 Excel 或 WPS 中打开（请先在Excel或WPS中关闭该文件），或者没有该文件夹的写入权限",
        errno.EPERM: "文件可能正在 Excel 或 WPS 中打开（请先在Excel或WPS中关闭该文件），或者没有该文件夹的写入权限",
        errno.ENAMETOOLONG: "文件名或路径过长，请使用较短的文件名或文件夹",
        errno.ENOSPC: "磁盘空间不足",
        errno.EROFS: "该位置是只读的，请换一个文件夹",
        errno.ENOENT: "文件夹不存在" if action == "写入" else "找不到该文件",
        errno.ENOTDIR: "路径中有一部分是文件而不是文件夹",
        errno.EEXIST: "路径中有一部分是文件而不是文件夹",
        errno.EISDIR: "这是一个文件夹，请指定文件名",
    }
    if getattr(e, "winerror", None) in (32, 33):  # ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION
        reason = reasons[errno.EACCES]
    else:
        # the system's own wording (strerror) is English: only its number is shown, for whoever supports the user
        fallback = f"系统无法完成{action}" + (f"（错误代码 {e.errno}）" if e.errno else "")
        reason = reasons.get(e.errno or 0, fallback)
    tail = "没有写入任何不完整的文件。" if action in ("写入", "读写") else "请检查文件是否存在、是否有读取权限。"
    return f"无法{action} {path}：{reason}。{tail}"


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
    if len(s) > MAX_NAME_CHARS or len(s.encode("utf-8")) > MAX_NAME_BYTES:
        digest = hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]
        # emoji take 4 bytes and file systems count bytes: cut at the last whole character that fits
        s = s[: MAX_NAME_CHARS - 9].encode("utf-8")[: MAX_NAME_BYTES - 9].decode("utf-8", "ignore")
        s = s.rstrip(" .") + "_" + digest
    return s


def inside(folder: Path, name: str) -> Path:
    """``folder / name``, refusing anything that would land outside ``folder``."""
    target = (folder / name).resolve()
    if target.parent != folder.resolve():
        raise UsageError(f"文件名“{name}”不安全，已拒绝写入。")
    return target


def decode_text(data: bytes, what: str) -> str:
    """Text typed on a Chinese Windows machine: UTF-8 (with or without BOM), UTF-16 with its BOM (Notepad's
    "Unicode") or GB18030 (which covers GBK)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(f"无法识别{what}的文字编码，请另存为 UTF-8 编码的文件。")


MAX_DAMAGE = 0.02  # share of a document's characters that may be undecodable before it is judged not text


def decode_damaged(data: bytes, what: str) -> tuple[str, list[int]]:
    """Text as :func:`decode_text` reads it; failing that, text with a few undecodable bytes (a download cut
    short, a GBK fragment inside a UTF-8 page) read in its most likely encoding with the damaged characters
    replaced by U+FFFD. Returns the text and the line numbers (1-based) of the replaced characters."""
    try:
        return decode_text(data, what), []
    except InputError:
        pass
    best: tuple[int, str] | None = None
    for encoding in ("utf-8-sig", "gb18030"):
        text = data.decode(encoding, errors="replace")
        bad = text.count("\ufffd")
        if best is None or bad < best[0]:
            best = (bad, text)
    assert best is not None
    bad, text = best
    if bad > max(8, len(text) * MAX_DAMAGE):
        raise InputError(f"无法识别{what}的文字编码，请另存为 UTF-8 编码的文件。")
    lines = [n for n, line in enumerate(text.splitlines(), 1) for _ in range(line.count("\ufffd"))]
    return text, lines


def json_text(data: object) -> str:
    """UTF-8 JSON with readable Chinese."""
    import json

    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def write_json(path: Path, data: object) -> None:
    """JSON written atomically."""
    with atomic_output(path) as tmp:
        tmp.write_text(json_text(data), encoding="utf-8")
