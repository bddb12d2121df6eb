#!/usr/bin/env python
"""Do two PDF readers give extract the same page? Their pages and extracted documents compared.

    python3 benchmarks/compare_readers.py                       # corpus (born-digital) and cases, pdfplumber vs playa
    python3 benchmarks/compare_readers.py --readers playa,pdfplumber a.pdf folder/
    python3 benchmarks/compare_readers.py --tolerance 0 FILES   # exact: every float to the last bit

For every PDF, both readers (``extract.reader.READERS``) read every page, and the two
:class:`~extract.reader.PageContent` are compared field by field: page size, the glyphs (same
count, text, font name, upright; boxes, size and matrix within ``--tolerance`` points), the rule
segments and fills (as sorted lists, within the tolerance), images, the image share, the flag of
fonts without a Unicode map and the count of unmapped glyphs (where both readers count them).
Then ``extract_document`` runs with each reader (OCR off: a scan's OCR does not depend on the
reader) and the two documents are compared as JSON, floats within the tolerance.

Each file prints ``same`` or the first difference found. Exit status 1 when a file differs.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

CORPUS = Path("/work/shared/corpus/pdf")
CASES = Path("/work/shared/cases/pdf")
SKIP_MARK = "scan"  # image-only PDFs: no text layer for a reader to read
DEFAULT_TOLERANCE = 1e-6  # points: pdfminer's and playa's arithmetic may differ in the last bits


def pdf_files(args: list[str]) -> list[Path]:
    if not args:
        return [p for folder in (CORPUS, CASES) for p in sorted(folder.glob("*.pdf")) if SKIP_MARK not in p.name]
    found: list[Path] = []
    for arg in map(Path, args):
        if not arg.exists():
            sys.exit(f"no such file or folder: {arg}")
        found.extend(sorted(arg.glob("*.pdf")) if arg.is_dir() else [arg])
    return found


def first_difference(a, b, tolerance: float, where: str = "") -> str | None:
    """Where two nested values (dicts, lists, tuples, numbers, strings) first differ, or None.
    Floats count as the same within ``tolerance`` (0: the same bits, the sign of zero too)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return None if a == b else f"{where}: {a!r} != {b!r}"
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if tolerance == 0:
            same = a == b and math.copysign(1, a) == math.copysign(1, b)
        else:
            same = abs(a - b) <= tolerance
        return None if same else f"{where}: {a!r} != {b!r}"
    if isinstance(a, dict) and isinstance(b, dict):
        if a.keys() != b.keys():
            return f"{where}: keys {sorted(a.keys() ^ b.keys())} in one only"
        for key in a:
            found = first_difference(a[key], b[key], tolerance, f"{where}.{key}")
            if found:
                return found
        return None
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        if len(a) != len(b):
            return f"{where}: {len(a)} items != {len(b)}"
        for i, (x, y) in enumerate(zip(a, b)):
            found = first_difference(x, y, tolerance, f"{where}[{i}]")
            if found:
                return found
        return None
    return None if a == b else f"{where}: {a!r} != {b!r}"


GLYPH_KEYS = ("text", "x0", "x1", "top", "bottom", "size", "fontname", "upright", "matrix")


def page_view(page) -> dict:
    """A reader's page as plain values (glyph dicts cut to the interface's keys; segments and
    fills sorted, since readers may list them in another order)."""
    graphics = page.graphics
    return {
        "number": page.number, "width": page.width, "height": page.height,
        "glyphs": [{k: (bool(g[k]) if k == "upright" else g[k]) for k in GLYPH_KEYS if k in g} for g in page.glyphs],
        "segments": sorted((s.orientation, s.pos, s.start, s.end) for s in graphics.segments),
        "fills": sorted(((f.x0, f.top, f.x1, f.bottom), f.color or ()) for f in graphics.fills),
        "has_images": page.has_images, "image_share": page.image_share, "unmapped_fonts": page.unmapped_fonts,
    }


def compare_pages(path: Path, readers: tuple[str, str], tolerance: float) -> str | None:
    from renjana.extract.reader import open_reader
    from renjana.extract.textlayer import _unmapped_pdfplumber

    with open_reader(path, readers[0]) as first, open_reader(path, readers[1]) as second:
        if first.page_count != second.page_count:
            return f"pages: {first.page_count} != {second.page_count}"
        for a, b in zip(first.pages(), second.pages()):
            counts = [p.unmapped_glyphs if p.unmapped_glyphs is not None else _unmapped_pdfplumber(p.glyphs)
                      for p in (a, b)]
            if counts[0] != counts[1]:
                return f"page {a.number}: unmapped glyphs {counts[0]} != {counts[1]}"
            found = first_difference(page_view(a), page_view(b), tolerance, f"page {a.number}")
            if found:
                return found
    return None


def compare_documents(path: Path, readers: tuple[str, str], tolerance: float) -> str | None:
    from renjana.extract import extract_document

    docs = [extract_document(path, reader=name, ocr=False).model_dump(mode="json") for name in readers]
    return first_difference(docs[0], docs[1], tolerance, "document")


def _failure(path: Path, reader: str) -> str | None:
    """Why ``reader`` cannot read ``path`` (the error's type), or None when it reads it."""
    from renjana.extract import extract_document

    try:
        extract_document(path, reader=reader, ocr=False)
    except Exception as exc:  # noqa: BLE001 - a broken file: what matters is whether both fail
        return type(exc).__name__
    return None


def _compared(path: Path, readers: tuple[str, str], tolerance: float) -> str | None:
    """The first difference of the two readers on ``path``; a file both readers refuse is the
    same (with the same error type), one that only one refuses differs."""
    failures = [_failure(path, name) for name in readers]
    if any(failures):
        return None if failures[0] == failures[1] else f"errors: {failures[0]} != {failures[1]}"
    return compare_pages(path, readers, tolerance) or compare_documents(path, readers, tolerance)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pdfs", nargs="*", help="PDFs or folders (default: the born-digital corpus and the cases)")
    parser.add_argument("--readers", default="pdfplumber,playa", help="the two readers compared")
    parser.add_argument("--tolerance", type=float, default=DEFAULT_TOLERANCE,
                        help=f"points two floats may differ by (default {DEFAULT_TOLERANCE}; 0: exact)")
    args = parser.parse_args(argv)
    readers = tuple(n.strip() for n in args.readers.split(","))
    if len(readers) != 2:
        sys.exit("--readers takes two reader names")
    differing = 0
    files = pdf_files(args.pdfs)
    for path in files:
        found = _compared(path, readers, args.tolerance)
        differing += found is not None
        print(f"{path.name}: {'same' if found is None else found}", flush=True)
    print(f"{len(files) - differing} of {len(files)} files the same ({readers[0]} vs {readers[1]}, "
          f"tolerance {args.tolerance:g} pt)")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
