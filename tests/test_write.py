from __future__ import annotations

import os
from pathlib import Path

import pytest

from briefgen.urls import is_safe_dest as safe_dest
from briefgen.write import (JOURNAL, MARKER, PENDING, check_output, finish_interrupted_update, update_in_place,
                            write_site)


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file() and not any(part.startswith(".briefgen") for part in p.relative_to(root).parts)}


def test_writes_a_marked_site(tmp_path: Path) -> None:
    out = tmp_path / "build"
    _, changed = write_site(out, {"index.html": b"home", "actors/a/index.html": b"a"})
    assert changed == 2
    assert tree(out) == {"index.html": b"home", "actors/a/index.html": b"a"}
    assert (out / MARKER).is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["build"]


def test_unchanged_files_keep_their_inode_and_mtime(tmp_path: Path) -> None:
    out = tmp_path / "build"
    digests, _ = write_site(out, {"same.html": b"same", "edit.html": b"v1", "gone.html": b"x"})
    os.utime(out / "same.html", (1_000_000, 1_000_000))
    before = (out / "same.html").stat()
    _, changed = write_site(out, {"same.html": b"same", "edit.html": b"v2", "new.html": b"n"}, digests)
    assert changed == 2
    after = (out / "same.html").stat()
    assert (after.st_ino, after.st_mtime) == (before.st_ino, before.st_mtime)
    assert tree(out) == {"same.html": b"same", "edit.html": b"v2", "new.html": b"n"}


def test_interrupted_write_leaves_old_site_and_no_temp_folder(tmp_path: Path) -> None:
    out = tmp_path / "build"
    write_site(out, {"index.html": b"old"})

    class Exploding(dict[str, bytes]):
        def __getitem__(self, key: str) -> bytes:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_site(out, Exploding({"index.html": b"new", "b.html": b"b"}))
    assert tree(out) == {"index.html": b"old"}
    assert [p.name for p in tmp_path.iterdir()] == ["build"]


def test_paths_outside_the_output_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        write_site(tmp_path / "build", {"../escape.html": b"x"})
    assert not (tmp_path / "escape.html").exists()
    assert not (tmp_path / "build").exists()


@pytest.mark.parametrize(("dest", "ok"), [
    ("index.html", True), ("actors/aliyev/index.html", True), ("../x", False), ("/etc/passwd", False),
    ("a/../../x", False), ("a\\b", False), ("c:/x", False), ("con/index.html", False), ("", False),
    ("a//b", True), ("./a", True), (".", False), ("a/./../..", False),
])
def test_safe_dest(dest: str, ok: bool) -> None:
    assert safe_dest(dest) is ok


def test_output_checks(tmp_path: Path) -> None:
    brief = tmp_path / "brief"
    (brief / "content").mkdir(parents=True)
    assert check_output(brief / "build", brief) == []
    assert "may not be the brief's folder" in check_output(brief, brief)[0].message
    assert "may not be the brief's folder" in check_output(tmp_path, brief)[0].message
    assert "inside the brief's content/" in check_output(brief / "content" / "out", brief)[0].message
    other = tmp_path / "other"
    (other / "content").mkdir(parents=True)
    assert "holds a brief's content" in check_output(other, brief)[0].message
    stranger = tmp_path / "stranger"
    stranger.mkdir()
    (stranger / "notes.txt").write_text("mine")
    assert "was not made by briefgen" in check_output(stranger, brief)[0].message
    for below in (stranger / "notes.txt" / "site", stranger / "notes.txt" / "a" / "b"):
        assert [p.format() for p in check_output(below, brief)] == [
            f"{below}: error: the output folder cannot be made: {stranger / 'notes.txt'} is a file, not a folder\n"
            "  hint: choose another --output"]


def test_update_in_place_replaces_only_what_changed(tmp_path: Path) -> None:
    out = tmp_path / "build"
    write_site(out, {"same.html": b"same", "edit.html": b"v1", "other.html": b"o"})
    os.utime(out / "same.html", (1_000_000, 1_000_000))
    before = (out / "same.html").stat()
    update_in_place(out, {"edit.html": b"v2", ".briefgen/pages": b"{}"})
    assert tree(out) == {"same.html": b"same", "edit.html": b"v2", "other.html": b"o"}
    after = (out / "same.html").stat()
    assert (after.st_ino, after.st_mtime) == (before.st_ino, before.st_mtime)
    assert (out / ".briefgen" / "pages").read_bytes() == b"{}"
    assert sorted(p.name for p in out.iterdir()) == [".briefgen", MARKER, "edit.html", "other.html", "same.html"]
    assert [p.name for p in tmp_path.iterdir()] == ["build"]


def test_update_killed_after_its_journal_is_finished_by_the_next_build(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "build"
    write_site(out, {"a.html": b"a1", "b.html": b"b1"})
    monkeypatch.setattr("briefgen.write.finish_interrupted_update", lambda output: None)  # killed right here
    update_in_place(out, {"a.html": b"a2", "b.html": b"b2", ".briefgen/pages": b"new"})
    assert tree(out) == {"a.html": b"a1", "b.html": b"b1"}
    assert (out / JOURNAL).is_file()
    monkeypatch.undo()
    finish_interrupted_update(out)
    assert tree(out) == {"a.html": b"a2", "b.html": b"b2"}
    assert (out / ".briefgen" / "pages").read_bytes() == b"new"
    assert not (out / JOURNAL).exists() and not (out / PENDING).exists()


def test_update_killed_before_its_journal_leaves_the_site_as_it_was(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "build"
    write_site(out, {"a.html": b"a1"})

    def killed(self: Path, target: Path) -> Path:
        raise KeyboardInterrupt

    monkeypatch.setattr(Path, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        update_in_place(out, {"a.html": b"a2"})
    monkeypatch.undo()
    finish_interrupted_update(out)
    assert tree(out) == {"a.html": b"a1"}
    assert not (out / JOURNAL).exists() and not (out / PENDING).exists()


def test_update_in_place_refuses_paths_outside_the_output(tmp_path: Path) -> None:
    out = tmp_path / "build"
    write_site(out, {"a.html": b"a1"})
    with pytest.raises(ValueError):
        update_in_place(out, {"../escape.html": b"x"})
    assert not (tmp_path / "escape.html").exists()
    assert tree(out) == {"a.html": b"a1"}
