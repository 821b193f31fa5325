"""Incremental builds of a brief in git equal clean builds when only the history changed: a commit
of other files, an amend that moves a commit's date, the first edit of a file since its commit."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.build import BuildOptions, build
from gitrepos import GIT_ENV, commit, git, new_repo
from helpers import SMALL_BRIEF
from test_history_cli import requires_git

pytestmark = requires_git


def site_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".briefgen" not in p.parts and p.name != ".briefgen-output"}


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shared_theme: None) -> Path:
    for name, value in GIT_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    repo = new_repo(tmp_path / "repo", SMALL_BRIEF, "2024-03-01T09:00:00+04:00")
    git(repo, "mv", "content/events/snap-drills.md", "content/events/russian-drills.md")
    commit(repo, "Name the drills after who held them", "2024-03-07T08:00:00+00:00")
    return repo


def built(repo: Path, output: Path | None = None, cache: bool = True) -> tuple[object, dict[str, bytes]]:
    output = output or repo / "build"
    report = build(BuildOptions(source=repo, output=output, jobs=1, cache=cache))
    assert report.notes == []
    return report, site_files(output)


def test_a_commit_of_other_files_is_a_no_op_and_an_amend_renders_the_pages_it_dates(
        repo: Path, tmp_path: Path) -> None:
    _, first = built(repo)
    assert build(BuildOptions(source=repo, output=repo / "build", jobs=1)).up_to_date
    commit(repo, "Notes for the team", "2024-03-10T08:00:00+00:00", {"NOTES.md": "Nothing for readers.\n"})
    report = build(BuildOptions(source=repo, output=repo / "build", jobs=1))
    assert report.up_to_date and site_files(repo / "build") == first
    git(repo, "reset", "--quiet", "--soft", "HEAD~1")  # the rename commit again, the notes staged with it
    git(repo, "commit", "--quiet", "--amend", "--no-edit", when="2024-04-02T08:00:00+00:00")
    report, after = built(repo)
    assert sorted(path for path in after if after[path] != first.get(path)) == [
        "events/russian-drills/index.html", "sitemap.xml"]
    assert getattr(report, "changed") == 2
    assert after == built(repo, tmp_path / "clean", cache=False)[1]
    assert build(BuildOptions(source=repo, output=repo / "build", jobs=1)).up_to_date


def test_text_edits_since_a_commit_take_the_quick_path_and_date_the_pages_anew(repo: Path, tmp_path: Path) -> None:
    built(repo)
    cargo, strain = repo / "content/articles/cargo-flights.md", repo / "content/articles/summer-of-strain.md"
    edits = [(cargo, "spoke again.", "spoke again at length."),  # first edit since the commit: a new date
             (cargo, "spoke again at length.", "spoke once more."),
             (strain, "said more.", "said much more."),  # the feed shows both edited articles
             (cargo, "spoke once more.", "spoke again."),  # undone: the commit's date again
             (strain, "said much more.", "said more.")]
    for step, (file, old, new) in enumerate(edits):
        file.write_text(file.read_text("utf-8").replace(old, new), "utf-8")
        report, site = built(repo)
        assert getattr(report, "quick"), step
        assert site == built(repo, tmp_path / f"clean-{step}", cache=False)[1], step
        dirty = "Changes not yet committed" in site["articles/cargo-flights/index.html"].decode()
        assert dirty == (step < 3), step
    assert b"<url><loc>articles/cargo-flights/</loc><lastmod>2024-03-01T05:00:00Z</lastmod></url>" in site[
        "sitemap.xml"]
