"""A process-wide memo of what is derived from stored versions: loaded apparatuses, applied plans,
diagnoses.

A dataset version and a plan version never change once stored, so what is computed from one can be kept
and handed to the next request: the web app serves a unit page of an 80,000-unit dataset without loading it
again. Keys name the database, the kind of result, and the stored version with its creation time, so that a
version deleted and created again under the same number is a new key. At most ``SIZE`` results are kept
(least recently used goes first). Concurrent requests for one key wait for a single computation instead of
each doing it.

Results handed out are shared: callers must not mutate them (Apparatus arrays are read, never written, by
the services).
"""

from __future__ import annotations

import collections
import threading
from collections.abc import Callable, Hashable
from typing import TypeVar, cast

__all__ = ["SIZE", "Memo", "memo"]

T = TypeVar("T")

#: how many results the process keeps (an apparatus of 80,000 units and 1M people is ~0.3 GB)
SIZE = 8


class Memo:
    """A thread-safe LRU of computed results with one computation per key at a time."""

    def __init__(self, size: int = SIZE) -> None:
        if size < 1:
            raise ValueError("a memo keeps at least one result")
        self.size = size
        self._results: collections.OrderedDict[Hashable, object] = collections.OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The result kept under ``key``, computed by ``compute`` (once, whoever asks meanwhile) if absent."""
        with self._lock:
            if key in self._results:
                self._results.move_to_end(key)
                return cast(T, self._results[key])
            gate = self._computing.setdefault(key, threading.Lock())
        with gate:
            with self._lock:
                if key in self._results:
                    self._results.move_to_end(key)
                    return cast(T, self._results[key])
            try:
                value = compute()
            finally:
                with self._lock:
                    self._computing.pop(key, None)
            with self._lock:
                self._results[key] = value
                while len(self._results) > self.size:
                    self._results.popitem(last=False)
            return value

    def clear(self) -> None:
        with self._lock:
            self._results.clear()

    def __len__(self) -> int:
        return len(self._results)


#: the memo of this process
memo = Memo()
