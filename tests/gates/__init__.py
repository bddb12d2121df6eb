"""Quality gates that only ever rise: per-document floors on the shared scorer's figures.

The corpus and the cases grew faster than the pipeline: a single gate for a whole folder would
either fail on the documents whose structure is not read yet or let a document that is read well
slip back unnoticed. So each folder has a JSON file of floors, one per scored document and figure,
at what that document has reached (less a small margin for the scorer's row alignment), plus
floors for the folder's born-digital totals. ``python tools/update_gates.py`` raises the floors
after an improvement; it never lowers one unless told to (``--allow-lower``, for a truth change).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Figures gated per document and for the folder's born-digital group.
FIGURES = ("tables_found", "cell_accuracy", "row_accuracy", "level_accuracy", "kind_accuracy",
           "meta_accuracy", "recall", "precision")
# Floors sit this far below what was measured, so that a change in the scorer's row alignment of
# one row in a small table does not fail CI; a real regression moves a figure by more.
MARGIN = 0.002


def score(scorer: Path, truth: Path, out: Path) -> tuple[dict, str]:
    """Run the shared scorer (``scorer``) on an output folder against ``truth``: its ``--json``
    report and its printed per-document summary. Raises AssertionError when the scorer fails."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "score.json"
        proc = subprocess.run([sys.executable, str(scorer), "--truth", str(truth), "--out", str(out),
                               "--json", str(report), "--per-doc"], capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stderr
        return json.loads(report.read_text(encoding="utf-8")), proc.stdout


def gates_file(folder: str) -> Path:
    return HERE / f"{folder}.json"


def load(folder: str) -> dict:
    path = gates_file(folder)
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {"group": {}, "documents": {}}


def measured(score: dict) -> dict:
    """The scorer's ``--json`` report → {"group": {figure: x}, "documents": {file: {figure: x}}}."""
    group = score["groups"].get("born-digital", {})
    docs = {}
    for doc in score["documents"]:
        if doc.get("scanned"):
            continue
        figures = doc.get("figures") or {}
        # A figure the scorer cannot compute (no truth error: recall; no error finding:
        # precision) is perfect by definition.
        docs[doc["file"]] = {k: 1.0 if figures.get(k) is None else figures[k] for k in FIGURES}
    return {"group": {k: 1.0 if group.get(k) is None else group[k] for k in FIGURES}, "documents": docs}


def shortfalls(floors: dict, now: dict) -> list[str]:
    """Every figure below its floor, as 'file: figure 0.912 < 0.950'."""
    out = []
    for key, floor in floors.get("group", {}).items():
        value = now["group"].get(key, 0.0)
        if value < floor:
            out.append(f"born-digital: {key} {value:.4f} < {floor:.4f}")
    for name, doc_floors in floors.get("documents", {}).items():
        doc = now["documents"].get(name)
        if doc is None:
            out.append(f"{name}: not scored")
            continue
        for key, floor in doc_floors.items():
            if doc.get(key, 0.0) < floor:
                out.append(f"{name}: {key} {doc.get(key, 0.0):.4f} < {floor:.4f}")
    return out


def raised(floors: dict, now: dict, allow_lower: bool = False) -> dict:
    """New floors: what was measured less ``MARGIN``, never below the old floor unless allowed."""

    def floor(old: float | None, value: float) -> float:
        new = max(0.0, round(value - MARGIN, 4)) if value < 1.0 else 1.0
        return new if allow_lower or old is None else max(old, new)

    group = {k: floor(floors.get("group", {}).get(k), v) for k, v in now["group"].items()}
    docs = {}
    for name, figures in sorted(now["documents"].items()):
        old = floors.get("documents", {}).get(name, {})
        docs[name] = {k: floor(old.get(k), v) for k, v in figures.items()}
    return {"group": group, "documents": docs}
