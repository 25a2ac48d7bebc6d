"""Helpers for fuzz tests of readers: any input ends in a result or one clear line, within a bound.

``outcome(call)`` runs ``call`` under a wall-clock alarm of ``LIMIT_S`` seconds (a hang guard, far above
what any small input needs: not a benchmark) and returns its result, or the ReorgError it raised after
checking that the message is one non-empty line. Any other exception, or the alarm, fails the test.
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from hypothesis import strategies as st

from reorg.errors import ReorgError

T = TypeVar("T")

#: seconds any single fuzzed input may take before the test fails as a hang
LIMIT_S = 20


class HangError(Exception):
    """The call outlived LIMIT_S."""


@contextmanager
def _alarm(seconds: int) -> Iterator[None]:
    def ring(signum: int, frame: Any) -> None:
        raise HangError(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, ring)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def outcome(call: Callable[[], T]) -> T | ReorgError:
    """``call()``, or the ReorgError it raised (whose message must be one non-empty line)."""
    with _alarm(LIMIT_S):
        try:
            return call()
        except ReorgError as error:
            message = str(error)
            assert message.strip(), "an empty message"
            assert "\n" not in message, f"a message of several lines: {message!r}"
            assert "\r" not in message, f"a message with a carriage return: {message!r}"
            return error


#: any JSON value, a few levels deep
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=16,
)

#: text that hostile input likes: control characters, surrogates' neighbours, markup, separators, digits
#: of other scripts, very long runs
NASTY_TEXT = st.one_of(
    st.text(max_size=20),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "\x1b[2J",
            "\u202e",
            "1_000",
            "１２",
            "١٢",
            "1e12",
            "-0",
            "nan",
            "inf",
            "=4*2",
            '"',
            ";",
            "\t",
            "\r",
            "_x000D_",
            "[/]",
            "x" * 40_000,
            "2024-02-30",
            "true",
        ]
    ),
)


def toml_value(value: Any) -> str:
    """``value`` (None, bool, int, float, str, list, dict) written as a TOML value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return (
            "nan"
            if value != value
            else ("inf" if value > 0 else "-inf")
            if abs(value) == float("inf")
            else repr(value)
        )
    if isinstance(value, str):
        return (
            '"'
            + "".join(ch if ch.isprintable() and ch not in '"\\' else f"\\u{ord(ch):04x}" for ch in value)
            + '"'
        )
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{toml_value(str(k))} = {toml_value(v)}" for k, v in value.items()) + "}"
    return '""'


def toml_documents(keys: list[str]) -> st.SearchStrategy[str]:
    """TOML texts whose top-level keys are among ``keys`` (and one unknown), with values of any type."""
    value = st.recursive(
        st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.floats() | NASTY_TEXT,
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from([*keys, "x"]), inner, max_size=3)
        ),
        max_leaves=8,
    )
    table = st.dictionaries(st.sampled_from([*keys, "unknown"]), value, max_size=5)
    return table.map(lambda t: "".join(f"{toml_value(k)} = {toml_value(v)}\n" for k, v in t.items()))
