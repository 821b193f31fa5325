"""The browser gate's outside checkers, and what their reports come to.

axe-core (run inside each page), the Nu HTML checker (vnu.jar, on the
system Java) and LinkChecker (crawling the served site) are well-kept tools
that know the rules better than code of ours would. The npm packages are
pinned in js/package-lock.json and installed by ``npm ci`` (``.ci/run``
does it); LinkChecker comes with the ``browser`` extra. Each report is read
here into findings that name the page, the rule and the place, so a failing
test says what to fix, and into counts per kind of page for the summary.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sysconfig
import xml.etree.ElementTree as ElementTree
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Page

JS_DIR = Path(__file__).resolve().parent / "js"
AXE_SCRIPT = JS_DIR / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = JS_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# --ignore-scripts: vnu-jar's install script would download a Java of its own; we use the system's.
NPM_INSTALL = "npm ci --ignore-scripts --prefix tests/browser/js"

BLOCKING_IMPACTS = ("serious", "critical")
"""axe-core's impacts that fail the gate; "minor" and "moderate" ones are counted, not failed."""

# The kind of page at a path of the built site, for counts per kind. New page
# types (search, print, ...) go here; anything unmatched counts as "other".
KIND_PATTERNS = [
    ("front", r"index\.html"),
    ("articles", r"articles/index\.html"),
    ("article", r"articles/[^/]+/index\.html"),
    ("actors", r"actors/index\.html"),
    ("network", r"actors/network/index\.html"),
    ("actor", r"actors/[^/]+/index\.html"),
    ("event", r"events/[^/]+/index\.html"),
    ("timeline", r"timeline/index\.html"),
    ("tags", r"tags/index\.html"),
    ("tag", r"tags/[^/]+/index\.html"),
    ("sources", r"sources/index\.html"),
    ("source", r"sources/[^/]+/index\.html"),
    ("search", r"search/index\.html"),
    ("print", r"print/index\.html"),
    ("404", r"404\.html"),
]


def kind_of(dest_path: str) -> str:
    """The kind of page at ``dest_path`` (relative to the site root), or "other"."""
    return next((kind for kind, pattern in KIND_PATTERNS if re.fullmatch(pattern, dest_path)), "other")


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem a checker reports, on one page of the site."""

    page: str
    """The page's path relative to the site root."""
    check: str
    """The checker's name for the rule: an axe rule id, "html" or "link"."""
    message: str
    where: str = ""
    """Where in the page: a CSS selector or a line."""

    def __str__(self) -> str:
        where = f" ({self.where})" if self.where else ""
        return f"{self.page}{where}: {self.check}: {self.message}"


def need(missing: str | None) -> None:
    """Skip the test for want of a checker; under CI fail it instead, as CI must run the whole gate."""
    if missing is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"the browser gate cannot run and CI is set, so it must: {missing}", pytrace=False)
    pytest.skip(missing)


def report(findings: Iterable[Finding], limit: int = 40) -> str:
    """Findings one a line, sorted, the first ``limit`` of them."""
    lines = sorted(str(f) for f in findings)
    more = [f"... and {len(lines) - limit} more"] if len(lines) > limit else []
    return "\n".join(lines[:limit] + more)


# ---- axe-core -------------------------------------------------------------


def axe_missing() -> str | None:
    """Why axe-core cannot run here, or None when it can."""
    return None if AXE_SCRIPT.is_file() else f"axe-core is not installed at {AXE_SCRIPT} (run {NPM_INSTALL})"


def axe_version() -> str:
    package = JS_DIR / "node_modules" / "axe-core" / "package.json"
    return str(json.loads(package.read_text("utf-8"))["version"]) if package.is_file() else "?"


def run_axe(page: Page) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it stands (every rule axe runs by default)."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    result: dict[str, Any] = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    violations: list[dict[str, Any]] = result["violations"]
    return violations


def axe_findings(dest_path: str, violations: Sequence[dict[str, Any]]) -> list[Finding]:
    """The serious and critical violations, one finding per element."""
    findings = []
    for violation in violations:
        if violation.get("impact") not in BLOCKING_IMPACTS:
            continue
        for node in violation["nodes"]:
            why = " ".join(node.get("failureSummary", "").split())
            findings.append(Finding(
                dest_path, violation["id"], f"{violation['help']} [{violation['impact']}]: {why}",
                " ".join(str(t) for t in node["target"]),
            ))
    return findings


# ---- the Nu HTML checker --------------------------------------------------


def java_missing() -> str | None:
    if shutil.which("java") is None:
        return "no java on PATH (apt-get install -y default-jre-headless)"
    if not VNU_JAR.is_file():
        return f"the Nu HTML checker is not installed at {VNU_JAR} (run {NPM_INSTALL})"
    return None


def vnu_command(files: Sequence[Path]) -> list[str]:
    """One JVM for every file: errors only, as JSON on stdout, exit status 0 whatever it finds."""
    java = shutil.which("java") or "java"
    return [java, "-jar", str(VNU_JAR), "--errors-only", "--exit-zero-always", "--stdout", "--format", "json",
            *(str(f) for f in files)]


def vnu_findings(output: str, site: Path) -> list[Finding]:
    """The errors in the checker's JSON report, on paths relative to ``site``."""
    findings = []
    for message in json.loads(output)["messages"]:
        if message.get("type") not in ("error", "non-document-error"):
            continue
        path = Path(url2pathname(urlsplit(message.get("url", "")).path))
        page = path.relative_to(site).as_posix() if path.is_relative_to(site) else str(path)
        line = message.get("lastLine") or message.get("firstLine")
        extract = " ".join(message.get("extract", "").split())
        text = message["message"] + (f" in {extract!r}" if extract else "")
        findings.append(Finding(page, "html", text, f"line {line}" if line else ""))
    return findings


