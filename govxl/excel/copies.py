"""Templates for a whole roster: one built by XlsxWriter, the others made from its parts, same bytes.

Templates for two units differ only in the unit's name: in the shared strings, the document's title
and the custom property govxl.unit. A copy takes the built template's zip members as they are
(already compressed) and compresses only those three again, with the name put in place of a
placeholder; the shared strings are compressed once up to the placeholder and continued per unit
(deflate gives the same bytes however its input is cut). Names that XlsxWriter would escape, or that
equal another string of the template, are built the ordinary way; and a copy is only trusted after
one made here is checked byte for byte against one XlsxWriter built.
"""

from __future__ import annotations

import re
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

from govxl.excel.meta import PROPERTY_LIMIT

PLACEHOLDER = "〇govxl-unit-placeholder〇"
_NAMED = ("xl/sharedStrings.xml", "docProps/core.xml", "docProps/custom.xml")  # the parts that hold the name
_UNSAFE = re.compile(r'^\s|\s$|[&<>"\'\x00-\x1f\ufffe\uffff]|_x', re.S)  # what XlsxWriter would escape or mark
_SI_TEXT = re.compile(rb"<t[^>]*>([^<]*)</t>")


class TemplateCopies:
    def __init__(self, build: Callable[[Path, str], None], probe: str = "某某单位（核对用）") -> None:
        """``build(path, unit)`` writes one template; it is called twice, for the placeholder and a probe."""
        self._build = build
        with tempfile.TemporaryDirectory() as tmp:
            base = Path(tmp) / "base.xlsx"
            build(base, PLACEHOLDER)
            with zipfile.ZipFile(base) as zf:
                self._members = [(info, _raw(zf, base, info), zf.read(info)) for info in zf.infolist()]
            self._stored = {info.filename: info.FileHeader(False) + raw for info, raw, _ in self._members}
            self._strings = {m.decode() for m in _SI_TEXT.findall(self._data("xl/sharedStrings.xml"))}
            self.usable = all(
                info.compress_type == zipfile.ZIP_DEFLATED and data.count(PLACEHOLDER.encode()) == 1
                for info, _, data in self._members
                if info.filename in _NAMED
            ) and {info.filename for info, _, _ in self._members} >= set(_NAMED)
            if self.usable:
                shared = self._data("xl/sharedStrings.xml")
                head, _, self._tail = shared.partition(PLACEHOLDER.encode())
                self._compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
                self._head = self._compressor.compress(head)
                self._head_crc = zlib.crc32(head)
                expected, made = Path(tmp) / "expected.xlsx", Path(tmp) / "made.xlsx"
                build(expected, probe)
                self._write(made, probe)
                self.usable = self.fits(probe) and made.read_bytes() == expected.read_bytes()

    def write(self, path: Path, unit: str) -> None:
        """The template of ``unit`` at ``path``: a copy where that gives the same bytes, else built."""
        if self.usable and self.fits(unit):
            self._write(path, unit)
        else:
            self._build(path, unit)

    def fits(self, unit: str) -> bool:
        short = len(unit.encode("utf-16-le")) <= 2 * PROPERTY_LIMIT  # longer: cut in the custom property (meta)
        return bool(unit) and short and not _UNSAFE.search(unit) and unit not in self._strings

    def _data(self, name: str) -> bytes:
        return next(data for info, _, data in self._members if info.filename == name)

    def _write(self, path: Path, unit: str) -> None:
        name = unit.encode()
        grown = len(name) - len(PLACEHOLDER.encode())
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            for info, raw, data in self._members:
                if info.filename == "xl/sharedStrings.xml":
                    compressor = self._compressor.copy()
                    raw = self._head + compressor.compress(name + self._tail) + compressor.flush()
                    crc, size = zlib.crc32(self._tail, zlib.crc32(name, self._head_crc)), len(data) + grown
                elif info.filename in _NAMED:
                    data = data.replace(PLACEHOLDER.encode(), name)
                    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
                    raw, crc, size = compressor.compress(data) + compressor.flush(), zlib.crc32(data), len(data)
                else:
                    _append(zf, info, self._stored[info.filename])
                    continue
                info.CRC, info.file_size, info.compress_size = crc, size, len(raw)
                _append(zf, info, info.FileHeader(False) + raw)


def _raw(zf: zipfile.ZipFile, path: Path, info: zipfile.ZipInfo) -> bytes:
    """A member's bytes as stored (compressed)."""
    with open(path, "rb") as f:
        f.seek(info.header_offset)
        header = f.read(zipfile.sizeFileHeader)
        skip = int.from_bytes(header[26:28], "little") + int.from_bytes(header[28:30], "little")
        f.seek(info.header_offset + zipfile.sizeFileHeader + skip)
        return f.read(info.compress_size)


def _append(zf: zipfile.ZipFile, info: zipfile.ZipInfo, stored: bytes) -> None:
    """A member already compressed (its local header and data), written as ZipFile.write would write it.

    ``info`` is one of the built template's own entries, reused for each copy in turn (copies are made one
    after the other): only its offset, and its sizes and checksum when the name is in it, differ.
    """
    info.header_offset = zf.fp.tell()  # type: ignore[union-attr]
    zf.fp.write(stored)  # type: ignore[union-attr]
    zf.filelist.append(info)
    zf.NameToInfo[info.filename] = info
    zf.start_dir = zf.fp.tell()  # type: ignore[union-attr]
    zf._didModify = True
