"""A benefit policy as data: a TOML ruleset of parameters, derived values and regimes (docs/people.md).

A ruleset names its ``[ruleset]`` (name, currency, sources), its ``[parameters]`` (numbers, dates, text or
booleans), its ``[derived]`` values (expressions, in order, each over the inputs, the parameters and the
values before it) and its ``[[regime]]`` list: each regime has an ``id``, a ``name``, an ``eligible``
condition, ``terms`` (named amounts whose sum is what the person is owed, in the ruleset's currency) and a
``saving`` (the annual payroll saved when the person takes it, currency/year). A person takes the first
regime they are eligible for (``choice = "first"``) or the one that pays most (``choice = "max"``).

Everything is checked on load: an unknown key, an unknown variable (naming the rule and the variable), a
syntax error (naming the rule, line and column), a type error, or a name defined twice is an InputError
naming the file.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import tomllib
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from reorg.errors import InputError
from reorg.people.expr import FUNCTIONS, Compiled, ExpressionError, compile_expression

__all__ = ["DEFAULT_RULESET", "INPUTS", "Regime", "Ruleset", "load_ruleset", "parse_ruleset"]

#: the inputs every ruleset may read: one value per person (from people, and from the call)
INPUTS: Mapping[str, str] = {
    "salary_coefficient": "number",
    "birth_date": "date",
    "service_start": "date",
    "gender": "text",
    "position": "text",
    "grade": "text",
    "as_of": "date",
    "decision_date": "date",
    "transferred": "bool",
}

#: the file name of the default ruleset (Decree 178/2024/ND-CP as amended by Decree 67/2025/ND-CP)
DEFAULT_RULESET = "decree-178.toml"

_SECTIONS = {"ruleset", "parameters", "derived", "regime"}
_HEADER = {"name", "currency", "description", "sources", "choice", "illustrative"}
_REGIME = {"id", "name", "basis", "eligible", "terms", "saving"}


@dataclasses.dataclass(frozen=True)
class Regime:
    """One way of leaving (or staying) and what it pays: ``terms`` are named amounts (currency), their
    sum is the person's amount; ``saving`` is the annual payroll saved (currency/year)."""

    id: str
    name: str
    basis: str
    eligible: Compiled
    terms: tuple[tuple[str, Compiled], ...]
    saving: Compiled


@dataclasses.dataclass(frozen=True)
class Ruleset:
    """A checked ruleset; ``derived`` in evaluation order; ``source`` is the file it came from."""

    name: str
    currency: str
    description: str
    sources: tuple[str, ...]
    choice: str
    illustrative: bool
    parameters: Mapping[str, Any]
    derived: tuple[tuple[str, Compiled], ...]
    regimes: tuple[Regime, ...]
    source: str

    def inputs_used(self) -> frozenset[str]:
        """The person inputs some rule reads (directly or through derived values)."""
        compiled = [c for _, c in self.derived]
        for r in self.regimes:
            compiled += [r.eligible, r.saving, *(c for _, c in r.terms)]
        names = set().union(*(c.names for c in compiled)) if compiled else set()
        return frozenset(names & set(INPUTS))


def _type_of(value: Any) -> str | None:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return "date"
    if isinstance(value, str):
        return "text"
    return None


def load_ruleset(path: str | Path | None = None) -> Ruleset:
    """The ruleset in TOML file ``path``; None = the default (Decree 178 as amended by Decree 67)."""
    if path is None:
        text = resources.files("reorg.people").joinpath("rulesets", DEFAULT_RULESET).read_text("utf-8")
        return parse_ruleset(text, source=f"reorg/people/rulesets/{DEFAULT_RULESET}")
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"a readable UTF-8 TOML ruleset ({exc})") from None
    return parse_ruleset(text, source=str(path))


