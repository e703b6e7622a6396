"""Work on many files in worker processes, in order, with progress: one place for the pool's settings."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
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
) -> list[R]:
    """``[fn(x) for x in items]``; on two or more cores and enough items, in worker processes.
    ``fn`` must be a module-level function that never raises; ``each`` sees every result as it arrives,
    while the workers go on."""
    workers = min(os.cpu_count() or 1, 8)
    pool = None
    if len(items) < PARALLEL_FROM or workers < 2:
        results: Iterable[R] = map(fn, items)
    else:
        pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(START_METHOD))
        results = pool.map(fn, items, chunksize=max(1, min(32, len(items) // (workers * 4))))
    out: list[R] = []
    try:
        for i, r in enumerate(results):
            if each is not None:
                each(r)
            out.append(r)
            if progress:
                progress(i + 1, len(items))
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    return out
