"""The whole pipeline over the shared corpus, scored by the corpus's own scorer.

Born-digital PDFs must reach the quality gates; scanned (image-only) PDFs are read by OCR when
Tesseract is installed (and held to their gates too), else come out with a "needs OCR" note and
no crash. The PDFs are processed two at a time (the machine's two cores). Which PDF is scanned is read from its truth file's ``style.scan``,
the same field the scorer groups by. Takes about half a minute.
"""

from __future__ import annotations

import json
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

import gates
from renjana.emit import write_json
from renjana.extract.ocr import ocr_missing
from renjana.pipeline import process_file

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
PDFS = SHARED / "corpus" / "pdf"
TRUTH = SHARED / "corpus" / "truth"
SCORER = SHARED / "tools" / "renja_score.py"


pytestmark = pytest.mark.skipif(
    not (PDFS.is_dir() and TRUTH.is_dir() and SCORER.is_file()),
    reason=f"shared corpus not found at {SHARED} (needs corpus/pdf, corpus/truth and tools/renja_score.py)")


def _scanned() -> dict[str, bool]:
    """PDF file name → scanned, from the truth files."""
    out = {}
    for path in sorted(TRUTH.glob("*.json")):
        truth = json.loads(path.read_text(encoding="utf-8"))
        out[truth["file"]] = bool((truth.get("style") or {}).get("scan"))
    return out


def _show(request, text: str) -> None:
    """Write to the terminal even when pytest captures output, so CI logs keep the scores."""
    capture = request.config.pluginmanager.getplugin("capturemanager")
    if capture is None:
        print(text)
        return
    with capture.global_and_fixture_disabled():
        print("\n" + text.rstrip(), flush=True)


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory, request):
    out = tmp_path_factory.mktemp("corpus-out")
    scanned = _scanned()
    results = {}
    pdfs = sorted(PDFS.glob("*.pdf"))
    with ProcessPoolExecutor(max_workers=2) as pool:
        for pdf, result in zip(pdfs, pool.map(process_file, pdfs)):  # must not raise, scanned or not
            write_json(result, out)
            results[pdf.name] = result
    score, summary = gates.score(SCORER, TRUTH, out)
    _show(request, summary)  # the scorer's summary, for CI logs
    return results, scanned, score, summary


def test_every_corpus_pdf_has_a_truth_file(corpus_run):
    results, scanned, _, _ = corpus_run
    assert set(results) == set(scanned)
    assert any(scanned.values()) and not all(scanned.values())


def test_born_digital_quality_holds_its_gates(corpus_run):
    """No document falls below what it has reached (tests/gates/corpus.json; tools/update_gates.py)."""
    _, _, score, summary = corpus_run
    figures = score["groups"]["born-digital"]
    report = ", ".join(f"{k} {figures[k]:.1%}" for k in gates.FIGURES if figures.get(k) is not None)
    print(f"born-digital: {report}")
    low = gates.shortfalls(gates.load("corpus"), gates.measured(score))
    assert not low, "below the gates:\n" + "\n".join(low) + "\n" + summary


def test_every_born_digital_document_was_scored(corpus_run):
    _, scanned, score, _ = corpus_run
    docs = {d["file"]: d for d in score["documents"]}
    for name, is_scan in scanned.items():
        if not is_scan:
            assert docs[name]["output"] is not None, f"{name}: no output matched"
    assert not score["unmatched_outputs"]


def test_scanned_pdfs_are_read_by_ocr_or_say_they_need_it(corpus_run):
    results, scanned, _, _ = corpus_run
    for name, is_scan in scanned.items():
        notes = results[name].notes
        if is_scan and ocr_missing() is None:
            assert any("read by OCR" in note for note in notes), f"{name}: {notes}"
            assert results[name].tables
        elif is_scan:
            assert any("needs OCR" in note for note in notes), f"{name}: {notes}"
            assert not results[name].tables
        else:
            assert not any("OCR" in note for note in notes), f"{name}: {notes}"


# What OCR reaches on the scanned PDFs (issue 10: tables 100 %, cells >= 97 %, levels >= 97 %,
# metadata 100 %), each floor a little under the measured figure (tables 6/6, cells 98.4 %,
# levels 100 %, kinds 100 %, metadata 12/12) so one cell misread more does not fail CI.
SCANNED_FLOORS = {"tables_found": 1.0, "cell_accuracy": 0.97, "level_accuracy": 0.97,
                  "kind_accuracy": 1.0, "meta_accuracy": 1.0}


@pytest.mark.skipif(ocr_missing() is not None, reason=f"{ocr_missing()}")
def test_scanned_quality_holds_its_floors(corpus_run):
    _, _, score, summary = corpus_run
    figures = score["groups"]["scanned"]
    low = [f"scanned: {k} {figures.get(k) or 0:.4f} < {floor}" for k, floor in SCANNED_FLOORS.items()
           if (figures.get(k) or 0) < floor]
    assert not low, "\n".join(low) + "\n" + summary
