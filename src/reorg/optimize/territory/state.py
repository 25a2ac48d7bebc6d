"""A division in progress: labels plus per-region running sums, so that the objective change of moving
one atom between regions costs O(d + constraints), never a pass over the region.

Per region: ``members``, unit count ``size``, ``feature_sums`` (S) and their squared norm ``sq_norms``
(|S|²), constraint ``totals``, ``balance_totals``. The within-region SSD is Q - |S|²/count; Q (the sum
of the members' squared norms) cancels in every move, so it is never kept.
"""

from __future__ import annotations

from reorg.optimize.territory.instance import AtomView

__all__ = ["Regions"]


class Regions:
    """Mutable per-region sums for ``labels`` (region 0..p-1 per atom; the list is shared and updated)."""

    def __init__(self, view: AtomView, labels: list[int], p: int) -> None:
        self.view = view
        self.label = labels
        self.p = p
        self.dims = d = len(view.feat[0]) if view.n else 0  # feature columns
        m = len(view.lo)
        self.members: list[set[int]] = [set() for _ in range(p)]
        self.size = [0.0] * p
        self.feature_sums = [[0.0] * d for _ in range(p)]
        self.totals = [[0.0] * m for _ in range(p)]
        self.balance_totals = [0.0] * p
        self.version = [0] * p  # bumped whenever a region changes (lets searches skip stale work)
        for i, r in enumerate(labels):
            if r >= 0:
                self._add(i, r)
        self.sq_norms = [sum(x * x for x in s) for s in self.feature_sums]
        self.bal_scale = 0.0
        self.refresh_balance()

    def refresh_balance(self) -> None:
        """Recompute the balance scale w / (p mean²) after p changed."""
        total = sum(self.balance_totals)
        if self.view.balance_weight > 0 and self.p > 0 and total > 0:
            mean = total / self.p
            self.bal_scale = self.view.balance_weight / (self.p * mean * mean)
        else:
            self.bal_scale = 0.0

    def _add(self, i: int, r: int) -> None:
        view = self.view
        self.members[r].add(i)
        self.size[r] += view.size[i]
        s = self.feature_sums[r]
        for k, x in enumerate(view.feat[i]):
            s[k] += x
        t = self.totals[r]
        for k, x in enumerate(view.vals[i]):
            t[k] += x
        self.balance_totals[r] += view.bal[i]

    def violation(self, totals: list[float]) -> float:
        """Of one region: 1 if it breaks any bound, plus its relative shortfall below the minimums and
        excess above the maximums (so fewer short regions are preferred, then smaller gaps)."""
        view = self.view
        v = 0.0
        for k, t in enumerate(totals):
            gap = view.lo[k] - t
            if gap > 0:
                v += gap * view.inv_lo[k]
            if view.inv_hi[k]:
                over = t - view.hi[k]
                if over > 0:
                    v += over * view.inv_hi[k]
        return v + 1.0 if v > 0 else 0.0

    def add_delta(self, i: int, r: int) -> float:
        """Objective change (SSD + penalty only) of adding unassigned atom i to region r."""
        view = self.view
        n = self.size[r]
        f = view.feat[i]
        s = self.feature_sums[r]
        dot = 0.0
        for k, x in enumerate(f):
            dot += s[k] * x
        c = view.size[i]
        before = self.sq_norms[r] / n if n > 0 else 0.0
        ssd = before - (self.sq_norms[r] + 2.0 * dot + view.fnorm[i]) / (n + c) + view.fnorm[i] / c
        t = self.totals[r]
        after = [t[k] + x for k, x in enumerate(view.vals[i])]
        return ssd + self.view.penalty * (self.violation(after) - self.violation(t))

    def leave_violation(self, i: int, a: int) -> float:
        """Change in region a's violation if atom i left it."""
        ta = self.totals[a]
        v = self.view.vals[i]
        return self.violation([t - v[k] for k, t in enumerate(ta)]) - self.violation(ta)

    def move_delta(self, i: int, a: int, b: int, leave: float | None = None) -> float:
        """Objective change of moving atom i from region a to region b; ``leave`` is
        ``leave_violation(i, a)`` when the caller has it."""
        view = self.view
        f = view.feat[i]
        sa, sb = self.feature_sums[a], self.feature_sums[b]
        dot_a = 0.0
        dot_b = 0.0
        for k, x in enumerate(f):
            dot_a += sa[k] * x
            dot_b += sb[k] * x
        c = view.size[i]
        fn = view.fnorm[i]
        na, nb = self.size[a], self.size[b]
        s2a, s2b = self.sq_norms[a], self.sq_norms[b]
        rest = na - c
        after_a = (s2a - 2.0 * dot_a + fn) / rest if rest > 1e-12 else 0.0
        delta = s2a / na + s2b / nb - after_a - (s2b + 2.0 * dot_b + fn) / (nb + c)
        if self.bal_scale:
            x = view.bal[i]
            delta += self.bal_scale * 2.0 * x * (self.balance_totals[b] - self.balance_totals[a] + x)
        if leave is None:
            leave = self.leave_violation(i, a)
        tb = self.totals[b]
        v = view.vals[i]
        join = self.violation([t + v[k] for k, t in enumerate(tb)]) - self.violation(tb)
        return delta + self.view.penalty * (leave + join)

    def swap_delta(self, i: int, j: int) -> float:
        """Objective change of exchanging atom i (in region a) with atom j (in region b)."""
        view = self.view
        a, b = self.label[i], self.label[j]
        fi, fj = view.feat[i], view.feat[j]
        sa, sb = self.feature_sums[a], self.feature_sums[b]
        na = self.size[a] - view.size[i] + view.size[j]
        nb = self.size[b] - view.size[j] + view.size[i]
        s2a = 0.0
        s2b = 0.0
        for k, x in enumerate(fi):
            y = fj[k] - x
            s2a += (sa[k] + y) ** 2
            s2b += (sb[k] - y) ** 2
        delta = self.sq_norms[a] / self.size[a] + self.sq_norms[b] / self.size[b] - s2a / na - s2b / nb
        if self.bal_scale:
            y = view.bal[j] - view.bal[i]
            delta += self.bal_scale * 2.0 * y * (self.balance_totals[a] - self.balance_totals[b] + y)
        ta, tb = self.totals[a], self.totals[b]
        vi, vj = view.vals[i], view.vals[j]
        before = self.violation(ta) + self.violation(tb)
        after = self.violation([t - vi[k] + vj[k] for k, t in enumerate(ta)]) + self.violation(
            [t + vi[k] - vj[k] for k, t in enumerate(tb)]
        )
        return delta + self.view.penalty * (after - before)

    def move(self, i: int, a: int, b: int) -> None:
        """Move atom i from region a to region b (a may be -1 for an unassigned atom)."""
        view = self.view
        f = view.feat[i]
        v = view.vals[i]
        c = view.size[i]
        if a >= 0:
            self.version[a] += 1
            self.members[a].discard(i)
            self.size[a] -= c
            sa = self.feature_sums[a]
            for k, x in enumerate(f):
                sa[k] -= x
            ta = self.totals[a]
            for k, x in enumerate(v):
                ta[k] -= x
            self.balance_totals[a] -= view.bal[i]
            self.sq_norms[a] = sum(x * x for x in sa)
        self._add(i, b)
        self.version[b] += 1
        self.sq_norms[b] = sum(x * x for x in self.feature_sums[b])
        self.label[i] = b

    def conflicts(self, i: int, r: int) -> bool:
        """Whether atom i must be kept apart from a member of region r."""
        partners = self.view.partners.get(i)
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
        self.feature_sums.append(
            [0.0] * (len(self.feature_sums[0]) if self.feature_sums else len(self.view.feat[0]))
        )
        self.sq_norms.append(0.0)
        self.totals.append([0.0] * len(self.view.lo))
        self.balance_totals.append(0.0)
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
        return Regions(self.view, out, len(mapping))
