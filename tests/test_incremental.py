"""Incremental builds give byte-identical sites to clean builds, for every kind of change."""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from pathlib import Path

import pytest

from briefgen.build import BuildOptions, build
from briefgen.errors import BuildFailed
from briefgen.parallel import run_chunks
from briefgen.write import JOURNAL, PENDING
from helpers import SMALL_BRIEF, write_files


def site_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".briefgen" not in p.parts and p.name != ".briefgen-output"}


def edit(path: str, old: str, new: str) -> Callable[[Path], None]:
    def apply(brief: Path) -> None:
        file = brief / path
        text = file.read_text("utf-8")
        assert old in text, (path, old)
        file.write_text(text.replace(old, new, 1), "utf-8")
    return apply


def add(path: str, text: str) -> Callable[[Path], None]:
    return lambda brief: write_files(brief, {path: text}) and None


def remove(path: str) -> Callable[[Path], None]:
    return lambda brief: (brief / path).unlink()


def both(first: Callable[[Path], None], second: Callable[[Path], None]) -> Callable[[Path], None]:
    def apply(brief: Path) -> None:
        first(brief)
        second(brief)
    return apply


CHANGES: dict[str, Callable[[Path], None]] = {
    "article body": edit("content/articles/cargo-flights.md", "spoke again.", "spoke again at length."),
    "article body with a new mention": edit("content/articles/cargo-flights.md", "spoke again.", "spoke again; Putin listened."),
    "article title": edit("content/articles/cargo-flights.md", "title: Cargo flights", "title: Cargo flights to Armenia"),
    "article tags": edit("content/articles/cargo-flights.md", "tags: [diplomacy]", "tags: [diplomacy, arms]"),
    "new article": add("content/articles/new-piece.md", "---\ntitle: New\ndate: 2020-09-20\n---\nThe Kremlin and Hajiyev.\n"),
    "deleted article": both(
        remove("content/articles/cargo-flights.md"),
        edit("content/articles/summer-of-strain.md", "See [[article:cargo-flights|the other piece]].", "")),
    "actor alias added": edit("content/actors/russia.md", "aliases: [Moscow, the Kremlin]", "aliases: [Moscow, the Kremlin, Kremlin]"),
    "actor alias that appears in text": edit("content/actors/hajiyev.md", "aliases: [Hajiyev,", "aliases: [Hajiyev, Hikmet,"),
    "actor alias removed": edit("content/actors/aliyev.md", "aliases: [Aliyev, President Aliyev, Ilham Əliyev]", "aliases: [President Aliyev]"),
    "actor renamed": edit("content/actors/putin.md", "name: Vladimir Putin", "name: Vladimir V. Putin"),
    "actor role": edit("content/actors/lavrov.md", "role: Foreign Minister of Russia", "role: Russia's foreign minister"),
    "actor kind": edit("content/actors/hajiyev.md", "kind: person", "kind: other"),
    "new actor named in text": add("content/actors/tovuz.md", "---\nname: Tovuz\nkind: other\n---\n"),
    "event date": edit("content/events/phone-call.md", "date: 2020-08-12", "date: 2020-08-13"),
    "event date known only to the year": edit("content/events/phone-call.md", "date: 2020-08-12", 'date: "2020"'),
    "article summary": edit("content/articles/summer-of-strain.md", "drifted apart.", "drifted further apart."),
    "event title": edit("content/events/tovuz-clashes.md", "title: Border clashes near Tovuz", "title: Tovuz fighting"),
    "event removed": remove("content/events/snap-drills.md"),
    "index lead": edit("content/index.md", "first.", "first, then the rest."),
    "event body added": edit("content/events/phone-call.md", "edm-cargo]\n---\n", "edm-cargo]\n---\nA short call.\n"),
    "event body after its first sentence": edit("content/events/tovuz-clashes.md", "from Karabakh.",
                                                "from Karabakh. It lasted days."),
    "event first sentence": edit("content/events/tovuz-clashes.md", "Fighting on", "Heavy fighting on"),
    "event summary": edit("content/events/tovuz-clashes.md", "place: Tovuz", "place: Tovuz\nsummary: They fought."),
    "actor body added": edit("content/actors/lavrov.md", "Russia\n---\n", "Russia\n---\nA long-serving minister.\n"),
    "article body touched, same bytes": lambda brief: os.utime(brief / "content/articles/cargo-flights.md", (1, 1)),
    "article body with a new link": edit("content/articles/cargo-flights.md", "spoke again.",
                                         "spoke again. [[event:phone-call]]"),
    "config": edit("briefgen.yaml", 'title: "Test brief"', 'title: "Renamed brief"\nautolink: all'),
    "template": add("templates/article.html",
                    '{% extends "base.html" %}{% block main %}<h1>{{ article.title }}</h1>'
                    '{{ article.body_html|safe }}{% endblock %}'),
    "static file": add("static/extra.css", "body { color: red; }\n"),
    "actor made a draft": edit("content/actors/putin.md", "role: President of Russia", "role: President\ndraft: true"),
    "event made a draft": edit("content/events/phone-call.md", "date: 2020-08-12", "date: 2020-08-12\ndraft: true"),
    "source title": edit("content/sources/edm-cargo.md", "title: Azerbaijani President Rebukes Putin",
                         "title: Aliyev rebukes Putin"),
    "source body": edit("content/sources/edm-cargo.md", "behind one article.", "behind one of the articles."),
    "source names": edit("content/sources/edm-cargo.md", "names: [Jamestown]", "names: [Jamestown, Desk]"),
    "source reliability": edit("content/sources/edm-cargo.md", "critical of the Kremlin", "often critical of Moscow"),
    "actor not to be linked": edit("content/actors/putin.md", "role: President of Russia", "role: President\nlink: false"),
    "actor's longer name that is not it": edit("content/actors/azerbaijan.md", 'not: ["Baku–Tbilisi–Ceyhan"]', "not: []"),
    "redirect added": edit("content/actors/putin.md", "role: President of Russia",
                           "role: President of Russia\nredirect_from: [vladimir-putin]"),
    "new draft actor named in text": add("content/actors/tovuz.md", "---\nname: Tovuz\nkind: other\ndraft: true\n---\n"),
}


