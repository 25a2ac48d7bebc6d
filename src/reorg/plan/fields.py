"""The fields of operations, read from JSON and checked: each against the type its dataclass declares
and against the value rules shared with the bundle readers (reorg.model.values).

``build(cls, raw)`` makes a dataclass from a JSON object, refusing an unknown or missing field, a value
of the wrong type (``"count": "3"``, ``"count": 1.5``, ``"unit": {"a": 1}``), a number outside its range
(``quota`` -5, ``lat`` 1000) and text a bundle could not hold (a control character, a lone surrogate,
more than MAX_TEXT characters). ``check_values(obj)`` applies the value rules to a dataclass built in
Python, so that a plan made by code obeys the same rules as one read from JSON.
"""

from __future__ import annotations

import dataclasses
import math
import types
import typing
from collections.abc import Mapping
from typing import Any, Literal

from reorg.model.values import RANGES, text_problem

__all__ = ["FieldError", "build", "check_values", "convert", "show", "value_problem"]

_ABSENT = object()


def show(value: Any) -> str:
    """A value as a message shows it: one line (repr escapes control characters), at most 60 characters."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class FieldError(ValueError):
    """A field that is refused: ``field`` its name (``into.name``, ``parts[1].share``), ``expected``
    what it should have been."""

    def __init__(self, field: str, expected: str, value: Any = _ABSENT) -> None:
        self.field = field
        self.expected = expected
        got = "" if value is _ABSENT else f" (got {show(value)})"
        super().__init__(f"field {field!r}: {expected}{got}")


def _rule_name(field: str) -> str:
    """``parts[1].share`` -> ``share``: the name whose rule applies."""
    return field.rsplit(".", 1)[-1].split("[", 1)[0]


def value_problem(field: str, value: Any) -> str | None:
    """What ``value`` of ``field`` should have been under the shared value rules, or None."""
    if isinstance(value, str):
        return text_problem(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not math.isfinite(value):
            return "a finite number"
        rule = RANGES.get(_rule_name(field))
        return rule.problem(float(value)) if rule else None
    return None


def check_values(obj: Any) -> None:
    """Refuse (FieldError) a text or number field of dataclass ``obj`` that breaks the value rules."""
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        stack = [(f.name, value)]
        while stack:
            name, v = stack.pop()
            if isinstance(v, tuple):
                stack.extend((f"{name}[{k}]", item) for k, item in enumerate(v))
                continue
            problem = value_problem(name, v)
            if problem:
                raise FieldError(name, problem, v)


_HINTS: dict[type[Any], dict[str, Any]] = {}


def _hints(cls: type[Any]) -> dict[str, Any]:
    """The resolved field types of ``cls`` (computed once per class)."""
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def build(cls: type[Any], raw: Any, where: str = "") -> Any:
    """An instance of dataclass ``cls`` from the JSON object ``raw``; ``where`` prefixes field names."""
    if not isinstance(raw, Mapping):
        raise FieldError(where or cls.__name__, "an object {...}", raw)
    prefix = f"{where}." if where else ""
    fields = {f.name: f for f in dataclasses.fields(cls)}
    for key in raw:
        if key not in fields:
            raise FieldError(f"{prefix}{key}", f"a known field: one of {', '.join(fields)}")
    kwargs: dict[str, Any] = {}
    for name, f in fields.items():
        if name not in raw:
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise FieldError(f"{prefix}{name}", "a value (this field is required)")
            continue
        kwargs[name] = convert(_hints(cls)[name], raw[name], f"{prefix}{name}")
    return cls(**kwargs)


def _expected(hint: Any) -> str:
    """What a value of type ``hint`` is called in a message."""
    origin = typing.get_origin(hint)
    if hint is str:
        return "text"
    if hint is float:
        return "a number"
    if hint is int:
        return "a whole number"
    if origin is Literal:
        return " or ".join(repr(a) for a in typing.get_args(hint))
    if origin in (typing.Union, types.UnionType):
        return " or ".join("null" if a is type(None) else _expected(a) for a in typing.get_args(hint))
    if origin is tuple:
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return f"a list of {'ids' if args[0] is str else 'items'}"
        return f"a list of {len(args)} items"
    return "an object {...}"


def convert(hint: Any, value: Any, field: str) -> Any:
    """``value`` as type ``hint`` (str, float, int, X | None, Literal, tuple, a dataclass), or FieldError."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in typing.get_args(hint):
            return None
        (inner,) = [a for a in typing.get_args(hint) if a is not type(None)]
        return convert(inner, value, field)
    if origin is Literal:
        if not isinstance(value, str) or value not in typing.get_args(hint):
            raise FieldError(field, _expected(hint), value)
        return value
    if origin is tuple:
        return _sequence(hint, value, field)
    if dataclasses.is_dataclass(hint):
        return build(typing.cast(type[Any], hint), value, field)
    if hint is str:
        ok = isinstance(value, str)
    elif hint is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    elif hint is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    else:  # pragma: no cover - a field type this module does not know is a programming error
        raise TypeError(f"no JSON conversion for {hint!r}")
    if not ok:
        raise FieldError(field, _expected(hint), value)
    problem = value_problem(field, value)
    if problem:
        raise FieldError(field, problem, value)
    return float(value) if hint is float else value


def _sequence(hint: Any, value: Any, field: str) -> tuple[Any, ...]:
    if not isinstance(value, list):
        raise FieldError(field, _expected(hint), value)
    args = typing.get_args(hint)
    if len(args) == 2 and args[1] is Ellipsis:
        return tuple(convert(args[0], item, f"{field}[{k}]") for k, item in enumerate(value))
    if len(value) != len(args):
        raise FieldError(field, _expected(hint), value)
    return tuple(
        convert(a, item, f"{field}[{k}]") for k, (a, item) in enumerate(zip(args, value, strict=True))
    )