# ---- LinkChecker ----------------------------------------------------------


def linkchecker_executable() -> str | None:
    """The LinkChecker installed beside this Python, else one on PATH."""
    # Not ``python -m linkcheck``: tests/linkcheck.py, on the tests' path, has the same name.
    return shutil.which("linkchecker", path=sysconfig.get_path("scripts")) or shutil.which("linkchecker")


def linkchecker_missing() -> str | None:
    if linkchecker_executable() is None:
        return "LinkChecker is not installed (pip install -e '.[browser]')"
    return None


LINKCHECKER_CONFIG = """\
[checking]
# Without a limit of its own LinkChecker waits between requests to a host; the
# test server answers with a "LinkChecker" header, which lifts the limit to this.
maxrequestspersecond=1000
[AnchorCheck]
"""
"""Checks #fragments too: each link to a fragment is followed and the id looked for."""


def linkchecker_command(executable: str, config: Path, base: str, start: Sequence[str]) -> list[str]:
    """Crawl the site from ``start``; a URL outside ``base`` is checked for its syntax only, never requested."""
    return [executable, "--config", str(config), "--no-status", "--verbose", "--output", "xml",
            "--ignore-url", f"^(?!{re.escape(base)})", *start]


@dataclass(frozen=True, slots=True)
class LinkReport:
    """What LinkChecker found crawling the served site."""

    pages: tuple[str, ...]
    """The HTML pages it reached, as paths relative to the site root."""
    internal: int
    """How many URLs (links with distinct fragments or queries counted apart) on the site it requested."""
    external: tuple[str, ...]
    """Links off the site, with the result LinkChecker gave them (which must not be a request)."""
    broken: tuple[Finding, ...] = field(default=())


def dest_path(url: str, base: str) -> str | None:
    """The path relative to the site root of a page URL under ``base``, or None for other URLs."""
    if not url.startswith(base):
        return None
    path = unquote(urlsplit(url).path)[len(urlsplit(base).path):]
    if path == "" or path.endswith("/"):
        path += "index.html"
    return path if path.endswith(".html") else None


def read_linkchecker_xml(output: str, base: str) -> LinkReport:
    """LinkChecker's verbose XML report: every URL it met, with its parent page, result and warnings."""
    pages: set[str] = set()
    internal = 0
    external: set[str] = set()
    broken = []
    for item in ElementTree.fromstring(output).iter("urldata"):
        written = item.findtext("url", "")
        real = item.findtext("realurl", "") or written
        valid = item.find("valid")
        result = valid.get("result", "") if valid is not None else ""
        if item.findtext("extern", "0") == "1" or not real.startswith(base):
            external.add(f"{real} [{result}]")
            continue
        internal += 1
        warnings = [" ".join((w.text or "").split()) for w in item.iter("warning")]
        ok = valid is not None and valid.text == "1"
        if ok and (page := dest_path(real, base)):
            pages.add(page)
        if ok and not warnings:
            continue
        parent = item.find("parent")
        where = dest_path(parent.text or "", base) if parent is not None else None
        line = parent.get("line") if parent is not None else None
        problem = "; ".join(([] if ok else [result or "invalid"]) + [w[:200] for w in warnings])
        broken.append(Finding(where or "(start)", "link", f"{written} -> {problem}", f"line {line}" if line else ""))
    return LinkReport(tuple(sorted(pages)), internal, tuple(sorted(external)), tuple(broken))


# ---- figures for the summary ----------------------------------------------


@dataclass
class GateFigures:
    """What each checker counted, per kind of page; printed at the end of the test run."""

    axe: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)
    """(kind, scheme) -> (serious or critical violations, all violations)."""
    axe_version: str = ""
    vnu_pages: Counter[str] = field(default_factory=Counter)
    vnu_errors: Counter[str] = field(default_factory=Counter)
    link_pages: Counter[str] = field(default_factory=Counter)
    link_broken: Counter[str] = field(default_factory=Counter)
    link_urls: int = 0
    link_external: int = 0

    def lines(self) -> list[str]:
        out = []
        if self.axe:
            kinds = list(dict.fromkeys(kind for kind, _ in self.axe))
            schemes = list(dict.fromkeys(scheme for _, scheme in self.axe))
            cells = [f"{kind} " + "/".join(str(self.axe[kind, s][0]) if (kind, s) in self.axe else "-" for s in schemes)
                     for kind in kinds]
            others = sum(all_ - blocking for blocking, all_ in self.axe.values())
            out.append(f"axe-core {self.axe_version}, serious+critical violations ({'/'.join(schemes)}): "
                       + ", ".join(cells) + f"; minor+moderate in all: {others}")
        if self.vnu_pages:
            out.append(f"Nu HTML checker: {sum(self.vnu_pages.values())} pages, {sum(self.vnu_errors.values())} errors: "
                       + ", ".join(f"{k} {self.vnu_errors[k]}/{n}" for k, n in sorted(self.vnu_pages.items()))
                       + " (errors/pages)")
        if self.link_pages:
            out.append(f"LinkChecker: {sum(self.link_pages.values())} pages, {self.link_urls} URLs on the site requested, "
                       f"{sum(self.link_broken.values())} broken, {self.link_external} links off the site not followed: "
                       + ", ".join(f"{k} {self.link_broken[k]}/{n}" for k, n in sorted(self.link_pages.items()))
                       + " (broken/pages)")
        return out
