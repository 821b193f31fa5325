"""Problems as people and tools read them: plain text, JSON, GitHub Actions annotations.

The stages give paths relative to the brief's folder; here they become paths
the user can open from where the command ran (``Places``), or paths from the
repository root for GitHub, which places annotations by those.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from briefgen.codes import problem_code
from briefgen.errors import BriefError

Format = Literal["text", "json", "github"]
FORMATS: tuple[Format, ...] = ("text", "json", "github")


@dataclass(frozen=True, slots=True)
class Places:
    """Where the brief is, seen from where the command runs."""

    source: Path
    """The brief's folder, as given (``--source``)."""
    cwd: Path
    """The folder the command runs in, absolute."""
    as_given: frozenset[str] = frozenset()
    """Paths that are already the user's own spelling (the output folder's), printed unchanged."""
    repo_root: Path | None = None
    """The git repository holding the brief (``git rev-parse --show-toplevel``), if any."""

    def absolute(self, path: str) -> str:
        base = self.cwd if path in self.as_given else self.cwd / self.source
        return os.path.normpath(os.path.join(base, path))

    def shown(self, path: str) -> str:
        """Relative to the current folder when below it, else absolute: what a terminal or editor opens."""
        if not path or path in self.as_given:
            return path
        full = self.absolute(path)
        relative = os.path.relpath(full, self.cwd)
        return full if relative == os.pardir or relative.startswith(os.pardir + os.sep) else relative

    def from_root(self, path: str) -> str:
        """Relative to the repository root, with '/', as GitHub places annotations; else as ``shown``."""
        if not path or self.repo_root is None:
            return self.shown(path)
        # git gives the root with every link resolved: resolve the brief's folder alike,
        # but not the file itself (a link inside the brief is reported under its own name).
        full = Path(os.path.realpath(os.path.dirname(self.absolute(path)))) / os.path.basename(self.absolute(path))
        try:
            return full.relative_to(self.repo_root).as_posix()
        except ValueError:
            return self.shown(path)


def render(problems: Sequence[BriefError], form: Format, places: Places) -> str:
    """All problems, sorted, in one of the formats; ends with a newline unless empty (text, github)."""
    ordered = sorted(problems)
    if form == "json":
        return json.dumps([as_json(p, places) for p in ordered], ensure_ascii=False, indent=2) + "\n"
    if form == "github":
        return "".join(github_annotation(p, places) + "\n" for p in ordered)
    return "".join(replace(p, path=places.shown(p.path)).format() + "\n" for p in ordered)


def as_json(problem: BriefError, places: Places) -> dict[str, object]:
    """The stable shape documented in docs/guide.md ("Problems as JSON")."""
    return {
        "file": places.shown(problem.path) or None,
        "line": problem.line or None,
        "severity": problem.severity,
        "code": problem_code(problem.message),
        "message": problem.message,
        "hint": problem.hint or None,
    }


def github_annotation(problem: BriefError, places: Places) -> str:
    """A workflow command: ``::error file=PATH,line=N,title=...::message``, escaped as GitHub requires."""
    properties = []
    if problem.path:
        properties.append(f"file={_escape_property(places.from_root(problem.path))}")
        if problem.line:
            properties.append(f"line={problem.line}")
    properties.append(f"title={_escape_property('briefgen: ' + problem_code(problem.message))}")
    text = problem.message + (f"\nhint: {problem.hint}" if problem.hint else "")
    return f"::{problem.severity} {','.join(properties)}::{_escape_data(text)}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
