"""The quick rebuild's pieces: the saved model, what counts as a body-only change, and the
pages that show a body. (Whole quick rebuilds are compared with clean builds in test_incremental.)"""

from __future__ import annotations

import os
import pickle
from collections.abc import Collection
from dataclasses import replace
from pathlib import Path

import pytest

from briefgen import __version__
from briefgen.bodies import body_jobs, render_bodies
from briefgen.build import BuildOptions, build, input_stamp
from briefgen.config import load_config
from briefgen.documents import DocumentCache, parse_documents_cached
from briefgen.errors import BuildFailed
from briefgen.linker import index_documents, link
from briefgen.model import Brief
from briefgen.pages import Items, PagePlan, PageSpec, body_refs, pages_showing, plan_pages
from briefgen.render import context_hash
from briefgen.quick import changed_content, pack_model, unpack_model
from briefgen.sources import discover, theme_dirs
from helpers import SMALL_BRIEF, write_files


def linked(root: Path) -> tuple[Brief, object, DocumentCache]:
    config, _ = load_config(root)
    files, _ = discover(root)
    documents, problems, cache, _ = parse_documents_cached(files)
    index, _ = index_documents(documents)
    bodies, _, _ = render_bodies(body_jobs(documents), index, config.autolink)
    brief, problems = link(documents, bodies, index, config)
    assert not problems
    return brief, index, cache


def many_articles(count: int) -> dict[str, str | bytes]:
    files = dict(SMALL_BRIEF)
    for i in range(count):
        files[f"content/articles/piece-{i:03d}.md"] = (
            f"---\ntitle: Piece {i}\ndate: 2019-{1 + i % 12:02d}-{1 + i % 28:02d}\n---\nPutin, item {i}.\n")
    return files


def showing(brief: Brief, keys: Collection[str]) -> list[PageSpec]:
    return pages_showing(brief, keys, Items(brief))


@pytest.mark.parametrize("articles", [0, 60], ids=["small brief", "more articles than the feed shows"])
def test_pages_showing_a_body_are_the_planned_pages_that_hold_it(tmp_path: Path, articles: int) -> None:
    brief, _, _ = linked(write_files(tmp_path, many_articles(articles)))
    planned = plan_pages(brief)
    for key in brief.bodies:
        holding = [spec for spec in planned if key in {ref.key for ref in body_refs(spec.context)}]
        assert holding, key
        assert showing(brief, {key}) == holding, key
    keys = sorted(brief.bodies)[:3]
    assert showing(brief, keys) == [s for s in planned if {r.key for r in body_refs(s.context)} & set(keys)]
    assert "feed.xml" in [s.dest_path for s in showing(brief, {"article:summer-of-strain"})]
    if articles:  # the oldest piece is past the feed's fifty
        assert [s.dest_path for s in showing(brief, {"article:piece-000"})] == ["articles/piece-000/index.html"]


def test_a_page_made_for_a_quick_rebuild_hashes_as_in_the_full_build(tmp_path: Path) -> None:
    brief, _, _ = linked(write_files(tmp_path, many_articles(3)))
    plan = PagePlan(brief)
    full = {spec.dest_path: context_hash("theme", {}, spec, plan.item_digests) for spec in plan}
    items = Items(brief)
    quick = pages_showing(brief, set(brief.bodies), items)
    assert len(quick) > 5
    for spec in quick:
        assert context_hash("theme", {}, spec, items.digests) == full[spec.dest_path], spec.dest_path
    # A dict that is no entry of ``Items`` (one changed here) is hashed by what it holds.
    article = next(s for s in quick if s.dest_path.startswith("articles/") and s.context["actors"])
    renamed = {**article.context, "actors": [{**article.context["actors"][0], "name": "Someone Else"}]}
    assert (context_hash("theme", {}, PageSpec(article.dest_path, article.template, renamed), items.digests)
            != full[article.dest_path])


def test_saved_model_gives_back_the_brief_without_bodies(tmp_path: Path) -> None:
    brief, index, cache = linked(write_files(tmp_path, SMALL_BRIEF))
    data = pack_model(brief, index, cache)
    assert data is not None
    restored = DocumentCache.from_bytes(cache.to_bytes())
    model = unpack_model(data, restored)
    assert model is not None
    assert model.index == index

    def bare(b: Brief) -> Brief:
        return replace(b, articles={k: replace(v, body="") for k, v in b.articles.items()},
                       actors={k: replace(v, body="") for k, v in b.actors.items()},
                       events={k: replace(v, body="") for k, v in b.events.items()},
                       index_page=replace(b.index_page, body="") if b.index_page else None,
                       bodies={k: replace(v, html=None, mentions=(), links=()) for k, v in b.bodies.items()})

    assert model.brief == bare(brief)
    assert list(model.brief.articles) == list(brief.articles)  # the order pages are planned in
    assert showing(model.brief, {"article:cargo-flights"}) == showing(bare(brief), {"article:cargo-flights"})
    assert model.links.keys() == brief.bodies.keys()


