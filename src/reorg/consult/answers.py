"""The answers of a consultation round as columns, and the rule that says which of them count.

Every answer is one row: a ballot (the participant, by row position; in an anonymous round a ballot is
a random id that stands for a person without naming them), the participant's group, the item answered
(an operation of the plan by its position, or ``WHOLE_PLAN``), a stance (``AGREE`` +1, ``DISAGREE``
-1, ``ABSTAIN`` 0), a rating 1–5 (0 = none given), the answer's order within its ballot (``seq``, 1,
2, ...) and whether it came after the deadline (``late``).

The rule for late and repeated answers (``counted``): of the answers of one ballot to one item, the one
with the highest ``seq`` among those that are not late counts; the others (earlier answers replaced by
a later one, and every late answer) are kept but not counted. A late answer therefore never replaces
an answer given in time.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import numpy.typing as npt

__all__ = ["ABSTAIN", "AGREE", "DISAGREE", "STANCES", "WHOLE_PLAN", "Answers", "counted"]

AGREE, DISAGREE, ABSTAIN = 1, -1, 0
#: stance words as stored and shown, and their codes
STANCES = {"agree": AGREE, "disagree": DISAGREE, "abstain": ABSTAIN}
#: the item that stands for the whole plan (operations are 0, 1, ...)
WHOLE_PLAN = -1

Int = npt.NDArray[np.int64]


def _column(values: object, dtype: type) -> npt.NDArray[np.generic]:
    array: npt.NDArray[np.generic] = np.array(values, dtype=dtype)
    array.setflags(write=False)
    return array


@dataclasses.dataclass(frozen=True)
class Answers:
    """Answers as equally long read-only columns: ``ballot`` in [0, ballots), ``group`` in
    [0, len(groups)), ``item`` in [0, items) or WHOLE_PLAN, ``stance`` in {-1, 0, 1}, ``rating`` in
    0..5 (0 = none), ``seq`` >= 1 (order within the ballot), ``late``. ``groups`` names the groups."""

    ballot: Int
    group: Int
    item: Int
    stance: npt.NDArray[np.int8]
    rating: npt.NDArray[np.int8]
    seq: Int
    late: npt.NDArray[np.bool_]
    ballots: int
    items: int
    groups: tuple[str, ...]

    @classmethod
    def of(
        cls,
        *,
        ballot: object,
        group: object,
        item: object,
        stance: object,
        ballots: int,
        items: int,
        groups: tuple[str, ...],
        rating: object | None = None,
        seq: object | None = None,
        late: object | None = None,
    ) -> Answers:
        """Answers from columns (lists or arrays); absent ``rating`` is none, ``seq`` 1, ``late`` False.
        ValueError when a column is out of range or the lengths differ."""
        b = _column(ballot, np.int64)
        n = len(b)
        made = cls(
            ballot=b,  # type: ignore[arg-type]
            group=_column(group, np.int64),  # type: ignore[arg-type]
            item=_column(item, np.int64),  # type: ignore[arg-type]
            stance=_column(stance, np.int8),  # type: ignore[arg-type]
            rating=_column(np.zeros(n) if rating is None else rating, np.int8),  # type: ignore[arg-type]
            seq=_column(np.ones(n) if seq is None else seq, np.int64),  # type: ignore[arg-type]
            late=_column(np.zeros(n) if late is None else late, np.bool_),  # type: ignore[arg-type]
            ballots=ballots,
            items=items,
            groups=groups,
        )
        made.check()
        return made

    def __len__(self) -> int:
        return len(self.ballot)

    def check(self) -> None:
        """ValueError naming the first column out of its range."""
        n = len(self.ballot)
        for name in ("group", "item", "stance", "rating", "seq", "late"):
            if len(getattr(self, name)) != n:
                raise ValueError(f"answers: column {name} has {len(getattr(self, name))} rows, not {n}")
        ranges: dict[str, tuple[npt.NDArray[np.generic], int, int]] = {
            "ballot": (self.ballot, 0, self.ballots - 1),
            "group": (self.group, 0, len(self.groups) - 1),
            "item": (self.item, WHOLE_PLAN, self.items - 1),
            "stance": (self.stance, -1, 1),
            "rating": (self.rating, 0, 5),
            "seq": (self.seq, 1, np.iinfo(np.int64).max),
        }
        for name, (column, low, high) in ranges.items():
            if n and (int(column.min()) < low or int(column.max()) > high):
                raise ValueError(f"answers: column {name} must lie in {low}..{high}")

    def take(self, mask: npt.NDArray[np.bool_]) -> Answers:
        """The answers where ``mask`` holds, with the same ballots, items and groups."""
        return dataclasses.replace(
            self,
            ballot=self.ballot[mask],
            group=self.group[mask],
            item=self.item[mask],
            stance=self.stance[mask],
            rating=self.rating[mask],
            seq=self.seq[mask],
            late=self.late[mask],
        )


def counted(answers: Answers) -> npt.NDArray[np.bool_]:
    """Per answer: does it count? The last answer (highest ``seq``) of each ballot to each item among
    those that are not late; every other answer is kept but does not count. O(n log n)."""
    n = len(answers)
    keep = np.zeros(n, dtype=bool)
    in_time = np.flatnonzero(~answers.late)
    if len(in_time) == 0:
        return keep
    # one key per (ballot, item); within a key, the highest seq last
    key = answers.ballot[in_time] * (answers.items + 1) + (answers.item[in_time] + 1)
    order = np.lexsort((answers.seq[in_time], key))
    last = np.ones(len(order), dtype=bool)
    last[:-1] = key[order][1:] != key[order][:-1]
    keep[in_time[order[last]]] = True
    return keep
