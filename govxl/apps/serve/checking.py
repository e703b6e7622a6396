"""The checks of received files, in worker processes beside the service.

Uploads that arrive together are checked at the same time on every core, while the service's own process goes
on answering: a check in one of its threads would hold Python's interpreter lock and take turns with every
other upload and page. A parser that kills its process on a crafted file takes only that file with it: the
file is checked again alone, in a process of its own, and refused as unreadable when that one dies too.
Without workers (the service built in-process, as the tests do), a check runs in the calling thread.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import tempfile
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing.connection import wait
from pathlib import Path

from govxl import make_template
from govxl.check import check_files
from govxl.editions.rules import Severity
from govxl.errors import GovxlError
from govxl.read.inbox import CRASHED
from govxl.results.figures import UnitFrom
from govxl.results.findings import UNREADABLE, Finding

MAX_WORKERS = 4  # uploads are single files: more processes than this only hold memory


@dataclass(frozen=True)
class Read:
    """What the service keeps of a file read as a return (the findings aside): the unit its cover names, ""
    when none does (only its file name, or nothing). Only this crosses back from a worker: not the figures."""

    cover: str


Checked = tuple[Read | None, list[Finding]]


def check_received(path: Path, year: int) -> Checked:
    """The findings ``govxl check`` gives for the file; what it says of itself when it could be read."""
    try:
        result = check_files([path], year=year)
    except GovxlError as e:
        return None, [Finding(Severity.ERROR, UNREADABLE, str(e))]
    fc = result.files[0]
    if fc.ret is None:
        return None, fc.findings
    return Read(fc.ret.unit if fc.ret.unit_from != UnitFrom.FILE_NAME else ""), fc.findings


def _worker_start() -> None:
    """Ctrl+C stops the service, which ends its workers: they do not take it (nor print a traceback) themselves.
    A service that ends without ending them (killed, or stopped by a signal it passes on) ends them all the same."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_end_with, args=(parent.sentinel,), daemon=True).start()


def _end_with(sentinel: int) -> None:
    wait([sentinel])  # ready when the service's process is gone
    os._exit(0)


def _ready(year: int) -> None:
    """A blank template of the year checked once: the edition's tables and rules built, and where the tables of
    a return made from it are found (its layout) learnt, before the first upload needs them."""
    with tempfile.TemporaryDirectory() as tmp:
        blank = Path(tmp) / "模板.xlsx"
        make_template(blank, year)
        check_received(blank, year)


# multiprocessing's resource tracker (a process of its own on Linux and macOS, given the service's -W options)
# frees the workers' semaphores when the service is killed, and would say so on the console in English
_TRACKER_QUIET = "ignore::UserWarning:multiprocessing.resource_tracker"


def _quiet_tracker() -> None:
    if _TRACKER_QUIET not in sys.warnoptions:
        sys.warnoptions.append(_TRACKER_QUIET)


class Checker:
    """Worker processes for the checks, started with the service and ended with it."""

    def __init__(self, year: int, workers: int | None = None) -> None:
        self.year = year
        self.workers = workers or max(1, min(os.cpu_count() or 1, MAX_WORKERS))
        self._lock = threading.Lock()
        self._pool = self._new_pool()
        for started in [self._pool.submit(_ready, year) for _ in range(self.workers)]:
            started.result()  # every worker up and its imports done: the first uploads wait for no start

    def _new_pool(self) -> ProcessPoolExecutor:
        _quiet_tracker()
        # "spawn" everywhere, as on Windows: a forked worker would inherit the service's threads and its folder lock
        context = multiprocessing.get_context("spawn")
        return ProcessPoolExecutor(self.workers, mp_context=context, initializer=_worker_start)

    def check_all(self, paths: list[Path]) -> list[Checked]:
        """Each file checked, all at the same time, in the order given."""
        with self._lock:
            pool = self._pool
        try:
            pending: list[Future[Checked]] = [pool.submit(check_received, p, self.year) for p in paths]
        except BrokenProcessPool:
            pending = []
        out: list[Checked] = []
        for i, path in enumerate(paths):
            try:
                out.append(pending[i].result())
            except (BrokenProcessPool, IndexError):
                self._replace(pool)
                out.append(self._alone(path))
        return out

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._pool is broken:  # once, however many uploads found it broken
                self._pool = self._new_pool()
        broken.shutdown(wait=False, cancel_futures=True)

    def _alone(self, path: Path) -> Checked:
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"), initializer=_worker_start) as one:
            try:
                return one.submit(check_received, path, self.year).result()
            except BrokenProcessPool:
                return None, [Finding(Severity.ERROR, UNREADABLE, CRASHED)]

    def close(self) -> None:
        with self._lock:
            self._pool.shutdown(wait=True, cancel_futures=True)
