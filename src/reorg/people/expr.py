"""A small, safe expression language for benefit rulesets, evaluated on whole columns at once.

An expression is parsed with Python's ``ast`` module (``mode="eval"``) and accepted only if every node is
on the whitelist below; nothing is ever passed to ``eval`` or ``exec``. Each expression is type-checked
when the ruleset is loaded, against the types of the names it may use, so an unknown variable, a call of
an unknown function or ``birth_date + 1`` is refused before any person is computed.

Types: ``number`` (float64), ``bool``, ``date`` (datetime64[D]) and ``text`` (only compared with ``==``
and ``!=``). The whitelist:

- literals: numbers, ``True``/``False``, strings (text); names of inputs, parameters and earlier values;
- ``+ - * /`` and unary ``-`` on numbers; ``< <= > >= == !=`` on numbers and on dates (chains allowed);
  ``== !=`` on text and bools; ``and``, ``or``, ``not`` on bools;
- functions: ``min(a, b, ...)``, ``max(a, b, ...)``, ``abs(x)``, ``floor(x)``, ``ceil(x)``,
  ``round(x)`` / ``round(x, digits)`` (half away from zero), ``if_else(condition, then, else)``,
  ``months_between(a, b)`` (whole calendar months from date a to date b, negative when b is before a),
  ``add_months(d, n)`` (day clipped to the month's end), ``year(d)``, ``month(d)``, ``day(d)``,
  ``rising_age_date(birth, base_year, base_months, step_months, cap_months)`` (the date a person born on
  ``birth`` reaches the age required in the year they reach it, the required age in year Y being
  ``base_months + step_months x (Y - base_year)`` months, at least ``base_months``, at most ``cap_months``).
"""

from __future__ import annotations

import ast
import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["TYPES", "Compiled", "ExpressionError", "compile_expression", "evaluate"]

#: the value types of the language
TYPES = ("number", "bool", "date", "text")

Value = Any  # a numpy array (one value per person) or a numpy scalar


class ExpressionError(ValueError):
    """An expression refused at load time: ``message`` says why, ``line``/``col`` (1-based) where."""

    def __init__(self, message: str, line: int = 1, col: int = 1) -> None:
        self.message, self.line, self.col = message, line, col
        super().__init__(f"{message} at line {line}, column {col}")


@dataclasses.dataclass(frozen=True)
class Compiled:
    """A checked expression: its tree, its result type and the names it reads."""

    source: str
    tree: ast.expr
    type: str
    names: frozenset[str]


def _fail(node: ast.AST, message: str) -> ExpressionError:
    return ExpressionError(message, getattr(node, "lineno", 1), getattr(node, "col_offset", 0) + 1)


# -- date helpers (vectorized) ------------------------------------------------------------------------


def _ymd(d: Value) -> tuple[Value, Value, Value]:
    d = np.asarray(d, dtype="datetime64[D]")
    months = d.astype("datetime64[M]")
    year = months.astype("datetime64[Y]").astype(np.int64) + 1970
    month = months.astype(np.int64) % 12 + 1
    day = (d - months.astype("datetime64[D]")).astype(np.int64) + 1
    return year, month, day


def _months_between(a: Value, b: Value) -> Value:
    a, b = np.broadcast_arrays(np.asarray(a, "datetime64[D]"), np.asarray(b, "datetime64[D]"))
    swap = b < a
    lo, hi = np.where(swap, b, a), np.where(swap, a, b)
    (ly, lm, ld), (hy, hm, hd) = _ymd(lo), _ymd(hi)
    whole = (hy * 12 + hm) - (ly * 12 + lm) - (hd < ld)
    out = np.where(swap, -whole, whole).astype(np.float64)
    return np.where(np.isnat(a) | np.isnat(b), np.nan, out)


def _add_months(d: Value, n: Value) -> Value:
    d = np.asarray(d, dtype="datetime64[D]")
    n = np.asarray(n, dtype=np.float64)
    bad = np.isnat(d) | ~np.isfinite(n)
    months = d.astype("datetime64[M]") + np.where(bad, 0, n).astype(np.int64)
    length = ((months + 1).astype("datetime64[D]") - months.astype("datetime64[D]")).astype(np.int64)
    day = np.minimum(_ymd(d)[2], length)
    out = months.astype("datetime64[D]") + (day - 1)
    return np.where(bad, np.datetime64("NaT"), out)


