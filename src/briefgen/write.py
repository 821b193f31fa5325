"""The only code that writes to disk: a complete new site, swapped in at once.

The new site is written to a temporary folder beside the output and renamed
into place only when complete, so a failed or interrupted build leaves the
previous one exactly as it was. Files whose bytes did not change are hard
links to the previous build's files, so their mtime stays and rsync-style
deploys move only what changed.

A quick rebuild that changes a handful of files replaces them in place
instead (``update_in_place``), through a journal that makes the update all or
nothing as well: linking every file of a large site into a new tree would
cost more than the edit.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from briefgen import hashing
from briefgen.errors import BriefError, error
from briefgen.urls import is_safe_dest

MARKER = ".briefgen-output"
_MARKER_TEXT = b"This folder is written by briefgen build and replaced on every build.\n"


def check_output(output: Path, source: Path) -> list[BriefError]:
    """Refuse output folders whose replacement would lose the analyst's work."""
    out, src = output.resolve(), source.resolve()
    where = str(output)
    if out == src or src.is_relative_to(out):
        return [error(where, 0, "the output folder may not be the brief's folder or one that contains it",
                      "use the default (build/ inside the brief) or another empty folder")]
    for protected in ("content", "templates", "static"):
        if out.is_relative_to(src / protected):
            return [error(where, 0, f"the output folder may not be inside the brief's {protected}/ folder")]
    if out.exists() and not out.is_dir():
        return [error(where, 0, "the output path exists and is not a folder")]
    blocker = next((parent for parent in output.absolute().parents if parent.exists()), None)
    if blocker is not None and not blocker.is_dir():  # the folder would have to be made inside a file
        shown = next((p for p in output.parents if p.absolute() == blocker), blocker)
        return [error(where, 0, f"the output folder cannot be made: {shown} is a file, not a folder",
                      "choose another --output")]
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        if (out / "content").exists() or (out / "briefgen.yaml").exists():
            return [error(where, 0, "the output folder holds a brief's content; refusing to replace it")]
        return [error(where, 0, "the output folder exists, is not empty and was not made by briefgen; "
                                "refusing to replace it", "remove it yourself or choose another --output")]
    return []


def clean_leftovers(output: Path) -> None:
    """Remove temporary folders a killed build may have left (only ones we marked)."""
    parent = output.parent
    if not parent.is_dir():
        return
    for candidate in parent.glob(f".{output.name}.briefgen-*"):
        if candidate.is_dir() and (candidate / MARKER).is_file():
            shutil.rmtree(candidate, ignore_errors=True)


@dataclass(frozen=True)
class Staging:
    """A new site being written beside the current one; plain data, usable from workers."""

    output: Path
    temp: Path
    previous: dict[str, str]
    """dest_path -> digest of the files in the current build."""

    def put(self, dest_path: str, content: bytes) -> tuple[str, bool]:
        """Add a file; return its digest and whether its bytes differ from the current build."""
        if not is_safe_dest(dest_path):
            raise ValueError(f"refusing to write outside the output folder: {dest_path!r}")
        digest = hashing.digest(content)
        target = f"{self.temp}/{dest_path}"
        _make_parent(target)
        if self.previous.get(dest_path) == digest and _link(self.output / dest_path, Path(target)):
            return digest, False
        with open(target, "wb") as file:
            file.write(content)
        return digest, True

    def reuse(self, dest_path: str) -> bool:
        """Carry a file over from the current build unchanged; False if it is not there."""
        if dest_path not in self.previous or not is_safe_dest(dest_path):
            return False
        target = f"{self.temp}/{dest_path}"
        _make_parent(target)
        return _link(self.output / dest_path, Path(target))


