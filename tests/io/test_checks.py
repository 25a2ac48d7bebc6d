"""Cross-row checks: cycles found in linear time without recursion, duplicates by the later row."""

from __future__ import annotations

import numpy as np

from reorg.io.checks import find_cycle, first_duplicate, first_duplicate_text


def test_find_cycle_returns_one_ring() -> None:
    """0 → 1 → 2 → 0 is a cycle (each row's parent next); 3 → 0 only hangs from it."""
    cycle = find_cycle(np.array([1, 2, 0, 0], dtype=np.int32))
    assert sorted(cycle) == [0, 1, 2]


def test_forest_has_no_cycle() -> None:
    """Roots (-1) and chains leading to them are fine."""
    assert find_cycle(np.array([-1, 0, 1, -1, 3], dtype=np.int32)) == []


def test_deep_chain_is_walked_without_recursion() -> None:
    """A 300,000-deep chain (far past Python's recursion limit) is checked, and its cycle found."""
    n = 300_000
    chain = np.arange(-1, n - 1, dtype=np.int32)
    assert find_cycle(chain) == []
    chain[0] = n - 1
    assert len(find_cycle(chain)) == n


def test_first_duplicate_names_the_earliest_repeat() -> None:
    """The pair returned is (first occurrence, second occurrence) of the repeat seen first."""
    unit = np.array([1, 2, 1, 2, 1])
    task = np.array([5, 6, 7, 6, 5])
    assert first_duplicate([unit, task]) == (1, 3)
    assert first_duplicate([unit, np.arange(5)]) is None
    assert first_duplicate_text([["a", "b", "a"], ["x", "y", "x"]]) == (0, 2)
