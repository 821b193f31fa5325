"""Markdown bodies written the way analysts write them, so no parser meets an easy corpus.

Besides mentions, wikilinks, lists, tables and footnotes, paragraphs carry what real
analysis prose has: quotations in straight double quotes (some with editorial
brackets), possessives, numbers, asides in parentheses, spaced dashes, no-break
spaces, entities, backslash escapes, inline notes and reference-style links; some
articles have images. The chances below are per prose paragraph unless said
otherwise; benchmarks/README.md gives them and the figures they come from.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from random import Random

from corpus_files import Actor, Event
from corpus_words import (
    ADJECTIVES,
    AMPERSAND_PAIRS,
    CODE_TOKENS,
    COMPOUND_UNITS,
    CONTENT_WORDS,
    DASHES,
    DOMAINS,
    FUNCTION_WORDS,
    HANDLE_SUFFIXES,
    IMAGE_EXTENSIONS,
    MONTHS,
    NBSP_CUM,
    NBSP_ITEMS,
    PARTICIPLES,
    PUBLICATIONS,
    SOURCE_TLDS,
    UNITS,
    VOCAB,
    VOCAB_CUM,
    capitalize,
)
from corpus_world import LatentAlias, World, slugify

FUNCTION_SET = frozenset(word for word, _ in FUNCTION_WORDS)
QUOTATIONS = ((0, 1, 2, 3), (58, 14, 14, 14))
"""Quotations per paragraph and their weights."""
EDITORIAL_BRACKET = 0.24
"""Chance that a quotation has ``[T]he`` or an inserted ``[Name]``, half of them escaped."""
POSSESSIVES = ((0, 1, 2, 3, 4), (22, 24, 24, 18, 12))
NUMBERS = 0.69
"""Chance of 1-6 numbers (years, dates, quantities, ordinals, ranges, a few percentages)."""
ASIDE = 0.2
NOTE_PER_SENTENCE = 0.09
INLINE_NOTE = 0.4
"""Share of notes written inline (``^[...]``) rather than as ``[^n]`` with a definition."""
DASH = 0.15
NO_BREAK = 0.5
"""Chance of 1-6 no-break spaces between words."""
AMPERSAND, STAR, UNDERSCORE = 0.05, 0.05, 0.05
REFERENCE_LINK = 0.3
LEAD_IMAGE, FIGURE = 0.5, 0.2
"""Per article: a captioned photo after the first paragraph; a chart in a later section."""
_NOTE_MARK_RE = re.compile("\x00(\\d+)\x00")


@dataclass(frozen=True, slots=True)
class Page:
    """Per-article inputs to body generation."""

    focus: tuple[Actor, ...]
    events: tuple[Event, ...]
    other_slugs: tuple[str, ...]
    latent: tuple[LatentAlias, ...]


@dataclass(frozen=True, slots=True)
class Note:
    """A citation, written ``^[text]`` where ``inline``, else ``[^n]`` and ``[^n]: text``."""

    text: str
    inline: bool


@dataclass(slots=True)
class Citations:
    """What one body cites, in order: notes (marked ``\\x00k\\x00`` until the body is
    finished) and link reference definitions by label."""

    notes: list[Note] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Body:
    """An article body for briefgen, and the same article for Hugo and Pelican."""

    text: str
    portable: str
    """``text`` with every inline note made a numbered footnote: goldmark and
    Python-Markdown have no ``^[...]``. Notes are numbered in citation order in both."""


def _surface(rng: Random, actor: Actor) -> str:
    """How the prose names ``actor``: its name or one of its aliases."""
    if actor.aliases and rng.random() < 0.6:
        return rng.choice(actor.aliases)
    return actor.name


def _url(rng: Random) -> str:
    return f"https://{rng.choice(DOMAINS)}/{rng.choice(CONTENT_WORDS)}/{rng.randrange(10**5)}"


def _date(rng: Random) -> str:
    return f"{rng.choice(MONTHS)} {rng.randint(1, 28)}"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _amount(rng: Random) -> str:
    """A round figure: 400, 2,000, 100,000."""
    amount = int(10 ** rng.uniform(1, 5.3))
    return f"{round(amount, 2 - len(str(amount))):,}"


def _number(rng: Random) -> str:
    """A year, date, quantity, ordinal, day range or percentage, as analyses write them."""
    roll = rng.random()
    if roll < 0.25:
        return str(rng.randint(1991, 2025))
    if roll < 0.45:
        return _date(rng) if rng.random() < 0.6 else f"{rng.randint(1, 28)} {rng.choice(MONTHS)}"
    if roll < 0.65:
        return f"{_amount(rng)} {rng.choice(UNITS)}"
    if roll < 0.75:
        return f"{_amount(rng)}-{rng.choice(COMPOUND_UNITS)}"
    if roll < 0.8:
        return _ordinal(rng.randint(1, 250))
    if roll < 0.95:
        day = rng.randint(1, 24)
        return f"{rng.choice(MONTHS)} {day}-{day + rng.randint(1, 4)}"
    return f"{rng.uniform(0.5, 60):.1f}%"


def _source_name(rng: Random, world: World) -> str:
    """A cited outlet the way citations name it: "Kremlin.ru", "Trend.az"."""
    return f"{capitalize(slugify(rng.choice(world.places)))}.{rng.choice(SOURCE_TLDS)}"


def _publication(rng: Random, world: World) -> str:
    if rng.random() < 0.2:
        first, second = rng.choice(AMPERSAND_PAIRS)
        return f"{rng.choice(world.places)} {first} &amp; {second} {rng.choice(PUBLICATIONS)}"
    return f"{rng.choice(world.places)} {rng.choice(PUBLICATIONS)}"


def _aside(rng: Random, world: World) -> str:
    """A parenthetical aside that is not a citation."""
    roll = rng.random()
    if roll < 0.35:
        return f"(see {_publication(rng, world)}, {_date(rng)})"
    if roll < 0.55:
        return "(" + "".join(chr(rng.randint(65, 90)) for _ in range(rng.randint(3, 5))) + ")"
    if roll < 0.8:
        return f"({rng.choice(PARTICIPLES)} in {rng.randint(1991, 2025)})"
    return f"({rng.choice(ADJECTIVES)} {rng.choice(CONTENT_WORDS)})"


def _reference_link(rng: Random, world: World, page: Page, cites: Citations) -> str:
    """``[text][label]``, ``[Label][]`` or ``[Label]``, its definition recorded in ``cites``."""
    if cites.links and rng.random() < 0.25:
        label = rng.choice(list(cites.links))
    else:
        label = _source_name(rng, world)
        roll = rng.random()
        title = f"{_publication(rng, world)}, {rng.randint(1, 28)} {rng.choice(MONTHS)} {rng.randint(2010, 2025)}"
        target = (f'{_url(rng)} "{title}"' if roll < 0.5 else f"{_url(rng)} '{title}'" if roll < 0.6
                  else f"{_url(rng)} ({title})" if roll < 0.7 else _url(rng))
        cites.links.setdefault(label, target)
    roll = rng.random()
    if roll < 0.2:
        return f"[{label}][]"
    if roll < 0.4:
        return f"[{label}]"
    text = (f"{_surface(rng, rng.choice(page.focus))}'s {rng.choice(CONTENT_WORDS)}" if rng.random() < 0.3
            else f"{rng.choice(ADJECTIVES)} {rng.choice(CONTENT_WORDS)}")
    return f"[{text}][{label.lower() if rng.random() < 0.5 else label}]"


def _note(rng: Random, world: World, inline: bool) -> Note:
    """A citation: inline ones are short ("Trend.az, August 29"), others name a piece."""
    if inline:
        roll = rng.random()
        if roll < 0.5:
            text = f"{_source_name(rng, world)}, {_date(rng)}."
        elif roll < 0.8:
            text = f"{_publication(rng, world)}, {_date(rng)}, {rng.randint(2010, 2025)}."
        else:
            text = f"See [{rng.choice(CONTENT_WORDS)} {rng.choice(CONTENT_WORDS)}]({_url(rng)})."
        return Note(text, True)
    return Note(f"{_publication(rng, world)}, [{rng.choice(CONTENT_WORDS)} {rng.choice(CONTENT_WORDS)}]"
                f"({_url(rng)}), {rng.randint(2010, 2025)}.", False)


def _cite(rng: Random, world: World, cites: Citations) -> str:
    """A note's mark, filled in by ``_finish`` for each format."""
    cites.notes.append(_note(rng, world, rng.random() < INLINE_NOTE))
    return f"\x00{len(cites.notes) - 1}\x00"


