"""When each content file was first published and last updated, from git.

git is a side effect, so the build asks it here and nowhere else, in as few
calls as a build allows: ``git_state`` (one ``git rev-parse``) on every build,
to see at a glance whether the history may have changed; ``read_history``
(one ``git log`` for the whole content/ tree, one ``git status``, one
``git show``) when it may have. ``git log --follow`` follows one path only,
so the log is walked newest to oldest here, and renames are followed by hand.

The rule for time, so that the clock never enters the output: a committed
change is dated by its commit (the committer date: when it entered the
history, which a rebase or a squash-merge moves to when it landed); a change
not yet committed (an edited file, a file git does not track yet) by
``SOURCE_DATE_EPOCH`` if it is set, else by the HEAD commit. Without git,
outside a repository, before the first commit or in a shallow clone (whose
history is cut off, so every file would look new), there is no history: the
pages fall back to front-matter dates, and ``GitState.note`` says why.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from briefgen.dates import MONTH_NAMES
from briefgen.errors import BriefError, error

SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"
KEPT_CHANGES = 10
"""Changes kept per file, newest first: a page lists a few, not hundreds."""
GIT_TIMEOUT = 300
_RECORD = "\x1e"
"""Starts each commit in the log's output (a byte no path of the brief and no subject holds)."""
_LOG_FORMAT = "%x1e%ct%x00%cI%x00%s"


