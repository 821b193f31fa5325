"""Temporary git repositories for the tests: commits at the dates a test gives, whatever the
user's own git configuration says."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from helpers import write_files

GIT_ENV = {
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "LC_ALL": "C",
    "GIT_AUTHOR_NAME": "Analyst", "GIT_AUTHOR_EMAIL": "analyst@example.org",
    "GIT_COMMITTER_NAME": "Analyst", "GIT_COMMITTER_EMAIL": "analyst@example.org",
}
"""Also for the briefgen processes the tests run: no user configuration reaches git."""


def git_env(**extra: str) -> dict[str, str]:
    return {**os.environ, **GIT_ENV, **extra}


def git(repo: Path, *args: str, when: str = "") -> str:
    """Run git in ``repo``; ``when`` (``2024-03-01T09:00:00+04:00``) dates a commit made by it."""
    dates = {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when} if when else {}
    found = subprocess.run(["git", "-C", str(repo), *args], env=git_env(**dates), capture_output=True,
                           text=True, check=False, timeout=60)
    assert found.returncode == 0, found.stderr
    return found.stdout


def commit(repo: Path, message: str, when: str, files: dict[str, str | bytes] | None = None) -> str:
    """Write ``files``, commit everything at ``when``; the commit's id."""
    if files:
        write_files(repo, files)
    git(repo, "add", "-A")
    git(repo, "commit", "--quiet", "--allow-empty", "-m", message, when=when)
    return git(repo, "rev-parse", "HEAD").strip()


def new_repo(root: Path, files: dict[str, str | bytes], when: str, message: str = "Start the brief") -> Path:
    """A repository on branch main holding ``files`` in one first commit."""
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "--quiet", "--initial-branch=main")
    write_files(root, {".gitignore": "build/\n"})
    commit(root, message, when, files)
    return root