QUICK = {"article body", "index lead", "event body after its first sentence", "actor body added",
         "article body touched, same bytes", "source body"}
"""Changes to body text alone, that name and link what they did before: the quick rebuild takes them.
An event's first sentence is more than its body: lists show it when the event has no ``summary``."""


@pytest.mark.parametrize("change", list(CHANGES), ids=list(CHANGES))
def test_incremental_equals_clean(tmp_path: Path, change: str) -> None:
    brief = write_files(tmp_path / "brief", SMALL_BRIEF)
    incremental = tmp_path / "incremental"
    build(BuildOptions(source=brief, output=incremental, jobs=1))
    CHANGES[change](brief)
    report = build(BuildOptions(source=brief, output=incremental, jobs=1))
    clean = tmp_path / "clean"
    build(BuildOptions(source=brief, output=clean, jobs=1, cache=False))
    assert not report.up_to_date
    assert report.quick == (change in QUICK)
    assert site_files(incremental) == site_files(clean)
    assert not (incremental / JOURNAL).exists()
    assert not (incremental / PENDING).exists()


def test_quick_rebuilds_in_a_row_equal_clean_builds(tmp_path: Path, shared_theme: None) -> None:
    """Each quick rebuild starts from the model of the last full build, not of the last quick one:
    the feed shows both articles, so the second edit must see the first; the preview cards show
    every first sentence, so the cache keeps those that quick rebuilds changed."""
    brief = write_files(tmp_path / "brief", SMALL_BRIEF)
    out = tmp_path / "out"
    build(BuildOptions(source=brief, output=out, jobs=1))
    steps = [
        ("cargo body", edit("content/articles/cargo-flights.md", "spoke again.", "spoke twice."), True),
        ("strain body", edit("content/articles/summer-of-strain.md", "said more.", "said much more."), True),
        ("cargo back", edit("content/articles/cargo-flights.md", "spoke twice.", "spoke again."), True),
        ("cargo title", edit("content/articles/cargo-flights.md", "title: Cargo flights", "title: Flights"), False),
        ("strain back", edit("content/articles/summer-of-strain.md", "said much more.", "said more."), True),
        ("new mention", edit("content/articles/cargo-flights.md", "spoke again.", "spoke to Putin."), False),
        ("cargo body", edit("content/articles/cargo-flights.md", "spoke to Putin.", "spoke to Putin again."), True),
        # a first sentence is on the preview cards of every page: the next quick rebuild keeps the new one
        ("actor lead", edit("content/actors/aliyev.md", "Leads Azerbaijan", "Heads Azerbaijan"), True),
        ("strain body", edit("content/articles/summer-of-strain.md", "said more.", "said much more."), True),
        ("actor lead back", edit("content/actors/aliyev.md", "Heads Azerbaijan", "Leads Azerbaijan"), True),
        ("strain back", edit("content/articles/summer-of-strain.md", "said much more.", "said more."), True),
    ]
    for number, (name, change, quick) in enumerate(steps):
        change(brief)
        report = build(BuildOptions(source=brief, output=out, jobs=1))
        clean = tmp_path / f"clean-{number}"
        build(BuildOptions(source=brief, output=clean, jobs=1, cache=False))
        assert report.quick == quick, name
        assert site_files(out) == site_files(clean), name
        assert build(BuildOptions(source=brief, output=out, jobs=1)).up_to_date, name


