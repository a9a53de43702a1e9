"""Formats the system reads and writes: documents (the official minutes and records as PDF)."""
