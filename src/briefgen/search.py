"""Search on a static host: a Pagefind index of the built pages, in ``pagefind/``.

Pagefind (the indexer binary that ships as a wheel, run as a command) reads
the article, actor and event pages from disk and writes the index and the
script that searches it. The templates say what it reads: each of those
pages marks its own text with ``data-pagefind-body``, leaves lists of other
entries out with ``data-pagefind-ignore`` and names its kind, date, role or
place in ``data-pagefind-meta``. No ``data-pagefind-filter``: Pagefind writes
filter values in hash-map order, so the same site would get another index on
every run.

Pagefind cannot open an index it wrote before, nor take a page out of one, so
making an index means reading every page again. What we spare is the rest: a
build whose indexed pages are those the current index was made of (the cache
keeps a digest of them) keeps it; files of a new index that are byte for byte
those of the current one stay as they were (hard links in a new build,
untouched in place), so their mtime stays and a deploy moves only what
changed; and ``briefgen serve`` indexes after the reload, off the path from a
save to the page.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Literal

from briefgen import hashing
from briefgen.errors import BriefError, error

SearchMode = Literal["index", "keep", "off"]
"""``index``: the build indexes the site. ``keep``: the build keeps the current
index as it is, for a caller that indexes later (``serve``). ``off``: no index."""

SEARCH_DIR = "pagefind"
"""Where the index goes in the output folder (Pagefind's own default name)."""
INDEXED_PAGES = "{articles,actors,events,sources}/*/index.html"
"""The pages worth finding; lists of them (the timeline, the actor index) would only repeat them."""
ENTRY_FILE = "pagefind-entry.json"
"""The file that names the rest of the index: it is put in place last."""
SCRATCH_DIR = ".briefgen-search"
"""Where Pagefind writes, inside the folder being indexed, before the files are put in place."""


def is_indexed(dest_path: str) -> bool:
    """Whether a file of the site is one of the pages the index is made of (``INDEXED_PAGES``)."""
    parts = dest_path.split("/")
    return len(parts) == 3 and parts[0] in ("articles", "actors", "events", "sources") and parts[2] == "index.html"


def made_from(digests: Mapping[str, str]) -> str:
    """What an index made of these files (dest_path -> digest of its bytes) depends on, as a digest:
    the same for the same indexed pages, whatever else the site holds."""
    indexed = sorted((dest, digest) for dest, digest in digests.items() if is_indexed(dest))
    return hashing.digest("\n".join(f"{dest} {digest}" for dest, digest in indexed).encode())


class SearchFailed(Exception):
    """Pagefind could not index the site; the message says why."""


def index_site(site: Path, current: Path | None) -> int:
    """Index the pages of ``site`` into ``site/pagefind``; return how many pages were indexed.

    ``current`` is the ``pagefind`` folder of the site being replaced (or
    ``site/pagefind`` itself when updating in place): its files that the new
    index has byte for byte are kept rather than written again.
    """
    scratch = site / SCRATCH_DIR
    try:
        pages = make_index(site, scratch)
        place_index(scratch, site / SEARCH_DIR, current)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return pages


def make_index(site: Path, scratch: Path) -> int:
    """Run Pagefind over the pages of ``site``, writing the index to ``scratch``; the number of pages.

    The indexer runs as a command, not through Pagefind's Python API: that API
    waits for ever for an answer from an indexer that has died (killed for
    want of memory, say), while a command's exit is always seen.
    """
    import subprocess  # only here: a build with nothing to do imports this module too

    shutil.rmtree(scratch, ignore_errors=True)  # left by a run that was stopped
    try:
        from pagefind.service import get_executable  # the wheel's binary, or PAGEFIND_BINARY_PATH
    except ImportError as exc:
        raise SearchFailed(f"Pagefind is not installed ({exc})") from None
    indexer = get_executable()
    if indexer is None:
        raise SearchFailed("Pagefind is not installed (no pagefind binary found)")
    command = [str(indexer), "--site", str(site.absolute()), "--glob", INDEXED_PAGES,
               "--output-path", str(scratch.absolute()), "--keep-index-url", "--silent"]
    try:
        done = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, check=False)
    except OSError as exc:  # no binary at that path, or not one for this platform
        raise SearchFailed(f"Pagefind could not start: {exc}") from None
    if done.returncode != 0:
        said = (done.stderr or done.stdout).decode("utf-8", "replace").strip().splitlines()
        raise SearchFailed(_stopped(done.returncode) + (f": {said[-1]}" if said else ""))
    return sum(1 for page in site.glob("*/*/index.html") if is_indexed(page.relative_to(site).as_posix()))


def _stopped(returncode: int) -> str:
    if returncode < 0:  # killed by a signal; SIGKILL is what the kernel sends when memory runs out
        out_of_memory = " (out of memory?)" if returncode == -9 else ""
        return f"Pagefind was stopped by signal {-returncode}{out_of_memory}"
    return f"Pagefind failed with exit status {returncode}"


def place_index(new: Path, dest: Path, current: Path | None) -> None:
    """Move the index Pagefind wrote in ``new`` to ``dest``, keeping what ``current`` has already.

    The entry file goes last, so a search that starts meanwhile finds either
    the old index or the whole new one; then files no longer named are removed.
    """
    names = sorted(_files(new), key=lambda name: (name == ENTRY_FILE, name))
    for name in names:
        target, fresh = dest / name, new / name
        existing = current / name if current is not None else None
        if existing is not None and _same_bytes(existing, fresh):
            if existing == target or _hard_link(existing, target):
                continue
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(fresh, target)
    keep = set(names)
    for name in sorted(_files(dest)):
        if name not in keep:
            (dest / name).unlink()
    for folder in sorted((p for p in dest.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()


def keep_index(site: Path, current: Path) -> None:
    """Carry the current index over into a new site unchanged (hard links where possible)."""
    for name in sorted(_files(current)):
        target = site / SEARCH_DIR / name
        if not _hard_link(current / name, target):
            shutil.copyfile(current / name, target)


def reserved(dest_paths: Iterable[str]) -> list[BriefError]:
    """Static files that would land in the index's folder."""
    return [error(f"static/{dest}", 0, f"'{SEARCH_DIR}/' holds the search index; a static file cannot go there",
                  "move it to another folder, or build with --no-search")
            for dest in sorted(dest_paths) if dest.split("/")[0] == SEARCH_DIR]


def failure(reason: str) -> BriefError:
    return error("", 0, f"the search index could not be made: {reason}",
                 "build with --no-search to publish without search; reinstalling briefgen brings Pagefind back")


def _files(folder: Path) -> list[str]:
    if not folder.is_dir():
        return []
    return [p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()]


def _same_bytes(a: Path, b: Path) -> bool:
    try:
        return a.stat().st_size == b.stat().st_size and a.read_bytes() == b.read_bytes()
    except OSError:
        return False


def _hard_link(existing: Path, target: Path) -> bool:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            target.unlink()
        os.link(existing, target)
    except OSError:
        return False
    return True
