"""The linked brief: every document keyed by id, with the graph between them.

Like zola's ``Library``: documents by id plus ``target -> sources`` maps. The
model is plain data; ``linker.link`` builds it and the renderer only reads it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from briefgen.config import Config
from briefgen.documents import Actor, Article, Event, IndexPage, Record, Source
from briefgen.history import FileHistory
from briefgen.markdown import BodyResult


@dataclass(frozen=True, slots=True)
class Participation(Record):
    """An actor's part in an event; ``role`` is empty unless the brief gives one."""

    actor: str
    role: str = ""


@dataclass(frozen=True, slots=True)
class Tag(Record):
    slug: str
    name: str
    articles: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Citations(Record):
    """What cites one source: articles newest first, events in timeline order, actors by name."""

    articles: tuple[str, ...] = ()
    events: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Brief:
    """Everything the renderer needs, sorted the way pages show it."""

    config: Config
    articles: dict[str, Article]
    """Newest first, then by id."""
    actors: dict[str, Actor]
    """By name, case-insensitively."""
    events: dict[str, Event]
    """In timeline order (``chronology``): by date, and by ``after:`` and ``before:`` where the dates tie."""
    bodies: dict[str, BodyResult]
    """Rendered bodies keyed by ``"article:<id>"``, ``"actor:<id>"``, ``"event:<id>"``, ``"index"``."""
    index_page: IndexPage | None = None
    article_actors: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Actors of an article: front matter first, then those mentioned in the text."""
    article_events: dict[str, tuple[str, ...]] = field(default_factory=dict)
    related_articles: dict[str, tuple[str, ...]] = field(default_factory=dict)
    event_actors: dict[str, tuple[Participation, ...]] = field(default_factory=dict)
    event_articles: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Articles that discuss an event: its ``sources``, their ``events`` and [[event:...]] links."""
    actor_articles: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Backlinks: articles that name the actor in front matter or text, newest first."""
    actor_events: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """The actor's own timeline: events it took part in or that mention it (the inverse of ``event_named``)."""
    event_named: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """The actors an event concerns: those taking part, then those its text mentions. The one
    definition of "an actor's events": actor pages, the index's counts and the filters all use it."""
    event_summaries: dict[str, str] = field(default_factory=dict)
    """What happened, in a line: the event's ``summary``, or its body's first sentence."""
    actor_mentions: dict[str, int] = field(default_factory=dict)
    """How often each actor is named across articles and events."""
    co_mentions: dict[str, tuple[tuple[str, int], ...]] = field(default_factory=dict)
    """Actors most often named in the same documents, with the number of documents."""
    members: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Actors whose ``affiliation`` is this actor."""
    affiliations: dict[str, str] = field(default_factory=dict)
    """Actor id to the id of the actor it belongs to, where the brief says."""
    event_rank: dict[str, int] = field(default_factory=dict)
    """Position of each event in the timeline."""
    event_after: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Events each event is known to have followed (its ``after:``, others' ``before:``), in timeline order."""
    event_before: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Events each event is known to have preceded."""
    timeline_months: dict[str, tuple[int, int]] = field(default_factory=dict)
    """The (year, month) each event is shown under on the timeline; month 0: "date within the year unknown"."""
    tags: dict[str, Tag] = field(default_factory=dict)
    history: dict[str, FileHistory] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    """Source records, by publication, newest first, then title."""
    article_sources: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Sources an article cites: ``source:``, ``sources:``, then those its text cites."""
    article_cited: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Articles of the brief that an article's ``sources`` name."""
    event_sources: dict[str, tuple[str, ...]] = field(default_factory=dict)
    source_citations: dict[str, Citations] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)
    """Old page addresses (``actors/old-id/``) to the page now there, from ``redirect_from``."""
    """By ``src_path``: when each document's file was first published and last updated, where git knows."""


def body_key(kind: str, doc_id: str) -> str:
    return f"{kind}:{doc_id}"
