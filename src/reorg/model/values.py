"""The rules a value meets wherever it comes from: a cell of a bundle (CSV or XLSX) or a field of a plan.

One set of rules, so that whatever a plan makes can be written as a bundle and read back, and both
readers refuse the same things. Pure: no I/O; callers turn a problem (a phrase saying what was
expected) into an ``InputError`` or a ``PlanError`` naming the cell or the field.

Limits (docs/data-format.md states them for people):

- text: at most ``MAX_TEXT`` characters (what one XLSX cell holds), no control characters other than
  tab, line feed and carriage return, no lone surrogate (not a character: it cannot be stored as UTF-8);
- numbers: ASCII decimal notation only (``12``, ``-0.5``, ``1.5e6``; no ``1_000``, no full-width or
  Arabic-Indic digits, no ``nan`` or ``inf``), each field within its range (``RANGES``);
- whole numbers (ranks, counts, positions): at most ``MAX_WHOLE``, what a 32-bit database integer holds;
- unit classes (the ``class`` of a standard): a letter, then letters, digits or ``_``, short enough
  that the unit attribute ``<class>_km2`` is a valid attribute name;
- JSON documents: nested at most ``MAX_JSON_DEPTH`` deep, each object key once.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
from typing import Any

import numpy as np

__all__ = [
    "CLASS_SUFFIX",
    "FIRST_DATE",
    "LAST_DATE",
    "MAX_ATTRIBUTE_NAME",
    "MAX_JSON_DEPTH",
    "MAX_TEXT",
    "MAX_WHOLE",
    "NUMBER",
    "RANGES",
    "JsonError",
    "Range",
    "class_problem",
    "json_depth",
    "load_json",
    "number_problem",
    "text_problem",
]

#: characters in one text value (an id, a name, a legal basis...): the most an XLSX cell holds
MAX_TEXT = 32_767
#: the largest whole number (rank, count, operation position, max_units): a 32-bit signed integer
MAX_WHOLE = 2**31 - 1
#: how deeply a JSON document (plan, dataset.json, territories.geojson) may nest arrays and objects
MAX_JSON_DEPTH = 64
#: characters in the name of an attribute (an extra column of units.csv or people.csv)
MAX_ATTRIBUTE_NAME = 64
#: the days a date may fall on (birth dates, service starts): every backend stores them alike
FIRST_DATE, LAST_DATE = "1800-01-01", "2199-12-31"

#: C0 control characters other than tab, line feed and carriage return, and DEL
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
#: a number as text: ASCII digits, an optional decimal point and exponent, spaces or tabs around
NUMBER = re.compile(r"[ \t]*[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[ \t]*")


def text_problem(text: str) -> str | None:
    """What ``text`` should have been, or None when it is acceptable text."""
    if len(text) > MAX_TEXT:
        return f"text of at most {MAX_TEXT:,} characters, found {len(text):,}"
    bad = CONTROL.search(text)
    if bad:
        return f"text without control characters, found U+{ord(bad.group()):04X}"
    bad = _SURROGATE.search(text)
    if bad:
        return f"text of Unicode characters, found a lone surrogate U+{ord(bad.group()):04X}"
    return None


#: a unit class (``mountainous``, ``island``): the stem of the unit attribute ``<class>_km2``
_CLASS = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
#: the suffix of the unit attribute that holds the km² of a unit in a class
CLASS_SUFFIX = "_km2"


def class_problem(name: str) -> str | None:
    """What the class name ``name`` (not empty) should have been, or None when it is acceptable."""
    longest = MAX_ATTRIBUTE_NAME - len(CLASS_SUFFIX)
    if not _CLASS.fullmatch(name) or len(name) > longest:
        return (
            f"a class name of at most {longest} letters, digits or _, starting with a letter "
            "(e.g. mountainous)"
        )
    return None


@dataclasses.dataclass(frozen=True)
class Range:
    """The values a numeric field accepts: finite, ``low`` <= x <= ``high`` (``low`` < x when
    ``open_low``), whole when ``whole``; ``what`` says it to a person."""

    what: str
    low: float = 0.0
    high: float = math.inf
    whole: bool = False
    open_low: bool = False

    def __post_init__(self) -> None:
        if self.whole:
            object.__setattr__(self, "high", min(self.high, MAX_WHOLE))

    def problem(self, value: float) -> str | None:
        """``what`` (with the bound when it is a large whole number) if ``value`` is outside, else None."""
        if not math.isfinite(value):
            return f"{self.what}, not NaN or infinite"
        if value < self.low or (self.open_low and value == self.low) or value > self.high:
            return self.expected()
        if self.whole and not value.is_integer():
            return self.expected()
        return None

    def expected(self) -> str:
        """``what``, naming the upper bound of a whole number."""
        if self.whole and self.high == MAX_WHOLE:
            return f"{self.what}, at most {MAX_WHOLE:,}"
        return self.what


_NON_NEGATIVE = "a non-negative number"

#: the numeric fields of bundles and plans, by name
RANGES: dict[str, Range] = {
    "quota": Range("a non-negative headcount"),
    "area_km2": Range("a non-negative area in km²"),
    "population": Range("a non-negative number of people"),
    "lat": Range("a latitude in degrees, -90 to 90", -90.0, 90.0),
    "lon": Range("a longitude in degrees, -180 to 180", -180.0, 180.0),
    "attribute": Range("a number (an extra column of units is a numeric attribute)", -math.inf),
    "rank": Range("a whole number >= 0 (0 = top)", whole=True),
    "salary_coefficient": Range("a non-negative salary coefficient"),
    "target": Range(_NON_NEGATIVE),
    "actual": Range(_NON_NEGATIVE),
    "weight": Range(_NON_NEGATIVE),
    "border_km": Range("a non-negative length in km"),
    "min_area_km2": Range("a non-negative area in km²"),
    "min_population": Range("a non-negative number of people"),
    "max_units": Range("a whole number of units >= 0", whole=True),
    "operation": Range("a whole number >= 0 (operation position)", whole=True),
    "share": Range("a share above 0 and at most 1", 0.0, 1.0, open_low=True),
    "count": Range("a whole number of people >= 0", whole=True),
}


def number_problem(text: str, rule: Range) -> str | None:
    """What the cell ``text`` (not empty) should have been, or None when it is a number ``rule`` takes."""
    if not NUMBER.fullmatch(text):
        lowered = text.strip().lower()
        if lowered in ("nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"):
            return f"{rule.what}, not NaN or infinite"
        return f"{rule.what}, written with ASCII digits and a decimal point (e.g. 1500 or 0.25)"
    return rule.problem(float(text))


class JsonError(ValueError):
    """A JSON text that is refused: ``msg`` says why, ``lineno`` is the line (1-based) when known."""

    def __init__(self, msg: str, lineno: int | None = None) -> None:
        self.msg = msg
        self.lineno = lineno
        super().__init__(msg if lineno is None else f"{msg} at line {lineno}")


_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def json_depth(text: str) -> int:
    """How deeply the arrays and objects of a JSON text nest (0 for a scalar), counted on the text
    without recursion: strings are removed, then brackets counted. Linear in the length."""
    brackets = np.frombuffer(_NOT_BRACKET.sub("", _JSON_STRING.sub("", text)).encode("ascii"), np.uint8)
    if not len(brackets):
        return 0
    steps = np.where((brackets == ord("[")) | (brackets == ord("{")), 1, -1).astype(np.int32)
    return int(np.cumsum(steps).max())


def _no_repeated_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) < len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise JsonError(f"each key once in an object; {key!r} is repeated")
            seen.add(key)
    return out


def _utf8(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise JsonError("UTF-8 text, found UTF-16 (save the file as UTF-8)") from None
        raise JsonError(f"UTF-8 text, byte 0x{data[exc.start]:02x} is not UTF-8", line) from None


def load_json(data: str | bytes, *, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """The value of a JSON document (UTF-8 bytes, a byte order mark allowed, or text).

    Refuses with JsonError: text that is not UTF-8, nesting deeper than ``max_depth``, invalid JSON,
    a key repeated in one object, and a number too long to convert."""
    text = data if isinstance(data, str) else _utf8(data)
    depth = json_depth(text)
    if depth > max_depth:
        raise JsonError(f"JSON nested at most {max_depth} deep, found {depth}")
    try:
        return json.loads(text, object_pairs_hook=_no_repeated_keys)
    except json.JSONDecodeError as exc:
        raise JsonError(f"valid JSON ({exc.msg})", exc.lineno) from None
    except JsonError:
        raise
    except (ValueError, RecursionError) as exc:  # a number of over 4,300 digits; nesting (belt and braces)
        raise JsonError(f"valid JSON ({str(exc).splitlines()[0]})") from None
