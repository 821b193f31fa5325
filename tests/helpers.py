"""Helpers shared by the tests: the small brief on disk and a way to write briefs."""

from __future__ import annotations

import textwrap
from pathlib import Path

SMALL_SITE = Path(__file__).parent / "sites" / "small" / "brief"

SMALL_BRIEF: dict[str, str | bytes] = {
    p.relative_to(SMALL_SITE).as_posix(): p.read_text("utf-8")
    for p in sorted(SMALL_SITE.rglob("*")) if p.is_file()
}
"""The small brief of the golden test, as path -> text, for tests to copy and change."""


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``files`` (path -> text, dedented, or bytes) below ``root``."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
    return root
