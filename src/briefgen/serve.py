"""``briefgen serve``: build, serve the site on 127.0.0.1, rebuild on every change, reload open pages.

The site is served from the output folder as ``build`` writes it. Each HTML
response gets a few lines of script, added as it is sent and never written to
disk, that listen for server-sent events: ``reload`` after a build that
changed the site, ``problems`` after one that failed, which the page shows
over itself, naming file and line, while the last good site goes on being
served. Changes are seen by watchfiles; rebuilds are the ordinary
incremental build, so a text edit takes the quick path. The search index is
made again after the reload, in a thread of its own, so indexing never
delays it; pages searched meanwhile find the previous index.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import threading
import time
import webbrowser
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from briefgen.build import BuildOptions, BuildReport, build, input_stamp, record_index
from briefgen.errors import BriefError, BuildFailed
from briefgen.sources import CONFIG_FILE, is_ignored, theme_dirs
from briefgen.write import MARKER

EVENTS_PATH = "/__briefgen/events"
HOST = "127.0.0.1"
KEEPALIVE_SECONDS = 10.0
"""How often an idle event stream says it is still there, so closed tabs are noticed."""


@dataclass(frozen=True)
class ServeOptions:
    build: BuildOptions
    port: int = 8000
    """0 picks a free port."""
    open_browser: bool = False
    search: bool = True
    """Index for search after each build that changed the site."""


@dataclass(frozen=True)
class Terminal:
    """How ``serve`` tells the user what happened; the command line prints it."""

    built: Callable[[BuildReport], None]
    failed: Callable[[list[BriefError]], None]
    note: Callable[[str], None]


class ServeError(Exception):
    """The server could not start (the port is taken, say); the message says why."""


# ---------------------------------------------------------------- the state the pages follow

@dataclass(frozen=True)
class LiveEvent:
    version: int
    name: str
    """``reload``, ``problems`` or, when a page connects, ``hello``."""
    build: int
    """How many builds that changed the site have finished: a page served before the last one reloads."""
    problems: tuple[str, ...]


class LiveState:
    """The last build's outcome, for the event streams of open pages (one per server)."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._event = LiveEvent(0, "hello", 0, ())
        self._closed = False

    @property
    def current(self) -> LiveEvent:
        with self._changed:
            return self._event

    def publish(self, name: str, problems: list[BriefError] | None = None) -> None:
        with self._changed:
            event = self._event
            self._event = LiveEvent(event.version + 1, name, event.build + (name == "reload"),
                                    tuple(p.format() for p in problems or []))
            self._changed.notify_all()

    def wait(self, after: int, timeout: float) -> LiveEvent | None:
        """The state once it is newer than version ``after``; None on timeout or when closed."""
        with self._changed:
            self._changed.wait_for(lambda: self._closed or self._event.version > after, timeout)
            return None if self._closed or self._event.version <= after else self._event

    def close(self) -> None:
        with self._changed:
            self._closed = True
            self._changed.notify_all()

    @property
    def closed(self) -> bool:
        with self._changed:
            return self._closed


# ---------------------------------------------------------------- the script and the server

LIVE_SCRIPT = """<script>/* briefgen serve: reload on rebuild, show build errors (added by the server, not in build/) */
(function () {
  "use strict";
  var built = %(build)d, box = null;
  function show(problems) {
    if (!box) {
      box = document.createElement("div");
      box.id = "briefgen-problems";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;left:0;right:0;bottom:0;z-index:2147483647;max-height:60vh;overflow:auto;" +
        "margin:0;padding:1rem 1.25rem;background:#1d1d1f;color:#f4f4f4;border-top:4px solid #e5484d;" +
        "font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;white-space:pre-wrap;text-align:left";
      document.body.appendChild(box);
    }
    box.textContent = "";
    var head = document.createElement("strong");
    head.textContent = "The brief has errors; this page shows the last good build. Fix the file and save: the page reloads.";
    box.appendChild(head);
    box.appendChild(document.createTextNode("\\n\\n" + problems.join("\\n")));
  }
  function update(event) {
    var state = JSON.parse(event.data);
    if (state.build !== built) { location.reload(); return; }
    if (state.problems.length) show(state.problems);
    else if (box) { box.remove(); box = null; }
  }
  var source = new EventSource("%(events)s");
  ["hello", "reload", "problems"].forEach(function (name) { source.addEventListener(name, update); });
})();
</script>
"""

