"""Work on many files in worker processes, in order, with progress: one place for the pool's settings."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

PARALLEL_FROM = 64  # below this many files, starting worker processes costs more than it saves
START_METHOD: str | None = None  # the platform's default: "spawn" on Windows, where the users are


def ordered_map(
    fn: Callable[[T], R],
    items: Sequence[T],
    progress: Callable[[int, int], None] | None = None,
    each: Callable[[R], None] | None = None,
    crashed: Callable[[T], R] | None = None,
) -> list[R]:
    """``[fn(x) for x in items]``; on two or more cores and enough items, in worker processes.

    ``fn`` must be a module-level function that never raises; ``each`` sees every result as it arrives,
    while the workers go on. A worker that dies (a parser aborting on a crafted file) takes its pool down:
    the items it may have held are then run one by one, each in a process of its own, the one that kills its
    process getting ``crashed(item)`` as its result, and the rest go on in a new pool.
    """
    workers = min(os.cpu_count() or 1, 8)
    out: list[R] = []

    def arrived(r: R) -> None:
        if each is not None:
            each(r)
        out.append(r)
        if progress:
            progress(len(out), len(items))

    if len(items) < PARALLEL_FROM or workers < 2:
        for r in map(fn, items):
            arrived(r)
        return out
    chunk = max(1, min(32, len(items) // (workers * 4)))
    while len(out) < len(items):
        pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(START_METHOD))
        try:
            for r in pool.map(fn, items[len(out) :], chunksize=chunk):
                arrived(r)
        except BrokenProcessPool:
            if crashed is None:
                raise
            for item in items[len(out) : len(out) + chunk * workers]:  # what the dead pool had in hand
                arrived(_alone(fn, item, crashed))
        finally:
            pool.shutdown(cancel_futures=True)
    return out


def _alone(fn: Callable[[T], R], item: T, crashed: Callable[[T], R]) -> R:
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context(START_METHOD)) as pool:
        try:
            return pool.submit(fn, item).result()
        except BrokenProcessPool:
            return crashed(item)
