"""Show what the scorer counts as wrong: cells and levels per truth table, side by side.

    python3 tools/score_diff.py --truth ../shared/corpus/truth --out OUT [--only NAME] [--levels] [--limit N]

Dev tool: reuses the corpus scorer's own row and column alignment so the list matches its figures.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path


def load_scorer(path: Path):
    spec = importlib.util.spec_from_file_location("renja_score", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["renja_score"] = module
    spec.loader.exec_module(module)
    return module


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--truth", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--scorer", type=Path, default=Path(__file__).resolve().parents[2] / "shared/tools/renja_score.py")
    ap.add_argument("--only", default="")
    ap.add_argument("--levels", action="store_true", help="list level mistakes instead of cells")
    ap.add_argument("--limit", type=int, default=60)
    args = ap.parse_args()
    rs = load_scorer(args.scorer)
    sim = rs.Similarity()
    kinds = Counter()
    for truth_path in sorted(args.truth.glob("*.json")):
        if args.only not in truth_path.name:
            continue
        truth = json.loads(truth_path.read_text())
        out_path = next((p for p in args.out.rglob("*.json")
                         if json.loads(p.read_text()).get("source", {}).get("file") == truth["file"]), None)
        if out_path is None:
            continue
        out = json.loads(out_path.read_text())
        tviews = [rs.table_view(t, k, "table_id") for k, t in enumerate(truth["tables"])]
        oviews = [rs.table_view(t, k) for k, t in enumerate(out["tables"])]
        shown = 0
        for ti, (oi, pairs) in rs.assign_tables(tviews, oviews, sim).items():
            tv, ov = tviews[ti], oviews[oi]
            colmap = rs.align_columns(tv, ov, pairs)
            for c, key in enumerate(tv.keys):
                if c not in colmap:
                    print(f"{truth['file']} {tv.id}: column {key} unmapped")
            matched = {i for i, _, _ in pairs}
            for i in range(len(tv.rows)):
                if i not in matched:
                    print(f"{truth['file']} {tv.id} row {i}: MISSED {tv.sigs[i][:100]!r}")
            for i, j, _ in pairs:
                if args.levels:
                    if tv.levels[i] != ov.levels[j]:
                        kinds[(tv.levels[i], ov.levels[j])] += 1
                        if shown < args.limit:
                            print(f"{truth['file'][:-4]} {tv.id} r{i}: truth {tv.levels[i]} out {ov.levels[j]} | {tv.sigs[i][:90]!r}")
                            shown += 1
                    continue
                for c, d in colmap.items():
                    if tv.rows[i][c] != ov.rows[j][d] and shown < args.limit:
                        print(f"{truth['file'][:-4]} {tv.id} r{i} {tv.keys[c]}: truth {tv.rows[i][c]!r} out {ov.rows[j][d]!r}")
                        shown += 1
    if kinds:
        print(kinds.most_common())


if __name__ == "__main__":
    main()
