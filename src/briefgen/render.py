"""Pages as data to HTML through Jinja: ``PageSpec`` in, HTML out.

The bytes go to a ``PageSink`` (the staging folder of ``write``) from the worker that
rendered them, so a large site never sits in memory whole; this module opens no file.
"""

from __future__ import annotations

import itertools
import os
import pickle
import traceback
from collections.abc import Callable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame, optimizeconst
from jinja2.ext import Extension
from jinja2.parser import Parser
import markupsafe
from markupsafe import Markup

from briefgen import hashing
from briefgen.bodies import BodyJob, variant_job
from briefgen.cache import PageRecord
from briefgen.errors import BriefError, error
from briefgen.markdown import BodyRenderer, LinkIndex
from briefgen.pages import DATA_FILE, BodyRef, PageSpec, data_text, hashable
from briefgen.parallel import run_chunks


@dataclass(frozen=True, slots=True)
class RenderedPage:
    dest_path: str
    content: bytes


class FragmentCache(Extension):
    """``{% cache key, ... %}...{% endcache %}``: a fragment rendered once per key in a build.

    The same actor chips, event and article entries recur on thousands of
    pages; rendering each once is most of what makes page rendering fast.
    As with Hugo's ``partialCached``, the key must name everything the
    fragment shows. The cache lives on the environment, made once per build.

    The tag compiles to plain template code, two filters and no call block:

        {% set k = (key, ...) %}{% set f = k|briefgen_cache_get %}
        {% if f == none %}{% filter briefgen_cache_put(k) %}...{% endfilter %}{% else %}{{ f }}{% endif %}

    so that a hit, the common case, costs a dict lookup rather than a macro
    made and called for the body.
    """

    tags = {"cache"}

    def __init__(self, environment: jinja2.Environment) -> None:
        super().__init__(environment)
        environment.extend(fragment_cache={})
        environment.filters["briefgen_cache_get"] = self._get
        environment.filters["briefgen_cache_put"] = self._put
        self._tags = itertools.count()

    def parse(self, parser: Parser) -> list[nodes.Node]:
        lineno = next(parser.stream).lineno
        key = [parser.parse_expression()]
        while parser.stream.skip_if("comma"):
            key.append(parser.parse_expression())
        body = parser.parse_statements(("name:endcache",), drop_needle=True)
        number = next(self._tags)  # names of its own, also for tags nested on one line
        key_name = f"_briefgen_cache_key_{number}"
        fragment_name = f"_briefgen_cache_fragment_{number}"
        found = nodes.Filter(nodes.Name(key_name, "load"), "briefgen_cache_get", [], [], None, None)
        missing = nodes.Compare(nodes.Name(fragment_name, "load"), [nodes.Operand("eq", nodes.Const(None))])
        put = nodes.Filter(None, "briefgen_cache_put", [nodes.Name(key_name, "load")], [], None, None)
        return [
            nodes.Assign(nodes.Name(key_name, "store"), nodes.Tuple(key, "load")).set_lineno(lineno),
            nodes.Assign(nodes.Name(fragment_name, "store"), found).set_lineno(lineno),
            nodes.If(missing, [nodes.FilterBlock(body, put)], [],
                     [nodes.Output([nodes.Name(fragment_name, "load")])]).set_lineno(lineno),
        ]

    def _get(self, key: tuple[Any, ...]) -> Markup | None:
        cache: dict[tuple[Any, ...], Markup] = self.environment.fragment_cache  # type: ignore[attr-defined]
        return cache.get(key)

    def _put(self, fragment: str, key: tuple[Any, ...]) -> Markup:
        cache: dict[tuple[Any, ...], Markup] = self.environment.fragment_cache  # type: ignore[attr-defined]
        made = cache[key] = Markup(fragment)
        return made


_ESCAPE_INNER: Callable[[str], str] | None = getattr(markupsafe, "_escape_inner", None)  # markupsafe >= 2.1
_NEW_STR = str.__new__


def _fast_escape(value: Any) -> Markup:
    """``markupsafe.escape`` without ``Markup``'s Python constructor for a str or a Markup,
    the common cases: a build escapes millions of values, and the constructor dominated the cost."""
    if type(value) is str:
        return _NEW_STR(Markup, _ESCAPE_INNER(value))  # type: ignore[misc]
    if type(value) is Markup:
        return value
    return markupsafe.escape(value)