def _escaped(text: str, escape: bool) -> str:
    return f"\\[{text}\\]" if escape else f"[{text}]"


def _quote(rng: Random, page: Page, sentence: list[str]) -> None:
    """Put a span of ``sentence`` in straight double quotes, maybe with an editorial bracket."""
    length = rng.randint(2, min(12, len(sentence)))
    start = rng.randrange(len(sentence) - length + 1)
    end = start + length - 1
    if rng.random() < EDITORIAL_BRACKET:
        escape = rng.random() < 0.5
        word = sentence[start]
        if word.isalpha() and rng.random() < 0.5:
            sentence[start] = _escaped(word[0].upper(), escape) + word[1:]  # "[T]he main purpose"
        else:
            gloss = (_surface(rng, rng.choice(page.focus)) if rng.random() < 0.6
                     else f"{rng.choice(CONTENT_WORDS)} and {rng.choice(CONTENT_WORDS)}")
            sentence.insert(rng.randint(start + 1, end), _escaped(gloss, escape))
            end += 1
    sentence[start] = '"' + sentence[start]
    last = sentence[end]
    if last.endswith(".") and rng.random() < 0.5:
        sentence[end] = last[:-1] + '".'
    else:
        sentence[end] = last + '"'


def _place_tokens(rng: Random, world: World, page: Page, toks: list[str], cites: Citations,
                  wikilinks: bool) -> None:
    """Replace words of ``toks`` by mentions, markup, numbers, links; possessives last."""
    n = len(toks)
    named: list[int] = []
    for _ in range(rng.randint(2, 5)):
        actor = rng.choice(page.focus) if rng.random() < 0.8 else world.actor(rng)
        named.append(rng.randrange(n))
        toks[named[-1]] = _surface(rng, actor)
    if rng.random() < 0.15:
        toks[rng.randrange(n)] = f"in {rng.choice(world.places)}"
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
    if rng.random() < NUMBERS:
        for _ in range(rng.randint(1, 6)):
            toks[rng.randrange(n)] = _number(rng)
    if rng.random() < ASIDE:
        toks[rng.randrange(n)] = _aside(rng, world)
    if rng.random() < AMPERSAND:
        first, second = rng.choice(AMPERSAND_PAIRS)
        toks[rng.randrange(n)] = f"{first} &amp; {second}"
    if rng.random() < STAR:
        toks[rng.randrange(n)] = f"{rng.choice(CONTENT_WORDS)}\\*"  # a figure marked as an estimate
    if rng.random() < UNDERSCORE:
        toks[rng.randrange(n)] = f"@{slugify(rng.choice(world.places))}\\_{rng.choice(HANDLE_SUFFIXES)}"
    kept: set[int] = set()  # positions the reference link must not overwrite
    for word in ([_wikilink(rng, world, page)] if wikilinks else []) + [lat.alias for lat in page.latent]:
        at = rng.randrange(n)
        kept.add(at)
        toks[at] = word
    if rng.random() < REFERENCE_LINK:  # last, so that its definition is always used
        at = rng.choice([i for i in range(n) if i not in kept])
        toks[at] = _reference_link(rng, world, page, cites)
    for _ in range(rng.choices(*POSSESSIVES)[0]):
        if named and rng.random() < 0.7:
            at = named.pop(rng.randrange(len(named)))
        else:
            at = rng.randrange(n)
        if toks[at][-1:].isalpha() and toks[at] not in FUNCTION_SET:  # not after markup or "the"
            toks[at] += "'" if toks[at].endswith("s") else "'s"


