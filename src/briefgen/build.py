"""The stages in order: files -> documents -> linked brief -> pages -> written site."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from briefgen.config import load_config
from briefgen.documents import parse_documents
from briefgen.errors import BriefError, BuildFailed
from briefgen.linker import check_unique_ids, index_documents, link
from briefgen.markdown import render_bodies
from briefgen.pages import brief_data, plan_pages, site_context
from briefgen.render import render_pages, theme_dirs
from briefgen.sources import discover
from briefgen.assets import collect_assets
from briefgen.write import check_output, write_site


@dataclass
class BuildReport:
    """What a build did, for the summary line."""

    pages: int = 0
    files: int = 0
    changed: int = 0
    articles: int = 0
    actors: int = 0
    events: int = 0
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

    @property
    def output_dir(self) -> Path:
        return self.output if self.output is not None else self.source / "build"


def build(options: BuildOptions) -> BuildReport:
    """Run every stage; raise ``BuildFailed`` with all problems when content is wrong."""
    report = BuildReport()
    problems = report.problems

    @contextmanager
    def stage(name: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        report.timings[name] = report.timings.get(name, 0.0) + time.perf_counter() - started

    def stop_on_errors() -> None:
        if any(p.is_error or options.strict for p in problems):
            raise BuildFailed(_strict(problems) if options.strict else problems)

    source = options.source
    with stage("read"):
        if options.write:
            problems.extend(check_output(options.output_dir, source))
        config, found = load_config(source)
        problems.extend(found)
        files, found = discover(source)
        problems.extend(found)
    with stage("parse"):
        documents, found = parse_documents(files, drafts=options.drafts)
        problems.extend(found)
        problems.extend(check_unique_ids(documents))
        index, found = index_documents(documents)
        problems.extend(found)
    with stage("markdown"):
        bodies = render_bodies(documents, index, config.autolink)
    with stage("link"):
        brief, found = link(documents, bodies, index, config)
        problems.extend(found)
    stop_on_errors()
    with stage("render"):
        dirs = theme_dirs(source)
        specs = plan_pages(brief)
        pages, found = render_pages(specs, site_context(brief), dirs)
        problems.extend(found)
        site = {page.dest_path: page.content for page in pages}
        site["brief.json"] = brief_data(brief).encode("utf-8")
        assets, found = collect_assets(source, dirs, site)
        problems.extend(found)
        site.update(assets)
    stop_on_errors()
    report.articles, report.actors, report.events = len(brief.articles), len(brief.actors), len(brief.events)
    report.pages = sum(1 for path in site if path.endswith(".html"))
    report.files = len(site)
    if options.write:
        with stage("write"):
            report.changed = write_site(options.output_dir, site)
    return report


def _strict(problems: list[BriefError]) -> list[BriefError]:
    return [BriefError(p.path, p.line, p.message, p.hint, "error") for p in problems]
