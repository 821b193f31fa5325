"""The quick rebuild: when only the text of existing documents changed, and none
of their links with it, render just the pages that show those texts.

The linked brief depends on a body only through the actors it mentions and
the documents it links to. If an edited file's front matter is as before and
its body names and links the same things, every page of the site is as before
except the pages that show that body. A full build spends seconds re-reading,
re-linking and re-planning 10,000s of pages to find that out; this module
finds it from the brief the previous full build saved and the bodies each page
showed (both in the build cache), and gives up, returning None, on anything
else, so that the full build runs. What it renders is what a full build would:
the same page plan, the same renderer, the same templates (tests compare the two).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping, Set
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from pathlib import Path

from markupsafe import Markup

from briefgen import hashing
from briefgen.bodies import body_jobs, document_body_key, links_digest, variant_job
from briefgen.cache import PageRecord, SavedModel
from briefgen.documents import Document, parse_document
from briefgen.editions import PREVIEWS
from briefgen.errors import BriefError
from briefgen.history import FileHistory
from briefgen.markdown import BodyRenderer, BodyResult
from briefgen.model import Brief
from briefgen.pages import DATA_FILE, BodyRef, PagePlan, data_text, site_context
from briefgen.render import context_hash, fill_bodies, make_environment, render_page, theme_digest
from briefgen.sources import content_kind, inside, read_source


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
    """What the quick rebuild rendered: the pages, and what the cache is to know of them."""

    files: dict[str, bytes]
    records: dict[str, PageRecord]
    leads: dict[str, str]
    """The first sentences changed since the last full build (``Cache.leads``)."""


SITEMAP = "sitemap.xml"
"""The one page besides a document's own (and the feed, which shows bodies) that shows its history."""


def quick_rebuild(source: Path, changed: list[str], model: SavedModel, pages: Mapping[str, PageRecord],
                  dirs: list[Path], stage: Callable[[str], AbstractContextManager[None]],
                  history: Mapping[str, FileHistory] | None = None,
                  fresh: Set[str] = frozenset(), leads: Mapping[str, str] | None = None) -> QuickPages | None:
    """Render the pages that show the bodies of the ``changed`` files, or None if a full build is needed.

    ``pages`` is what the previous build recorded of each page; ``stage(name)``
    times each step as the build's stage of that name. ``history`` holds the
    files whose history differs from the saved brief's (``history.restamp``);
    of those, the pages that show the ``fresh`` ones (changed since the last
    quick rebuild) are rendered too, and the sitemap. A page whose data is
    what the cache recorded is left as it is.
    """
    brief = model.brief
    saved_leads = {key: result.lead for key, result in brief.bodies.items()}
    if history:
        brief = replace(brief, history={**brief.history, **history})
    if leads:  # earlier quick rebuilds changed them: the preview cards show these
        brief = replace(brief, bodies={**brief.bodies, **{key: replace(brief.bodies[key], lead=lead)
                                                          for key, lead in leads.items() if key in brief.bodies}})
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
    restamped = {by_path[path] for path in fresh if path in by_path}
    showing = sorted(dest for dest, record in pages.items()
                     if not edited.keys().isdisjoint(record.shows) or not restamped.isdisjoint(record.shows)
                     or (fresh and dest == SITEMAP))
    with stage("markdown"):
        renderer = BodyRenderer(model.index, brief.config.autolink)
        results: dict[str, BodyResult] = {}
        for key, document in edited.items():
            result = _render_body(renderer, document)
            if result is None or model.links.get(key) != links_digest(key, result):
                return None
            results[key] = result
        # The cards show first sentences, and of the bodies nothing else: made again only if one changed.
        if PREVIEWS in pages and any(key not in brief.bodies or results[key].lead != brief.bodies[key].lead
                                     for key in edited):
            showing.append(PREVIEWS)
        # Other bodies on the same pages (the feed shows fifty) are rendered again from
        # their files: an earlier quick rebuild may have changed them since the saved model.
        shown = {key for dest in showing for key in pages[dest].shows}
        read = dict(edited)
        for key in sorted(shown - results.keys()):
            document = _read_document(source, by_key[key].src_path) if key in by_key else None
            other = _render_body(renderer, document) if document is not None else None
            if document is None or other is None:
                return None
            results[key] = other
            read[key] = document
    with stage("render"):
        brief = replace(brief, bodies={**brief.bodies, **{k: replace(r, html=None) for k, r in results.items()}})
        plan = PagePlan(brief)
        env = make_environment(dirs)
        site, theme = site_context(brief), theme_digest(dirs)
        html = {key: Markup(result.html or "") for key, result in results.items()}

        def body(ref: BodyRef) -> Markup:
            if not ref.variant:
                return html[ref.key]
            key = f"{ref.variant}:{ref.key}"  # the print edition's, rendered for it
            if key not in html:
                html[key] = Markup(variant_job(body_jobs([read[ref.key]])[0], ref.variant).render(renderer).html or "")
            return html[key]
        files, records = {}, {}
        for dest in showing:
            record = pages[dest]
            spec = plan[record.position] if 0 <= record.position < len(plan) else None
            if spec is None or spec.dest_path != dest:
                return None
            digest = context_hash(theme, site, spec, plan.item_digests)
            if digest == record.context_hash:
                continue
            if spec.template == DATA_FILE:  # the preview cards' data
                content = data_text(spec.context, site).encode("utf-8")
            else:
                page = render_page(env, replace(spec, context=fill_bodies(spec.context, body)), site, dirs)
                if isinstance(page, BriefError):
                    return None  # the full build reports it
                content = page.content
            files[dest] = content
            records[dest] = record._replace(context_hash=digest, digest=hashing.digest(content))
    new_leads = dict(leads or {})
    for key, result in results.items():  # read from the files just now: as they are
        if result.lead != saved_leads.get(key):
            new_leads[key] = result.lead
        else:
            new_leads.pop(key, None)
    return QuickPages(files, records, new_leads)


def _render_body(renderer: BodyRenderer, document: Document) -> BodyResult | None:
    result = body_jobs([document])[0].render(renderer)
    return None if result.problems else result


def _documents(brief: Brief) -> Iterator[Document]:
    yield from brief.articles.values()
    yield from brief.actors.values()
    yield from brief.events.values()
    yield from brief.sources.values()
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

