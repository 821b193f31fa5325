"""The corpus's world: actors with unique names and aliases, events, article front matter.

Everything is drawn from one ``random.Random``, in a fixed order, so a seed always
gives the same world.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from random import Random

from corpus_files import Actor, ArticleHead, Event
from corpus_words import (
    ADJECTIVES,
    ALIAS_SAFE_WORDS,
    CODA_CUM,
    CODA_ITEMS,
    CONTENT_WORDS,
    DOMAINS,
    EVENT_NOUNS,
    FALLBACK_ALIAS_WORDS,
    FIRST_NAMES,
    KINDS,
    MEDIA_NOUNS,
    MILITARY_NOUNS,
    ONSET_CUM,
    ONSET_ITEMS,
    ORG_NOUNS,
    OTHER_NOUNS,
    PERSON_TITLES,
    PUBLICATIONS,
    STATE_SUFFIXES,
    SURNAME_SUFFIXES,
    TAGS,
    TOPICS,
    TRANSLIT,
    VERBINGS,
    VOWEL_CUM,
    VOWEL_ITEMS,
    capitalize,
)


def slugify(text: str, max_length: int = 60) -> str:
    """Lowercase ASCII slug of ``text`` (letters, digits, single dashes), cut at a dash."""
    ascii_text = text.translate(TRANSLIT).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0]
    return slug or "x"


@dataclass(frozen=True, slots=True)
class LatentAlias:
    """A phrase planted in some articles that no actor claims yet (run.py adds it)."""

    actor: str
    alias: str


@dataclass(slots=True)
class _Names:
    """Hands out proper nouns, never the same one twice (case-insensitive)."""

    rng: Random
    used: set[str] = field(default_factory=set)

    def claim(self, text: str) -> bool:
        key = text.casefold()
        if key in self.used or key in ALIAS_SAFE_WORDS:
            return False
        self.used.add(key)
        return True

    def stem(self) -> str:
        rng = self.rng
        while True:
            parts = []
            for _ in range(rng.choice((2, 2, 3))):
                parts.append(rng.choices(ONSET_ITEMS, cum_weights=ONSET_CUM)[0])
                parts.append(rng.choices(VOWEL_ITEMS, cum_weights=VOWEL_CUM)[0])
            parts.append(rng.choices(CODA_ITEMS, cum_weights=CODA_CUM)[0])
            word = capitalize("".join(parts))
            if len(word) >= 4 and self.claim(word):
                return word


@dataclass(frozen=True, slots=True)
class World:
    """Everything but the article bodies: what the bodies draw from."""

    title: str
    actors: tuple[Actor, ...]
    actor_cum: tuple[float, ...]
    events: tuple[Event, ...]
    heads: tuple[ArticleHead, ...]
    places: tuple[str, ...]
    latent: tuple[LatentAlias, ...]
    latent_rate: float

    def actor(self, rng: Random) -> Actor:
        """An actor, prominent ones (low index) more often, like real coverage."""
        return self.actors[bisect.bisect_left(self.actor_cum, rng.random() * self.actor_cum[-1])]


def _alias_candidates(kind: str, stem: str, name: str, extra: dict[str, str]) -> list[str]:
    """Aliases in the order they are preferred for an actor of ``kind``."""
    initials = "".join(word[0] for word in name.split() if word[0].isupper())
    if kind == "state":
        return [extra["capital"], f"{extra['demonym']} government", f"Republic of {name}",
                f"{extra['capital']} leadership"]
    if kind == "person":
        return [extra["surname"], f"{extra['title']} {extra['surname']}",
                f"{extra['first'][0]}. {extra['surname']}"]
    if kind == "organization":
        return [initials, f"{stem} {name.split()[-1]}", f"{stem} Group"]
    if kind == "military":
        return [initials, f"{stem} {name.split()[-1]}", f"{stem} forces"]
    if kind == "media":
        return [f"{stem} TV", initials, f"{stem} {name.split()[-1]}"]
    return [f"{stem}ists", f"{stem} {name.split()[-1]}", initials]


def _fresh_aliases(names: _Names, stem: str, wanted: int, candidates: Sequence[str],
                   own: frozenset[str]) -> list[str]:
    """``wanted`` aliases: the kind's usual forms first, then "<Stem> Office" and so on.

    ``own`` are words this actor has already claimed (a surname, a capital).
    """
    aliases: list[str] = []
    for candidate in candidates:
        if len(aliases) < wanted and len(candidate) >= 2 and (candidate in own or names.claim(candidate)):
            aliases.append(candidate)
    while len(aliases) < wanted:
        for word in FALLBACK_ALIAS_WORDS:
            if len(aliases) < wanted and names.claim(f"{stem} {word}"):
                aliases.append(f"{stem} {word}")
        stem = names.stem()
    return aliases


def make_actors(rng: Random, names: _Names, count: int, aliases_per_actor: int | None) -> tuple[Actor, ...]:
    """``count`` actors, about a tenth of them states, most others affiliated to one."""
    states = max(1, count // 10)
    kinds = ["state"] * states + rng.choices(KINDS[1:], weights=(45, 22, 11, 8, 4), k=count - states)
    actors: list[Actor] = []
    ids: set[str] = set()
    state_names: list[tuple[str, str]] = []
    for kind in kinds:
        stem = names.stem()
        extra: dict[str, str] = {}
        affiliation: str | None = None
        home = rng.choice(state_names) if state_names else None
        if kind == "state":
            name = stem + rng.choice(STATE_SUFFIXES)
            if not names.claim(name):
                name = stem  # claimed by names.stem() already
            extra = {"capital": names.stem(), "demonym": stem + "ian"}
            role = f"State; capital {extra['capital']}"
        elif kind == "person":
            surname = stem + rng.choice(SURNAME_SUFFIXES)
            if not names.claim(surname):
                surname = stem
            title, role_form = rng.choice(PERSON_TITLES)
            name = f"{rng.choice(FIRST_NAMES)} {surname}"
            extra = {"surname": surname, "title": title, "first": name}
            role = role_form.format(state=home[1] if home else "the region")
            affiliation = home[0] if home and rng.random() < 0.8 else None
        else:
            nouns = {"organization": ORG_NOUNS, "military": MILITARY_NOUNS,
                     "media": MEDIA_NOUNS}.get(kind, OTHER_NOUNS)
            name = f"{stem} {rng.choice(nouns)}"
            role = f"{capitalize(kind)} based in {home[1]}" if home else capitalize(kind)
            affiliation = home[0] if home and rng.random() < 0.6 else None
        if kind != "state":
            while not names.claim(name):  # only if the surname or stem was claimed as a name part
                name = f"{name.split()[0]} {names.stem()}"
        wanted = aliases_per_actor if aliases_per_actor is not None else rng.choice((2, 3))
        own = frozenset(extra[key] for key in ("surname", "capital") if key in extra)
        aliases = _fresh_aliases(names, stem, wanted, _alias_candidates(kind, stem, name, extra), own)
        actor_id = _unique_slug(slugify(name), ids)
        if kind == "state":
            state_names.append((actor_id, name))
        actors.append(Actor(actor_id, name, kind, tuple(aliases), role, affiliation, stem))
    return tuple(actors)


def _unique_slug(base: str, taken: set[str]) -> str:
    slug = base
    for n in itertools.count(2):
        if slug not in taken:
            break
        slug = f"{base}-{n}"
    taken.add(slug)
    return slug


def _random_date(rng: Random, first_year: int, last_year: int) -> dt.date:
    start = dt.date(first_year, 1, 1).toordinal()
    return dt.date.fromordinal(rng.randint(start, dt.date(last_year, 12, 31).toordinal()))


def _event_dates(rng: Random) -> tuple[str, str | None]:
    """A start date (full ~82%, YYYY-MM ~15%, YYYY ~3%) and, one time in ten, a later end."""
    day = _random_date(rng, 2008, 2025)
    form = rng.random()
    has_end = rng.random() < 0.10
    if form < 0.03:
        return f"{day.year}", (f"{day.year + 1}" if has_end else None)
    if form < 0.18:
        start = f"{day.year}-{day.month:02d}"
        if not has_end:
            return start, None
        later = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
        return start, f"{later.year}-{later.month:02d}"
    end = day + dt.timedelta(days=rng.randint(1, 14)) if has_end else None
    return day.isoformat(), end.isoformat() if end else None


def make_world(rng: Random, articles: int, actors: int | None, aliases_per_actor: int | None) -> World:
    """Actors, events, places and article front matter for a corpus of ``articles``."""
    names = _Names(rng)
    actor_list = make_actors(rng, names, actors if actors is not None else max(5, articles // 10),
                             aliases_per_actor)
    actor_cum = tuple(itertools.accumulate(1.0 / (rank + 1) ** 0.8 for rank in range(len(actor_list))))
    places = tuple(names.stem() for _ in range(max(20, min(2000, articles // 20))))
    authors = tuple(f"{rng.choice(FIRST_NAMES)} {names.stem()}" for _ in range(max(8, min(60, articles // 50))))
    latent = tuple(LatentAlias(rng.choice(actor_list).id, f"{names.stem()} {rng.choice(FALLBACK_ALIAS_WORDS)}")
                   for _ in range(3))
    world = World("", actor_list, actor_cum, (), (), places, latent, 0.0)
    by_id = {actor.id: actor for actor in actor_list}

    taken: set[str] = set()
    heads: list[ArticleHead] = []
    for _ in range(articles):
        picked = _distinct(rng, lambda: world.actor(rng).id, rng.randint(2, 5))
        lead, other = by_id[picked[0]], by_id[picked[1]]
        template = rng.randrange(5)
        if template == 0:
            title = f"{lead.name} and {other.name}: the stakes of {rng.choice(TOPICS)}"
        elif template == 1:
            title = f"Why {lead.name} is {rng.choice(VERBINGS)} {other.name}"
        elif template == 2:
            title = f"{lead.name} signals a {rng.choice(ADJECTIVES)} turn on {rng.choice(TOPICS)}"
        elif template == 3:
            title = f"What the {rng.choice(places)} {rng.choice(EVENT_NOUNS)} means for {lead.name}"
        else:
            title = f"{capitalize(rng.choice(TOPICS))} after {rng.randint(2015, 2025)}: {lead.name}'s options"
        day = _random_date(rng, 2015, 2025)
        summary = (f"How {lead.name} and {other.name} approach {rng.choice(TOPICS)}, "
                   f"and what the {rng.choice(ADJECTIVES)} {rng.choice(CONTENT_WORDS)} tells us.")
        source = None
        if rng.random() < 0.1:
            source = (f"{rng.choice(places)} {rng.choice(PUBLICATIONS)}",
                      f"https://{rng.choice(DOMAINS)}/{day.year}/{rng.randrange(10**6)}",
                      day - dt.timedelta(days=rng.randint(0, 30)))
        heads.append(ArticleHead(
            slug=_unique_slug(slugify(title), taken), title=title, date=day, summary=summary,
            authors=tuple(_distinct(rng, lambda: rng.choice(authors), rng.choice((1, 1, 1, 2)))),
            tags=tuple(_distinct(rng, lambda: TAGS[int(len(TAGS) * rng.random() ** 1.6)], rng.randint(1, 4))),
            actors=tuple(picked), events=(), source=source))

    events: list[Event] = []
    event_ids: set[str] = set()
    slugs = [head.slug for head in heads]
    for _ in range(max(1, articles // 2)):
        date, end = _event_dates(rng)
        place = rng.choice(places)
        title = f"{place} {rng.choice(EVENT_NOUNS)}"
        event_id = _unique_slug(slugify(f"{title} {date[:4]}"), event_ids)
        events.append(Event(
            id=event_id, title=title, date=date, end=end, place=place,
            actors=tuple(_distinct(rng, lambda: world.actor(rng).id, rng.randint(1, 4))),
            sources=tuple(rng.sample(slugs, k=min(len(slugs), rng.choice((0, 1, 1, 2)))))))

    event_ids_list = [event.id for event in events]
    heads = [
        ArticleHead(head.slug, head.title, head.date, head.summary, head.authors, head.tags, head.actors,
                    tuple(rng.sample(event_ids_list, k=min(len(event_ids_list), rng.choice((0, 1, 1, 2, 3))))),
                    head.source)
        for head in heads
    ]
    return World(title="Caspian and Caucasus Brief (benchmark)", actors=actor_list, actor_cum=actor_cum,
                 events=tuple(events), heads=tuple(heads), places=places, latent=latent,
                 latent_rate=min(1.0, 2.0 / max(1, articles) + 0.01))


def _distinct(rng: Random, draw: Callable[[], str], count: int, tries: int = 50) -> list[str]:
    """Up to ``count`` distinct values from ``draw()``, in draw order."""
    out: list[str] = []
    for _ in range(tries):
        if len(out) >= count:
            break
        value = draw()
        if value not in out:
            out.append(value)
    return out
