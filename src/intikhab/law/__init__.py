"""The pure core: the law as plain functions over frozen dataclasses. No I/O here."""
