"""Page history from git: the log read newest to oldest with renames followed, what is not committed,
and every case where git cannot tell (no git, no repository, no commit, a shallow clone)."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.history import (KEPT_CHANGES, SHALLOW, Change, FileHistory, GitState, Moment, combine, git_state,
                              parse_log, parse_status, read_history, restamp)
from gitrepos import GIT_ENV, commit, git, new_repo


def log_record(seconds: int, subject: str, *entries: str, iso: str = "2024-03-01T09:00:00+00:00") -> str:
    """One commit as ``git log -z --format=%x1e%ct%x00%cI%x00%s --name-status`` writes it."""
    return f"\x1e{seconds}\0{iso}\0{subject}\0\n" + "".join(f"{entry}\0" for entry in entries)


def subjects(changes: list[Change]) -> list[str]:
    return [change.subject for change in changes]


def test_a_rename_carries_the_older_history_to_the_new_name() -> None:
    log = (log_record(40, "Edit the new name", "M", "content/actors/shoigu.md")
           + log_record(30, "Rename", "R100", "content/actors/shoygu.md", "content/actors/shoigu.md")
           + log_record(20, "Edit the old name", "M", "content/actors/shoygu.md")
           + log_record(10, "Add", "A", "content/actors/shoygu.md", "A", "content/actors/putin.md"))
    history = parse_log(log)
    assert subjects(history["content/actors/shoigu.md"]) == ["Edit the new name", "Rename", "Edit the old name", "Add"]
    assert subjects(history["content/actors/putin.md"]) == ["Add"]
    assert "content/actors/shoygu.md" not in history


def test_a_file_added_again_starts_its_history_there() -> None:
    log = (log_record(40, "Add it again", "A", "content/events/visit.md")
           + log_record(30, "Delete", "D", "content/events/visit.md")
           + log_record(20, "Edit", "M", "content/events/visit.md")
           + log_record(10, "Add", "A", "content/events/visit.md"))
    assert subjects(parse_log(log)["content/events/visit.md"]) == ["Add it again"]


def test_a_deleted_file_and_a_name_a_rename_left_behind_have_no_history() -> None:
    log = (log_record(50, "Take the old name for another file", "A", "content/actors/a.md")
           + log_record(40, "Rename", "R090", "content/actors/a.md", "content/actors/b.md")
           + log_record(30, "Delete", "D", "content/actors/gone.md")
           + log_record(20, "Add", "A", "content/actors/a.md", "A", "content/actors/gone.md"))
    history = parse_log(log)
    assert subjects(history["content/actors/b.md"]) == ["Rename", "Add"]
    assert subjects(history["content/actors/a.md"]) == ["Take the old name for another file"]
    assert "content/actors/gone.md" not in history


def test_moments_show_the_committers_day_and_compare_in_utc() -> None:
    early_in_baku = Moment(1709242200, 240)  # 2024-03-01 01:30 +04:00
    assert early_in_baku.display() == "1 March 2024"
    assert early_in_baku.iso == "2024-02-29T21:30:00Z"
    log = log_record(1709242200, "Add", "A", "content/index.md", iso="2024-03-01T01:30:00+04:00")
    assert parse_log(log)["content/index.md"][0].when == early_in_baku


def test_status_lists_what_differs_from_head_below_the_brief() -> None:
    output = "\0".join([" M briefs/b/content/actors/a.md", "?? briefs/b/content/events/new.md",
                        "!! briefs/b/content/events/ignored.md", " D briefs/b/content/events/deleted.md",
                        "A  briefs/b/content/articles/staged.md", " M other/content/x.md", ""])
    assert parse_status(output, "briefs/b/") == {
        "content/actors/a.md", "content/events/new.md", "content/events/ignored.md", "content/articles/staged.md"}


def history_of(*subjects_and_times: tuple[str, int]) -> list[Change]:
    return [Change(Moment(seconds), subject) for subject, seconds in subjects_and_times]


def test_uncommitted_changes_are_dated_by_the_work_tree_time_and_never_before_the_last_commit() -> None:
    committed = {"content/a.md": history_of(("Edit", 20), ("Add", 10)), "content/b.md": history_of(("Add", 10))}
    files = combine(committed, {"content/b.md", "content/new.md"}, Moment(15))
    assert files["content/a.md"] == FileHistory(Moment(10), Moment(20), tuple(committed["content/a.md"]), 2)
    b = files["content/b.md"]
    assert (b.published, b.updated, b.count, b.uncommitted) == (Moment(10), Moment(15), 2, True)
    assert b.changes[0] == Change(Moment(15), "", committed=False)
    new = files["content/new.md"]
    assert (new.published, new.updated, new.count) == (Moment(15), Moment(15), 1)
    assert combine(committed, {"content/a.md"}, Moment(5))["content/a.md"].updated == Moment(20)


def test_restamp_gives_what_combine_would_after_an_edit_and_after_undoing_it() -> None:
    committed = {"content/a.md": history_of(("Edit", 20), ("Add", 10)), "content/b.md": history_of(("Add", 10))}
    clean = combine(committed, set(), Moment(30))
    edited = combine(committed, {"content/a.md"}, Moment(30))
    assert restamp(clean, {"content/a.md"}, Moment(30)) == {"content/a.md": edited["content/a.md"]}
    assert restamp(edited, set(), Moment(30)) == {"content/a.md": clean["content/a.md"]}
    assert restamp(clean, set(), Moment(30)) == {}
    long = {"content/a.md": history_of(*((f"Edit {n}", 100 - n) for n in range(KEPT_CHANGES + 3)))}
    assert restamp(combine(long, {"content/a.md"}, Moment(200)), set(), Moment(200)) is None


# ---------------------------------------------------------------- with git

BRIEF = {
    "content/actors/shoygu.md": "---\nname: Sergei Shoigu\nkind: person\n---\n",
    "content/actors/putin.md": "---\nname: Vladimir Putin\nkind: person\n---\n",
}


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name, value in GIT_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    repo = new_repo(tmp_path / "repo", {f"brief/{path}": text for path, text in BRIEF.items()},
                    "2024-03-01T09:00:00+04:00", "Add Shoigu and Putin")
    git(repo, "mv", "brief/content/actors/shoygu.md", "brief/content/actors/shoigu.md")
    commit(repo, "Spell Shoigu as he is spelt", "2024-03-05T10:00:00+00:00")
    commit(repo, "Add his role", "2024-03-09T10:00:00+00:00",
           {"brief/content/actors/shoigu.md": "---\nname: Sergei Shoigu\nkind: person\nrole: Minister\n---\n"})
    commit(repo, "Touch nothing of the brief", "2024-03-12T10:00:00+00:00", {"README": "notes\n"})
    return repo


def test_history_of_a_brief_in_a_folder_of_a_repository(repo: Path) -> None:
    brief = repo / "brief"
    state = git_state(brief)
    assert (state.prefix, state.note) == ("brief/", "")
    history, problems = read_history(brief, state)
    assert problems == []
    shoigu = history["content/actors/shoigu.md"]
    assert [c.subject for c in shoigu.changes] == ["Add his role", "Spell Shoigu as he is spelt", "Add Shoigu and Putin"]
    assert (shoigu.published.display(), shoigu.updated.display()) == ("1 March 2024", "9 March 2024")
    assert history["content/actors/putin.md"].count == 1
    assert set(history) == {"content/actors/shoigu.md", "content/actors/putin.md"}


def test_uncommitted_files_take_the_head_commits_time_or_source_date_epoch(
        repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    brief = repo / "brief"
    (brief / "content/actors/putin.md").write_text("---\nname: Vladimir Putin\nkind: state\n---\n", "utf-8")
    (brief / "content/actors/lavrov.md").write_text("---\nname: Sergey Lavrov\nkind: person\n---\n", "utf-8")
    history, _ = read_history(brief, git_state(brief))
    head_time = "2024-03-12T10:00:00Z"  # the commit touching nothing of the brief
    assert history["content/actors/putin.md"].updated.iso == head_time
    assert history["content/actors/putin.md"].published.iso == "2024-03-01T05:00:00Z"
    assert history["content/actors/lavrov.md"].published.iso == head_time
    assert not history["content/actors/shoigu.md"].uncommitted
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")
    history, _ = read_history(brief, git_state(brief))
    assert history["content/actors/putin.md"].updated.iso == "2025-01-01T00:00:00Z"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    history, problems = read_history(brief, git_state(brief))
    assert [p.format() for p in problems] == [
        "briefgen: error: SOURCE_DATE_EPOCH must be a number of seconds since 1970, not 'yesterday'\n"
        "  hint: unset it, or set it from git: SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)"]


def test_without_history_git_state_says_why(repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "elsewhere").mkdir()
    assert git_state(tmp_path / "elsewhere").note == "the brief is not in a git repository"
    git(tmp_path, "init", "--quiet", str(tmp_path / "empty"))
    assert git_state(tmp_path / "empty").note == "the repository has no commit yet"
    git(tmp_path, "clone", "--quiet", "--depth", "1", f"file://{repo}", str(tmp_path / "shallow"))
    shallow = git_state(tmp_path / "shallow" / "brief")
    assert shallow.note == SHALLOW and shallow.head
    assert read_history(tmp_path / "shallow" / "brief", shallow) == ({}, [])
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs"))
    assert git_state(repo / "brief") == GitState(note="git is not installed (or not on PATH)")
