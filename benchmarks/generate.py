#!/usr/bin/env python3
"""Generate a seeded benchmark corpus for briefgen, Hugo and Pelican.

The same articles are written three ways so that build times compare like with
like: a briefgen brief (articles, actors, events, mentions, wikilinks), a Hugo
site and a Pelican site. Everything comes from one ``random.Random(seed)``, so a
given ``--articles/--seed/--actors/--aliases-per-actor`` always yields the same
bytes. ``validate_corpus`` re-reads a written brief and reports every dangling
or malformed reference.

    python benchmarks/generate.py --articles 1000 --seed 1 --out /tmp/corpus
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import re
import shutil
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from random import Random

from corpus_files import (
    HUGO_LAYOUTS,
    PELICAN_CONF,
    WIKILINK_RE,
    actor_file,
    article_file,
    event_file,
    hugo_file,
    pelican_file,
    strip_wikilinks,
    yaml_str,
)
from corpus_prose import Page, article_body, short_text
from corpus_words import KINDS
from corpus_world import make_world

FORMATS = ("briefgen", "hugo", "pelican")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FOOTNOTE_REF_RE = re.compile(r"\[\^(\d+)\](?!:)")
FOOTNOTE_DEF_RE = re.compile(r"^\[\^(\d+)\]:", flags=re.M)
LINK_DEF_RE = re.compile(r"^\[([^\]^\n][^\]\n]*)\]: ", flags=re.M)
LINK_REF_RE = re.compile(r"(?<![\[\\])\[([^\[\]\n]+)\]\[([^\[\]\n]*)\]")
"""``[text][label]`` or ``[text][]``; shortcut references look like any bracketed text."""


def _write(path: Path, text: str) -> None:
    """Write ``text`` as UTF-8 (the one place generate.py writes files)."""
    path.write_text(text, encoding="utf-8")


def generator_hash() -> str:
    """A short hash of the generator's source: corpora made by another version are stale."""
    digest = hashlib.sha256()
    for name in ("generate.py", "corpus_words.py", "corpus_world.py", "corpus_prose.py", "corpus_files.py"):
        digest.update((Path(__file__).parent / name).read_bytes())
    return digest.hexdigest()[:16]


