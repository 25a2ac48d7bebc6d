"""Reading a plan file: the one reader every caller uses (CLI, web upload, services)."""

from __future__ import annotations

from pathlib import Path

from reorg.errors import InputError
from reorg.model.values import JsonError, load_json
from reorg.plan.operations import Plan

__all__ = ["parse_plan", "read_plan"]


def parse_plan(data: bytes, *, source: str) -> Plan:
    """The plan in ``data`` (UTF-8 JSON) read from ``source`` (a path or "upload"): text that is not
    UTF-8 or not JSON, nested too deeply or with a repeated key is an InputError naming ``source`` (and
    the line where known); a malformed plan a PlanError naming the operation and field."""
    try:
        document = load_json(data)
    except JsonError as exc:
        raise InputError(source, f"a JSON plan: {exc}") from None
    return Plan.from_dict(document)


def read_plan(path: Path) -> Plan:
    """The plan in the JSON file at ``path`` (see ``parse_plan``); a file that cannot be read is an
    InputError naming it."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"a readable plan file ({exc.strerror})") from None
    return parse_plan(data, source=str(path))