def test_quick_rebuild_with_a_content_error_changes_nothing(tmp_path: Path) -> None:
    brief = write_files(tmp_path / "brief", SMALL_BRIEF)
    out = tmp_path / "out"
    build(BuildOptions(source=brief, output=out, jobs=1))
    before = {p: (os.stat(out / p).st_ino, os.stat(out / p).st_mtime_ns) for p in site_files(out)}
    edit("content/articles/cargo-flights.md", "spoke again.", "spoke about [[event:no-such-event]].")(brief)
    with pytest.raises(BuildFailed) as failed:
        build(BuildOptions(source=brief, output=out, jobs=1))
    assert [p.message for p in failed.value.problems] == ["unknown event 'no-such-event' in [[event:no-such-event]]"]
    assert {p: (os.stat(out / p).st_ino, os.stat(out / p).st_mtime_ns) for p in site_files(out)} == before


def test_unchanged_pages_are_not_rewritten(tmp_path: Path) -> None:
    brief = write_files(tmp_path / "brief", SMALL_BRIEF)
    out = tmp_path / "out"
    build(BuildOptions(source=brief, output=out, jobs=1))
    stats = {p: os.stat(out / p) for p in site_files(out)}
    CHANGES["article body"](brief)
    report = build(BuildOptions(source=brief, output=out, jobs=1))
    changed = {p for p, st in stats.items()
               if (os.stat(out / p).st_ino, os.stat(out / p).st_mtime_ns) != (st.st_ino, st.st_mtime_ns)}
    assert "articles/cargo-flights/index.html" in changed
    assert "actors/lavrov/index.html" not in changed
    assert "events/phone-call/index.html" not in changed
    assert report.changed == len(changed)
    assert 0 < len(changed) < len(stats) // 2


def test_nothing_changed_is_a_no_op(tmp_path: Path) -> None:
    brief = write_files(tmp_path / "brief", SMALL_BRIEF)
    out = tmp_path / "out"
    first = build(BuildOptions(source=brief, output=out, jobs=1))
    inode = os.stat(out).st_ino
    again = build(BuildOptions(source=brief, output=out, jobs=1))
    assert again.up_to_date and again.pages == first.pages
    assert os.stat(out).st_ino == inode


