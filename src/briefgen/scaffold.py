"""New files for an analyst: a working example brief (``init``) and one article, actor, event or source (``new``).

The texts are made by pure functions; ``write_new`` is the one place that
writes, and it never replaces a file. Every text passes ``briefgen check``
as written: optional keys are shown as YAML comments to uncomment.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import yaml

from briefgen.dates import ACCEPTED_FORMS, EventDate, FuzzyDate
from briefgen.documents import ACTOR_KINDS, Actor, parse_document
from briefgen.errors import BriefError, did_you_mean, error
from briefgen.urls import MAX_ID_LENGTH, is_valid_id, slugify

SECTIONS = {"article": "articles", "actor": "actors", "event": "events", "source": "sources"}
ALLOWED_IN_NEW_FOLDER = frozenset({".git"})
"""What ``init`` accepts in its folder: a repository made first (``git init``) is fine."""


# ---------------------------------------------------------------- ids and YAML values

def make_id(title: str) -> str:
    """The id ``briefgen new`` gives a title: the build's slug rule, cut to the longest id allowed."""
    return slugify(title)[:MAX_ID_LENGTH].rstrip("-")


def check_id(doc_id: str, title: str, given: bool) -> BriefError | None:
    """Why ``doc_id`` cannot name a file, if it cannot."""
    if is_valid_id(doc_id):
        return None
    rule = "ids are lowercase ascii letters, digits and '-', and not a name Windows reserves (con, aux...)"
    if given:
        suggestion = make_id(doc_id)
        example = f"; for example --id {suggestion}" if is_valid_id(suggestion) else ""
        return error("", 0, f"'{doc_id}' is not a valid id", rule + example)
    return error("", 0, f"cannot make an id from '{title}'", rule + "; choose one with --id")


def check_kind(kind: str) -> BriefError | None:
    """Why ``kind`` (from ``--kind``) is not a kind of actor, if it is not."""
    if kind in ACTOR_KINDS:
        return None
    return error("", 0, f"unknown kind '{kind}' in --kind",
                 did_you_mean(kind, ACTOR_KINDS, "kinds: " + ", ".join(ACTOR_KINDS)))


def yaml_text(text: str) -> str:
    """``text`` as a YAML value: plain when YAML reads it back unchanged, else double-quoted."""
    try:
        plain = yaml.safe_load(f"key: {text}") == {"key": text}
    except yaml.YAMLError:
        plain = False
    if plain and text == text.strip() and "\n" not in text and " #" not in text:
        return text
    return '"' + "".join(_ESCAPES.get(char) or _escaped(char) for char in text) + '"'


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t"}


def _escaped(char: str) -> str:
    """A character YAML may hold raw in a double-quoted string, or its ``\\uXXXX`` escape."""
    code = ord(char)
    printable = code >= 0x20 and not 0x7F <= code <= 0x9F and char not in "\u2028\u2029\ufeff"
    return char if printable else f"\\u{code:04x}"


def _flow_list(items: Sequence[str]) -> str:
    return "[" + ", ".join(yaml_text(item) for item in items) + "]"


# ---------------------------------------------------------------- one new file

def article_text(title: str, date: FuzzyDate, actors: Sequence[str] = (), draft: bool = False) -> str:
    """A new article: title and date set, the optional keys as comments."""
    lines = ["---", f"title: {yaml_text(title)}", f"date: {date.iso}  # the day of publication, YYYY-MM-DD"]
    lines.append(f"actors: {_flow_list(actors)}" if actors
                 else "# actors: []  # ids of the actors the piece is about; names in the text are linked too")
    lines.append("draft: true  # left out of the site until you remove this line" if draft
                 else "# draft: true  # keeps the article out of the site")
    lines += [
        "# summary:  # one or two sentences for lists and the feed",
        "# authors: []",
        "# events: []  # ids of the events the piece discusses",
        "# tags: []  # free topics, e.g. [energy, diplomacy]",
        "---",
        "",
    ]
    return "\n".join(lines)


