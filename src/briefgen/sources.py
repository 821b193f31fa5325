"""Finding the brief's files on disk and reading them safely.

This is the first stage and the only one (with ``config``) that reads content
from disk; everything after it works on the ``SourceFile`` values it returns.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Literal

from briefgen.errors import BriefError, error, warning

Kind = Literal["index", "article", "actor", "event", "source"]

CONFIG_FILE = "briefgen.yaml"
SECTIONS: dict[str, Kind] = {"articles": "article", "actors": "actor", "events": "event", "sources": "source"}


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One content file, decoded, with its place in the brief."""

    src_path: str
    """Path relative to the brief root, with '/' separators."""
    kind: Kind
    text: str
    """UTF-8 text with any BOM removed and line endings made '\\n'."""


def builtin_theme() -> Path:
    """The theme shipped inside the package (or, in a source checkout, templates/)."""
    packaged = Path(__file__).resolve().parent / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "templates"


def theme_dirs(root: Path) -> list[Path]:
    """Search path for templates: the brief's own first, then the built-in theme."""
    dirs = [root / "templates"] if (root / "templates").is_dir() else []
    builtin = builtin_theme()
    if not dirs or dirs[0].resolve() != builtin.resolve():
        dirs.append(builtin)
    return dirs


def theme_problems(root: Path) -> list[BriefError]:
    """The brief's templates/ follows the rule of content/: a symbolic link that leads out
    of the brief (the folder itself or anything in it) is refused, not read as a template."""
    problems: list[BriefError] = []
    walk_files(root / "templates", root, problems)
    return problems


def is_ignored(name: str) -> bool:
    """Hidden files and the leftovers of editors never count as content."""
    return (
        name.startswith(".")
        or name.startswith("#")
        or name.endswith("~")
        or name.endswith((".swp", ".swo", ".swx", ".tmp", ".bak", ".orig"))
    )


def decode(data: bytes, src_path: str) -> tuple[str | None, list[BriefError]]:
    """Bytes to text: a BOM and CRLF are fine, NUL bytes and bad UTF-8 are not."""
    nul = data.find(b"\0")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        return None, [error(src_path, line, "file contains a NUL byte", "is this a binary file saved as .md?")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, [error(
            src_path, line, f"invalid UTF-8 (byte 0x{data[exc.start]:02x})",
            "save the file as UTF-8 in your editor",
        )]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def inside(path: Path, root: Path) -> bool:
    """Whether ``path``, with every link followed, stays within ``root``."""
    try:
        path.resolve().relative_to(root.resolve())
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def walk_files(folder: Path, root: Path, problems: list[BriefError]) -> list[Path]:
    """Every non-ignored file below ``folder``, sorted, refusing links that lead out."""
    return [Path(path) for path in _walk_paths(str(folder), root, problems)]


def _walk_paths(folder: str, root: Path, problems: list[BriefError]) -> list[str]:
    """``walk_files`` as strings, sorted as paths are (part by part).

    Strings and ``os.scandir``, not pathlib: a large brief has 10,000s of files.
    """
    found: list[str] = []
    if os.path.isdir(folder):
        if not inside(Path(folder), root):  # content/, static/ or templates/ itself is a link out
            problems.append(_link_out(Path(folder), root))
            return []
        _walk_into(folder, root, problems, found)
    return sorted(found, key=lambda path: path.split(os.sep))


def _walk_into(folder: str, root: Path, problems: list[BriefError], found: list[str]) -> None:
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError:
        return
    for entry in entries:
        if is_ignored(entry.name):
            continue
        try:
            is_dir, is_link = entry.is_dir(), entry.is_symlink()
        except OSError:
            continue
        if is_link and not inside(Path(entry.path), root):
            problems.append(_link_out(Path(entry.path), root))
        elif is_dir:
            _walk_into(entry.path, root, problems, found)
        elif os.path.isfile(entry.path) if is_link else entry.is_file():
            found.append(entry.path)


def _link_out(path: Path, root: Path) -> BriefError:
    return error(
        relative(path, root), 0, "symbolic link leads outside the brief; refused",
        f"copy the {'folder' if path.is_dir() else 'file'} into the brief instead of linking to it",
    )


def relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


def discover(root: Path) -> tuple[list[SourceFile], list[BriefError]]:
    """Read every content file of the brief at ``root``, sorted by path."""
    problems: list[BriefError] = []
    content = root / "content"
    if not content.is_dir():
        return [], [error(
            relative(content, root) if content.parent == root else str(content), 0,
            "no content/ folder in the brief",
            f"run briefgen in the brief's folder or pass --source; looked in {root}",
        )]
    files: list[SourceFile] = []
    prefix = str(content) + os.sep
    for path in _walk_paths(str(content), root, problems):
        inner = path[len(prefix):].replace(os.sep, "/")
        src_path = f"content/{inner}"
        parts = tuple(inner.split("/"))
        kind = _kind_of(parts)
        if kind is None:
            if PurePosixPath(inner).suffix == ".md" or len(parts) > 1:
                problems.append(warning(
                    src_path, 0, "file is not part of the brief; ignored",
                    "articles, actors, events and sources live in content/articles/, content/actors/, "
                    "content/events/ and content/sources/ as .md files",
                ))
            continue
        src, found = read_source(path, src_path, kind)
        problems.extend(found)
        if src is not None:
            files.append(src)
    return files, problems


def read_source(path: Path | str, src_path: str, kind: Kind) -> tuple[SourceFile | None, list[BriefError]]:
    """One content file, read and decoded."""
    try:
        with open(path, "rb") as file:
            data = file.read()
    except OSError as exc:
        return None, [error(src_path, 0, f"cannot read file: {exc.strerror}")]
    text, problems = decode(data, src_path)
    return (SourceFile(src_path=src_path, kind=kind, text=text) if text is not None else None), problems


def content_kind(src_path: str) -> Kind | None:
    """What a path relative to the brief root holds, if it is a content file of the brief."""
    parts = tuple(src_path.split("/"))
    return _kind_of(parts[1:]) if len(parts) > 1 and parts[0] == "content" else None


def _kind_of(parts: tuple[str, ...]) -> Kind | None:
    if parts == ("index.md",):
        return "index"
    if len(parts) == 2 and parts[0] in SECTIONS and parts[1].endswith(".md"):
        return SECTIONS[parts[0]]
    return None
