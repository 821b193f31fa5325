"""``briefgen diff``: the visible text of pages, and the command through the installed entry point
in git repositories the tests make."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from briefgen.diff import visible_text
from gitrepos import commit, git, new_repo
from helpers import SMALL_BRIEF
from test_history_cli import briefgen, requires_git

START = "2024-03-01T09:00:00+00:00"


def test_visible_text_is_what_a_reader_sees_with_links_from_the_site_root() -> None:
    html = """<!DOCTYPE html><html><head><title>T</title><style>p{}</style></head><body>
<a class="skip" href="#main">Skip to content</a>
<header class="site-header"><nav><a href="../../index.html">Brief</a></nav></header>
<main><h1>Ilham   Aliyev</h1>
<p>Spoke with <a class="mention" href="../putin/index.html">President Putin</a> and
<a href="https://example.org/x" rel="external">a source</a><sup><a href="#fn1">1</a></sup>.</p>
<ul><li>One <span class="vh">hidden unit</span></li><li hidden>Never shown</li></ul>
<table><tr><th>Year</th><td>2020</td></tr></table>
<script>document.write("no")</script></main>
<footer class="site-footer"><p>Built with briefgen</p></footer></body></html>"""
    assert visible_text(html, "actors/aliyev/index.html") == [
        "Ilham Aliyev",
        "Spoke with [President Putin](actors/putin/) and [a source](https://example.org/x)1.",
        "One",
        "Year | 2020",
    ]


pytestmark = requires_git


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The small brief on main, and a branch that renames the alias "Baku" of Azerbaijan."""
    repo = new_repo(tmp_path / "repo", SMALL_BRIEF, START)
    git(repo, "switch", "--quiet", "-c", "rename-alias")
    commit(repo, "Say official Baku", "2024-03-02T09:00:00+00:00", {
        "content/actors/azerbaijan.md": "---\nname: Azerbaijan\nkind: state\naliases: [Official Baku]\n---\n"
                                        "A state on the Caspian.\n"})
    return repo


def test_diff_lists_the_pages_a_branch_changes_with_their_visible_text(repo: Path) -> None:
    result = briefgen("diff", cwd=repo)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    base = git(repo, "rev-parse", "main").strip()
    assert lines[0] == f"comparing the site at the merge base of HEAD and main ({base[:12]}) with the work tree"
    assert lines[1] == "5 pages changed, 0 added, 0 removed; other files: 4 changed"
    changed = [line.removeprefix("changed: ") for line in lines if line.startswith("changed: ")]
    assert changed == ["actors.csv", "actors/azerbaijan/index.html", "actors/index.html", "articles/summer-of-strain/index.html",
                       "brief.json", "feed.xml", "index.html", "print/index.html", "sitemap.xml"]
    pages = {page.split("\n", 1)[0]: page for page in result.stdout.split("changed: ")[1:]}
    assert "\n  -Baku\n  +Official Baku\n" in pages["actors/azerbaijan/index.html"]
    assert "\n  -named 1 time; 1 article, 1 event\n  +named 0 times; 1 article, 1 event\n" in pages[
        "actors/azerbaijan/index.html"]
    assert "+First published in this brief on 1 March 2024; last updated on 2 March 2024." in pages[
        "actors/azerbaijan/index.html"]
    text = pages["articles/summer-of-strain/index.html"]
    assert "\n  -[Ilham Aliyev](actors/aliyev/) called [Putin](actors/putin/)" in text
    assert "Aliyev said little; [Baku](actors/azerbaijan/) said more." in text.split("\n  +")[0]
    assert "Aliyev said little; Baku said more." in text.split("\n  +")[1]
    assert result.stderr == ""
    assert git(repo, "worktree", "list").count("\n") == 1, "the temporary checkout was removed"
    assert git(repo, "status", "--porcelain") == ""


def test_diff_as_json_for_tools(repo: Path) -> None:
    (repo / "content/articles/new-piece.md").write_text(
        "---\ntitle: A new piece\ndate: 2020-10-01\n---\nAliyev again.\n", "utf-8")
    result = briefgen("diff", "main", "--format", "json", "--lines", "0", cwd=repo)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert list(data) == ["base", "summary", "added", "removed", "changed"]
    assert data["base"] == {"commit": git(repo, "rev-parse", "main").strip(), "revision": "main", "merge_base": False}
    assert data["added"] == [{"path": "articles/new-piece/index.html", "kind": "page"}]
    assert data["removed"] == []
    page = next(c for c in data["changed"] if c["path"] == "actors/aliyev/index.html")
    assert page["kind"] == "page" and page["more_lines"] == 0
    assert "+[A new piece](articles/new-piece/)" in page["diff"]
    assert [c["path"] for c in data["changed"] if c["kind"] == "page"] == [
        "actors/aliyev/index.html", "actors/azerbaijan/index.html", "actors/index.html", "articles/index.html",
        "articles/summer-of-strain/index.html", "index.html", "print/index.html"]
    assert data["summary"].startswith("7 pages changed, 1 added, 0 removed; other files: ")


def test_diff_reports_what_it_cannot_compare(repo: Path, tmp_path: Path) -> None:
    unknown = briefgen("diff", "no-such-branch", cwd=repo)
    assert (unknown.returncode, unknown.stdout) == (2, "")
    assert unknown.stderr == ("briefgen: error: 'no-such-branch' is not a commit of this repository\n"
                              "  hint: name a branch, a tag or a commit id (git log --oneline shows them)\n")
    git(repo, "branch", "--quiet", "-m", "main", "trunk")
    no_main = briefgen("diff", cwd=repo)
    assert no_main.returncode == 2
    assert no_main.stderr.startswith("briefgen: error: no main branch to compare with (looked for main, master, ")
    copy = tmp_path / "copy"
    shutil.copytree(repo, copy, ignore=shutil.ignore_patterns(".git"))
    outside = briefgen("diff", cwd=copy)
    assert outside.returncode == 2
    assert outside.stderr == ("briefgen: error: briefgen diff compares git revisions, "
                              "and the brief is not in a git repository\n")


def test_a_base_that_does_not_build_is_reported_as_such(repo: Path) -> None:
    git(repo, "switch", "--quiet", "main")
    commit(repo, "Break the brief", "2024-03-03T09:00:00+00:00",
           {"content/events/visit.md": "---\ntitle: Visit\ndate: 2020-08-25\nactors: [putn]\nsources: [cargo-flights]\n---\n"})
    broken = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "rm", "--quiet", "content/events/visit.md")
    result = briefgen("diff", "HEAD", cwd=repo)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "content/events/visit.md:4: error: unknown actor 'putn' in 'actors'",
        "  hint: did you mean 'putin'? Actors live in content/actors/.",
        f"briefgen: the brief at HEAD ({broken[:12]}) has 1 error(s); nothing to compare"]