def test_new_version_rebuilds_everything(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    brief = write_files(tmp_path / "brief", SMALL_BRIEF)
    out = tmp_path / "out"
    build(BuildOptions(source=brief, output=out, jobs=1))
    for module in ("briefgen", "briefgen.cache", "briefgen.pages"):
        monkeypatch.setattr(f"{module}.__version__", "99.0")
    report = build(BuildOptions(source=brief, output=out, jobs=1))
    assert not report.up_to_date
    assert b"briefgen 99.0" in (out / "index.html").read_bytes()


def test_parallel_build_equals_single_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("briefgen.render.PARALLEL_MIN_PAGES", 0)
    monkeypatch.setattr("briefgen.bodies.PARALLEL_MIN_BODIES", 0)
    files = dict(SMALL_BRIEF)
    for i in range(80):
        files[f"content/articles/piece-{i:03d}.md"] = (
            f"---\ntitle: Piece {i}\ndate: 2020-08-{1 + i % 28:02d}\ntags: [t{i % 5}]\n---\n"
            f"Ilham Aliyev and Putin, item {i}. [[event:phone-call]]\n")
    brief = write_files(tmp_path / "brief", files)
    build(BuildOptions(source=brief, output=tmp_path / "one", jobs=1))
    build(BuildOptions(source=brief, output=tmp_path / "two", jobs=2))
    assert site_files(tmp_path / "one") == site_files(tmp_path / "two")


def _square_worker(values: list[int]) -> Callable[[int, int], list[int]]:
    return lambda start, stop: [v * v for v in values[start:stop]]


def test_run_chunks_keeps_order_across_processes() -> None:
    values = list(range(500))
    assert run_chunks(_square_worker, (values,), len(values), jobs=2, min_parallel=0) == [v * v for v in values]


@pytest.mark.parametrize("cache", [True, False], ids=["incremental", "--no-cache"])
def test_an_update_killed_after_its_journal_is_finished_before_the_next_build(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cache: bool) -> None:
    brief = write_files(tmp_path / "brief", SMALL_BRIEF)
    out = tmp_path / "out"
    build(BuildOptions(source=brief, output=out, jobs=1))
    CHANGES["article body"](brief)
    with monkeypatch.context() as patch:  # killed right after the journal's rename
        patch.setattr("briefgen.write.finish_interrupted_update", lambda output: None)
        assert build(BuildOptions(source=brief, output=out, jobs=1)).quick
    assert (out / JOURNAL).is_file()
    assert "spoke again at length." not in (out / "articles/cargo-flights/index.html").read_text("utf-8")
    report = build(BuildOptions(source=brief, output=out, jobs=1, cache=cache))
    assert report.up_to_date == cache, "the finished update brought the stamp of the edit with it"
    clean = tmp_path / "clean"
    build(BuildOptions(source=brief, output=clean, jobs=1, cache=False))
    assert site_files(out) == site_files(clean)
    assert not (out / JOURNAL).exists()


WORDS = ["Putin", "Aliyev", "the Kremlin", "The Kremlin", "Moscow", "Lavrov", "Сергей Лавров", "Hikmet Hajiyev",
         "[[putin]]", "[[event:phone-call]]", "[[article:cargo-flights|the piece]]", "`Putin`", "[Putin](https://e.org)",
         "\n\n## Putin in a heading\n\n", "word", "quote's", '"quoted"', "--", "...", "\n\n- an item\n", "\n\n"]


def test_random_text_edits_equal_clean_builds(tmp_path: Path, shared_theme: None) -> None:
    """Edits of body text, with and without names and links, one after another: quick or full, each
    incremental build equals a clean one (a wider run off the suite, 4 seeds of 60 edits, found no difference)."""
    rng = random.Random(11)
    brief = write_files(tmp_path / "brief", SMALL_BRIEF)
    out = tmp_path / "out"
    build(BuildOptions(source=brief, output=out, jobs=1))
    files = sorted((brief / "content").rglob("*.md"))
    kinds: set[object] = set()
    for step in range(20):
        file = rng.choice(files)
        before = file.read_text("utf-8")
        head, _, body = before.rpartition("---\n")
        cut = rng.randint(0, len(body))
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 3)))
        file.write_text(f"{head}---\n{body[:cut]} {words} {body[cut:]}", "utf-8")
        site = site_files(out)
        try:
            report = build(BuildOptions(source=brief, output=out, jobs=1))
        except BuildFailed:  # the words went inside a [[link]] and broke it: nothing may change
            assert site_files(out) == site
            kinds.add("failed")
            file.write_text(before, "utf-8")
            continue
        kinds.add(report.quick)
        clean = tmp_path / f"clean-{step}"
        build(BuildOptions(source=brief, output=clean, jobs=1, cache=False))
        assert site_files(out) == site_files(clean), (step, file.name, words)
    assert {True, False} <= kinds


