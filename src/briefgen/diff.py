"""``briefgen diff``: what a change to the brief does to the site, for the reviewer of a pull request.

The brief is built twice, as it was at a revision (checked out with ``git
worktree add`` into a temporary folder, so the user's work tree and index
are left alone) and as it is in the work tree, each into a temporary output;
the two sites are compared file by file. A changed page is shown as a short
diff of its visible text, what a reader sees rather than its markup, with
each link written ``[text](target)`` so that a mention that now links
elsewhere shows too. The temporary folders are removed afterwards.
"""

from __future__ import annotations

import difflib
import html
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import urljoin, urlsplit

from briefgen.build import BuildOptions, BuildReport, build
from briefgen.cache import STATE_DIR
from briefgen.errors import BriefError, BuildFailed
from briefgen.history import run_git
from briefgen.write import MARKER

MAIN_BRANCHES = ("main", "master", "origin/main", "origin/master", "origin/HEAD")
"""Where a pull request goes, in the order looked for: the default base is its merge base with HEAD."""
CONTEXT_LINES = 2
DEFAULT_LINES = 20
"""Lines of diff shown per page by default: enough to see what changed, short enough to read 14 pages of it."""


class BaseFailed(Exception):
    """The brief at the base revision does not build: its problems, with paths relative to that brief."""

    def __init__(self, label: str, problems: list[BriefError]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.label = label
        """The revision, as the user reads it: ``"main (1a2b3c4d5e6f)"``."""
        self.problems = problems


class DiffError(Exception):
    """A problem with the command's arguments or the repository: a message and a hint."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass(frozen=True, slots=True)
class Base:
    """The revision the work tree is compared with."""

    commit: str
    label: str
    """How the user named it: ``"main"`` (the merge base with it) or the revision given."""
    merge_base: bool


@dataclass(frozen=True, slots=True)
class FileChange:
    path: str
    diff: tuple[str, ...]
    """A unified diff of the page's visible text (of a text file's lines), without its file header."""
    more: int
    """Lines of ``diff`` left out beyond the limit."""


@dataclass(frozen=True, slots=True)
class SiteDiff:
    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[FileChange, ...]


# ---------------------------------------------------------------- git: the base and its checkout

def find_base(source: Path, revision: str | None) -> Base:
    """The commit to compare with: ``revision``, or HEAD's merge base with the main branch."""
    if revision is not None:
        commit = _commit(source, revision) if not revision.startswith("-") else None
        if commit is None:
            raise DiffError(f"'{revision}' is not a commit of this repository",
                            "name a branch, a tag or a commit id (git log --oneline shows them)")
        return Base(commit, revision, False)
    for branch in MAIN_BRANCHES:
        if _commit(source, branch) is None:
            continue
        found = run_git(source, "merge-base", "HEAD", branch)
        if isinstance(found, str) or found.returncode != 0 or not found.stdout.strip():
            raise DiffError(f"HEAD and '{branch}' have no commit in common", "name the revision: briefgen diff REV")
        return Base(found.stdout.strip(), branch, True)
    raise DiffError(f"no main branch to compare with (looked for {', '.join(MAIN_BRANCHES)})",
                    "name the revision: briefgen diff REV")


