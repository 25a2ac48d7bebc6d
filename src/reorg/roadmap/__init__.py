"""Roadmaps: a plan laid out in time (steps, dependencies, critical path), checked for continuity at
every step boundary, and followed by progress reports (monitoring). Pure core, like ``reorg.plan``."""

from reorg.roadmap.continuity import Break, Continuity, Fix, apparatus_at, check_continuity
from reorg.roadmap.derive import DURATIONS, Dependency, build, dependencies
from reorg.roadmap.schedule import Milestone, Schedule, schedule
from reorg.roadmap.steps import Roadmap, Step
from reorg.roadmap.streams import Stream, streams

__all__ = [
    "DURATIONS",
    "Break",
    "Continuity",
    "Dependency",
    "Fix",
    "Milestone",
    "Roadmap",
    "Schedule",
    "Step",
    "Stream",
    "apparatus_at",
    "build",
    "check_continuity",
    "dependencies",
    "schedule",
    "streams",
]