NO_SITE_PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>No site yet · briefgen serve</title></head>
<body style="font:1rem/1.5 system-ui,sans-serif;margin:2rem">
<h1>No site yet</h1>
<p>The brief has not been built yet, or its first build failed. This page reloads once a build succeeds.</p>
</body>
</html>
"""


def inject(page: bytes, build: int) -> bytes:
    """The page with the live script added before its closing ``</body>`` (or at the end)."""
    script = (LIVE_SCRIPT % {"build": build, "events": EVENTS_PATH}).encode()
    at = page.rfind(b"</body>")
    return page + script if at < 0 else page[:at] + script + page[at:]


class LiveHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the output folder; HTML pages with the live script, and the event stream."""

    live: LiveState
    extensions_map = {  # the same types on every system (Windows' registry may say text/plain for .js)
        "": "application/octet-stream", ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
        ".js": "text/javascript; charset=utf-8", ".json": "application/json", ".xml": "application/xml",
        ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
        ".gif": "image/gif", ".webp": "image/webp", ".ico": "image/x-icon", ".pdf": "application/pdf",
        ".txt": "text/plain; charset=utf-8", ".wasm": "application/wasm",
    }

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the name of the method we replace
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self) -> None:
        self._respond(body=True)

    def do_HEAD(self) -> None:
        self._respond(body=False)

    def _respond(self, body: bool) -> None:
        if urlsplit(self.path).path == EVENTS_PATH:
            if body:
                self._stream_events()
            return
        if any(part.startswith(".") for part in urlsplit(self.path).path.split("/")):
            self.send_error(404)  # the build cache and the marker are not part of the site
            return
        build = self.live.current.build
        if not (Path(self.directory) / MARKER).is_file():
            self._send_page(503, NO_SITE_PAGE.encode(), build, body)
            return
        page = self._page_file()
        if page is None and body:
            super().do_GET()
        elif page is None:
            super().do_HEAD()
        else:
            self._send_file(page, build, body)

    def _send_file(self, page: str, build: int, body: bool) -> None:
        try:
            content = Path(page).read_bytes()
        except OSError:  # swapped out by a build just now
            self.send_error(404)
            return
        self._send_page(200, content, build, body)

    def list_directory(self, path: str | os.PathLike[str]) -> None:
        self.send_error(404)  # no listings: a folder without index.html has no page
        return None

    def _page_file(self) -> str | None:
        """The HTML file this request asks for, or None to leave the request to the file server."""
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not urlsplit(self.path).path.endswith("/"):
                return None  # the file server redirects to the address with a slash
            path = os.path.join(path, "index.html")
        return path if path.endswith(".html") and os.path.isfile(path) else None

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        try:
            content = page.read_bytes()
        except OSError:
            super().send_error(code, message, explain)
            return
        self._send_page(404, content, self.live.current.build, self.command != "HEAD")

    def _send_page(self, code: int, content: bytes, build: int, body: bool) -> None:
        data = inject(content, build)
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _stream_events(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        event = self.live.current
        try:
            self._send_event(replace(event, name="hello"))
            while True:
                newer = self.live.wait(event.version, KEEPALIVE_SECONDS)
                if self.live.closed:
                    return
                if newer is None:
                    self.wfile.write(b": still here\n\n")
                    self.wfile.flush()
                    continue
                event = newer
                self._send_event(event)
        except OSError:  # the page went away
            return

    def _send_event(self, event: LiveEvent) -> None:
        data = json.dumps({"build": event.build, "problems": list(event.problems)}, ensure_ascii=False)
        self.wfile.write(f"event: {event.name}\ndata: {data}\n\n".encode())
        self.wfile.flush()


def start_server(output: Path, port: int, live: LiveState) -> http.server.ThreadingHTTPServer:
    """Listen on 127.0.0.1 only (the brief may be unpublished work); serve in a thread."""
    handler = functools.partial(type("Handler", (LiveHandler,), {"live": live}), directory=str(output))
    try:
        server = http.server.ThreadingHTTPServer((HOST, port), handler)
    except OSError as exc:
        raise ServeError(f"cannot listen on {HOST}:{port}: {exc.strerror or exc}") from None
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="briefgen-serve", daemon=True).start()
    return server


# ---------------------------------------------------------------- search, after the reload

class Indexer:
    """Makes the search index in a thread of its own after each build, and puts it in place
    only if no build changed the site meanwhile (otherwise it starts again)."""

    def __init__(self, output: Path, live: LiveState, lock: threading.Lock, terminal: Terminal) -> None:
        self.output = output
        self.live = live
        self.lock = lock
        self.terminal = terminal
        self._wanted = threading.Event()
        self._thread = threading.Thread(target=self._run, name="briefgen-search", daemon=True)
        self._thread.start()

    def request(self) -> None:
        self._wanted.set()

    def stop(self) -> None:
        """Wake the thread, so that it sees the server has closed and ends."""
        self._wanted.set()

    def _run(self) -> None:
        from briefgen.search import SCRATCH_DIR, SEARCH_DIR, SearchFailed, make_index, place_index

        reported = False
        while True:
            self._wanted.wait()
            self._wanted.clear()
            if self.live.closed:
                return
            build = self.live.current.build
            scratch = self.output / SCRATCH_DIR
            started = time.perf_counter()
            try:
                pages = make_index(self.output, scratch)
                with self.lock:
                    placed = self.live.current.build == build and scratch.is_dir()
                    if placed:
                        place_index(scratch, self.output / SEARCH_DIR, self.output / SEARCH_DIR)
                        record_index(self.output)
                if placed:
                    self.terminal.note(f"search index updated: {pages} pages in "
                                       f"{time.perf_counter() - started:.2f} s")
                else:
                    self._wanted.set()  # a build came in between: index that one
                reported = False
            except (SearchFailed, OSError) as exc:
                if self.live.current.build != build:
                    self._wanted.set()  # the site changed under the indexer: try again
                elif not reported:
                    self.terminal.note(f"search index not updated: {exc}")
                    reported = True
            finally:
                shutil.rmtree(scratch, ignore_errors=True)