_escape = _fast_escape if _ESCAPE_INNER is not None else markupsafe.escape


class PageTemplate(jinja2.Template):
    """A template whose compiled code escapes with ``_escape``."""

    @classmethod
    def _from_namespace(cls, environment: jinja2.Environment, namespace: MutableMapping[str, Any],
                        globals: MutableMapping[str, Any]) -> jinja2.Template:
        # The compiled module looks ``escape`` up in its namespace: Jinja's own (private) hook
        # for making a template from it is the one place to swap it, for this environment only.
        namespace["escape"] = _escape
        return super()._from_namespace(environment, namespace, globals)


class PageCodeGenerator(CodeGenerator):
    """Compiles ``item.name`` to an inline key lookup when ``item`` is a dict, the attribute
    lookup of ``PageEnvironment`` otherwise: a page makes many, each a method call before."""

    @optimizeconst
    def visit_Getattr(self, node: nodes.Getattr, frame: Frame) -> None:
        if self.environment.is_async:
            return super().visit_Getattr(node, frame)
        self.write(f"(_briefgen_item[{node.attr!r}] if type(_briefgen_item := ")
        self.visit(node.node, frame)
        self.write(f") is dict and {node.attr!r} in _briefgen_item "
                   f"else environment.getattr(_briefgen_item, {node.attr!r}))")
        return None


class PageEnvironment(jinja2.Environment):
    """Jinja for page contexts, which are dicts: ``item.name`` looks up the key first.

    Jinja tries the attribute first, and a dict has no attribute ``name``: the
    ``AttributeError`` raised and caught for each lookup of a page was a
    large part of page rendering. A key can hide a dict method only if it has a
    method's name, which no context key has (a test checks).
    """

    template_class = PageTemplate
    code_generator_class = PageCodeGenerator

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


