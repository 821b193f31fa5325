"""Command line: arguments, printing problems, exit codes (0 ok, 1 content errors, 2 usage)."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import threading
import sys
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from briefgen import __version__
from briefgen.build import BuildOptions, BuildReport, build
from briefgen.dates import EventDate, FuzzyDate, parse_date, parse_event_date
from briefgen.errors import BriefError, BuildFailed, error
from briefgen.parallel import tune_collector
from briefgen.report import FORMATS, Format, Places, render

EXIT_OK, EXIT_CONTENT, EXIT_USAGE, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefgen", description="Build a cross-linked static site from a geopolitical brief.")
    parser.add_argument("--version", action="version", version=f"briefgen {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    source = argparse.ArgumentParser(add_help=False)
    source.add_argument("--source", type=Path, default=Path("."), metavar="DIR",
                        help="the brief's folder, holding content/ (default: the current folder)")
    common = argparse.ArgumentParser(add_help=False, parents=[source])
    common.add_argument("--drafts", action="store_true", help="include articles, actors and events marked draft: true")
    common.add_argument("--strict", action="store_true", help="treat warnings as errors")
    common.add_argument("--format", choices=FORMATS, default="text",
                        help="how problems are printed: text (default), json (on stdout) or github "
                             "(GitHub Actions annotations, on stdout)")
    common.add_argument("--debug", action="store_true", help="show a traceback for internal errors")
    build_cmd = commands.add_parser("build", parents=[common], help="build the site into the output folder")
    build_cmd.add_argument("--output", type=Path, default=None, metavar="DIR",
                           help="where the site goes (default: SOURCE/build)")
    build_cmd.add_argument("--timings", action="store_true", help="print the time spent in each stage")
    build_cmd.add_argument("--jobs", type=int, default=0, metavar="N",
                           help="worker processes for the expensive stages (default: one per core)")
    build_cmd.add_argument("--no-cache", action="store_true",
                           help="ignore what the previous build knows and build everything afresh")
    build_cmd.add_argument("--no-search", action="store_true",
                           help="leave out the search index (pagefind/): the search page then says it is missing")
    build_cmd.add_argument("--pdf", action="store_true",
                           help="also print the print edition (print/) to brief.pdf with a headless Chromium")
    serve_cmd = commands.add_parser(
        "serve", parents=[source],
        help="build, serve the site on 127.0.0.1, rebuild on every change and reload open pages")
    serve_cmd.add_argument("--port", type=int, default=8000, metavar="N",
                           help="the port to listen on (default: 8000; 0 picks a free one)")
    serve_cmd.add_argument("--open", action="store_true", help="open the site in the web browser")
    serve_cmd.add_argument("--output", type=Path, default=None, metavar="DIR",
                           help="where the site goes (default: SOURCE/build)")
    serve_cmd.add_argument("--drafts", action="store_true", help="include articles marked draft: true")
    serve_cmd.add_argument("--no-search", action="store_true", help="do not make the search index")
    serve_cmd.add_argument("--jobs", type=int, default=0, metavar="N",
                           help="worker processes for the expensive stages (default: one per core)")
    serve_cmd.add_argument("--debug", action="store_true", help="show a traceback for internal errors")
    commands.add_parser("check", parents=[common], help="validate the brief; write nothing")
    diff_cmd = commands.add_parser(
        "diff", parents=[source], help="build the brief at a git revision and as it is now; list the pages that differ")
    diff_cmd.add_argument("revision", nargs="?", default=None, metavar="REV",
                          help="a branch, tag or commit (default: the merge base of HEAD and main, master or "
                               "origin/HEAD, where the branch began)")
    diff_cmd.add_argument("--drafts", action="store_true", help="include articles marked draft: true")
    diff_cmd.add_argument("--format", choices=("text", "json"), default="text",
                          help="text (default) or json, both on stdout")
    diff_cmd.add_argument("--lines", type=int, default=20, metavar="N",
                          help="lines of diff shown per page (default: 20; 0 for all)")
    diff_cmd.add_argument("--debug", action="store_true", help="show a traceback for internal errors")
    init_cmd = commands.add_parser("init", help="write a small example brief into a new or empty folder")
    init_cmd.add_argument("folder", nargs="?", type=Path, default=Path("."), metavar="DIR",
                          help="where the brief goes (default: the current folder)")
    new_cmd = commands.add_parser("new", help="write a new article, actor, event or source file and print its path")
    kinds = new_cmd.add_subparsers(dest="new_kind", metavar="KIND", required=True)
    identity = argparse.ArgumentParser(add_help=False, parents=[source])
    identity.add_argument("--id", default=None, metavar="ID",
                          help="the file name without .md (default: made from the title, as the build makes ids)")
    linked = argparse.ArgumentParser(add_help=False)
    linked.add_argument("--actors", type=_names, default=[], metavar="A,B",
                        help="actors, by id, name or alias, comma-separated; each must exist")
    article = kinds.add_parser("article", parents=[identity, linked], help="content/articles/ID.md")
    article.add_argument("title", metavar="TITLE")
    article.add_argument("--date", type=_day, default=None, metavar="YYYY-MM-DD",
                         help="publication date (default: today)")
    article.add_argument("--draft", action="store_true", help="mark it draft: true")
    actor = kinds.add_parser("actor", parents=[identity], help="content/actors/ID.md")
    actor.add_argument("title", metavar="NAME")
    actor.add_argument("--kind", dest="actor_kind", default=None, metavar="KIND",
                       help="state, person, organization, military, media or other (default: other)")
    event = kinds.add_parser("event", parents=[identity, linked], help="content/events/ID.md")
    event.add_argument("title", metavar="TITLE")
    event.add_argument("--date", type=_event_date, default=None, metavar="DATE",
                       help="YYYY-MM-DD, YYYY-MM or YYYY, 2020-08~ (about), 2020-08-25? (uncertain), "
                            "2020-08-25/2020-08-29 or 2020-03/.. (default: today)")
    event.add_argument("--sources", type=_names, default=[], metavar="S,T",
                       help="where it is reported: source ids, article ids or URLs, comma-separated")
    source_cmd = kinds.add_parser("source", parents=[identity], help="content/sources/ID.md")
    source_cmd.add_argument("title", metavar="TITLE")
    source_cmd.add_argument("--publication", required=True, metavar="NAME",
                            help="who published it, e.g. 'Jamestown Foundation — Eurasia Daily Monitor'")
    return parser


def _event_date(text: str) -> EventDate:
    try:
        return parse_event_date(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _day(text: str) -> FuzzyDate:
    try:
        date = parse_date(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if date.precision != "day" or date.qualifier:
        raise argparse.ArgumentTypeError(f"an article's date must be a full date (YYYY-MM-DD), not '{text}'")
    return date


def _names(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]


def _today() -> dt.date:
    """The one place that asks the clock (tests replace it)."""
    return dt.date.today()


def print_problems(problems: Sequence[BriefError], stream: TextIO, form: Format = "text",
                   places: Places | None = None) -> None:
    print(render(problems, form, places or Places(Path("."), Path.cwd())), end="", file=stream)


def git_root(folder: Path) -> Path | None:
    """The root of the git repository holding ``folder``, if git is there and it is in one."""
    try:
        found = subprocess.run(["git", "-C", str(folder), "rev-parse", "--show-toplevel"],
                               capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    root = found.stdout.strip()
    return Path(root) if found.returncode == 0 and root else None


def _summary(report: BuildReport, wrote: bool) -> str:
    if report.up_to_date:
        return (f"up to date: {report.pages} pages ({report.articles} articles, {report.actors} actors, "
                f"{report.events} events); nothing changed since the last build; {len(report.warnings)} warnings; "
                f"{report.seconds:.2f} s")
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
    if args.command == "init":
        return init_brief(args.folder)
    if args.command == "new":
        return new_document(args)
    if args.command == "diff":
        return diff_sites(args)
    if args.command == "serve":
        return serve_brief(args)
    return check_or_build(args)


def check_or_build(args: argparse.Namespace) -> int:
    options = BuildOptions(
        source=args.source, output=getattr(args, "output", None), drafts=args.drafts,
        strict=args.strict, write=args.command == "build",
        jobs=getattr(args, "jobs", 0), cache=not getattr(args, "no_cache", False),
        search="index" if args.command == "build" and not args.no_search else "off",
    )
    if options.jobs < 0:
        print("briefgen: error: --jobs must be 0 (one per core) or more", file=sys.stderr)
        return EXIT_USAGE
    form: Format = args.format
    # Problems name files relative to the brief; the output folder is named as the user wrote it.
    places = Places(options.source, Path.cwd(),
                    as_given=frozenset({str(options.output_dir)}) if options.write else frozenset(),
                    repo_root=git_root(options.source) if form == "github" else None)
    problem_stream = sys.stderr if form == "text" else sys.stdout
    tune_collector()
    try:
        with progress_display(sys.stderr.isatty() and not args.debug) as progress:
            report = build(options, progress)
    except BuildFailed as failed:
        print_problems(failed.problems, problem_stream, form, places)
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
        return _internal_error(exc, args.debug)
    print_problems(report.problems, problem_stream, form, places)
    if getattr(args, "timings", False):
        for name, seconds in report.timings.items():
            print(f"  {name:<10} {seconds:7.3f} s", file=sys.stderr)
    print(_summary(report, options.write), file=sys.stderr if form == "json" else sys.stdout)
    if options.write:  # a check makes no pages: where their dates would come from does not matter
        for note in report.notes:
            print(f"briefgen: note: {note}", file=sys.stderr)
    if getattr(args, "pdf", False):
        return make_pdf(options.output_dir, places)
    return EXIT_OK


def make_pdf(output: Path, places: Places) -> int:
    """``build --pdf``, once the site is written: brief.pdf, or why there is none (exit 1)."""
    from briefgen.pdf import PdfFailed, find_browser, print_pdf

    try:
        made = print_pdf(output, find_browser())
    except PdfFailed as failed:
        print(f"briefgen: error: {failed.message}" + (f"\n  hint: {failed.hint}" if failed.hint else ""),
              file=sys.stderr)
        return EXIT_CONTENT
    print(f"briefgen: wrote {places.shown(str(made))} ({made.stat().st_size // 1024} KB)", file=sys.stderr)
    return EXIT_OK


def diff_sites(args: argparse.Namespace) -> int:
    """``briefgen diff [REV]``: the pages a change adds, removes and changes, for a reviewer."""
    from briefgen import diff
    from briefgen.history import git_state

    source: Path = args.source
    if args.lines < 0:
        print("briefgen: error: --lines must be 0 (all) or more", file=sys.stderr)
        return EXIT_USAGE
    places = Places(source, Path.cwd())
    if not (source / "content").is_dir():
        print(error(places.shown("content"), 0, "no content/ folder in the brief",
                    f"run briefgen diff in the brief's folder, or pass --source; looked in {source}").format(),
              file=sys.stderr)
        return EXIT_CONTENT
    state = git_state(source)
    tune_collector()
    try:
        if not state.head:
            raise diff.DiffError(f"briefgen diff compares git revisions, and {state.note}")
        base = diff.find_base(source, args.revision)
        with diff.temporary_folder() as temp:
            before, after, notes = diff.build_both(source, base, state.prefix, args.drafts, Path(temp))
            result = diff.compare_sites(before, after, args.lines)
    except diff.DiffError as exc:
        print(f"briefgen: error: {exc.message}" + (f"\n  hint: {exc.hint}" if exc.hint else ""), file=sys.stderr)
        return EXIT_USAGE
    except diff.BaseFailed as failed:
        for problem in failed.problems:  # files of the revision, which exist only in git
            print(problem.format(), file=sys.stderr)
        print(f"briefgen: the brief at {failed.label} has {sum(p.is_error for p in failed.problems)} error(s); "
              "nothing to compare", file=sys.stderr)
        return EXIT_CONTENT
    except BuildFailed as failed:
        print_problems(failed.problems, sys.stderr, "text", places)
        print(f"briefgen: {sum(p.is_error for p in failed.problems)} error(s) in the work tree; nothing to compare",
              file=sys.stderr)
        return EXIT_CONTENT
    except KeyboardInterrupt:
        print("briefgen: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # noqa: BLE001 - the last line of defence against tracebacks
        return _internal_error(exc, args.debug)
    print(diff.format_json(result, base) if args.format == "json" else diff.format_text(result, base), end="")
    for note in notes:
        print(f"briefgen: note: {note}", file=sys.stderr)
    return EXIT_OK


def serve_brief(args: argparse.Namespace) -> int:
    """``briefgen serve``: until Ctrl-C, which stops it cleanly (exit 0)."""
    from briefgen.serve import ServeError, ServeOptions, Terminal, serve

    if args.jobs < 0 or not 0 <= args.port <= 65535:
        print("briefgen: error: --jobs must be 0 or more, and --port between 0 and 65535", file=sys.stderr)
        return EXIT_USAGE
    options = BuildOptions(source=args.source, output=args.output, drafts=args.drafts, jobs=args.jobs)
    places = Places(options.source, Path.cwd(), as_given=frozenset({str(options.output_dir)}))

    def built(report: BuildReport) -> None:
        print_problems(report.problems, sys.stderr, "text", places)
        print(f"{_clock()} {_summary(report, True)}", flush=True)

    def failed(problems: list[BriefError]) -> None:
        print_problems(problems, sys.stderr, "text", places)
        errors = sum(p.is_error for p in problems)
        print(f"{_clock()} briefgen: {errors} error(s), {len(problems) - errors} warning(s); "
              "still serving the last good build", file=sys.stderr, flush=True)

    def note(text: str) -> None:
        print(f"{_clock()} {text}", flush=True)

    tune_collector()
    try:
        serve(ServeOptions(options, args.port, args.open, not args.no_search), Terminal(built, failed, note))
    except ServeError as exc:
        print(f"briefgen: error: {exc}", file=sys.stderr)
        print("  hint: choose another port with --port N (0 picks a free one)", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("briefgen: stopped serving", file=sys.stderr)
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - the last line of defence against tracebacks
        return _internal_error(exc, args.debug)
    return EXIT_OK


def _internal_error(exc: Exception, debug: bool) -> int:
    """Report a failure of briefgen itself: one line, or the traceback with ``--debug``."""
    if debug:
        traceback.print_exc()
    else:
        print(f"briefgen: internal error: {type(exc).__name__}: {exc} (run with --debug for details)",
              file=sys.stderr)
    return EXIT_INTERNAL


def _clock() -> str:
    """The time of day, for serve's log of rebuilds (the clock is read at the edge, for the terminal only)."""
    return dt.datetime.now().strftime("%H:%M:%S")


