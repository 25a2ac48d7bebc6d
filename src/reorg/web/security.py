"""Small guards of the web app: sign-in attempts per client address, safe redirects, response headers."""

from __future__ import annotations

import collections
import threading
import time
from collections.abc import Callable

__all__ = ["HEADERS", "AttemptLimiter", "safe_next"]

#: sent with every response: no framing, no sniffing, scripts and styles from this origin only
HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    ),
}


class AttemptLimiter:
    """At most ``limit`` attempts per key (a client address) in any window of ``window`` seconds."""

    def __init__(self, limit: int, window: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._seen: dict[str, collections.deque[float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        """Count an attempt by ``key``; False when it is over the limit (the attempt is not counted)."""
        now = self._clock()
        with self._lock:
            seen = self._seen.setdefault(key, collections.deque())
            while seen and seen[0] <= now - self.window:
                seen.popleft()
            if len(seen) >= self.limit:
                return False
            seen.append(now)
            if len(self._seen) > 10_000:  # forget idle addresses
                for k in [k for k, v in self._seen.items() if not v]:
                    del self._seen[k]
            return True


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path of this site only (never ``//host`` or a full URL)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target
