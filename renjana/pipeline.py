"""One PDF through every stage: extract → normalize → validate. No I/O besides reading the PDF."""

from __future__ import annotations

from pathlib import Path

from renjana.extract import extract_document
from renjana.models import DocumentResult
from renjana.normalize import normalize_document
from renjana.validate import validate_document


def process_file(path: str | Path) -> DocumentResult:
    # The extracted document (every cell's text lines and glyph edges: about half a MiB a page)
    # is needed by normalize only: passed without a name, it is freed as soon as normalize
    # returns, so validate and the writer that follows never hold it beside the result.
    normalized = normalize_document(extract_document(path))
    findings = validate_document(normalized)
    return DocumentResult(**dict(normalized), findings=findings)
