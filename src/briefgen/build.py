"""The stages in order: files -> documents -> linked brief -> pages -> written site."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from briefgen import __version__
from briefgen.errors import BriefError, BuildFailed
from briefgen.sources import CONFIG_FILE, SECTIONS, is_ignored, theme_dirs, theme_problems
from briefgen.write import (MARKER, STATE_DIR, abort, check_output, commit, finish_interrupted_update,
                            open_staging, update_in_place)


@dataclass
class BuildReport:
    """What a build did, for the summary line."""

    pages: int = 0
    files: int = 0
    changed: int = 0
    articles: int = 0
    actors: int = 0
    events: int = 0
    up_to_date: bool = False
    """Nothing in the brief changed since the last build; nothing was written."""
    quick: bool = False
    """Only bodies changed, and none of their links: just the pages showing them were rendered."""
    problems: list[BriefError] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def warnings(self) -> list[BriefError]:
        return [p for p in self.problems if not p.is_error]

    @property
    def seconds(self) -> float:
        return sum(self.timings.values())


@dataclass(frozen=True)
class BuildOptions:
    source: Path
    output: Path | None = None
    drafts: bool = False
    strict: bool = False
    write: bool = True
    """False for ``briefgen check``: run every stage, write nothing."""
    jobs: int = 0
    """Worker processes for the expensive stages; 0 means one per core."""
    cache: bool = True
    """Reuse what the previous build in the output folder knows; False builds from scratch."""

    @property
    def output_dir(self) -> Path:
        return self.output if self.output is not None else self.source / "build"


STAGE_NAMES = {"read": "reading files", "parse": "parsing front matter", "markdown": "rendering Markdown",
               "link": "linking", "render": "rendering pages", "write": "swapping in the new site"}


def build(options: BuildOptions, progress: Callable[[str], None] | None = None) -> BuildReport:
    """Run every stage; raise ``BuildFailed`` with all problems when content is wrong.

    ``progress`` is told the name of each stage as it starts (for a display).
    """
    report = BuildReport()
    problems = report.problems

    @contextmanager
    def stage(name: str) -> Iterator[None]:
        if progress is not None:
            progress(STAGE_NAMES[name])
        started = time.perf_counter()
        yield
        report.timings[name] = report.timings.get(name, 0.0) + time.perf_counter() - started

    def stop_on_errors() -> None:
        if any(p.is_error or options.strict for p in problems):
            raise BuildFailed(_strict(problems) if options.strict else problems)

    source, output = options.source, options.output_dir
    with stage("read"):
        if options.write:
            problems.extend(check_output(output, source))
            stop_on_errors()
        dirs = theme_dirs(source)
        use_cache = options.write and options.cache
        if options.write and (output / MARKER).is_file():
            finish_interrupted_update(output)  # before reading what the last build left
        state = read_state(output) if use_cache else PreviousBuild()
        stamp = input_stamp(source, dirs, options) if options.write else {}
        if use_cache and state.inputs == stamp and state.summary is not None:
            _fill_summary(report, state.summary)
            report.up_to_date = True
            return report
    # The stages are imported only now: a rebuild with nothing changed returns
    # before it needs Markdown, YAML or Jinja at all.
    from briefgen.assets import collect_assets
    from briefgen.bodies import BodyCache, body_jobs, render_bodies
    from briefgen.config import load_config
    from briefgen.documents import DocumentCache, parse_documents_cached
    from briefgen.linker import check_unique_ids, index_documents, link
    from briefgen.pages import PagePlan, site_context
    from briefgen.parallel import default_jobs
    from briefgen.quick import MODEL_FILE, changed_content, pack_model, quick_rebuild, unpack_model
    from briefgen.render import RenderInputs, render_pages, theme_digest
    from briefgen.sources import discover

    jobs = options.jobs or default_jobs()
    known = None
    edited = changed_content(state.inputs, stamp, source) if use_cache and isinstance(state.inputs, dict) else None
    if edited and state.model is not None and state.documents is not None:
        # Only content files changed: perhaps only the text of their bodies (see quick.py).
        with stage("read"):
            known = DocumentCache.from_bytes(state.documents)
            model = unpack_model(state.model, known)
        quick = quick_rebuild(source, edited, model, dirs, stage) if model is not None else None
        if quick is not None:
            with stage("write"):
                _fill_summary(report, state.summary)
                report.quick = True
                pages = json.loads(state.pages or b"{}")
                pages.update(quick.hashes)
                report.changed = update_in_place(output, quick.files, {
                    "pages.json": _state_json(pages),
                    "inputs.json": _state_json({"inputs": stamp, "summary": state.summary}),
                })
            return report
    with stage("read"):
        config, found = load_config(source)
        problems.extend(found)
        files, found = discover(source)
        problems.extend(found)
        problems.extend(theme_problems(source))
    with stage("parse"):
        if known is None and state.documents is not None:
            known = DocumentCache.from_bytes(state.documents)
        documents, found, document_cache, unpublished = parse_documents_cached(files, options.drafts, jobs, known)
        del files  # each document keeps its body; the whole texts need not stay in memory
        problems.extend(found)
        problems.extend(check_unique_ids(documents))
        index, found = index_documents(documents, _broken_ids(problems, documents), unpublished)
        problems.extend(found)
    with stage("markdown"):
        cache = BodyCache.from_json(state.bodies) if state.bodies is not None else None
        work = body_jobs(documents)
        bodies, body_cache, body_html = render_bodies(work, index, config.autolink, cache, jobs)
    with stage("link"):
        brief, found = link(documents, bodies, index, config)
        problems.extend(found)
    stop_on_errors()
    staging = open_staging(output) if options.write else None
    try:
        with stage("render"):
            specs = PagePlan(brief)  # made page by page in the render workers
            previous_pages = json.loads(state.pages) if state.pages is not None else {}
            inputs = RenderInputs(
                specs=specs, item_digests=specs.item_digests, site=site_context(brief), dirs=dirs,
                theme_digest=theme_digest(dirs), previous=previous_pages, body_html=body_html,
                body_jobs={j.key: j for j in work}, index=index, autolink=config.autolink, staging=staging)
            pages, found = render_pages(inputs, jobs)
            problems.extend(found)
            extra, found = collect_assets(source, dirs, {p.dest_path for p in pages})
            problems.extend(found)
        stop_on_errors()
        report.articles, report.actors, report.events = len(brief.articles), len(brief.actors), len(brief.events)
        report.pages = sum(1 for p in pages if p.dest_path.endswith(".html"))
        report.files = len(pages) + len(extra)
        report.changed = sum(p.changed for p in pages)
        if staging is not None:
            with stage("write"):
                manifest = {p.dest_path: p.digest for p in pages}
                for dest_path, content in sorted(extra.items()):
                    manifest[dest_path], changed = staging.put(dest_path, content)
                    report.changed += changed
                summary = {k: getattr(report, k) for k in ("pages", "files", "articles", "actors", "events")}
                saved_model = pack_model(brief, index, document_cache)
                new_state = {
                    **({MODEL_FILE: saved_model} if saved_model is not None else {}),
                    "documents.pickle": document_cache.to_bytes(),
                    "bodies.json": body_cache.to_json(),
                    "pages.json": _state_json({p.dest_path: p.context_hash for p in pages}),
                    "inputs.json": _state_json({"inputs": stamp, "summary": summary} if not problems else {}),
                }
                commit(staging, manifest, new_state)
    except BaseException:
        if staging is not None:
            abort(staging)
        raise
    return report


def input_stamp(source: Path, dirs: list[Path], options: BuildOptions) -> dict[str, object]:
    """Size and mtime of every input, to see at a glance that nothing changed since the last build.

    Plain strings and ``os`` calls, not pathlib: a large brief has 10,000s of files,
    and this is most of what a rebuild with nothing changed does.
    """
    stamp: dict[str, object] = {"version": __version__, "drafts": options.drafts, "strict": options.strict,
                                "output": str(options.output_dir.absolute()),
                                "dirs": [str(d.absolute()) for d in dirs]}
    roots = [source / CONFIG_FILE, source / "content", source / "static", *dirs]
    for root in roots:
        for path in _walk(str(root)):
            try:
                info = os.stat(path)
            except OSError:
                continue
            stamp[path] = [info.st_size, info.st_mtime_ns]
    return stamp


def _walk(root: str) -> Iterator[str]:
    if os.path.isfile(root):
        yield root
        return
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not is_ignored(d))
        for name in sorted(filenames):
            yield os.path.join(dirpath, name)


@dataclass
class PreviousBuild:
    """What the previous build in the output folder left for the next one."""

    documents: bytes | None = None
    model: bytes | None = None
    """The linked brief of the last full build, for a quick rebuild (``quick.MODEL_FILE``)."""
    bodies: bytes | None = None
    pages: bytes | None = None
    inputs: object = None
    """The input stamp of a build that succeeded without problems, or None."""
    summary: object = None


def read_state(output: Path) -> PreviousBuild:
    """The previous build's cache; empty if the folder is not a briefgen build."""
    state = PreviousBuild()
    if not (output / MARKER).is_file():
        return state

    def read(name: str) -> bytes | None:
        try:
            return (output / STATE_DIR / name).read_bytes()
        except OSError:
            return None

    state.documents, state.bodies, state.pages = read("documents.pickle"), read("bodies.json"), read("pages.json")
    state.model = read("model.pickle")
    try:
        inputs = json.loads(read("inputs.json") or b"{}")
        if isinstance(inputs, dict) and inputs:
            state.inputs, state.summary = inputs["inputs"], inputs["summary"]
    except (ValueError, KeyError):
        pass
    return state


def _state_json(value: object) -> bytes:
    """A JSON file of ``STATE_DIR``, as ``read_state`` reads it."""
    return json.dumps(value, sort_keys=True).encode()


def _fill_summary(report: BuildReport, summary: object) -> None:
    if isinstance(summary, dict):
        for key, value in summary.items():
            if hasattr(report, key) and isinstance(value, int):
                setattr(report, key, value)


def _broken_ids(problems: Sequence[BriefError], documents: Sequence[object]) -> frozenset[str]:
    """Documents whose files exist but could not be read or parsed, as ``"actor:putin"``."""
    parsed = {getattr(d, "src_path", "") for d in documents}
    broken = set()
    for problem in problems:
        parts = problem.path.split("/")
        if (problem.is_error and problem.path not in parsed and len(parts) == 3 and parts[0] == "content"
                and parts[1] in SECTIONS and parts[2].endswith(".md")):
            broken.add(f"{SECTIONS[parts[1]]}:{parts[2].removesuffix('.md').casefold()}")
    return frozenset(broken)


def _strict(problems: list[BriefError]) -> list[BriefError]:
    return [BriefError(p.path, p.line, p.message, p.hint, "error") for p in problems]
