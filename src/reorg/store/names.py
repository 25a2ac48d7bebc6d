"""What a dataset or plan name may be: one rule for the store, the services and every caller."""

from __future__ import annotations

import re

from reorg.errors import InputError

__all__ = ["NAME_PATTERN", "NAME_RULE", "check_name"]

#: what a dataset or plan name may be
NAME_PATTERN = re.compile(r"[A-Za-z0-9._-]{1,64}")
NAME_RULE = "1-64 characters among A-Z a-z 0-9 . _ -"


def check_name(name: str, what: str) -> str:
    """``name`` if it is a valid dataset/plan name, else an InputError about ``what``."""
    if not NAME_PATTERN.fullmatch(name):
        raise InputError(what, NAME_RULE, value=name)
    return name
