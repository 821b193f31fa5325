"""Markdown bodies: paragraphs with mentions, wikilinks, lists, tables and footnotes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from random import Random

from corpus_files import Actor, Event
from corpus_words import ADJECTIVES, CODE_TOKENS, CONTENT_WORDS, DOMAINS, PUBLICATIONS, VOCAB, VOCAB_CUM, capitalize
from corpus_world import LatentAlias, World


@dataclass(frozen=True, slots=True)
class Page:
    """Per-article inputs to body generation."""

    focus: tuple[Actor, ...]
    events: tuple[Event, ...]
    other_slugs: tuple[str, ...]
    latent: tuple[LatentAlias, ...]


def _surface(rng: Random, actor: Actor) -> str:
    """How the prose names ``actor``: its name or one of its aliases."""
    if actor.aliases and rng.random() < 0.6:
        return rng.choice(actor.aliases)
    return actor.name


def _url(rng: Random) -> str:
    return f"https://{rng.choice(DOMAINS)}/{rng.choice(CONTENT_WORDS)}/{rng.randrange(10**5)}"


def _paragraph(rng: Random, world: World, page: Page, words: int, notes: list[str],
               wikilinks: bool) -> str:
    """A paragraph of ``words`` words with mentions, emphasis, code, links and footnotes."""
    toks = rng.choices(VOCAB, cum_weights=VOCAB_CUM, k=words)
    n = len(toks)
    for _ in range(rng.randint(2, 5)):
        actor = rng.choice(page.focus) if rng.random() < 0.8 else world.actor(rng)
        toks[rng.randrange(n)] = _surface(rng, actor) + ("'s" if rng.random() < 0.1 else "")
    if rng.random() < 0.15:
        place = rng.choice(world.places)
        toks[rng.randrange(n)] = f"in {place}"
    roll = rng.random()
    if roll < 0.25:
        toks[rng.randrange(n)] = f"*{rng.choice(CONTENT_WORDS)}*"
    elif roll < 0.35:
        toks[rng.randrange(n)] = f"**{rng.choice(CONTENT_WORDS)}**"
    if rng.random() < 0.2:
        inside = _surface(rng, rng.choice(page.focus)) if rng.random() < 0.15 else rng.choice(CODE_TOKENS)
        toks[rng.randrange(n)] = f"`{inside}`"
    if rng.random() < 0.3:
        text = (f"{_surface(rng, rng.choice(page.focus))}'s {rng.choice(CONTENT_WORDS)}" if rng.random() < 0.3
                else f"{rng.choice(CONTENT_WORDS)} {rng.choice(CONTENT_WORDS)}")
        toks[rng.randrange(n)] = f"[{text}]({_url(rng)})"
    if wikilinks:
        toks[rng.randrange(n)] = _wikilink(rng, world, page)
    for latent in page.latent:
        toks[rng.randrange(n)] = latent.alias
    out: list[str] = []
    pos = 0
    while pos < n:
        end = min(n, pos + rng.randint(8, 22))
        if n - end < 5:
            end = n
        sentence = toks[pos:end]
        sentence[0] = capitalize(sentence[0])
        if len(sentence) > 10 and rng.random() < 0.5:
            sentence[rng.randint(3, len(sentence) - 4)] += ","
        sentence[-1] += "."
        if rng.random() < 0.04:
            notes.append(f"{rng.choice(world.places)} {rng.choice(PUBLICATIONS)}, "
                         f"[{rng.choice(CONTENT_WORDS)} {rng.choice(CONTENT_WORDS)}]({_url(rng)}), "
                         f"{rng.randint(2010, 2025)}.")
            sentence[-1] += f"[^{len(notes)}]"
        out.extend(sentence)
        pos = end
    return " ".join(out)


def _wikilink(rng: Random, world: World, page: Page) -> str:
    """An explicit link to an actor, event or article that exists."""
    roll = rng.random()
    if roll < 0.25 and page.events:
        return f"[[event:{rng.choice(page.events).id}]]"
    if roll < 0.4 and page.other_slugs:
        return f"[[article:{rng.choice(page.other_slugs)}]]"
    actor = rng.choice(page.focus)
    if roll < 0.7:
        return f"[[{actor.id}]]"
    return f"[[{actor.id}|{rng.choice(ADJECTIVES)} {rng.choice(CONTENT_WORDS)}]]"


def _item(rng: Random, world: World, page: Page) -> str:
    words = rng.choices(VOCAB, cum_weights=VOCAB_CUM, k=rng.randint(5, 12))
    if rng.random() < 0.6:
        words[rng.randrange(len(words))] = _surface(rng, rng.choice(page.focus))
    words[0] = capitalize(words[0])
    return " ".join(words)


def _table(rng: Random, page: Page) -> list[str]:
    years = sorted(rng.sample(range(2015, 2026), k=3))
    rows = ["| Actor | Indicator | " + " | ".join(map(str, years)) + " |",
            "| --- | --- | " + " | ".join("---:" for _ in years) + " |"]
    for actor in page.focus[: rng.randint(2, 5)]:
        values = " | ".join(f"{rng.uniform(0, 200):.1f}" for _ in years)
        rows.append(f"| {actor.name} | {rng.choice(CONTENT_WORDS)} | {values} |")
    return rows


def article_body(rng: Random, world: World, page: Page, target_words: int) -> tuple[str, int]:
    """A ≈``target_words`` Markdown body and its word count."""
    notes: list[str] = []
    blocks: list[str] = []
    wikilink_budget = rng.choice((0, 0, 1, 1, 2, 3))
    latent_left = list(page.latent)
    count = 0
    table_done = rng.random() > 0.2

    def paragraph() -> None:
        nonlocal count, wikilink_budget
        words = rng.randint(45, 100)
        use_wikilink = wikilink_budget > 0 and rng.random() < 0.3
        wikilink_budget -= use_wikilink
        latent = (latent_left.pop(),) if latent_left else ()
        one = Page(page.focus, page.events, page.other_slugs, latent)
        text = _paragraph(rng, world, one, words, notes, use_wikilink)
        blocks.append(text)
        count += len(text.split())

    paragraph()
    while count < target_words:
        heading = rng.choices(VOCAB, cum_weights=VOCAB_CUM, k=rng.randint(2, 5))
        if rng.random() < 0.2:
            heading[rng.randrange(len(heading))] = rng.choice(page.focus).name
        heading[0] = capitalize(heading[0])
        blocks.append("## " + " ".join(heading))
        count += len(heading)
        for _ in range(rng.randint(1, 3)):
            paragraph()
        roll = rng.random()
        if roll < 0.35:
            items = [_item(rng, world, page) for _ in range(rng.randint(3, 5))]
            numbered = roll < 0.12
            blocks.append("\n".join(f"{i + 1}. {item}" if numbered else f"- {item}"
                                    for i, item in enumerate(items)))
            count += sum(len(item.split()) for item in items)
        elif not table_done:
            table_done = True
            blocks.append("\n".join(_table(rng, page)))
            paragraph()
    if not notes:
        blocks[0] += "[^1]"
        notes.append(f"{rng.choice(world.places)} {rng.choice(PUBLICATIONS)}, {_url(rng)}.")
    blocks.extend(f"[^{i}]: {note}" for i, note in enumerate(notes, 1))
    return "\n\n".join(blocks) + "\n", count


def short_text(rng: Random, world: World, focus: Sequence[Actor], low: int, high: int) -> str:
    """One paragraph (for actors, events and the front page), with its footnotes if any."""
    notes: list[str] = []
    text = _paragraph(rng, world, Page(tuple(focus), (), (), ()), rng.randint(low, high), notes, False)
    return "\n\n".join([text, *(f"[^{i}]: {note}" for i, note in enumerate(notes, 1))]) + "\n"
