"""Pages per second of `renjana run` over 40+ PDFs: 1 and 2 local workers, and through Dask.

    python3 benchmarks/bench_dask.py [PDF_FOLDER] [--files 40]

Takes the born-digital PDFs of the folder (default ../shared/corpus/pdf; scans are left out, they
cost nothing until OCR exists), smallest first, and copies them under new names until there are
``--files`` of them (a copy is a new file to the runner). Then runs the same list three ways: the
local pool with 1 worker, with 2 workers, and a ``distributed.LocalCluster`` of 2 worker
processes (1 thread each) through ``--scheduler``. Prints files, pages, seconds and pages/s.
Needs the dask extra. Outputs go to a temporary folder.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from renjana.runner import RunSettings, run_files

DEFAULT_FOLDER = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "pdf"


def corpus_copies(folder: Path, n: int, into: Path) -> list[Path]:
    sources = sorted((p for p in folder.glob("*.pdf") if "scan" not in p.name),
                     key=lambda p: p.stat().st_size)
    into.mkdir(parents=True)
    files = []
    while len(files) < n:
        source = sources[len(files) % len(sources)]
        target = into / f"{len(files):03d}-{source.name}"
        shutil.copyfile(source, target)
        files.append(target)
    return files


def measure(label: str, run) -> None:
    started = time.monotonic()
    report = run()
    seconds = time.monotonic() - started
    pages = report.total("pages")
    print(f"{label:<28} {len(report.results):>5} {len(report.failures):>8} {pages:>6} "
          f"{seconds:>8.1f} {pages / seconds:>8.2f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--files", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="renjana-bench-") as tmp:
        files = corpus_copies(args.folder, args.files, Path(tmp) / "in")
        print(f"{'runner':<28} {'files':>5} {'failures':>8} {'pages':>6} {'seconds':>8} {'pages/s':>8}")
        measure("local, 1 worker", lambda: run_files(files, Path(tmp) / "o1", RunSettings(workers=1)))
        measure("local, 2 workers", lambda: run_files(files, Path(tmp) / "o2", RunSettings(workers=2)))
        from distributed import LocalCluster

        from renjana.dask_runner import run_files_dask
        with LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster:
            measure("dask LocalCluster, 2 workers", lambda: run_files_dask(
                files, Path(tmp) / "o3", RunSettings(), cluster.scheduler_address))


if __name__ == "__main__":
    main()
