"""Site settings from ``briefgen.yaml``: a frozen value, checked key by key."""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Literal

from briefgen.errors import BriefError, did_you_mean, error
from briefgen.frontmatter import parse_yaml_mapping
from briefgen.sources import CONFIG_FILE, decode

AUTOLINK_MODES = ("first", "all", "off")

Autolink = Literal["first", "all", "off"]


@dataclass(frozen=True, slots=True)
class Config:
    """Settings of one brief; every field has a default that builds a site."""

    title: str = "Brief"
    description: str = ""
    language: str = "en"
    base_url: str = ""
    """Absolute URL the site is published at; used only in the feeds, events.ics and sitemap.xml."""
    autolink: Autolink = "first"
    """Link actor mentions: the first per page, all of them, or none. YAML reads an unquoted
    ``off`` (or ``no``) as false, which means ``off``; true means the default, ``first``."""
    front_page_articles: int = 10
    front_page_events: int = 8
    front_page_actors: int = 12


_TYPES: dict[str, type] = {"title": str, "description": str, "language": str, "base_url": str,
                           "autolink": str, "front_page_articles": int, "front_page_events": int,
                           "front_page_actors": int}


_KINDS: dict[type, str] = {str: "text", int: "a whole number", bool: "true or false",
                           float: "a number", list: "a list", dict: "a mapping"}


def _kind(value: Any) -> str:
    return _KINDS.get(type(value), type(value).__name__)


def parse_config(text: str | None) -> tuple[Config, list[BriefError]]:
    """Build a ``Config`` from the text of briefgen.yaml (``None``: no file)."""
    if text is None:
        return Config(), []
    data, lines, problems = parse_yaml_mapping(text, CONFIG_FILE)
    if problems:
        return Config(), problems
    known = {f.name for f in fields(Config)}
    values: dict[str, Any] = {}
    for key, value in data.items():
        line = lines.get(str(key), 1)
        if key not in known:
            problems.append(error(CONFIG_FILE, line, f"unknown setting '{key}'",
                                  did_you_mean(str(key), known, "known settings: " + ", ".join(sorted(known)))))
            continue
        expected = _TYPES[key]
        if value is None:
            continue
        if key == "autolink" and isinstance(value, bool):
            value = "first" if value else "off"
        if not isinstance(value, expected) or isinstance(value, bool):
            problems.append(error(CONFIG_FILE, line, f"'{key}' must be {_KINDS[expected]}, not {_kind(value)}"))
            continue
        if key == "autolink" and value not in AUTOLINK_MODES:
            problems.append(error(CONFIG_FILE, line, f"'autolink' must be one of {', '.join(AUTOLINK_MODES)}, not '{value}'",
                                  "true means first, false means off"))
            continue
        if isinstance(value, int) and value < 0:
            problems.append(error(CONFIG_FILE, line, f"'{key}' must not be negative"))
            continue
        if key == "base_url" and isinstance(value, str) and value and not value.startswith(("https://", "http://")):
            problems.append(error(CONFIG_FILE, line, f"'base_url' must be an absolute http(s) URL, not '{value}'",
                                  "for example https://example.org/brief/; without it every link stays relative"))
            continue
        if key == "base_url" and isinstance(value, str) and (not value.isprintable() or " " in value):
            problems.append(error(CONFIG_FILE, line, "'base_url' must not contain spaces or line breaks",
                                  "write spaces in an address as %20"))
            continue
        values[key] = value
    if "base_url" in values and values["base_url"] and not values["base_url"].endswith("/"):
        values["base_url"] += "/"
    return Config(**values), problems


def load_config(root: Path) -> tuple[Config, list[BriefError]]:
    path = root / CONFIG_FILE
    if not path.is_file():
        return parse_config(None)
    text, problems = decode(path.read_bytes(), CONFIG_FILE)
    if text is None:
        return Config(), problems
    return parse_config(text)
