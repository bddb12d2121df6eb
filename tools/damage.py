"""Seeded damaged copies of a PDF, the way downloads and disks damage files.

    python tools/damage.py PDF... -n 300 --seed 1 -o DIR   # n copies spread over the PDFs

Kinds (one per copy, chosen by the seeded generator): ``truncate`` (the file cut at a random
point), ``flip`` (1-8 random bytes changed), ``zero`` (a block of 16-4096 bytes zeroed),
``drop`` (a block removed: every later offset is wrong), ``dup`` (a block repeated), ``xref``
(digits of the cross-reference table changed), ``stream`` (bytes flipped inside a stream's data),
``object`` (1-4 bytes changed in an object's own syntax, outside stream data: a page or font
dictionary garbled, a key renamed, a reference broken).
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

KINDS = ("truncate", "flip", "zero", "drop", "dup", "xref", "stream", "object")


def damage(data: bytes, rng: random.Random, kind: str) -> bytes:
    """One damaged copy of ``data`` (``kind`` from :data:`KINDS`)."""
    buf = bytearray(data)
    n = len(buf)
    if kind == "truncate":
        return bytes(buf[: rng.randrange(1, n)])
    if kind == "flip":
        for _ in range(rng.randint(1, 8)):
            buf[rng.randrange(n)] = rng.randrange(256)
        return bytes(buf)
    start = rng.randrange(n)
    size = rng.randint(16, 4096)
    if kind == "zero":
        buf[start:start + size] = bytes(len(buf[start:start + size]))
        return bytes(buf)
    if kind == "drop":
        del buf[start:start + size]
        return bytes(buf)
    if kind == "dup":
        return bytes(buf[:start + size] + buf[start:start + size] + buf[start + size:])
    if kind == "xref":
        at = data.rfind(b"xref")
        if at < 0:
            return damage(data, rng, "flip")
        digits = [i for i in range(at, min(n, at + 2000)) if 48 <= buf[i] <= 57]
        for i in rng.sample(digits, min(len(digits), rng.randint(1, 6))):
            buf[i] = 48 + rng.randrange(10)
        return bytes(buf)
    if kind == "stream":
        spans = [(m.end(), data.find(b"endstream", m.end())) for m in re.finditer(rb"stream\r?\n", data)]
        return _flip_inside(data, [(a, b) for a, b in spans if b > a + 8], rng)
    if kind == "object":
        # Object syntax: from "N 0 obj" to "stream" or "endobj", whichever comes first.
        spans = []
        for m in re.finditer(rb"\d+ \d+ obj\b", data):
            ends = [e for e in (data.find(b"stream", m.end()), data.find(b"endobj", m.end())) if e > 0]
            if ends:
                spans.append((m.end(), min(ends)))
        return _flip_inside(data, [(a, b) for a, b in spans if b > a + 4], rng)
    raise ValueError(f"unknown kind {kind}")


def _flip_inside(data: bytes, spans: list[tuple[int, int]], rng: random.Random) -> bytes:
    """1-4 bytes of one of ``spans`` (start, end offsets) changed; a plain ``flip`` without spans."""
    if not spans:
        return damage(data, rng, "flip")
    buf = bytearray(data)
    a, b = rng.choice(spans)
    for _ in range(rng.randint(1, 4)):
        buf[rng.randrange(a, b)] = rng.randrange(256)
    return bytes(buf)


def damaged_copies(sources: list[Path], n: int, seed: int, out: Path) -> list[tuple[Path, Path, str]]:
    """Write ``n`` damaged copies spread over ``sources`` into ``out``: (copy, source, kind)."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    made = []
    for i in range(n):
        source = sources[i % len(sources)]
        kind = rng.choice(KINDS)
        target = out / f"{i:04d}-{kind}-{source.stem}.pdf"
        target.write_bytes(damage(source.read_bytes(), rng, kind))
        made.append((target, source, kind))
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pdfs", nargs="+", type=Path)
    parser.add_argument("-n", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--out", type=Path, required=True)
    args = parser.parse_args()
    for copy, source, kind in damaged_copies(args.pdfs, args.n, args.seed, args.out):
        print(f"{copy}\t{source}\t{kind}")


if __name__ == "__main__":
    main()
