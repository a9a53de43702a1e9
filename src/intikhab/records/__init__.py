"""Election records, pure: the polling-station minute, the check catalogue applied to it, and
the double-entry state machine (docs/double-entry.md). No I/O here."""
