"""Diagnosis: find what makes an apparatus cumbersome.

``diagnose(app, config)`` returns a ``Report``: ranked findings (duplicated or missing leads, overlapping
portfolios, layers and spans, standards and quota, staffing outliers, idle units, decentralisation
mismatches) and the typed ``Summary`` of metrics. docs/diagnosis.md describes each kind and its
thresholds.
"""

from reorg.diagnose.config import DiagnosisConfig
from reorg.diagnose.diagnosis import FAMILIES, diagnose
from reorg.diagnose.findings import KINDS, SEVERITIES, TEMPLATES, Finding, Report, explain
from reorg.diagnose.summary import Summary

__all__ = [
    "FAMILIES",
    "KINDS",
    "SEVERITIES",
    "TEMPLATES",
    "DiagnosisConfig",
    "Finding",
    "Report",
    "Summary",
    "diagnose",
    "explain",
]
