"""The report: ranking, caps with exact counts, JSON form, explanations from templates."""

from __future__ import annotations

import json

from diagnose_kit import make, run, two_provinces

from reorg.datasets.planted import planted
from reorg.diagnose import KINDS, SEVERITIES, TEMPLATES, DiagnosisConfig, explain


def test_findings_are_ranked_by_severity_then_score() -> None:
    """High before medium before low; within a severity, larger scores first."""
    app, _ = planted(3)
    findings = run(app).findings
    keys = [(SEVERITIES.index(f.severity), -f.score) for f in findings]
    assert keys == sorted(keys)
    assert {f.severity for f in findings} == set(SEVERITIES)


def test_the_cap_per_kind_keeps_exact_counts_in_the_summary() -> None:
    """Three gaps, one reported: the summary still counts three."""
    duties = [("c1", "a"), ("c1", "b"), ("c1", "c")]
    report = run(make(two_provinces(), duties), DiagnosisConfig(max_findings_per_kind=1))
    assert len(report.by_kind("no_lead")) == 1
    counts = report.summary["findings"]
    assert isinstance(counts, dict)
    assert counts["no_lead"] == 3
    assert list(counts) == list(KINDS)


def test_the_json_form_has_the_documented_fields() -> None:
    """to_dict gives summary and findings with kind, severity, units, tasks, evidence, explanation."""
    app, _ = planted(1)
    data = json.loads(json.dumps(run(app).to_dict()))
    assert set(data) == {"summary", "findings"}
    for f in data["findings"]:
        assert {"kind", "severity", "units", "tasks", "evidence", "explanation"} <= set(f)
        assert f["kind"] in KINDS
    summary = data["summary"]
    assert {"units_per_level", "layers", "spans", "duplication_index", "unclear_responsibility_index"} <= set(
        summary
    )
    assert {"headcount", "quota"} <= set(summary)


def test_explanations_are_rendered_from_their_template_and_params() -> None:
    """Each finding keeps its template key and parameters, and they render its explanation."""
    app, _ = planted(2)
    for f in run(app).findings:
        assert f.template in TEMPLATES
        assert explain(f.template, f.params) == f.explanation


def test_the_same_input_gives_the_same_report() -> None:
    """Diagnosis is deterministic."""
    app, _ = planted(5)
    assert run(app).to_dict() == run(app).to_dict()
