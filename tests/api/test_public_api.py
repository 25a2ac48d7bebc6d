"""The top-level Python API stays curated."""

from __future__ import annotations

import reorg


def test_all_names_exist() -> None:
    """Every name in reorg.__all__ is importable from the package."""
    for name in reorg.__all__:
        assert hasattr(reorg, name), name


def test_all_is_the_documented_surface() -> None:
    """Adding or removing a public name is a deliberate change to this list."""
    assert sorted(reorg.__all__) == sorted(
        [
            "Apparatus",
            "DatasetInfo",
            "DiagnosisConfig",
            "Diff",
            "InputError",
            "LeadsSpec",
            "NotFoundError",
            "Plan",
            "PlanError",
            "ReorgError",
            "Report",
            "StoreError",
            "TerritorySpec",
            "Validation",
            "Violation",
            "apply",
            "check",
            "diagnose",
            "diff",
            "load",
            "propose_leads",
            "propose_territory",
            "validate",
            "write",
        ]
    )


def test_example_bundle_round_trip_through_the_api(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """load -> diagnose -> write -> load works from the top-level names alone."""
    from importlib.resources import files

    app = reorg.load(str(files("reorg.datasets") / "example"))
    report = reorg.diagnose(app)
    assert report.findings, "the example bundle has planted defects"
    reorg.write(app, tmp_path / "copy.xlsx")
    again = reorg.load(tmp_path / "copy.xlsx")
    assert again.counts() == app.counts()
