"""The build cache: everything in ``build/.briefgen/``, in one format, behind one version key.

A build leaves six parts for the next one:

- ``inputs``: the stamp of every input file and the summary, so a build with
  nothing changed stops at once;
- ``history``: a digest of the page history git gave the last full build,
  so that a new commit that changes no page's dates is a build with nothing
  to do as well, and the files whose history quick rebuilds changed since;
- ``documents``: each file's parsed front matter, by the digest of its text;
- ``bodies``: what each rendered body links to, and the link targets it was rendered against;
- ``model``: the linked brief, for the quick rebuild after a text edit;
- ``pages``: per output file, its context hash, the digest of its bytes and the bodies it shows;
- ``search``: a digest of the pages the search index in the output was made from.

Every part is this module's header (a magic line and the version key) and a
pickle, read with an unpickler that admits only briefgen's data classes. The
version key is a digest of briefgen's own code and built-in templates, the
Python version and the libraries that shape the output, so a part written by
any other briefgen reads as empty and no change of briefgen can serve stale
pages. This module encodes and decodes; ``write`` puts the encoded parts into
the staging folder beside the pages they describe, so both are swapped in at once.
"""

from __future__ import annotations

import importlib.util
import io
import os
import pickle
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from briefgen import __version__, hashing
from briefgen.errors import BriefError, warning

if TYPE_CHECKING:
    from briefgen.bodies import BodyCache
    from briefgen.documents import DocumentCache
    from briefgen.history import FileHistory
    from briefgen.markdown import LinkIndex
    from briefgen.model import Brief

STATE_DIR = ".briefgen"
PACKAGE_DIR = Path(__file__).resolve().parent
"""briefgen's own code, part of the version key."""
LIBRARIES = ("markdown_it", "mdit_py_plugins", "jinja2", "markupsafe", "yaml", "slugify", "text_unidecode",
             "icalendar", "pagefind", "pagefind_bin")
"""Packages whose behaviour reaches the output: an upgrade of one changes the version key."""
_MAGIC = b"briefgen-cache 1\n"


def version_key(theme: Path) -> str:
    """A digest of everything besides the brief that a built page depends on.

    briefgen's own source files and built-in ``theme`` by content; the
    libraries by the size and time of their installed files, which an
    upgrade rewrites (reading their versions from package metadata costs
    more than a build with nothing to do).
    """
    parts = [__version__.encode(), sys.version.encode()]
    for folder, pattern in ((PACKAGE_DIR, "*.py"), (theme, "*")):
        for path in sorted(folder.rglob(pattern)):
            if path.is_file():
                parts += [path.relative_to(folder).as_posix().encode(), path.read_bytes()]
    for name in LIBRARIES:
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec is not None else None
        info = os.stat(origin) if origin else None
        parts.append(f"{name} {origin} {info.st_size if info else 0} {info.st_mtime_ns if info else 0}".encode())
    return hashing.digest(b"\0".join(parts))


def _encode(key: str, part: str, payload: object) -> dict[str, bytes]:
    """One part as the file it is in the output folder."""
    data = _MAGIC + key.encode() + b"\n" + pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
    return {f"{STATE_DIR}/{part}": data}


_ALLOWED = frozenset({("briefgen.documents", name) for name in (
    "Article", "Actor", "Event", "Source", "IndexPage", "SourceInfo")} | {("briefgen.front_matter_fields", "Ref")} | {
    ("briefgen.dates", "FuzzyDate"), ("briefgen.dates", "EventDate"),
    ("briefgen.model", "Participation"), ("briefgen.model", "Tag"), ("briefgen.model", "Citations"),
    ("briefgen.markdown", "LinkIndex"), ("briefgen.markdown", "ActorTarget"), ("builtins", "frozenset"),
    ("briefgen.history", "FileHistory"), ("briefgen.history", "Change"), ("briefgen.history", "Moment")})


class _Unpickler(pickle.Unpickler):
    """Loads briefgen's data and nothing else: no other class or function can be named in a part."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not part of briefgen's cache")
        return super().find_class(module, name)


def _load(data: bytes) -> Any:
    """Unpickle with the collector paused: parts hold 100,000s of objects and no cycles."""
    from briefgen.parallel import collector_paused

    with collector_paused():
        return _unpickle(data)


def _unpickle(data: bytes) -> Any:
    return _Unpickler(io.BytesIO(data)).load()


class PageRecord(NamedTuple):
    """What the cache knows of one output file."""

    context_hash: str
    """Digest of everything the file's bytes depend on (``render.context_hash``); empty for copied files."""
    digest: str
    """Digest of the bytes: an unchanged file is hard-linked from the previous build."""
    shows: tuple[str, ...] = ()
    """Keys of the bodies the page shows, as the page plan made it: what a text edit must render again."""
    position: int = -1
    """The page's place in the page plan; -1 for files that are not pages (assets, static files)."""