def _sentences(rng: Random, toks: list[str]) -> list[list[str]]:
    """``toks`` cut into capitalized sentences of 8-22 words, some with a comma."""
    out: list[list[str]] = []
    n = len(toks)
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
        out.append(sentence)
        pos = end
    return out


def _paragraph(rng: Random, world: World, page: Page, words: int, cites: Citations,
               wikilinks: bool) -> str:
    """A paragraph of about ``words`` words with the inline markup of real analyses."""
    toks = rng.choices(VOCAB, cum_weights=VOCAB_CUM, k=words)
    _place_tokens(rng, world, page, toks, cites, wikilinks)
    sentences = _sentences(rng, toks)
    long_enough = [s for s in sentences if len(s) >= 4]
    for sentence in rng.sample(long_enough, k=min(len(long_enough), rng.choices(*QUOTATIONS)[0])):
        _quote(rng, page, sentence)
    if rng.random() < DASH:
        sentence = rng.choice(sentences)
        sentence.insert(rng.randint(1, len(sentence) - 1), rng.choice(DASHES))
    if rng.random() < NO_BREAK:
        for _ in range(rng.randint(1, 6)):
            sentence = rng.choice(sentences)
            if len(sentence) > 2:
                at = rng.randrange(len(sentence) - 1)
                space = rng.choices(NBSP_ITEMS, cum_weights=NBSP_CUM)[0]
                sentence[at:at + 2] = [sentence[at] + space + sentence[at + 1]]
    for sentence in sentences:
        if rng.random() < NOTE_PER_SENTENCE:
            sentence[-1] += _cite(rng, world, cites)
    return " ".join(" ".join(sentence) for sentence in sentences)


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


