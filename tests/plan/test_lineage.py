"""Following units across a plan, and comparing two groupings."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reorg.model import Apparatus
from reorg.plan import Merge, NewUnit, Plan, Split, SplitPart, apply
from reorg.plan.lineage import adjusted_rand_index, groups_reproduced, successors


def test_identical_groupings_have_ari_one() -> None:
    """The same partition under other labels scores 1."""
    assert adjusted_rand_index(["a", "a", "b", "c"], ["x", "x", "y", "z"]) == pytest.approx(1.0)


def test_known_ari_value() -> None:
    """A textbook case: [0,0,1,1] against [0,0,1,2] gives 0.5714... (4/7)."""
    assert adjusted_rand_index(["0", "0", "1", "1"], ["0", "0", "1", "2"]) == pytest.approx(4 / 7)


@given(st.lists(st.sampled_from("abcd"), min_size=2, max_size=40), st.randoms(use_true_random=False))
def test_ari_is_symmetric_and_at_most_one(labels: list[str], rnd: object) -> None:
    """ARI(a, b) = ARI(b, a) <= 1."""
    other = sorted(labels)
    assert adjusted_rand_index(labels, other) == pytest.approx(adjusted_rand_index(other, labels))
    assert adjusted_rand_index(labels, other) <= 1.0 + 1e-12


def test_groups_reproduced_counts_exact_groups() -> None:
    """Only groups with exactly the same members count."""
    assert groups_reproduced(["p", "p", "q", "q", "r"], ["A", "A", "B", "B", "B"]) == 0.5


def test_successors_follow_merges_and_splits(tiny: Apparatus) -> None:
    """A merged unit leads to the merge; a split one to its largest part."""
    plan = Plan(
        baseline="tiny",
        operations=(
            Split(unit="c3", parts=(SplitPart("c3a", 0.3), SplitPart("c3b", 0.7))),
            Merge(units=("c1", "c2"), into=NewUnit("c12", "C1-2")),
        ),
        require=(),
    )
    after = apply(tiny, plan)
    assert successors(after, ["c1", "c2", "c3", "p1", "nope"]) == {
        "c1": "c12",
        "c2": "c12",
        "c3": "c3b",
        "p1": "p1",
    }
