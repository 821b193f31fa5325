"""The search stage: Pagefind's index of the built site, the search page and the header box."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

import briefgen.search
from briefgen.build import BuildOptions, build
from briefgen.errors import BuildFailed
from briefgen.search import ENTRY_FILE, SEARCH_DIR, is_indexed, place_index
from helpers import write_files


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The small brief built with its search index: (brief, output)."""
    from helpers import SMALL_BRIEF

    brief = write_files(tmp_path_factory.mktemp("search") / "brief", SMALL_BRIEF)
    report = build(BuildOptions(source=brief, search="index", jobs=1))
    assert not report.problems
    return brief, brief / "build"


def test_the_build_writes_the_index_and_pagefind_script(indexed: tuple[Path, Path]) -> None:
    _, output = indexed
    index = output / SEARCH_DIR
    assert (index / "pagefind.js").is_file()
    entry = (index / ENTRY_FILE).read_text("utf-8")
    assert '"en"' in entry  # the site's language, from <html lang>
    assert list(index.glob("fragment/*.pf_fragment")), "one fragment per indexed page"
    # The articles, actors, events and sources of the small brief: 2 + 6 + 3 + 1 pages, and no list page.
    assert len(list(index.glob("fragment/*.pf_fragment"))) == 12
    assert not (output / ".briefgen-search").exists(), "Pagefind's scratch folder is removed"


def test_the_index_is_the_same_for_the_same_site(indexed: tuple[Path, Path], tmp_path: Path) -> None:
    brief, output = indexed
    again = tmp_path / "again"
    build(BuildOptions(source=brief, output=again, search="index", cache=False, jobs=1))
    assert files(again / SEARCH_DIR) == files(output / SEARCH_DIR)


def test_every_page_has_the_search_box_and_the_search_page_exists(indexed: tuple[Path, Path]) -> None:
    _, output = indexed
    for page in ["index.html", "actors/aliyev/index.html", "timeline/index.html", "404.html"]:
        html = (output / page).read_text("utf-8")
        assert '<form class="site-search" role="search"' in html, page
        assert '<label class="vh" for="site-search-q">Search the brief</label>' in html, page
    actor = (output / "actors/aliyev/index.html").read_text("utf-8")
    assert 'action="../../search/index.html"' in actor
    search = (output / "search/index.html").read_text("utf-8")
    assert '<script src="../assets/search.js" defer></script>' in search
    # Without JavaScript the page says so and leads to the actor index and the timeline.
    noscript = search[search.index("<noscript>"):search.index("</noscript>")]
    assert 'href="../actors/index.html"' in noscript and 'href="../timeline/index.html"' in noscript
    assert (output / "assets/search.js").is_file()


def test_entity_pages_tell_pagefind_their_kind_and_text(indexed: tuple[Path, Path]) -> None:
    _, output = indexed
    actor = (output / "actors/aliyev/index.html").read_text("utf-8")
    assert 'data-pagefind-body data-pagefind-meta="kind:Actor"' in actor
    assert re.search(r'<dd data-pagefind-weight="7"><span class="alias">', actor), "aliases are indexed, weighted"
    assert '<section aria-labelledby="actor-articles" data-pagefind-ignore="all">' in actor
    event = (output / "events/phone-call/index.html").read_text("utf-8")
    assert 'data-pagefind-body data-pagefind-meta="kind:Event"' in event
    assert 'data-pagefind-meta="date[data-date]" data-date="12 August 2020"' in event
    article = (output / "articles/summer-of-strain/index.html").read_text("utf-8")
    assert 'data-pagefind-body data-pagefind-meta="kind:Article"' in article
    assert re.search(r'<time datetime="[0-9-]+" data-pagefind-meta="date">', article)
    # Filters would make the index differ from run to run: Pagefind writes their values in hash-map order.
    assert "data-pagefind-filter" not in actor + event + article
    for page in ["index.html", "timeline/index.html", "actors/index.html", "search/index.html"]:
        assert "data-pagefind-body" not in (output / page).read_text("utf-8"), page


def test_no_search_leaves_the_index_out_and_the_pages_as_they_are(indexed: tuple[Path, Path],
                                                                  tmp_path: Path) -> None:
    brief, output = indexed
    plain = tmp_path / "plain"
    build(BuildOptions(source=brief, output=plain, jobs=1))
    assert not (plain / SEARCH_DIR).exists()
    searchable = {k: v for k, v in files(output).items() if not k.startswith((SEARCH_DIR, ".briefgen/"))}
    assert {k: v for k, v in files(plain).items() if not k.startswith(".briefgen/")} == searchable


def test_a_text_edit_indexes_again_and_keeps_unchanged_files(small_brief: Path) -> None:
    output = small_brief / "build"
    build(BuildOptions(source=small_brief, search="index", jobs=1))
    before = {name: os.stat(output / SEARCH_DIR / name).st_ino for name in files(output / SEARCH_DIR)}
    article = small_brief / "content/articles/cargo-flights.md"
    article.write_text(article.read_text("utf-8") + "\nThe flights carried zucchini, said no one.\n", "utf-8")
    report = build(BuildOptions(source=small_brief, search="index", jobs=1))
    assert report.quick and "search" in report.timings
    after = files(output / SEARCH_DIR)
    kept = [name for name in after if before.get(name) == os.stat(output / SEARCH_DIR / name).st_ino]
    assert "pagefind.js" in kept, "files whose bytes did not change stay as they were"
    assert before.keys() != after.keys(), "the edited article's fragment is new"
    assert not any((output / SEARCH_DIR / name).exists() for name in before.keys() - after.keys())
    # The same site built afresh has the same index.
    fresh = small_brief.parent / "fresh"
    build(BuildOptions(source=small_brief, output=fresh, search="index", cache=False, jobs=1))
    assert files(fresh / SEARCH_DIR) == after


