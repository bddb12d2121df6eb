"""The content hash of an input file, shared by extract (the document's ``source.sha256``) and the
batch (resume, name clashes): one definition, so the two always agree."""

from __future__ import annotations

import hashlib
from pathlib import Path

# Read in blocks this large: a PDF of hundreds of MB is hashed in flat memory.
BLOCK_BYTES = 1 << 20


def file_sha256(path: str | Path) -> str:
    """The SHA-256 of the file at ``path``, as hex. Raises OSError when it cannot be read."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(BLOCK_BYTES), b""):
            digest.update(block)
    return digest.hexdigest()
