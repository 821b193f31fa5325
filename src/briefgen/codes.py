"""A stable short code for each kind of problem, for ``--format json`` and ``github``.

The code is derived from the message, not stored in ``BriefError``: every
message briefgen makes comes from one of the templates below (the message's
f-string with each ``{...}`` written as ``{}``), and a message gets the code
of the template it matches. A test reads every ``error(...)``, ``warning(...)``
and ``fail(...)`` call in the package and checks that the templates here are
exactly the ones the code makes, so a new or reworded message fails that
test until it is listed here. Codes never change once published; a reworded
message keeps its code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

OTHER = "other"
"""The code of a message no template matches (none, while the test passes)."""

CODES: dict[str, tuple[str, ...]] = {
    # The brief's files
    "no-content": ("no content/ folder in the brief",),
    "file-unreadable": ("cannot read file: {}",),
    "nul-byte": ("file contains a NUL byte",),
    "invalid-utf8": ("invalid UTF-8 (byte 0x{})",),
    "link-outside": ("symbolic link leads outside the brief; refused",),
    "stray-file": ("file is not part of the brief; ignored",),
    "bad-file-name": ("file name '{}.md' is not a valid id",),
    "id-case-clash": ("id '{}' differs only in case from {}",),
    "duplicate-id": ("id '{}' is already used by {}",),
    "id-taken": ("actor id '{}' is taken by the page actors/{}/",),
    # Front matter as YAML
    "front-matter-not-closed": ("front matter has no closing '---'",),
    "front-matter-not-mapping": ("front matter must be a mapping of keys to values, not {}",),
    "yaml-malformed": ("malformed YAML: {}",),
    "yaml-unreadable-value": ("malformed YAML: cannot read '{}' as {}",),
    "yaml-bad-character": ("character U+{} is not allowed in YAML",),
    "yaml-too-deep": ("front matter is nested more than {} levels deep",),
    "markdown-too-deep": ("block quotes and lists nested more than {} levels deep",),
    "yaml-alias": ("YAML anchors and aliases ('&', '*') are not supported in front matter",),
    "yaml-merge-key": ("YAML merge keys ('<<') are not supported in front matter",),
    "yaml-complex-key": ("a key must be a plain name, not a list or a mapping",),
    "duplicate-key": ("duplicate key '{}'",),
    # Keys and values, in front matter and in briefgen.yaml
    "missing-key": ("missing required key '{}'",),
    "unknown-key": ("unknown key '{}{}'", "unknown key '{}' in '{}' entry"),
    "unknown-setting": ("unknown setting '{}'",),
    "wrong-type": (
        "'{}{}' must be text, not {}",
        "'{}{}' must be true or false, not {}",
        "'{}{}' must be a list{}, not {}",
        "'{}{}' item {} must be non-empty text",
        "'{}{}' item {} needs 'id' (text) and optional 'role' (text)",
        "'{}{}' item {} must be an id, not {}",
        "'source' must be a mapping (publication, url, published), not {}",
        "'affiliation' must be an actor id, not {}",
        "'{}' must be {}, not {}",
    ),
    "empty-value": ("'{}{}' must not be empty",),
    "bad-value": ("'autolink' must be one of {}, not '{}'", "'{}' must not be negative"),
    "bad-url": ("'source.url' must be an http(s) URL, not '{}'", "'url' must be an http(s) URL, not '{}'",
                "'base_url' must be an absolute http(s) URL, not '{}'",
                "'base_url' must not contain spaces or line breaks"),
    "summary-not-one-line": ("an event's 'summary' is one line",),
    "bad-date": ("'{}{}': {}",),
    "partial-date": ("'{}{}' must be a full date (YYYY-MM-DD), not '{}'",),
    "end-before-start": ("event ends ({}) before it starts ({})",),
    "end-given-twice": ("'end' cannot be given with an interval in 'date'",),
    "unknown-kind": ("unknown kind '{}'", "unknown kind '{}' in --kind"),
    "bad-tag": (
        "tag '{}' has no letters or digits to make a page name from",
        "tag '{}…' is too long to make a page name from",
        "tag '{}' would make the page tags/{}/, a name Windows reserves",
    ),
    # References between documents
    "unknown-reference": ("unknown {} '{}' in '{}'", "unknown {} '{}' in {}", "unknown actor '{}' in --actors",
                          "unknown source '{}' in 'sources'"),
    "name-taken": ("{} '{}' is already used by {}",),
    "self-affiliation": ("an actor cannot be affiliated with itself",),
    # Sources and citations
    "unsourced-event": ("event has no source",),
    "uncited-source": ("source is cited by nothing",),
    # Renamed pages
    "bad-redirect": ("'redirect_from' item '{}' is not a valid id",),
    "redirect-clash": ("'redirect_from' names '{}', a live id", "'redirect_from' names '{}', as {} does"),
    # The order of events
    "self-order": ("an event cannot come {} itself",),
    "order-cycle": ("events ordered in a circle: {}",),
    "order-against-dates": ("'{}' ({}) cannot come after '{}' ({}){}",),
    # Templates and static files
    "template-syntax": ("template syntax error: {}",),
    "template-not-found": ("template not found: {}",),
    "template-error": ("template error: {}", "template error: {}: {}"),
    "static-name": ("'{}' cannot be published under that name",),
    "static-overwrites-page": ("static file would overwrite the generated {}",),
    "draft-reference": ("{} '{}' is a draft, not published; {}",),
    # The output folder (build only)
    "output-contains-source": ("the output folder may not be the brief's folder or one that contains it",),
    "output-inside-brief": ("the output folder may not be inside the brief's {}/ folder",),
    "output-not-a-folder": ("the output path exists and is not a folder",),
    "output-below-a-file": ("the output folder cannot be made: {} is a file, not a folder",),
    "output-holds-brief": ("the output folder holds a brief's content; refusing to replace it",),
    "output-not-ours": ("the output folder exists, is not empty and was not made by briefgen; "
                        "refusing to replace it",),
    # The environment
    "bad-source-date-epoch": ("SOURCE_DATE_EPOCH must be a number of seconds since 1970, not '{}'",),
    # The search index (build only)
    "static-in-search-folder": ("'{}/' holds the search index; a static file cannot go there",),
    "search-failed": ("the search index could not be made: {}",),
    # briefgen init and new
    "folder-not-empty": ("the folder is not empty; refusing to write a brief into it",
                         "the path exists and is not a folder"),
    "file-exists": ("the file already exists; refusing to replace it",),
    "bad-id": ("'{}' is not a valid id", "cannot make an id from '{}'"),
    "file-unwritable": ("cannot write file: {}",),
}


def templates() -> Iterator[tuple[str, str]]:
    """Every (code, template) pair of the table."""
    for code, texts in CODES.items():
        for text in texts:
            yield code, text


def _pattern(template: str) -> re.Pattern[str]:
    return re.compile(".*".join(re.escape(part) for part in template.split("{}")), re.DOTALL)


# Most literal text first: "unknown key 'x' in 'actors' entry" also fits "unknown {} '{}' in {}".
_MATCHERS = sorted(((_pattern(text), code, len(text.replace("{}", ""))) for code, text in templates()),
                   key=lambda matcher: -matcher[2])


def problem_code(message: str) -> str:
    """The code of the template ``message`` was made from; the most specific one if several fit."""
    for pattern, code, _ in _MATCHERS:
        if pattern.fullmatch(message):
            return code
    return OTHER