def make_environment(dirs: Sequence[Path]) -> jinja2.Environment:
    env = PageEnvironment(
        extensions=[FragmentCache],
        loader=jinja2.FileSystemLoader([str(d) for d in dirs]),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True, default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # templates do not change during a build: no stat of each one for every page
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
        # as Jinja found it first: a template may be a link to a file elsewhere in the brief
        for path, folder in ((Path(os.path.abspath(filename)), Path(os.path.abspath(d))),
                             (Path(filename).resolve(), d.resolve())):
            try:
                relative = path.relative_to(folder)
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


PARALLEL_MIN_PAGES = 400
"""Each worker compiles the theme once (a few hundred ms), so small sites render in one process."""


class PageSink(Protocol):
    """Where rendered pages go (``write.Staging``); pages the sink still has are reused."""

    def put(self, dest_path: str, content: bytes) -> tuple[str, bool]: ...

    def reuse(self, dest_path: str) -> bool: ...


@dataclass(frozen=True, slots=True)
class PageOutcome:
    """What happened to one page: its context hash, file digest, whether its bytes changed,
    and the keys of the bodies it shows."""

    dest_path: str
    context_hash: str
    digest: str
    changed: bool
    shows: tuple[str, ...] = ()


@dataclass(frozen=True)
class RenderInputs:
    """Everything a render worker needs; inherited by forked workers, never mutated."""

    specs: Sequence[PageSpec]
    item_digests: Mapping[int, str]
    """``Items.digests`` of the items the specs are made with (``PagePlan.item_digests``)."""
    site: dict[str, Any]
    dirs: Sequence[Path]
    theme_digest: str
    previous: Mapping[str, PageRecord]
    """What the cache knows of the previous build's pages."""
    body_html: dict[str, bytes]
    """The HTML of the bodies rendered in this build; the others are rendered again if needed."""
    body_jobs: dict[str, BodyJob]
    index: LinkIndex
    autolink: str
    staging: PageSink | None


def theme_digest(dirs: Sequence[Path]) -> str:
    """A digest of every template file that could be used, in search-path order."""
    return hashing.digest(b"".join(
        path.relative_to(directory).as_posix().encode() + b"\0" + path.read_bytes()
        for directory in dirs for path in sorted(directory.rglob("*")) if path.is_file()))


def context_hash(theme: str, site: dict[str, Any], spec: PageSpec, item_digests: Mapping[int, str]) -> str:
    """What a page's bytes depend on, given the ``theme_digest`` and the digests of the ``Items``
    that made it. Contexts are built the same way every time, so pickle (much faster than json
    here) gives the same bytes for the same data."""
    data = pickle.dumps((theme, spec.template, site, hashable(spec.context, item_digests)), protocol=5)
    return hashing.digest(data)


def fill_bodies(context: dict[str, Any], body: Callable[[BodyRef], Markup]) -> dict[str, Any]:
    """The context with its BodyRefs swapped for HTML. pages.py puts them in the context,
    in a dict in it, or in the dicts of a list in it (all alike, so the first one tells)."""
    filled = dict(context)
    for name, value in context.items():
        if isinstance(value, BodyRef):
            filled[name] = body(value)
        elif isinstance(value, dict):
            filled[name] = _fill_dict(value, body)
        elif isinstance(value, list) and value and isinstance(value[0], dict) and _has_ref(value[0]):
            filled[name] = [_fill_dict(item, body) for item in value]
    return filled


def _fill_dict(item: dict[str, Any], body: Callable[[BodyRef], Markup]) -> dict[str, Any]:
    if not _has_ref(item):
        return item
    return {k: body(v) if isinstance(v, BodyRef) else v for k, v in item.items()}


def _page_worker(inputs: RenderInputs) -> Callable[[int, int], list[PageOutcome | BriefError]]:
    env = make_environment(inputs.dirs)
    renderer: list[BodyRenderer] = []
    rendered_again: dict[str, str] = {}

    shown: list[str] = []

    def body(ref: BodyRef) -> Markup:
        shown.append(ref.key)
        utf8 = inputs.body_html.get(ref.key) if not ref.variant else None
        if utf8 is not None:
            return Markup(utf8.decode("utf-8"))
        key = f"{ref.variant}:{ref.key}" if ref.variant else ref.key
        if key not in rendered_again:  # from the cache, or a variant: render it, it is a pure function
            if not renderer:
                renderer.append(BodyRenderer(inputs.index, inputs.autolink))
            job = inputs.body_jobs[ref.key]
            job = variant_job(job, ref.variant) if ref.variant else job
            rendered_again[key] = job.render(renderer[0]).html or ""
        return Markup(rendered_again[key])

    def render(start: int, stop: int) -> list[PageOutcome | BriefError]:
        outcomes: list[PageOutcome | BriefError] = []
        for spec in inputs.specs[start:stop]:
            digest = context_hash(inputs.theme_digest, inputs.site, spec, inputs.item_digests)
            staging = inputs.staging
            before = inputs.previous.get(spec.dest_path)
            if staging and before and before.context_hash == digest and staging.reuse(spec.dest_path):
                outcomes.append(PageOutcome(spec.dest_path, digest, before.digest, False, before.shows))
                continue
            shown.clear()
            if spec.template == DATA_FILE:
                page: RenderedPage | BriefError = RenderedPage(spec.dest_path,
                                                               data_text(spec.context, inputs.site).encode("utf-8"))
            else:
                page = render_page(env, PageSpec(spec.dest_path, spec.template, fill_bodies(spec.context, body)),
                                   inputs.site, inputs.dirs)
            shows = tuple(sorted(set(shown)))
            if isinstance(page, BriefError):
                outcomes.append(page)
            elif staging:
                file_digest, changed = staging.put(page.dest_path, page.content)
                outcomes.append(PageOutcome(page.dest_path, digest, file_digest, changed, shows))
            else:
                outcomes.append(PageOutcome(page.dest_path, digest, "", True, shows))
        return outcomes
    return render


def _has_ref(item: dict[str, Any]) -> bool:
    return any(isinstance(v, BodyRef) for v in item.values())


def render_pages(inputs: RenderInputs, jobs: int = 1) -> tuple[list[PageOutcome], list[BriefError]]:
    """Render (and, given a staging folder, write) every page; the same error is reported once."""
    outcomes = run_chunks(_page_worker, (inputs,), len(inputs.specs), jobs, min_parallel=PARALLEL_MIN_PAGES)
    pages: list[PageOutcome] = []
    problems: dict[tuple[str, int, str], BriefError] = {}
    for outcome in outcomes:
        if isinstance(outcome, BriefError):
            problems.setdefault((outcome.path, outcome.line, outcome.message), outcome)
        else:
            pages.append(outcome)
    return pages, list(problems.values())
