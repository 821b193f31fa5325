"""Spreading independent work over processes, with the same result as one process;
and the one place that tunes the process itself (the collector, free memory).

Work is cut into contiguous chunks of a list, each worker builds its
expensive helper (a Markdown renderer, a Jinja environment) once, and results
come back in input order, so output never depends on scheduling.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

COLLECTOR_THRESHOLDS = (50_000, 20, 100)
"""A build makes millions of long-lived objects and almost no cycles: with the
default thresholds the collector rescans them again and again."""


def tune_collector() -> None:
    """For a process that runs a build (the command line sets it once)."""
    gc.set_threshold(*COLLECTOR_THRESHOLDS)


@contextmanager
def collector_paused() -> Iterator[None]:
    """For loading 100,000s of objects that hold no cycles: without it the collector
    rescans them again and again as they are made, and once more when it is enabled."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()  # what was loaded lives to the end of the build: keep it out of collections
        if enabled:
            gc.enable()


# The per-process worker: set once by ``_start`` in each worker process.
_worker: Callable[[int, int], list[Any]] | None = None


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _start(make_worker: Callable[..., Callable[[int, int], list[Any]]], args: tuple[Any, ...]) -> None:
    global _worker
    _worker = make_worker(*args)


def _run(bounds: tuple[int, int]) -> list[Any]:
    if _worker is None:  # pragma: no cover - the pool's initializer always runs first
        raise RuntimeError("worker process started without its worker")
    return _worker(*bounds)


def chunked(count: int, jobs: int, min_chunk: int = 16) -> list[tuple[int, int]]:
    """Contiguous (start, stop) ranges: several per job so that slow chunks even out."""
    if count == 0:
        return []
    size = max(min_chunk, -(-count // (jobs * 4)))
    return [(start, min(start + size, count)) for start in range(0, count, size)]


def run_chunks(
    make_worker: Callable[..., Callable[[int, int], list[R]]],
    args: tuple[Any, ...],
    count: int,
    jobs: int,
    min_parallel: int = 64,
) -> list[R]:
    """Apply ``make_worker(*args)`` to ranges of ``range(count)``; results in order.

    With one job, or too little work to pay for starting processes, it runs
    here, in this process, through exactly the same worker code.
    """
    if jobs <= 1 or count < min_parallel:
        return make_worker(*args)(0, count) if count else []
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    results: list[R] = []
    # Frozen objects are never visited by the workers' collector, so the pages
    # they inherit from this process stay shared instead of being copied.
    gc.freeze()
    _return_free_memory()
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context,
                                 initializer=_start, initargs=(make_worker, args)) as pool:
            for part in pool.map(_run, chunked(count, jobs)):
                results.extend(part)
    finally:
        gc.unfreeze()
    return results


def _return_free_memory() -> None:
    """Hand memory freed by earlier stages back to the system before forking.

    glibc keeps freed blocks for reuse; kept, they stay resident in this
    process while the workers run. Elsewhere this does nothing.
    """
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass
