"""Interchange formats: parse and validate JSON documents into the core's dataclasses, and back."""
