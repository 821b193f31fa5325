"""The quick rebuild's pieces: the saved model, what counts as a body-only change, and the
pages that show a body. (Whole quick rebuilds are compared with clean builds in test_incremental.)"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from briefgen.bodies import body_jobs, render_bodies
from briefgen.build import BuildOptions, build, input_stamp
from briefgen.cache import Cache, version_key
from briefgen.config import load_config
from briefgen.documents import DocumentCache, parse_documents_cached
from briefgen.errors import BuildFailed
from briefgen.linker import index_documents, link
from briefgen.model import Brief
from briefgen.pages import BodyRef, PagePlan, PageSpec, plan_pages
from briefgen.render import context_hash
from briefgen.quick import changed_content
from briefgen.sources import builtin_theme, discover, theme_dirs
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


def body_refs(value: Any) -> Iterator[BodyRef]:
    """Every BodyRef in a page context, however deep."""
    if isinstance(value, BodyRef):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from body_refs(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from body_refs(item)


@pytest.mark.parametrize("articles", [0, 60], ids=["small brief", "more articles than the feed shows"])
def test_the_cache_knows_the_bodies_each_planned_page_shows(tmp_path: Path, articles: int) -> None:
    """What the quick path renders again comes from the page plan, as the full build recorded it."""
    source = write_files(tmp_path / "brief", many_articles(articles))
    out = tmp_path / "out"
    build(BuildOptions(source=source, output=out, jobs=1))
    brief, _, _ = linked(source)
    records = Cache(out, version_key(builtin_theme())).pages()
    planned = plan_pages(brief)
    for position, spec in enumerate(planned):
        assert records[spec.dest_path].position == position
        assert records[spec.dest_path].shows == tuple(sorted({ref.key for ref in body_refs(spec.context)}))
    shows_feed = [dest for dest, record in records.items() if "article:summer-of-strain" in record.shows]
    assert "feed.xml" in shows_feed
    if articles:  # the oldest piece is past the feed's fifty
        assert [d for d, r in records.items() if "article:piece-000" in r.shows] == ["articles/piece-000/index.html"]


def test_a_page_hashes_by_what_its_entries_hold(tmp_path: Path) -> None:
    brief, _, _ = linked(write_files(tmp_path, many_articles(3)))
    plan = PagePlan(brief)
    full = {spec.dest_path: context_hash("theme", {}, spec, plan.item_digests) for spec in plan}
    again = PagePlan(brief)
    article = next(s for s in plan if s.dest_path.startswith("articles/") and s.context.get("actors"))
    assert context_hash("theme", {}, again[plan.index(article)], again.item_digests) == full[article.dest_path]
    # A dict that is no entry of ``Items`` (one changed here) is hashed by what it holds.
    renamed = {**article.context, "actors": [{**article.context["actors"][0], "name": "Someone Else"}]}
    assert (context_hash("theme", {}, PageSpec(article.dest_path, article.template, renamed), plan.item_digests)
            != full[article.dest_path])


def test_changed_content_names_edited_content_files_only(tmp_path: Path) -> None:
    brief = write_files(tmp_path / "brief", {**SMALL_BRIEF, "static/site.css": "a {}\n"})
    options = BuildOptions(source=brief, output=tmp_path / "out")
    dirs = theme_dirs(brief)

    def after(change: str) -> list[str] | None:
        before = input_stamp(options, dirs)
        path = brief / change
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000_000))
        return changed_content(before, input_stamp(options, dirs), brief)

    assert after("content/articles/cargo-flights.md") == ["content/articles/cargo-flights.md"]
    assert after("content/index.md") == ["content/index.md"]
    assert after("content/actors/lavrov.md") == ["content/actors/lavrov.md"]
    assert after("briefgen.yaml") is None
    assert after("static/site.css") is None
    before = input_stamp(options, dirs)
    write_files(brief, {"content/events/new.md": "---\ntitle: New\ndate: 2020\n---\n"})
    assert changed_content(before, input_stamp(options, dirs), brief) is None
    assert changed_content(before, input_stamp(replace(options, drafts=True), dirs), brief) is None
    assert changed_content(before, before, brief) == []


def test_changed_content_with_the_brief_as_the_working_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    brief = write_files(tmp_path / "brief", SMALL_BRIEF)
    monkeypatch.chdir(brief)
    options = BuildOptions(source=Path("."))
    dirs = theme_dirs(Path("."))
    before = input_stamp(options, dirs)
    write_files(brief, {"content/articles/cargo-flights.md": "---\ntitle: Cargo flights\ndate: 2020-09-11\n---\nEdited.\n"})
    after = input_stamp(options, dirs)
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
