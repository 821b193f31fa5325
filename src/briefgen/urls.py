"""Slugs and site paths: the only place that calls python-slugify."""

from __future__ import annotations

import re
from functools import lru_cache

from slugify import slugify as _slugify

# text-unidecode maps these to nothing or to punctuation ("Əliyev" -> "liyev").
TRANSLITERATIONS: list[list[str]] = [
    ["Ə", "A"], ["ə", "a"],
    ["Ğ", "G"], ["ğ", "g"],
    ["İ", "I"], ["ı", "i"],
    ["Ş", "S"], ["ş", "s"],
    ["Ç", "C"], ["ç", "c"],
    ["Ö", "O"], ["ö", "o"],
    ["Ü", "U"], ["ü", "u"],
    ["ʼ", ""], ["’", ""], ["'", ""],
]

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_ID_LENGTH = 120
"""Ids and tag slugs become folder names; file systems stop at 255 bytes."""
# Names Windows refuses as files or folders, whatever the extension.
RESERVED_NAMES = frozenset(
    ["con", "prn", "aux", "nul"]
    + [f"com{i}" for i in range(1, 10)]
    + [f"lpt{i}" for i in range(1, 10)]
)


@lru_cache(maxsize=65536)
def slugify(text: str) -> str:
    """A readable ascii slug: "Ilham Əliyev" -> "ilham-aliyev".

    The transliteration is pinned: left to itself, python-slugify switches to
    Unidecode whenever that package is installed, and the same brief would get
    other ids and anchors on another machine."""
    if text.isascii() and "&" not in text and "," not in text:
        return _plain_ascii_slug(text)
    return _slugify(text, replacements=TRANSLITERATIONS, backend="text-unidecode")


_NOT_SLUG_RE = re.compile(r"[^-a-z0-9]+")
_DASHES_RE = re.compile(r"-{2,}")


def _plain_ascii_slug(text: str) -> str:
    """What python-slugify makes of ascii text without "&" (entities) or "," (dropped between
    digits), in a tenth of its time: every heading of a body gets a slug (a test compares the two)."""
    return _DASHES_RE.sub("-", _NOT_SLUG_RE.sub("-", text.replace("'", "").lower())).strip("-")


TAKEN_ACTOR_IDS = frozenset({"network"})
"""Folders under actors/ that are pages of their own (the network of actors), so no actor's id."""


def is_valid_id(text: str) -> bool:
    """Ids become folder names under build/, so they must be plain slugs."""
    return bool(ID_RE.match(text)) and text not in RESERVED_NAMES and len(text) <= MAX_ID_LENGTH


def relative_root(dest_path: str) -> str:
    """The prefix that leads from a page back to the site root ("../../")."""
    depth = dest_path.count("/")
    return "../" * depth


def page_url(section: str, slug: str) -> str:
    """The root-relative URL of an entity page ("actors/aliyev/")."""
    return f"{section}/{slug}/" if section else f"{slug}/"


def is_safe_dest(dest_path: str) -> bool:
    """Whether a path relative to build/ stays inside it and makes a valid file name on any system."""
    if not dest_path or "\\" in dest_path or "\0" in dest_path or ":" in dest_path:
        return False
    if dest_path.startswith("/"):
        return False
    parts = [part for part in dest_path.split("/") if part not in ("", ".")]  # as PurePosixPath reads it
    return bool(parts) and all(part != ".." and part.split(".")[0].lower() not in RESERVED_NAMES for part in parts)
