"""The quick rebuild: when only the text of existing documents changed, and none
of their links with it, render just the pages that show those texts.

The linked brief depends on a body only through the actors it mentions and
the documents it links to. If an edited file's front matter is as before and
its body names and links the same things, every page of the site is as before
except the pages that show that body. A full build spends seconds re-reading,
re-linking and re-planning 10,000s of pages to find that out; this module
finds it from the brief the previous full build saved (without bodies, next to
its document cache), and gives up, returning None, on anything else, so that
the full build runs. What it renders is what a full build would: the same
planning code, the same renderer, the same templates (tests compare the two).
"""

from __future__ import annotations

import io
import os
import pickle
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, TypeVar

from markupsafe import Markup

from briefgen import __version__, hashing
from briefgen.bodies import body_jobs, document_body_key
from briefgen.config import Config
from briefgen.documents import (CACHED_CLASSES, Actor, Article, Document, DocumentCache, Event, IndexPage,
                                collector_paused, parse_document)
from briefgen.errors import BriefError
from briefgen.markdown import BodyRenderer, BodyResult, LinkIndex
from briefgen.model import Brief
from briefgen.pages import Items, PageSpec, body_refs, pages_showing, site_context
from briefgen.render import context_hash, fill_bodies, make_environment, render_page, theme_digest
from briefgen.sources import content_kind, inside, read_source

D = TypeVar("D", Article, Actor, Event, IndexPage)

MODEL_FILE = "model.pickle"
"""In build/.briefgen: the linked brief of the last full build, its documents named by
their key in the document cache (``documents.pickle``), so they are stored once."""


@dataclass(frozen=True)
class SavedModel:
    """The previous full build's brief (documents without bodies) and link index."""

    brief: Brief
    """Its bodies have only their ``html_digest``."""
    index: LinkIndex
    links: dict[str, str]
    """Body key -> ``_links_digest`` of the body."""


_DOC_FIELDS = ("articles", "actors", "events", "index_page")


def pack_model(brief: Brief, index: LinkIndex, documents: DocumentCache) -> bytes | None:
    """The brief for ``MODEL_FILE``; None if a document of it is not in the cache
    (a build with problems: the next one cannot be quick anyway)."""
    digest_of = {doc.src_path: digest for digest, (doc, _) in documents.documents.items()}  # one per file
    try:
        named: dict[str, Any] = {name: {key: digest_of[doc.src_path] for key, doc in getattr(brief, name).items()}
                                 for name in _DOC_FIELDS[:3]}
        named["index_page"] = digest_of[brief.index_page.src_path] if brief.index_page is not None else None
    except KeyError:
        return None
    rest = {f.name: getattr(brief, f.name) for f in fields(brief) if f.name not in (*_DOC_FIELDS, "bodies", "config")}
    bodies = {key: (r.html_digest, _links_digest(r)) for key, r in brief.bodies.items()}
    config = {f.name: getattr(brief.config, f.name) for f in fields(brief.config)}
    return pickle.dumps((__version__, config, named, bodies, rest, index), protocol=pickle.HIGHEST_PROTOCOL)


_MODEL_CLASSES = CACHED_CLASSES | {("briefgen.model", "Participation"), ("briefgen.model", "Tag"),
                                   ("briefgen.markdown", "LinkIndex"), ("briefgen.markdown", "ActorTarget"),
                                   ("builtins", "frozenset")}


