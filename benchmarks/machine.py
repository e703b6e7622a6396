"""The line each benchmark starts with: the date, the machine and Python, so that figures can be compared."""

from __future__ import annotations

import os
import platform
from datetime import date


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            return next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "")
    except OSError:
        return platform.processor()


def machine_line() -> str:
    """``2026-12-07  x86_64, 2 cores (AMD EPYC …), Python 3.11.7``"""
    return (
        f"{date.today()}  {platform.machine()}, {os.cpu_count()} cores ({cpu_model()}), "
        f"Python {platform.python_version()}"
    )
