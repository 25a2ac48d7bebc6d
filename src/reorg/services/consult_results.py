"""The results of a consultation round, computed from its stored answers by ``reorg.consult``, as typed
dataclasses that are frozen as JSON when the round closes (``to_dict`` / ``from_dict``).

Items are operations of the plan by their position (the whole plan is item −1). Comments are those of the
answers that count (the last in time of each ballot and item, ``reorg.consult.answers``), with their
group, and with their author's login only in a named round; they are listed by group, stance and text
(never in the order they came in).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from reorg.consult import WHOLE_PLAN, Answers, aggregate, counted, most_contested, opinion_groups
from reorg.report.sheets import Cell
from reorg.store import AnswerRecord, ConsultationRecord

__all__ = [
    "Comment",
    "GroupTally",
    "ItemResult",
    "OpinionGroup",
    "Results",
    "compute_results",
    "result_tables",
]

#: the seed of the opinion groups' reduction and clustering (same answers, same groups)
SEED = 0


def _num(value: float) -> float | None:
    return None if math.isnan(value) else round(float(value), 6)


@dataclasses.dataclass(frozen=True)
class GroupTally:
    """One group's answers on one item: counts, and their mean rating 1–5 (None: no rating)."""

    group: str
    agree: int
    disagree: int
    abstain: int
    rating: float | None


@dataclasses.dataclass(frozen=True)
class Comment:
    """A comment that counts: its group, its stance word, and its author (``""`` in anonymous rounds)."""

    group: str
    stance: str
    text: str
    author: str = ""


@dataclasses.dataclass(frozen=True)
class ItemResult:
    """One item (an operation position, −1 = the whole plan): per group, the weighted agree ``share``,
    ``consensus`` |2·share − 1| and weighted mean ``rating`` (None when nobody took a side / rated), the
    agree + disagree ``votes``, and the comments."""

    item: int
    label: str
    tallies: tuple[GroupTally, ...]
    share: float | None
    consensus: float | None
    rating: float | None
    votes: int
    comments: tuple[Comment, ...]


@dataclasses.dataclass(frozen=True)
class OpinionGroup:
    """An opinion group: how many ballots, and the items it agrees / disagrees on (most distinctive
    first)."""

    number: int
    size: int
    agrees: tuple[int, ...]
    disagrees: tuple[int, ...]


@dataclasses.dataclass(frozen=True)
class Results:
    """A round's results: per item, the most contested items, the opinion groups and what all of them
    share, and the counts of answers kept, counted, late and replaced."""

    items: tuple[ItemResult, ...]
    contested: tuple[int, ...]
    groups: tuple[OpinionGroup, ...]
    shared_agree: tuple[int, ...]
    shared_disagree: tuple[int, ...]
    silhouette: float | None
    ballots: int
    kept: int
    counted: int
    late: int
    frozen: bool

    def item(self, number: int) -> ItemResult:
        return next(i for i in self.items if i.item == number)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Results:
        """Results read back from ``to_dict`` (the JSON frozen at closing)."""
        items = tuple(
            ItemResult(
                **{
                    **i,
                    "tallies": tuple(GroupTally(**t) for t in i["tallies"]),
                    "comments": tuple(Comment(**c) for c in i["comments"]),
                }
            )
            for i in data["items"]
        )
        groups = tuple(
            OpinionGroup(g["number"], g["size"], tuple(g["agrees"]), tuple(g["disagrees"]))
            for g in data["groups"]
        )
        plain = {k: v for k, v in data.items() if k not in ("items", "groups")}
        for key in ("contested", "shared_agree", "shared_disagree"):
            plain[key] = tuple(plain[key])
        return cls(items=items, groups=groups, **plain)


STANCE_WORDS = {1: "agree", -1: "disagree", 0: "abstain"}


