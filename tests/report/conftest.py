"""The report tests' store: Examplia with its plans, plan ``reform`` with its roadmap, progress and
consultation rounds (see report_kit)."""

from __future__ import annotations

import pytest
from report_kit import store_examplia, store_reform


@pytest.fixture(scope="module")
def examplia(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The URL of a SQLite store holding Examplia and the report kit's plans."""
    url = f"sqlite:///{tmp_path_factory.mktemp('report') / 'report.db'}"
    store_examplia(url)
    store_reform(url)
    return url
