"""Invalid briefs through the installed entry point: exact messages, never a traceback.

Each folder in ``sites_invalid/`` is a small brief and, in ``expected.txt``,
the exact stderr of ``briefgen check --source <case>`` (or of the arguments in
its ``command.txt``). A case whose expected text holds an error must exit 1,
one with warnings only exits 0; no case may change a file on disk. Run with
``BRIEFGEN_UPDATE_EXPECTED=1`` to rewrite expected.txt from what briefgen
prints, then read the diff: every message must be one a user can act on.

What git cannot hold (NUL bytes, bad UTF-8, symbolic links, names that differ
only in case or that Windows refuses) is written into tmp_path by the tests
after the table.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from briefgen import cli
from briefgen.sources import builtin_theme
from helpers import write_files
from test_cli import NOT_IN_GIT, run

SITES = Path(__file__).parent / "sites_invalid"
CASES = sorted(p.name for p in SITES.iterdir() if p.is_dir())
UPDATE = os.environ.get("BRIEFGEN_UPDATE_EXPECTED") == "1"

Tree = dict[str, bytes]


def tree(root: Path) -> Tree:
    """Every file below ``root`` (links as their target text), to see that nothing changed."""
    files: Tree = {}
    for path in sorted(root.rglob("*")):
        if path.is_symlink():
            files[path.relative_to(root).as_posix()] = os.readlink(path).encode()
        elif path.is_file():
            files[path.relative_to(root).as_posix()] = path.read_bytes()
    return files


def arguments(case: str) -> list[str]:
    command = SITES / case / "command.txt"
    words = shlex.split(command.read_text("utf-8")) if command.exists() else ["check"]
    return [*words, "--source", case]


@pytest.fixture(scope="module")
def outcomes(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[subprocess.CompletedProcess[str], Tree, Tree]]:
    """Run every selected case at once (each in a folder of its own): result, files before, files after."""
    mine = [item for item in request.session.items if item.module is request.module]
    wanted = sorted({item.callspec.params["case"] for item in mine if hasattr(item, "callspec")})
    folders = {}
    for case in wanted:
        folder = tmp_path_factory.mktemp(case)
        shutil.copytree(SITES / case, folder / case, ignore=shutil.ignore_patterns("expected.txt", "command.txt"))
        folders[case] = folder

    def one(case: str) -> tuple[subprocess.CompletedProcess[str], Tree, Tree]:
        before = tree(folders[case])
        result = run(*arguments(case), cwd=folders[case])
        return result, before, tree(folders[case])

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        return dict(zip(wanted, pool.map(one, wanted)))


@pytest.mark.parametrize("case", CASES)
def test_invalid_site(
    case: str, outcomes: dict[str, tuple[subprocess.CompletedProcess[str], Tree, Tree]]
) -> None:
    result, before, after = outcomes[case]
    expected_file = SITES / case / "expected.txt"
    if UPDATE:
        expected_file.write_text(result.stderr, "utf-8")
    expected = expected_file.read_text("utf-8")
    assert "Traceback" not in result.stderr
    assert result.stderr == expected
    has_errors = ": error: " in expected
    assert result.returncode == (1 if has_errors else 0), result.stderr
    if has_errors:
        assert expected.splitlines()[-1].startswith("briefgen: ")
    else:
        warnings = sum(": warning: " in line for line in expected.splitlines())
        assert f"; {warnings} warnings;" in result.stdout
    assert after == before, "a run that fails, or only checks, must not change a file"


def test_every_case_has_its_expected_text() -> None:
    missing = [case for case in CASES if not (SITES / case / "expected.txt").read_text("utf-8").strip()]
    assert missing == []


# ---------------------------------------------------------------- cases git cannot hold

ACTOR = "---\nname: Sergei Shoigu\nkind: person\n---\n"


def check(brief: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    """``briefgen check`` run in the brief's folder, so that paths print relative to it."""
    return run("check", *flags, cwd=brief)


def test_nul_byte_names_file_and_line(tmp_path: Path) -> None:
    write_files(tmp_path, {"content/actors/shoigu.md": b"---\nname: Sergei Shoigu\nkind: person\n---\nMinister\x00.\n"})
    result = check(tmp_path)
    assert (result.returncode, result.stderr) == (1, (
        "content/actors/shoigu.md:5: error: file contains a NUL byte\n"
        "  hint: is this a binary file saved as .md?\n"
        "briefgen: 1 error(s), 0 warning(s)\n"))


