"""Raise the quality gates of a folder to what an output folder now scores.

    python3 tools/update_gates.py corpus --out OUT [--allow-lower]
    python3 tools/update_gates.py cases --out OUT

Scores OUT against ``../shared/<folder>/truth`` with the shared scorer and writes
``tests/gates/<folder>.json``. Floors only rise unless ``--allow-lower`` is given (say why in the
commit: a truth file changed, a document was replaced).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests import gates  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", choices=["corpus", "cases"])
    ap.add_argument("--out", type=Path, required=True, help="output folder of a renjana run over the folder's PDFs")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--allow-lower", action="store_true")
    args = ap.parse_args()
    report, _ = gates.score(args.shared / "tools" / "renja_score.py", args.shared / args.folder / "truth", args.out)
    now = gates.measured(report)
    old = gates.load(args.folder)
    new = gates.raised(old, now, allow_lower=args.allow_lower)
    for name, figures in new["documents"].items():
        before = old.get("documents", {}).get(name, {})
        changed = {k: f"{before.get(k)} → {v}" for k, v in figures.items() if before.get(k) != v}
        if changed:
            print(f"{name}: {changed}")
    gates.gates_file(args.folder).write_text(json.dumps(new, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {gates.gates_file(args.folder)}")


if __name__ == "__main__":
    main()
