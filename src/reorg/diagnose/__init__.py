"""diagnose (see docs/architecture.md)."""
