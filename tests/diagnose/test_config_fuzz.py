"""A fuzzed diagnosis config (TOML) ends in a config or one InputError line naming the file."""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

from hostile_kit import outcome, toml_documents
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from reorg.diagnose import DiagnosisConfig
from reorg.errors import InputError

KEYS = sorted([*(f.name for f in dataclasses.fields(DiagnosisConfig)), "diagnose"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@seed(14)
@given(text=toml_documents(KEYS) | st.text(max_size=60), raw=st.binary(max_size=40))
def test_fuzzed_configs_end_cleanly(text: str, raw: bytes) -> None:
    """Keys of the config with values of any type, any text, and bytes that are not UTF-8 are each a
    config or a one-line InputError."""
    with tempfile.TemporaryDirectory() as tmp:
        for data in (text.encode("utf-8", "surrogatepass"), raw):
            path = Path(tmp) / "diagnose.toml"
            path.write_bytes(data)
            result = outcome(lambda path=path: DiagnosisConfig.from_toml(path))
            assert isinstance(result, DiagnosisConfig | InputError)