def _commit(source: Path, revision: str) -> str | None:
    found = run_git(source, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    if isinstance(found, str) or found.returncode != 0:
        return None
    return found.stdout.strip() or None


@contextmanager
def checkout(source: Path, commit: str, folder: Path) -> Iterator[Path]:
    """The repository at ``commit`` in ``folder`` (a linked work tree), removed again afterwards.

    No hook runs and Git LFS downloads nothing: a tool's temporary checkout is
    not the user's."""
    hooks = folder.parent / "no-hooks"
    hooks.mkdir(exist_ok=True)
    made = run_git(source, "-c", f"core.hooksPath={hooks}", "worktree", "add", "--detach", "--quiet",
                   str(folder), commit, env={"GIT_LFS_SKIP_SMUDGE": "1"})
    if isinstance(made, str) or made.returncode != 0:
        reason = made if isinstance(made, str) else made.stderr.strip().splitlines()[-1:]
        raise DiffError(f"cannot check out {commit[:12]}: {''.join(reason)}")
    try:
        yield folder
    finally:  # not `git worktree prune`, which would forget the user's own work trees that are away
        run_git(source, "worktree", "remove", "--force", str(folder))
        shutil.rmtree(folder, ignore_errors=True)


# ---------------------------------------------------------------- building both sides

def build_both(source: Path, base: Base, prefix: str, drafts: bool, temp: Path
               ) -> tuple[Path, Path, list[str]]:
    """The site at ``base`` and the site of the work tree, in ``temp``; the builds' notes, once each.

    Raises ``BaseFailed`` if the brief at ``base`` has errors, ``BuildFailed`` if the work tree's has."""
    before, after = temp / "base-site", temp / "worktree-site"
    notes: list[str] = []
    with checkout(source, base.commit, temp / "base") as tree:
        brief = tree / prefix
        if (brief / "content").is_dir():
            try:
                notes += build(BuildOptions(source=brief, output=before, drafts=drafts, cache=False)).notes
            except BuildFailed as failed:
                raise BaseFailed(f"{base.label} ({base.commit[:12]})", failed.problems) from None
        else:  # the brief did not exist yet: every page is new
            before.mkdir()
    report: BuildReport = build(BuildOptions(source=source, output=after, drafts=drafts, cache=False))
    notes += [note for note in report.notes if note not in notes]
    return before, after, notes


# ---------------------------------------------------------------- comparing the sites

def compare_sites(before: Path, after: Path, lines: int = DEFAULT_LINES) -> SiteDiff:
    """Files added, removed and changed (by their bytes) from ``before`` to ``after``; at most
    ``lines`` lines of diff per changed file (0: all of them)."""
    old, new = _files(before), _files(after)
    changed = []
    for path in sorted(old & new):
        a, b = (before / path).read_bytes(), (after / path).read_bytes()
        if a != b:
            diff = _text_diff(readable_lines(a, path), readable_lines(b, path))
            shown = diff if not lines else diff[:lines]
            changed.append(FileChange(path, tuple(shown), len(diff) - len(shown)))
    return SiteDiff(tuple(sorted(new - old)), tuple(sorted(old - new)), tuple(changed))


def _files(root: Path) -> set[str]:
    found = set()
    for folder, folders, names in os.walk(root):
        if Path(folder) == root:
            folders[:] = [name for name in folders if name != STATE_DIR]
        for name in names:
            path = Path(folder, name).relative_to(root).as_posix()
            if path != MARKER:
                found.add(path)
    return found


def _text_diff(a: list[str], b: list[str]) -> list[str]:
    return list(difflib.unified_diff(a, b, lineterm="", n=CONTEXT_LINES))[2:]  # without the file header


def readable_lines(content: bytes, path: str) -> list[str]:
    """What a reviewer reads of a file: a page's visible text, an Atom feed's too (its entries hold
    the articles' HTML, escaped), a JSON file indented, any other text file as it is; nothing of a
    binary file."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return []
    if path.endswith(".html"):
        return visible_text(text, path)
    if path.endswith(".xml") and "<feed" in text[:1000]:
        return visible_text(html.unescape(text), path, every_tag_a_block=True)
    if path.endswith(".json"):
        try:
            text = json.dumps(json.loads(text), ensure_ascii=False, indent=1, sort_keys=True)
        except ValueError:
            pass
    return text.splitlines()


_SKIPPED = {"head", "script", "style", "template"}
_UNSEEN = {"site-header", "site-footer", "skip", "vh"}
"""Classes of what is the same on every page (the built-in theme's header, footer and skip link)
or not seen (text for screen readers only)."""
_BLOCKS = {"address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "div", "dl", "dt",
           "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
           "nav", "ol", "p", "pre", "section", "summary", "table", "tr", "ul"}
_INLINE = {"a", "abbr", "b", "cite", "code", "em", "i", "kbd", "mark", "q", "s", "small", "span", "strong", "sub",
           "sup", "time", "u"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _VisibleText(HTMLParser):
    """Text a reader sees, a line per block, links as ``[text](target)`` with targets from the site root."""

    def __init__(self, dest_path: str, every_tag_a_block: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.base = f"https://site.invalid/{dest_path}"
        self.blocks = _BLOCKS if not every_tag_a_block else None
        """Tags that start and end a line; None: all but the inline ones of HTML (for XML)."""
        self.lines: list[str] = []
        self.line: list[str] = []
        self.skipping = 0
        """Depth inside an element that is not shown; 0 outside."""
        self.links: list[tuple[int, str]] = []
        """Open links: where their text starts in ``line``, and their target."""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping:
            self.skipping += tag not in _VOID
            return
        found = dict(attrs)
        if tag in _SKIPPED or "hidden" in found or _UNSEEN & set((found.get("class") or "").split()):
            self.skipping = tag not in _VOID
            return
        if self._is_block(tag):
            self._end_line()
        if tag == "a":
            self.links.append((len(self.line), self._target(found.get("href") or "")))
        elif tag == "img" and found.get("alt"):
            self.line.append(f"[image: {found['alt']}]")

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            self.skipping -= tag not in _VOID
            return
        if tag == "a" and self.links:
            start, target = self.links.pop()
            if target:
                self.line[start:] = ["[", *self.line[start:], f"]({target})"]
        elif tag in ("td", "th"):
            self.line.append(" | ")
        if self._is_block(tag):
            self._end_line()

    def _is_block(self, tag: str) -> bool:
        return tag in self.blocks if self.blocks is not None else tag not in _INLINE

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.line.append(data)

    def _target(self, href: str) -> str:
        """A link's target from the site's root ("actors/aliyev/"); external ones as written;
        none for links within the page."""
        if not href or href.startswith("#"):
            return ""
        parts = urlsplit(urljoin(self.base, href))
        if parts.netloc != "site.invalid":
            return href
        path = parts.path.lstrip("/")
        query, fragment = f"?{parts.query}" if parts.query else "", f"#{parts.fragment}" if parts.fragment else ""
        return path.removesuffix("index.html") + query + fragment or "./"

    def _end_line(self) -> None:
        if self.links:  # a block inside a link: keep the link's text together
            return
        text = " ".join("".join(self.line).split())
        if text.strip(" |"):
            self.lines.append(text.strip(" |").strip())
        self.line = []


def visible_text(markup: str, dest_path: str, every_tag_a_block: bool = False) -> list[str]:
    """The lines of text a reader sees in ``markup``, the page at ``dest_path``."""
    parser = _VisibleText(str(PurePosixPath(dest_path)), every_tag_a_block)
    parser.feed(markup)
    parser.close()
    parser._end_line()
    return parser.lines


# ---------------------------------------------------------------- output

def summary(diff: SiteDiff) -> str:
    """"14 pages changed, 1 added, 0 removed", and the other files that changed."""
    def pages(paths: tuple[str, ...]) -> int:
        return sum(path.endswith(".html") for path in paths)

    changed = tuple(change.path for change in diff.changed)
    line = f"{_count(pages(changed), 'page')} changed, {pages(diff.added)} added, {pages(diff.removed)} removed"
    others = [f"{len(paths) - pages(paths)} {verb}" for verb, paths in
              (("changed", changed), ("added", diff.added), ("removed", diff.removed)) if len(paths) > pages(paths)]
    if others:
        line += f"; other files: {', '.join(others)}"
    return line


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"


def format_text(diff: SiteDiff, base: Base) -> str:
    what = f"the merge base of HEAD and {base.label}" if base.merge_base else base.label
    out = [f"comparing the site at {what} ({base.commit[:12]}) with the work tree", summary(diff)]
    for label, paths in (("added", diff.added), ("removed", diff.removed)):
        out += [f"{label}: {path}" for path in paths]
    for change in diff.changed:
        out.append(f"changed: {change.path}")
        out += [f"  {line}" for line in change.diff]
        if change.more:
            out.append(f"  … {_count(change.more, 'more line')}")
        if not change.diff and change.path.endswith(".html"):
            out.append("  (the same text: only markup or link targets outside the text changed)")
    return "\n".join(out) + "\n"


def format_json(diff: SiteDiff, base: Base) -> str:
    """The stable shape documented in docs/guide.md ("Reviewing a change")."""
    def kind(path: str) -> str:
        return "page" if path.endswith(".html") else "file"

    data = {
        "base": {"commit": base.commit, "revision": base.label, "merge_base": base.merge_base},
        "summary": summary(diff),
        "added": [{"path": path, "kind": kind(path)} for path in diff.added],
        "removed": [{"path": path, "kind": kind(path)} for path in diff.removed],
        "changed": [{"path": c.path, "kind": kind(c.path), "diff": list(c.diff), "more_lines": c.more}
                    for c in diff.changed],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def temporary_folder() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="briefgen-diff-")
