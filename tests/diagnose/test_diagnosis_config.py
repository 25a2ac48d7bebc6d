"""DiagnosisConfig: defaults, checks on construction, TOML loading."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reorg.diagnose import DiagnosisConfig
from reorg.errors import InputError


def test_defaults_are_the_documented_ones() -> None:
    """The defaults docs/diagnosis.md names."""
    c = DiagnosisConfig()
    assert (c.overlap_threshold, c.overlap_min_shared, c.span_narrow, c.span_wide, c.robust_z) == (
        0.5,
        3,
        3,
        15,
        3.5,
    )
    assert c.depth_norm is None
    assert c.spans("anything") == (3, 15)


@pytest.mark.parametrize(
    "change",
    [
        {"overlap_threshold": 0.0},
        {"overlap_threshold": 0.9, "overlap_high": 0.8},
        {"overlap_min_shared": 0},
        {"overlap_max_holders": 1},
        {"depth_norm": -1},
        {"span_narrow": 20},
        {"span_limits": {"commune": (5, 2)}},
        {"robust_z": 0},
        {"staffing_min_ratio": 0.5},
        {"quota_tolerance": -0.1},
        {"mismatch_min_share": 0.4},
        {"max_findings_per_kind": -1},
        {"staffing_metrics": ("per_person",)},
        {"standard_share": 0},
        {"standard_rule": "any"},
    ],
)
def test_bad_values_are_refused(change: dict[str, Any]) -> None:
    """Each out-of-range threshold raises ValueError on construction."""
    with pytest.raises(ValueError, match="DiagnosisConfig"):
        DiagnosisConfig(**change)


def test_a_toml_file_with_a_diagnose_table(tmp_path: Path) -> None:
    """Keys of a [diagnose] table, with per-level span limits as a sub-table."""
    path = tmp_path / "d.toml"
    path.write_text("[diagnose]\noverlap_threshold = 0.6\n[diagnose.span_limits]\ncommune = [2, 40]\n")
    c = DiagnosisConfig.from_toml(path)
    assert c.overlap_threshold == 0.6
    assert c.spans("commune") == (2, 40)


def test_top_level_keys_are_read_too(tmp_path: Path) -> None:
    """A file of plain keys works as well."""
    path = tmp_path / "d.toml"
    path.write_text('robust_z = 4.0\nmax_findings_per_kind = 10\nstaffing_metrics = ["per_led_task"]\n')
    config = DiagnosisConfig.from_toml(path)
    assert config.robust_z == 4.0
    assert config.staffing_metrics == ("per_led_task",)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("overlap_treshold = 0.6\n", "overlap_treshold"),
        ("robust_z = -1\n", "robust_z must be positive"),
        ("robust_z = \n", "valid TOML"),
    ],
)
def test_bad_files_name_the_file_and_the_problem(tmp_path: Path, text: str, says: str) -> None:
    """Unknown keys, bad values and bad TOML are InputErrors naming the file."""
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(InputError, match=says) as info:
        DiagnosisConfig.from_toml(path)
    assert info.value.file == str(path)