# ---------------------------------------------------------------- watching and rebuilding

def watched_roots(source: Path) -> list[Path]:
    """What a build is made from: content/, templates/, static/ and briefgen.yaml."""
    return [source / "content", source / "templates", source / "static", source / CONFIG_FILE]


def _roots_state(source: Path) -> tuple[tuple[str, int, int, int], ...]:
    """Which roots exist, as what (inode), and briefgen.yaml's size and mtime.

    A folder made or replaced after the watch began, and a config file saved by
    rename (which most editors do), escape a watch on the old ones; this is
    compared on every timeout of the watch instead.
    """
    state = []
    for root in watched_roots(source):
        try:
            info = os.stat(root)
        except OSError:
            continue
        is_file = root.name == CONFIG_FILE
        state.append((root.name, info.st_ino, info.st_size if is_file else 0, info.st_mtime_ns if is_file else 0))
    return tuple(state)


def changes(source: Path, stop: threading.Event) -> Iterator[bool]:
    """Yield True once the watch is on (a change made before it is not seen by it), then False
    once per batch of changes to the brief's inputs; editor leftovers and hidden files do not count."""
    from watchfiles import watch

    def wanted(_change: object, path: str) -> bool:
        try:
            parts = Path(path).relative_to(source.absolute()).parts
        except ValueError:
            return True
        return not any(is_ignored(part) for part in parts)

    while not stop.is_set():
        state = _roots_state(source)
        folders = [str(root) for root in watched_roots(source)[:3] if root.is_dir()]
        if not folders:
            yield True
            while _roots_state(source) == state and not stop.wait(0.5):
                pass
            continue
        started = False
        for batch in watch(*folders, watch_filter=wanted, debounce=800, step=50, rust_timeout=200,
                           yield_on_timeout=True, stop_event=stop):
            moved = _roots_state(source) != state
            if batch or moved or not started:
                yield not started
                started = True
            if moved:
                break  # watch the folders as they are now


def serve(options: ServeOptions, terminal: Terminal) -> None:
    """Build, serve and rebuild until interrupted (Ctrl-C raises KeyboardInterrupt out of here)."""
    build_options = replace(options.build, search="keep" if options.search else "off")
    output = build_options.output_dir.absolute()
    live = LiveState()
    lock = threading.Lock()
    server = start_server(output, options.port, live)
    stop = threading.Event()
    indexer = Indexer(output, live, lock, terminal) if options.search else None
    try:
        before = _stamp(build_options)
        ok = _rebuild(build_options, live, lock, terminal, indexer, first=True)
        url = f"http://{HOST}:{server.server_address[1]}/"
        announced = False
        for watch_began in changes(build_options.source, stop):
            if not watch_began or _stamp(build_options) != before:
                ok = _rebuild(build_options, live, lock, terminal, indexer)
            if not announced:  # once the watch is on: an edit from now on is seen
                terminal.note(f"serving {url} (Ctrl-C to stop)" + ("" if ok else "; fix the errors above and save"))
                if options.open_browser:
                    webbrowser.open(url)
                announced = True
    finally:
        stop.set()
        live.close()
        if indexer is not None:
            indexer.stop()
        server.shutdown()
        server.server_close()


def _stamp(options: BuildOptions) -> dict[str, object]:
    """What the build compares to see that nothing changed (sizes and mtimes of every input)."""
    return input_stamp(options, theme_dirs(options.source))


def _rebuild(options: BuildOptions, live: LiveState, lock: threading.Lock, terminal: Terminal,
             indexer: Indexer | None, first: bool = False) -> bool:
    """One build; tell the pages and the terminal how it went. False if it failed."""
    try:
        with lock:
            report = build(options)
    except BuildFailed as failed:
        terminal.failed(failed.problems)
        live.publish("problems", [p for p in failed.problems if p.is_error] or failed.problems)
        return False
    except Exception as exc:  # noqa: BLE001 - the server keeps going; the next save tries again
        problem = BriefError("", 0, f"internal error: {type(exc).__name__}: {exc}", "please report it")
        terminal.failed([problem])
        live.publish("problems", [problem])
        return False
    if report.up_to_date and not first and not live.current.problems:
        return True  # a save that changed nothing
    terminal.built(report)
    site_changed = report.changed > 0 and not report.up_to_date
    if site_changed or first or live.current.problems:
        live.publish("reload")
    if indexer is not None and (site_changed or first):
        indexer.request()
    return True