def test_saved_model_that_is_damaged_foreign_or_hostile_is_ignored(tmp_path: Path) -> None:
    brief, index, cache = linked(write_files(tmp_path, SMALL_BRIEF))
    data = pack_model(brief, index, cache)
    assert data is not None
    assert unpack_model(data[: len(data) // 2], cache) is None
    assert unpack_model(data.replace(__version__.encode(), b"0.0.0-other"), cache) is None
    assert unpack_model(data, DocumentCache({})) is None  # names documents the cache does not have

    class Hostile:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.system, (f"touch {tmp_path / 'pwned'}",))

    assert unpack_model(pickle.dumps((__version__, {}, {}, {}, {}, Hostile())), cache) is None
    assert not (tmp_path / "pwned").exists()


def test_a_build_with_a_document_outside_the_cache_saves_no_model(tmp_path: Path) -> None:
    brief, index, _ = linked(write_files(tmp_path, SMALL_BRIEF))
    assert pack_model(brief, index, DocumentCache({})) is None


def test_changed_content_names_edited_content_files_only(tmp_path: Path) -> None:
    brief = write_files(tmp_path / "brief", {**SMALL_BRIEF, "static/site.css": "a {}\n"})
    options = BuildOptions(source=brief, output=tmp_path / "out")
    dirs = theme_dirs(brief)

    def after(change: str) -> list[str] | None:
        before = input_stamp(brief, dirs, options)
        path = brief / change
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000_000))
        return changed_content(before, input_stamp(brief, dirs, options), brief)

    assert after("content/articles/cargo-flights.md") == ["content/articles/cargo-flights.md"]
    assert after("content/index.md") == ["content/index.md"]
    assert after("content/actors/lavrov.md") == ["content/actors/lavrov.md"]
    assert after("briefgen.yaml") is None
    assert after("static/site.css") is None
    before = input_stamp(brief, dirs, options)
    write_files(brief, {"content/events/new.md": "---\ntitle: New\ndate: 2020\n---\n"})
    assert changed_content(before, input_stamp(brief, dirs, options), brief) is None
    assert changed_content(before, input_stamp(brief, dirs, replace(options, drafts=True)), brief) is None
    assert changed_content(before, before, brief) == []


def test_changed_content_with_the_brief_as_the_working_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    brief = write_files(tmp_path / "brief", SMALL_BRIEF)
    monkeypatch.chdir(brief)
    options = BuildOptions(source=Path("."))
    dirs = theme_dirs(Path("."))
    before = input_stamp(Path("."), dirs, options)
    write_files(brief, {"content/articles/cargo-flights.md": "---\ntitle: Cargo flights\ndate: 2020-09-11\n---\nEdited.\n"})
    after = input_stamp(Path("."), dirs, options)
    assert changed_content(before, after, Path(".")) == ["content/articles/cargo-flights.md"]


def test_template_change_is_never_quick(tmp_path: Path) -> None:
    brief = write_files(tmp_path / "brief", {**SMALL_BRIEF, "templates/404.html": "gone\n"})
    out = tmp_path / "out"
    build(BuildOptions(source=brief, output=out, jobs=1))
    write_files(brief, {"templates/404.html": "really gone\n"})
    report = build(BuildOptions(source=brief, output=out, jobs=1))
    assert not report.quick and (out / "404.html").read_text() == "really gone\n"


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
def test_content_moved_out_of_the_brief_behind_a_link_is_not_read_quickly(tmp_path: Path) -> None:
    """The files keep their names, so only the edited one looks changed; the quick path must not
    read it through the link, and the full build refuses the link as discover does."""
    brief = write_files(tmp_path / "brief", SMALL_BRIEF)
    build(BuildOptions(source=brief, jobs=1))
    (brief / "content").rename(tmp_path / "elsewhere")
    (brief / "content").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    with open(tmp_path / "elsewhere/actors/putin.md", "a", encoding="utf-8") as file:
        file.write("One more sentence.\n")
    with pytest.raises(BuildFailed) as failed:
        build(BuildOptions(source=brief, jobs=1))
    assert [p.format() for p in failed.value.problems] == [
        "content: error: symbolic link leads outside the brief; refused\n"
        "  hint: copy the folder into the brief instead of linking to it"]
