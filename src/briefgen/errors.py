"""The one error type of briefgen: a content problem with its source position."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True, order=True)
class BriefError:
    """A problem in the brief, pointing at the file and line that cause it."""

    path: str
    """Path relative to the brief's root (``content/actors/aliyev.md``), or ``""``."""
    line: int
    """1-based line in ``path``; 0 when the problem concerns the file as a whole."""
    message: str
    hint: str = ""
    """A suggestion for the fix ("did you mean 'aliyev'?"), or ``""``."""
    severity: Severity = "error"

    def format(self) -> str:
        """Render as ``path:line: error: message`` with the hint on its own line."""
        where = self.path or "briefgen"
        if self.path and self.line:
            where = f"{self.path}:{self.line}"
        text = _one_line(f"{where}: {self.severity}: {self.message}")
        if self.hint:
            text += f"\n  hint: {_one_line(self.hint)}"
        return text

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


_BREAKS = re.compile(r"[\x00-\x08\x0a-\x1f\x7f\x85\u2028\u2029]")


def _one_line(text: str) -> str:
    """Escape what would break a message over lines: a key like "a\\nb" is quoted as 'a\\nb'."""
    return _BREAKS.sub(lambda match: repr(match.group())[1:-1], text)


class BuildFailed(Exception):
    """Raised at the end of a stage when content errors make going on pointless."""

    def __init__(self, problems: Iterable[BriefError]) -> None:
        self.problems = sorted(problems)
        super().__init__(f"{sum(p.is_error for p in self.problems)} error(s)")


def error(path: str, line: int, message: str, hint: str = "") -> BriefError:
    return BriefError(path=path, line=line, message=message, hint=hint)


def warning(path: str, line: int, message: str, hint: str = "") -> BriefError:
    return BriefError(path=path, line=line, message=message, hint=hint, severity="warning")


def did_you_mean(word: str, candidates: Iterable[str], extra: str = "") -> str:
    """A hint naming the closest candidates, or ``extra`` alone when none is close."""
    folded: dict[str, str] = {}
    for candidate in candidates:  # the first spelling of each wins: ids come before names
        folded.setdefault(candidate.casefold(), candidate)
    close = difflib.get_close_matches(word.casefold(), sorted(folded), n=3, cutoff=0.6)
    close = [folded[c] for c in close]
    parts = []
    if close:
        parts.append("did you mean " + " or ".join(f"'{c}'" for c in close) + "?")
    if extra:
        parts.append(extra)
    return " ".join(parts)
