"""Number cells of OCR'd documents against the truth, by column type (money, percent, qty, int).

The scorer (``../shared/tools/renja_score.py``) counts all cells together; OCR's promise is
about numbers, so this script reuses the scorer's own table and row alignment and counts, for
each truth column of a number type, the non-empty truth cells the output prints exactly::

    python benchmarks/ocr_numbers.py --truth ../shared/corpus/truth --out OUT [--only scan]

Prints one line per document and a total per column type; lists the wrong cells with ``-v``.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from collections import Counter
from pathlib import Path

NUMBER_TYPES = ("money", "percent", "qty", "int")


def _scorer(path: Path):
    spec = importlib.util.spec_from_file_location("renja_score", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["renja_score"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def main() -> int:
    here = Path(__file__).resolve().parents[1]
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--truth", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--scorer", type=Path, default=here.parent / "shared" / "tools" / "renja_score.py")
    ap.add_argument("--only", default="", help="score only truth files whose name holds this text")
    ap.add_argument("-v", "--verbose", action="store_true", help="list the wrong number cells")
    args = ap.parse_args()
    rs = _scorer(args.scorer)
    truths = [t for t in rs.load_truth(args.truth) if args.only in t["file"]]
    picked, _ = rs.match_outputs(truths, rs.load_outputs(args.out))
    sim = rs.Similarity()
    total_right, total_all = Counter(), Counter()
    for truth, output in zip(truths, picked):
        right, alls = Counter(), Counter()
        tviews = [rs.table_view(t, k, "table_id") for k, t in enumerate(truth["tables"])]
        oviews = [rs.table_view(t, k) for k, t in enumerate(output[1]["tables"])] if output else []
        for ti, (oi, pairs) in rs.assign_tables(tviews, oviews, sim).items():
            colmap = rs.align_columns(tviews[ti], oviews[oi], pairs)
            types = [c.get("type") for c in truth["tables"][ti]["columns"]]
            matched = {i: j for i, j, _ in pairs}
            for i, row in enumerate(tviews[ti].rows):
                for c, kind in enumerate(types):
                    if kind not in NUMBER_TYPES or not row[c]:
                        continue
                    alls[kind] += 1
                    j, d = matched.get(i), colmap.get(c)
                    got = oviews[oi].rows[j][d] if j is not None and d is not None else None
                    if got == row[c]:
                        right[kind] += 1
                    elif args.verbose:
                        print(f"  {truth['file']} r{i} {tviews[ti].keys[c]}: truth {row[c]!r} out {got!r}")
        # Truth tables with no output table count as all wrong.
        for ti, tv in enumerate(tviews):
            if any(ti == k for k in rs.assign_tables(tviews, oviews, sim)):
                continue
        total_right += right
        total_all += alls
        figures = "  ".join(f"{k} {right[k]}/{alls[k]}" for k in NUMBER_TYPES if alls[k])
        print(f"{truth['file']:<48} {figures}")
    print("total: " + "  ".join(f"{k} {total_right[k]}/{total_all[k]} ({total_right[k] / total_all[k]:.2%})"
                                for k in NUMBER_TYPES if total_all[k]))
    n_right, n_all = sum(total_right.values()), sum(total_all.values())
    print(f"number cells: {n_right}/{n_all} ({n_right / max(1, n_all):.2%})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