class _ModelUnpickler(pickle.Unpickler):
    """Loads the saved model and nothing else: no other class or function can be named in the file."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _MODEL_CLASSES:
            raise pickle.UnpicklingError(f"{module}.{name} is not part of the saved model")
        return super().find_class(module, name)


def unpack_model(data: bytes, documents: DocumentCache) -> SavedModel | None:
    """The saved model; None if it is damaged, foreign, from another version or names a missing document."""
    try:
        with collector_paused():
            version, config, named, bodies, rest, index = _ModelUnpickler(io.BytesIO(data)).load()
        if version != __version__ or not isinstance(index, LinkIndex):
            return None
        docs = documents.documents

        def typed(digest: str, cls: type[D]) -> D:
            document = docs[digest][0]
            if not isinstance(document, cls):
                raise TypeError(digest)
            return document

        brief = Brief(
            config=Config(**config),
            articles={key: typed(digest, Article) for key, digest in named["articles"].items()},
            actors={key: typed(digest, Actor) for key, digest in named["actors"].items()},
            events={key: typed(digest, Event) for key, digest in named["events"].items()},
            index_page=typed(named["index_page"], IndexPage) if named["index_page"] is not None else None,
            bodies={key: BodyResult(None, digest) for key, (digest, _) in bodies.items()},
            **rest)
    except Exception:  # noqa: BLE001 - whatever is wrong with the file, build in full
        return None
    return SavedModel(brief, index, {key: links for key, (_, links) in bodies.items()})


def _links_digest(result: BodyResult) -> str:
    """What linking takes from a body (its mentions and links), in a few bytes: the saved
    model keeps only this, since a quick rebuild needs to know only that they did not change."""
    data = repr((result.mentions, result.links)).encode("utf-8")
    return hashing.digest(data)


def changed_content(before: Mapping[str, object], after: Mapping[str, object], source: Path) -> list[str] | None:
    """Content files (as ``content/...`` paths) whose size or mtime changed between two
    ``build.input_stamp``s; None if anything else differs: options, templates, config,
    static files, or a file added or removed."""
    if before.keys() != after.keys():
        return None
    prefix = str(source / "content") + os.sep  # how input_stamp spells the paths of content files
    changed = []
    for key, value in after.items():
        if before[key] == value:
            continue
        if not key.startswith(prefix):
            return None
        src_path = "content/" + key[len(prefix):].replace(os.sep, "/")
        if content_kind(src_path) is None:
            return None
        changed.append(src_path)
    return sorted(changed)


@dataclass(frozen=True)
class QuickPages:
    """What the quick rebuild rendered: the pages and the context hashes to remember for them."""

    files: dict[str, bytes]
    hashes: dict[str, str]


def quick_rebuild(source: Path, changed: list[str], model: SavedModel, dirs: list[Path],
                  stage: Callable[[str], AbstractContextManager[None]]) -> QuickPages | None:
    """Render the pages that show the bodies of the ``changed`` files, or None if a full build is needed.

    ``stage(name)`` times each step as the build's stage of that name.
    """
    brief = model.brief
    by_key: dict[str, Document] = {document_body_key(doc): doc for doc in _documents(brief)}
    by_path = {doc.src_path: key for key, doc in by_key.items()}
    with stage("parse"):
        edited: dict[str, Document] = {}
        for src_path in changed:
            document = _read_document(source, src_path)
            key = by_path.get(src_path)
            if document is None or key is None or replace(document, body="") != by_key[key]:
                return None
            edited[key] = document
    with stage("markdown"):
        renderer = BodyRenderer(model.index, brief.config.autolink)
        results: dict[str, BodyResult] = {}
        for key, document in edited.items():
            result = _render_body(renderer, document)
            if result is None or model.links.get(key) != _links_digest(result):
                return None
            results[key] = result
        # Other bodies on the same pages (the feed shows fifty) are rendered again from
        # their files: an earlier quick rebuild may have changed them since the saved model.
        showing = pages_showing(brief, edited, Items(brief))
        shown = {ref.key for spec in showing for ref in body_refs(spec.context)}
        for key in sorted(shown - results.keys()):
            document = _read_document(source, by_key[key].src_path) if key in by_key else None
            other = _render_body(renderer, document) if document is not None else None
            if other is None:
                return None
            results[key] = other
    with stage("render"):
        brief = replace(brief, bodies={**brief.bodies, **{k: replace(r, html=None) for k, r in results.items()}})
        env = make_environment(dirs)
        site, theme = site_context(brief), theme_digest(dirs)
        html = {key: Markup(result.html or "") for key, result in results.items()}
        files, hashes = {}, {}
        items = Items(brief)
        for spec in pages_showing(brief, edited, items):
            page = render_page(env, PageSpec(spec.dest_path, spec.template,
                                             fill_bodies(spec.context, lambda ref: html[ref.key])), site, dirs)
            if isinstance(page, BriefError):
                return None  # the full build reports it
            files[spec.dest_path] = page.content
            hashes[spec.dest_path] = context_hash(theme, site, spec, items.digests)
    return QuickPages(files, hashes)


def _render_body(renderer: BodyRenderer, document: Document) -> BodyResult | None:
    result = body_jobs([document])[0].render(renderer)
    return None if result.problems else result


def _documents(brief: Brief) -> Iterator[Document]:
    yield from brief.articles.values()
    yield from brief.actors.values()
    yield from brief.events.values()
    if brief.index_page is not None:
        yield brief.index_page


def _read_document(source: Path, src_path: str) -> Document | None:
    """The document in one content file, or None if it has any problem (the full build reports it)."""
    kind, path = content_kind(src_path), source / src_path
    if kind is None or not inside(path, source) or not path.is_file():  # a link anywhere on the way
        return None
    src, problems = read_source(path, src_path, kind)
    if src is None or problems:
        return None
    document, problems = parse_document(src)
    return None if problems else document

