"""Pages as data to HTML through Jinja: ``PageSpec`` in, ``RenderedPage`` out, no disk writes."""

from __future__ import annotations

import traceback
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from briefgen.errors import BriefError, error
from briefgen.pages import PageSpec


@dataclass(frozen=True, slots=True)
class RenderedPage:
    dest_path: str
    content: bytes


def builtin_theme() -> Path:
    """The theme shipped inside the package (or, in a source checkout, templates/)."""
    packaged = Path(str(resources.files("briefgen") / "templates"))
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


def make_environment(dirs: Sequence[Path]) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in dirs]),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True, default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


def _template_position(exc: BaseException, dirs: Sequence[Path], fallback: str) -> tuple[str, int]:
    """Where in a template the error happened, from Jinja's rewritten traceback."""
    lineno = getattr(exc, "lineno", None)
    filename = getattr(exc, "filename", None) or getattr(exc, "name", None)
    if lineno and filename:
        return _display_path(str(filename), dirs), int(lineno)
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if any(str(frame.filename).startswith(str(d)) for d in dirs):
            return _display_path(frame.filename, dirs), frame.lineno or 0
    return fallback, 0


def _display_path(filename: str, dirs: Sequence[Path]) -> str:
    for d in dirs:
        try:
            relative = Path(filename).resolve().relative_to(d.resolve())
        except ValueError:
            continue
        return f"templates/{relative.as_posix()}"
    return filename if filename.startswith("templates/") else f"templates/{filename}"


def render_page(env: jinja2.Environment, spec: PageSpec, site: dict[str, Any],
                dirs: Sequence[Path]) -> RenderedPage | BriefError:
    """Render one page; a template problem comes back as a ``BriefError``."""
    try:
        template = env.get_template(spec.template)
        html = template.render(spec.context, site=site)
    except jinja2.TemplateSyntaxError as exc:
        path, line = _template_position(exc, dirs, f"templates/{spec.template}")
        return error(path, line, f"template syntax error: {exc.message}")
    except jinja2.TemplateNotFound as exc:
        return error(f"templates/{spec.template}", 0, f"template not found: {exc.name}",
                     "a brief's templates/ may override built-in templates but not remove them")
    except jinja2.UndefinedError as exc:
        path, line = _template_position(exc, dirs, f"templates/{spec.template}")
        return error(path, line, f"template error: {exc.message}", f"while rendering {spec.dest_path}")
    except Exception as exc:  # noqa: BLE001 - any template failure is the theme's, not ours
        path, line = _template_position(exc, dirs, f"templates/{spec.template}")
        return error(path, line, f"template error: {type(exc).__name__}: {exc}", f"while rendering {spec.dest_path}")
    return RenderedPage(spec.dest_path, html.encode("utf-8"))


def render_pages(specs: Iterable[PageSpec], site: dict[str, Any], dirs: Sequence[Path]
                 ) -> tuple[list[RenderedPage], list[BriefError]]:
    """Render every page in one process; the same error is reported once."""
    env = make_environment(dirs)
    pages: list[RenderedPage] = []
    problems: dict[tuple[str, int, str], BriefError] = {}
    for spec in specs:
        result = render_page(env, spec, site, dirs)
        if isinstance(result, BriefError):
            problems.setdefault((result.path, result.line, result.message), result)
        else:
            pages.append(result)
    return pages, list(problems.values())
