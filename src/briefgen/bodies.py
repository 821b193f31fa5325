"""The Markdown stage: every body rendered once, in parallel, or taken from the cache.

A cached body keeps only what linking needs (mentions, links, the digest of
its HTML). Its HTML is rendered again only if a page that shows it must be
rendered again, so an incremental build touches only what changed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

from briefgen import hashing
from briefgen.documents import Actor, Document, IndexPage, Source
from briefgen.markdown import SOURCE_MENTION, BodyRenderer, BodyResult, LinkIndex
from briefgen.model import body_key
from briefgen.parallel import run_chunks


PARALLEL_MIN_BODIES = 100
"""Below this many bodies, starting workers costs more than it saves."""


class BodyJob(NamedTuple):
    """One body to render, with everything its HTML depends on besides the index."""

    key: str
    """``"article:<id>"``, ``"actor:<id>"``, ``"event:<id>"`` or ``"index"``."""
    body: str
    src_path: str
    body_line: int
    root: str
    self_id: str
    id_prefix: str = ""

    def render(self, renderer: BodyRenderer) -> BodyResult:
        result = renderer.render(self.body, self.src_path, self.body_line, self.root, self.self_id, self.id_prefix)
        # The front page's lead is shown whole on the front page alone: its first sentence is nowhere else.
        return replace(result, lead="") if self.key == "index" else result

    def input_digest(self, autolink: str) -> str:
        # NUL cannot occur in content (the reader refuses it), so it separates fields safely.
        data = "\0".join([autolink, *map(str, self)])
        return hashing.text_digest(data)


def body_jobs(documents: Sequence[Document]) -> list[BodyJob]:
    jobs = []
    for doc in documents:
        if isinstance(doc, IndexPage):
            jobs.append(BodyJob("index", doc.body, doc.src_path, doc.body_line, "", ""))
        else:
            self_id = doc.id if isinstance(doc, Actor) else SOURCE_MENTION + doc.id if isinstance(doc, Source) else ""
            jobs.append(BodyJob(document_body_key(doc), doc.body, doc.src_path, doc.body_line, "../../", self_id))
    return jobs


PRINT = "print"
"""The variant of a body in the print edition (``print/index.html``)."""


def variant_job(job: BodyJob, variant: str) -> BodyJob:
    """The job of a body shown on another page than its own: in the print edition, one folder
    deep, beside every other article, so its ids begin with its own id to stay unique."""
    if variant != PRINT:
        raise ValueError(f"no body variant {variant!r}")
    return job._replace(root="../", id_prefix=(job.key.partition(":")[2] or job.key) + "-")


def document_body_key(doc: Document) -> str:
    """The key of a document's body (``BodyJob.key``)."""
    return "index" if isinstance(doc, IndexPage) else body_key(type(doc).__name__.lower(), doc.id)


@dataclass(frozen=True, slots=True)
class BodyCache:
    """What the previous build learned about its bodies."""

    index: dict[str, Any]
    """``index_fingerprint`` of the previous build."""
    entries: dict[str, dict[str, Any]]
    """Body key -> {input, html_digest, mentions, links, words, lead}."""


def index_fingerprint(index: LinkIndex, autolink: str) -> dict[str, Any]:
    """Everything about the link targets that a body's HTML can depend on."""
    return {
        "autolink": autolink,
        "names": index.actor_names,
        "mentions": index.mention_names(),
        "actors": {k: [a.name, a.kind, a.role] for k, a in index.actors.items()},
        "events": index.events, "articles": index.articles, "sources": index.sources,
    }


