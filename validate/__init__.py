"""Stage 3, validate: check the arithmetic the tables claim. Rules never change a value."""

from __future__ import annotations

from renjana.models import Finding, NormalizedDocument


def validate_document(doc: NormalizedDocument) -> list[Finding]:
    return []