def test_invalid_utf8_names_file_and_line(tmp_path: Path) -> None:
    text = "---\nname: Sergei Shoigu\nkind: person\nrole: Министр обороны\n---\n".encode("cp1251")
    write_files(tmp_path, {"content/actors/shoigu.md": text})
    result = check(tmp_path)
    assert (result.returncode, result.stderr) == (1, (
        "content/actors/shoigu.md:4: error: invalid UTF-8 (byte 0xcc)\n"
        "  hint: save the file as UTF-8 in your editor\n"
        "briefgen: 1 error(s), 0 warning(s)\n"))


def test_invalid_utf8_in_settings(tmp_path: Path) -> None:
    write_files(tmp_path, {"briefgen.yaml": "title: Brief\ndescription: Baku–Moscow\n".encode("cp1252"),
                           "content/actors/shoigu.md": ACTOR})
    result = check(tmp_path)
    assert (result.returncode, result.stderr) == (1, (
        "briefgen.yaml:2: error: invalid UTF-8 (byte 0x96)\n"
        "  hint: save the file as UTF-8 in your editor\n"
        "briefgen: 1 error(s), 0 warning(s)\n"))


def test_control_character_in_front_matter(tmp_path: Path) -> None:
    write_files(tmp_path, {"content/actors/shoigu.md": "---\nname: Шойгу\nkind: person\nrole: a\x07b\n---\n"})
    result = check(tmp_path)
    assert (result.returncode, result.stderr) == (1, (
        "content/actors/shoigu.md:4: error: character U+0007 is not allowed in YAML\n"
        "  hint: delete it; most editors do not show it\n"
        "briefgen: 1 error(s), 0 warning(s)\n"))


def crlf(text: str) -> bytes:
    return b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8")


def test_bom_and_crlf_build_fine(tmp_path: Path) -> None:
    write_files(tmp_path, {
        "briefgen.yaml": crlf("title: Brief\n"),
        "content/actors/shoigu.md": crlf("---\nname: Sergei Shoigu\nkind: person\naliases: [Shoigu]\n---\n"
                                         "Minister of Defence.\n"),
        "content/articles/drills.md": crlf("---\ntitle: Drills\ndate: 2020-09-21\n---\nShoigu watched.\n\n"
                                           "A second paragraph.\n"),
        "content/events/drills.md": b"---\rtitle: Drills\rdate: 2020-09-21\ractors: [shoigu]\rsources: [drills]\r---\rOld Mac endings.\r",
    })
    result = run("build", "--source", str(tmp_path))
    assert (result.returncode, result.stderr) == (0, NOT_IN_GIT)
    html = (tmp_path / "build/articles/drills/index.html").read_text("utf-8")
    assert "<p>A second paragraph.</p>" in html and "\r" not in html and "\ufeff" not in html
    assert 'data-actor="shoigu"' in html
    assert (tmp_path / "build/events/drills/index.html").is_file()


def test_bom_and_crlf_keep_line_numbers(tmp_path: Path) -> None:
    write_files(tmp_path, {
        "content/actors/shoigu.md": crlf("---\nname: Sergei Shoigu\nkind: person\nrole: Minister: Defence\n---\n"),
        "content/articles/drills.md": crlf("---\ntitle: Drills\ndate: 2020-09-21\n---\nOne.\n\nTwo [[shoygu]].\n"),
    })
    result = check(tmp_path)
    assert (result.returncode, result.stderr) == (1, (
        "content/actors/shoigu.md:4: error: malformed YAML: mapping values are not allowed in this context\n"
        "  hint: a value that contains ': ' must be quoted\n"
        "content/articles/drills.md:7: error: unknown actor 'shoygu' in [[shoygu]]\n"
        "  hint: Actors live in content/actors/.\n"
        "briefgen: 2 error(s), 0 warning(s)\n"))


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges on Windows")
def test_symbolic_links_out_of_the_brief_are_refused(tmp_path: Path) -> None:
    brief = write_files(tmp_path / "brief", {"content/actors/shoigu.md": ACTOR})
    outside = write_files(tmp_path / "elsewhere", {
        "putin.md": "---\nname: Vladimir Putin\nkind: person\n---\n",
        "events/secret.md": "---\ntitle: Secret\ndate: 2020\n---\n",
    })
    (brief / "content/actors/putin.md").symlink_to(outside / "putin.md")
    (brief / "content/events").symlink_to(outside / "events", target_is_directory=True)
    (brief / "content/actors/minister.md").symlink_to("../../../elsewhere/putin.md")
    (brief / "content/actors/defence.md").symlink_to("shoigu.md")  # inside the brief: fine, but a second actor
    result = check(brief)
    assert (result.returncode, result.stderr) == (1, (
        "content/actors/minister.md: error: symbolic link leads outside the brief; refused\n"
        "  hint: copy the file into the brief instead of linking to it\n"
        "content/actors/putin.md: error: symbolic link leads outside the brief; refused\n"
        "  hint: copy the file into the brief instead of linking to it\n"
        "content/actors/shoigu.md:1: error: name 'Sergei Shoigu' is already used by actor 'defence'\n"
        "  hint: see content/actors/defence.md; a name or alias may stand for one actor only\n"
        "content/events: error: symbolic link leads outside the brief; refused\n"
        "  hint: copy the folder into the brief instead of linking to it\n"
        "briefgen: 4 error(s), 0 warning(s)\n"))