@dataclass(frozen=True)
class SavedModel:
    """The previous full build's brief (documents without bodies) and link index, for the quick path."""

    brief: Brief
    """Its bodies have only their ``html_digest``, ``words`` and ``lead``."""
    index: LinkIndex
    links: dict[str, str]
    """Body key -> ``bodies.links_digest`` of the body."""


class SavedHistory(NamedTuple):
    digest: str
    """``history_digest`` of the history the last full build read."""
    restamped: tuple[str, ...] = ()
    """Files whose history quick rebuilds since have changed (``history.restamp``), as ``src_path``."""


class SavedInputs(NamedTuple):
    """The input stamp, summary and warnings of the last build that succeeded: a build with
    nothing to do reports the same warnings again, without reading the brief to find them."""

    stamp: dict[str, object]
    summary: dict[str, int]
    warnings: tuple[BriefError, ...] = ()


class Cache:
    """The previous build's cache in ``output``, read part by part as the build needs it.

    ``key`` is this briefgen's ``version_key``: parts written under another read
    as empty. With ``readable=False`` (``--no-cache``) every part reads as empty.
    """

    def __init__(self, output: Path, key: str, readable: bool = True) -> None:
        self.output = output
        self.key = key
        self.readable = readable

    def _payload(self, part: str) -> Any:
        """The part's payload; None if it is missing, damaged or written by another briefgen."""
        if not self.readable:
            return None
        try:
            data = (self.output / STATE_DIR / part).read_bytes()
        except OSError:
            return None
        header = _MAGIC + self.key.encode() + b"\n"
        if not data.startswith(header):
            return None
        try:
            return _load(data[len(header):])
        except Exception:  # noqa: BLE001 - whatever is wrong with the file, build without it
            return None

    def inputs(self) -> SavedInputs | None:
        payload = self._payload("inputs")
        if (isinstance(payload, tuple) and len(payload) == 3 and all(isinstance(p, dict) for p in payload[:2])
                and isinstance(payload[2], tuple)):
            stamp, summary, warnings = payload
            return SavedInputs(stamp, summary, tuple(warning(*w) for w in warnings))
        return None

    def history(self) -> SavedHistory | None:
        payload = self._payload("history")
        if isinstance(payload, tuple) and len(payload) == 2 and isinstance(payload[0], str):
            return SavedHistory(payload[0], tuple(payload[1]))
        return None

    def leads(self) -> dict[str, str]:
        """First sentences that quick rebuilds changed since the last full build, by body key:
        the saved model has the older ones, and the preview cards must show the newest."""
        payload = self._payload("leads")
        if isinstance(payload, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in payload.items()):
            return payload
        return {}

    def search(self) -> str | None:
        payload = self._payload("search")
        return payload if isinstance(payload, str) else None

    def pages(self) -> dict[str, PageRecord]:
        payload = self._payload("pages")
        if not isinstance(payload, dict):
            return {}
        return {dest: PageRecord(*record) for dest, record in payload.items()}

    def bodies(self) -> BodyCache | None:
        from briefgen.bodies import BodyCache

        payload = self._payload("bodies")
        if isinstance(payload, tuple) and len(payload) == 2 and all(isinstance(p, dict) for p in payload):
            return BodyCache(index=payload[0], entries=payload[1])
        return None

    def documents(self) -> DocumentCache:
        from briefgen.documents import Actor, Article, DocumentCache, Event, IndexPage, Source
        from briefgen.parallel import collector_paused

        payload = self._payload("documents")
        documents: dict[str, tuple[Any, int]] = {}
        records: dict[str, bytes] = {}
        try:
            entries, blob = payload
            start = 0
            with collector_paused():  # once for all the records: pausing it costs more than a small record
                for digest, length, size in entries:
                    record = blob[start:start + size]
                    document = _unpickle(record)
                    if not (isinstance(document, (Article, Actor, Event, Source, IndexPage))
                            and isinstance(digest, str) and isinstance(length, int) and length >= 0
                            and len(record) == size):
                        return DocumentCache({})
                    documents[digest] = (document, length)
                    records[digest] = record
                    start += size
        except Exception:  # noqa: BLE001 - a missing or damaged part: parse everything afresh
            return DocumentCache({})
        return DocumentCache(documents, records)

    def model(self, documents: DocumentCache) -> SavedModel | None:
        """The saved brief, its documents taken from ``documents``; None if any is missing."""
        from briefgen.config import Config
        from briefgen.documents import Actor, Article, Event, IndexPage, Source
        from briefgen.markdown import BodyResult, LinkIndex
        from briefgen.model import Brief

        try:
            config, named, bodies, rest, index = self._payload("model")
            if not isinstance(index, LinkIndex):
                return None
            docs = documents.documents

            def typed(digest: str, cls: type[Any]) -> Any:
                document = docs[digest][0]
                if not isinstance(document, cls):
                    raise TypeError(digest)
                return document

            brief = Brief(
                config=Config(**config),
                articles={key: typed(digest, Article) for key, digest in named["articles"].items()},
                actors={key: typed(digest, Actor) for key, digest in named["actors"].items()},
                events={key: typed(digest, Event) for key, digest in named["events"].items()},
                sources={key: typed(digest, Source) for key, digest in named["sources"].items()},
                index_page=typed(named["index_page"], IndexPage) if named["index_page"] is not None else None,
                bodies={key: BodyResult(None, digest, words=words, lead=lead)
                        for key, (digest, _, words, lead) in bodies.items()},
                **rest)
        except Exception:  # noqa: BLE001 - missing, damaged, or naming a document the cache lacks
            return None
        return SavedModel(brief, index, {key: links for key, (_, links, _, _) in bodies.items()})


