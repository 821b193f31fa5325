"""Browser tests: build the example brief once, serve it, drive headless Chromium.

These tests need Playwright for Python (``pip install -e '.[browser]'``) and the
system Chromium at /usr/bin/chromium (``apt-get install -y chromium``, or set
BRIEFGEN_CHROMIUM to another path); the browser bundled with Playwright is never used or downloaded. Without either,
the tests are skipped with the reason -- unless the environment variable CI is
set, in which case they fail: CI must run them.

Select or leave them out with ``-m browser`` / ``-m "not browser"``.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from browserkit import PAGE_KIND_NAMES, PageKind, Tab, Watch, page_kinds
from gatekit import GateFigures

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Playwright

REPO = Path(__file__).resolve().parents[2]
# The system Chromium; BRIEFGEN_CHROMIUM points elsewhere (say /usr/bin/chromium-browser).
CHROMIUM = Path(os.environ.get("BRIEFGEN_CHROMIUM") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Belt and braces: the brief must never reach beyond this machine, and a
    # test must never depend on the network. Any other host fails to resolve,
    # which the tests then report as a failed request.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
]


def _missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install -e '.[browser]')"
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        return f"no Chromium at {CHROMIUM} (apt-get install -y chromium)"
    return None


MISSING = _missing()
IN_CI = bool(os.environ.get("CI"))


GATE_FIGURES = pytest.StashKey[GateFigures]()


def pytest_report_header(config: pytest.Config) -> str:
    if MISSING is None:
        return f"browser tests: Chromium at {CHROMIUM} via Playwright"
    if IN_CI:
        return f"browser tests: WILL FAIL (CI is set): {MISSING}"
    return f"browser tests: skipped: {MISSING}"


@pytest.fixture(scope="session")
def browser_available() -> None:
    """Skip (or, under CI, fail) when Playwright or the system Chromium is missing."""
    if MISSING is None:
        return
    if IN_CI:
        pytest.fail(f"browser tests cannot run and CI is set, so they must: {MISSING}", pytrace=False)
    pytest.skip(f"browser tests skipped: {MISSING}")


# ---- the built site -------------------------------------------------------


@pytest.fixture(scope="session")
def site(browser_available: None, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example brief at the repository root, built once for the session, with its search index."""
    from briefgen.build import BuildOptions, build

    output = tmp_path_factory.mktemp("browser") / "site"
    report = build(BuildOptions(source=REPO, output=output, search="index"))
    assert not report.problems, report.problems
    assert (output / "index.html").is_file()
    return output


@pytest.fixture(scope="session")
def brief(site: Path) -> dict[str, Any]:
    """The built brief.json: what the pages should show."""
    data: dict[str, Any] = json.loads((site / "brief.json").read_text("utf-8"))
    return data


@pytest.fixture(scope="session")
def pages(brief: dict[str, Any]) -> dict[str, PageKind]:
    kinds = {k.name: k for k in page_kinds(brief)}
    assert list(kinds) == PAGE_KIND_NAMES
    return kinds


# ---- a local web server ---------------------------------------------------


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serve the built site; answer unknown paths with its 404.html, as a host would."""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def end_headers(self) -> None:
        # LinkChecker spaces its requests to a host out unless the host answers with this.
        self.send_header("LinkChecker", "local test server")
        super().end_headers()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@contextlib.contextmanager
def serving(directory: Path) -> Iterator[str]:
    """``directory`` over http on 127.0.0.1 at a free port while in the block; gives the base URL."""
    handler = functools.partial(_Handler, directory=str(directory))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, name="briefgen-test-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


@pytest.fixture(scope="session")
def server(site: Path) -> Iterator[str]:
    """The built site over http on 127.0.0.1 at a free port; yields the base URL."""
    with serving(site) as url:
        yield url


@pytest.fixture
def serve_folder() -> Iterator[Callable[[Path], str]]:
    """Serve another folder the way the site is served, until the test ends: folder in, base URL out."""
    with contextlib.ExitStack() as stack:
        yield lambda directory: stack.enter_context(serving(directory))


@pytest.fixture(scope="session")
def file_root(site: Path) -> str:
    """The built site as a file:// URL, ending in a slash."""
    return site.as_uri() + "/"


# ---- the browser ----------------------------------------------------------


@pytest.fixture(scope="session")
def playwright(browser_available: None) -> Iterator[Playwright]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    try:
        yield browser
    finally:
        browser.close()


@pytest.fixture
def open_tab(browser: Browser) -> Iterator[Callable[..., Tab]]:
    """Open a fresh context and page (keyword arguments go to new_context), watched."""
    contexts: list[BrowserContext] = []

    def open_tab(**options: Any) -> Tab:
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        watch = Watch()
        watch.attach(page)
        return Tab(page, watch)

    yield open_tab
    for context in contexts:
        context.close()


@pytest.fixture
def tab(open_tab: Callable[..., Tab]) -> Tab:
    """A watched page at 1280x900, light scheme, JavaScript on."""
    return open_tab()


# ---- the gate's figures ---------------------------------------------------


@pytest.fixture(scope="session")
def gate_figures(request: pytest.FixtureRequest) -> GateFigures:
    """Where the gate's tests put what the checkers counted, for the summary at the end."""
    return request.config.stash.setdefault(GATE_FIGURES, GateFigures())


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    lines = config.stash[GATE_FIGURES].lines() if GATE_FIGURES in config.stash else []
    if lines:
        terminalreporter.section("browser gate")
        for line in lines:
            terminalreporter.write_line(line)
