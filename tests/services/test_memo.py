"""The process memo: one computation per key, least recently used first out, failures not kept."""

from __future__ import annotations

import threading
import time

import pytest

from reorg.services.memo import Memo


def test_concurrent_requests_share_one_computation() -> None:
    """Twenty threads asking for one key at once run its computation once and all get its result."""
    memo, calls, results = Memo(), [], []

    def compute() -> int:
        calls.append(1)
        time.sleep(0.05)
        return 42

    threads = [threading.Thread(target=lambda: results.append(memo.get("k", compute))) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1
    assert results == [42] * 20


def test_least_recently_used_goes_first() -> None:
    """With room for two, reading ``a`` keeps it and adding ``c`` drops ``b``."""
    memo = Memo(size=2)
    memo.get("a", lambda: 1)
    memo.get("b", lambda: 2)
    memo.get("a", lambda: -1)
    memo.get("c", lambda: 3)
    assert memo.get("a", lambda: -1) == 1
    assert memo.get("b", lambda: 20) == 20


def test_a_failed_computation_is_not_kept() -> None:
    """An exception leaves nothing behind: the next request computes again."""
    memo = Memo()

    def boom() -> int:
        raise RuntimeError("no")

    with pytest.raises(RuntimeError):
        memo.get("k", boom)
    assert memo.get("k", lambda: 7) == 7


def test_a_memo_keeps_at_least_one_result() -> None:
    """A size below one is refused."""
    with pytest.raises(ValueError, match="at least one"):
        Memo(size=0)
