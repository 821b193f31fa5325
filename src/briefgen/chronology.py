"""The timeline's order: events by their dates and, where the dates cannot tell, by ``after:`` and ``before:``.

Each event may have begun on any day of a window, from the first day its
start may stand for to the last. The timeline places an event at the last day
of that window, so a month-only event follows the days of its month. An
``after:`` entry narrows both windows (the later event cannot begin before
the earlier one's window opens, the earlier one cannot begin after the later
one's closes) and orders the two when the narrowed windows still tie. An
entry that empties a window contradicts the dates; entries that go round in
a circle cannot be met at all. Both are errors that name the events.
"""

from __future__ import annotations

import heapq
from collections import defaultdict, deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from briefgen.dates import PRECISIONS, EventDate
from briefgen.errors import BriefError, error


@dataclass(frozen=True, slots=True)
class Precedence:
    """One entry of an ``after:`` or ``before:`` list, resolved: ``earlier`` began no later than ``later``."""

    earlier: str
    later: str
    src_path: str
    line: int
    key: str
    """"after" or "before": the key the entry was written under."""


@dataclass(frozen=True, slots=True)
class Chronology:
    """The timeline as the linker hands it to the ``Brief``."""

    order: tuple[str, ...]
    """Event ids in timeline order."""
    months: dict[str, tuple[int, int]]
    """Where the timeline shows each event: (year, month), month 0 for "date within the year unknown"."""
    after: dict[str, tuple[str, ...]]
    """Each event's known predecessors (its ``after:`` and the ``before:`` entries naming it), in order."""
    before: dict[str, tuple[str, ...]]
    """Each event's known successors, in order."""


def order_events(
    dates: Mapping[str, EventDate], precedences: Sequence[Precedence]
) -> tuple[Chronology, list[BriefError]]:
    """The timeline order of ``dates`` (event id -> date) under ``precedences``, and the problems found."""
    problems: list[BriefError] = []
    edges: dict[tuple[str, str], Precedence] = {}
    for entry in sorted(precedences, key=lambda p: (p.src_path, p.line, p.earlier, p.later)):
        if entry.earlier == entry.later:
            problems.append(error(entry.src_path, entry.line, f"an event cannot come {entry.key} itself",
                                  f"remove '{entry.earlier}' from '{entry.key}'"))
        else:
            edges.setdefault((entry.earlier, entry.later), entry)
    later_of, earlier_of = _successors(edges), _successors(edges, 1)

    latest_start = {event_id: when.latest_start for event_id, when in dates.items()}
    circles, in_circles = _cycles(later_of, edges)
    # The entries outside circles are still checked against the dates.
    acyclic = {pair: entry for pair, entry in edges.items() if not set(pair) <= in_circles}
    narrowed, found = _narrow(dates, latest_start, _successors(acyclic), _successors(acyclic, 1), acyclic)
    problems += circles + found
    if not circles and not found:
        latest_start.update(narrowed)
    # Entries that cannot be met leave the dates alone to order the events (the build stops anyway).
    order = _sorted(dates, latest_start, {} if circles or found else earlier_of, later_of)
    rank = {event_id: position for position, event_id in enumerate(order)}
    chronology = Chronology(
        order=tuple(order),
        months=_months(order, dates, latest_start),
        after={e: tuple(sorted(earlier_of.get(e, ()), key=rank.__getitem__)) for e in order},
        before={e: tuple(sorted(later_of.get(e, ()), key=rank.__getitem__)) for e in order},
    )
    return chronology, problems


def _successors(edges: Mapping[tuple[str, str], Precedence], side: int = 0) -> dict[str, list[str]]:
    """The events each event is ordered before (``side`` 0) or after (``side`` 1), sorted."""
    found: defaultdict[str, list[str]] = defaultdict(list)
    for pair in sorted(edges):
        found[pair[side]].append(pair[1 - side])
    return dict(found)


