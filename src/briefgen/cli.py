"""Command line: arguments, printing problems, exit codes (0 ok, 1 content errors, 2 usage)."""

from __future__ import annotations

import argparse
import gc
import threading
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from briefgen import __version__
from briefgen.build import BuildOptions, BuildReport, build
from briefgen.errors import BriefError, BuildFailed

GC_THRESHOLDS = (50_000, 20, 100)

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefgen", description="Build a cross-linked static site from a geopolitical brief.")
    parser.add_argument("--version", action="version", version=f"briefgen {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--source", type=Path, default=Path("."), metavar="DIR",
                        help="the brief's folder, holding content/ (default: the current folder)")
    common.add_argument("--drafts", action="store_true", help="include articles, actors and events marked draft: true")
    common.add_argument("--strict", action="store_true", help="treat warnings as errors")
    common.add_argument("--debug", action="store_true", help="show a traceback for internal errors")
    build_cmd = commands.add_parser("build", parents=[common], help="build the site into the output folder")
    build_cmd.add_argument("--output", type=Path, default=None, metavar="DIR",
                           help="where the site goes (default: SOURCE/build)")
    build_cmd.add_argument("--timings", action="store_true", help="print the time spent in each stage")
    build_cmd.add_argument("--jobs", type=int, default=0, metavar="N",
                           help="worker processes for the expensive stages (default: one per core)")
    build_cmd.add_argument("--no-cache", action="store_true",
                           help="ignore what the previous build knows and build everything afresh")
    commands.add_parser("check", parents=[common], help="validate the brief; write nothing")
    return parser


def print_problems(problems: Sequence[BriefError], stream: TextIO) -> None:
    for problem in sorted(problems):
        print(problem.format(), file=stream)


def _summary(report: BuildReport, wrote: bool) -> str:
    if report.up_to_date:
        return (f"up to date: {report.pages} pages ({report.articles} articles, {report.actors} actors, "
                f"{report.events} events); nothing changed since the last build; {report.seconds:.2f} s")
    verb = "wrote" if wrote else "checked"
    how = " (only text changed: rendered just the pages that show it)" if report.quick else ""
    return (f"{verb} {report.pages} pages ({report.articles} articles, {report.actors} actors, "
            f"{report.events} events); {report.changed if wrote else 0} files changed{how}; "
            f"{len(report.warnings)} warnings; {report.seconds:.2f} s")


@contextmanager
def progress_display(enabled: bool, delay: float = 1.0) -> Iterator[Callable[[str], None]]:
    """A spinner naming the current stage, on a terminal only, and only once a build
    has run for ``delay`` seconds: quick builds print nothing but their summary."""
    if not enabled:
        yield lambda _stage: None
        return
    from rich.console import Console

    status = Console(stderr=True, force_terminal=True).status("building", spinner="dots")
    current = ["building"]
    lock = threading.Lock()
    started = [False]

    def start() -> None:
        with lock:
            status.update(f"{current[0]}…")
            status.start()
            started[0] = True

    def show(stage: str) -> None:
        with lock:
            current[0] = stage
            if started[0]:
                status.update(f"{stage}…")

    timer = threading.Timer(delay, start)
    timer.daemon = True
    timer.start()
    try:
        yield show
    finally:
        timer.cancel()
        with lock:
            if started[0]:
                status.stop()


def main(argv: Sequence[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    options = BuildOptions(
        source=args.source, output=getattr(args, "output", None), drafts=args.drafts,
        strict=args.strict, write=args.command == "build",
        jobs=getattr(args, "jobs", 0), cache=not getattr(args, "no_cache", False),
    )
    if options.jobs < 0:
        print("briefgen: error: --jobs must be 0 (one per core) or more", file=sys.stderr)
        return EXIT_USAGE
    # A build makes millions of long-lived objects and almost no cycles: with the
    # default thresholds the collector rescans them again and again (~10% of a build).
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        with progress_display(sys.stderr.isatty() and not args.debug) as progress:
            report = build(options, progress)
    except BuildFailed as failed:
        print_problems(failed.problems, sys.stderr)
        errors = sum(p.is_error for p in failed.problems)
        warnings = len(failed.problems) - errors
        where = "; the previous build was left as it was" if options.write else ""
        print(f"briefgen: {errors} error(s), {warnings} warning(s){where}", file=sys.stderr)
        return EXIT_CONTENT
    except KeyboardInterrupt:
        where = "; the previous build was left as it was" if options.write else ""
        print(f"briefgen: interrupted{where}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # noqa: BLE001 - the last line of defence against tracebacks
        if args.debug:
            traceback.print_exc()
        else:
            print(f"briefgen: internal error: {type(exc).__name__}: {exc} (run with --debug for details)",
                  file=sys.stderr)
        return EXIT_INTERNAL
    print_problems(report.problems, sys.stderr)
    if getattr(args, "timings", False):
        for name, seconds in report.timings.items():
            print(f"  {name:<10} {seconds:7.3f} s", file=sys.stderr)
    print(_summary(report, options.write))
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
