"""Dependency graphs: resolution, cycles, a stable topological order, waves."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence


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
    edges: dict[str, list[str]],
    conflicts: Callable[[str, str], bool],
    capacity: int,
) -> dict[str, int]:
    """Put each node in the earliest wave after its dependencies where it conflicts
    with no node already there and the wave has room (``capacity`` per wave)."""
    waves: dict[str, int] = {}
    members: dict[int, list[str]] = {}
    for node in order:
        wave = 1 + max((waves[d] for d in edges.get(node, []) if d in waves), default=0)
        while len(members.get(wave, [])) >= capacity or any(
            conflicts(node, other) for other in members.get(wave, [])
        ):
            wave += 1
        waves[node] = wave
        members.setdefault(wave, []).append(node)
    return waves
