"""Spans of control: intermediaries, and spans too narrow or too wide.

A unit's direct subordinates come in two kinds, judged apart: territorial units (a province's districts)
and agencies (its departments); a province with 18 departments and 11 districts oversees two different
things, neither of which is 29 wide. Units of attached levels (a commune's Party committee, placed under
the commune for its territory, not directed by it) are neither. Where no level below the root is
territorial, every subordinate is simply a subordinate unit.

An intermediary passes everything to one unit: it has a single subordinate, or its territory is a single
territorial unit (a district with one commune, beside its offices). A chain of intermediaries is one
finding. A count from 2 up to the level's narrow limit is narrow (1 is an intermediary); above its wide
limit, wide.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from reorg.diagnose.common import HIGH, LOW, MEDIUM, SEVERITY_NAMES, unit_ids, unit_label
from reorg.diagnose.config import DiagnosisConfig
from reorg.diagnose.findings import SPAN_WORDS, Batch, batch, make_finding, select
from reorg.model import Apparatus

__all__ = ["spans", "subordinates"]

IntArray = npt.NDArray[np.int64]


def _directed(app: Apparatus) -> IntArray:
    """The units that have a parent and are directed by it (not attached)."""
    return np.flatnonzero((app.units.parent >= 0) & ~app.is_attached)


def subordinates(app: Apparatus) -> tuple[IntArray, IntArray]:
    """Per unit, its direct territorial subordinates and its direct other subordinates (agencies).
    Units of attached levels (placed under a unit for its territory, not directed by it) are neither."""
    n = len(app.units)
    kids = _directed(app)
    up = app.units.parent[kids]
    terr = app.is_territorial[kids]
    return (
        np.bincount(up[terr], minlength=n).astype(np.int64),
        np.bincount(up[~terr], minlength=n).astype(np.int64),
    )


def spans(app: Apparatus, config: DiagnosisConfig) -> tuple[list[Batch], None]:
    """``intermediary``, ``narrow_span`` and ``wide_span`` findings."""
    terr, agency = subordinates(app)
    batches = [_intermediary(app, config, terr, agency), *_narrow_wide(app, config, terr, agency)]
    return batches, None


def _links(app: Apparatus, terr: IntArray, agency: IntArray) -> IntArray:
    """Per unit, the one unit it passes everything to (-1 when it is no intermediary)."""
    n = len(app.units)
    kids = _directed(app)
    up = app.units.parent[kids]
    link = np.full(n, -1, dtype=np.int64)
    only_child = (terr + agency)[up] == 1
    link[up[only_child]] = kids[only_child]
    only_territory = app.is_territorial[kids] & (terr[up] == 1) & ~only_child
    link[up[only_territory]] = kids[only_territory]
    link[app.depth < 0] = -1
    return link


def _intermediary(app: Apparatus, config: DiagnosisConfig, terr: IntArray, agency: IntArray) -> Batch:
    """One finding per maximal chain of intermediaries."""
    link = _links(app, terr, agency)
    is_link = link >= 0
    parent = app.units.parent
    fed = np.zeros(len(link), dtype=bool)  # reached from an intermediary above
    fed[link[is_link]] = True
    heads = np.flatnonzero(is_link & ~(fed & np.where(parent >= 0, is_link[np.maximum(parent, 0)], False)))
    chain_of, members = [], []
    cur, idx = heads, np.arange(len(heads))
    while len(cur):
        chain_of.append(idx)
        members.append(cur)
        nxt = link[cur]
        go = is_link[nxt]
        cur, idx = nxt[go], idx[go]
    chain = np.concatenate(chain_of) if chain_of else np.zeros(0, np.int64)
    unit = np.concatenate(members) if members else np.zeros(0, np.int64)
    links = np.bincount(chain, minlength=len(heads))
    severity = np.where(links >= 2, HIGH, MEDIUM).astype(np.int8)
    by_chain = np.argsort(chain, kind="stable")
    bounds = np.concatenate([[0], np.cumsum(links)])
    findings = []
    for i in select(severity, links.astype(np.float64), config.max_findings_per_kind).tolist():
        rows = unit[by_chain[bounds[i] : bounds[i + 1]]]
        head, below = int(rows[0]), int(link[rows[-1]])
        if links[i] > 1:
            template = "intermediary.chain"
        else:
            template = "intermediary.one" if terr[head] + agency[head] == 1 else "intermediary.territory"
        findings.append(
            make_finding(
                "intermediary",
                SEVERITY_NAMES[severity[i]],
                float(links[i]),
                units=unit_ids(app, rows, config.max_ids_per_finding),
                evidence={"links": int(links[i]), "agencies": int(agency[head])},
                template=template,
                params={
                    "name": unit_label(app, head),
                    "child": unit_label(app, below),
                    "links": int(links[i]),
                    "agencies": int(agency[head]),
                    "names": " → ".join(unit_label(app, int(r)) for r in [*rows.tolist(), below]),
                },
            )
        )
    return batch("intermediary", severity, findings)


def _narrow_wide(app: Apparatus, config: DiagnosisConfig, terr: IntArray, agency: IntArray) -> list[Batch]:
    """Counts of either kind outside their level's limits; one finding per unit, on the worse kind."""
    limits = np.array([config.spans(str(name)) for name in app.levels.name.tolist()], dtype=np.int64)
    limits = limits.reshape(-1, 2)[app.units.level]
    reachable = app.depth >= 0
    words = SPAN_WORDS["agencies" if app.is_territorial[app.units.parent >= 0].any() else "units"]
    counts = np.stack([terr, agency], axis=1).astype(np.float64)
    out = []
    for kind in ("narrow_span", "wide_span"):
        if kind == "narrow_span":
            limit = limits[:, 0]
            bad = (counts >= 2) & (counts < limit[:, None])
            badness = np.where(bad, (limit[:, None] - counts) / limit[:, None], -1.0)
        else:
            limit = limits[:, 1]
            badness = np.where(counts > limit[:, None], counts / limit[:, None], -1.0)
        which = np.argmax(badness, axis=1)
        score = badness[np.arange(len(which)), which]
        rows = np.flatnonzero(reachable & (score > 0))
        count = counts[rows, which[rows]]
        if kind == "narrow_span":
            severity = np.full(len(rows), LOW, dtype=np.int8)
        else:
            severity = np.where(count > 2 * limit[rows], MEDIUM, LOW).astype(np.int8)
        findings = []
        for i in select(severity, score[rows], config.max_findings_per_kind).tolist():
            r = int(rows[i])
            findings.append(
                make_finding(
                    kind,
                    SEVERITY_NAMES[severity[i]],
                    float(score[r]),
                    units=(str(app.units.id[r]),),
                    evidence={
                        "span": int(count[i]),
                        "territorial_span": int(terr[r]),
                        "agency_span": int(agency[r]),
                        "limit": int(limit[r]),
                    },
                    template=f"{kind}.{'territorial' if which[r] == 0 else 'agencies'}",
                    params={
                        "name": unit_label(app, r),
                        "level": str(app.levels.name[app.units.level[r]]),
                        "span": int(count[i]),
                        "limit": int(limit[r]),
                        "agencies": words,
                    },
                )
            )
        out.append(batch(kind, severity, findings))
    return out
