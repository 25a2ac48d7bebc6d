"""A fuzzed territory spec (TOML) ends in a spec or one InputError line naming the file."""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

from hostile_kit import outcome, toml_documents
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from reorg.errors import InputError
from reorg.optimize.territory import Effort, TerritorySpec, Weights

KEYS = sorted({f.name for cls in (TerritorySpec, Weights, Effort) for f in dataclasses.fields(cls)})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@seed(14)
@given(text=toml_documents(KEYS) | st.text(max_size=60), raw=st.binary(max_size=40))
def test_fuzzed_specs_end_cleanly(text: str, raw: bytes) -> None:
    """Keys of the spec with values of any type, any text, and bytes that are not UTF-8 are each a spec
    or a one-line InputError."""
    with tempfile.TemporaryDirectory() as tmp:
        for data in (text.encode("utf-8", "surrogatepass"), raw):
            path = Path(tmp) / "spec.toml"
            path.write_bytes(data)
            result = outcome(lambda path=path: TerritorySpec.from_toml(path))
            assert isinstance(result, TerritorySpec | InputError)
