"""The neighbour graph the territory solver works on: CSR arrays, induced subgraphs, contraction of
locked groups, connected components, and articulation points of one region.

Nothing here knows about an Apparatus; nodes are integers 0..n-1 and memory is O(n + edges).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

__all__ = ["Graph", "articulation_points", "is_connected"]

IntArray = npt.NDArray[np.int64]


@dataclasses.dataclass(frozen=True, eq=False)
class Graph:
    """An undirected simple graph as CSR: the neighbours of node i are ``indices[indptr[i]:indptr[i+1]]``,
    sorted, without self-loops or duplicates."""

    indptr: IntArray
    indices: IntArray

    @property
    def n(self) -> int:
        return len(self.indptr) - 1

    @property
    def edges(self) -> int:
        """Undirected edges."""
        return len(self.indices) // 2

    @classmethod
    def from_edges(cls, n: int, a: npt.ArrayLike, b: npt.ArrayLike) -> Graph:
        """The graph on n nodes with an edge for each pair (a[k], b[k]), either order, repeats allowed."""
        a_arr = np.asarray(a, dtype=np.int64)
        b_arr = np.asarray(b, dtype=np.int64)
        keep = a_arr != b_arr
        rows = np.concatenate([a_arr[keep], b_arr[keep]])
        cols = np.concatenate([b_arr[keep], a_arr[keep]])
        m = sp.csr_array((np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(n, n))
        return cls.from_matrix(m)

    @classmethod
    def from_matrix(cls, matrix: sp.sparray | sp.spmatrix) -> Graph:
        """The graph of the nonzero pattern of a square sparse matrix (symmetrized, diagonal dropped)."""
        m = sp.csr_array(matrix)
        m = sp.csr_array(((m + m.T) != 0).astype(np.int8))
        m.setdiag(0)
        m.eliminate_zeros()
        m.sort_indices()
        return cls(m.indptr.astype(np.int64), m.indices.astype(np.int64))

    def matrix(self) -> sp.csr_array:
        """The adjacency as a sparse 0/1 matrix."""
        data = np.ones(len(self.indices), dtype=np.int8)
        return sp.csr_array((data, self.indices, self.indptr), shape=(self.n, self.n))

    def degree(self) -> IntArray:
        return np.diff(self.indptr)

    def neighbours(self, i: int) -> IntArray:
        return self.indices[self.indptr[i] : self.indptr[i + 1]]

    def components(self) -> tuple[int, IntArray]:
        """(count, label per node) of the connected components."""
        count, labels = connected_components(self.matrix(), directed=False)
        return int(count), labels.astype(np.int64)

    def induced(self, nodes: npt.ArrayLike) -> Graph:
        """The subgraph on ``nodes`` (node k of the result is ``nodes[k]``)."""
        idx = np.asarray(nodes, dtype=np.int64)
        return Graph.from_matrix(self.matrix()[idx][:, idx])

    def contract(self, atom: npt.ArrayLike, n_atoms: int) -> Graph:
        """The quotient graph: node i becomes ``atom[i]``; atoms are adjacent when any members are."""
        group = np.asarray(atom, dtype=np.int64)
        src = np.repeat(np.arange(self.n), np.diff(self.indptr))
        return Graph.from_edges(n_atoms, group[src], group[self.indices])

    def adjacency_lists(self) -> list[list[int]]:
        """Neighbour lists as Python lists, for the solver's scalar loops."""
        flat = self.indices.tolist()
        bounds = self.indptr.tolist()
        return [flat[bounds[i] : bounds[i + 1]] for i in range(self.n)]


def is_connected(members: list[int] | set[int], adj: list[list[int]], label: list[int], region: int) -> bool:
    """Whether ``members`` (all labelled ``region``) induce a connected subgraph (empty: yes)."""
    if not members:
        return True
    start = next(iter(members))
    seen = {start}
    stack = [start]
    while stack:
        v = stack.pop()
        for w in adj[v]:
            if label[w] == region and w not in seen:
                seen.add(w)
                stack.append(w)
    return len(seen) == len(members)


def articulation_points(start: int, adj: list[list[int]], label: list[int], region: int) -> set[int]:
    """The cut vertices of the connected subgraph induced by the nodes labelled ``region`` around
    ``start``: removing one of them disconnects the region. Iterative Tarjan, O(region size + edges)."""
    disc = {start: 0}
    low = {start: 0}
    cut: set[int] = set()
    root_children = 0
    clock = 1
    stack: list[tuple[int, int, int]] = [(start, -1, 0)]  # node, parent, next neighbour position
    while stack:
        v, parent, pos = stack[-1]
        nbrs = adj[v]
        while pos < len(nbrs):
            w = nbrs[pos]
            pos += 1
            if label[w] != region:
                continue
            if w not in disc:
                stack[-1] = (v, parent, pos)
                disc[w] = low[w] = clock
                clock += 1
                stack.append((w, v, 0))
                break
            if w != parent and disc[w] < low[v]:
                low[v] = disc[w]
        else:
            stack.pop()
            if parent < 0:
                continue
            if low[v] < low[parent]:
                low[parent] = low[v]
            if parent == start:
                root_children += 1
            elif low[v] >= disc[parent]:
                cut.add(parent)
    if root_children >= 2:
        cut.add(start)
    return cut
