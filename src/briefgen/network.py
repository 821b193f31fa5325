"""The network of actors (``actors/network/``): who is named with whom, drawn at build time.

The drawing is plain data for the template to write as SVG, so it needs no
JavaScript and comes out the same for the same brief: a circle of actors in
the actor index's order (by kind, then name), and between them the strongest
ties, those of ``Brief.co_mentions`` (the ties each actor page lists). A brief
of thousands of actors would be a hairball, so only the strongest ties are
drawn, up to ``EDGE_LIMIT`` of them among at most ``NODE_LIMIT`` actors; the
page says how many it leaves out and lists every tie it draws in a table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from briefgen.documents import ACTOR_KINDS
from briefgen.model import Brief
from briefgen.urls import page_url

NODE_LIMIT = 60
"""Most actors drawn: beyond this the circle's labels no longer fit."""
EDGE_LIMIT = 100
"""Most ties drawn."""
LABEL_CHARS = 30
"""A longer name is cut, with "…", in the drawing (its link's title and the table give it whole)."""
CHAR_WIDTH = 7.4
"""About the width of a character of a label, in the drawing's units, to leave room for the longest."""
MIN_WIDTH, MAX_WIDTH = 1.0, 7.0
"""Stroke widths of the weakest and the strongest tie drawn."""


@dataclass(frozen=True, slots=True)
class Tie:
    """Two actors and the number of articles and events that name both."""

    first: str
    second: str
    weight: int


def strongest_ties(brief: Brief, node_limit: int = NODE_LIMIT, edge_limit: int = EDGE_LIMIT) -> list[Tie]:
    """The strongest ties, strongest first (then in the index's order), that keep to both limits.

    A tie whose actors would take the drawing past ``node_limit`` is passed
    over, so the drawing keeps the strongest ties among the actors it shows."""
    rank = {actor_id: position for position, actor_id in enumerate(brief.actors)}
    weights: dict[tuple[str, str], int] = {}
    for actor_id, others in brief.co_mentions.items():
        for other, count in others:
            pair = (actor_id, other) if rank[actor_id] < rank[other] else (other, actor_id)
            weights[pair] = count
    chosen: list[Tie] = []
    nodes: set[str] = set()
    for (first, second), weight in sorted(weights.items(), key=lambda p: (-p[1], rank[p[0][0]], rank[p[0][1]])):
        if len(chosen) == edge_limit:
            break
        if len(nodes | {first, second}) > node_limit:
            continue
        nodes.update((first, second))
        chosen.append(Tie(first, second, weight))
    return chosen


def _kind_order(brief: Brief, actor_id: str) -> tuple[int, str, str]:
    actor = brief.actors[actor_id]
    return (ACTOR_KINDS.index(actor.kind), actor.name.casefold(), actor_id)


def network(brief: Brief, node_limit: int = NODE_LIMIT, edge_limit: int = EDGE_LIMIT) -> dict[str, Any]:
    """The drawing (nodes and edges with their coordinates) and the table of the ties drawn."""
    ties = strongest_ties(brief, node_limit, edge_limit)
    degree: dict[str, int] = {}
    for tie in ties:
        for actor_id in (tie.first, tie.second):
            degree[actor_id] = degree.get(actor_id, 0) + tie.weight
    order = sorted(degree, key=lambda a: _kind_order(brief, a))
    radius = max(150.0, len(order) * 34 / (2 * math.pi))
    labels = {actor_id: _label(brief.actors[actor_id].name) for actor_id in order}
    centre = radius + 24 + CHAR_WIDTH * max((len(label) for label in labels.values()), default=0)
    heaviest = max(degree.values(), default=1)
    nodes: dict[str, dict[str, Any]] = {}
    for position, actor_id in enumerate(order):
        actor = brief.actors[actor_id]
        angle = 2 * math.pi * position / len(order) - math.pi / 2
        cos, sin = math.cos(angle), math.sin(angle)
        size = 4 + 8 * math.sqrt(degree[actor_id] / heaviest)
        left = cos < -1e-9
        degrees = math.degrees(angle) + (180 if left else 0)
        nodes[actor_id] = {
            "id": actor_id, "name": actor.name, "label": labels[actor_id], "kind": actor.kind, "url": page_url("actors", actor_id),
            "x": _n(centre + radius * cos), "y": _n(centre + radius * sin), "r": _n(size),
            "lx": _n(centre + (radius + size + 6) * cos), "ly": _n(centre + (radius + size + 6) * sin),
            "rotate": _n(degrees), "anchor": "end" if left else "start", "weight": degree[actor_id],
            "ties": sum(1 for t in ties if actor_id in (t.first, t.second)),
        }
    low = min((t.weight for t in ties), default=1)
    high = max((t.weight for t in ties), default=1)
    edges = []
    for tie in reversed(ties):  # the strongest drawn last, on top
        a, b = nodes[tie.first], nodes[tie.second]
        share = (tie.weight - low) / (high - low) if high > low else 1.0
        edges.append({"first": a["name"], "second": b["name"], "weight": tie.weight,
                      "x1": a["x"], "y1": a["y"], "x2": b["x"], "y2": b["y"],
                      "width": _n(MIN_WIDTH + (MAX_WIDTH - MIN_WIDTH) * share)})
    tied = {actor_id for actor_id, others in brief.co_mentions.items() if others}
    return {
        "size": _n(2 * centre), "nodes": list(nodes.values()), "edges": edges,
        "table": [{"first": nodes[t.first], "second": nodes[t.second], "weight": t.weight} for t in ties],
        "actors": len(brief.actors), "tied": len(tied), "shown": len(nodes),
        "ties": len({frozenset((a, o)) for a, others in brief.co_mentions.items() for o, _ in others}),
    }


def _label(name: str) -> str:
    return name if len(name) <= LABEL_CHARS else name[:LABEL_CHARS - 1].rstrip() + "…"


def _n(value: float) -> str:
    """A coordinate as written in the SVG: one decimal, so the same brief gives the same bytes."""
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text