def _cycles(
    later_of: Mapping[str, list[str]], edges: Mapping[tuple[str, str], Precedence]
) -> tuple[list[BriefError], set[str]]:
    """One error for each group of events whose entries go round in a circle (Tarjan's
    components), and the events of those groups."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    problems = []
    in_circles: set[str] = set()
    for root in sorted(later_of):
        if root in index:
            continue
        work = [(root, iter(later_of.get(root, ())))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            following = next(successors, None)
            if following is not None:
                if following not in index:
                    index[following] = low[following] = len(index)
                    stack.append(following)
                    on_stack.add(following)
                    work.append((following, iter(later_of.get(following, ()))))
                elif following in on_stack:
                    low[node] = min(low[node], index[following])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    problems.append(_cycle_error(component, later_of, edges))
                    in_circles |= component
    return problems, in_circles


def _cycle_error(component: set[str], later_of: Mapping[str, list[str]],
                 edges: Mapping[tuple[str, str], Precedence]) -> BriefError:
    start = min(component)
    path = _path(start, start, later_of, component)
    steps = list(zip(path, path[1:]))
    chain = ", ".join(f"'{later}' after '{earlier}'" for earlier, later in steps)
    entry = min((edges[step] for step in steps), key=lambda p: (p.src_path, p.line))
    return error(entry.src_path, entry.line, f"events ordered in a circle: {chain}",
                 "remove one of these 'after' or 'before' entries")


def _path(source: str, target: str, later_of: Mapping[str, list[str]], within: set[str] | None = None) -> list[str]:
    """The shortest chain of entries from ``source`` to ``target`` (a circle when they are the same)."""
    came_from: dict[str, str] = {}
    queue = deque([source])
    while queue:
        node = queue.popleft()
        for following in later_of.get(node, ()):
            if within is not None and following not in within:
                continue
            if following == target:
                path = [target, node]
                while path[-1] != source:
                    path.append(came_from[path[-1]])
                return path[::-1]
            if following not in came_from and following != source:
                came_from[following] = node
                queue.append(following)
    raise ValueError(f"no chain from {source} to {target}")  # callers ask only for chains that exist


def _narrow(
    dates: Mapping[str, EventDate], latest_start: dict[str, int], later_of: Mapping[str, list[str]],
    earlier_of: Mapping[str, list[str]], edges: Mapping[tuple[str, str], Precedence],
) -> tuple[dict[str, int], list[BriefError]]:
    """The last day each ordered event may have begun, given the entries; or the entries that leave none."""
    nodes = sorted(set(later_of) | set(earlier_of))
    waiting = {node: len(earlier_of.get(node, ())) for node in nodes}
    ready = [node for node in nodes if not waiting[node]]
    heapq.heapify(ready)
    topological = []
    while ready:
        node = heapq.heappop(ready)
        topological.append(node)
        for following in later_of.get(node, ()):
            waiting[following] -= 1
            if not waiting[following]:
                heapq.heappush(ready, following)
    earliest = {node: (dates[node].earliest, node) for node in nodes}
    for node in topological:  # a later event began no earlier than the events before it
        for earlier in earlier_of.get(node, ()):
            earliest[node] = max(earliest[node], earliest[earlier], key=lambda bound: bound[0])
    latest = {node: (latest_start[node], node) for node in nodes}
    for node in reversed(topological):  # an earlier event began no later than the events after it
        for later in later_of.get(node, ()):
            latest[node] = min(latest[node], latest[later], key=lambda bound: bound[0])
    problems = []
    reported = set()
    for node in topological:
        (first, earlier), (last, later) = earliest[node], latest[node]
        if first > last and (earlier, later) not in reported:
            reported.add((earlier, later))
            path = _path(earlier, later, later_of)
            via = path[1:-1]
            entry = edges[(path[-2], path[-1])]
            by_way_of = ", by way of " + ", ".join(f"'{v}'" for v in via) if via else ""
            message = (f"'{later}' ({dates[later].display()}) cannot come after "
                       f"'{earlier}' ({dates[earlier].display()}){by_way_of}")
            problems.append(error(entry.src_path, entry.line, message,
                                  f"its dates say '{later}' began before '{earlier}' could have; "
                                  "correct a date, or the 'after' or 'before' entry"))
    return {node: last for node, (last, _) in latest.items()}, problems


def _sorted(dates: Mapping[str, EventDate], latest_start: Mapping[str, int],
            earlier_of: Mapping[str, list[str]], later_of: Mapping[str, list[str]]) -> list[str]:
    """Events by (last day of the window, precision, end, id), each after the events it is ordered after."""
    keys = {event_id: (latest_start[event_id], *when.sort_key()[1:], event_id) for event_id, when in dates.items()}
    if not earlier_of:
        return sorted(dates, key=keys.__getitem__)
    waiting = {event_id: len(earlier_of.get(event_id, ())) for event_id in dates}
    ready = [keys[event_id] for event_id in dates if not waiting[event_id]]
    heapq.heapify(ready)
    order = []
    while ready:
        event_id = heapq.heappop(ready)[-1]
        order.append(event_id)
        for following in later_of.get(event_id, ()):
            waiting[following] -= 1
            if not waiting[following]:
                heapq.heappush(ready, keys[following])
    return order


def _months(
    order: Sequence[str], dates: Mapping[str, EventDate], latest_start: Mapping[str, int]
) -> dict[str, tuple[int, int]]:
    """The (year, month) heading each event is shown under.

    An event known to the month goes under the month it is placed in. One known
    only to the year goes under "date within the year unknown" at the end of its
    year, unless an entry placed it among dated events: then under their month.
    """
    def year_month(event_id: str) -> tuple[int, int]:
        day = latest_start[event_id]
        return day // 10000, day // 100 % 100

    known = {e: year_month(e) for e in order if PRECISIONS.index(dates[e].placed_by) > 0}
    next_known: list[tuple[int, int] | None] = [None] * len(order)
    following = None
    for position in range(len(order) - 1, -1, -1):
        next_known[position] = following
        following = known.get(order[position], following)
    months = {}
    previous: tuple[int, int] | None = None
    for position, event_id in enumerate(order):
        group = known.get(event_id)
        if group is None:
            year = year_month(event_id)[0]
            later = next_known[position]
            if later is None or later[0] != year:
                group = (year, 0)
            else:
                group = previous if previous is not None and previous[0] == year else later
        months[event_id] = previous = group
    return months
