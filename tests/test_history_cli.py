"""Page history through the installed entry point, in git repositories the tests make: several
commits, a rename, a shallow clone, a brief outside any repository, and no git at all."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gitrepos import commit, git, git_env, new_repo
from helpers import SMALL_BRIEF
from test_cli import BRIEFGEN

requires_git = pytest.mark.skipif(shutil.which("git") is None and not os.environ.get("CI"),
                                  reason="git is not installed")
pytestmark = requires_git

START = "2024-03-01T09:00:00+04:00"


def briefgen(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    command = [BRIEFGEN] if BRIEFGEN else [sys.executable, "-m", "briefgen"]
    environment = git_env(**env)
    environment.pop("SOURCE_DATE_EPOCH", None) if "SOURCE_DATE_EPOCH" not in env else None
    return subprocess.run([*command, *args], cwd=cwd, env=environment, capture_output=True, text=True,
                          timeout=120)


def read(build: Path, page: str) -> str:
    return (build / page).read_text("utf-8")


def history_of(html: str) -> str:
    """The page-history footer, whitespace folded."""
    found = re.search(r'<footer class="page-history">(.*?)</footer>', html, re.S)
    return " ".join(found.group(1).split()) if found else ""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The small brief with a history: an alias added, an event renamed, a commit of other files."""
    repo = new_repo(tmp_path / "repo", SMALL_BRIEF, START)
    aliyev = SMALL_BRIEF["content/actors/aliyev.md"]
    strain = SMALL_BRIEF["content/articles/summer-of-strain.md"]
    assert isinstance(aliyev, str) and isinstance(strain, str)
    commit(repo, "Add Aliyev's title as an alias", "2024-03-05T18:30:00+00:00",
           {"content/actors/aliyev.md": aliyev.replace("Ilham Əliyev]", "Ilham Əliyev, the President]"),
            "content/articles/summer-of-strain.md": strain.replace("spoke later.", "spoke later, and the President.")})
    git(repo, "mv", "content/events/snap-drills.md", "content/events/russian-drills.md")
    commit(repo, "Name the drills after who held them", "2024-03-07T08:00:00+00:00")
    commit(repo, "Notes for the team", "2024-03-09T08:00:00+00:00", {"NOTES.md": "Nothing for readers.\n"})
    return repo


def test_pages_show_when_their_files_were_first_published_and_last_updated(repo: Path) -> None:
    result = briefgen("build", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    build = repo / "build"
    assert history_of(read(build, "actors/aliyev/index.html")) == (
        '<p>First published in this brief on <time datetime="2024-03-01T05:00:00Z">1 March 2024</time>; '
        'last updated on <time datetime="2024-03-05T18:30:00Z">5 March 2024</time>.</p> '
        '<details> <summary>2 changes to this page</summary> <ol class="changes"> '
        '<li><time datetime="2024-03-05T18:30:00Z">5 March 2024</time> Add Aliyev&#39;s title as an alias</li> '
        '<li><time datetime="2024-03-01T05:00:00Z">1 March 2024</time> Start the brief</li> </ol> </details>')
    # A rename is followed: the page under the new name keeps the first commit as its first publication.
    drills = history_of(read(build, "events/russian-drills/index.html"))
    assert drills.startswith('<p>First published in this brief on <time datetime="2024-03-01T05:00:00Z">'
                             '1 March 2024</time>; last updated on <time datetime="2024-03-07T08:00:00Z">'
                             '7 March 2024</time>.</p>')
    assert "Name the drills after who held them" in drills
    assert history_of(read(build, "actors/putin/index.html")) == (
        '<p>First published in this brief on <time datetime="2024-03-01T05:00:00Z">1 March 2024</time>.</p>')
    # An article's byline keeps its own date, and says when the file was changed after its first commit.
    assert ('<time datetime="2020-09-15" data-pagefind-meta="date">15 September 2020</time> · updated '
            '<time datetime="2024-03-05T18:30:00Z">5 March 2024</time> · <span class="reading-time">') in read(
        build, "articles/summer-of-strain/index.html")
    assert ('<time datetime="2020-09-11" data-pagefind-meta="date">11 September 2020</time> · '
            '<span class="reading-time">') in read(build, "articles/cargo-flights/index.html")
    feed = read(build, "feed.xml")
    assert "<published>2020-09-11T00:00:00Z</published>\n<updated>2024-03-01T05:00:00Z</updated>" in feed
    assert "<url><loc>actors/aliyev/</loc><lastmod>2024-03-05T18:30:00Z</lastmod></url>" in read(build, "sitemap.xml")
    assert "<url><loc>timeline/</loc></url>" in read(build, "sitemap.xml")


def test_uncommitted_changes_are_dated_by_source_date_epoch(repo: Path) -> None:
    putin = repo / "content/actors/putin.md"
    putin.write_text(putin.read_text("utf-8") + "\nPresident of Russia.\n", "utf-8")
    assert briefgen("build", cwd=repo, SOURCE_DATE_EPOCH="1735732800").returncode == 0  # 2025-01-01 12:00 UTC
    page = history_of(read(repo / "build", "actors/putin/index.html"))
    assert 'last updated on <time datetime="2025-01-01T12:00:00Z">1 January 2025</time>' in page
    assert '<li><time datetime="2025-01-01T12:00:00Z">1 January 2025</time> <em>Changes not yet committed</em></li>' in page
    wrong = briefgen("check", cwd=repo, SOURCE_DATE_EPOCH="2025-01-01")
    assert wrong.returncode == 1
    assert wrong.stderr.splitlines() == [
        "briefgen: error: SOURCE_DATE_EPOCH must be a number of seconds since 1970, not '2025-01-01'",
        "  hint: unset it, or set it from git: SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)",
        "briefgen: 1 error(s), 0 warning(s)"]


@pytest.mark.parametrize("where", ["a shallow clone", "outside a repository", "without git"])
def test_without_history_the_build_uses_front_matter_dates_and_says_so_once(
        repo: Path, tmp_path: Path, where: str) -> None:
    env: dict[str, str] = {}
    if where == "a shallow clone":
        brief = tmp_path / "shallow"
        git(tmp_path, "clone", "--quiet", "--depth", "1", f"file://{repo}", str(brief))
        note = ("this is a shallow clone, whose history is cut off "
                "(git fetch --unshallow, or fetch-depth: 0 for actions/checkout)")
    elif where == "outside a repository":
        brief = tmp_path / "copy"
        shutil.copytree(repo, brief, ignore=shutil.ignore_patterns(".git"))
        note = "the brief is not in a git repository"
    else:
        brief = repo
        env["PATH"] = str(tmp_path / "no-programs")
        note = "git is not installed (or not on PATH)"
    result = briefgen("build", cwd=brief, **env)
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"briefgen: note: page dates come from front matter: {note}\n"
    build = brief / "build"
    assert "page-history" not in read(build, "actors/aliyev/index.html")
    assert "<published>2020-09-11T00:00:00Z</published>\n<updated>2020-09-11T00:00:00Z</updated>" in read(
        build, "feed.xml")
    sitemap = read(build, "sitemap.xml")
    assert "<url><loc>articles/cargo-flights/</loc><lastmod>2020-09-11T00:00:00Z</lastmod></url>" in sitemap
    assert "<url><loc>actors/aliyev/</loc></url>" in sitemap
    if where == "a shallow clone":
        again = briefgen("build", cwd=brief)  # nothing to do, and it says so again, once
        assert again.stdout.startswith("up to date: ")
        assert again.stderr == result.stderr
        assert briefgen("check", cwd=brief).stderr == ""  # a check makes no pages
