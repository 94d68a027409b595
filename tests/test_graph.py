"""Graph properties: random DAGs give a valid order; every injected cycle is reported."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from planner.core.graph import assign_waves, find_cycles, topological_order
from planner.core.paths import any_overlap


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


GLOBS = st.sampled_from(
    ["src/a.py", "src/b.py", "src/**", "src/*.py", "docs/**", "docs/x.md", "**/x.md", "lib/a/b.go"]
    # wildcard names in one folder, told apart by their written-out ends
    + ["lib/*1.py", "lib/*11.py", "lib/*21.py", "lib/a*.py", "lib/ab*", "lib/b?", "lib/*"]
    + ["lib/a1.py", "lib/b21.py", "lib/ab"]
)


def _reference_waves(
    order: list[str], edges: dict[str, list[str]], paths: dict[str, list[str]], capacity: int
) -> dict[str, int]:
    """The plain definition, comparing each node with every member of each wave."""
    waves: dict[str, int] = {}
    members: dict[int, list[str]] = {}
    for node in order:
        wave = 1 + max((waves[d] for d in edges.get(node, []) if d in waves), default=0)
        while len(members.get(wave, [])) >= capacity or any(
            any_overlap(paths[node], paths[other]) for other in members.get(wave, [])
        ):
            wave += 1
        waves[node] = wave
        members.setdefault(wave, []).append(node)
    return waves


@given(dags(), st.data(), st.integers(min_value=1, max_value=5))
@settings(max_examples=300)
def test_waves_are_the_earliest_that_respect_dependencies_paths_and_room(
    graph: tuple[list[str], dict[str, list[str]]], data: st.DataObject, capacity: int
) -> None:
    nodes, edges = graph
    order = topological_order(nodes, edges)
    paths = {n: data.draw(st.lists(GLOBS, max_size=3, unique=True)) for n in nodes}
    waves = assign_waves(order, edges, paths, capacity)
    assert waves == _reference_waves(order, edges, paths, capacity)
    for node, deps in edges.items():
        for dep in deps:
            assert waves[dep] < waves[node]
    by_wave: dict[int, list[str]] = {}
    for node, wave in waves.items():
        by_wave.setdefault(wave, []).append(node)
    for members in by_wave.values():
        assert len(members) <= capacity
        for i, a in enumerate(members):
            assert not any(any_overlap(paths[a], paths[b]) for b in members[i + 1 :])


def test_tasks_sharing_one_file_take_one_wave_each_and_the_rest_fill_in() -> None:
    order = [f"T{i}" for i in range(6)]
    paths = {t: ["README.md"] for t in order[:4]} | {"T4": ["src/a.py"], "T5": ["src/**"]}
    assert assign_waves(order, {}, paths, capacity=10) == {
        "T0": 1,
        "T1": 2,
        "T2": 3,
        "T3": 4,
        "T4": 1,
        "T5": 2,
    }
