"""One PDF through every stage: extract → normalize → validate. No I/O besides reading the PDF."""

from __future__ import annotations

from pathlib import Path

from renjana.extract import extract_document
from renjana.models import DocumentResult
from renjana.normalize import normalize_document
from renjana.validate import validate_document


def process_file(path: str | Path) -> DocumentResult:
    extracted = extract_document(path)
    normalized = normalize_document(extracted)
    findings = validate_document(normalized)
    return DocumentResult(**dict(normalized), findings=findings)
