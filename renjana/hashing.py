"""The content hash of an input file, shared by extract (the document's ``source.sha256``) and the
batch (resume, name clashes), and the document id made from it: one definition, so all agree."""

from __future__ import annotations

import hashlib
from pathlib import Path, PurePath

# Read in blocks this large: a PDF of hundreds of MB is hashed in flat memory.
BLOCK_BYTES = 1 << 20


def file_sha256(path: str | Path) -> str:
    """The SHA-256 of the file at ``path``, as hex. Raises OSError when it cannot be read."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(BLOCK_BYTES), b""):
            digest.update(block)
    return digest.hexdigest()


# Characters of the sha256 in a document's id (and in its dataset parts' names).
DOCUMENT_SHA_CHARS = 12


# An output file's stem (from the PDF's name) is cut to this many UTF-8 bytes: a file name may
# hold 255 bytes, and the stem gets suffixes (``.tables.parquet``, ``-<sha12>.parquet``, a temporary
# file's ``.<name>.XXXXXXXX.tmp``).
MAX_STEM_BYTES = 150


def output_stem(stem: str, sha256: str) -> str:
    """``stem`` made to fit :data:`MAX_STEM_BYTES`: a longer one is cut (at a whole character)
    and ends in ``-<sha12>``, so two long names sharing their start still differ. The PDF's own
    name stays in the JSON (``source.file``) and the manifest."""
    data = stem.encode("utf-8")
    if len(data) <= MAX_STEM_BYTES:
        return stem
    mark = f"-{sha256[:DOCUMENT_SHA_CHARS]}" if sha256 else ""
    return data[: MAX_STEM_BYTES - len(mark)].decode("utf-8", errors="ignore").rstrip() + mark


def document_id(source_file: str, sha256: str, stem: str | None = None) -> str:
    """A document's key in an output folder: ``<stem>-<sha12>``, ``stem`` its JSON file's stem
    (default: the PDF's). A JSON the batch's output store renamed on a name clash is named
    ``<stem>-<sha12>`` already (see :mod:`renjana.manifest`): its stem is its id, the hash is
    never added twice."""
    name = stem or output_stem(PurePath(source_file).stem, sha256)
    mark = f"-{sha256[:DOCUMENT_SHA_CHARS]}"
    return name if sha256 and (name.endswith(mark) or f"{mark}-" in name) else f"{name}{mark}"