REFUSED = "error: symbolic link leads outside the brief; refused\n  hint: copy the {} into the brief instead of linking to it\n"


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges on Windows")
def test_templates_that_link_out_of_the_brief_are_refused(tmp_path: Path) -> None:
    """Jinja would read whatever a link points to: templates/ follows the rule of content/."""
    brief = write_files(tmp_path / "brief", {"content/actors/shoigu.md": ACTOR, "theme/base.html": "{{ nope }}"})
    outside = write_files(tmp_path / "elsewhere", {"article.html": "{{ secret }}", "assets/site.css": "x"})
    (brief / "templates/assets").mkdir(parents=True)
    (brief / "templates/actor.html").symlink_to(outside / "article.html")
    (brief / "templates/assets/site.css").symlink_to(outside / "assets/site.css")
    (brief / "templates/base.html").symlink_to("../theme/base.html")  # inside the brief: used, and reported
    result = run("build", cwd=brief)
    assert (result.returncode, result.stderr) == (1, (
        "templates/actor.html: " + REFUSED.format("file")
        + "templates/assets/site.css: " + REFUSED.format("file")
        + "briefgen: 2 error(s), 0 warning(s); the previous build was left as it was\n"))
    assert sorted(p.name for p in brief.iterdir()) == ["content", "templates", "theme"], "nothing is written"
    (brief / "templates/actor.html").unlink()
    (brief / "templates/assets/site.css").unlink()
    result = check(brief)
    assert result.returncode == 1 and result.stderr.startswith("templates/base.html:1: error: template error: "), (
        result.stderr)
    (brief / "theme/base.html").write_bytes((builtin_theme() / "base.html").read_bytes())
    write_files(brief, {"theme/site.css": "body { margin: 0 }"})
    (brief / "templates/assets/site.css").symlink_to("../../theme/site.css")
    result = run("build", "--source", str(brief))
    assert (result.returncode, result.stderr.removesuffix(NOT_IN_GIT)) == (0, "")
    assert (brief / "build/assets/site.css").read_text("utf-8") == "body { margin: 0 }"


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges on Windows")
def test_a_folder_of_the_brief_that_links_out_of_it_is_refused(tmp_path: Path) -> None:
    outside = write_files(tmp_path / "elsewhere", {"actors/putin.md": ACTOR, "article.html": "{{ secret }}",
                                                   "notes.txt": "private"})
    for folder in ("content", "templates", "static"):
        brief = write_files(tmp_path / folder, {"content/actors/shoigu.md": ACTOR})
        if folder == "content":
            shutil.rmtree(brief / "content")
        (brief / folder).symlink_to(outside, target_is_directory=True)
        result = run("build", cwd=brief)
        assert (result.returncode, result.stderr) == (1, (
            f"{folder}: " + REFUSED.format("folder")
            + "briefgen: 1 error(s), 0 warning(s); the previous build was left as it was\n"))
        assert not (brief / "build").exists()


def test_ids_that_differ_only_in_case(tmp_path: Path) -> None:
    write_files(tmp_path, {
        "content/actors/aliyev.md": "---\nname: Ilham Aliyev\nkind: person\n---\n",
        "content/actors/Aliyev.md": "---\nname: Heydar Aliyev\nkind: person\n---\n",
        "content/articles/a.md": "---\ntitle: A\ndate: 2020-01-01\nactors: [aliyev]\n---\n",
    })
    if len(list((tmp_path / "content/actors").iterdir())) == 1:
        pytest.skip("the file system does not tell names apart by case")
    result = check(tmp_path)
    assert (result.returncode, result.stderr) == (1, (
        "content/actors/Aliyev.md: error: id 'Aliyev' differs only in case from content/actors/aliyev.md\n"
        "  hint: ids must be unique whatever the case; merge the two files or rename one\n"
        "briefgen: 1 error(s), 0 warning(s)\n"))


