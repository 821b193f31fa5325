"""Typed documents from front matter: ``Article``, ``Actor``, ``Event``, ``Source``, ``IndexPage``.

Each key is checked against a small schema so that typos and wrong types are
reported with their line instead of passing silently into templates.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Container
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from briefgen import hashing
from briefgen.dates import EventDate, FuzzyDate
from briefgen.errors import BriefError, did_you_mean, error
from briefgen.frontmatter import split_front_matter
from briefgen.front_matter_fields import Reader as _Reader
from briefgen.front_matter_fields import Record as Record, Ref as Ref  # part of the documents, defined with the readers
from briefgen.front_matter_fields import type_name as _type_name
from briefgen.parallel import collector_paused, run_chunks
from briefgen.sources import SourceFile
from briefgen.urls import MAX_ID_LENGTH, RESERVED_NAMES, TAKEN_ACTOR_IDS, is_valid_id, slugify

PARALLEL_MIN_FILES = 500
"""Below this many files, parsing in one process is faster than starting workers."""
ACTOR_KINDS = ("state", "person", "organization", "military", "media", "other")


@dataclass(frozen=True, slots=True)
class SourceInfo(Record):
    """Where an article first appeared."""

    publication: str = ""
    url: str = ""
    title: str = ""
    published: FuzzyDate | None = None


def cited_record(source: SourceInfo | None, records: Container[str]) -> str:
    """The id of the source record an article's ``source:`` names (``source: jamestown-edm``), or "":
    a plain string that is the id of a record among ``records``; any other stays a publication's name."""
    if source is None or source.url or source.title or source.published is not None:
        return ""
    return source.publication if source.publication in records else ""


@dataclass(frozen=True, slots=True)
class Article(Record):
    id: str
    src_path: str
    title: str
    date: FuzzyDate
    body: str
    body_line: int
    summary: str = ""
    authors: tuple[str, ...] = ()
    source: SourceInfo | None = None
    actors: tuple[Ref, ...] = ()
    events: tuple[Ref, ...] = ()
    tags: tuple[str, ...] = ()
    draft: bool = False
    sources: tuple[Ref, ...] = ()
    """Source records (or articles) the piece cites; URLs are kept apart in ``source_urls``."""
    source_urls: tuple[str, ...] = ()
    redirect_from: tuple[Ref, ...] = ()
    """Old ids whose addresses redirect to this page."""


@dataclass(frozen=True, slots=True)
class Actor(Record):
    id: str
    src_path: str
    name: str
    kind: str
    body: str
    body_line: int
    aliases: tuple[str, ...] = ()
    alias_lines: tuple[int, ...] = ()
    affiliation: Ref | None = None
    role: str = ""
    draft: bool = False
    link: bool = True
    """False: its names are never linked where the text uses them (they are common words)."""
    not_names: tuple[str, ...] = ()
    """Longer phrases that contain one of its names but are not it ("Baku–Tbilisi–Ceyhan")."""
    redirect_from: tuple[Ref, ...] = ()


@dataclass(frozen=True, slots=True)
class Event(Record):
    id: str
    src_path: str
    title: str
    date: EventDate
    """``date`` and ``end`` of the front matter, as one value."""
    body: str
    body_line: int
    place: str = ""
    actors: tuple[Ref, ...] = ()
    sources: tuple[Ref, ...] = ()
    """Article ids or names; URLs are kept apart in ``source_urls``."""
    source_urls: tuple[str, ...] = ()
    draft: bool = False
    after: tuple[Ref, ...] = ()
    """Events this one is known to have followed, where the dates cannot tell."""
    before: tuple[Ref, ...] = ()
    """Events this one is known to have preceded."""
    summary: str = ""
    """What happened, in one line; lists fall back to the body's first sentence (``summaries.py``)."""
    redirect_from: tuple[Ref, ...] = ()


