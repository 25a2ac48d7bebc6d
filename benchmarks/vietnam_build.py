"""How long building ``vietnam-2024`` and applying ``enacted-2025`` take, at a few staff scales.

Each scale runs in a fresh process so that the first build pays for reading the package data once
(``territory`` and ``structure`` are cached per process). Figures: seconds to build, people and results
built, peak memory (MB), seconds to build the plan and to apply it. The anchor is the staff-less build
(the same structure, no people): building staff should add little on top of it.

Run: .venv/bin/python benchmarks/vietnam_build.py [--scales 0.02,0.2,1.0] [--apply-max 0.2]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

_CHILD = """
import json, resource, sys, time
scale, do_apply = float(sys.argv[1]), sys.argv[2] == "1"
t = time.perf_counter()
from reorg.datasets.vietnam import structure, territory
territory.load(); structure.load()
anchor = time.perf_counter() - t
from reorg.datasets import vietnam
t = time.perf_counter()
app = vietnam.build(scale=scale)
build = time.perf_counter() - t
out = {"scale": scale, "anchor_s": anchor, "staff_s": build, "people": len(app.people),
       "results": len(app.results)}
if do_apply:
    from reorg.plan.apply import apply
    t = time.perf_counter(); plan = vietnam.enacted_plan(app); out["plan_s"] = time.perf_counter() - t
    t = time.perf_counter(); after = apply(app, plan); out["apply_s"] = time.perf_counter() - t
    out["after"] = after.units_per_level()
out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="0.02,0.2,1.0")
    parser.add_argument("--apply-max", type=float, default=0.2, help="apply the plan up to this scale")
    args = parser.parse_args()
    for scale in (float(s) for s in args.scales.split(",")):
        started = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-c", _CHILD, str(scale), "1" if scale <= args.apply_max else "0"],
            capture_output=True,
            text=True,
            check=True,
        )
        r = json.loads(proc.stdout)
        total = time.perf_counter() - started
        line = (
            f"scale {scale:g}: structure (anchor) {r['anchor_s']:.2f} s, + staff {r['staff_s']:.2f} s "
            f"({r['people']:,} people, {r['results']:,} results), "
            f"process {total:.1f} s, peak {r['peak_mb']:,.0f} MB"
        )
        if "apply_s" in r:
            line += f"; plan {r['plan_s']:.2f} s, apply {r['apply_s']:.1f} s -> {r['after']}"
        print(line, flush=True)


if __name__ == "__main__":
    main()