def compute_results(
    records: Sequence[AnswerRecord],
    *,
    items: Sequence[int],
    labels: Mapping[int, str],
    weights: Mapping[str, float],
    authors: Mapping[str, str],
    frozen: bool,
) -> Results:
    """Results of the answers ``records`` on the operations ``items`` (positions; the whole plan is added),
    with group ``weights`` (groups not named weigh 1) and ``authors`` (ballot -> login; empty in an
    anonymous round)."""
    position = {item: i for i, item in enumerate(items)}
    ballots = sorted({r.ballot for r in records})
    ballot_row = {b: i for i, b in enumerate(ballots)}
    group_names = tuple(sorted({r.group for r in records} | set(weights)))
    group_row = {g: i for i, g in enumerate(group_names)}
    answers = Answers.of(
        ballot=[ballot_row[r.ballot] for r in records],
        group=[group_row[r.group] for r in records],
        item=[WHOLE_PLAN if r.item == WHOLE_PLAN else position[r.item] for r in records],
        stance=[r.stance for r in records],
        rating=[r.rating for r in records],
        seq=[r.seq for r in records],
        late=[r.late for r in records],
        ballots=len(ballots),
        items=len(items),
        groups=group_names,
    )
    use = counted(answers)
    agg = aggregate(answers, weights=[float(weights.get(g, 1.0)) for g in group_names])
    slot_item = [*items, WHOLE_PLAN]
    comments: dict[int, list[Comment]] = {item: [] for item in slot_item}
    for r, counts in zip(records, use, strict=True):
        if counts and r.comment:
            comment = Comment(r.group, STANCE_WORDS[r.stance], r.comment, authors.get(r.ballot, ""))
            comments[r.item].append(comment)
    results = []
    for slot, item in enumerate(slot_item):
        tallies = tuple(
            GroupTally(
                g,
                int(agg.agree[slot, k]),
                int(agg.disagree[slot, k]),
                int(agg.abstain[slot, k]),
                _num(agg.rating_mean[slot, k]),
            )
            for k, g in enumerate(group_names)
        )
        results.append(
            ItemResult(
                item=item,
                label=labels.get(item, ""),
                tallies=tallies,
                share=_num(agg.share[slot]),
                consensus=_num(agg.consensus[slot]),
                rating=_num(agg.rating[slot]),
                votes=int(agg.votes[slot]),
                comments=tuple(sorted(comments[item], key=lambda c: (c.group, c.stance, c.text, c.author))),
            )
        )
    found = opinion_groups(answers, seed=SEED)
    groups: tuple[OpinionGroup, ...] = ()
    shared: tuple[tuple[int, ...], tuple[int, ...]] = ((), ())
    if found is not None:
        sizes = found.sizes
        groups = tuple(
            OpinionGroup(
                g + 1,
                sizes[g],
                tuple(slot_item[s] for s in found.agrees[g]),
                tuple(slot_item[s] for s in found.disagrees[g]),
            )
            for g in range(found.k)
        )
        shared = (
            tuple(slot_item[s] for s in found.shared_agree),
            tuple(slot_item[s] for s in found.shared_disagree),
        )
    return Results(
        items=tuple(results),
        contested=tuple(slot_item[s] for s in most_contested(agg)),
        groups=groups,
        shared_agree=shared[0],
        shared_disagree=shared[1],
        silhouette=None if found is None else round(found.silhouette, 6),
        ballots=len(ballots),
        kept=len(records),
        counted=int(np.count_nonzero(use)),
        late=sum(1 for r in records if r.late),
        frozen=frozen,
    )


def result_tables(record: ConsultationRecord, r: Results) -> dict[str, tuple[list[str], list[list[Cell]]]]:
    """A round and its results as plain tables, one per view (the sheets of the export): Round, By group,
    Items (share, consensus, rating), Most contested, Opinion groups, Shared, Comments."""
    label = {i.item: i.label for i in r.items}
    round_rows: list[list[Cell]] = [
        ["consultation", record.id],
        ["plan", f"{record.plan}@{record.plan_version}"],
        ["question", record.question],
        ["deadline", record.deadline.isoformat()],
        ["anonymous", record.anonymous],
        ["state", record.state],
        ["frozen", r.frozen],
        ["ballots", r.ballots],
        ["answers kept", r.kept],
        ["answers counted", r.counted],
        ["answers late", r.late],
        ["silhouette", r.silhouette],
    ]
    round_rows += [[f"weight {g}", w] for g, w in sorted(record.weights.items())]
    by_group: list[list[Cell]] = [
        [i.item, i.label, t.group, t.agree, t.disagree, t.abstain, t.rating]
        for i in r.items
        for t in i.tallies
    ]
    items: list[list[Cell]] = [[i.item, i.label, i.votes, i.share, i.consensus, i.rating] for i in r.items]
    contested = [
        [rank + 1, item, label[item], r.item(item).consensus] for rank, item in enumerate(r.contested)
    ]
    groups: list[list[Cell]] = [
        [g.number, g.size, side, item, label[item]]
        for g in r.groups
        for side, chosen in (("agree", g.agrees), ("disagree", g.disagrees))
        for item in chosen
    ]
    shared: list[list[Cell]] = [
        [side, item, label[item]]
        for side, chosen in (("agree", r.shared_agree), ("disagree", r.shared_disagree))
        for item in chosen
    ]
    comments: list[list[Cell]] = [
        [i.item, i.label, c.group, c.author, c.stance, c.text] for i in r.items for c in i.comments
    ]
    return {
        "Round": (["field", "value"], round_rows),
        "By group": (["item", "operation", "group", "agree", "disagree", "abstain", "rating"], by_group),
        "Items": (["item", "operation", "votes", "agree share", "consensus", "rating"], items),
        "Most contested": (["rank", "item", "operation", "consensus"], contested),
        "Opinion groups": (["group", "size", "side", "item", "operation"], groups),
        "Shared": (["side", "item", "operation"], shared),
        "Comments": (["item", "operation", "group", "author", "stance", "comment"], comments),
    }
