#!/usr/bin/env bash
# Install everything the tests need on a fresh Debian machine, then run them.
set -euo pipefail
cd "$(dirname "$0")/.."

# LibreOffice Calc recalculates our workbooks (and draws their charts, read back with poppler's pdftotext);
# Writer opens the .docx reports. Chromium (driven by Playwright, never a browser of Playwright's own) walks
# through the pages of `govxl serve`; a CJK font lets its screenshots show the Chinese.
NEEDED=""
for pkg in libreoffice-calc-nogui libreoffice-writer-nogui poppler-utils chromium fonts-wqy-microhei; do
    dpkg -s "$pkg" >/dev/null 2>&1 || NEEDED="$NEEDED $pkg"
done
if [ -n "$NEEDED" ]; then
    echo "Installing$NEEDED (for checking written files in a real office suite, and the pages in a real browser)…"
    export DEBIAN_FRONTEND=noninteractive
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    # shellcheck disable=SC2086
    $SUDO apt-get install -y -qq --no-install-recommends $NEEDED >/dev/null
fi

python3 -m pip install -q --disable-pip-version-check -e '.[test]'
python3 -m ruff check govxl tests scripts benchmarks samples examples
# One worker per core (pytest-xdist); a test file stays on one worker, so its module fixtures are made once.
# Pass -n0 to run in one process.
python3 -m pytest -q -n auto --dist loadfile "$@"
