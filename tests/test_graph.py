"""Graph properties: random DAGs give a valid order; every injected cycle is reported."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from planner.core.graph import assign_waves, find_cycles, topological_order


@st.composite
def dags(draw: st.DrawFn) -> tuple[list[str], dict[str, list[str]]]:
    n = draw(st.integers(min_value=1, max_value=25))
    nodes = [f"M{i}" for i in range(n)]
    shuffled = draw(st.permutations(nodes))
    edges: dict[str, list[str]] = {}
    for i, node in enumerate(nodes):
        # depend only on earlier nodes: acyclic by construction
        edges[node] = (
            draw(st.lists(st.sampled_from(nodes[:i]), max_size=4, unique=True)) if i else []
        )
    return list(shuffled), edges


@given(dags())
def test_random_dag_gets_a_valid_topological_order(
    graph: tuple[list[str], dict[str, list[str]]],
) -> None:
    nodes, edges = graph
    order = topological_order(nodes, edges)
    assert sorted(order) == sorted(nodes)
    position = {node: i for i, node in enumerate(order)}
    for node, deps in edges.items():
        for dep in deps:
            assert position[dep] < position[node]
    assert find_cycles(nodes, edges) == []


@given(dags(), st.data())
@settings(max_examples=200)
def test_an_injected_cycle_is_reported_as_a_real_cycle(
    graph: tuple[list[str], dict[str, list[str]]], data: st.DataObject
) -> None:
    nodes, edges = graph
    with_deps = [n for n in nodes if edges[n]]
    if not with_deps:
        node = nodes[0]
        edges = {**edges, node: [node]}
    else:
        node = data.draw(st.sampled_from(with_deps))
        dep = data.draw(st.sampled_from(edges[node]))
        edges = {k: list(v) for k, v in edges.items()}
        edges[dep].append(node)  # dep now needs node, which needs dep
    cycles = find_cycles(nodes, edges)
    assert cycles, "the injected cycle was not reported"
    for cycle in cycles:
        assert cycle[0] == cycle[-1]
        for a, b in zip(cycle, cycle[1:], strict=False):
            assert b in edges[a], f"{a} -> {b} is not an edge"
    assert sorted(topological_order(nodes, edges)) == sorted(nodes)


def test_order_is_stable_for_ties() -> None:
    assert topological_order(["M3", "M1", "M2"], {}) == ["M3", "M1", "M2"]
    assert topological_order(["M3", "M1", "M2"], {"M3": ["M2"]}) == ["M1", "M2", "M3"]


@given(dags())
def test_waves_respect_dependencies_and_conflicts(
    graph: tuple[list[str], dict[str, list[str]]],
) -> None:
    nodes, edges = graph
    order = topological_order(nodes, edges)
    conflicts = lambda a, b: (int(a[1:]) % 3) == (int(b[1:]) % 3)  # noqa: E731
    waves = assign_waves(order, edges, conflicts, capacity=4)
    for node, deps in edges.items():
        for dep in deps:
            assert waves[dep] < waves[node]
    by_wave: dict[int, list[str]] = {}
    for node, wave in waves.items():
        by_wave.setdefault(wave, []).append(node)
    for members in by_wave.values():
        assert len(members) <= 4
        for i, a in enumerate(members):
            assert not any(conflicts(a, b) for b in members[i + 1 :])