def test_drafts_published_and_unpublished_again_equal_clean_builds(tmp_path: Path) -> None:
    """What a body shows of a draft, and the warnings about it, follow the draft line both ways."""
    brief = write_files(tmp_path / "brief", SMALL_BRIEF)
    out = tmp_path / "out"
    draft = edit("content/actors/putin.md", "role: President of Russia", "role: President of Russia\ndraft: true")
    published = edit("content/actors/putin.md", "role: President of Russia\ndraft: true", "role: President of Russia")
    for number, change in enumerate([draft, published, draft, lambda _: None]):
        change(brief)
        report = build(BuildOptions(source=brief, output=out, jobs=1))
        clean = build(BuildOptions(source=brief, output=tmp_path / f"clean-{number}", jobs=1, cache=False))
        assert site_files(out) == site_files(tmp_path / f"clean-{number}"), number
        assert report.problems == clean.problems, number
        assert any("'putin' is a draft" in p.message for p in report.problems) == (number != 1), number


def test_warnings_are_reported_again_by_builds_that_skip_the_files(tmp_path: Path) -> None:
    """A brief with a warning (an unsourced event) keeps its no-op and quick rebuilds, and says the
    warning each time; an edit to the warned file itself is built in full, which finds it gone."""
    brief = write_files(tmp_path / "brief", SMALL_BRIEF)
    edit("content/events/snap-drills.md", 'sources: ["https://example.org/drills"]\n', "")(brief)
    out = tmp_path / "out"
    first = build(BuildOptions(source=brief, output=out, jobs=1))
    assert [(w.path, w.message) for w in first.warnings] == [("content/events/snap-drills.md", "event has no source")]
    again = build(BuildOptions(source=brief, output=out, jobs=1))
    assert again.up_to_date and again.warnings == first.warnings
    CHANGES["article body"](brief)
    quick = build(BuildOptions(source=brief, output=out, jobs=1))
    assert quick.quick and quick.warnings == first.warnings
    edit("content/events/snap-drills.md", "called the drills routine", "called the drills a routine")(brief)
    warned = build(BuildOptions(source=brief, output=out, jobs=1))
    assert not warned.quick and warned.warnings == first.warnings
    edit("content/events/snap-drills.md", "title: Snap drills\n", 'title: Snap drills\nsources: [edm-cargo]\n')(brief)
    fixed = build(BuildOptions(source=brief, output=out, jobs=1))
    assert not fixed.quick and not fixed.up_to_date and fixed.warnings == []
    assert build(BuildOptions(source=brief, output=out, jobs=1)).up_to_date
    with pytest.raises(BuildFailed):  # --strict is another stamp: it builds, and fails on the warning it finds
        edit("content/events/snap-drills.md", "sources: [edm-cargo]\n", "")(brief)
        build(BuildOptions(source=brief, output=out, jobs=1))
        build(BuildOptions(source=brief, output=out, jobs=1, strict=True))
