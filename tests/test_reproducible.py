"""The same commit builds byte-identical files on any machine, path and day.

Two clones of one repository, in folders of different names and depths, are
built through the installed entry point from different working folders, in
different time zones and locales, with different hash seeds and numbers of
workers, and on days a year apart (the clock of each process is moved by a
``sitecustomize`` module, as ``faketime`` would move it). Every byte of both
outputs must be the same, the build cache included, except the cache's stamp
of the input files, which holds their paths and modification times: those
are the machine's, and only tell the next build what changed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gitrepos import commit, git, git_env, new_repo
from helpers import SMALL_BRIEF
from test_cli import BRIEFGEN
from test_history_cli import requires_git

pytestmark = requires_git

FAKE_CLOCK = '''\
"""Moves this process's clock by BRIEFGEN_TEST_DAYS days: time, datetime.date.today and datetime.now."""
import datetime
import os
import time

_SHIFT = float(os.environ["BRIEFGEN_TEST_DAYS"]) * 86400
_time, _time_ns = time.time, time.time_ns
time.time = lambda: _time() + _SHIFT
time.time_ns = lambda: _time_ns() + int(_SHIFT * 1e9)


class _Date(datetime.date):
    @classmethod
    def today(cls):
        return datetime.date.fromtimestamp(time.time())


class _DateTime(datetime.datetime):
    @classmethod
    def now(cls, tz=None):
        return datetime.datetime.fromtimestamp(time.time(), tz)

    @classmethod
    def today(cls):
        return cls.now()


datetime.date, datetime.datetime = _Date, _DateTime
'''


def briefgen(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    command = [BRIEFGEN] if BRIEFGEN else [sys.executable, "-m", "briefgen"]
    environment = git_env(**env)
    environment.pop("SOURCE_DATE_EPOCH", None)
    return subprocess.run([*command, *args], cwd=cwd, env=environment, capture_output=True, text=True, timeout=120)


def every_file(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.relative_to(root).as_posix() != ".briefgen/inputs"}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    files = {**SMALL_BRIEF, "static/notes/readme.txt": "Read me.\n",
             "templates/404.html": '{% extends "base.html" %}{% block main %}<h1>Not here</h1>{% endblock %}\n'}
    repo = new_repo(tmp_path / "origin", files, "2024-03-01T09:00:00+04:00")
    putin = SMALL_BRIEF["content/actors/putin.md"]
    assert isinstance(putin, str)
    commit(repo, "Putin's role", "2024-06-30T23:30:00-05:00",
           {"content/actors/putin.md": putin.replace("role: President of Russia", "role: Russia's president")})
    git(repo, "mv", "content/events/snap-drills.md", "content/events/drills.md")
    commit(repo, "Rename the drills", "2024-07-01T02:00:00+03:00")
    return repo


def test_one_commit_builds_the_same_bytes_in_any_folder_on_any_day(repo: Path, tmp_path: Path) -> None:
    clock = tmp_path / "clock"
    clock.mkdir()
    (clock / "sitecustomize.py").write_text(FAKE_CLOCK, "utf-8")
    one = tmp_path / "one"
    two = tmp_path / "somewhere" / "much" / "deeper" / "with a space" / "two"
    for clone in (one, two):
        git(tmp_path, "clone", "--quiet", f"file://{repo}", str(clone))
    moved = {"PYTHONPATH": str(clock)}
    check = subprocess.run([sys.executable, "-c", "import datetime; print(datetime.date.today())"],
                           env=git_env(**moved, BRIEFGEN_TEST_DAYS="400"), capture_output=True, text=True)
    assert check.stdout.strip() != str(__import__("datetime").date.today()), "the clock did not move"
    first = briefgen("build", "--jobs", "1", cwd=one,
                     **moved, BRIEFGEN_TEST_DAYS="1", TZ="Asia/Baku", LANG="C", PYTHONHASHSEED="1")
    second = briefgen("build", "--source", str(two), "--output", str(two / "build"), "--jobs", "2", cwd=tmp_path,
                      **moved, BRIEFGEN_TEST_DAYS="400", TZ="America/Los_Angeles", LANG="C.UTF-8",
                      PYTHONHASHSEED="4242")
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert first.stderr == second.stderr == ""
    a, b = every_file(one / "build"), every_file(two / "build")
    assert sorted(a) == sorted(b)
    assert [path for path in a if a[path] != b[path]] == []
    sitemap = a["sitemap.xml"].decode()  # the dates in UTC, whatever the committers' and the builders' zones
    assert "<url><loc>actors/putin/</loc><lastmod>2024-07-01T04:30:00Z</lastmod></url>" in sitemap
    assert "<url><loc>events/drills/</loc><lastmod>2024-06-30T23:00:00Z</lastmod></url>" in sitemap
    assert (two / "build" / ".briefgen" / "inputs").is_file()
    assert all(os.fsencode(str(place)) not in content for place in (one, two, tmp_path) for content in a.values())