@dataclass(frozen=True, slots=True, order=True)
class Moment:
    """A point in time as a commit gives it: seconds since 1970 and the committer's UTC offset."""

    seconds: int
    offset: int = 0
    """Minutes east of UTC: the day shown is the day on the committer's calendar."""

    def __reduce__(self) -> tuple[type[Moment], tuple[int, int]]:
        # Pickled as a call, like the documents: the saved brief holds one history per file.
        return (Moment, (self.seconds, self.offset))

    @property
    def iso(self) -> str:
        """RFC 3339 in UTC, for ``<time datetime>``, Atom and sitemaps (equal lengths compare as times)."""
        return dt.datetime.fromtimestamp(self.seconds, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

    def display(self) -> str:
        """"12 March 2024", in English whatever the machine's locale."""
        day = dt.datetime.fromtimestamp(self.seconds, dt.timezone(dt.timedelta(minutes=self.offset)))
        return f"{day.day} {MONTH_NAMES[day.month]} {day.year}"


@dataclass(frozen=True, slots=True)
class Change:
    when: Moment
    subject: str
    """The commit's subject line."""
    committed: bool = True
    """False for the changes in the work tree that are not committed yet."""

    def __reduce__(self) -> tuple[type[Change], tuple[Moment, str, bool]]:
        return (Change, (self.when, self.subject, self.committed))


@dataclass(frozen=True, slots=True)
class FileHistory:
    """The history of one content file, renames followed."""

    published: Moment
    """Its first commit, or, not committed yet, the time of uncommitted changes."""
    updated: Moment
    changes: tuple[Change, ...]
    """The newest ``KEPT_CHANGES`` changes, newest first."""
    count: int
    """How many changes there are in all."""
    uncommitted: bool = False
    """The file differs from HEAD (or git does not track it)."""

    def __reduce__(self) -> tuple[type[FileHistory], tuple[Moment, Moment, tuple[Change, ...], int, bool]]:
        return (FileHistory, (self.published, self.updated, self.changes, self.count, self.uncommitted))


@dataclass(frozen=True, slots=True)
class GitState:
    """What one quick call to git tells: whether the history can be read, and the commit it ends at."""

    head: str = ""
    prefix: str = ""
    """The brief's folder inside the repository (``"briefs/caucasus/"``), ``""`` at its root."""
    epoch: str = ""
    """``SOURCE_DATE_EPOCH`` as set, ``""`` if not."""
    note: str = ""
    """Why the pages' dates cannot come from git; ``""`` when they can."""

    def stamp(self) -> tuple[str, str, str, str]:
        """What the build's input stamp holds: if it is the same, so is the history, files aside."""
        return (self.head, self.prefix, self.epoch, self.note)


SHALLOW = ("this is a shallow clone, whose history is cut off "
           "(git fetch --unshallow, or fetch-depth: 0 for actions/checkout)")


def git_state(source: Path) -> GitState:
    """One ``git rev-parse``: the repository, shallow or not, and HEAD. Files are stamped by the build."""
    epoch = os.environ.get(SOURCE_DATE_EPOCH, "")
    found = run_git(source, "rev-parse", "--show-prefix", "--is-shallow-repository", "--verify", "--quiet", "HEAD")
    if isinstance(found, str):
        return GitState(epoch=epoch, note=found)
    lines = found.stdout.split("\n")
    if found.returncode not in (0, 1) or len(lines) < 2:
        return GitState(epoch=epoch, note=_git_said(found.stderr, "the brief is not in a git repository"))
    if found.returncode == 1 or len(lines) < 3 or not lines[2]:
        return GitState(epoch=epoch, note="the repository has no commit yet")
    shallow = lines[1] == "true"
    return GitState(head=lines[2], prefix=lines[0], epoch=epoch, note=SHALLOW if shallow else "")


def read_history(source: Path, state: GitState) -> tuple[dict[str, FileHistory], list[BriefError]]:
    """The history of every content file, by ``src_path``; empty when ``state`` has a note."""
    _, problems = _epoch(state.epoch)
    if state.note:
        return {}, problems
    worktree = worktree_time(source, state)
    log = _output(run_git(source, "-c", "diff.renameLimit=0", "-c", "log.showSignature=false",
                          "log", "-z", "--topo-order", "--no-color",
                          f"--format={_LOG_FORMAT}", "--name-status", "-M", "--relative", state.head,
                          "--", "content"))
    uncommitted = uncommitted_files(source, state)
    if worktree is None or log is None or uncommitted is None:
        return {}, problems  # git failed after git_state found it working: the pages fall back this once
    return combine(parse_log(log), uncommitted, worktree), problems


def worktree_time(source: Path, state: GitState) -> Moment | None:
    """The time of changes not committed yet: ``SOURCE_DATE_EPOCH``, else the HEAD commit's."""
    epoch, _ = _epoch(state.epoch)
    if epoch is not None:
        return epoch
    head = _output(run_git(source, "show", "--no-patch", "--format=%ct%x00%cI", state.head))
    if head is None:
        return None
    seconds, _, iso = head.strip().partition("\0")
    return Moment(int(seconds), _offset(iso))


def uncommitted_files(source: Path, state: GitState, src_paths: Sequence[str] | None = None) -> set[str] | None:
    """Content files (as ``src_path``; of ``src_paths`` only, if given) that differ from HEAD or
    that git does not track; None if git cannot tell."""
    found = _output(run_git(source, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--ignored=matching",
                            "--no-renames", "--", *(src_paths if src_paths is not None else ["content"])))
    return parse_status(found, state.prefix) if found is not None else None


def run_git(folder: Path, *args: str, env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess[str] | str:
    """``git -C folder args``, or why it could not run. Output is read as UTF-8 whatever the locale
    (commit subjects are UTF-8 unless a repository says otherwise; paths come with ``-z``, unquoted)."""
    try:
        # --no-optional-locks: git status may not refresh the index, which would lock it under the user's git.
        return subprocess.run(["git", "--no-optional-locks", "-C", str(folder), *args], capture_output=True,
                              encoding="utf-8", errors="replace", timeout=GIT_TIMEOUT, check=False,
                              stdin=subprocess.DEVNULL, env={**os.environ, **env} if env else None)
    except FileNotFoundError:
        return "git is not installed (or not on PATH)"
    except (OSError, subprocess.SubprocessError) as exc:
        return f"git did not run: {exc}"


def _output(result: subprocess.CompletedProcess[str] | str) -> str | None:
    return result.stdout if not isinstance(result, str) and result.returncode == 0 else None


def _git_said(stderr: str, default: str) -> str:
    """git's own reason, unless it is the usual one."""
    first = stderr.strip().splitlines()[0] if stderr.strip() else ""
    if not first or "not a git repository" in first:
        return default
    return f"git says: {first.removeprefix('fatal: ')}"


def _epoch(value: str) -> tuple[Moment | None, list[BriefError]]:
    if not value:
        return None, []
    if value.isascii() and value.isdigit() and int(value) < 253402300800:  # before the year 10000
        return Moment(int(value)), []
    return None, [error("", 0, f"SOURCE_DATE_EPOCH must be a number of seconds since 1970, not '{value}'",
                        "unset it, or set it from git: SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)")]


def _offset(iso: str) -> int:
    """Minutes east of UTC from the end of a strict ISO 8601 time (``+04:00``, ``-05:30``, ``Z``)."""
    if iso.endswith("Z") or len(iso) < 6 or iso[-6] not in "+-":
        return 0
    minutes = int(iso[-5:-3]) * 60 + int(iso[-2:])
    return minutes if iso[-6] == "+" else -minutes


def parse_log(output: str) -> dict[str, list[Change]]:
    """Each file's changes, newest first, by its path now, from ``git log -z --name-status -M``
    read newest to oldest (``--topo-order``: a commit before its parents).

    A rename moves the older history to the new name; a file added (or re-added
    after a deletion) starts its history there, and older commits naming that
    path were another file's. Files deleted since are left out.
    """
    changes: dict[str, list[Change]] = {}
    now: dict[str, str] = {}
    """A path as the commits read so far name it -> the path that file has now; "" for no file of now."""
    for record in output.split(_RECORD)[1:]:
        fields = [field.lstrip("\n") for field in record.split("\0")]
        if len(fields) < 3:
            continue
        change = Change(Moment(int(fields[0]), _offset(fields[1])), fields[2])
        entries = fields[3:]
        position = 0
        while position < len(entries):
            status = entries[position]
            if not status:
                position += 1
                continue
            if status[0] in "RC" and position + 2 < len(entries):
                old, path = entries[position + 1], entries[position + 2]
                position += 3
            elif position + 1 < len(entries):
                old = path = entries[position + 1]
                position += 2
            else:
                break
            current = now.get(path, path)
            if status[0] == "D":
                now.setdefault(path, "")
                continue
            if current:
                changes.setdefault(current, []).append(change)
            if status[0] in "AC":
                now[path] = ""
            elif status[0] == "R":
                now[path] = ""
                now[old] = current
    return changes


def parse_status(output: str, prefix: str) -> set[str]:
    """Paths (relative to the brief) that ``git status --porcelain -z --no-renames`` lists as
    differing from HEAD or untracked, files deleted from the work tree left out."""
    found = set()
    for entry in output.split("\0"):
        if len(entry) < 4 or "D" in entry[:2]:
            continue
        path = entry[3:]
        if path.startswith(prefix):
            found.add(path[len(prefix):])
    return found


def restamp(history: Mapping[str, FileHistory], uncommitted: set[str],
            worktree: Moment) -> dict[str, FileHistory] | None:
    """The files of ``history`` whose history ``combine`` would make otherwise now that ``uncommitted``
    differ from HEAD, HEAD being the same; None if that needs a change no longer kept."""
    changed = {}
    for path, before in sorted(history.items()):
        if before.uncommitted == (path in uncommitted):
            continue
        if path in uncommitted:
            newest = max(worktree, before.updated)
            changes = (Change(newest, "", committed=False), *before.changes)
            changed[path] = FileHistory(before.published, newest, changes[:KEPT_CHANGES], before.count + 1, True)
        elif len(before.changes) == before.count >= 2:
            committed = before.changes[1:]
            changed[path] = FileHistory(before.published, committed[0].when, committed, before.count - 1)
        else:
            return None
    return changed


def combine(committed: Mapping[str, list[Change]], uncommitted: set[str],
            worktree: Moment) -> dict[str, FileHistory]:
    """Each file's history: its commits, and one change at ``worktree`` time if it is not committed as it is."""
    files = {}
    for path in sorted(committed.keys() | uncommitted):
        changes = list(committed.get(path, ()))
        published = changes[-1].when if changes else worktree
        if path in uncommitted:
            newest = max(worktree, changes[0].when) if changes else worktree
            changes.insert(0, Change(newest, "", committed=False))
        files[path] = FileHistory(published, changes[0].when, tuple(changes[:KEPT_CHANGES]), len(changes),
                                  path in uncommitted)
    return files
