"""``briefgen init`` and ``briefgen new``: files that check clean as written, never an overwrite."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from briefgen import cli, scaffold
from briefgen.dates import EventDate, FuzzyDate
from briefgen.documents import Actor, Article, Event, parse_document
from briefgen.sources import SourceFile
from helpers import write_files
from test_cli import NOT_IN_GIT, run
from test_invalid_sites import tree


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """The brief ``init`` writes, written here without a process of its own."""
    return write_files(tmp_path / "brief", scaffold.sample_brief())


# ---------------------------------------------------------------- init

def test_init_writes_a_brief_that_builds_at_once(tmp_path: Path) -> None:
    result = run("init", "my-brief", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "wrote an example brief in my-brief: briefgen.yaml, .gitignore and content/ (1 article, 2 actors, 2 events, "
        "1 source)\n"
        "next: cd my-brief && briefgen build, then open build/index.html; replace the example with your own files\n")
    brief = tmp_path / "my-brief"
    assert sorted(tree(brief)) == sorted(scaffold.sample_brief())
    assert (brief / ".gitignore").read_text("utf-8") == "build/\n"
    built = run("build", "--strict", cwd=brief)
    assert built.returncode == 0, built.stderr
    assert built.stderr == NOT_IN_GIT
    assert "(1 articles, 2 actors, 2 events); " in built.stdout and "; 0 warnings;" in built.stdout
    article = (brief / "build/articles/a-first-deal-on-the-long-river/index.html").read_text("utf-8")
    assert 'href="../../events/water-sharing-agreement/index.html"' in article
    assert 'data-actor="northland"' in article
    talks = (brief / "build/events/river-talks-open/index.html").read_text("utf-8")
    assert talks.count('href="../../sources/river-gazette-2024-03/index.html"') == 2, "the Sources list and the name"


def test_init_in_the_current_folder_and_beside_a_git_repository(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    result = run("init", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1].startswith("next: briefgen build, then open")
    assert (tmp_path / "content/index.md").is_file()


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    write_files(tmp_path, {"notes.txt": "mine", "file": "not a folder"})
    before = tree(tmp_path)
    for target, message in [(".", "the folder is not empty; refusing to write a brief into it"),
                            ("file", "the path exists and is not a folder")]:
        result = run("init", target, cwd=tmp_path)
        assert (result.returncode, result.stdout, result.stderr) == (1, "", (
            f"{target}: error: {message}\n  hint: choose a new folder: briefgen init my-brief\n"))
    assert tree(tmp_path) == before


# ---------------------------------------------------------------- new

def test_new_of_each_kind_passes_check_as_written(example: Path) -> None:
    made = [
        run("new", "article", "Northland's dams: what next?", "--date", "2024-06-01",
            "--actors", "northland,Southport", "--source", str(example)),
        run("new", "actor", "Long River Commission", "--kind", "organization", "--source", str(example)),
        run("new", "event", "Second round of talks", "--date", "2024-07~/..", "--actors", "southland",
            "--id", "talks-2", "--sources", "commission-report", cwd=example),
        run("new", "article", "Notes", "--draft", cwd=example),
        run("new", "source", "Report on the talks", "--publication", "Long River Commission",
            "--id", "commission-report", cwd=example),
    ]
    assert [(r.returncode, r.stdout, r.stderr) for r in made] == [
        (0, f"{example / 'content/articles/northlands-dams-what-next.md'}\n", ""),
        (0, f"{example / 'content/actors/long-river-commission.md'}\n", ""),
        (0, "content/events/talks-2.md\n", ""),
        (0, "content/articles/notes.md\n", ""),
        (0, "content/sources/commission-report.md\n", ""),
    ]
    assert (example / "content/articles/northlands-dams-what-next.md").read_text("utf-8") == (
        "---\n"
        "title: \"Northland's dams: what next?\"\n"
        "date: 2024-06-01  # the day of publication, YYYY-MM-DD\n"
        "actors: [northland, southland]\n"
        "# draft: true  # keeps the article out of the site\n"
        "# summary:  # one or two sentences for lists and the feed\n"
        "# authors: []\n"
        "# events: []  # ids of the events the piece discusses\n"
        "# tags: []  # free topics, e.g. [energy, diplomacy]\n"
        "---\n")
    assert (example / "content/actors/long-river-commission.md").read_text("utf-8") == (
        "---\n"
        "name: Long River Commission\n"
        "kind: organization  # state, person, organization, military, media or other\n"
        "# aliases: []  # other names the text uses, linked like the name\n"
        "# role:  # e.g. Minister of Defence\n"
        "# affiliation:  # the id of another actor, e.g. a person's state\n"
        "---\n")
    assert (example / "content/events/talks-2.md").read_text("utf-8").splitlines()[1:4] == [
        "title: Second round of talks",
        "date: 2024-07~/..  # YYYY-MM-DD, YYYY-MM or YYYY; ~ about, ? uncertain, START/END an interval",
        "actors: [southland]"]
    assert (example / "content/sources/commission-report.md").read_text("utf-8").splitlines()[:3] == [
        "---", "title: Report on the talks", "publication: Long River Commission  # who published it"]
    checked = run("check", "--strict", "--drafts", cwd=example)
    assert checked.returncode == 0, checked.stderr
    assert checked.stderr == ""
    assert "(3 articles, 3 actors, 3 events)" in checked.stdout


def test_new_files_with_every_optional_key_uncommented_still_check(example: Path) -> None:
    for args in [("article", "A", "--date", "2024-01-01"), ("actor", "B", "--kind", "media"),
                 ("event", "C", "--sources", "river-gazette-2024-03"), ("source", "D", "--publication", "P")]:
        assert run("new", *args, cwd=example).returncode == 0
    (example / "content/sources/d.md").write_text(  # cited, so that --strict finds nothing to say
        (example / "content/sources/d.md").read_text("utf-8").replace("# names: []", "# names: [A]"), "utf-8")
    for name in ["articles/a.md", "actors/b.md", "events/c.md", "sources/d.md"]:
        path = example / "content" / name
        lines = path.read_text("utf-8").splitlines(keepends=True)
        path.write_text("".join(line[2:] if line.startswith("# ") else line for line in lines), "utf-8")
    checked = run("check", "--strict", "--drafts", cwd=example)
    assert (checked.returncode, checked.stderr) == (0, "")
    assert "(2 articles, 3 actors, 3 events)" in checked.stdout


def test_new_uses_today_taken_in_the_cli(example: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(cli, "_today", lambda: dt.date(2021, 2, 3))
    assert cli.main(["new", "event", "Talks", "--source", str(example)]) == cli.EXIT_OK
    assert cli.main(["new", "article", "Talks", "--source", str(example)]) == cli.EXIT_OK
    capsys.readouterr()
    for section in ["events", "articles"]:
        text = (example / f"content/{section}/talks.md").read_text("utf-8")
        assert text.splitlines()[2].startswith("date: 2021-02-03  # ")


def test_new_without_date_takes_the_real_today(example: Path) -> None:
    before = dt.date.today()
    result = run("new", "event", "Talks", cwd=example)
    dates = {before.isoformat(), dt.date.today().isoformat()}
    assert result.returncode == 0, result.stderr
    assert (example / "content/events/talks.md").read_text("utf-8").splitlines()[2].split()[1] in dates


def test_new_refuses_to_overwrite(example: Path) -> None:
    path = example / "content/actors/northland.md"
    before = path.read_bytes()
    result = run("new", "actor", "Northland", "--kind", "state", cwd=example)
    assert (result.returncode, result.stdout, result.stderr) == (1, "", (
        "content/actors/northland.md: error: the file already exists; refusing to replace it\n"
        "  hint: choose another title, or another id with --id\n"))
    assert path.read_bytes() == before


def test_new_actor_without_kind_says_it_chose_other(example: Path) -> None:
    result = run("new", "actor", "Ilham Əliyev", cwd=example)
    assert (result.returncode, result.stdout) == (0, "content/actors/ilham-aliyev.md\n")
    assert result.stderr == "briefgen: note: kind set to 'other'; edit it in the file, or pass --kind next time\n"
    assert (example / "content/actors/ilham-aliyev.md").read_text("utf-8").splitlines()[1:3] == [
        "name: Ilham Əliyev", "kind: other  # state, person, organization, military, media or other"]


@pytest.mark.parametrize(("args", "stderr"), [
    (["event", "Talks", "--actors", "northland,nortland,Sothland"],
     "briefgen: error: unknown actor 'nortland' in --actors\n"
     "  hint: did you mean 'northland' or 'southland'? Actors live in content/actors/.\n"
     "briefgen: error: unknown actor 'Sothland' in --actors\n"
     "  hint: did you mean 'southland' or 'northland'? Actors live in content/actors/.\n"),
    (["actor", "Talks", "--kind", "persn"],
     "briefgen: error: unknown kind 'persn' in --kind\n"
     "  hint: did you mean 'person'? kinds: state, person, organization, military, media, other\n"),
    (["event", "Con"],
     "briefgen: error: cannot make an id from 'Con'\n"
     "  hint: ids are lowercase ascii letters, digits and '-', and not a name Windows reserves (con, aux...); "
     "choose one with --id\n"),
    (["event", "Talks", "--id", "Talks_2"],
     "briefgen: error: 'Talks_2' is not a valid id\n"
     "  hint: ids are lowercase ascii letters, digits and '-', and not a name Windows reserves (con, aux...); "
     "for example --id talks-2\n"),
    (["event", "  "], "briefgen: error: the title must be non-empty text\n"),
])
def test_new_refuses_bad_arguments_and_writes_nothing(example: Path, args: list[str], stderr: str) -> None:
    before = tree(example)
    result = run("new", *args, cwd=example)
    assert (result.returncode, result.stdout, result.stderr) == (2, "", stderr)
    assert tree(example) == before


@pytest.mark.parametrize(("args", "message"), [
    (["article", "T", "--date", "2020-08"], "argument --date: an article's date must be a full date (YYYY-MM-DD), "
                                            "not '2020-08'"),
    (["event", "T", "--date", "someday"], "argument --date: 'someday' is not a date (YYYY-MM-DD, YYYY-MM or YYYY)"),
    (["event", "T", "--date", "2020-21"], "argument --date: '2020-21' is an EDTF season, which briefgen does not accept"),
    (["actor", "T", "--date", "2020"], "unrecognized arguments: --date 2020"),
])
def test_new_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    result = run("new", *args, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1].endswith(f": error: {message}")
    assert list(tmp_path.iterdir()) == []


def test_new_outside_a_brief(tmp_path: Path) -> None:
    result = run("new", "article", "T", "--source", "nowhere", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (1, (
        "nowhere/content: error: no content/ folder in the brief\n"
        "  hint: run briefgen init to start a brief, or pass --source; looked in nowhere\n"))
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- the texts themselves

TITLES = ["Plain title", "Northland: a view", "Yes", "2020", "null", "- dash", "#hash", "a # b", "'quoted'",
          '"double"', "back\\slash", "[list]", "{map}", "@at", "50% off", "Ilham Əliyev", "Сергей Шойгу",
          " padded ", "tab\there", "bell\x07", "line\nbreak", "trailing:", "? question", "!tag", "|pipe", "*star"]


@pytest.mark.parametrize("title", TITLES)
def test_titles_read_back_exactly(title: str) -> None:
    date = FuzzyDate(2020, 8, 25)
    for kind, text in [("article", scaffold.article_text(title, date, ["a-b"], draft=True)),
                       ("actor", scaffold.actor_text(title, "person")),
                       ("event", scaffold.event_text(title, EventDate(FuzzyDate(2020, 8, 0, "?")), ["a-b"]))]:
        document, problems = parse_document(SourceFile(f"content/{kind}s/x.md", kind, text))  # type: ignore[arg-type]
        assert problems == []
        assert isinstance(document, (Article, Actor, Event))
        assert (document.name if isinstance(document, Actor) else document.title) == title.strip()


def test_ids_follow_the_build_rule() -> None:
    assert scaffold.make_id("Ilham Əliyev") == "ilham-aliyev"
    assert scaffold.make_id("Northland's dams: what next?") == "northlands-dams-what-next"
    assert scaffold.make_id("word " * 40) == ("word-" * 24).rstrip("-")
    assert scaffold.check_id(scaffold.make_id("word " * 40), "", given=False) is None
