"""Reaching a target number of regions from a max-p division (or from single atoms).

Too many regions: the least filled region (lowest ratio of total to minimum on its binding constraint,
or fewest units when there is no minimum) is merged into the adjacent region that leaves the smaller
combined fill, ties broken by the Ward cost. Too few: the most filled region with at least two atoms is
cut in two connected parts (see ``split_up``). Minimums are then left to the local search, whose
penalty counts each region that falls short as well as by how much, so it prefers few short regions.
"""

from __future__ import annotations

import heapq
from collections import deque

from reorg.optimize.territory.construct import bisect
from reorg.optimize.territory.graph import articulation_points
from reorg.optimize.territory.state import Regions

__all__ = ["merge_down", "split_up"]


def _fill(regions: Regions, r: int) -> float:
    """How far region r is past its binding minimum (1 = exactly at it); its unit count without minimums."""
    view = regions.view
    ratios = [t * inv for t, inv in zip(regions.totals[r], view.inv_lo, strict=True) if inv > 0]
    return min(ratios) if ratios else regions.size[r]


def _ward(regions: Regions, r: int, s: int) -> float:
    """SSD increase of merging regions r and s."""
    nr, ns = regions.size[r], regions.size[s]
    sr, ss = regions.feature_sums[r], regions.feature_sums[s]
    dist = sum((x / nr - y / ns) ** 2 for x, y in zip(sr, ss, strict=True))
    return nr * ns / (nr + ns) * dist


def _neighbours(regions: Regions, r: int) -> set[int]:
    label, adj = regions.label, regions.view.adj
    return {label[j] for i in regions.members[r] for j in adj[i]} - {r}


def _merge(regions: Regions, r: int, s: int) -> None:
    for i in list(regions.members[r]):
        regions.move(i, r, s)


def merge_down(regions: Regions, target: int) -> int:
    """Merge regions until ``target`` remain (or no adjacent pair is left). Empty regions stay in the
    lists; callers renumber. Returns the number of regions left."""
    view = regions.view
    alive = sum(1 for m in regions.members if m)
    version = [0] * regions.p
    heap = [(_fill(regions, r), 0, r) for r in range(regions.p) if regions.members[r]]
    heapq.heapify(heap)
    while alive > target and heap:
        _, ver, r = heapq.heappop(heap)
        if ver != version[r] or not regions.members[r]:
            continue
        best, best_key = -1, (True, 0.0, 0.0)
        for s in _neighbours(regions, r):
            combined = [a + b for a, b in zip(regions.totals[r], regions.totals[s], strict=True)]
            over = any(inv > 0 and t > hi for t, hi, inv in zip(combined, view.hi, view.inv_hi, strict=True))
            if any(regions.conflicts(i, s) for i in regions.members[r] if i in view.partners):
                continue  # kept-apart units never share a region
            key = (over, _fill(regions, s), _ward(regions, r, s))
            if best < 0 or key < best_key:
                best, best_key = s, key
        if best < 0:
            continue
        _merge(regions, r, best)
        alive -= 1
        version[best] += 1
        heapq.heappush(heap, (_fill(regions, best), version[best], best))
    regions.refresh_balance()
    return alive


def split_up(regions: Regions, target: int, rank: list[int]) -> int:
    """Cut regions in two until ``target`` exist (or every region is a single atom), most filled
    first: without minimums into halves; with minimums into two parts that both meet them when the
    region holds enough, else by peeling off its smallest movable atom, so that only one of the two
    falls short. Returns the count."""
    has_minimum = any(inv > 0 for inv in regions.view.inv_lo)
    alive = sum(1 for m in regions.members if m)
    heap = [(-_fill(regions, r), r) for r in range(regions.p) if len(regions.members[r]) > 1]
    heapq.heapify(heap)
    while alive < target and heap:
        _, r = heapq.heappop(heap)
        if not has_minimum:
            new = _halve(regions, r)
        else:
            carved = bisect(regions, r, rank, 3) if _fill(regions, r) >= 2 else None
            new = carved if carved is not None else _peel(regions, r)
        alive += 1
        for x in (r, new):
            if len(regions.members[x]) > 1:
                heapq.heappush(heap, (-_fill(regions, x), x))
    regions.refresh_balance()
    return alive


def _peel(regions: Regions, r: int) -> int:
    """Move the atom of region r with the smallest binding value that is not a cut vertex into a
    new region."""
    view = regions.view
    k = _binding(regions, r)
    members = regions.members[r]
    cut = articulation_points(min(members), view.adj, regions.label, r)
    movable = [i for i in members if i not in cut]
    atom = min(movable, key=lambda i: (view.vals[i][k] if k >= 0 else view.size[i], i))
    new = regions.new_region()
    regions.move(atom, r, new)
    return new


def _binding(regions: Regions, r: int) -> int:
    """The constraint whose minimum region r meets most tightly (-1: none, use unit counts)."""
    view = regions.view
    best, best_ratio = -1, float("inf")
    for k, inv in enumerate(view.inv_lo):
        if inv > 0 and regions.totals[r][k] * inv < best_ratio:
            best, best_ratio = k, regions.totals[r][k] * inv
    return best


def _halve(regions: Regions, r: int) -> int:
    """Move about half of region r (by its binding total) into a new region, both parts connected."""
    view, label = regions.view, regions.label
    k = _binding(regions, r)

    def weight(i: int) -> float:
        return view.vals[i][k] if k >= 0 else view.size[i]

    members = regions.members[r]
    half = sum(weight(i) for i in members) / 2
    start = _far_end(regions, r, min(members))
    part, total = [start], weight(start)
    seen = {start}
    queue = deque([start])
    while queue and total < half and len(part) < len(members) - 1:
        v = queue.popleft()
        for w in view.adj[v]:
            if label[w] == r and w not in seen and total < half and len(part) < len(members) - 1:
                seen.add(w)
                part.append(w)
                total += weight(w)
                queue.append(w)
    new = regions.new_region()
    for i in part:
        regions.move(i, r, new)
    _reconnect(regions, r, new)
    return new


def _far_end(regions: Regions, r: int, start: int) -> int:
    """The last atom a breadth-first search inside region r reaches from ``start``."""
    label, adj = regions.label, regions.view.adj
    seen = {start}
    queue = deque([start])
    last = start
    while queue:
        last = queue.popleft()
        for w in adj[last]:
            if label[w] == r and w not in seen:
                seen.add(w)
                queue.append(w)
    return last


def _reconnect(regions: Regions, r: int, new: int) -> None:
    """Give the pieces of region r cut off from its largest piece to ``new`` (which touches them)."""
    label, adj = regions.label, regions.view.adj
    pieces: list[list[int]] = []
    seen: set[int] = set()
    for s in sorted(regions.members[r]):
        if s in seen:
            continue
        piece, stack = [s], [s]
        seen.add(s)
        while stack:
            v = stack.pop()
            for w in adj[v]:
                if label[w] == r and w not in seen:
                    seen.add(w)
                    piece.append(w)
                    stack.append(w)
        pieces.append(piece)
    pieces.sort(key=len, reverse=True)
    for piece in pieces[1:]:
        for i in piece:
            regions.move(i, r, new)