@dataclass(frozen=True, slots=True)
class Source(Record):
    """A cited publication (content/sources/<id>.md): what a claim rests on, apart from the actors."""

    id: str
    src_path: str
    title: str
    publication: str
    body: str
    body_line: int
    authors: tuple[str, ...] = ()
    url: str = ""
    date: FuzzyDate | None = None
    reliability: str = ""
    names: tuple[str, ...] = ()
    """Attribution phrases that mean this source in prose ("Jamestown")."""
    name_lines: tuple[int, ...] = ()
    redirect_from: tuple[Ref, ...] = ()


@dataclass(frozen=True, slots=True)
class IndexPage(Record):
    """The brief's lead text for the front page (content/index.md)."""

    src_path: str
    title: str
    body: str
    body_line: int


Document = Article | Actor | Event | Source | IndexPage


# ---------------------------------------------------------------- documents

ARTICLE_KEYS = ("title", "date", "summary", "authors", "source", "sources", "actors", "events", "tags", "draft",
                "redirect_from")
ACTOR_KEYS = ("name", "kind", "aliases", "affiliation", "role", "draft", "link", "not", "redirect_from")
EVENT_KEYS = ("title", "date", "end", "place", "summary", "actors", "sources", "after", "before", "draft",
              "redirect_from")
REDIRECT_SECTIONS = ("articles", "actors", "events", "sources")
SOURCE_RECORD_KEYS = ("title", "publication", "authors", "url", "date", "reliability", "names", "redirect_from")
INDEX_KEYS = ("title",)
SOURCE_KEYS = ("publication", "url", "title", "published")
EVENT_KEY_HINTS = {
    "circa": "mark an approximate date with '~' after it: date: 2020-08~ reads 'c. August 2020'",
    "approximate": "mark an approximate date with '~' after it: date: 2020-08~ reads 'c. August 2020'",
    "uncertain": "mark an uncertain date with '?' after it: date: 2020-08-25? reads '25 August 2020?'",
}
"""Hints for keys that ask for what a date says in EDTF."""


def _article(doc_id: str, src: SourceFile, r: _Reader) -> Article | None:
    r.unknown_keys(ARTICLE_KEYS)
    title, date = r.text("title", required=True), r.date("date", required=True, day_only=True)
    article = Article(
        id=doc_id, src_path=src.src_path, title=title, date=date or FuzzyDate(1970, 1, 1),
        body=r.fm.body, body_line=r.fm.body_line, summary=r.text("summary"),
        authors=r.strings("authors"), source=_source(r), actors=r.refs("actors"),
        events=r.refs("events"), tags=r.strings("tags"), draft=r.flag("draft"),
        redirect_from=_redirects(r),
    )
    refs = r.refs("sources")
    article = replace(article, sources=tuple(ref for ref in refs if not _is_url(ref.target)),
                      source_urls=tuple(ref.target for ref in refs if _is_url(ref.target)))
    for index, tag in enumerate(article.tags):
        slug = slugify(tag)
        if not slug:
            r.fail(f"tags.{index}", f"tag '{tag}' has no letters or digits to make a page name from")
        elif len(slug) > MAX_ID_LENGTH:
            r.fail(f"tags.{index}", f"tag '{tag[:40]}…' is too long to make a page name from",
                   f"a tag makes at most {MAX_ID_LENGTH} characters of page name; shorten it")
        elif not is_valid_id(slug):
            r.fail(f"tags.{index}", f"tag '{tag}' would make the page tags/{slug}/, a name Windows reserves",
                   "add a word to the tag or choose another")
    return article if date else None


