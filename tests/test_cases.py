"""The whole pipeline over ../shared/cases (one small PDF per way a table can be drawn), scored by
the shared scorer and held to per-case floors (tests/gates/cases.json).

No case table has an arithmetic error, so an ``error`` finding on a case is a false alarm.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import gates
from renjana.emit import write_json
from renjana.pipeline import process_file

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
PDFS = SHARED / "cases" / "pdf"
TRUTH = SHARED / "cases" / "truth"
SCORER = SHARED / "tools" / "renja_score.py"

pytestmark = pytest.mark.skipif(
    not (PDFS.is_dir() and TRUTH.is_dir() and SCORER.is_file()),
    reason=f"shared cases not found at {SHARED} (needs cases/pdf, cases/truth and tools/renja_score.py)")


@pytest.fixture(scope="module")
def cases_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("cases-out")
    for pdf in sorted(PDFS.glob("*.pdf")):
        write_json(process_file(pdf), out)
    score, summary = gates.score(SCORER, TRUTH, out)
    print(summary)
    return score, summary

def test_every_case_holds_its_gates(cases_run):
    score, summary = cases_run
    low = gates.shortfalls(gates.load("cases"), gates.measured(score))
    assert not low, "below the gates:\n" + "\n".join(low) + "\n" + summary


def test_every_case_was_scored(cases_run):
    score, _ = cases_run
    assert all(doc["output"] is not None for doc in score["documents"])
    assert not score["unmatched_outputs"]
