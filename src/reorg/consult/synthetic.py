"""A synthetic consultation round with planted opinion groups: for tests and the benchmark.

Each of ``groups`` planted groups has a stance profile (agree or disagree, at random) on every item;
each participant belongs to one planted group (round robin, so the groups are of equal size), answers
``per_participant`` distinct items drawn at random, and takes their group's stance with probability
``1 − noise`` (the other side otherwise). Ratings follow the stance (4–5 for agree, 1–2 for disagree).
Stakeholder groups (``stakeholders``) are assigned at random, independently of the planted groups.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from reorg.consult.answers import Answers

__all__ = ["planted_round"]


def planted_round(
    *,
    participants: int,
    items: int,
    per_participant: int,
    groups: int,
    noise: float = 0.1,
    stakeholders: int = 3,
    seed: int | np.random.Generator = 0,
) -> tuple[Answers, npt.NDArray[np.int64]]:
    """The answers of a planted round (one ballot per participant, all in time) and each participant's
    planted group."""
    if not 0 < per_participant <= items:
        raise ValueError("per_participant must lie in 1..items")
    rng = np.random.default_rng(seed)
    profile = np.where(rng.random((groups, items)) < 0.5, 1, -1).astype(np.int8)
    planted = np.arange(participants, dtype=np.int64) % groups
    chosen = np.empty((participants, per_participant), dtype=np.int64)
    for p in range(participants):
        chosen[p] = rng.choice(items, size=per_participant, replace=False)
    ballot = np.repeat(np.arange(participants, dtype=np.int64), per_participant)
    item = chosen.ravel()
    stance = profile[planted[ballot], item]
    flip = rng.random(len(item)) < noise
    stance = np.where(flip, -stance, stance).astype(np.int8)
    rating = np.where(stance > 0, rng.integers(4, 6, len(item)), rng.integers(1, 3, len(item)))
    stakeholder = rng.integers(0, stakeholders, participants)[ballot]
    answers = Answers.of(
        ballot=ballot,
        group=stakeholder,
        item=item,
        stance=stance,
        rating=rating,
        ballots=participants,
        items=items,
        groups=tuple(f"group {g + 1}" for g in range(stakeholders)),
    )
    return answers, planted
