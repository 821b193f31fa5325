"""Save-to-reload under ``briefgen serve``: from writing an edited file to the reload event at an open page.

The server runs as a user runs it (``briefgen serve``, search on); a client
holds the page's event stream open, as a browser tab does. Each round appends
a sentence to one article's body, and times from just before the write to
the ``reload`` event's arrival. The search index is made after each reload,
in the server's background; the next round waits for it (the server prints a
line), so every round starts from the same quiet state, and its time is
reported beside.
"""

from __future__ import annotations

import json
import os
import re
import signal
import statistics
import subprocess
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from bench_measure import log
from bench_tools import Tool

EVENTS_PATH = "__briefgen/events"
INDEXED = re.compile(r"search index updated: (\d+) pages in (\d+(?:\.\d+)?) s")


class _Server:
    """``briefgen serve`` in a subprocess, with its stdout lines kept as they come."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self.lines.extend, args=(self.process.stdout,), daemon=True)
        self._reader.start()

    def wait_for(self, pattern: re.Pattern[str], count: int, timeout: float) -> list[re.Match[str]]:
        """The first ``count`` lines matching ``pattern``, once there are that many."""
        deadline = time.monotonic() + timeout
        while True:
            found = [m for m in map(pattern.search, list(self.lines)) if m]
            if len(found) >= count:
                return found[:count]
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"briefgen serve: no line matching {pattern.pattern!r}:\n" + "".join(self.lines[-20:]))
            time.sleep(0.02)

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()


def _next_event(stream: object, wanted: str) -> dict[str, object]:
    """Read the event stream up to the next event named ``wanted``; its data."""
    name = ""
    while True:
        line = stream.readline().decode()  # type: ignore[attr-defined]
        if not line:
            raise RuntimeError("the event stream ended")
        line = line.rstrip("\n")
        if line.startswith("event: "):
            name = line[7:]
        elif line.startswith("data: ") and name == wanted:
            data: dict[str, object] = json.loads(line[6:])
            return data
        elif line.startswith("data: ") and name == "problems":
            raise RuntimeError(f"the edit made the build fail: {line[6:][:300]}")


def save_to_reload(tool: Tool, source: Path, output: Path, article: Path, rounds: int, jobs: int | None,
                   edit: Callable[[str, int], str], timeout: float) -> dict[str, float | list[float]]:
    """Median seconds from a saved edit to the reload event, over ``rounds`` edits; and indexing after each."""
    env = {**os.environ, **tool.env}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    argv = [*tool.argv, "serve", "--source", str(source), "--output", str(output), "--port", "0",
            *(["--jobs", str(jobs)] if jobs else [])]
    original = article.read_bytes()
    server = _Server(argv, env)
    reloads: list[float] = []
    indexing: list[float] = []
    try:
        url = server.wait_for(re.compile(r"serving (http://\S+)"), 1, timeout)[0].group(1)
        server.wait_for(INDEXED, 1, timeout)
        with urllib.request.urlopen(url + EVENTS_PATH, timeout=timeout) as stream:
            _next_event(stream, "hello")
            text = original.decode("utf-8")
            for number in range(rounds):
                text = edit(text, 1000 + number)
                started = time.perf_counter()
                article.write_text(text, encoding="utf-8")
                _next_event(stream, "reload")
                reloads.append(time.perf_counter() - started)
                indexing.append(float(server.wait_for(INDEXED, number + 2, timeout)[-1].group(2)))
                log(f"  serve round {number + 1}/{rounds}: save to reload {reloads[-1]:.3f} s, "
                    f"then search index {indexing[-1]:.2f} s")
    finally:
        server.stop()  # first: restoring the file may fail, and the server must not outlive the run
        article.write_bytes(original)
    return {"reload_s": statistics.median(reloads), "reload_runs": reloads,
            "index_after_reload_s": statistics.median(indexing), "index_runs": indexing}
