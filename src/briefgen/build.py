"""The stages in order: files -> documents -> linked brief -> pages -> written site."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen.cache import (Cache, PageRecord, SavedHistory, SavedInputs, encode_build, encode_history, encode_inputs,
                            encode_leads, encode_pages, encode_search, history_digest, version_key)
from briefgen.errors import BriefError, BuildFailed
from briefgen.history import FileHistory, GitState, git_state, read_history, restamp, uncommitted_files, worktree_time
from briefgen.sources import CONFIG_FILE, SECTIONS, builtin_theme, is_ignored, theme_dirs, theme_problems
from briefgen.write import (MARKER, Staging, abort, check_output, commit, finish_interrupted_update,
                            open_staging, update_in_place)

if TYPE_CHECKING:
    from briefgen.bodies import BodyJob
    from briefgen.config import Config
    from briefgen.documents import Document, DocumentCache
    from briefgen.markdown import BodyResult, LinkIndex
    from briefgen.model import Brief
    from briefgen.search import SearchMode
    from briefgen.sources import SourceFile


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
    notes: list[str] = field(default_factory=list)
    """What the user should hear once that is no problem of the brief (where page dates come from)."""
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def warnings(self) -> list[BriefError]:
        return [p for p in self.problems if not p.is_error]

    @property
    def seconds(self) -> float:
        return sum(self.timings.values())

    def summary(self) -> dict[str, int]:
        """The counts a build with nothing to do reports again."""
        return {"pages": self.pages, "files": self.files, "articles": self.articles, "actors": self.actors,
                "events": self.events}


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
    search: SearchMode = "off"
    """``index`` makes the search index (the command line does, unless ``--no-search``);
    ``keep`` carries the current one over, for ``serve``, which indexes after the reload."""

    @property
    def output_dir(self) -> Path:
        return self.output if self.output is not None else self.source / "build"


STAGE_NAMES = {"read": "reading files", "parse": "parsing front matter", "markdown": "rendering Markdown",
               "link": "linking", "render": "rendering pages", "search": "indexing for search",
               "write": "swapping in the new site"}

Stage = Callable[[str], AbstractContextManager[None]]
"""``with stage(name):`` around each stage, to time it and show its name."""


def build(options: BuildOptions, progress: Callable[[str], None] | None = None) -> BuildReport:
    """Run every stage; raise ``BuildFailed`` with all problems when content is wrong.

    ``progress`` is told the name of each stage as it starts (for a display).
    """
    report = BuildReport()
    stage = _stage_timer(report, progress)
    with stage("read"):
        dirs = theme_dirs(options.source)
        cache = _open_cache(options, report.problems)
        git = git_state(options.source)
        if git.note:
            report.notes.append(f"page dates come from front matter: {git.note}")
        stamp = {**input_stamp(options, dirs), HISTORY: git.stamp()} if cache is not None else {}
        saved = cache.inputs() if cache is not None else None
    history: dict[str, FileHistory] | None = None
    if cache is not None and saved is not None:
        if saved.stamp == stamp:
            report.up_to_date = True
            _fill_summary(report, saved.summary)
            report.problems.extend(saved.warnings)
            return report
        if _differ(saved.stamp, stamp) == {HISTORY}:  # a commit, say: the files are as they were
            with stage("read"):
                history = _same_history(options, cache, saved, stamp, git, report)
            if report.up_to_date:
                return report
        elif _quick(options, cache, saved, stamp, git, dirs, stage, report):
            return report
    # The stages are imported only now: a build with nothing to do returns before it
    # needs Markdown, YAML or Jinja at all.
    from briefgen.bodies import body_jobs, render_bodies
    from briefgen.parallel import default_jobs

    jobs = options.jobs or default_jobs()
    with stage("read"):
        config, files = _read(options.source, report.problems)
        if history is None:
            history, found = read_history(options.source, git)
            report.problems.extend(found)
    with stage("parse"):
        known = cache.documents() if cache is not None else None
        documents, document_cache, index = _parse(files, options, jobs, known, report.problems)
        del files  # each document keeps its body; the whole texts need not stay in memory
    with stage("markdown"):
        work = body_jobs(documents)
        bodies, body_cache, body_html = render_bodies(
            work, index, config.autolink, cache.bodies() if cache is not None else None, jobs)
    with stage("link"):
        brief = _link(documents, bodies, index, config, history, report.problems)
    _stop_on_errors(report.problems, options)
    previous = cache.pages() if cache is not None else {}
    staging = None
    if cache is not None:
        staging = open_staging(options.output_dir, {dest: record.digest for dest, record in previous.items()})
    try:
        with stage("render"):
            pages = _render(options.source, brief, work, body_html, index, dirs, previous, staging, jobs, report)
        _stop_on_errors(report.problems, options)
        searched = None
        if staging is not None and cache is not None and options.search != "off":
            with stage("search"):
                searched = _search(options.search, staging, pages, cache.search(), report.problems)
            _stop_on_errors(report.problems, options)
        if staging is not None and cache is not None:
            with stage("write"):
                commit(staging, {
                    **encode_build(cache.key, document_cache, body_cache, brief, index),
                    **encode_pages(cache.key, pages),
                    **encode_history(cache.key, SavedHistory(history_digest(history))),
                    **encode_leads(cache.key, {}),
                    **(encode_search(cache.key, searched) if searched is not None else {}),
                    **encode_inputs(cache.key, stamp, report.summary(), report.warnings),
                })
    except BaseException:
        if staging is not None:
            abort(staging)
        raise
    return report


def _stage_timer(report: BuildReport, progress: Callable[[str], None] | None) -> Stage:
    @contextmanager
    def stage(name: str) -> Iterator[None]:
        if progress is not None:
            progress(STAGE_NAMES[name])
        started = time.perf_counter()
        yield
        report.timings[name] = report.timings.get(name, 0.0) + time.perf_counter() - started
    return stage


def _stop_on_errors(problems: list[BriefError], options: BuildOptions) -> None:
    if any(p.is_error or options.strict for p in problems):
        raise BuildFailed(_strict(problems) if options.strict else problems)


# ---------------------------------------------------------------- the cache and the quick path

def _open_cache(options: BuildOptions, problems: list[BriefError]) -> Cache | None:
    """The previous build's cache, once the output folder is known to be safe to replace;
    None for ``briefgen check``, which writes nothing. With ``--no-cache`` it reads as empty."""
    if not options.write:
        return None
    output = options.output_dir
    problems.extend(check_output(output, options.source))
    _stop_on_errors(problems, options)
    if (output / MARKER).is_file():
        finish_interrupted_update(output)  # before reading what the last build left
    return Cache(output, version_key(builtin_theme()), readable=options.cache)


HISTORY = "history"
"""The key of ``GitState.stamp()`` in the input stamp."""


def _differ(before: dict[str, object], after: dict[str, object]) -> set[str]:
    return {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}


def _same_history(options: BuildOptions, cache: Cache, saved: SavedInputs, stamp: dict[str, object],
                  git: GitState, report: BuildReport) -> dict[str, FileHistory] | None:
    """When git moved on but no file changed, the history of the last build may still hold (a commit
    of other files): then record the new stamp and report the build up to date. Else the history
    read, for the full build; None if it had problems, which the full build reports."""
    history, found = read_history(options.source, git)
    if found:
        return None
    if cache.history() == SavedHistory(history_digest(history)):  # and no quick rebuild changed it since
        update_in_place(options.output_dir, encode_inputs(cache.key, stamp, saved.summary, saved.warnings))
        report.up_to_date = True
        _fill_summary(report, saved.summary)
        report.problems.extend(saved.warnings)
    return history


def _quick(options: BuildOptions, cache: Cache, saved: SavedInputs, stamp: dict[str, object], git: GitState,
           dirs: list[Path], stage: Stage, report: BuildReport) -> bool:
    """The quick rebuild after edits to the text of bodies alone (``quick.py``); False if it does not apply."""
    from briefgen.quick import changed_content, quick_rebuild
    from briefgen.search import made_from

    edited = changed_content(saved.stamp, stamp, options.source)
    if not edited or any(w.path in edited for w in saved.warnings):
        return False  # an edited file's warnings may have gone: the full build finds out
    with stage("read"):
        model = cache.model(cache.documents())
        pages = cache.pages()
        before = cache.history()
        restamped = (_restamp(options.source, git, model.brief.history, {*edited, *before.restamped})
                     if model is not None and before is not None else None)
    if model is None or before is None or restamped is None:
        return False
    # The pages showing a file whose history changed since the last quick rebuild; the others show it already.
    fresh = restamped.keys() ^ set(before.restamped)
    quick = quick_rebuild(options.source, edited, model, pages, dirs, stage, restamped, fresh, cache.leads())
    if quick is None:
        return False
    with stage("write"):
        _fill_summary(report, saved.summary)
        report.problems.extend(saved.warnings)  # the other files', as they were: the edits' links are too
        report.quick = True
        changed = {dest: content for dest, content in quick.files.items()
                   if pages[dest].digest != quick.records[dest].digest}
        report.changed = len(changed)
        records = {**pages, **quick.records}
        searched = made_from({dest: record.digest for dest, record in records.items()})
        reindex = options.search == "index" and cache.search() != searched
        state = {**encode_pages(cache.key, records),
                 **encode_history(cache.key, before._replace(restamped=tuple(sorted(restamped)))),
                 **encode_leads(cache.key, quick.leads),
                 **(encode_search(cache.key, searched) if reindex else {}),
                 **encode_inputs(cache.key, stamp, saved.summary, saved.warnings)}
        # When the index is to be made again, the cache learns of the new pages only after it:
        # a build stopped in between finds the pages changed and indexes them again.
        update_in_place(options.output_dir, changed if reindex else {**changed, **state})
    if reindex:
        with stage("search"):
            _search_in_place(options.output_dir)
        with stage("write"):
            update_in_place(options.output_dir, state)
    return True


def _restamp(source: Path, git: GitState, history: dict[str, FileHistory],
             edited: set[str]) -> dict[str, FileHistory] | None:
    """The histories that edits changed since the last full build, whose ``history`` they were:
    a file's first edit since its commit dates it anew, and undoing every edit dates it back.
    Only files edited since (``edited``) or not committed then can have changed. None if git cannot tell."""
    paths = sorted({*edited, *(path for path, known in history.items() if known.uncommitted)} & history.keys())
    if git.note or not paths:
        return {}
    uncommitted = uncommitted_files(source, git, paths if len(paths) <= MAX_PATHSPECS else None)
    if uncommitted is None:
        return None
    if all(history[path].uncommitted == (path in uncommitted) for path in paths):
        return {}
    worktree = worktree_time(source, git)
    return restamp({path: history[path] for path in paths}, uncommitted, worktree) if worktree is not None else None


MAX_PATHSPECS = 200
"""More files than this are asked of ``git status`` as the whole content/ folder: command lines have a limit."""


def input_stamp(options: BuildOptions, dirs: list[Path]) -> dict[str, object]:
    """Size and mtime of every input, to see at a glance that nothing changed since the last build.

    Plain strings and ``os`` calls, not pathlib: a large brief has 10,000s of files,
    and this is most of what a rebuild with nothing changed does.
    """
    source = options.source
    stamp: dict[str, object] = {"drafts": options.drafts, "strict": options.strict, "search": options.search,
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


def _fill_summary(report: BuildReport, summary: dict[str, int]) -> None:
    for key, value in summary.items():
        if hasattr(report, key) and isinstance(value, int):
            setattr(report, key, value)


# ---------------------------------------------------------------- the stages

def _read(source: Path, problems: list[BriefError]) -> tuple[Config, list[SourceFile]]:
    from briefgen.config import load_config
    from briefgen.sources import discover

    config, found = load_config(source)
    problems.extend(found)
    files, found = discover(source)
    problems.extend(found)
    problems.extend(theme_problems(source))
    return config, files


def _parse(files: list[SourceFile], options: BuildOptions, jobs: int, known: DocumentCache | None,
           problems: list[BriefError]) -> tuple[list[Document], DocumentCache, LinkIndex]:
    """Documents from the files (unchanged ones from the cache), and the index of what bodies may link to."""
    from briefgen.documents import parse_documents_cached
    from briefgen.linker import check_unique_ids, index_documents

    documents, found, document_cache, unpublished = parse_documents_cached(files, options.drafts, jobs, known)
    problems.extend(found)
    problems.extend(check_unique_ids(documents))
    index, found = index_documents(documents, _broken_ids(problems, documents), unpublished)
    problems.extend(found)
    return documents, document_cache, index


def _link(documents: list[Document], bodies: dict[str, BodyResult], index: LinkIndex, config: Config,
          history: dict[str, FileHistory], problems: list[BriefError]) -> Brief:
    from dataclasses import replace

    from briefgen.linker import link

    brief, found = link(documents, bodies, index, config)
    problems.extend(found)
    return replace(brief, history={doc.src_path: history[doc.src_path] for doc in documents
                                   if doc.src_path in history})


def _render(source: Path, brief: Brief, work: list[BodyJob], body_html: dict[str, bytes], index: LinkIndex,
            dirs: list[Path], previous: dict[str, PageRecord], staging: Staging | None, jobs: int,
            report: BuildReport) -> dict[str, PageRecord]:
    """Render the pages that changed (into ``staging``), copy the assets; what the cache is to know of each file."""
    from briefgen.assets import collect_assets
    from briefgen.pages import PagePlan, site_context
    from briefgen.render import RenderInputs, render_pages, theme_digest

    plan = PagePlan(brief)  # made page by page in the render workers
    inputs = RenderInputs(
        specs=plan, item_digests=plan.item_digests, site=site_context(brief), dirs=dirs,
        theme_digest=theme_digest(dirs), previous=previous, body_html=body_html,
        body_jobs={job.key: job for job in work}, index=index, autolink=brief.config.autolink, staging=staging)
    outcomes, found = render_pages(inputs, jobs)
    report.problems.extend(found)
    extra, found = collect_assets(source, dirs, {p.dest_path for p in outcomes})
    report.problems.extend(found)
    records = {page.dest_path: PageRecord(page.context_hash, page.digest, page.shows, position)
               for position, page in enumerate(outcomes)}
    report.changed = sum(page.changed for page in outcomes)
    for dest_path, content in sorted(extra.items()):
        digest, changed = staging.put(dest_path, content) if staging is not None else ("", True)
        records[dest_path] = PageRecord("", digest)
        report.changed += changed
    report.articles, report.actors, report.events = len(brief.articles), len(brief.actors), len(brief.events)
    report.pages = sum(1 for page in outcomes if page.dest_path.endswith(".html"))
    report.files = len(records)
    return records


def _search(mode: SearchMode, staging: Staging, files: Mapping[str, PageRecord], indexed: str | None,
            problems: list[BriefError]) -> str | None:
    """Index the new site before it is swapped in, or carry the current index over: for ``keep``,
    and when it was made of the same pages (``indexed``, as the cache says). What the index is made of."""
    from briefgen.search import (ENTRY_FILE, SEARCH_DIR, SearchFailed, failure, index_site, keep_index, made_from,
                                 reserved)

    found = reserved(files)
    problems.extend(found)
    current = staging.output / SEARCH_DIR
    if found:
        return None
    pages = made_from({dest: record.digest for dest, record in files.items()})
    if mode == "keep" or (indexed == pages and (current / ENTRY_FILE).is_file()):
        keep_index(staging.temp, current)
        return indexed
    try:
        index_site(staging.temp, current)
    except SearchFailed as exc:
        problems.append(failure(str(exc)))
    return pages


def _search_in_place(output: Path) -> None:
    from briefgen.search import SEARCH_DIR, SearchFailed, failure, index_site

    try:
        index_site(output, output / SEARCH_DIR)
    except SearchFailed as exc:
        raise BuildFailed([failure(str(exc))]) from None


def record_index(output: Path) -> None:
    """Tell the cache that the search index in ``output`` was just made from the pages there now
    (``serve`` makes it after the build)."""
    from briefgen.search import made_from

    cache = Cache(output, version_key(builtin_theme()))
    pages = cache.pages()
    if pages:
        update_in_place(output, encode_search(cache.key, made_from({d: r.digest for d, r in pages.items()})))


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