def init_brief(folder: Path) -> int:
    """``briefgen init``: the example brief, in a new or empty folder only."""
    from briefgen.scaffold import check_new_folder, sample_brief, write_new

    problem = check_new_folder(folder)
    if problem is not None:
        print(problem.format(), file=sys.stderr)
        return EXIT_CONTENT
    try:
        write_new(folder, sample_brief())
    except OSError as exc:
        return _cannot_write(exc)
    go = "" if folder == Path(".") else f"cd {folder} && "
    print(f"wrote an example brief in {folder}: briefgen.yaml, .gitignore and content/ "
          "(1 article, 2 actors, 2 events, 1 source)")
    print(f"next: {go}briefgen build, then open build/index.html; replace the example with your own files")
    return EXIT_OK


def new_document(args: argparse.Namespace) -> int:
    """``briefgen new article|actor|event``: one file with its front matter, never replacing one."""
    from briefgen import scaffold

    root: Path = args.source
    places = Places(root, Path.cwd())
    title: str = args.title.strip()
    if not title or not _encodable(title):
        print("briefgen: error: the title must be non-empty text", file=sys.stderr)
        return EXIT_USAGE
    if not (root / "content").is_dir():
        print(error(places.shown("content"), 0, "no content/ folder in the brief",
                    f"run briefgen init to start a brief, or pass --source; looked in {root}").format(),
              file=sys.stderr)
        return EXIT_CONTENT
    doc_id = args.id if args.id is not None else scaffold.make_id(title)
    problems = [p for p in [scaffold.check_id(doc_id, title, args.id is not None)] if p is not None]
    kind = getattr(args, "actor_kind", None)
    if kind is not None and (wrong_kind := scaffold.check_kind(kind)) is not None:
        problems.append(wrong_kind)
    actors: list[str] = []
    if getattr(args, "actors", None):
        actors, unknown = scaffold.resolve_actors(root, args.actors)
        problems += unknown
    if problems:
        for problem in problems:  # in the order of the arguments
            print(problem.format(), file=sys.stderr)
        return EXIT_USAGE
    today = _today()
    day = FuzzyDate(today.year, today.month, today.day)
    if args.new_kind == "article":
        text = scaffold.article_text(title, args.date or day, actors, args.draft)
    elif args.new_kind == "actor":
        text = scaffold.actor_text(title, kind or "other")
    elif args.new_kind == "source":
        text = scaffold.source_text(title, args.publication.strip())
    else:
        text = scaffold.event_text(title, args.date or EventDate(day), actors, args.sources)
    src_path = scaffold.new_path(args.new_kind, doc_id)
    try:
        scaffold.write_new(root, {src_path: text})
    except FileExistsError:
        print(error(places.shown(src_path), 0, "the file already exists; refusing to replace it",
                    "choose another title, or another id with --id").format(), file=sys.stderr)
        return EXIT_CONTENT
    except OSError as exc:
        return _cannot_write(exc)
    print(places.shown(src_path))
    if args.new_kind == "actor" and kind is None:
        print("briefgen: note: kind set to 'other'; edit it in the file, or pass --kind next time", file=sys.stderr)
    return EXIT_OK


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # bytes the terminal's encoding could not decode
        return False
    return True


def _cannot_write(exc: OSError) -> int:
    where = os.fsdecode(exc.filename) if exc.filename is not None else ""
    print(error(where, 0, f"cannot write file: {exc.strerror}").format(), file=sys.stderr)
    return EXIT_CONTENT


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
