"""The build cache: every part reads back as written, under this briefgen's version key only."""

from __future__ import annotations

import os
import pickle
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

import briefgen.render
from briefgen import cache as cache_module
from briefgen.bodies import BodyCache
from briefgen.build import BuildOptions, build
from briefgen.cache import STATE_DIR, Cache, PageRecord, encode_build, encode_inputs, encode_pages, version_key
from briefgen.documents import DocumentCache
from briefgen.model import Brief
from briefgen.sources import builtin_theme
from helpers import SMALL_BRIEF, write_files
from test_quick import linked


def write_parts(out: Path, parts: dict[str, bytes]) -> None:
    for rel_path, data in parts.items():
        (out / rel_path).parent.mkdir(parents=True, exist_ok=True)
        (out / rel_path).write_bytes(data)


def bare(brief: Brief) -> Brief:
    """The brief as the model part keeps it: no bodies, no HTML, no links of bodies (their words and
    first sentences stay: the article pages and the preview cards show them)."""
    return replace(brief, articles={k: replace(v, body="") for k, v in brief.articles.items()},
                   actors={k: replace(v, body="") for k, v in brief.actors.items()},
                   events={k: replace(v, body="") for k, v in brief.events.items()},
                   sources={k: replace(v, body="") for k, v in brief.sources.items()},
                   index_page=replace(brief.index_page, body="") if brief.index_page else None,
                   bodies={k: replace(v, html=None, mentions=(), links=()) for k, v in brief.bodies.items()})


@pytest.fixture
def saved(tmp_path: Path) -> tuple[Path, Brief, object, DocumentCache]:
    brief, index, documents = linked(write_files(tmp_path / "brief", SMALL_BRIEF))
    out = tmp_path / "out"
    bodies = BodyCache(index={"autolink": "first"}, entries={"article:x": {"input": "1", "mentions": ()}})
    pages = {"index.html": PageRecord("c1", "d1", ("index",), 1), "assets/a.css": PageRecord("", "d2")}
    write_parts(out, {**encode_build("key", documents, bodies, brief, index), **encode_pages("key", pages),
                      **encode_inputs("key", {"content/a.md": [1, 2]}, {"pages": 3})})
    return out, brief, index, documents


def test_every_part_reads_back_as_written(saved: tuple[Path, Brief, object, DocumentCache]) -> None:
    out, brief, index, documents = saved
    cache = Cache(out, "key")
    restored = cache.documents()
    assert restored.documents == documents.documents and len(documents.documents) == len(documents.records)
    assert all(not document.body for document, _ in restored.documents.values()), "bodies are not cached"
    model = cache.model(restored)
    assert model is not None and model.index == index
    assert model.brief == bare(brief)
    assert list(model.brief.articles) == list(brief.articles)  # the order pages are planned in
    assert model.links.keys() == brief.bodies.keys()
    assert cache.bodies() == BodyCache(index={"autolink": "first"}, entries={"article:x": {"input": "1", "mentions": ()}})
    assert cache.pages() == {"assets/a.css": PageRecord("", "d2"), "index.html": PageRecord("c1", "d1", ("index",), 1)}
    inputs = cache.inputs()
    assert inputs is not None and inputs.stamp == {"content/a.md": [1, 2]} and inputs.summary == {"pages": 3}


def test_parts_of_another_briefgen_or_with_no_cache_read_as_empty(
        saved: tuple[Path, Brief, object, DocumentCache]) -> None:
    out = saved[0]
    for cache in (Cache(out, "another key"), Cache(out, "key", readable=False), Cache(out / "missing", "key")):
        assert cache.documents().documents == {}
        assert cache.model(saved[3]) is None
        assert cache.bodies() is None and cache.pages() == {} and cache.inputs() is None


