"""The typed summary: attributes per family, the same flat JSON as the report always had."""

from __future__ import annotations

import json

from diagnose_kit import make, two_provinces

from reorg.diagnose import Summary, diagnose
from reorg.diagnose.summary import QuotaSummary


def test_the_summary_is_typed_and_reads_as_the_flat_mapping() -> None:
    """Attributes per family and the mapping read path give the same figures; to_dict is JSON."""
    app = make(two_provinces(), [("d1a", "land"), ("x1", "land"), ("c1", "civil")], people={"c1": 2})
    summary = diagnose(app).summary
    assert isinstance(summary, Summary)
    assert summary.responsibility.tasks_with_multiple_leads == summary["tasks_with_multiple_leads"] == 1
    assert summary.part(QuotaSummary).headcount == summary.quota.headcount == summary["headcount"] == 2
    assert summary.layers.spans.histogram == summary["spans"]["histogram"]  # type: ignore[index]
    assert summary.findings["multiple_leads"] == 1
    flat = summary.to_dict()
    assert list(flat)[:6] == ["dataset", "units", "tasks", "duties", "people", "units_per_level"]
    assert list(flat)[-3:] == ["findings", "findings_by_severity", "findings_reported"]
    assert dict(summary) == flat == json.loads(json.dumps(flat))
    assert summary.idle.idle_units == flat["idle_units"]
