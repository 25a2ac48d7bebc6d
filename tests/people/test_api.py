"""The people package's Python API stays curated."""

from __future__ import annotations

import reorg.people


def test_all_names_exist() -> None:
    """Every name in reorg.people.__all__ is importable from the package."""
    for name in reorg.people.__all__:
        assert hasattr(reorg.people, name), name


def test_the_main_functions_are_exported() -> None:
    """evaluate, load_ruleset and compute_benefits are the entry points."""
    assert {"evaluate", "EvaluationConfig", "load_ruleset", "parse_ruleset", "compute_benefits"} <= set(
        reorg.people.__all__
    )
