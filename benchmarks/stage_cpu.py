#!/usr/bin/env python
"""CPU seconds of each stage of the whole job (``renjana run`` for a file), measured without a
profiler.

    python benchmarks/stage_cpu.py FILES...            # median of 3 runs after a warm-up run
    python benchmarks/stage_cpu.py --repeat 5 FILES...

cProfile charges a fixed cost to every Python call, so it inflates code made of many small
calls (a per-glyph loop, a generator) against compiled code (playa's interpreter, numpy): its
shares are no guide to where the CPU time goes. Here each stage's function is wrapped once and
timed with ``time.process_time`` around the whole call, which costs nothing per glyph.

Stages are inclusive and nested as printed (a stage's time includes the stages under it);
``group lines`` counts every call to :func:`extract.text_lines.group_lines` (page text, bands,
cells), wherever it is made, so it overlaps the page-table stages. "playa interpreter" is the
reader's page time less its own glyph and path loops.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

# (label, indent, module, function name): the function is looked up (and replaced by its timed
# wrapper) in that module, where the caller finds it. The same label may be patched in several
# modules (a function imported into each of them).
STAGES = [
    ("process_file", 0, "renjana.pipeline", "process_file"),
    ("extract_document", 1, "renjana.pipeline", "extract_document"),
    ("reader: page", 2, "renjana.extract.read_playa", "_read_page"),
    ("reader: glyph loop", 3, "renjana.extract.read_playa", "_glyphs"),
    ("reader: glyph loop", 3, "renjana.extract.read_playa", "_glyphs_generic"),
    ("reader: path loop", 3, "renjana.extract.read_playa", "_paths"),
    ("overprint check", 2, "renjana.extract", "dedupe_overprint"),
    ("page views", 2, "renjana.extract", "page_views"),
    ("page tables", 2, "renjana.extract", "_page_tables"),
    ("rules-only tables", 2, "renjana.extract", "_rules_only_tables"),
    ("group lines (all)", 2, "renjana.extract", "group_lines"),
    ("group lines (all)", 2, "renjana.extract.grid", "group_lines"),
    ("normalize_document", 1, "renjana.pipeline", "normalize_document"),
    ("validate_document", 1, "renjana.pipeline", "validate_document"),
    ("write_all", 0, "renjana.emit", "write_all"),
]


def _patch(totals: dict[str, float]) -> None:
    import importlib

    depth: dict[str, int] = defaultdict(int)  # a recursive or re-entered stage is timed once

    for label, _, module_name, name in STAGES:
        module = importlib.import_module(module_name)
        original = getattr(module, name)

        def timed(*args, _original=original, _label=label, **kwargs):
            depth[_label] += 1
            start = time.process_time()
            try:
                return _original(*args, **kwargs)
            finally:
                depth[_label] -= 1
                if not depth[_label]:
                    totals[_label] += time.process_time() - start

        setattr(module, name, timed)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs after one warm-up run (median shown)")
    args = parser.parse_args(argv)

    totals: dict[str, float] = defaultdict(float)
    _patch(totals)
    from renjana import emit, pipeline

    out = Path(tempfile.mkdtemp(prefix="stage-cpu-"))
    runs: list[dict[str, float]] = []
    wall: list[float] = []
    for run in range(args.repeat + 1):
        totals.clear()
        start = time.process_time()
        for path in args.files:
            emit.write_all(pipeline.process_file(path), out)
        if run:  # the first run warms imports and caches
            wall.append(time.process_time() - start)
            runs.append(dict(totals))

    whole = statistics.median(wall)
    print(f"{len(args.files)} files, median of {args.repeat} runs, CPU seconds (process_time)")
    print(f"{'whole job':34s} {whole:7.3f}  100%")
    shown = set()
    for label, indent, _, _ in STAGES:
        if label in shown:
            continue
        shown.add(label)
        value = statistics.median(r.get(label, 0.0) for r in runs)
        print(f"{'  ' * indent + label:34s} {value:7.3f}  {100 * value / whole:3.0f}%")
    page = statistics.median(r.get("reader: page", 0.0) - r.get("reader: glyph loop", 0.0)
                             - r.get("reader: path loop", 0.0) for r in runs)
    print(f"{'      playa interpreter (rest)':34s} {page:7.3f}  {100 * page / whole:3.0f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
