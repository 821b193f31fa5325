"""Corpus records and how each is written: briefgen brief, Hugo site, Pelican site."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

WIKILINK_RE = re.compile(r"\[\[([^\]|\n]+)(?:\|([^\]\n]*))?\]\]")


@dataclass(frozen=True, slots=True)
class Actor:
    """One actor as written to ``content/actors/<id>.md``."""

    id: str
    name: str
    kind: str
    aliases: tuple[str, ...]
    role: str
    affiliation: str | None
    stem: str
    """A proper noun unique to this actor, used to invent more aliases."""


@dataclass(frozen=True, slots=True)
class Event:
    """One event as written to ``content/events/<id>.md``."""

    id: str
    title: str
    date: str
    end: str | None
    place: str
    actors: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ArticleHead:
    """An article's front matter; the body is generated when it is written."""

    slug: str
    title: str
    date: dt.date
    summary: str
    authors: tuple[str, ...]
    tags: tuple[str, ...]
    actors: tuple[str, ...]
    events: tuple[str, ...]
    source: tuple[str, str, dt.date] | None


def yaml_str(text: str) -> str:
    """A YAML double-quoted scalar (JSON string syntax is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def yaml_list(items: Iterable[str]) -> str:
    """A YAML flow sequence of quoted strings."""
    return "[" + ", ".join(yaml_str(item) for item in items) + "]"


def strip_wikilinks(text: str, labels: dict[str, str]) -> str:
    """Replace ``[[target]]``/``[[target|text]]`` by plain text (for Hugo and Pelican)."""

    def plain(match: re.Match[str]) -> str:
        return match.group(2) if match.group(2) is not None else labels[match.group(1)]

    return WIKILINK_RE.sub(plain, text)


def front(lines: Iterable[str]) -> str:
    return "---\n" + "\n".join(lines) + "\n---\n"


def actor_file(actor: Actor, body: str) -> str:
    lines = [f"name: {yaml_str(actor.name)}", f"kind: {actor.kind}"]
    if actor.aliases:
        lines.append("aliases:")
        lines.extend(f"  - {yaml_str(alias)}" for alias in actor.aliases)
    lines.append(f"role: {yaml_str(actor.role)}")
    if actor.affiliation:
        lines.append(f"affiliation: {actor.affiliation}")
    return front(lines) + "\n" + body


def event_file(event: Event, body: str) -> str:
    def date(value: str) -> str:
        return value if len(value) == 10 else yaml_str(value)

    lines = [f"title: {yaml_str(event.title)}", f"date: {date(event.date)}"]
    if event.end:
        lines.append(f"end: {date(event.end)}")
    lines.append(f"place: {yaml_str(event.place)}")
    lines.append("actors: [" + ", ".join(event.actors) + "]")
    if event.sources:
        lines.append("sources: [" + ", ".join(event.sources) + "]")
    return front(lines) + "\n" + body


def article_file(head: ArticleHead, body: str) -> str:
    lines = [f"title: {yaml_str(head.title)}", f"date: {head.date.isoformat()}", f"summary: {yaml_str(head.summary)}",
             f"authors: {yaml_list(head.authors)}", f"tags: {yaml_list(head.tags)}",
             "actors: [" + ", ".join(head.actors) + "]"]
    if head.events:
        lines.append("events: [" + ", ".join(head.events) + "]")
    if head.source:
        publication, url, published = head.source
        lines += ["source:", f"  publication: {yaml_str(publication)}", f"  url: {yaml_str(url)}",
                  f"  published: {published.isoformat()}"]
    return front(lines) + "\n" + body


def hugo_file(head: ArticleHead, body: str, names: dict[str, str]) -> str:
    lines = [f"title: {yaml_str(head.title)}", f"date: {head.date.isoformat()}", f"summary: {yaml_str(head.summary)}",
             f"authors: {yaml_list(head.authors)}", f"tags: {yaml_list(head.tags)}",
             f"actors: {yaml_list(names[actor_id] for actor_id in head.actors)}"]
    return front(lines) + "\n" + body


def pelican_file(head: ArticleHead, body: str) -> str:
    return (f"Title: {head.title}\nDate: {head.date.isoformat()}\nTags: {', '.join(head.tags)}\n"
            f"Authors: {', '.join(head.authors)}\nSummary: {head.summary}\nSlug: {head.slug}\n\n{body}")


HUGO_LAYOUTS = {
    "baseof.html": """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} · {{ end }}{{ .Site.Title }}</title></head>
<body>
<header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a>
<nav><a href="{{ "/articles/" | relURL }}">Articles</a> <a href="{{ "/actors/" | relURL }}">Actors</a>
<a href="{{ "/tags/" | relURL }}">Tags</a></nav></header>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
""",
    "single.html": """{{ define "main" }}<article>
<h1>{{ .Title }}</h1>
<p class="meta"><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time>
{{ with .Params.authors }}· {{ delimit . ", " }}{{ end }}</p>
{{ with .GetTerms "actors" }}<ul class="actors">{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>{{ end }}
{{ .Content }}
{{ with .GetTerms "tags" }}<ul class="tags">{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>{{ end }}
</article>{{ end }}
""",
    "list.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2006-01-02" }}</time>
<p>{{ .Summary }}</p></li>{{ end }}</ul>{{ end }}
""",
    "taxonomy.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.LinkTitle }}</a> ({{ .Count }})</li>{{ end }}</ul>{{ end }}
""",
    "term.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2006-01-02" }}</time></li>{{ end }}</ul>{{ end }}
""",
    "index.html": """{{ define "main" }}<h1>{{ .Site.Title }}</h1>
<ul>{{ range first 20 (where .Site.RegularPages "Section" "articles") }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>
<p>{{ .Summary }}</p></li>{{ end }}</ul>{{ end }}
""",
}

PELICAN_CONF = '''"""Pelican settings for the briefgen benchmark corpus (generated)."""

AUTHOR = "briefgen benchmark"
SITENAME = {title!r}
SITEURL = ""
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%Y-%m-%d"
RELATIVE_URLS = True
THEME = "notmyidea"
DEFAULT_PAGINATION = False
# Pelican's default extensions, plus smarty: briefgen and Hugo turn straight quotes,
# dashes and ellipses into typographic ones, so Pelican does that work too.
MARKDOWN = {{
    "extension_configs": {{
        "markdown.extensions.codehilite": {{"css_class": "highlight"}},
        "markdown.extensions.extra": {{}},
        "markdown.extensions.meta": {{}},
        "markdown.extensions.smarty": {{}},
    }},
    "output_format": "html5",
}}
'''
