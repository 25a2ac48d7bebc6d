"""A division in progress: labels plus per-region running sums, so that the objective change of moving
one atom between regions costs O(d + constraints), never a pass over the region.

Per region: member set, unit count, feature sum S and its squared norm |S|², constraint totals, balance
total. The within-region SSD is Q - |S|²/count; Q cancels in every move, so it is never kept.
"""

from __future__ import annotations

from reorg.optimize.territory.instance import PENALTY, Lists

__all__ = ["Regions"]


class Regions:
    """Mutable per-region sums for ``labels`` (region 0..p-1 per atom; the list is shared and updated)."""

    def __init__(self, lists: Lists, labels: list[int], p: int) -> None:
        self.lists = lists
        self.label = labels
        self.p = p
        d = len(lists.feat[0]) if lists.n else 0
        m = len(lists.lo)
        self.members: list[set[int]] = [set() for _ in range(p)]
        self.size = [0.0] * p
        self.S = [[0.0] * d for _ in range(p)]
        self.T = [[0.0] * m for _ in range(p)]
        self.B = [0.0] * p
        self.version = [0] * p  # bumped whenever a region changes (lets searches skip stale work)
        for i, r in enumerate(labels):
            if r >= 0:
                self._add(i, r)
        self.S2 = [sum(x * x for x in s) for s in self.S]
        self.bal_scale = 0.0
        self.refresh_balance()

    def refresh_balance(self) -> None:
        """Recompute the balance scale w / (p mean²) after p changed."""
        total = sum(self.B)
        if self.lists.balance_weight > 0 and self.p > 0 and total > 0:
            mean = total / self.p
            self.bal_scale = self.lists.balance_weight / (self.p * mean * mean)
        else:
            self.bal_scale = 0.0

    def _add(self, i: int, r: int) -> None:
        L = self.lists
        self.members[r].add(i)
        self.size[r] += L.size[i]
        s = self.S[r]
        for k, x in enumerate(L.feat[i]):
            s[k] += x
        t = self.T[r]
        for k, x in enumerate(L.vals[i]):
            t[k] += x
        self.B[r] += L.bal[i]

    def violation(self, totals: list[float]) -> float:
        """Of one region: 1 if it breaks any bound, plus its relative shortfall below the minimums and
        excess above the maximums (so fewer short regions are preferred, then smaller gaps)."""
        L = self.lists
        v = 0.0
        for k, t in enumerate(totals):
            gap = L.lo[k] - t
            if gap > 0:
                v += gap * L.inv_lo[k]
            if L.inv_hi[k]:
                over = t - L.hi[k]
                if over > 0:
                    v += over * L.inv_hi[k]
        return v + 1.0 if v > 0 else 0.0

    def add_delta(self, i: int, r: int) -> float:
        """Objective change (SSD + penalty only) of adding unassigned atom i to region r."""
        L = self.lists
        n = self.size[r]
        f = L.feat[i]
        s = self.S[r]
        dot = 0.0
        for k, x in enumerate(f):
            dot += s[k] * x
        c = L.size[i]
        before = self.S2[r] / n if n > 0 else 0.0
        ssd = before - (self.S2[r] + 2.0 * dot + L.fnorm[i]) / (n + c) + L.fnorm[i] / c
        t = self.T[r]
        after = [t[k] + x for k, x in enumerate(L.vals[i])]
        return ssd + PENALTY * (self.violation(after) - self.violation(t))

    def leave_violation(self, i: int, a: int) -> float:
        """Change in region a's violation if atom i left it."""
        ta = self.T[a]
        v = self.lists.vals[i]
        return self.violation([t - v[k] for k, t in enumerate(ta)]) - self.violation(ta)

    def move_delta(self, i: int, a: int, b: int, leave: float | None = None) -> float:
        """Objective change of moving atom i from region a to region b; ``leave`` is
        ``leave_violation(i, a)`` when the caller has it."""
        L = self.lists
        f = L.feat[i]
        sa, sb = self.S[a], self.S[b]
        dot_a = 0.0
        dot_b = 0.0
        for k, x in enumerate(f):
            dot_a += sa[k] * x
            dot_b += sb[k] * x
        c = L.size[i]
        fn = L.fnorm[i]
        na, nb = self.size[a], self.size[b]
        s2a, s2b = self.S2[a], self.S2[b]
        rest = na - c
        after_a = (s2a - 2.0 * dot_a + fn) / rest if rest > 1e-12 else 0.0
        delta = s2a / na + s2b / nb - after_a - (s2b + 2.0 * dot_b + fn) / (nb + c)
        if self.bal_scale:
            x = L.bal[i]
            delta += self.bal_scale * 2.0 * x * (self.B[b] - self.B[a] + x)
        if leave is None:
            leave = self.leave_violation(i, a)
        tb = self.T[b]
        v = L.vals[i]
        join = self.violation([t + v[k] for k, t in enumerate(tb)]) - self.violation(tb)
        return delta + PENALTY * (leave + join)

    def swap_delta(self, i: int, j: int) -> float:
        """Objective change of exchanging atom i (in region a) with atom j (in region b)."""
        L = self.lists
        a, b = self.label[i], self.label[j]
        fi, fj = L.feat[i], L.feat[j]
        sa, sb = self.S[a], self.S[b]
        na = self.size[a] - L.size[i] + L.size[j]
        nb = self.size[b] - L.size[j] + L.size[i]
        s2a = 0.0
        s2b = 0.0
        for k, x in enumerate(fi):
            y = fj[k] - x
            s2a += (sa[k] + y) ** 2
            s2b += (sb[k] - y) ** 2
        delta = self.S2[a] / self.size[a] + self.S2[b] / self.size[b] - s2a / na - s2b / nb
        if self.bal_scale:
            y = L.bal[j] - L.bal[i]
            delta += self.bal_scale * 2.0 * y * (self.B[a] - self.B[b] + y)
        ta, tb = self.T[a], self.T[b]
        vi, vj = L.vals[i], L.vals[j]
        before = self.violation(ta) + self.violation(tb)
        after = self.violation([t - vi[k] + vj[k] for k, t in enumerate(ta)]) + self.violation(
            [t + vi[k] - vj[k] for k, t in enumerate(tb)]
        )
        return delta + PENALTY * (after - before)

    def move(self, i: int, a: int, b: int) -> None:
        """Move atom i from region a to region b (a may be -1 for an unassigned atom)."""
        L = self.lists
        f = L.feat[i]
        v = L.vals[i]
        c = L.size[i]
        if a >= 0:
            self.version[a] += 1
            self.members[a].discard(i)
            self.size[a] -= c
            sa = self.S[a]
            for k, x in enumerate(f):
                sa[k] -= x
            ta = self.T[a]
            for k, x in enumerate(v):
                ta[k] -= x
            self.B[a] -= L.bal[i]
            self.S2[a] = sum(x * x for x in sa)
        self._add(i, b)
        self.version[b] += 1
        self.S2[b] = sum(x * x for x in self.S[b])
        self.label[i] = b

    def conflicts(self, i: int, r: int) -> bool:
        """Whether atom i must be kept apart from a member of region r."""
        partners = self.lists.partners.get(i)
        if not partners:
            return False
        label = self.label
        return any(label[q] == r for q in partners if q != i)

    def new_region(self) -> int:
        """Append an empty region and return its number."""
        r = self.p
        self.p += 1
        self.members.append(set())
        self.size.append(0.0)
        self.S.append([0.0] * (len(self.S[0]) if self.S else len(self.lists.feat[0])))
        self.S2.append(0.0)
        self.T.append([0.0] * len(self.lists.lo))
        self.B.append(0.0)
        self.version.append(0)
        return r

    def compacted(self) -> Regions:
        """The same division with regions renumbered 0..p'-1 in order of their first atom (empty
        regions dropped), so that equal divisions get equal labels."""
        mapping: dict[int, int] = {}
        out = []
        for r in self.label:
            if r not in mapping:
                mapping[r] = len(mapping)
            out.append(mapping[r])
        return Regions(self.lists, out, len(mapping))