def actor_text(name: str, kind: str) -> str:
    """A new actor: name and kind set, the optional keys as comments."""
    return "\n".join([
        "---",
        f"name: {yaml_text(name)}",
        f"kind: {kind}  # {', '.join(ACTOR_KINDS[:-1])} or {ACTOR_KINDS[-1]}",
        "# aliases: []  # other names the text uses, linked like the name",
        "# role:  # e.g. Minister of Defence",
        "# affiliation:  # the id of another actor, e.g. a person's state",
        "---",
        "",
    ])


def event_text(title: str, date: EventDate, actors: Sequence[str] = (), sources: Sequence[str] = ()) -> str:
    """A new event: title and date set, the optional keys as comments."""
    lines = ["---", f"title: {yaml_text(title)}",
             f"date: {date.edtf}  # {ACCEPTED_FORMS}; ~ about, ? uncertain, START/END an interval"]
    lines.append(f"actors: {_flow_list(actors)}" if actors
                 else "# actors: []  # ids of the actors who took part; {id: russia, role: host} gives a role")
    lines.append(f"sources: {_flow_list(sources)}" if sources
                 else "# sources: []  # source ids, article ids or URLs that report it; without one it is a warning")
    lines += [
        "# end:  # the last day of a multi-day event, or .. if it is still going on",
        "# after: []  # ids of events it followed, when the dates cannot tell",
        "# place:",
        "---",
        "",
    ]
    return "\n".join(lines)


def source_text(title: str, publication: str) -> str:
    """A new source record: title and publication set, the optional keys as comments."""
    return "\n".join([
        "---",
        f"title: {yaml_text(title)}",
        f"publication: {yaml_text(publication)}  # who published it",
        "# authors: []",
        "# url:  # the address of the original, https://...",
        f"# date:  # when it appeared: {ACCEPTED_FORMS}",
        "# reliability:  # one or two sentences: who publishes it, its stance",
        "# names: []  # phrases that mean this source in a text (\"Jamestown\"); they cite it where used",
        "---",
        "",
    ])


def new_path(kind: str, doc_id: str) -> str:
    """Where a new document of ``kind`` goes, relative to the brief."""
    return f"content/{SECTIONS[kind]}/{doc_id}.md"


def resolve_actors(root: Path, wanted: Sequence[str]) -> tuple[list[str], list[BriefError]]:
    """The ids of the actors named in ``--actors`` (by id, name or alias), as the build resolves them."""
    from briefgen.linker import index_documents
    from briefgen.sources import discover

    files, _ = discover(root)  # the brief's own problems are for `briefgen check` to report
    actors, broken = [], set()
    for src in files:
        if src.kind == "actor":
            document, _ = parse_document(src)
            if isinstance(document, Actor):
                actors.append(document)
            else:
                broken.add(f"actor:{src.src_path.rsplit('/', 1)[-1].removesuffix('.md').casefold()}")
    index, _ = index_documents(actors, frozenset(broken))
    ids, problems = [], []
    for target in wanted:
        found = index.resolve("actor", target)
        if found is None and index.is_broken("actor", target):
            found = target  # its file does not parse now; `briefgen check` says why
        if found is None:
            problems.append(error("", 0, f"unknown actor '{target}' in --actors",
                                  did_you_mean(target, index.candidates("actor"), "Actors live in content/actors/.")))
        elif found not in ids:
            ids.append(found)
    return ids, problems


# ---------------------------------------------------------------- writing

def check_new_folder(folder: Path) -> BriefError | None:
    """``init`` writes only into a new or empty folder (one holding just ``.git`` counts as empty)."""
    if folder.exists() and not folder.is_dir():
        return error(str(folder), 0, "the path exists and is not a folder",
                     "choose a new folder: briefgen init my-brief")
    if folder.is_dir() and any(name not in ALLOWED_IN_NEW_FOLDER for name in os.listdir(folder)):
        return error(str(folder), 0, "the folder is not empty; refusing to write a brief into it",
                     "choose a new folder: briefgen init my-brief")
    return None


