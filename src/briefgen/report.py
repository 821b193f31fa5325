"""Problems as people read them.

The stages give paths relative to the brief's folder; here they become paths
the user can open from where the command ran (``Places``).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from briefgen.errors import BriefError


@dataclass(frozen=True, slots=True)
class Places:
    """Where the brief is, seen from where the command runs."""

    source: Path
    """The brief's folder, as given (``--source``)."""
    cwd: Path
    """The folder the command runs in, absolute."""
    as_given: frozenset[str] = frozenset()
    """Paths that are already the user's own spelling (the output folder's), printed unchanged."""

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


def render(problems: Sequence[BriefError], places: Places) -> str:
    """All problems, sorted, as ``path:line: error: message`` lines with paths from here."""
    return "".join(replace(p, path=places.shown(p.path)).format() + "\n" for p in sorted(problems))