def _source(r: _Reader) -> SourceInfo | None:
    value = r.data.get("source")
    if value is None:
        return None
    if isinstance(value, str):
        return SourceInfo(url=value.strip()) if _is_url(value) else SourceInfo(publication=value.strip())
    if not isinstance(value, dict):
        r.fail("source", f"'source' must be a mapping (publication, url, published), not {_type_name(value)}")
        return None
    sub = r.nested("source")
    sub.unknown_keys(SOURCE_KEYS)
    url = sub.text("url")
    if url and not _is_url(url):
        sub.fail("url", f"'source.url' must be an http(s) URL, not '{url}'")
        url = ""
    return SourceInfo(publication=sub.text("publication"), url=url, title=sub.text("title"),
                      published=sub.date("published"))


def _is_url(text: str) -> bool:
    parts = urlsplit(text.strip())
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _actor(doc_id: str, src: SourceFile, r: _Reader) -> Actor | None:
    r.unknown_keys(ACTOR_KEYS)
    name, kind = r.text("name", required=True), r.text("kind", required=True)
    if kind and kind not in ACTOR_KINDS:
        r.fail("kind", f"unknown kind '{kind}'", did_you_mean(kind, ACTOR_KINDS, "kinds: " + ", ".join(ACTOR_KINDS)))
        kind = ""
    aliases = r.strings("aliases")
    affiliation = r.data.get("affiliation")
    affiliation_ref = None
    if affiliation is not None:
        if isinstance(affiliation, str) and affiliation.strip():
            affiliation_ref = Ref(affiliation.strip(), r.line("affiliation"))
        else:
            r.fail("affiliation", f"'affiliation' must be an actor id, not {_type_name(affiliation)}")
    if not name or not kind:
        return None
    return Actor(
        id=doc_id, src_path=src.src_path, name=name, kind=kind, body=r.fm.body, body_line=r.fm.body_line,
        aliases=aliases, alias_lines=tuple(r.line(f"aliases.{i}") for i in range(len(aliases))),
        affiliation=affiliation_ref, role=r.text("role"), draft=r.flag("draft"),
        link=r.flag("link", default=True), not_names=r.strings("not"), redirect_from=_redirects(r),
    )


def _event(doc_id: str, src: SourceFile, r: _Reader) -> Event | None:
    r.unknown_keys(EVENT_KEYS, EVENT_KEY_HINTS)
    title, date = r.text("title", required=True), r.event_date()
    refs = r.refs("sources")
    urls = tuple(ref.target for ref in refs if _is_url(ref.target))
    after, before = r.refs("after"), r.refs("before")
    summary = r.text("summary")
    if "\n" in summary:
        r.fail("summary", "an event's 'summary' is one line", "say what happened in one sentence; "
               "the body is the place for more")
        summary = ""
    if not date:
        return None
    return Event(
        id=doc_id, src_path=src.src_path, title=title, date=date, body=r.fm.body,
        body_line=r.fm.body_line, place=r.text("place"), actors=r.refs("actors", allow_roles=True),
        sources=tuple(ref for ref in refs if not _is_url(ref.target)), source_urls=urls, draft=r.flag("draft"),
        after=after, before=before, summary=summary, redirect_from=_redirects(r),
    )


def _source_record(doc_id: str, src: SourceFile, r: _Reader) -> Source | None:
    r.unknown_keys(SOURCE_RECORD_KEYS)
    title, publication = r.text("title", required=True), r.text("publication", required=True)
    url = r.text("url")
    if url and not _is_url(url):
        r.fail("url", f"'url' must be an http(s) URL, not '{url}'")
        url = ""
    when = r.date("date")
    names = r.strings("names")
    if not title or not publication:
        return None
    return Source(
        id=doc_id, src_path=src.src_path, title=title, publication=publication, body=r.fm.body,
        body_line=r.fm.body_line, authors=r.strings("authors"), url=url, date=when,
        reliability=r.text("reliability"), names=names,
        name_lines=tuple(r.line(f"names.{i}") for i in range(len(names))), redirect_from=_redirects(r),
    )


