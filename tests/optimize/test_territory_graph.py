"""The solver's graph: CSR construction, induced subgraphs, contraction, components, cut vertices."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from territory_kit import grid_graph

from reorg.optimize.territory.graph import Graph, articulation_points, is_connected

PATH = """
1111
"""

RING = """
111
1.1
111
"""


def test_from_edges_symmetrizes_and_drops_loops_and_repeats() -> None:
    """Edges given once, twice or as self-loops become one undirected edge each."""
    g = Graph.from_edges(3, [0, 1, 1, 2], [1, 0, 1, 0])
    assert g.edges == 2
    assert g.neighbours(0).tolist() == [1, 2]
    assert g.neighbours(1).tolist() == [0]


def test_induced_and_contract() -> None:
    """The induced subgraph keeps only inner edges; contraction joins atoms adjacent through members."""
    g = grid_graph(PATH)
    sub = g.induced([1, 2, 3])
    assert sub.edges == 2
    assert sub.neighbours(0).tolist() == [1]
    quotient = g.contract([0, 0, 1, 2], 3)
    assert quotient.neighbours(0).tolist() == [1]
    assert quotient.neighbours(1).tolist() == [0, 2]


def test_components_see_the_sea() -> None:
    """Land separated by sea forms separate components."""
    count, labels = grid_graph("11.1\n.....\n1..1").components()
    assert count == 4
    assert labels[0] == labels[1] != labels[2]


def test_articulation_points_of_path_and_ring() -> None:
    """Inner nodes of a path are cut vertices; a ring has none."""
    path, ring = grid_graph(PATH), grid_graph(RING)
    assert articulation_points(0, path.adjacency_lists(), [0] * 4, 0) == {1, 2}
    assert articulation_points(3, ring.adjacency_lists(), [0] * 8, 0) == set()


def _brute_cut_vertices(adj: list[list[int]], members: list[int]) -> set[int]:
    label = dict.fromkeys(members, 0)
    out = set()
    for v in members:
        rest = [u for u in members if u != v]
        lab = [label.get(i, -1) if i != v else -1 for i in range(len(adj))]
        if rest and not is_connected(rest, adj, lab, 0):
            out.add(v)
    return out


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 5), st.integers(2, 5), st.lists(st.integers(0, 1), min_size=25, max_size=25))
def test_articulation_points_match_brute_force(rows: int, cols: int, mask: list[int]) -> None:
    """Tarjan's cut vertices of a region equal those found by deleting each node in turn."""
    g = grid_graph("\n".join("1" * cols for _ in range(rows)))
    adj = g.adjacency_lists()
    label = [mask[i] for i in range(g.n)]
    members = [i for i in range(g.n) if label[i] == 1]
    if not members or not is_connected(members, adj, label, 1):
        return
    assert articulation_points(members[0], adj, label, 1) == _brute_cut_vertices(adj, members)


def test_is_connected_on_two_pieces() -> None:
    """Two land cells apart are not connected; each alone is."""
    g = grid_graph("1.1")
    adj, label = g.adjacency_lists(), [0, 0]
    assert not is_connected([0, 1], adj, label, 0)
    assert is_connected([0], adj, label, 0)
    assert is_connected([1], adj, label, 0)
    assert np.array_equal(g.degree(), [0, 0])