def open_staging(output: Path, previous: Mapping[str, str]) -> Staging:
    """Start a new site in a temporary folder beside ``output``.

    ``previous`` is dest_path -> digest of the current build's files (the build
    cache knows it): files that stay the same are hard-linked from there.
    """
    output = output.absolute()
    clean_leftovers(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    temp = output.parent / f".{output.name}.briefgen-new-{os.getpid()}"
    temp.mkdir()
    (temp / MARKER).write_bytes(_MARKER_TEXT)
    return Staging(output=output, temp=temp, previous=dict(previous) if (output / MARKER).is_file() else {})


def commit(staging: Staging, state: Mapping[str, bytes]) -> None:
    """Add ``state`` (the build cache's files, by path) and swap the finished site in, all at once."""
    output, temp = staging.output, staging.temp
    for rel_path, content in sorted(state.items()):
        target = temp / rel_path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    old = output.parent / f".{output.name}.briefgen-old-{os.getpid()}"
    moved_old = False
    try:
        if output.exists():
            output.rename(old)
            moved_old = True
        temp.rename(output)
    except BaseException:
        if moved_old and not output.exists():
            old.rename(output)
        raise
    shutil.rmtree(old, ignore_errors=True)


def abort(staging: Staging) -> None:
    """Throw the unfinished site away; the current build stays as it was."""
    shutil.rmtree(staging.temp, ignore_errors=True)


def write_site(output: Path, files: Mapping[str, bytes], previous: Mapping[str, str] | None = None
               ) -> tuple[dict[str, str], int]:
    """Write ``files`` (dest_path -> bytes) as the new site in one go; return their digests and
    how many changed from ``previous`` (the digests of the current site's files)."""
    for dest_path in files:
        if not is_safe_dest(dest_path):
            raise ValueError(f"refusing to write outside the output folder: {dest_path!r}")
    staging = open_staging(output, previous or {})
    try:
        digests: dict[str, str] = {}
        changed = 0
        for dest_path in sorted(files):
            digests[dest_path], wrote = staging.put(dest_path, files[dest_path])
            changed += wrote
        commit(staging, {})
    except BaseException:
        abort(staging)
        raise
    return digests, changed


JOURNAL = ".briefgen-update/journal.json"
PENDING = ".briefgen-update/pending"


def update_in_place(output: Path, files: Mapping[str, bytes]) -> None:
    """Replace a few files of the current site (pages and the cache's parts), all or nothing.

    For a quick rebuild, where swapping in a whole new tree would cost more
    than the edit. The new files are written to a pending folder first, then a
    journal naming them is put in place in one rename: that is the moment the
    update happens. A build killed after it is finished by the next one
    (``finish_interrupted_update``); one killed before it left the site as it was.
    """
    output = output.absolute()
    for dest_path in files:
        if not is_safe_dest(dest_path):
            raise ValueError(f"refusing to write outside the output folder: {dest_path!r}")
    finish_interrupted_update(output)
    pending = output / PENDING
    pending.mkdir(parents=True)
    moves = []
    for number, (dest_path, content) in enumerate(sorted(files.items())):
        (pending / str(number)).write_bytes(content)
        moves.append([str(number), dest_path])
    journal = output / JOURNAL
    journal.with_suffix(".new").write_text(json.dumps(moves), "utf-8")
    try:
        journal.with_suffix(".new").replace(journal)
    finally:
        finish_interrupted_update(output)


def finish_interrupted_update(output: Path) -> None:
    """Complete an ``update_in_place`` that got as far as its journal; drop one that did not."""
    journal, pending = output / JOURNAL, output / PENDING
    try:
        moves = json.loads(journal.read_text("utf-8"))
    except (OSError, ValueError):  # no journal: the usual case
        moves = []
    for name, dest_path in moves if isinstance(moves, list) else []:
        source = pending / str(name)
        if not is_safe_dest(str(dest_path)) or not source.is_file():
            continue  # already moved by the run that was interrupted
        (output / dest_path).parent.mkdir(parents=True, exist_ok=True)
        source.replace(output / dest_path)
    shutil.rmtree(journal.parent, ignore_errors=True)


def _make_parent(path: str) -> None:
    """``Path(path).parent.mkdir(parents=True, exist_ok=True)`` at a third of its cost: a build
    makes a folder for nearly every one of its pages."""
    parent = os.path.dirname(path)
    try:
        os.mkdir(parent)
    except FileExistsError:
        pass
    except FileNotFoundError:
        os.makedirs(parent, exist_ok=True)


def _link(existing: Path, target: Path) -> bool:
    """Hard-link an unchanged file from the previous build; fall back to writing."""
    try:
        if existing.is_symlink() or not existing.is_file():
            return False
        os.link(existing, target)
    except OSError:
        return False
    return True