def _rising_age_date(birth: Value, base_year: Value, base: Value, step: Value, cap: Value) -> Value:
    birth = np.asarray(birth, dtype="datetime64[D]")
    year = _ymd(birth)[0] + np.floor(np.asarray(base, dtype=np.float64) / 12).astype(np.int64)
    for _ in range(200):  # the year reached is monotone in the year assumed: a fixed point is found
        age = np.clip(base + step * (year - base_year), base, cap)
        reached = _ymd(_add_months(birth, age))[0]
        if np.array_equal(reached, year):
            break
        year = reached
    return _add_months(birth, np.clip(base + step * (year - base_year), base, cap))


def _round(x: Value, digits: Value = 0) -> Value:
    scale = np.power(10.0, digits)
    return np.sign(x) * np.floor(np.abs(x) * scale + 0.5) / scale


def _numeric(f: Callable[[Value], Value]) -> Callable[[Value], Value]:
    def wrapped(d: Value) -> Value:
        out = f(d).astype(np.float64)
        return np.where(np.isnat(np.asarray(d, "datetime64[D]")), np.nan, out)

    return wrapped


#: name -> (argument types or None for "two or more numbers", result type, implementation)
FUNCTIONS: Mapping[str, tuple[tuple[str, ...] | None, str, Callable[..., Value]]] = {
    "min": (None, "number", lambda *a: np.minimum.reduce(np.broadcast_arrays(*a))),
    "max": (None, "number", lambda *a: np.maximum.reduce(np.broadcast_arrays(*a))),
    "abs": (("number",), "number", np.abs),
    "floor": (("number",), "number", np.floor),
    "ceil": (("number",), "number", np.ceil),
    "round": (("number", "number?"), "number", _round),
    "if_else": (("bool", "any", "any"), "any", np.where),
    "months_between": (("date", "date"), "number", _months_between),
    "add_months": (("date", "number"), "date", _add_months),
    "year": (("date",), "number", _numeric(lambda d: _ymd(d)[0])),
    "month": (("date",), "number", _numeric(lambda d: _ymd(d)[1])),
    "day": (("date",), "number", _numeric(lambda d: _ymd(d)[2])),
    "rising_age_date": (("date", "number", "number", "number", "number"), "date", _rising_age_date),
}

_ARITH: Mapping[type[ast.operator], Callable[[Value, Value], Value]] = {
    ast.Add: np.add,
    ast.Sub: np.subtract,
    ast.Mult: np.multiply,
    ast.Div: np.divide,
}
_COMPARE: Mapping[type[ast.cmpop], Callable[[Value, Value], Value]] = {
    ast.Lt: np.less,
    ast.LtE: np.less_equal,
    ast.Gt: np.greater,
    ast.GtE: np.greater_equal,
    ast.Eq: np.equal,
    ast.NotEq: np.not_equal,
}


# -- checking --------------------------------------------------------------------------------------


def compile_expression(source: str, names: Mapping[str, str]) -> Compiled:
    """Parse and type-check ``source`` against ``names`` (name -> type); ExpressionError if refused."""
    if not isinstance(source, str) or not source.strip():
        raise ExpressionError("an expression (a non-empty string)")
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"syntax error: {exc.msg}", exc.lineno or 1, exc.offset or 1) from None
    used: set[str] = set()
    kind = _check(tree.body, names, used)
    return Compiled(source, tree.body, kind, frozenset(used))


def _check(node: ast.expr, names: Mapping[str, str], used: set[str]) -> str:
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool):
            return "bool"
        if isinstance(node.value, int | float):
            return "number"
        if isinstance(node.value, str):
            return "text"
        raise _fail(node, f"a number, True, False or a string, not {node.value!r}")
    if isinstance(node, ast.Name):
        if node.id not in names:
            raise _fail(node, f"unknown variable {node.id!r}")
        used.add(node.id)
        return names[node.id]
    if isinstance(node, ast.BinOp):
        if type(node.op) not in _ARITH:
            raise _fail(node, f"operator {type(node.op).__name__} is not allowed (only + - * /)")
        for side in (node.left, node.right):
            _expect(side, "number", names, used, "arithmetic")
        return "number"
    if isinstance(node, ast.UnaryOp):
        if isinstance(node.op, ast.Not):
            _expect(node.operand, "bool", names, used, "not")
            return "bool"
        if isinstance(node.op, ast.USub | ast.UAdd):
            _expect(node.operand, "number", names, used, "sign")
            return "number"
        raise _fail(node, "operator ~ is not allowed")
    if isinstance(node, ast.BoolOp):
        for value in node.values:
            _expect(value, "bool", names, used, "and/or")
        return "bool"
    if isinstance(node, ast.Compare):
        kinds = [_check(x, names, used) for x in [node.left, *node.comparators]]
        for op, a, b in zip(node.ops, kinds, kinds[1:], strict=False):
            if type(op) not in _COMPARE:
                raise _fail(node, f"comparison {type(op).__name__} is not allowed")
            if a != b:
                raise _fail(node, f"cannot compare {a} with {b}")
            if a in ("text", "bool") and not isinstance(op, ast.Eq | ast.NotEq):
                raise _fail(node, f"{a} values are only compared with == and !=")
        return "bool"
    if isinstance(node, ast.Call):
        return _check_call(node, names, used)
    raise _fail(node, f"{type(node).__name__} is not allowed in an expression")