def parse_ruleset(text: str, *, source: str = "ruleset") -> Ruleset:
    """The ruleset in TOML ``text``; ``source`` names it in errors."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(source, f"valid TOML ({exc})") from None
    _keys(data, _SECTIONS, source, "")
    head = data.get("ruleset", {})
    _keys(head, _HEADER, source, "ruleset.")
    choice = head.get("choice", "first")
    if choice not in ("first", "max"):
        raise InputError(source, "'first' or 'max'", column="ruleset.choice", value=str(choice))
    if not isinstance(head.get("name"), str) or not head["name"].strip():
        raise InputError(source, "a name for the ruleset", column="ruleset.name")
    sources = head.get("sources", [])
    if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
        raise InputError(source, "a list of strings", column="ruleset.sources")

    names: dict[str, str] = dict(INPUTS)
    parameters = _table(data, "parameters", source)
    for key, value in parameters.items():
        kind = _type_of(value)
        if kind is None:
            raise InputError(source, "a number, date, text or boolean", column=f"parameters.{key}")
        _define(names, key, kind, source, f"parameters.{key}")

    derived: list[tuple[str, Compiled]] = []
    for key, expr in _table(data, "derived", source).items():
        compiled = _compile(expr, names, source, f"derived.{key}")
        _define(names, key, compiled.type, source, f"derived.{key}")
        derived.append((key, compiled))

    raw_regimes = data.get("regime", [])
    if not isinstance(raw_regimes, list) or not raw_regimes:
        raise InputError(source, "at least one [[regime]]", column="regime")
    regimes = [_regime(r, i, names, source) for i, r in enumerate(raw_regimes)]
    ids = [r.id for r in regimes]
    if len(set(ids)) != len(ids):
        twice = next(i for i in ids if ids.count(i) > 1)
        raise InputError(source, "regime ids that differ", column="regime.id", value=twice)
    return Ruleset(
        name=head["name"],
        currency=str(head.get("currency", "")),
        description=str(head.get("description", "")),
        sources=tuple(sources),
        choice=choice,
        illustrative=bool(head.get("illustrative", False)),
        parameters=dict(parameters),
        derived=tuple(derived),
        regimes=tuple(regimes),
        source=source,
    )


def _keys(table: Mapping[str, Any], allowed: set[str], source: str, prefix: str) -> None:
    if not isinstance(table, Mapping):
        raise InputError(source, "a table", column=prefix.rstrip(".") or None)
    for key in table:
        if key not in allowed:
            raise InputError(source, f"one of the keys {', '.join(sorted(allowed))}", column=prefix + key)


def _table(data: Mapping[str, Any], key: str, source: str) -> Mapping[str, Any]:
    table = data.get(key, {})
    if not isinstance(table, Mapping):
        raise InputError(source, "a table", column=key)
    return table


def _define(names: dict[str, str], key: str, kind: str, source: str, rule: str) -> None:
    if key in names or key in FUNCTIONS or not key.isidentifier():
        why = "an input" if key in INPUTS else "a function" if key in FUNCTIONS else "defined before"
        if not key.isidentifier():
            why = "not a name (letters, digits and _)"
        raise InputError(source, f"a new name ({key!r} is {why})", column=rule)
    names[key] = kind


def _compile(
    expr: Any, names: Mapping[str, str], source: str, rule: str, want: str | None = None
) -> Compiled:
    if not isinstance(expr, str):
        raise InputError(source, "an expression in a string", column=rule, value=repr(expr))
    try:
        compiled = compile_expression(expr, names)
    except ExpressionError as exc:
        raise InputError(
            source, f"rule {rule}: {exc.message} (line {exc.line}, column {exc.col})", column=rule, value=expr
        ) from None
    if want is not None and compiled.type != want:
        raise InputError(source, f"rule {rule}: a {want}, this is a {compiled.type}", column=rule, value=expr)
    return compiled


def _regime(raw: Any, i: int, names: Mapping[str, str], source: str) -> Regime:
    _keys(raw, _REGIME, source, f"regime[{i}].")
    rid = raw.get("id")
    if not isinstance(rid, str) or not rid.isidentifier():
        raise InputError(source, "an id (letters, digits and _)", column=f"regime[{i}].id", value=str(rid))
    terms_raw = raw.get("terms", {})
    if not isinstance(terms_raw, Mapping):
        raise InputError(source, "a table of term = expression", column=f"regime.{rid}.terms")
    terms = tuple(
        (key, _compile(expr, names, source, f"regime.{rid}.terms.{key}", "number"))
        for key, expr in terms_raw.items()
    )
    return Regime(
        id=rid,
        name=str(raw.get("name", rid)),
        basis=str(raw.get("basis", "")),
        eligible=_compile(raw.get("eligible", "True"), names, source, f"regime.{rid}.eligible", "bool"),
        terms=terms,
        saving=_compile(raw.get("saving", "0"), names, source, f"regime.{rid}.saving", "number"),
    )