def _redirects(r: _Reader) -> tuple[Ref, ...]:
    """``redirect_from``: old ids, which must be ids since they name folders of the site; an id
    of another section is written with its folder ("actors/jamestown", for an actor that became a source)."""
    refs = []
    for ref in r.refs("redirect_from"):
        section, _, old_id = ref.target.rpartition("/")
        if is_valid_id(old_id) and section in ("", *REDIRECT_SECTIONS):
            refs.append(ref)
        else:
            r.problems.append(error(r.src_path, ref.line, f"'redirect_from' item '{ref.target}' is not a valid id",
                                    "write the old file name without '.md', after its folder if the page was in "
                                    "another section ('actors/old-id')"))
    return tuple(refs)


def _index(src: SourceFile, r: _Reader) -> IndexPage:
    r.unknown_keys(INDEX_KEYS)
    return IndexPage(src_path=src.src_path, title=r.text("title"), body=r.fm.body, body_line=r.fm.body_line)


_PARSERS: dict[str, Callable[[str, SourceFile, _Reader], Document | None]] = {
    "article": _article, "actor": _actor, "event": _event, "source": _source_record,
}


def parse_document(src: SourceFile) -> tuple[Document | None, list[BriefError]]:
    """Turn one source file into a typed document, or ``None`` and the reasons."""
    fm, problems = split_front_matter(src.text, src.src_path)
    if problems:
        return None, problems
    reader = _Reader(src.src_path, fm)
    if src.kind == "index":
        return _index(src, reader), reader.problems
    stem = _stem(src)
    if not is_valid_id(stem):
        suggestion = slugify(stem)[:MAX_ID_LENGTH].rstrip("-") or "a-name-like-this"
        rule = "ids are lowercase ascii letters, digits and '-'"
        if len(stem) > MAX_ID_LENGTH:
            rule += f", at most {MAX_ID_LENGTH} of them"
        if suggestion in RESERVED_NAMES:
            rule, suggestion = f"'{suggestion}' names a device on Windows", f"{suggestion}-1"
        reader.problems.append(error(
            src.src_path, 0, f"file name '{stem}.md' is not a valid id", f"{rule}; rename it to '{suggestion}.md'",
        ))
        return None, reader.problems
    if src.kind == "actor" and stem in TAKEN_ACTOR_IDS:
        reader.problems.append(error(src.src_path, 0, f"actor id '{stem}' is taken by the page actors/{stem}/",
                                     f"rename the file, for example to '{stem}-1.md' or to the actor's full name"))
        return None, reader.problems
    if not isinstance(fm.data, dict):
        return None, reader.problems
    document = _PARSERS[src.kind](stem, src, reader)
    return document, reader.problems


def _stem(src: SourceFile) -> str:
    return src.src_path.rsplit("/", 1)[-1].removesuffix(".md")


Parsed = tuple[bytes | None, int, list[BriefError], str]
"""A document pickled without its body, the body's length, the problems, and the file's ``source_digest``."""


def _parse_worker(files: list[SourceFile]) -> Callable[[int, int], list[Parsed]]:
    """Parse files; the bodies stay behind, since the parent has the texts they are cut
    from (``_with_body``), and bodies are most of what would be pickled back. Each document
    is pickled here, in parallel, once: the parent keeps those bytes for the document cache."""
    def parse(start: int, stop: int) -> list[Parsed]:
        parsed: list[Parsed] = []
        for src in files[start:stop]:
            document, found = parse_document(src)
            length = len(document.body) if document is not None else 0
            if document is not None and length:
                document = replace(document, body="")
            record = pickle.dumps(document, protocol=pickle.HIGHEST_PROTOCOL) if document is not None else None
            parsed.append((record, length, found, source_digest(src)))
        return parsed
    return parse


def parse_documents(
    files: list[SourceFile], drafts: bool = False, jobs: int = 1
) -> tuple[list[Document], list[BriefError]]:
    """Parse every file (in ``jobs`` processes); drafts are dropped unless asked for."""
    documents, problems, _, _ = parse_documents_cached(files, drafts, jobs)
    return documents, problems