def encode_inputs(key: str, stamp: Mapping[str, object], summary: Mapping[str, int],
                  warnings: Sequence[BriefError] = ()) -> dict[str, bytes]:
    kept = tuple((w.path, w.line, w.message, w.hint) for w in warnings)  # plain values: the unpickler takes no classes
    return _encode(key, "inputs", (dict(stamp), dict(summary), kept))


def encode_history(key: str, saved: SavedHistory) -> dict[str, bytes]:
    return _encode(key, "history", (saved.digest, saved.restamped))


def history_digest(history: Mapping[str, FileHistory]) -> str:
    return hashing.digest(pickle.dumps(sorted(history.items()), protocol=pickle.HIGHEST_PROTOCOL))


def encode_leads(key: str, leads: Mapping[str, str]) -> dict[str, bytes]:
    return _encode(key, "leads", dict(sorted(leads.items())))


def encode_search(key: str, made_from: str) -> dict[str, bytes]:
    return _encode(key, "search", made_from)


def encode_pages(key: str, pages: Mapping[str, PageRecord]) -> dict[str, bytes]:
    return _encode(key, "pages", {dest: tuple(record) for dest, record in sorted(pages.items())})


def encode_build(key: str, documents: DocumentCache, bodies: BodyCache, brief: Brief | None,
                 index: LinkIndex) -> dict[str, bytes]:
    """The parts a full build leaves besides its inputs and pages; no model if ``brief`` is None."""
    entries, records = [], []
    for digest, (document, length) in documents.documents.items():
        record = documents.records.get(digest)
        if record is None:  # the documents are kept without their bodies
            record = pickle.dumps(document, protocol=pickle.HIGHEST_PROTOCOL)
        entries.append((digest, length, len(record)))
        records.append(record)
    parts = {**_encode(key, "documents", (entries, b"".join(records))),
             **_encode(key, "bodies", (bodies.index, bodies.entries))}
    model = _model_payload(brief, index, documents) if brief is not None else None
    if model is not None:
        parts.update(_encode(key, "model", model))
    return parts


def _model_payload(brief: Brief, index: LinkIndex, documents: DocumentCache) -> tuple[Any, ...] | None:
    """The brief with each document named by its digest in the documents part, so it is stored
    once; None if one is not there (a build with problems: the next one cannot be quick anyway)."""
    from briefgen.bodies import links_digest

    digest_of = {doc.src_path: digest for digest, (doc, _) in documents.documents.items()}
    kinds = ("articles", "actors", "events", "sources")
    try:
        named: dict[str, Any] = {name: {key: digest_of[doc.src_path] for key, doc in getattr(brief, name).items()}
                                 for name in kinds}
        named["index_page"] = digest_of[brief.index_page.src_path] if brief.index_page is not None else None
    except KeyError:
        return None
    skip = {*kinds, "index_page", "bodies", "config"}
    rest = {f.name: getattr(brief, f.name) for f in fields(brief) if f.name not in skip}
    bodies = {key: (result.html_digest, links_digest(key, result), result.words, result.lead)
              for key, result in brief.bodies.items()}
    config = {f.name: getattr(brief.config, f.name) for f in fields(brief.config)}
    return config, named, bodies, rest, index