def test_file_names_windows_refuses_or_not_ascii(tmp_path: Path) -> None:
    write_files(tmp_path, {
        "content/actors/con.md": "---\nname: Con\nkind: other\n---\n",
        "content/actors/Hikmət Hacıyev.md": "---\nname: Hikmet Hajiyev\nkind: person\n---\n",
        f"content/events/{'long-' * 30}name.md": "---\ntitle: Long\ndate: 2020\n---\n",
    })
    result = check(tmp_path)
    assert (result.returncode, result.stderr) == (1, (
        "content/actors/Hikmət Hacıyev.md: error: file name 'Hikmət Hacıyev.md' is not a valid id\n"
        "  hint: ids are lowercase ascii letters, digits and '-'; rename it to 'hikmat-haciyev.md'\n"
        "content/actors/con.md: error: file name 'con.md' is not a valid id\n"
        "  hint: 'con' names a device on Windows; rename it to 'con-1.md'\n"
        f"content/events/{'long-' * 30}name.md: error: file name '{'long-' * 30}name.md' is not a valid id\n"
        "  hint: ids are lowercase ascii letters, digits and '-', at most 120 of them; "
        f"rename it to '{('long-' * 24).rstrip('-')}.md'\n"
        "briefgen: 3 error(s), 0 warning(s)\n"))


@pytest.mark.skipif(sys.platform == "win32", reason="Windows cannot create these names")
def test_static_files_that_cannot_be_published(tmp_path: Path) -> None:
    write_files(tmp_path, {"content/actors/shoigu.md": ACTOR, "static/con/x.css": "x", "static/a:b.txt": "y"})
    result = check(tmp_path)
    hint = ("  hint: rename it: no ':' or '\\' in names, and no part named con, nul, aux, prn, com1-9 or lpt1-9 "
            "(Windows devices)\n")
    assert (result.returncode, result.stderr) == (1, (
        "static/a:b.txt: error: 'a:b.txt' cannot be published under that name\n" + hint
        + "static/con/x.css: error: 'con/x.css' cannot be published under that name\n" + hint
        + "briefgen: 2 error(s), 0 warning(s)\n"))


def test_hidden_files_and_editor_leftovers_are_ignored(tmp_path: Path) -> None:
    broken = b"---\nname: [\x00\xff\n"
    write_files(tmp_path, {
        "content/actors/shoigu.md": ACTOR,
        "content/actors/shoigu.md~": broken,
        "content/actors/.shoigu.md.swp": broken,
        "content/actors/#shoigu.md#": broken,
        "content/actors/.hidden.md": broken,
        "content/.DS_Store": broken,
        "content/.obsidian/workspace.md": broken,
        "content/articles/.git/HEAD": broken,
        "static/.env": b"SECRET=1\n",
    })
    if sys.platform != "win32":  # emacs marks a file being edited with a dangling link
        (tmp_path / "content/actors/.#shoigu.md").symlink_to("user@host.1234:1700000000")
    result = run("build", "--source", str(tmp_path))
    assert (result.returncode, result.stderr) == (0, NOT_IN_GIT)
    assert "(0 articles, 1 actors, 0 events)" in result.stdout
    assert not (tmp_path / "build/.env").exists()


def test_front_matter_nested_past_what_libyaml_survives(tmp_path: Path) -> None:
    write_files(tmp_path, {"content/actors/shoigu.md": "---\nname: Shoigu\nkind: person\nrole: "
                           + "[" * 100_000 + "\n---\n"})
    result = check(tmp_path)
    assert (result.returncode, result.stderr) == (1, (
        "content/actors/shoigu.md:4: error: front matter is nested more than 32 levels deep\n"
        "  hint: keys hold text, dates, lists and mappings a few levels deep: is a '[' or '{' never closed, "
        "or each line indented more than the last?\n"
        "briefgen: 1 error(s), 0 warning(s)\n"))


# ---------------------------------------------------------------- internal errors and --debug

def test_internal_error_is_one_line_without_debug(monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str], small_brief: Path) -> None:
    def broken(options: object, progress: object = None) -> None:
        raise RuntimeError("a bug in briefgen")

    monkeypatch.setattr(cli, "build", broken)
    assert cli.main(["check", "--source", str(small_brief)]) == cli.EXIT_INTERNAL
    assert capsys.readouterr().err == (
        "briefgen: internal error: RuntimeError: a bug in briefgen (run with --debug for details)\n")
    assert cli.main(["check", "--debug", "--source", str(small_brief)]) == cli.EXIT_INTERNAL
    err = capsys.readouterr().err
    assert err.startswith("Traceback (most recent call last):\n")
    assert err.endswith("RuntimeError: a bug in briefgen\n")