def generate_corpus(out: Path, articles: int, seed: int, actors: int | None = None,
                    aliases_per_actor: int | None = None,
                    formats: Sequence[str] = FORMATS) -> dict[str, object]:
    """Write the corpus under ``out`` (one folder per format) and return its manifest."""
    started = time.perf_counter()
    rng = Random(seed)
    world = make_world(rng, articles, actors, aliases_per_actor)
    out.mkdir(parents=True, exist_ok=True)
    for fmt in FORMATS:
        if (out / fmt).exists():
            shutil.rmtree(out / fmt)
    brief, hugo, pelican = out / "briefgen", out / "hugo", out / "pelican"
    do_brief, do_hugo, do_pelican = ("briefgen" in formats, "hugo" in formats, "pelican" in formats)
    if do_brief:
        for sub in ("articles", "actors", "events"):
            (brief / "content" / sub).mkdir(parents=True)
        _write(brief / "briefgen.yaml", f"title: {yaml_str(world.title)}\n")
    if do_hugo:
        (hugo / "content" / "articles").mkdir(parents=True)
        (hugo / "layouts" / "_default").mkdir(parents=True)
        _write(hugo / "hugo.toml", f'baseURL = "https://example.org/"\ntitle = {yaml_str(world.title)}\n'
                                   'languageCode = "en"\n\n[taxonomies]\nactor = "actors"\ntag = "tags"\n')
        for name, text in HUGO_LAYOUTS.items():
            _write(hugo / "layouts" / "_default" / name, text)
    if do_pelican:
        (pelican / "content").mkdir(parents=True)
        _write(pelican / "pelicanconf.py", PELICAN_CONF.format(title=world.title))

    words = {"articles": 0, "actors": 0, "events": 0, "index": 0}
    by_id = {actor.id: actor for actor in world.actors}
    events_by_id = {event.id: event for event in world.events}
    labels = {actor.id: actor.name for actor in world.actors}
    labels.update((f"event:{event.id}", event.title) for event in world.events)
    labels.update((f"article:{head.slug}", head.title) for head in world.heads)
    names = {actor.id: actor.name for actor in world.actors}
    latent_counts = {latent.alias: 0 for latent in world.latent}

    index_text = short_text(rng, world, world.actors[:5], 80, 140)
    words["index"] = len(index_text.split())
    if do_brief:
        _write(brief / "content" / "index.md", index_text)
        for actor in world.actors:
            focus = [actor] + ([by_id[actor.affiliation]] if actor.affiliation else [])
            body = short_text(rng, world, focus, 30, 90)
            words["actors"] += len(body.split())
            _write(brief / "content" / "actors" / f"{actor.id}.md", actor_file(actor, body))
        for event in world.events:
            body = short_text(rng, world, [by_id[a] for a in event.actors], 40, 120)
            words["events"] += len(body.split())
            _write(brief / "content" / "events" / f"{event.id}.md", event_file(event, body))

    slugs = [head.slug for head in world.heads]
    for index, head in enumerate(world.heads):
        others = tuple(s for s in (rng.choice(slugs), rng.choice(slugs)) if s != head.slug)
        latent = tuple(lat for i, lat in enumerate(world.latent)
                       if index == i or rng.random() < world.latent_rate)
        for lat in latent:
            latent_counts[lat.alias] += 1
        page = Page(tuple(by_id[a] for a in head.actors), tuple(events_by_id[e] for e in head.events),
                     others, latent)
        article = article_body(rng, world, page, rng.randint(670, 870))
        words["articles"] += len(article.text.split())
        if do_brief:
            _write(brief / "content" / "articles" / f"{head.slug}.md", article_file(head, article.text))
        if do_hugo or do_pelican:
            plain = strip_wikilinks(article.portable, labels)
            if do_hugo:
                _write(hugo / "content" / "articles" / f"{head.slug}.md", hugo_file(head, plain, names))
            if do_pelican:
                _write(pelican / "content" / f"{head.slug}.md", pelican_file(head, plain))

    person = next((actor for actor in world.actors if actor.kind == "person"), world.actors[0])
    manifest: dict[str, object] = {
        "generator": generator_hash(),
        "seed": seed,
        "articles": len(world.heads),
        "actors": len(world.actors),
        "aliases": sum(len(actor.aliases) for actor in world.actors),
        "aliases_per_actor": aliases_per_actor,
        "events": len(world.events),
        "words": words,
        "formats": [fmt for fmt in FORMATS if fmt in formats],
        "edit_article": world.heads[len(world.heads) // 2].slug if world.heads else None,
        "edit_actor": person.id,
        "latent_aliases": [{"actor": lat.actor, "alias": lat.alias, "articles": latent_counts[lat.alias]}
                           for lat in world.latent],
        "seconds": round(time.perf_counter() - started, 3),
    }
    _write(out / "manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    return manifest


# --- validation -------------------------------------------------------------------------------

def _split_front_matter(text: str) -> tuple[str, str] | None:
    if not text.startswith("---\n"):
        return None
    end = text.find("\n---\n", 3)
    if end < 0:
        return None
    return text[4:end + 1], text[end + 5:]


def _date_key(value: object) -> tuple[int, int, int] | None:
    """Sort key of a full or partial date, or None if it is not one."""
    if isinstance(value, dt.date):
        return (value.year, value.month, value.day)
    if isinstance(value, str) and re.fullmatch(r"\d{4}(-\d{2})?", value):
        parts = [int(p) for p in value.split("-")]
        if len(parts) == 2 and not 1 <= parts[1] <= 12:
            return None
        return (parts[0], parts[1] if len(parts) > 1 else 0, 0)
    return None


def validate_corpus(root: Path) -> list[str]:
    """Every problem found in the brief under ``root`` (a corpus folder or its briefgen/).

    Checks ids are slugs, names and aliases are unique (case-insensitive), required keys
    have the right types, dates are well formed, every id in front matter and every
    ``[[...]]`` wikilink in a body refers to something that exists; and in every body,
    the brief's and the Hugo and Pelican copies, that notes, footnotes and reference
    links are whole (``body_problems``).
    """
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    brief = root / "briefgen" if (root / "briefgen" / "content").is_dir() else root
    content = brief / "content"
    problems: list[str] = []
    if not (brief / "briefgen.yaml").is_file():
        problems.append(f"{brief}/briefgen.yaml: missing")
    docs: dict[str, dict[str, tuple[dict[str, object], str]]] = {}
    for kind in ("articles", "actors", "events"):
        docs[kind] = {}
        for path in sorted((content / kind).glob("*.md")):
            rel = f"content/{kind}/{path.name}"
            if not SLUG_RE.match(path.stem):
                problems.append(f"{rel}: id {path.stem!r} is not a slug")
            split = _split_front_matter(path.read_text(encoding="utf-8"))
            if split is None:
                problems.append(f"{rel}: no front matter")
                continue
            try:
                meta = yaml.load(split[0], Loader=loader)
            except yaml.YAMLError as error:
                problems.append(f"{rel}: bad YAML: {error}")
                continue
            if not isinstance(meta, dict):
                problems.append(f"{rel}: front matter is not a mapping")
                continue
            docs[kind][path.stem] = (meta, split[1])
    actors, events, articles = docs["actors"], docs["events"], docs["articles"]
    if not articles:
        problems.append("content/articles: no articles")

    def ids(rel: str, meta: dict[str, object], key: str, known: Mapping[str, object],
            low: int, high: int) -> list[str]:
        value = meta.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            problems.append(f"{rel}: {key} is not a list of ids")
            return []
        if not low <= len(value) <= high:
            problems.append(f"{rel}: {key} has {len(value)} entries, expected {low}-{high}")
        if len(set(value)) != len(value):
            problems.append(f"{rel}: {key} has duplicates")
        problems.extend(f"{rel}: {key}: unknown id {v!r}" for v in value if v not in known)
        return value

    seen: dict[str, str] = {}
    for actor_id, (meta, _) in actors.items():
        rel = f"content/actors/{actor_id}.md"
        if meta.get("kind") not in KINDS:
            problems.append(f"{rel}: bad kind {meta.get('kind')!r}")
        aliases = meta.get("aliases", [])
        if not isinstance(aliases, list):
            problems.append(f"{rel}: aliases is not a list")
            aliases = []
        for label in [meta.get("name"), *aliases]:
            if not isinstance(label, str) or not label.strip():
                problems.append(f"{rel}: empty or non-string name/alias {label!r}")
                continue
            key = label.casefold()
            if key in seen:
                problems.append(f"{rel}: name/alias {label!r} already used by {seen[key]}")
            seen[key] = actor_id
        if not isinstance(meta.get("role", ""), str):
            problems.append(f"{rel}: role is not a string")
        affiliation = meta.get("affiliation")
        if affiliation is not None and (affiliation not in actors
                                        or actors[str(affiliation)][0].get("kind") != "state"):
            problems.append(f"{rel}: affiliation {affiliation!r} is not a state actor")
    for event_id, (meta, _) in events.items():
        rel = f"content/events/{event_id}.md"
        if not isinstance(meta.get("title"), str):
            problems.append(f"{rel}: title missing")
        start, end = _date_key(meta.get("date")), _date_key(meta.get("end")) if "end" in meta else None
        if start is None:
            problems.append(f"{rel}: bad date {meta.get('date')!r}")
        if "end" in meta and (end is None or start is None or end <= start):
            problems.append(f"{rel}: bad end {meta.get('end')!r} for date {meta.get('date')!r}")
        ids(rel, meta, "actors", actors, 1, 4)
        ids(rel, meta, "sources", articles, 0, 2)
    for slug, (meta, _) in articles.items():
        rel = f"content/articles/{slug}.md"
        if not isinstance(meta.get("title"), str):
            problems.append(f"{rel}: title missing")
        if not isinstance(meta.get("date"), dt.date):
            problems.append(f"{rel}: date {meta.get('date')!r} is not YYYY-MM-DD")
        tags = meta.get("tags")
        if not isinstance(tags, list) or not 1 <= len(tags) <= 4 or not all(isinstance(t, str) for t in tags):
            problems.append(f"{rel}: tags should be 1-4 strings")
        ids(rel, meta, "actors", actors, 2, 5)
        ids(rel, meta, "events", events, 0, 3)

    targets = {"": actors, "event:": events, "article:": articles}
    for kind, group in docs.items():
        for doc_id, (_, body) in group.items():
            for match in WIKILINK_RE.finditer(body):
                target = match.group(1)
                prefix = next((p for p in ("event:", "article:") if target.startswith(p)), "")
                if target[len(prefix):] not in targets[prefix]:
                    problems.append(f"content/{kind}/{doc_id}.md: wikilink [[{target}]] resolves to nothing")
            problems.extend(f"content/{kind}/{doc_id}.md: {problem}" for problem in body_problems(body))
    for fmt, folder in (("hugo", "content/articles"), ("pelican", "content")):
        for path in sorted((root / fmt / folder).glob("*.md")):
            text = path.read_text(encoding="utf-8")
            if "^[" in text:
                problems.append(f"{fmt}/{folder}/{path.name}: inline note left (goldmark and Python-Markdown have none)")
            problems.extend(f"{fmt}/{folder}/{path.name}: {problem}" for problem in body_problems(text))
    return problems


def body_problems(body: str) -> list[str]:
    """Footnotes without definition or the reverse, unclosed inline notes, reference
    links without definition, and definitions no link uses."""
    problems = []
    refs = set(FOOTNOTE_REF_RE.findall(body))
    defs = set(FOOTNOTE_DEF_RE.findall(body))
    if refs != defs:
        problems.append(f"footnote refs {sorted(refs)} != defs {sorted(defs)}")
    for match in re.finditer(r"\^\[", body):
        depth, pos = 0, match.start() + 1
        while pos < len(body) and body[pos] != "\n":
            depth += {"[": 1, "]": -1}.get(body[pos], 0)
            if depth == 0:
                break
            pos += 1
        if depth:
            problems.append(f"inline note at offset {match.start()} is not closed on its line")
    folded = body.casefold()
    labels = {label.casefold() for label in LINK_DEF_RE.findall(body)}
    for text, label in LINK_REF_RE.findall(body):
        if (label or text).casefold() not in labels:
            problems.append(f"reference link [{text}][{label}] has no definition")
    problems.extend(f"link definition [{label}] is not used" for label in sorted(labels)
                    if folded.count(f"[{label}]") < 2)  # the definition itself is one
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, required=True, help="number of articles (≈900 words each)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same bytes)")
    parser.add_argument("--out", type=Path, required=True, help="folder for briefgen/, hugo/, pelican/")
    parser.add_argument("--actors", type=int, default=None, help="default: articles/10, at least 5")
    parser.add_argument("--aliases-per-actor", type=int, default=None, help="default: 2-3 each")
    parser.add_argument("--formats", default=",".join(FORMATS), help="comma list of briefgen,hugo,pelican")
    parser.add_argument("--check", action="store_true", help="run validate_corpus afterwards")
    args = parser.parse_args(argv)
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown or args.articles < 1 or (args.actors is not None and args.actors < 2):
        parser.error(f"bad arguments (unknown formats: {unknown})" if unknown
                     else "need --articles >= 1 and --actors >= 2")
    manifest = generate_corpus(args.out, args.articles, args.seed, args.actors,
                               args.aliases_per_actor, formats)
    print(json.dumps(manifest, ensure_ascii=False))
    if args.check and "briefgen" in formats:
        problems = validate_corpus(args.out)
        for problem in problems:
            print(problem, file=sys.stderr)
        print(f"validate_corpus: {len(problems)} problem(s)", file=sys.stderr)
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
