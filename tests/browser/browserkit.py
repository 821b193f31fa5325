"""Measurements the browser tests take in a page, and the arithmetic on them.

The JavaScript here only reads the page (computed styles, geometry); it runs
through Playwright's evaluate, which works with the page's JavaScript
disabled too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from playwright.sync_api import ConsoleMessage, Page, Request, Response

# ---- which pages, and what they did ---------------------------------------

@dataclass(frozen=True)
class PageKind:
    name: str
    path: str  # relative to the site root


def page_kinds(brief: dict[str, Any]) -> list[PageKind]:
    """One page of every kind the theme renders, chosen from brief.json."""
    actor = next((a for a in brief["actors"] if a["id"] == "aliyev"), brief["actors"][0])
    event = next(e for e in brief["events"] if e["actors"])
    return [
        PageKind("front", "index.html"),
        PageKind("article", brief["articles"][0]["url"] + "index.html"),
        PageKind("articles", "articles/index.html"),
        PageKind("actors", "actors/index.html"),
        PageKind("network", "actors/network/index.html"),
        PageKind("actor", actor["url"] + "index.html"),
        PageKind("event", event["url"] + "index.html"),
        PageKind("timeline", "timeline/index.html"),
        PageKind("tags", "tags/index.html"),
        PageKind("tag", f"tags/{brief['tags'][0]['slug']}/index.html"),
        PageKind("search", "search/index.html"),
        PageKind("print", "print/index.html"),
        PageKind("404", "404.html"),
        *([PageKind("sources", "sources/index.html"), PageKind("source", brief["sources"][0]["url"] + "index.html")]
          if brief.get("sources") else []),
    ]


PAGE_KIND_NAMES = ["front", "article", "articles", "actors", "network", "actor", "event", "timeline", "tags", "tag",
                   "search", "print", "404", "sources", "source"]


def is_local(url: str) -> bool:
    """True for URLs that stay on this machine."""
    parts = urlsplit(url)
    if parts.scheme in ("file", "data", "blob", "about"):
        return True
    return parts.scheme in ("http", "https", "ws", "wss") and parts.hostname in ("127.0.0.1", "localhost")


@dataclass
class Watch:
    """Everything a page did that a test may want to complain about."""

    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    favicon_errors: list[str] = field(default_factory=list)
    expected_status: dict[str, int] = field(default_factory=dict)

    def attach(self, page: Page) -> None:
        page.on("request", self._request)
        page.on("requestfailed", self._failed)
        page.on("response", self._response)
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.page_errors.append(str(e)))

    def _console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        where = message.location.get("url", "")
        if urlsplit(where).path == "/favicon.ico":
            # Chromium asks every http site for /favicon.ico on its own; a
            # separate test (test_no_favicon_request_fails) holds the theme to it.
            self.favicon_errors.append(message.text)
            return
        if where in self.expected_status and str(self.expected_status[where]) in message.text:
            return  # the page's own, expected, status (a 404 page served as such)
        self.console_errors.append(f"{message.text} ({where})")

    def _request(self, request: Request) -> None:
        self.requests.append(request.url)

    def _failed(self, request: Request) -> None:
        # The browser drops what is still loading (the icon, the search index's
        # script) when a test moves on to the next page; a file that is really
        # missing shows up in _response as its HTTP status instead.
        if request.failure == "net::ERR_ABORTED":
            return
        self.failed.append(f"{request.url}: {request.failure}")

    def _response(self, response: Response) -> None:
        if response.status >= 400 and self.expected_status.get(response.url) != response.status:
            self.failed.append(f"{response.url}: HTTP {response.status}")

    def problems(self) -> list[str]:
        """Console errors, script errors, failed requests and requests off this machine."""
        return (
            [f"console error: {e}" for e in self.console_errors]
            + [f"script error: {e}" for e in self.page_errors]
            + [f"failed request: {f}" for f in self.failed]
            + [f"request to a non-local host: {u}" for u in self.requests if not is_local(u)]
        )

    def reset(self) -> None:
        for items in (self.requests, self.console_errors, self.page_errors, self.failed, self.favicon_errors):
            items.clear()


@dataclass
class Tab:
    page: Page
    watch: Watch



# ---- measurements in the page --------------------------------------------

# A short CSS-like path to an element, for messages: "main > div.wrap > p.standfirst".
_DESCRIBE = r"""
function describe(el) {
  const parts = [];
  for (let e = el; e && e.nodeType === 1 && parts.length < 4; e = e.parentElement) {
    let s = e.tagName.toLowerCase();
    if (e.id) { parts.unshift(s + "#" + e.id); break; }
    const cls = typeof e.className === "string" ? e.className.trim().split(/\s+/).filter(Boolean) : [];
    if (cls.length) s += "." + cls.slice(0, 2).join(".");
    parts.unshift(s);
  }
  return parts.join(" > ");
}
function backgrounds(el) {
  const out = [];
  for (let e = el; e; e = e.parentElement) out.push(getComputedStyle(e).backgroundColor);
  return out;
}
"""

FOCUSED = (
    "() => {"
    + _DESCRIBE
    + r"""
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const cs = getComputedStyle(el);
  const r = el.getBoundingClientRect();
  return {
    element: describe(el),
    tag: el.tagName.toLowerCase(),
    id: el.id,
    href: el.getAttribute("href"),
    text: (el.textContent || "").trim().replace(/\s+/g, " ").slice(0, 60),
    inMain: !!el.closest("main"),
    inHeader: !!el.closest("body > header"),
    outlineStyle: cs.outlineStyle,
    outlineWidth: parseFloat(cs.outlineWidth) || 0,
    outlineColor: cs.outlineColor,
    boxShadow: cs.boxShadow,
    around: backgrounds(el.parentElement),
    rect: {top: r.top, left: r.left, bottom: r.bottom, right: r.right, width: r.width, height: r.height},
    viewport: {width: innerWidth, height: innerHeight},
  };
}"""
)

# Every rendered element with text of its own: its colours, size and weight.
TEXT_STYLES = (
    "() => {"
    + _DESCRIBE
    + r"""
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    const own = [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.data).join("").trim();
    if (!own || ["SCRIPT", "STYLE", "NOSCRIPT"].includes(el.tagName)) continue;
    if (!el.getClientRects().length) continue;
    const cs = getComputedStyle(el);
    if (cs.visibility !== "visible") continue;
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1) continue;  // visually hidden (screen-reader) text
    out.push({
      element: describe(el), text: own.replace(/\s+/g, " ").slice(0, 40),
      color: cs.color, around: backgrounds(el),
      size: parseFloat(cs.fontSize), weight: parseInt(cs.fontWeight, 10) || 400,
    });
  }
  return out;
}"""
)

# Horizontal overflow, and the outermost elements that stick out to the right.
OVERFLOW = (
    "() => {"
    + _DESCRIBE
    + r"""
  const de = document.documentElement;
  const result = {scrollWidth: de.scrollWidth, innerWidth: innerWidth, offenders: []};
  if (de.scrollWidth <= innerWidth) return result;
  const sticking = new Set();
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > innerWidth + 0.5) sticking.add(el);
  }
  for (const el of sticking) {
    let inner = true;
    for (const other of sticking) if (other !== el && el.contains(other)) { inner = false; break; }
    if (inner) {
      const r = el.getBoundingClientRect();
      result.offenders.push(`${describe(el)} (right edge ${Math.round(r.right)} px, width ${Math.round(r.width)} px)`);
    }
  }
  return result;
}"""
)

# Characters on each full line (not a paragraph's last) of the first paragraphs
# matched by the selector, found by walking the text one character at a time
# and starting a new line whenever the next character sits left of the last.
LINE_LENGTHS = r"""
(selector) => {
  const lines = [];
  const range = document.createRange();
  for (const p of [...document.querySelectorAll(selector)].slice(0, 8)) {
    const counts = [];
    let lastLeft = -Infinity;
    const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      for (let i = 0; i < node.length; i++) {
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const rects = range.getClientRects();
        if (!rects.length || rects[0].width === 0) continue;  // collapsed white space
        const left = rects[0].left;
        if (left < lastLeft - 1 || !counts.length) counts.push(0);
        counts[counts.length - 1]++;
        lastLeft = left;
      }
    }
    lines.push(...counts.slice(0, -1));
  }
  return lines;
}
"""

PAGE_SHAPE = r"""
() => ({
  h1: document.querySelectorAll("h1").length,
  main: document.querySelectorAll("main").length,
  roleMain: document.querySelectorAll("[role=main]").length,
  title: document.title,
  h1Text: (document.querySelector("h1") || {}).textContent || "",
  directoryListing: !!document.querySelector("#parentDirLinkBox, #listingParsingErrorBox")
                    || /^Index of /.test(document.title),
})
"""


# ---- colour arithmetic (WCAG 2.x) ----------------------------------------

RGBA = tuple[float, float, float, float]


def parse_color(text: str) -> RGBA:
    """A computed CSS colour (rgb(), rgba() or color(srgb ...)) as 0-255 RGB and alpha."""
    m = re.fullmatch(r"rgba?\(([^)]*)\)", text.strip())
    if m:
        nums = [float(x) for x in re.split(r"[\s,/]+", m.group(1).strip()) if x]
        return (nums[0], nums[1], nums[2], nums[3] if len(nums) > 3 else 1.0)
    m = re.fullmatch(r"color\(srgb ([^)]*)\)", text.strip())
    if m:
        nums = [float(x) for x in re.split(r"[\s/]+", m.group(1).strip()) if x]
        return (nums[0] * 255, nums[1] * 255, nums[2] * 255, nums[3] if len(nums) > 3 else 1.0)
    raise ValueError(f"cannot parse colour {text!r}")


def over(top: RGBA, bottom: RGBA) -> RGBA:
    """``top`` composited over an opaque ``bottom``."""
    a = top[3]
    return (
        top[0] * a + bottom[0] * (1 - a),
        top[1] * a + bottom[1] * (1 - a),
        top[2] * a + bottom[2] * (1 - a),
        1.0,
    )


def backdrop(layers: list[str], canvas: RGBA = (255, 255, 255, 1.0)) -> RGBA:
    """The opaque colour behind an element, from its own background outwards."""
    colour = canvas
    for layer in reversed(layers):
        colour = over(parse_color(layer), colour)
    return colour


def luminance(c: RGBA) -> float:
    def channel(v: float) -> float:
        v /= 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(c[0]) + 0.7152 * channel(c[1]) + 0.0722 * channel(c[2])


def contrast(a: RGBA, b: RGBA) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_contrast(item: dict[str, Any]) -> tuple[float, float]:
    """(contrast ratio, AA minimum) for one entry of TEXT_STYLES."""
    bg = backdrop(item["around"])
    fg = over(parse_color(item["color"]), bg)
    large = item["size"] >= 24 or (item["size"] >= 18.66 and item["weight"] >= 700)
    return contrast(fg, bg), 3.0 if large else 4.5


def contrast_failures(page: Page) -> list[str]:
    failures = []
    for item in page.evaluate(TEXT_STYLES):
        ratio, minimum = text_contrast(item)
        if ratio < minimum:
            failures.append(
                f"{item['element']} {item['text']!r}: {item['color']} on "
                f"{backdrop(item['around'])[:3]} = {ratio:.2f}:1, needs {minimum}:1"
            )
    return failures
