"""Recalculate workbooks in LibreOffice headless, for real.

By default LibreOffice keeps the cached values of an .xlsx it opens; a
throwaway profile with OOXMLRecalcMode=0 makes it recalculate everything
(see shared/reference/excel-tech.md §2.3).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.conftest import require

_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">\
<value>0</value></prop></item>
</oor:items>
"""
BATCH = 100  # soffice silently stops after ~250 arguments


def soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    require(exe, "LibreOffice (soffice)", "scripts/test.sh installs libreoffice-calc-nogui")
    assert exe is not None
    return exe


def pdf_text(pdf: Path) -> str:
    """The text of a PDF, by poppler's pdftotext (what LibreOffice drew, charts' titles included)."""
    exe = shutil.which("pdftotext")
    require(exe, "pdftotext", "scripts/test.sh installs poppler-utils")
    assert exe is not None
    return subprocess.run([exe, str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def convert(paths: list[Path], outdir: Path, to: str = "xlsx") -> list[Path]:
    """Open each file in LibreOffice, recalculate, save as ``to`` into ``outdir``."""
    exe = soffice()
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        user = Path(profile) / "user"
        user.mkdir()
        (user / "registrymodifications.xcu").write_text(_PROFILE, encoding="utf-8")
        for i in range(0, len(paths), BATCH):
            batch = [str(p) for p in paths[i : i + BATCH]]
            subprocess.run(
                [
                    exe,
                    f"-env:UserInstallation={Path(profile).as_uri()}",
                    "--headless",
                    "--norestore",
                    "--convert-to",
                    to,
                    "--outdir",
                    str(outdir),
                    *batch,
                ],
                check=True,
                capture_output=True,
                timeout=600,
            )
    out = [outdir / (p.stem + "." + to.split(":")[0]) for p in paths]
    missing = [p for p in out if not p.exists()]
    assert not missing, f"LibreOffice did not convert {missing}"
    return out
