"""The Markdown report: the per-size table and the mention-linking verdict."""

from __future__ import annotations

import re
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

STAGE_RE = re.compile(r"^\s*([a-z][\w-]*)\s+(\d+(?:\.\d+)?)\s*s\s*$", re.M)
LINKING_STAGE = "markdown"
"""The ``--timings`` stage where mentions are found (markdown-it plugins)."""
SEARCH_STAGE = "search"
"""The ``--timings`` stage that makes the search index."""


def parse_timings(output: str) -> dict[str, float]:
    """Stage seconds from ``briefgen build --timings`` lines such as ``  markdown   4.509 s``."""
    return {name: float(value) for name, value in STAGE_RE.findall(output)}


def median_or_none(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def _s(value: object, digits: int = 2) -> str:
    return f"{value:.{digits}f}" if isinstance(value, (int, float)) else "–"


def _per(a: object, b: object) -> float | None:
    ok = isinstance(a, (int, float)) and isinstance(b, (int, float)) and b
    return a / b if ok else None  # type: ignore[operator]


def _ratio(a: object, b: object) -> str:
    value = _per(a, b)
    return f"{value:.2f}×" if value is not None else "–"


Figures = Mapping[str, object]


def _figures(result: Mapping[str, object]) -> tuple[Mapping[str, Figures], Figures, Figures, Figures]:
    """One size's results: briefgen's by step, its cold build, Hugo's and Pelican's (empty if not run)."""
    steps: Mapping[str, Figures] = result.get("briefgen", {})  # type: ignore[assignment]
    hugo: Figures = result.get("hugo", {})  # type: ignore[assignment]
    pelican: Figures = result.get("pelican", {})  # type: ignore[assignment]
    return steps, steps.get("cold", {}), hugo, pelican


def size_table(results: Sequence[Mapping[str, object]]) -> str:
    """The Markdown table of per-size results."""
    head = ("| N | briefgen cold s | no-op s | 1-article edit s | alias edit s | peak MB | pages | pages/s "
            "| hugo s | hugo MB | pelican s | briefgen/hugo | pelican/briefgen | MB briefgen/hugo |")
    lines = [head, "|" + " ---: |" * 14]
    for result in results:
        steps, cold, hugo, pel = _figures(result)
        lines.append(" | ".join([
            f"| {result['n']}", _s(cold.get("s")), _s(steps.get("noop", {}).get("s")),
            _s(steps.get("article_edit", {}).get("s")), _s(steps.get("alias_edit", {}).get("s")),
            _s(cold.get("peak_mb"), 0), str(cold.get("pages") or "–"), _s(cold.get("pages_per_s"), 0),
            _s(hugo.get("s")), _s(hugo.get("peak_mb"), 0), _s(pel.get("s")),
            _ratio(cold.get("s"), hugo.get("s")), _ratio(pel.get("s"), cold.get("s")),
            _ratio(cold.get("peak_mb"), hugo.get("peak_mb")),
        ]) + " |")
    return "\n".join(lines)


def cpu_table(results: Sequence[Mapping[str, object]]) -> str:
    """CPU time of the cold builds: how much work each generator does, apart from how it spreads it."""
    lines = ["| N | briefgen CPU s | hugo CPU s | pelican CPU s | CPU briefgen/hugo "
             "| briefgen CPU s per wall s | hugo CPU s per wall s |", "|" + " ---: |" * 7]
    for result in results:
        _, cold, hugo, pel = _figures(result)
        lines.append(" | ".join([
            f"| {result['n']}", _s(cold.get("cpu_s")), _s(hugo.get("cpu_s")), _s(pel.get("cpu_s")),
            _ratio(cold.get("cpu_s"), hugo.get("cpu_s")),
            _s(_per(cold.get("cpu_s"), cold.get("s"))), _s(_per(hugo.get("cpu_s"), hugo.get("s"))),
        ]) + " |")
    return "\n".join(lines)


def search_table(results: Sequence[Mapping[str, object]]) -> str:
    """Search, apart from the build times above: indexing, an edit with the index, and ``serve``."""
    lines = ["| N | search index s (stage) | build with index s | 1-article edit with index s "
             "| serve: save to reload s | serve: index after the reload s |", "|" + " ---: |" * 6]
    for result in results:
        steps, _, _, _ = _figures(result)
        search: Figures = result.get("search", {})  # type: ignore[assignment]
        lines.append(" | ".join([
            f"| {result['n']}", _s(search.get("index_stage_s")), _s(steps.get("search_index", {}).get("s")),
            _s(steps.get("search_edit", {}).get("s")), _s(search.get("reload_s"), 3),
            _s(search.get("index_after_reload_s")),
        ]) + " |")
    return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class LinkingCost:
    """Mention-linking cost of one corpus, in seconds per 1000 words."""

    linking: float | None
    """Fastest run with ``autolink: all`` minus fastest with ``off``."""
    base: float | None
    """Fastest run with ``autolink: all``, whole stage (or build)."""
    source: str
    """What was timed: the markdown stage or the whole build."""


def linking_cost(row: Mapping[str, object]) -> LinkingCost:
    """Linking cost from the ``markdown`` stage of ``--timings`` if every run reported it, else wall time.

    The stage leaves out per-page costs such as rendering 5000 actor pages. Fastest runs,
    not medians: on a shared VM noise only adds time, and a difference of two noisy
    medians is mostly noise.
    """
    k = row["words"] / 1000  # type: ignore[operator]
    for source, on_key, off_key in ((f"{LINKING_STAGE} stage", "stage_runs_on", "stage_runs_off"),
                                    ("whole build", "runs_on", "runs_off")):
        on: Sequence[float] = row.get(on_key) or []  # type: ignore[assignment]
        off: Sequence[float] = row.get(off_key) or []  # type: ignore[assignment]
        if on and off:
            return LinkingCost((min(on) - min(off)) / k, min(on) / k, source)
    return LinkingCost(None, None, "nothing")


def linking_report(linking: Mapping[str, object]) -> str:
    """Markdown table and verdict for --linking-scaling."""
    rows: Sequence[Mapping[str, object]] = linking["rows"]  # type: ignore[assignment]
    lines = [f"Mention linking, {linking['articles']} articles, 3 aliases per actor; words = all Markdown "
             "(articles, actors, events). Build and stage times are medians with `autolink: \"all\"` and "
             f"`\"off\"`; linking = fastest \"all\" run − fastest \"off\" run, from the `{LINKING_STAGE}` stage of "
             "`--timings` when reported, per 1000 words.",
             "",
             "| actors | names+aliases | article words | all words | pages | cold s | off s "
             f"| {LINKING_STAGE} s | off s | s/1000 words | linking s/1000 words |",
             "|" + " ---: |" * 11]
    costs = [linking_cost(row) for row in rows]
    for row, cost in zip(rows, costs, strict=True):
        k = row["words"] / 1000  # type: ignore[operator]
        on = median_or_none(row.get("runs_on") or [])  # type: ignore[arg-type]
        lines.append(" | ".join([
            f"| {row['actors']}", str(row["names"]), str(row["article_words"]), str(row["words"]),
            str(row.get("pages", "–")), _s(on), _s(median_or_none(row.get("runs_off") or [])),  # type: ignore[arg-type]
            _s(median_or_none(row.get("stage_runs_on") or [])), _s(median_or_none(row.get("stage_runs_off") or [])),  # type: ignore[arg-type]
            _s(on / k if on is not None else None, 5), _s(cost.linking, 5)]) + " |")
    lines += ["", "verdict (build stage): " + linking_verdict(costs[0], costs[1], len(rows[0].get("runs_on") or []))]  # type: ignore[arg-type]
    in_process = [in_process_cost(row) for row in rows]
    if all(cost is not None for cost in in_process):
        lines += ["", "In one process (`linking_inprocess.py`): the article bodies, the same text in both corpora, "
                  "rendered twice per repeat by one renderer per setting; per word from the fastest second "
                  "pass, setup = building the renderer plus what its first pass took over its second "
                  "(the trie of names, the regex of first words).", "",
                  "| actors | names+aliases | article words | all ms/1000 words | off ms/1000 words "
                  "| linking ms/1000 words | setup with \"all\" s |", "|" + " ---: |" * 7]
        for row, one in zip(rows, in_process, strict=True):
            assert one is not None
            lines.append(f"| {row['actors']} | {row['names']} | {one.words} | {one.all_ms:.3f} | {one.off_ms:.3f} "
                         f"| {one.linking_ms:.3f} | {one.setup_s:.3f} |")
        few, many = in_process[0], in_process[1]
        assert few is not None and many is not None
        allowed = max(few.linking_ms, 0.0) + 0.10 * few.all_ms
        measured = (f"linking {many.linking_ms:.3f} ms/1000 words with 5000 actors vs {few.linking_ms:.3f} with 50 "
                    f"(allowed up to {allowed:.3f}); setup {many.setup_s:.3f} s vs {few.setup_s:.3f} s once per process")
        holds = many.linking_ms <= allowed
        lines += ["", "verdict (one process, per word): " + (
            f"claim holds, 5000 actors are not slower per word: {measured}" if holds
            else f"claim FAILS, 5000 actors are slower per word: {measured}")]
    for row in rows:
        if row.get("timings"):
            lines += ["", f"`briefgen build --timings` (last run), {row['actors']} actors:", "```",
                      str(row["timings"]).rstrip(), "```"]
    return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class InProcessCost:
    """``linking_inprocess.py``'s figures for one corpus."""

    words: int
    all_ms: float
    """Fastest second pass with ``autolink: all``, ms per 1000 article words."""
    off_ms: float
    linking_ms: float
    setup_s: float


def in_process_cost(row: Mapping[str, object]) -> InProcessCost | None:
    data: Mapping[str, object] | None = row.get("in_process")  # type: ignore[assignment]
    if not data:
        return None
    k = data["words"] / 1000  # type: ignore[operator]
    on, off = min(data["all_second"]), min(data["off_second"])  # type: ignore[call-overload]
    setup = min(data["all_setup"]) + max(min(data["all_first"]) - on, 0.0)  # type: ignore[call-overload]
    return InProcessCost(int(data["words"]), on / k * 1000, off / k * 1000,  # type: ignore[call-overload]
                         (on - off) / k * 1000, setup)


def linking_verdict(few: LinkingCost, many: LinkingCost, runs: int) -> str:
    """Whether 5000 actors cost more linking time per word than 50.

    Allowed: 10% of the 50-actor corpus's whole stage time per word, so that a
    linking cost near zero does not turn noise into a failure.
    """
    if few.linking is None or many.linking is None or few.base is None:
        return "not measured (a build failed, or `autolink: \"all\"`/`\"off\"` is not supported)"
    allowed = max(few.linking, 0.0) + 0.10 * few.base
    measured = (f"linking {many.linking:.5f} s/1000 words with 5000 actors vs {few.linking:.5f} with 50 "
                f"({few.source}; allowed up to {allowed:.5f})")
    if runs < 3:
        return f"inconclusive with {runs} run(s) on a noisy machine (use --repeat 3 or more): {measured}"
    if many.linking <= allowed:
        return f"claim holds, 5000 actors are not slower per word: {measured}"
    return f"claim FAILS, 5000 actors are slower per word: {measured}"
