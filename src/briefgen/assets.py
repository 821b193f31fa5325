"""Files copied as they are: the theme's assets and the brief's own static/ folder."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path

from briefgen.errors import BriefError, error
from briefgen.sources import inside, is_ignored, relative, walk_files
from briefgen.urls import is_safe_dest


def collect_assets(root: Path, theme: Sequence[Path], pages: Collection[str]
                   ) -> tuple[dict[str, bytes], list[BriefError]]:
    """Theme assets (the brief's override the built-in ones) and static/, by dest_path."""
    problems: list[BriefError] = []
    files: dict[str, bytes] = {}
    for theme_dir in reversed(theme):
        assets = theme_dir / "assets"
        base = root if inside(theme_dir, root) else theme_dir  # the brief's own, or the built-in theme
        for path in walk_files(assets, base, problems):
            files[f"assets/{path.relative_to(assets).as_posix()}"] = path.read_bytes()
    static = root / "static"
    for path in walk_files(static, root, problems):
        dest_path = path.relative_to(static).as_posix()
        if any(is_ignored(part) for part in dest_path.split("/")):
            continue
        if not is_safe_dest(dest_path):
            problems.append(error(relative(path, root), 0, f"'{dest_path}' cannot be published under that name",
                                  "rename it: no ':' or '\\' in names, and no part named con, nul, aux, prn, "
                                  "com1-9 or lpt1-9 (Windows devices)"))
            continue
        if dest_path in pages:
            problems.append(error(relative(path, root), 0, f"static file would overwrite the generated {dest_path}",
                                  "rename or move it"))
            continue
        files[dest_path] = path.read_bytes()
    return files, problems