def test_a_full_rebuild_links_unchanged_index_files_and_keep_carries_the_index_over(small_brief: Path) -> None:
    output = small_brief / "build"
    build(BuildOptions(source=small_brief, search="index", jobs=1))
    before = os.stat(output / SEARCH_DIR / "pagefind.js")
    write_files(small_brief, {"content/events/later.md": "---\ntitle: A later call\ndate: 2020-09-01\nsources: [edm-cargo]\n---\n"})
    report = build(BuildOptions(source=small_brief, search="index", jobs=1))
    assert not report.quick
    after = os.stat(output / SEARCH_DIR / "pagefind.js")
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert len(list((output / SEARCH_DIR).glob("fragment/*.pf_fragment"))) == 13
    # ``keep`` (what serve builds with) carries the index over as it is, and indexes nothing.
    index = files(output / SEARCH_DIR)
    (small_brief / "content/events/later.md").unlink()
    report = build(BuildOptions(source=small_brief, search="keep", jobs=1))
    assert files(output / SEARCH_DIR) == index and not (output / "events/later").exists()


def test_the_index_is_kept_while_its_pages_stay_the_same(small_brief: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    output = small_brief / "build"
    build(BuildOptions(source=small_brief, search="index", jobs=1))
    index = files(output / SEARCH_DIR)
    with monkeypatch.context() as patched:
        patched.setattr(briefgen.search, "make_index", not_again)
        write_files(small_brief, {"static/notes.txt": "not a page"})
        report = build(BuildOptions(source=small_brief, search="index", jobs=1))
        assert not report.quick and (output / "notes.txt").is_file()
        assert files(output / SEARCH_DIR) == index
        # A page changes while the index is kept (as under serve, before it indexes again) ...
        write_files(small_brief, {"content/events/later.md": "---\ntitle: A later call\ndate: 2020-09-01\nsources: [edm-cargo]\n---\n"})
        build(BuildOptions(source=small_brief, search="keep", jobs=1))
        assert files(output / SEARCH_DIR) == index
    # ... so the next build indexes, though it renders nothing new.
    report = build(BuildOptions(source=small_brief, search="index", jobs=1))
    assert report.changed == 0
    assert len(list((output / SEARCH_DIR).glob("fragment/*.pf_fragment"))) == 13


def not_again(site: Path, scratch: Path) -> int:
    raise AssertionError("Pagefind ran though no indexed page changed")


def test_place_index_replaces_changed_files_and_removes_stale_ones(tmp_path: Path) -> None:
    current = write_files(tmp_path / "current", {"same.js": "a", "changed.pf": "old", "stale.pf": "x",
                                                 "sub/gone.pf": "y", ENTRY_FILE: "{1}"})
    new = write_files(tmp_path / "new", {"same.js": "a", "changed.pf": "new", ENTRY_FILE: "{2}", "sub2/n.pf": "z"})
    same = os.stat(current / "same.js").st_ino
    place_index(new, current, current)
    assert files(current) == {"same.js": b"a", "changed.pf": b"new", ENTRY_FILE: b"{2}", "sub2/n.pf": b"z"}
    assert os.stat(current / "same.js").st_ino == same
    assert not (current / "sub").exists()


def test_only_entity_pages_are_indexed() -> None:
    assert is_indexed("actors/aliyev/index.html") and is_indexed("events/x/index.html")
    assert is_indexed("articles/a/index.html")
    assert not any(map(is_indexed, ["actors/index.html", "timeline/index.html", "search/index.html",
                                    "tags/t/index.html", "index.html", "actors/aliyev/x.html"]))


@pytest.mark.skipif(os.name != "posix", reason="the stand-in indexer is a shell script")
@pytest.mark.parametrize(("script", "message"), [
    ("kill -9 $$", "the search index could not be made: Pagefind was stopped by signal 9 (out of memory?)"),
    ("echo 'Error: no pages were found' >&2; exit 1",
     "the search index could not be made: Pagefind failed with exit status 1: Error: no pages were found"),
])
def test_an_indexer_that_dies_fails_the_build_and_leaves_the_site(
        small_brief: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: str, message: str) -> None:
    """Killed for want of memory, Pagefind once left the build waiting for it for ever."""
    build(BuildOptions(source=small_brief, search="off", jobs=1))
    before = files(small_brief / "build")
    indexer = tmp_path / "pagefind"
    indexer.write_text(f"#!/bin/sh\n{script}\n", encoding="utf-8")
    indexer.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(indexer))
    write_files(small_brief, {"content/events/later.md":
                              "---\ntitle: A later call\ndate: 2020-09-01\nsources: [edm-cargo]\n---\n"})
    with pytest.raises(BuildFailed) as failed:
        build(BuildOptions(source=small_brief, search="index", jobs=1))
    assert [p.message for p in failed.value.problems] == [message]
    assert files(small_brief / "build") == before


def test_without_an_indexer_the_build_says_so(small_brief: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    with pytest.raises(BuildFailed) as failed:
        build(BuildOptions(source=small_brief, search="index", jobs=1))
    [problem] = failed.value.problems
    assert problem.message.startswith("the search index could not be made: Pagefind could not start: ")
    assert "--no-search" in problem.hint
