"""A failed or interrupted build leaves the previous build/ exactly as it was.

"Exactly" means the same bytes and the same modification times, and no
temporary folder left beside build/. Interruptions are simulated by making a
stage raise ``KeyboardInterrupt``, as Ctrl-C would in the middle of it.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import briefgen.build
from briefgen import cli
from briefgen.build import BuildOptions, build
from briefgen.errors import BuildFailed
from helpers import SMALL_BRIEF, write_files

Snapshot = dict[str, tuple[bytes, int]]


def snapshot(folder: Path) -> Snapshot:
    """Every file and folder below ``folder``: bytes (empty for folders) and mtime in ns."""
    return {path.relative_to(folder).as_posix(): (path.read_bytes() if path.is_file() else b"",
                                                  path.stat().st_mtime_ns)
            for path in sorted(folder.rglob("*"))}


@pytest.fixture
def built(small_brief: Path, shared_theme: None) -> tuple[Path, Snapshot]:
    """The small brief built once, with every mtime set into the past so any rewrite would show."""
    build(BuildOptions(source=small_brief, jobs=1))
    output = small_brief / "build"
    for path in [*output.rglob("*"), output]:
        os.utime(path, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000), follow_symlinks=False)
    return small_brief, snapshot(output)


def assert_untouched(brief: Path, before: Snapshot) -> None:
    assert snapshot(brief / "build") == before
    assert [p.name for p in brief.iterdir() if p.name.startswith(".")] == [], "a temporary folder was left"


BREAKAGES = {
    "content error": {"content/actors/putin.md": "---\nname: [broken\n---\n"},
    "template error": {"templates/article.html": "{% extends 'base.html' %}{% block main %}{{ nope }}{% endblock %}\n"},
    "static file error": {"static/actors/index.html": "<p>would overwrite a generated page</p>\n"},
    "body nested too deep": {"content/actors/putin.md": str(SMALL_BRIEF["content/actors/putin.md"]) + ">" * 5000 + " x\n"},
}


@pytest.mark.parametrize("breakage", BREAKAGES)
def test_failed_build_leaves_the_old_build_byte_identical(built: tuple[Path, Snapshot], breakage: str) -> None:
    brief, before = built
    write_files(brief, BREAKAGES[breakage])
    with pytest.raises(BuildFailed):
        build(BuildOptions(source=brief, jobs=1))
    assert_untouched(brief, before)


def interrupt_before(real: Callable[..., Any]) -> Callable[..., Any]:
    def stage(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt
    return stage


def interrupt_after(real: Callable[..., Any]) -> Callable[..., Any]:
    """Let the stage do its work (pages already written to the new site), then interrupt."""
    def stage(*args: Any, **kwargs: Any) -> Any:
        real(*args, **kwargs)
        raise KeyboardInterrupt
    return stage


STAGES = [  # where build() finds each stage, in the order it calls them
    ("sources", "discover"), ("documents", "parse_documents_cached"), ("bodies", "render_bodies"),
    ("linker", "link"), ("render", "render_pages"), ("assets", "collect_assets"), ("write", "commit"),
]
INTERRUPTIONS = [(module, name, wrap) for module, name in STAGES for wrap in (interrupt_before, interrupt_after)
                 if (name, wrap) != ("commit", interrupt_after)]  # after the swap, the build is complete


def patch_stage(monkeypatch: pytest.MonkeyPatch, module: str, name: str,
                wrap: Callable[[Callable[..., Any]], Callable[..., Any]]) -> None:
    """Replace a stage where build() finds it: in its own module, and in briefgen.build if imported there."""
    owner = importlib.import_module(f"briefgen.{module}")
    replacement = wrap(getattr(owner, name))
    monkeypatch.setattr(owner, name, replacement)
    if hasattr(briefgen.build, name):
        monkeypatch.setattr(briefgen.build, name, replacement)


@pytest.mark.parametrize(("module", "name", "wrap"), INTERRUPTIONS,
                         ids=[f"{wrap.__name__}-{name}" for _, name, wrap in INTERRUPTIONS])
def test_interrupted_build_leaves_the_old_build_byte_identical(
    built: tuple[Path, Snapshot], monkeypatch: pytest.MonkeyPatch, module: str, name: str,
    wrap: Callable[[Callable[..., Any]], Callable[..., Any]],
) -> None:
    brief, before = built
    write_files(brief, {"content/articles/new.md": "---\ntitle: New\ndate: 2020-10-01\n---\nPutin again.\n"})
    patch_stage(monkeypatch, module, name, wrap)
    with pytest.raises(KeyboardInterrupt):
        build(BuildOptions(source=brief, jobs=1))
    assert_untouched(brief, before)


def test_interrupted_between_the_two_renames_of_the_swap(
    built: tuple[Path, Snapshot], monkeypatch: pytest.MonkeyPatch,
) -> None:
    """build/ has moved aside and the new site is not yet in its place when Ctrl-C comes."""
    brief, before = built
    write_files(brief, {"content/articles/new.md": "---\ntitle: New\ndate: 2020-10-01\n---\n"})
    real_rename = Path.rename

    def rename(self: Path, target: Any) -> Path:
        if self.name.startswith(".build.briefgen-new"):
            raise KeyboardInterrupt
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    with pytest.raises(KeyboardInterrupt):
        build(BuildOptions(source=brief, jobs=1))
    monkeypatch.undo()
    assert_untouched(brief, before)


def test_cli_exits_130_on_ctrl_c_and_says_the_old_build_is_kept(
    built: tuple[Path, Snapshot], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    brief, before = built
    write_files(brief, {"content/articles/new.md": "---\ntitle: New\ndate: 2020-10-01\n---\n"})
    patch_stage(monkeypatch, "render", "render_pages", interrupt_after)
    assert cli.main(["build", "--source", str(brief)]) == 130
    captured = capsys.readouterr()
    assert captured.err == "briefgen: interrupted; the previous build was left as it was\n"
    assert captured.out == ""
    assert_untouched(brief, before)


def test_cli_check_interrupted_says_so(small_brief: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    patch_stage(monkeypatch, "documents", "parse_documents_cached", interrupt_before)
    assert cli.main(["check", "--source", str(small_brief)]) == 130
    assert capsys.readouterr().err == "briefgen: interrupted\n"
    assert not (small_brief / "build").exists()


def test_a_folder_briefgen_did_not_make_is_never_deleted(small_brief: Path) -> None:
    site = write_files(small_brief.parent / "site", {"index.html": "mine", "notes/a.txt": "also mine"})
    before = snapshot(site)
    with pytest.raises(BuildFailed) as failed:
        build(BuildOptions(source=small_brief, output=site, jobs=1))
    assert "was not made by briefgen" in failed.value.problems[0].message
    assert snapshot(site) == before


def test_an_empty_folder_may_become_the_output(small_brief: Path) -> None:
    site = small_brief.parent / "site"
    site.mkdir()
    build(BuildOptions(source=small_brief, output=site, jobs=1))
    assert (site / "index.html").is_file() and (site / ".briefgen-output").is_file()
    assert sorted(p.name for p in small_brief.parent.iterdir()) == ["brief", "site"]