def _image(rng: Random, world: World, page: Page) -> str:
    """A photo with its caption as alt text, or a chart; the title credits the source."""
    actor = rng.choice(page.focus)
    year = rng.randint(2010, 2025)
    if rng.random() < 0.6:
        other = rng.choice(page.focus)
        who = actor.name if other is actor else f"{actor.name} and {other.name}"
        caption = f"{who} in {rng.choice(world.places)}, {rng.choice(MONTHS)} {year}"
    else:
        caption = f"Chart: {rng.choice(CONTENT_WORDS)} of {actor.name}, {year - rng.randint(3, 10)}-{year}"
    domain = rng.choice(DOMAINS)
    url = f"https://{domain}/img/{year}/{slugify(caption, 40)}.{rng.choice(IMAGE_EXTENSIONS)}"
    credit = f"Source: {domain}" if rng.random() < 0.5 else f"Photo: {_publication(rng, world)}"
    return f'![{caption}]({url} "{credit}")'


def _finish(blocks: Sequence[str], cites: Citations, portable: bool) -> str:
    """The blocks, note marks filled in, then link reference definitions and footnotes.

    Footnotes are numbered in citation order; with ``portable`` inline notes are
    numbered footnotes too.
    """
    numbers: dict[int, int] = {}
    for k, note in enumerate(cites.notes):
        if portable or not note.inline:
            numbers[k] = len(numbers) + 1

    def mark(match: re.Match[str]) -> str:
        k = int(match.group(1))
        return f"[^{numbers[k]}]" if k in numbers else f"^[{cites.notes[k].text}]"

    out = [_NOTE_MARK_RE.sub(mark, "\n\n".join(blocks))]
    if cites.links:
        out.append("\n".join(f"[{label}]: {target}" for label, target in cites.links.items()))
    out.extend(f"[^{number}]: {cites.notes[k].text}" for k, number in numbers.items())
    return "\n\n".join(out) + "\n"


def article_body(rng: Random, world: World, page: Page, target_words: int) -> Body:
    """A body of about ``target_words`` words of text, then its definitions and footnotes."""
    cites = Citations()
    blocks: list[str] = []
    wikilink_budget = rng.choice((0, 0, 1, 1, 2, 3))
    latent_left = list(page.latent)
    count = 0
    table_done = rng.random() > 0.2
    figure_done = rng.random() > FIGURE

    def add(block: str) -> None:
        nonlocal count
        blocks.append(block)
        count += len(block.split())

    def paragraph() -> None:
        nonlocal wikilink_budget
        use_wikilink = wikilink_budget > 0 and rng.random() < 0.3
        wikilink_budget -= use_wikilink
        latent = (latent_left.pop(),) if latent_left else ()
        one = Page(page.focus, page.events, page.other_slugs, latent)
        add(_paragraph(rng, world, one, rng.randint(45, 100), cites, use_wikilink))

    paragraph()
    if rng.random() < LEAD_IMAGE:
        add(_image(rng, world, page))
    while count < target_words:
        heading = rng.choices(VOCAB, cum_weights=VOCAB_CUM, k=rng.randint(2, 5))
        if rng.random() < 0.2:
            heading[rng.randrange(len(heading))] = rng.choice(page.focus).name
        heading[0] = capitalize(heading[0])
        add("## " + " ".join(heading))
        for _ in range(rng.randint(1, 3)):
            paragraph()
        if not figure_done and len(blocks) > 6:
            figure_done = True
            add(_image(rng, world, page))
            paragraph()
        roll = rng.random()
        if roll < 0.35:
            items = [_item(rng, world, page) for _ in range(rng.randint(3, 5))]
            numbered = roll < 0.12
            add("\n".join(f"{i + 1}. {item}" if numbered else f"- {item}" for i, item in enumerate(items)))
        elif not table_done:
            table_done = True
            add("\n".join(_table(rng, page)))
            paragraph()
    if cites.notes and all(note.inline for note in cites.notes):
        cites.notes[0] = Note(cites.notes[0].text, False)  # every article has a footnote
    elif not cites.notes:
        cites.notes.append(_note(rng, world, inline=False))
        blocks[0] += f"\x00{len(cites.notes) - 1}\x00"
    return Body(_finish(blocks, cites, portable=False), _finish(blocks, cites, portable=True))


def short_text(rng: Random, world: World, focus: Sequence[Actor], low: int, high: int) -> str:
    """One paragraph (for actors, events and the front page), with its definitions and footnotes."""
    cites = Citations()
    text = _paragraph(rng, world, Page(tuple(focus), (), (), ()), rng.randint(low, high), cites, False)
    return _finish([text], cites, portable=False)