def parse_documents_cached(
    files: list[SourceFile], drafts: bool = False, jobs: int = 1, cache: DocumentCache | None = None,
) -> tuple[list[Document], list[BriefError], DocumentCache, list[Document]]:
    """``parse_documents``, taking the documents of files whose text is unchanged from ``cache``.

    Also returns the cache for the next build (every document kept that parsed without a
    problem) and the drafts left out, which references to them must not link to.
    """
    problems: list[BriefError] = []
    owners: dict[str, str] = {}  # casefolded path -> the file that keeps the id: a valid one if any
    for src in sorted(files, key=lambda f: (not is_valid_id(_stem(f)), f.src_path)):
        owners.setdefault(src.src_path.casefold(), src.src_path)
    kept = []
    for src in files:
        owner = owners[src.src_path.casefold()]
        if owner != src.src_path:
            problems.append(error(src.src_path, 0, f"id '{_stem(src)}' differs only in case from {owner}",
                                  "ids must be unique whatever the case; merge the two files or rename one"))
        else:
            kept.append(src)
    known = cache.documents if cache else {}
    digests = [source_digest(src) for src in kept] if known else ["" for _ in kept]  # else made by the workers
    todo = [src for src, digest in zip(kept, digests) if digest not in known]
    parsed = iter(run_chunks(_parse_worker, (todo,), len(todo), jobs, min_parallel=PARALLEL_MIN_FILES))
    documents: list[Document] = []
    left_out: list[Document] = []
    entries: dict[str, tuple[Document, int]] = {}
    records: dict[str, bytes] = {}
    with collector_paused():
        for src, digest in zip(kept, digests):
            found: list[BriefError] = []
            bare: Document | None
            record: bytes | None
            if digest in known:
                bare, length = known[digest]
                record = cache.records.get(digest) if cache else None
            else:
                record, length, found, digest = next(parsed)
                bare = pickle.loads(record) if record is not None else None
            problems.extend(found)
            if bare is None:
                continue
            if not drafts and isinstance(bare, (Article, Actor, Event)) and bare.draft:
                left_out.append(bare)  # without its body; it stays out of the cache too
                continue
            if not found:
                entries[digest] = (bare, length)
                if record is not None:
                    records[digest] = record
            documents.append(_with_body(bare, length, src.text))
    return documents, problems, DocumentCache(entries, records), left_out


def _with_body(cached: Document, body_length: int, text: str) -> Document:
    """A cached document (stored without its body) with the body cut from its file's text again.

    The body is the end of the text (front matter split on lines, nothing changed),
    and the digest vouches that the text is the one the document was parsed from.
    Made field by field, which is much cheaper than ``dataclasses.replace`` for each document.
    """
    if not body_length:
        return cached
    values = [getattr(cached, name) for name in cached.__slots__]
    values[_BODY_FIELD[type(cached)]] = text[len(text) - body_length:]
    return type(cached)(*values)


_BODY_FIELD = {cls: cls.__slots__.index("body") for cls in (Article, Actor, Event, Source, IndexPage)}


def source_digest(src: SourceFile) -> str:
    """What a document depends on: its file's path, section and text."""
    data = "\0".join([src.kind, src.src_path, src.text]).encode("utf-8")
    return hashing.digest(data)


@dataclass(frozen=True, slots=True)
class DocumentCache:
    """The previous build's documents by ``source_digest``: unchanged files are not parsed again.

    Each entry is a document, without its body, and the length of the body.
    The build reads every file anyway, and the cache stays a few MB instead of
    a copy of the brief (``cache`` stores it).
    """

    documents: dict[str, tuple[Document, int]]
    records: dict[str, bytes] = field(default_factory=dict)
    """Some of the documents, pickled (without their bodies) by the process that parsed
    them, by digest: saved as they are instead of pickled again."""
