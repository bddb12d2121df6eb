"""Speed and memory of OCR per worker: seconds per page and peak RSS of the worker process.

Each PDF is read in a fresh worker process (as the runner does), all of its pages or
``--pages N`` of them, through the whole extract stage (``extract_document``: render, grid,
Tesseract per cell, the text outside the tables)::

    python benchmarks/bench_ocr.py ../shared/corpus/pdf/*scan*.pdf [--pages 4] [--ocr-check]

``--ocr-check`` reads with the second reader too (RapidOCR rereads the number cells): run once
with and once without it on the same pages; the difference is its cost per page.

Prints one line per PDF and the total, wall and CPU seconds per page (the CPU figure is what a
worker costs when the machine's cores are shared). The issue's target on this machine (2 cores shared):
at most 4 s per page and under 600 MB peak per worker.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import time
from pathlib import Path


def _work(path: str, pages: int | None, check: bool = False) -> tuple[int, float, float, float, str]:
    """In the worker: (pages OCR'd, wall seconds, CPU seconds, peak RSS in MiB, OCR status)."""
    from renjana.extract import extract_document
    from renjana.extract.ocr import ocr_missing

    missing = ocr_missing()
    if check and not missing:
        from renjana.extract.ocr.check import check_missing

        missing = check_missing()
    target = path
    if pages:
        import pypdfium2 as pdfium

        src = pdfium.PdfDocument(path)
        out = pdfium.PdfDocument.new()
        out.import_pages(src, list(range(min(pages, len(src)))))
        target = f"/tmp/bench_ocr_{Path(path).stem}_{pages}.pdf"
        out.save(target)
    start, cpu0 = time.perf_counter(), time.process_time()
    doc = extract_document(target, ocr=True, ocr_check=check)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    read = sum(1 for u in doc.unread_pages if u.status == "ocr")
    return read, seconds, cpu, peak, missing or "ok"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("pdfs", nargs="+", type=Path)
    ap.add_argument("--pages", type=int, default=None, help="only the first N pages of each PDF")
    ap.add_argument("--ocr-check", action="store_true", help="reread number cells with the second reader")
    args = ap.parse_args()
    ctx = mp.get_context("spawn")
    total_pages, total_seconds, total_cpu, worst = 0, 0.0, 0.0, 0.0
    for pdf in args.pdfs:
        with ctx.Pool(1, maxtasksperchild=1) as pool:
            read, seconds, cpu, peak, status = pool.apply(_work, (str(pdf), args.pages, args.ocr_check))
        if status != "ok":
            print(f"{pdf.name}: {status}")
            return 1
        total_pages += read
        total_seconds += seconds
        total_cpu += cpu
        worst = max(worst, peak)
        per = seconds / read if read else float("nan")
        print(f"{pdf.name:<48} {read:3d} pages OCR'd  {seconds:7.1f} s  {per:5.2f} s/page "
              f"(CPU {cpu / max(1, read):5.2f} s/page)  peak RSS {peak:6.0f} MiB")
    if total_pages:
        print(f"total: {total_pages} pages, {total_seconds / total_pages:.2f} s/page per worker "
              f"(CPU {total_cpu / total_pages:.2f} s/page), peak RSS per worker {worst:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
