"""reorg.consult: which answers count, aggregation by group, consensus, and planted opinion groups found."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reorg.consult import (
    WHOLE_PLAN,
    Answers,
    aggregate,
    counted,
    most_contested,
    opinion_groups,
    planted_round,
)

A, D, X = 1, -1, 0  # agree, disagree, abstain


def small_round() -> Answers:
    """Two groups (committee: ballots 0-2, experts: 3-4), two operations and the whole plan::

    op 0: b0 A(5) b1 A(4) b2 D(2) | b3 D(1) b4 X(3)
    op 1: b0 D then A (seq 2)     | b3 D, then A after the deadline (late)
    plan: b1 A                    | b4 A
    """
    rows = [  # ballot, group, item, stance, rating, seq, late
        (0, 0, 0, A, 5, 1, False),
        (1, 0, 0, A, 4, 1, False),
        (2, 0, 0, D, 2, 1, False),
        (3, 1, 0, D, 1, 1, False),
        (4, 1, 0, X, 3, 1, False),
        (0, 0, 1, D, 0, 2, False),
        (0, 0, 1, A, 0, 3, False),
        (3, 1, 1, D, 0, 2, False),
        (3, 1, 1, A, 0, 3, True),
        (1, 0, WHOLE_PLAN, A, 0, 2, False),
        (4, 1, WHOLE_PLAN, A, 0, 2, False),
    ]
    cols = list(zip(*rows, strict=True))
    return Answers.of(
        ballot=cols[0],
        group=cols[1],
        item=cols[2],
        stance=cols[3],
        rating=cols[4],
        seq=cols[5],
        late=cols[6],
        ballots=5,
        items=2,
        groups=("committee", "experts"),
    )


def test_the_last_answer_in_time_counts_and_late_ones_do_not() -> None:
    """b0's second answer to op 1 replaces the first; b3's late answer is kept but does not count."""
    mask = counted(small_round())
    assert mask.tolist() == [True, True, True, True, True, False, True, True, False, True, True]


def test_aggregation_by_hand_with_equal_weights() -> None:
    """Agree shares, ratings and consensus per group and item match the hand computation."""
    r = aggregate(small_round())
    assert r.agree.tolist() == [[2, 0], [1, 0], [1, 1]]
    assert r.disagree.tolist() == [[1, 1], [0, 1], [0, 0]]
    assert r.abstain.tolist() == [[0, 1], [0, 0], [0, 0]]
    assert r.rating_mean[0].tolist() == pytest.approx([11 / 3, 2.0])
    assert r.share.tolist() == pytest.approx([1 / 3, 0.5, 1.0])
    assert r.consensus.tolist() == pytest.approx([1 / 3, 0.0, 1.0])
    assert r.rating[0] == pytest.approx(17 / 6)
    assert np.isnan(r.rating[1])
    assert most_contested(r) == [1, 0]  # the whole plan is unanimous: not contested
    assert most_contested(r, min_votes=3) == [0]


def test_group_weights_change_the_share_not_the_counts() -> None:
    """The committee weighted 2 against the experts' 1: op 0's share is (2·2/3 + 0) / 3 = 4/9."""
    r = aggregate(small_round(), weights=[2.0, 1.0])
    assert r.share[0] == pytest.approx(4 / 9)
    assert r.consensus[0] == pytest.approx(1 / 9)
    assert r.agree.tolist() == aggregate(small_round()).agree.tolist()


@pytest.mark.parametrize("weights", [[1.0], [1.0, -1.0], [1.0, float("nan")]])
def test_bad_weights_are_refused(weights: list[float]) -> None:
    """One finite weight >= 0 per group, or ValueError."""
    with pytest.raises(ValueError, match="weights"):
        aggregate(small_round(), weights=weights)


def test_answers_out_of_range_are_refused() -> None:
    """A stance of 2 is not an answer."""
    with pytest.raises(ValueError, match="stance"):
        Answers.of(ballot=[0], group=[0], item=[0], stance=[2], ballots=1, items=1, groups=("g",))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 3), st.integers(-1, 2), st.integers(1, 4), st.booleans()),
        min_size=1,
        max_size=40,
    )
)
def test_exactly_one_answer_counts_per_ballot_and_item_answered_in_time(
    rows: list[tuple[int, int, int, bool]],
) -> None:
    """Each (ballot, item) with an answer in time has exactly one counted answer: its highest seq in time."""
    seen: Counter[tuple[int, int]] = Counter()
    ballot, item, seq, late = [], [], [], []
    for b, i, _, is_late in rows:
        seen[(b, i)] += 1
        ballot.append(b)
        item.append(i)
        seq.append(seen[(b, i)])
        late.append(is_late)
    n = len(rows)
    answers = Answers.of(
        ballot=ballot,
        group=[0] * n,
        item=item,
        stance=[1] * n,
        seq=seq,
        late=late,
        ballots=4,
        items=3,
        groups=("g",),
    )
    mask = counted(answers)
    for key in seen:
        in_time = [k for k in range(n) if (ballot[k], item[k]) == key and not late[k]]
        chosen = [k for k in range(n) if (ballot[k], item[k]) == key and mask[k]]
        assert chosen == ([max(in_time, key=lambda k: seq[k])] if in_time else [])


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000), st.lists(st.floats(0.1, 5.0), min_size=3, max_size=3))
def test_consensus_lies_between_zero_and_one(seed: int, weights: list[float]) -> None:
    """Whatever the answers and weights, consensus is in [0, 1] where defined."""
    answers, _ = planted_round(participants=30, items=8, per_participant=4, groups=2, seed=seed)
    r = aggregate(answers, weights=weights)
    defined = r.consensus[~np.isnan(r.consensus)]
    assert np.all((defined >= 0) & (defined <= 1 + 1e-12))


@pytest.mark.parametrize(("groups", "seed"), [(2, 1), (2, 7), (3, 2), (3, 11), (4, 3), (4, 5), (5, 4)])
def test_planted_opinion_groups_are_all_recovered(groups: int, seed: int) -> None:
    """On a seeded synthetic round, each planted group is one found group (>= 95% of its members)."""
    answers, planted = planted_round(
        participants=60 * groups, items=60, per_participant=20, groups=groups, noise=0.1, seed=seed
    )
    found = opinion_groups(answers, seed=seed)
    assert found is not None
    assert found.k == groups
    matched = set()
    for g in range(groups):
        labels = Counter(found.labels[planted == g].tolist())
        label, members = labels.most_common(1)[0]
        assert members >= 0.95 * (planted == g).sum(), (g, labels)
        matched.add(label)
    assert len(matched) == groups


def test_each_group_agrees_on_its_profile_and_shared_items_are_shared() -> None:
    """A group's agreed items are those its members agree on more than the others; shared items are agreed
    by every group."""
    answers, _planted = planted_round(participants=200, items=40, per_participant=20, groups=2, seed=3)
    found = opinion_groups(answers, seed=0)
    assert found is not None
    for g in range(found.k):
        for slot in found.agrees[g]:
            assert found.p_agree[g, slot] >= 0.6
            others = [h for h in range(found.k) if h != g]
            assert all(found.p_agree[h, slot] < found.p_agree[g, slot] for h in others)
    for slot in found.shared_agree:
        assert np.all(found.p_agree[:, slot] >= 0.6)
    assert found.shared_agree, "planted profiles agree by chance on about a quarter of the items"


def test_same_seed_same_groups() -> None:
    """Same answers and seed give the same labels, byte for byte."""
    answers, _ = planted_round(participants=120, items=30, per_participant=12, groups=3, seed=9)
    one, two = opinion_groups(answers, seed=4), opinion_groups(answers, seed=4)
    assert one is not None
    assert two is not None
    assert one.labels.tobytes() == two.labels.tobytes()


def test_too_few_ballots_give_no_groups() -> None:
    """Fewer than four ballots with enough sides taken: no opinion groups."""
    assert opinion_groups(small_round()) is None


def test_a_large_round_is_reduced_by_sparse_svd_and_its_groups_recovered() -> None:
    """Above the dense threshold (ARPACK on the sparse matrix) the planted groups are found too."""
    answers, planted = planted_round(participants=450, items=300, per_participant=40, groups=3, seed=21)
    found = opinion_groups(answers, seed=2)
    assert found is not None
    assert found.k == 3
    for g in range(3):
        assert Counter(found.labels[planted == g].tolist()).most_common(1)[0][1] >= 0.95 * 150


def test_a_unanimous_round_has_no_opinion_groups() -> None:
    """Everyone answering every operation alike leaves nothing to reduce: no groups, no error."""
    n = 6
    answers = Answers.of(
        ballot=np.repeat(np.arange(n), 3),
        group=[0] * 3 * n,
        item=[0, 1, WHOLE_PLAN] * n,
        stance=[1, -1, 1] * n,
        ballots=n,
        items=2,
        groups=("g",),
    )
    assert opinion_groups(answers) is None
