"""Reading a TOML file of settings (a spec, a config, a ruleset): one reader, one set of refusals."""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from reorg.errors import InputError

__all__ = ["dataclass_from_mapping", "from_toml", "read_toml"]

T = TypeVar("T")


def read_toml(path: str | Path, what: str, *, table: str | None = None) -> Mapping[str, Any]:
    """The contents of the TOML file at ``path``, which should hold ``what`` (e.g. "territory spec");
    with ``table``, that table when the file has one, else the top level. A file that cannot be read,
    is not UTF-8 or not TOML, or whose ``table`` is not a table, is an InputError naming it."""
    name = str(path)
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(name, f"a readable {what} file ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise InputError(name, f"a {what} in UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(name, f"a {what} in valid TOML ({exc})") from None
    if table is None:
        return data
    found = data.get(table, data)
    if not isinstance(found, Mapping):
        raise InputError(name, f"a [{table}] table")
    return found


def from_toml(path: str | Path, what: str, build: Callable[[Mapping[str, Any]], T]) -> T:
    """``build`` (a ``from_dict`` that raises ValueError or TypeError naming what is wrong) applied to the
    TOML file at ``path``; its refusal becomes an InputError naming the file."""
    data = read_toml(path, what)
    try:
        return build(data)
    except (TypeError, ValueError) as exc:
        raise InputError(str(path), str(exc)) from None


def dataclass_from_mapping(cls: type[T], data: Mapping[str, Any], *, source: str) -> T:
    """The settings dataclass ``cls`` built from ``data`` (e.g. a parsed TOML table), lists taken as
    tuples; an unknown key, or a value the dataclass refuses (ValueError, TypeError), is an InputError
    naming ``source`` (and the key)."""
    fields = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    for key in data:
        if key not in fields:
            raise InputError(source, f"one of the keys {', '.join(sorted(fields))}", field=str(key))
    values: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}
    try:
        return cls(**values)
    except (TypeError, ValueError) as exc:
        raise InputError(source, str(exc)) from None
