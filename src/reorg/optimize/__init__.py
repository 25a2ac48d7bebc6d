"""optimize (see docs/architecture.md)."""
