"""Running a child process and measuring its wall time and the peak memory of its tree.

See run.py's docstring for how peak memory is measured and why.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

SAMPLE_SECONDS = 0.05
"""Shortest interval between two memory samples."""
SAMPLE_BUDGET = 0.02
"""Largest share of one core the sampler may use: the interval grows with a sample's cost."""
RESCAN_SECONDS = 0.25
"""Interval between two scans of /proc for new processes in the tree."""
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024

@dataclass(frozen=True, slots=True)
class Run:
    """One measured child process."""

    seconds: float
    returncode: int
    peak_kb: int | None
    """Peak memory of the process tree, or None when not measured."""
    cpu_seconds: float
    """User plus system time of the child and of every descendant it reaped (its workers)."""
    output: str
    """The last lines of its stdout and stderr, for error reports."""


def _children() -> dict[int, list[int]]:
    """Parent pid -> child pids, for every process visible in /proc."""
    kids: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as handle:
                stat = handle.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        kids.setdefault(ppid, []).append(int(entry.name))
    return kids


def process_tree(root: int) -> list[int]:
    """``root`` and all its descendants (empty if ``root`` has gone)."""
    kids = _children()
    if not os.path.exists(f"/proc/{root}"):
        return []
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(kids.get(pid, ()))
    return tree


def rss_kb(pid: int) -> int:
    """Resident set of ``pid`` in KiB from /proc/PID/statm (cheap); 0 if it has gone."""
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as handle:
            return int(handle.read().split()[1]) * PAGE_KB
    except (OSError, ValueError, IndexError):
        return 0


def pss_kb(pid: int) -> int:
    """Proportional set of ``pid`` in KiB (its RSS if PSS is unavailable); 0 if it has gone.

    Costs a page-table walk: about 10 ms per 500 MB resident.
    """
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return rss_kb(pid)


def tree_kb(pids: Sequence[int]) -> int:
    """Memory of a process tree: the RSS of a lone process, else the sum of PSS."""
    return rss_kb(pids[0]) if len(pids) == 1 else sum(pss_kb(pid) for pid in pids)


def _sample_tree(root: int, stop: threading.Event, peak: list[int]) -> None:
    """Record in ``peak[0]`` the largest ``tree_kb`` of ``root``'s tree until ``stop``."""
    tree, next_scan = [root], 0.0
    while True:
        started = time.perf_counter()
        if started >= next_scan:
            tree, next_scan = process_tree(root) or [root], started + RESCAN_SECONDS
        peak[0] = max(peak[0], tree_kb(tree))
        cost = time.perf_counter() - started
        if stop.wait(max(SAMPLE_SECONDS, cost / SAMPLE_BUDGET)):
            return


def measure(argv: Sequence[str], *, env: Mapping[str, str] | None = None, cwd: Path | None = None,
            memory: bool = False, timeout: float = 3600.0) -> Run:
    """Run ``argv`` to completion; wall seconds, exit code and (if ``memory``) peak KiB."""
    full_env = {**os.environ, **(env or {})}
    full_env.pop("PYTHONDONTWRITEBYTECODE", None)  # let Python cache bytecode, as on a user's machine
    os.sync()  # earlier builds' dirty pages must not be written back during this one
    with tempfile.TemporaryFile() as log:
        start = time.perf_counter()
        try:
            child = subprocess.Popen(list(argv), stdout=log, stderr=subprocess.STDOUT, env=full_env,
                                     cwd=cwd, start_new_session=True)
        except OSError as error:
            return Run(0.0, 127, None, 0.0, f"cannot start {argv[0]}: {error}")
        stop, peak = threading.Event(), [0]
        sampler = threading.Thread(target=_sample_tree, args=(child.pid, stop, peak), daemon=True)
        if memory:
            sampler.start()
        killer = threading.Timer(timeout, _kill_group, args=(child.pid,))
        killer.start()
        try:
            _, status, usage = os.wait4(child.pid, 0)
        except BaseException:
            _kill_group(child.pid)
            raise
        finally:
            killer.cancel()
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        stop.set()
        if memory:
            sampler.join()
        log.seek(0)
        tail = log.read().decode("utf-8", "replace").splitlines()[-40:]
    return Run(seconds, child.returncode, max(peak[0], usage.ru_maxrss) if memory else None,
               usage.ru_utime + usage.ru_stime, "\n".join(tail))


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