def stale_bodies(old: dict[str, Any], new: dict[str, Any], jobs: Sequence[BodyJob],
                 cache: BodyCache) -> set[str]:
    """Bodies whose HTML may differ under the new index: exactly the ones to render again.

    A body can change only where its text contains a name, id or title that
    changed (mentions and [[...]] resolve through them), or where it links
    to an actor, event or article whose display data changed.
    """
    if old.get("autolink") != new.get("autolink"):
        return {job.key for job in jobs}
    terms: set[str] = set()
    for names in ("names", "mentions"):
        old_names, new_names = old.get(names, {}), new[names]
        terms.update(n for n in old_names.keys() | new_names.keys() if old_names.get(n) != new_names.get(n))
    changed_targets: set[tuple[str, str]] = set()
    for section, kind in (("actors", "actor"), ("events", "event"), ("articles", "article"), ("sources", "source")):
        before, after = old.get(section, {}), new[section]
        for target in before.keys() | after.keys():
            if before.get(target) != after.get(target):
                changed_targets.add((kind, target))
                terms.add(target)
                for value in (before.get(target), after.get(target)):
                    if isinstance(value, str):
                        terms.add(value)
                    elif isinstance(value, list):
                        terms.add(value[0])
    if not terms and not changed_targets:
        return set()
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.IGNORECASE)
    stale = set()
    for job in jobs:
        entry = cache.entries.get(job.key)
        if entry is None:
            continue
        linked = {("actor", a) for a, _ in entry["mentions"]} | {tuple(link) for link in entry["links"]}
        if linked & changed_targets or (terms and pattern.search(job.body)):
            stale.add(job.key)
    return stale


def links_digest(key: str, result: BodyResult) -> str:
    """What linking takes from a body (its mentions and links, and an event's lead, which lists
    show), in a few bytes: the saved model keeps only this, since a quick rebuild needs to know
    only that they did not change. The leads of other bodies are on the preview cards alone,
    which the quick rebuild makes again (``quick.py``)."""
    lead = result.lead if key.startswith("event:") else ""
    return hashing.digest(repr((result.mentions, result.links, lead)).encode("utf-8"))


def _worker(jobs: Sequence[BodyJob], index: LinkIndex,
            autolink: str) -> Callable[[int, int], list[tuple[BodyResult, bytes, str]]]:
    renderer = BodyRenderer(index, autolink)

    def render(start: int, stop: int) -> list[tuple[BodyResult, bytes, str]]:
        rendered = []
        for job in jobs[start:stop]:
            result = job.render(renderer)
            rendered.append((replace(result, html=None), (result.html or "").encode("utf-8"),
                             job.input_digest(autolink)))
        return rendered
    return render


def render_bodies(
    work: Sequence[BodyJob], index: LinkIndex, autolink: str = "first",
    cache: BodyCache | None = None, jobs: int = 1,
) -> tuple[dict[str, BodyResult], BodyCache, dict[str, bytes]]:
    """Render every body that the cache cannot vouch for.

    Returns what linking needs of every body, the new cache, and the HTML of
    the bodies rendered now, kept apart as UTF-8: typographic quotes make
    nearly every body's str take two bytes a character, and a large brief's
    HTML is the biggest thing a build holds.
    """
    fingerprint = index_fingerprint(index, autolink)
    cache = cache or BodyCache(index={}, entries={})
    stale = stale_bodies(cache.index, fingerprint, work, cache) if cache.entries else set()
    results: dict[str, BodyResult] = {}
    entries: dict[str, dict[str, Any]] = {}
    todo: list[BodyJob] = []
    for job in work:
        entry = cache.entries.get(job.key)
        if entry is not None and job.key not in stale and entry["input"] == job.input_digest(autolink):
            results[job.key] = BodyResult(
                html=None, html_digest=entry["html_digest"],
                mentions=tuple((a, int(n)) for a, n in entry["mentions"]),
                links=tuple((k, t) for k, t in entry["links"]), words=entry["words"], lead=entry["lead"])
            entries[job.key] = entry
        else:
            todo.append(job)
    html: dict[str, bytes] = {}
    rendered = run_chunks(_worker, (todo, index, autolink), len(todo), jobs, min_parallel=PARALLEL_MIN_BODIES)
    for job, (result, utf8, digest) in zip(todo, rendered):
        results[job.key] = result
        html[job.key] = utf8
        if not result.problems:  # a body with problems is rendered again next time, to report them
            entries[job.key] = {"input": digest, "html_digest": result.html_digest,
                                "mentions": result.mentions, "links": result.links,
                                "words": result.words, "lead": result.lead}
    return {job.key: results[job.key] for job in work}, BodyCache(index=fingerprint, entries=entries), html
