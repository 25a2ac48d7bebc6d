"""The roadmap file: TOML that people export, edit and re-import (docs/roadmap.md).

::

    plan = "enacted-2025"
    start = 2025-03-01
    derive = true            # add the dependencies derived from the plan

    [[step]]
    id = "s1"
    name = "merge MOF and MPI"
    operations = [0]         # 0-based positions in the plan
    owner = "vn"
    level = "ministry"
    duration = 30            # days
    earliest = 2025-03-01
    deadline = 2025-06-30    # optional
    depends = []             # step ids, added by the user
    targets = { headcount = 120 }

A bad value is an InputError naming the file, the step (row, 1-based) and the field.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from reorg.errors import InputError
from reorg.roadmap.steps import Roadmap, Step

__all__ = ["dumps", "loads", "read", "write"]


def _string(value: str) -> str:
    """A TOML basic string (JSON's escapes are valid TOML)."""
    return json.dumps(value, ensure_ascii=False)


def _step(s: Step) -> list[str]:
    lines = [
        "[[step]]",
        f"id = {_string(s.id)}",
        f"name = {_string(s.name)}",
        f"operations = [{', '.join(str(i) for i in s.operations)}]",
        f"owner = {_string(s.owner)}",
        f"level = {_string(s.level)}",
        f"duration = {s.duration}",
    ]
    if s.earliest:
        lines.append(f"earliest = {s.earliest.isoformat()}")
    if s.deadline:
        lines.append(f"deadline = {s.deadline.isoformat()}")
    lines.append(f"depends = [{', '.join(_string(d) for d in s.depends)}]")
    targets = ", ".join(f"{_string(k)} = {v!r}" for k, v in s.targets)
    lines.append(f"targets = {{{' ' + targets + ' ' if targets else ''}}}")
    return lines


def dumps(roadmap: Roadmap) -> str:
    """The roadmap as TOML text (``loads`` reads it back to an equal roadmap)."""
    lines = [
        "# reorg roadmap: edit and re-import with `reorg roadmap build --from FILE` (docs/roadmap.md)",
        f"plan = {_string(roadmap.plan)}",
        f"start = {roadmap.start.isoformat()}",
        f"derive = {'true' if roadmap.derive else 'false'}",
    ]
    for s in roadmap.steps:
        lines.append("")
        lines.extend(_step(s))
    return "\n".join(lines) + "\n"


def loads(text: str, *, source: str = "roadmap") -> Roadmap:
    """The roadmap in TOML ``text``; InputError naming ``source``, the step (row) and the field."""
    try:
        data: Mapping[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(source, f"a roadmap in valid TOML ({exc})") from None
    known = {"plan", "start", "derive", "step"}
    for key in data:
        if key not in known:
            raise InputError(source, "one of " + ", ".join(sorted(known)), field=str(key))
    return Roadmap.from_dict(data, source=source)


def read(path: str | Path) -> Roadmap:
    """The roadmap file at ``path``."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(name, f"a readable roadmap file ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise InputError(name, "a roadmap file in UTF-8") from None
    return loads(text, source=name)


def write(roadmap: Roadmap, path: str | Path) -> None:
    """Write the roadmap file at ``path``."""
    Path(path).write_text(dumps(roadmap), encoding="utf-8")
