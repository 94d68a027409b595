"""Dependency graphs: resolution, cycles, a stable topological order, waves."""

from __future__ import annotations

import heapq
from collections.abc import Mapping, Sequence

from planner.core.paths import GlobIndex


def find_cycles(nodes: Sequence[str], edges: dict[str, list[str]]) -> list[list[str]]:
    """Every elementary cycle found by one depth-first pass, each as a closed path
    (``[M1, M2, M1]``). Each node sits in at most one reported cycle."""
    colour = dict.fromkeys(nodes, 0)  # 0 new, 1 on the stack, 2 finished
    cycles: list[list[str]] = []
    for start in nodes:
        if colour[start]:
            continue
        stack: list[tuple[str, int]] = [(start, 0)]
        path: list[str] = [start]
        colour[start] = 1
        while stack:
            node, index = stack[-1]
            deps = edges.get(node, [])
            if index < len(deps):
                stack[-1] = (node, index + 1)
                dep = deps[index]
                if dep not in colour:
                    continue
                if colour[dep] == 0:
                    colour[dep] = 1
                    stack.append((dep, 0))
                    path.append(dep)
                elif colour[dep] == 1:
                    cycle = path[path.index(dep) :] + [dep]
                    cycles.append(cycle)
            else:
                colour[node] = 2
                stack.pop()
                path.pop()
    return cycles


def topological_order(nodes: Sequence[str], edges: dict[str, list[str]]) -> list[str]:
    """Dependencies first; ties keep the order the nodes were written in.

    ``edges[n]`` lists what ``n`` depends on. Nodes caught in a cycle follow the
    rest in their written order, so the result always holds every node once.
    """
    position = {node: index for index, node in enumerate(nodes)}
    waiting = dict.fromkeys(nodes, 0)
    dependants: dict[str, list[str]] = {node: [] for node in nodes}
    for node in nodes:
        for dep in dict.fromkeys(edges.get(node, [])):
            if dep in position and dep != node:
                waiting[node] += 1
                dependants[dep].append(node)
            elif dep == node:
                waiting[node] += 1
    ready = [position[n] for n in nodes if waiting[n] == 0]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        node = nodes[heapq.heappop(ready)]
        order.append(node)
        for dependant in dependants[node]:
            waiting[dependant] -= 1
            if waiting[dependant] == 0:
                heapq.heappush(ready, position[dependant])
    placed = set(order)
    order.extend(n for n in nodes if n not in placed)
    return order


def assign_waves(
    order: Sequence[str],
    edges: Mapping[str, Sequence[str]],
    paths: Mapping[str, Sequence[str]],
    capacity: int,
) -> dict[str, int]:
    """Put each node in the earliest wave after its dependencies where none of its
    ``paths`` (globs) overlaps a path of a node already there and the wave has room
    (``capacity`` per wave).

    Linear in the number of nodes and paths for boundaries that do not overlap: each glob
    is compared only with the globs that its literal prefix, and the written-out ends of
    the name that follows it, could meet (``GlobIndex``), and each glob placed so far
    keeps the waves it is in as a ``_Waves``, which answers "the first wave from here that
    I am not in" without walking the waves one by one.
    """
    waves: dict[str, int] = {}
    size: dict[int, int] = {}
    full = _Waves()
    placed: GlobIndex[_Waves] = GlobIndex()
    for node in order:
        earliest = 1 + max((waves[d] for d in edges.get(node, ()) if d in waves), default=0)
        taken = {id(w): w for glob in paths.get(node, ()) for w in placed.overlapping(glob)}
        wave = _first_free(earliest, [full, *taken.values()])
        waves[node] = wave
        size[wave] = size.get(wave, 0) + 1
        if size[wave] >= capacity:
            full.take(wave)
        for glob in paths.get(node, ()):
            placed.setdefault(glob, _Waves).take(wave)
    return waves


def _first_free(wave: int, taken: list[_Waves]) -> int:
    """The first wave from ``wave`` on that none of ``taken`` holds."""
    while True:
        start = wave
        for held in taken:
            wave = held.first_free(wave)
        if wave == start:
            return wave


class _Waves:
    """A set of wave numbers that answers "the first wave from ``w`` on not in the set"
    in near-constant time: each taken wave points past itself, and a lookup shortens the
    chain it followed (a union-find)."""

    __slots__ = ("_next",)

    def __init__(self) -> None:
        self._next: dict[int, int] = {}

    def take(self, wave: int) -> None:
        self._next[wave] = wave + 1

    def first_free(self, wave: int) -> int:
        followed = []
        while wave in self._next:
            followed.append(wave)
            wave = self._next[wave]
        for step in followed:
            self._next[step] = wave
        return wave


def fewest_links(nodes: Sequence[str], edges: dict[str, list[str]]) -> dict[str, list[str]]:
    """The dependencies among ``nodes`` that give the same order as ``edges`` with none
    implied by the others (a transitive reduction: with a -> b -> c, a needs no link to
    c). ``edges`` must hold no cycle; dependencies outside ``nodes`` are left out."""
    inside = set(nodes)
    direct = {n: [d for d in dict.fromkeys(edges.get(n, [])) if d in inside] for n in nodes}
    reach: dict[str, set[str]] = {}

    def reachable(node: str) -> set[str]:
        # Everything node depends on, through any path (memoised; iterative, no recursion).
        if node in reach:
            return reach[node]
        stack, seen = list(direct[node]), set()
        while stack:
            d = stack.pop()
            if d not in seen:
                seen.add(d)
                stack.extend(reach.get(d) or direct[d])
        reach[node] = seen
        return seen

    return {
        n: [d for d in deps if not any(d in reachable(o) for o in deps if o != d)]
        for n, deps in direct.items()
    }
