"""The command line through the installed ``briefgen`` entry point."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import write_files

BRIEFGEN = shutil.which("briefgen")
NOT_IN_GIT = "briefgen: note: page dates come from front matter: the brief is not in a git repository\n"
"""What a build of a brief outside git says once (tmp_path is in no repository)."""


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    command = [BRIEFGEN] if BRIEFGEN else [sys.executable, "-m", "briefgen"]
    return subprocess.run([*command, *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("briefgen ")


def test_usage_error_exits_2() -> None:
    result = run("build", "--no-such-flag")
    assert result.returncode == 2
    assert "usage:" in result.stderr


def test_build_from_the_brief_folder_writes_the_site(small_brief: Path) -> None:
    result = run("build", cwd=small_brief)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("wrote ")
    assert "(2 articles, 6 actors, 3 events)" in result.stdout
    build = small_brief / "build"
    for page in ["index.html", "articles/summer-of-strain/index.html", "actors/index.html",
                 "actors/aliyev/index.html", "events/phone-call/index.html", "timeline/index.html",
                 "tags/diplomacy/index.html", "feed.xml", "sitemap.xml", "brief.json"]:
        assert (build / page).is_file(), page


def test_rebuild_after_a_text_edit_says_it_was_quick(small_brief: Path) -> None:
    assert run("build", cwd=small_brief).returncode == 0
    article = small_brief / "content/articles/cargo-flights.md"
    article.write_text(article.read_text("utf-8").replace("spoke again.", "spoke once more."), "utf-8")
    result = run("build", "--timings", cwd=small_brief)
    assert result.returncode == 0, result.stderr
    # The article's page, the feed and the print edition, which show the article whole, and the
    # preview cards' data, since the edit is in the article's first sentence.
    assert "; 4 files changed (only text changed: rendered just the pages that show it);" in result.stdout
    assert result.stderr.endswith(NOT_IN_GIT)
    # The search index is made again after the pages are in place, and the cache told last.
    assert [line.split()[0] for line in result.stderr.removesuffix(NOT_IN_GIT).splitlines()] == [
        "read", "parse", "markdown", "render", "write", "search"]
    assert "spoke once more." in (small_brief / "build/articles/cargo-flights/index.html").read_text("utf-8")


def test_check_writes_nothing(small_brief: Path) -> None:
    result = run("check", "--source", str(small_brief))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("checked ")
    assert not (small_brief / "build").exists()


def test_check_reports_unknown_actor_with_line_and_suggestion(small_brief: Path) -> None:
    write_files(small_brief, {"content/events/visit.md": "---\ntitle: Visit\ndate: 2020-08-25\nactors:\n  - putn\nsources: [cargo-flights]\n---\n"})
    result = run("check", cwd=small_brief)
    assert result.returncode == 1
    assert result.stderr.splitlines()[:2] == [
        "content/events/visit.md:5: error: unknown actor 'putn' in 'actors'",
        "  hint: did you mean 'putin'? Actors live in content/actors/.",
    ]
    assert result.stderr.splitlines()[-1] == "briefgen: 1 error(s), 0 warning(s)"
    assert "Traceback" not in result.stderr


def test_all_errors_are_reported_together_and_sorted(small_brief: Path) -> None:
    write_files(small_brief, {
        "content/events/b.md": "---\ntitle: B\ndate: someday\n---\n",
        "content/articles/a.md": "---\ntitle: A\ndate: 2020-01-01\n---\nSee [[nobody]].\n",
        "content/actors/c.md": "---\nname: C\nkind: alien\n---\n",
    })
    result = run("build", cwd=small_brief)
    assert result.returncode == 1
    located = [line.split(": ")[0] for line in result.stderr.splitlines() if ": error: " in line]
    assert located == ["content/actors/c.md:3", "content/articles/a.md:5", "content/events/b.md:3"]
    assert not (small_brief / "build").exists()


def test_failed_build_leaves_previous_build_untouched(small_brief: Path) -> None:
    assert run("build", "--source", str(small_brief)).returncode == 0
    build = small_brief / "build"
    before = {p: p.read_bytes() for p in build.rglob("*") if p.is_file()}
    write_files(small_brief, {"content/actors/putin.md": "---\nname: [broken\n---\n"})
    result = run("build", "--source", str(small_brief))
    assert result.returncode == 1
    assert "previous build was left as it was" in result.stderr
    assert {p: p.read_bytes() for p in build.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in small_brief.iterdir()) == ["briefgen.yaml", "build", "content"]


def test_strict_turns_warnings_into_errors(small_brief: Path) -> None:
    write_files(small_brief, {"content/actors/x.md": "---\nname: X\nkind: state\ncolour: red\n---\n"})
    assert run("check", "--source", str(small_brief)).returncode == 0
    result = run("check", "--strict", "--source", str(small_brief))
    assert result.returncode == 1
    assert "content/actors/x.md:4: error: unknown key 'colour'" in result.stderr


def test_missing_content_folder(tmp_path: Path) -> None:
    result = run("build", "--source", str(tmp_path))
    assert result.returncode == 1
    assert "error: no content/ folder in the brief" in result.stderr


@pytest.mark.parametrize("flag", ["--drafts"])
def test_drafts_flag_includes_drafts(small_brief: Path, flag: str) -> None:
    write_files(small_brief, {"content/articles/wip.md": "---\ntitle: WIP\ndate: 2020-10-01\ndraft: true\n---\n"})
    assert run("build", "--source", str(small_brief)).returncode == 0
    assert not (small_brief / "build/articles/wip/index.html").exists()
    assert run("build", flag, "--source", str(small_brief)).returncode == 0
    assert (small_brief / "build/articles/wip/index.html").exists()


DRAFT_HINT = "  hint: content/actors/putin.md has 'draft: true'; build with --drafts to publish drafts\n"


def test_a_draft_actor_is_left_out_and_what_names_it_is_plain_text(small_brief: Path) -> None:
    putin = small_brief / "content/actors/putin.md"
    putin.write_text(putin.read_text("utf-8").replace("role: President of Russia\n",
                                                      "role: President of Russia\ndraft: true\n"), "utf-8")
    result = run("build", cwd=small_brief)  # from the brief's folder, problems name files from there
    assert (result.returncode, result.stderr.removesuffix(NOT_IN_GIT)) == (0, (
        "content/actors/aliyev.md:8: warning: actor 'putin' is a draft, not published; "
        "'Putin' is shown as plain text\n" + DRAFT_HINT
        + "content/articles/summer-of-strain.md:10: warning: actor 'putin' is a draft, not published; "
        "'Putin' is shown as plain text\n" + DRAFT_HINT
        + "content/events/phone-call.md:4: warning: actor 'putin' is a draft, not published; "
        "left out of 'actors'\n" + DRAFT_HINT))
    site = small_brief / "build"
    assert not (site / "actors/putin").exists()
    article = (site / "articles/summer-of-strain/index.html").read_text("utf-8")
    assert "called Putin after" in article and "putin" not in article
    assert "putin" not in (site / "events/phone-call/index.html").read_text("utf-8")
    assert '"putin"' not in (site / "brief.json").read_text("utf-8")
    assert all("putin" not in page.read_text("utf-8") for page in site.rglob("*.html"))

    strict = run("build", "--strict", "--source", str(small_brief))
    assert strict.returncode == 1
    assert strict.stderr.count(": error: actor 'putin' is a draft") == 3

    result = run("build", "--drafts", "--source", str(small_brief))
    assert (result.returncode, result.stderr.removesuffix(NOT_IN_GIT)) == (0, "")
    assert (site / "actors/putin/index.html").is_file()
    assert 'called <a href="../../actors/putin/index.html"' in (
        site / "articles/summer-of-strain/index.html").read_text("utf-8")


def test_no_progress_display_when_not_a_terminal(small_brief: Path) -> None:
    result = run("build", "--source", str(small_brief), "--no-cache")
    assert result.returncode == 0
    assert result.stderr == NOT_IN_GIT


def test_timings_name_every_stage(small_brief: Path) -> None:
    result = run("build", "--source", str(small_brief), "--timings", "--no-cache")
    stages = [line.split()[0] for line in result.stderr.removesuffix(NOT_IN_GIT).splitlines()]
    assert stages == ["read", "parse", "markdown", "link", "render", "search", "write"]


def test_progress_display_names_the_stage_after_the_delay(capsys: pytest.CaptureFixture[str]) -> None:
    import time

    from briefgen.cli import progress_display

    with progress_display(enabled=True, delay=0.0) as show:
        show("rendering pages")
        time.sleep(0.3)
    assert "rendering pages" in capsys.readouterr().err


VISIT = "---\ntitle: Visit\ndate: 2020-08-25\nactors:\n  - putn\nsources: [cargo-flights]\n---\n"


def test_paths_open_from_where_the_command_ran(small_brief: Path) -> None:
    """Below the current folder a path is relative to it, elsewhere absolute: either opens as printed."""
    write_files(small_brief, {"content/events/visit.md": VISIT})
    below = run("check", "--source", "brief", cwd=small_brief.parent)
    assert below.stderr.splitlines()[0] == "brief/content/events/visit.md:5: error: unknown actor 'putn' in 'actors'"
    inside = run("check", "--source", "..", cwd=small_brief / "content")
    assert inside.stderr.splitlines()[0] == "events/visit.md:5: error: unknown actor 'putn' in 'actors'"
    for source in [str(small_brief), "../.."]:
        elsewhere = run("check", "--source", source, cwd=small_brief / "content" / "actors")
        assert elsewhere.stderr.splitlines()[0] == (
            f"{small_brief / 'content' / 'events' / 'visit.md'}:5: error: unknown actor 'putn' in 'actors'")


def test_build_takes_the_format_too(small_brief: Path) -> None:
    write_files(small_brief, {"content/actors/x.md": "---\nname: X\nkind: state\ncolour: red\n---\n"})
    result = run("build", "--format", "json", cwd=small_brief)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [{
        "file": "content/actors/x.md", "line": 4, "severity": "warning", "code": "unknown-key",
        "message": "unknown key 'colour'",
        "hint": "known keys: name, kind, aliases, affiliation, role, draft, link, not, redirect_from"}]
    assert result.stderr.startswith("wrote ")
    assert (small_brief / "build/actors/x/index.html").is_file()