def write_new(root: Path, files: dict[str, str]) -> list[str]:
    """Write ``files`` (path relative to ``root`` -> text) as new files; never replaces one.

    Raises ``FileExistsError`` naming the first file that exists; nothing after it is written.
    """
    written = []
    for src_path, text in files.items():
        path = root / src_path
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="utf-8", newline="\n") as file:
            file.write(text)
        written.append(src_path)
    return written


# ---------------------------------------------------------------- the example brief

def sample_brief() -> dict[str, str]:
    """The brief ``briefgen init`` writes: invented places, every kind of file, every kind of link."""
    return {
        ".gitignore": "build/\n",
        "briefgen.yaml": _SAMPLE_CONFIG,
        "content/index.md": _SAMPLE_INDEX,
        "content/articles/a-first-deal-on-the-long-river.md": _SAMPLE_ARTICLE,
        "content/actors/northland.md": _SAMPLE_NORTHLAND,
        "content/actors/southland.md": _SAMPLE_SOUTHLAND,
        "content/events/river-talks-open.md": _SAMPLE_TALKS,
        "content/events/water-sharing-agreement.md": _SAMPLE_AGREEMENT,
        "content/sources/river-gazette-2024-03.md": _SAMPLE_SOURCE,
    }


_SAMPLE_CONFIG = """\
# Settings of the brief; every key is optional.
title: "Example brief: the Long River"
description: "An invented example made by briefgen init. Replace it with your own brief."
language: en
# base_url: "https://example.org/brief/"  # the published address; needed for absolute links in the feed
"""

_SAMPLE_INDEX = """\
---
title: "The Long River, an example brief"
---

This is an example brief written by `briefgen init`. Its two countries, Northland
and Southland, are invented. Keep the layout and replace the texts with your own:
one file per article in `content/articles/`, per actor in `content/actors/`, per
dated event in `content/events/` and per cited publication in `content/sources/`.

Start with [[article:a-first-deal-on-the-long-river]].
"""

_SAMPLE_ARTICLE = """\
---
title: "A first deal on the Long River"
date: 2024-05-20
summary: "An example article: two invented neighbours agree to share a river's water."
authors: ["Example desk"]
actors: [northland, southland]
events: [river-talks-open, water-sharing-agreement]
tags: [water, example]
---

Northland and Southland share the Long River, and for years they argued about
how much water the dams upstream hold back. Talks opened in Nordport in the
spring ([[event:river-talks-open]]) and ended in [[event:water-sharing-agreement|an agreement]].

A name or alias of an actor becomes a link where the text first uses it
(Northland and Southland above; Nordport would count for Northland), and an
explicit link works anywhere: [[southland|the downstream state]].
"""

_SAMPLE_NORTHLAND = """\
---
name: Northland
kind: state
aliases: [Nordport]
role: "Upstream state on the Long River (invented)"
---

An invented country for this example. Its capital, Nordport, stands for its
government in the texts.
"""

_SAMPLE_SOUTHLAND = """\
---
name: Southland
kind: state
aliases: [Southport]
role: "Downstream state on the Long River (invented)"
---

An invented country for this example. Most of its farms depend on the Long River.
"""

_SAMPLE_TALKS = """\
---
title: Talks on the Long River open
date: 2024-03  # only the month is known
place: Nordport
actors: [{id: northland, role: host}, southland]
sources: [river-gazette-2024-03]
---

The River Gazette reports that delegations of the two governments met for a
first round of talks.
"""

_SAMPLE_SOURCE = """\
---
title: "Talks on the river open in Nordport"
publication: "The River Gazette"
authors: ["Example reporter"]
date: 2024-03
reliability: "An invented regional newspaper for this example, close to neither government."
names: ["River Gazette"]
---

An invented news report, the source of the first event. Events and articles
cite a source by its id in `sources:`, or in a text with a link to it or by
one of its `names`.
"""

_SAMPLE_AGREEMENT = """\
---
title: Water-sharing agreement signed
date: 2024-05-14
end: 2024-05-15
place: Southport
actors: [northland, southland]
sources: [a-first-deal-on-the-long-river]
---

The two governments signed an agreement on how much water each may take from the river.
"""
