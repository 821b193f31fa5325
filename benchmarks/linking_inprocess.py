#!/usr/bin/env python3
"""Mention linking per word, in one process: what ``--linking-scaling`` runs beside its builds.

    python benchmarks/linking_inprocess.py BRIEF [--repeat 3]

Renders every article body of the brief with one renderer for ``autolink:
"all"`` and one for ``"off"``, as a build's Markdown worker does, and prints
JSON: the words, the seconds of each pass, and the setup time of each
renderer. Articles only: the two corpora of ``--linking-scaling`` have the same
articles' text and differ in their actors, whose 50 or 5000 short bodies would
otherwise weigh as per-word cost. Each
renderer renders the whole brief twice per repeat: the first pass includes
what a renderer pays once (building the trie of names, compiling its regex);
the second is the cost per word alone. Linking per word = fastest second pass
with "all" minus fastest with "off". Build stages cannot show this: their
wall time on a 2-core VM swings by more than the whole linking cost, and it
includes per-process setup that does not grow with the text.
"""

from __future__ import annotations

import argparse
import gc
import json
import time
from pathlib import Path

from briefgen.bodies import body_jobs
from briefgen.documents import parse_documents
from briefgen.linker import index_documents
from briefgen.markdown import BodyRenderer
from briefgen.sources import discover


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("brief", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    gc.set_threshold(50_000, 20, 100)  # as the CLI does
    files, _ = discover(args.brief)
    documents, _ = parse_documents(files)
    index, _ = index_documents(documents)
    jobs = [job for job in body_jobs(documents) if job.key.startswith("article:")]
    words = sum(len(job.body.split()) for job in jobs)
    result: dict[str, object] = {"words": words, "bodies": len(jobs), "names": len(index.actor_names)}
    times: dict[str, list[float]] = {}
    for _ in range(args.repeat):
        for mode in ("all", "off"):
            started = time.perf_counter()
            renderer = BodyRenderer(index, mode)
            passes = [time.perf_counter() - started]
            for _ in range(2):
                started = time.perf_counter()
                for job in jobs:
                    renderer.render(job.body, job.src_path, job.body_line, job.root, job.self_id)
                passes.append(time.perf_counter() - started)
            for key, value in zip(("setup", "first", "second"), passes):
                times.setdefault(f"{mode}_{key}", []).append(value)
    print(json.dumps({**result, **times}))


if __name__ == "__main__":
    main()