def test_damaged_or_hostile_parts_read_as_empty(saved: tuple[Path, Brief, object, DocumentCache]) -> None:
    out = saved[0]
    state = out / STATE_DIR
    data = (state / "documents").read_bytes()
    (state / "documents").write_bytes(data[: len(data) // 2])
    assert Cache(out, "key").documents().documents == {}
    assert Cache(out, "key").model(DocumentCache({})) is None, "names documents the cache does not have"

    marker = out / "ran"

    class Exploit:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.system, (f"touch {marker}",))

    header = b"briefgen-cache 1\nkey\n"
    for part in ("documents", "model", "pages", "inputs", "bodies"):
        (state / part).write_bytes(header + pickle.dumps(Exploit()))
    cache = Cache(out, "key")
    assert cache.documents().documents == {} and cache.model(saved[3]) is None
    assert cache.pages() == {} and cache.inputs() is None and cache.bodies() is None
    record = pickle.dumps(Exploit())
    (state / "documents").write_bytes(header + pickle.dumps(([("x", 0, len(record))], record)))
    assert Cache(out, "key").documents().documents == {}
    assert not marker.exists()


def test_the_version_key_follows_briefgens_code_and_theme(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "package"
    shutil.copytree(cache_module.PACKAGE_DIR, package, ignore=shutil.ignore_patterns("__pycache__"))
    theme = tmp_path / "theme"
    shutil.copytree(builtin_theme(), theme)
    monkeypatch.setattr(cache_module, "PACKAGE_DIR", package)
    first = version_key(theme)
    assert version_key(theme) == first
    with (package / "pages.py").open("a") as file:
        file.write("# a change\n")
    second = version_key(theme)
    (theme / "base.html").write_text((theme / "base.html").read_text() + "\n")
    assert len({first, second, version_key(theme)}) == 3


def every_page(source: Path, out: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The pages a build from scratch renders."""
    seen = rendered_pages(monkeypatch)
    build(BuildOptions(source=source, output=out, jobs=1, cache=False))
    return sorted(seen)


def rendered_pages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The pages the next in-process build renders (not carried over from the cache)."""
    seen: list[str] = []
    real = briefgen.render.render_page

    def counting(env, spec, site, dirs):  # type: ignore[no-untyped-def]
        seen.append(spec.dest_path)
        return real(env, spec, site, dirs)
    monkeypatch.setattr(briefgen.render, "render_page", counting)
    return seen


def test_a_change_of_a_built_in_template_renders_every_page_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    theme = tmp_path / "theme"
    shutil.copytree(builtin_theme(), theme)
    monkeypatch.setattr("briefgen.sources.builtin_theme", lambda: theme)
    monkeypatch.setattr("briefgen.build.builtin_theme", lambda: theme)
    source, out = write_files(tmp_path / "brief", SMALL_BRIEF), tmp_path / "out"
    build(BuildOptions(source=source, output=out, jobs=1))
    assert build(BuildOptions(source=source, output=out, jobs=1)).up_to_date
    base = theme / "base.html"
    base.write_text(base.read_text().replace("</body>", "<p>a new footer line</p></body>"))
    seen = rendered_pages(monkeypatch)
    report = build(BuildOptions(source=source, output=out, jobs=1))
    assert not report.up_to_date and not report.quick
    assert sorted(seen) == every_page(source, tmp_path / "clean", monkeypatch)
    assert "a new footer line" in (out / "index.html").read_text("utf-8")


def test_a_change_of_briefgens_code_renders_every_page_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "package"
    shutil.copytree(cache_module.PACKAGE_DIR, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache_module, "PACKAGE_DIR", package)
    source, out = write_files(tmp_path / "brief", SMALL_BRIEF), tmp_path / "out"
    build(BuildOptions(source=source, output=out, jobs=1))
    with (package / "pages.py").open("a") as file:
        file.write("# a change to how pages are planned\n")
    seen = rendered_pages(monkeypatch)
    report = build(BuildOptions(source=source, output=out, jobs=1))
    assert not report.up_to_date and not report.quick
    assert sorted(seen) == every_page(source, tmp_path / "clean", monkeypatch)
