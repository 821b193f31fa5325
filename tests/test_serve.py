"""``briefgen serve`` through the installed entry point: a real server on a free port, real edits."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefgen.serve import EVENTS_PATH
from test_cli import BRIEFGEN

TIMEOUT = 30.0

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="stops the server with SIGINT")


class Server:
    """``briefgen serve`` in a subprocess; what it prints, as it comes."""

    def __init__(self, brief: Path, *flags: str) -> None:
        command = [BRIEFGEN] if BRIEFGEN else [sys.executable, "-m", "briefgen"]
        self.process = subprocess.Popen([*command, "serve", "--port", "0", "--jobs", "1", *flags], cwd=brief,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.stdout: list[str] = []
        self.stderr: list[str] = []
        for stream, lines in ((self.process.stdout, self.stdout), (self.process.stderr, self.stderr)):
            threading.Thread(target=lines.extend, args=(stream,), daemon=True).start()
        line = self.wait_for("serving http://")
        self.url = line.split("serving ", 1)[1].split()[0]

    def wait_for(self, text: str) -> str:
        """The first line, on stdout or stderr, that holds ``text``; waits for it."""
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            found = [line for line in self.stdout + self.stderr if text in line]
            if found:
                return found[0]
            if self.process.poll() is not None:
                time.sleep(0.2)  # what it printed last may still be on its way
                if not any(text in line for line in self.stdout + self.stderr):
                    break
            time.sleep(0.05)
        raise AssertionError(f"no line with {text!r}; stdout: {''.join(self.stdout)}; stderr: {''.join(self.stderr)}")

    def get(self, path: str) -> tuple[int, bytes, str]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=TIMEOUT) as response:
                return response.status, response.read(), response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as error:
            return error.code, error.read(), error.headers.get("Content-Type", "")

    def stop(self) -> subprocess.CompletedProcess[str]:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(TIMEOUT)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
        return subprocess.CompletedProcess(self.process.args, self.process.returncode, "", "".join(self.stderr))


class Events:
    """The page's side of the event stream, read in the test's own thread (a timeout fails the test)."""

    def __init__(self, url: str) -> None:
        self.response = urllib.request.urlopen(url + EVENTS_PATH.lstrip("/"), timeout=TIMEOUT)

    def next(self) -> tuple[str, dict[str, object]]:
        """The next event: its name and data."""
        name, data = "", ""
        while True:
            line = self.response.readline().decode()
            if not line:
                raise AssertionError("the event stream ended")
            line = line.rstrip("\n")
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: "):
                data = line[6:]
            elif not line and name:
                return name, json.loads(data)

    def close(self) -> None:
        self.response.close()


@pytest.fixture
def serve(small_brief: Path) -> Iterator[Server]:
    """A server with search on: it indexes after each build, beside the reloads the tests wait for."""
    server = Server(small_brief)
    try:
        yield server
    finally:
        server.stop()


def test_pages_get_the_live_script_but_build_does_not_and_ctrl_c_stops(serve: Server, small_brief: Path) -> None:
    status, body, kind = serve.get("actors/aliyev/")
    assert (status, kind) == (200, "text/html; charset=utf-8")
    assert EVENTS_PATH.encode() in body and body.rstrip().endswith(b"</html>")
    on_disk = (small_brief / "build/actors/aliyev/index.html").read_bytes()
    assert EVENTS_PATH.encode() not in on_disk
    assert body.replace(body[body.index(b"<script>/* briefgen serve"):body.rindex(b"</script>\n") + 10], b"") == on_disk
    status, body, kind = serve.get("assets/briefgen.css")
    assert (status, kind) == (200, "text/css; charset=utf-8")
    assert body == (small_brief / "build/assets/briefgen.css").read_bytes()
    status, body, _ = serve.get("no/such/page/")
    assert status == 404 and b"Page not found" in body and EVENTS_PATH.encode() in body
    assert serve.get(".briefgen/inputs")[0] == 404, "the build cache is not served"
    assert serve.get("actors/aliyev")[0] == 200, "a folder without its slash is redirected"
    # The search index is made after the build, and served as a module script needs.
    serve.wait_for("search index updated")
    assert (small_brief / "build/pagefind/pagefind-entry.json").is_file()
    status, _, kind = serve.get("pagefind/pagefind.js")
    assert (status, kind) == (200, "text/javascript; charset=utf-8")
    # Ctrl-C stops it cleanly.
    result = serve.stop()
    assert result.returncode == 0
    assert "briefgen: stopped serving" in result.stderr and "Traceback" not in result.stderr


def test_an_edit_reloads_and_an_error_shows_until_fixed(serve: Server, small_brief: Path) -> None:
    events = Events(serve.url)
    try:
        name, hello = events.next()
        assert (name, hello["problems"]) == ("hello", [])
        article = small_brief / "content/articles/cargo-flights.md"
        text = article.read_text("utf-8")
        article.write_text(text.replace("spoke again.", "spoke once more."), "utf-8")
        name, data = events.next()
        assert name == "reload" and data["build"] == hello["build"] + 1  # type: ignore[operator]
        assert b"spoke once more." in serve.get("articles/cargo-flights/")[1]

        event = small_brief / "content/events/phone-call.md"
        good = event.read_text("utf-8")
        event.write_text(good.replace("date: 2020-08-12", "date: someday"), "utf-8")
        name, data = events.next()
        assert name == "problems" and data["build"] == hello["build"] + 1  # type: ignore[operator]
        problems = data["problems"]
        assert isinstance(problems, list) and problems[0].startswith("content/events/phone-call.md:3: error: ")
        assert serve.get("events/phone-call/")[0] == 200, "the last good site is still served"
        serve.wait_for("still serving the last good build")

        event.write_text(good, "utf-8")
        name, data = events.next()
        assert (name, data["problems"]) == ("reload", [])
    finally:
        events.close()


def test_a_failing_first_build_serves_a_page_that_waits(small_brief: Path) -> None:
    event = small_brief / "content/events/phone-call.md"
    good = event.read_text("utf-8")
    event.write_text(good.replace("date: 2020-08-12", "date: someday"), "utf-8")
    server = Server(small_brief, "--no-search")
    try:
        status, body, _ = server.get("")
        assert status == 503 and b"No site yet" in body and EVENTS_PATH.encode() in body
        events = Events(server.url)
        name, data = events.next()
        assert name == "hello" and str(data["problems"]).count("phone-call.md:3: error:") == 1
        event.write_text(good, "utf-8")
        assert events.next()[0] == "reload"
        assert server.get("")[0] == 200
        events.close()
    finally:
        assert server.stop().returncode == 0


def test_a_port_in_use_is_a_clear_error(small_brief: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        command = [BRIEFGEN] if BRIEFGEN else [sys.executable, "-m", "briefgen"]
        result = subprocess.run([*command, "serve", "--port", str(port)], cwd=small_brief, capture_output=True,
                                text=True, timeout=TIMEOUT)
    assert result.returncode == 2
    assert result.stderr.startswith(f"briefgen: error: cannot listen on 127.0.0.1:{port}: ")
    assert "hint: choose another port with --port N" in result.stderr
    assert not (small_brief / "build").exists(), "nothing is built when it cannot serve"
