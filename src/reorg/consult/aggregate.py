"""Counted answers aggregated per item and group, with group weights; consensus and the most contested.

Items are the plan's operations 0..items-1 and the whole plan, which sits in the last slot (``items``).
For each item and group: the number of agree, disagree and abstain answers and the mean rating (1–5).

Group weights (``weights``, one per group, >= 0; default 1 each) say how much each group counts,
whatever its size: the **agree share** of an item is the weighted mean, over the groups that took a
side on it, of each group's own share of agree among its agree and disagree answers::

    p = Σ_g w_g · a_g / (a_g + d_g)  /  Σ_g w_g        (over groups g with a_g + d_g > 0)

Abstentions count as answers but take no side. The mean rating is weighted the same way over the groups'
own mean ratings. The **consensus** of an item is ``|2p − 1|``: 1 when every weighted group is
unanimous the same way, 0 when the weighted answers split evenly; NaN when nobody took a side. The
**most contested** items are those with at least ``min_votes`` agree or disagree answers and some
disagreement (consensus below 1), by consensus ascending (ties: more votes first, then the lower item).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from reorg.consult.answers import AGREE, DISAGREE, Answers, counted

__all__ = ["Aggregate", "aggregate", "most_contested"]

Float = npt.NDArray[np.float64]


@dataclasses.dataclass(frozen=True)
class Aggregate:
    """Per slot (item 0..items-1, then the whole plan) and group: ``agree``, ``disagree``, ``abstain``
    counts and ``rating_mean`` (NaN = no rating); per slot: the weighted ``share`` of agree, the
    ``consensus`` (see the module) and the weighted ``rating`` (NaN when none)."""

    groups: tuple[str, ...]
    weights: Float
    agree: npt.NDArray[np.int64]
    disagree: npt.NDArray[np.int64]
    abstain: npt.NDArray[np.int64]
    rating_mean: Float
    share: Float
    consensus: Float
    rating: Float

    @property
    def votes(self) -> npt.NDArray[np.int64]:
        """Agree and disagree answers per slot (abstentions left out)."""
        total: npt.NDArray[np.int64] = (self.agree + self.disagree).sum(axis=1)
        return total


def _weighted(values: Float, present: npt.NDArray[np.bool_], weights: Float) -> Float:
    """Per row: the mean of ``values`` over the present columns, weighted by ``weights``; NaN if none."""
    w = np.where(present, weights[None, :], 0.0)
    total = w.sum(axis=1)
    summed = np.where(present, values, 0.0) @ weights if values.size else np.zeros(len(values))
    with np.errstate(invalid="ignore", divide="ignore"):
        out: Float = np.where(total > 0, summed / np.where(total > 0, total, 1.0), np.nan)
    return out


def aggregate(answers: Answers, *, weights: Sequence[float] | None = None) -> Aggregate:
    """Aggregate the answers that count (``answers.counted``) per item and group."""
    n_groups = len(answers.groups)
    w = np.ones(n_groups) if weights is None else np.asarray(weights, dtype=np.float64)
    if w.shape != (n_groups,) or not np.all(np.isfinite(w)) or np.any(w < 0):
        raise ValueError(f"weights: one finite weight >= 0 per group ({n_groups})")
    use = answers.take(counted(answers))
    slots = answers.items + 1
    slot = np.where(use.item < 0, answers.items, use.item)
    cell = slot * n_groups + use.group
    size = slots * n_groups

    def count(mask: npt.NDArray[np.bool_]) -> npt.NDArray[np.int64]:
        found: npt.NDArray[np.int64] = np.bincount(cell[mask], minlength=size).reshape(slots, n_groups)
        return found

    agree = count(use.stance == AGREE)
    disagree = count(use.stance == DISAGREE)
    abstain = count((use.stance != AGREE) & (use.stance != DISAGREE))
    rated = use.rating > 0
    rating_sum = np.bincount(cell[rated], weights=use.rating[rated], minlength=size).reshape(slots, n_groups)
    rating_n = count(rated)
    with np.errstate(invalid="ignore", divide="ignore"):
        rating_mean = np.where(rating_n > 0, rating_sum / np.maximum(rating_n, 1), np.nan)
        sided = agree + disagree
        group_share = np.where(sided > 0, agree / np.maximum(sided, 1), np.nan)
    share = _weighted(group_share, sided > 0, w)
    return Aggregate(
        groups=answers.groups,
        weights=w,
        agree=agree,
        disagree=disagree,
        abstain=abstain,
        rating_mean=rating_mean,
        share=share,
        consensus=np.abs(2.0 * share - 1.0),
        rating=_weighted(rating_mean, rating_n > 0, w),
    )


def most_contested(result: Aggregate, *, top: int = 10, min_votes: int = 1) -> list[int]:
    """The slots (items; the last is the whole plan) with at least ``min_votes`` agree or disagree
    answers and a consensus below 1, the least consensual first (ties: more votes, then the lower
    slot); at most ``top``."""
    votes = result.votes
    split = np.nan_to_num(result.consensus, nan=1.0) < 1.0 - 1e-12
    eligible = np.flatnonzero((votes >= max(min_votes, 1)) & split)
    order = np.lexsort((eligible, -votes[eligible], result.consensus[eligible]))
    return [int(s) for s in eligible[order][:top]]
