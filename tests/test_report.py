"""``--format text|json|github``: the same problems for people, tools and GitHub Actions."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from briefgen import scaffold
from briefgen.errors import error, warning
from briefgen.report import Places, github_annotation, render
from helpers import write_files
from test_cli import run

BROKEN = {
    "content/events/border-incident.md": (
        "---\ntitle: Border incident\ndate: 2024-04-02\nactors: [nortland]\ncolour: red\n---\n"
        "Reported by [[article:nothing-yet]].\n"),
    "content/actors/river-authority.md": "---\nname: River authority\nkind: agency\n---\n",
    "content/notes.md": "Loose notes.\n",
}


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """The example brief with two broken files, in a folder of a folder."""
    return write_files(tmp_path / "briefs" / "long-river", {**scaffold.sample_brief(), **BROKEN})


def test_json_lists_every_problem_with_a_stable_shape(broken: Path) -> None:
    result = run("check", "--format", "json", "--source", "long-river", cwd=broken.parent)
    assert result.returncode == 1
    assert result.stderr == "briefgen: 3 error(s), 3 warning(s)\n"
    assert result.stdout == """\
[
  {
    "file": "long-river/content/actors/river-authority.md",
    "line": 3,
    "severity": "error",
    "code": "unknown-kind",
    "message": "unknown kind 'agency'",
    "hint": "kinds: state, person, organization, military, media, other"
  },
  {
    "file": "long-river/content/events/border-incident.md",
    "line": null,
    "severity": "warning",
    "code": "unsourced-event",
    "message": "event has no source",
    "hint": "say where it is reported: 'sources: [source-id]' (a record in content/sources/, an article or a URL), or cite one in the text with [[source:id]]; --strict makes this an error"
  },
  {
    "file": "long-river/content/events/border-incident.md",
    "line": 4,
    "severity": "error",
    "code": "unknown-reference",
    "message": "unknown actor 'nortland' in 'actors'",
    "hint": "did you mean 'northland' or 'southland'? Actors live in content/actors/."
  },
  {
    "file": "long-river/content/events/border-incident.md",
    "line": 5,
    "severity": "warning",
    "code": "unknown-key",
    "message": "unknown key 'colour'",
    "hint": "known keys: title, date, end, place, summary, actors, sources, after, before, draft, redirect_from"
  },
  {
    "file": "long-river/content/events/border-incident.md",
    "line": 7,
    "severity": "error",
    "code": "unknown-reference",
    "message": "unknown article 'nothing-yet' in [[article:nothing-yet]]",
    "hint": "Articles live in content/articles/."
  },
  {
    "file": "long-river/content/notes.md",
    "line": null,
    "severity": "warning",
    "code": "stray-file",
    "message": "file is not part of the brief; ignored",
    "hint": "articles, actors, events and sources live in content/articles/, content/actors/, content/events/ and content/sources/ as .md files"
  }
]
"""


def test_json_of_a_clean_brief_is_an_empty_list(tmp_path: Path) -> None:
    write_files(tmp_path, scaffold.sample_brief())
    result = run("check", "--format", "json", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "[]\n")
    assert result.stderr.startswith("checked 18 pages")


def git(repo: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Analyst", "GIT_AUTHOR_EMAIL": "analyst@example.org",
           "GIT_COMMITTER_NAME": "Analyst", "GIT_COMMITTER_EMAIL": "analyst@example.org",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, timeout=60)


GITHUB = """\
::error file={root}content/actors/river-authority.md,line=3,title=briefgen%3A unknown-kind::unknown kind 'agency'%0Ahint: kinds: state, person, organization, military, media, other
::warning file={root}content/events/border-incident.md,title=briefgen%3A unsourced-event::event has no source%0Ahint: say where it is reported: 'sources: [source-id]' (a record in content/sources/, an article or a URL), or cite one in the text with [[source:id]]; --strict makes this an error
::error file={root}content/events/border-incident.md,line=4,title=briefgen%3A unknown-reference::unknown actor 'nortland' in 'actors'%0Ahint: did you mean 'northland' or 'southland'? Actors live in content/actors/.
::warning file={root}content/events/border-incident.md,line=5,title=briefgen%3A unknown-key::unknown key 'colour'%0Ahint: known keys: title, date, end, place, summary, actors, sources, after, before, draft, redirect_from
::error file={root}content/events/border-incident.md,line=7,title=briefgen%3A unknown-reference::unknown article 'nothing-yet' in [[article:nothing-yet]]%0Ahint: Articles live in content/articles/.
::warning file={root}content/notes.md,title=briefgen%3A stray-file::file is not part of the brief; ignored%0Ahint: articles, actors, events and sources live in content/articles/, content/actors/, content/events/ and content/sources/ as .md files
"""


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_github_annotations_name_files_from_the_repository_root(broken: Path, tmp_path: Path) -> None:
    repo = tmp_path / "briefs"
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "A brief with problems")
    expected = GITHUB.format(root="long-river/")
    for cwd, source in [(broken, "."), (broken / "content" / "events", "../.."), (tmp_path, str(broken))]:
        result = run("check", "--format", "github", "--source", source, cwd=cwd)
        assert (result.returncode, result.stdout) == (1, expected)
        assert result.stderr == "briefgen: 3 error(s), 3 warning(s)\n"


def test_github_annotations_outside_a_repository_name_files_from_here(broken: Path) -> None:
    result = run("check", "--format", "github", "--source", "long-river", cwd=broken.parent)
    assert result.returncode == 1
    assert result.stdout == GITHUB.format(root="long-river/")


def test_github_escapes_what_workflow_commands_require() -> None:
    places = Places(Path("."), Path("/brief"), repo_root=Path("/brief"))
    problem = warning("content/a,b:c%.md", 2, "50% done\r\nsecond: line, here", "try: this, 100%")
    assert github_annotation(problem, places) == (
        "::warning file=content/a%2Cb%3Ac%25.md,line=2,title=briefgen%3A other::"
        "50%25 done%0D%0Asecond: line, here%0Ahint: try: this, 100%25")
    assert github_annotation(error("", 0, "no file"), places) == "::error title=briefgen%3A other::no file"
    assert github_annotation(error("briefgen.yaml", 0, "whole file"), places) == (
        "::error file=briefgen.yaml,title=briefgen%3A other::whole file")


def test_text_is_the_format_of_before_with_paths_from_here() -> None:
    places = Places(Path("brief"), Path("/work"), as_given=frozenset({"site"}))
    problems = [error("site", 0, "the output folder is odd"), warning("content/a.md", 3, "b", "c")]
    assert render(problems, "text", places) == (
        "brief/content/a.md:3: warning: b\n  hint: c\nsite: error: the output folder is odd\n")
    assert json.loads(render([], "json", places)) == []