def _expect(node: ast.expr, kind: str, names: Mapping[str, str], used: set[str], what: str) -> None:
    got = _check(node, names, used)
    if got != kind:
        raise _fail(node, f"{what} needs a {kind}, this is a {got}")


def _check_call(node: ast.Call, names: Mapping[str, str], used: set[str]) -> str:
    if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
        called = node.func.id if isinstance(node.func, ast.Name) else ast.unparse(node.func)
        raise _fail(node, f"unknown function {called!r} (known: {', '.join(sorted(FUNCTIONS))})")
    if node.keywords:
        raise _fail(node, f"{node.func.id}() takes no keyword arguments")
    name = node.func.id
    params, result, _ = FUNCTIONS[name]
    args = node.args
    if params is None:
        if len(args) < 2:
            raise _fail(node, f"{name}() takes two or more numbers")
        params = ("number",) * len(args)
    required = [p for p in params if not p.endswith("?")]
    if not len(required) <= len(args) <= len(params):
        raise _fail(node, f"{name}() takes {len(params)} arguments, got {len(args)}")
    kinds = [_check(a, names, used) for a in args]
    for arg, want, got in zip(args, params, kinds, strict=False):
        want = want.rstrip("?")
        if want != "any" and got != want:
            raise _fail(arg, f"{name}() needs a {want} here, this is a {got}")
    if name == "if_else":
        if kinds[1] != kinds[2]:
            raise _fail(node, f"if_else() needs two values of one type, got {kinds[1]} and {kinds[2]}")
        return kinds[1]
    return result


# -- evaluation ------------------------------------------------------------------------------------


def evaluate(compiled: Compiled, env: Mapping[str, Value]) -> Value:
    """The value of a checked expression on ``env`` (name -> column or scalar); numbers are float64,
    absent values NaN / NaT. Division by zero gives inf or NaN, which the caller refuses."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return _eval(compiled.tree, env)


def _eval(node: ast.expr, env: Mapping[str, Value]) -> Value:
    if isinstance(node, ast.Constant):
        constant = node.value
        return (
            np.float64(constant)
            if isinstance(constant, int | float) and not isinstance(constant, bool)
            else constant
        )
    if isinstance(node, ast.Name):
        return env[node.id]
    if isinstance(node, ast.BinOp):
        return _ARITH[type(node.op)](_eval(node.left, env), _eval(node.right, env))
    if isinstance(node, ast.UnaryOp):
        operand = _eval(node.operand, env)
        if isinstance(node.op, ast.Not):
            return np.logical_not(operand)
        return np.negative(operand) if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.BoolOp):
        combine = np.logical_and if isinstance(node.op, ast.And) else np.logical_or
        joined = _eval(node.values[0], env)
        for part in node.values[1:]:
            joined = combine(joined, _eval(part, env))
        return joined
    if isinstance(node, ast.Compare):
        left = _eval(node.left, env)
        out: Value = True
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            right = _eval(right_node, env)
            out = np.logical_and(out, _COMPARE[type(op)](left, right))
            left = right
        return out
    assert isinstance(node, ast.Call)  # the only node left after _check
    assert isinstance(node.func, ast.Name)
    args = [_eval(a, env) for a in node.args]
    return FUNCTIONS[node.func.id][2](*args)


def as_column(value: Value, n: int, dtype: npt.DTypeLike) -> npt.NDArray[Any]:
    """``value`` as an array of ``n`` values of ``dtype`` (a scalar is repeated)."""
    return np.broadcast_to(np.asarray(value, dtype=dtype), (n,)).copy()
