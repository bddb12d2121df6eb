"""Batch safety figures (issue 11's "Done when"), printed, not asserted.

    python benchmarks/batch_safety.py bad     WORK [--large]   # bad_inputs.py's folder in one batch
    python benchmarks/batch_safety.py damaged WORK [-n 300]    # seeded damaged copies of the corpus
    python benchmarks/batch_safety.py kill    WORK [--kills 3] # kill -9 mid-run, resume, check
    python benchmarks/batch_safety.py startup WORK [--kills 3] # kill -9 as the workers start

``bad``: generates ``../shared/tools/bad_inputs.py`` into WORK/bad, runs ``renjana run`` over it as
a user would (2 workers), and prints every file's outcome against EXPECT.json, the problems, and
the 700-page file's peak worker memory with ``--large`` (it runs in a batch of its own, so the
peak is its own). ``damaged``: N copies of ``../shared/corpus/pdf`` damaged by tools/damage.py
(seed 1), the originals run once for reference; prints statuses, crashes, hangs (timed-out), and
silent losses (an ``ok`` output holding fewer cells than its original). ``kill``: corpus PDFs in
a batch killed with SIGKILL at random moments, then resumed; prints how long workers outlived
the kill, files redone, and the integrity of the output folder. ``startup``: the batch killed
the moment its first workers exist (still importing: the worst moment for a worker to notice
its parent died); prints how long they outlived the kill.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
sys.path.insert(0, str(REPO / "tools"))
import batch_checks  # noqa: E402
from damage import damaged_copies  # noqa: E402

RENJANA = [sys.executable, "-m", "renjana.cli", "run"]
# Per-file limit of the benchmark runs: the bad-input checks allow 120 s for the slowest case.
TIMEOUT_S = 120
POLL_S = 0.01


# The 700-page file's limit: at pdfminer's 5-10 pages a second it needs minutes.
LARGE_TIMEOUT_S = 1800


def run(inputs: list[Path], out: Path, timeout_s: float | None = None) -> tuple[int, float]:
    timeout_s = TIMEOUT_S if timeout_s is None else timeout_s
    started = time.monotonic()
    done = subprocess.run([*RENJANA, *map(str, inputs), "-o", str(out), "--workers", "2",
                           "--timeout", str(timeout_s)], capture_output=True, text=True)
    if "Traceback" in done.stdout + done.stderr:
        print("TRACEBACK in the batch's output:\n" + (done.stdout + done.stderr)[-3000:])
    return done.returncode, time.monotonic() - started


def bad(work: Path, large: bool) -> None:
    folder, out = work / "bad", work / "bad-out"
    shutil.rmtree(out, ignore_errors=True)
    if not (folder / "EXPECT.json").exists() or (large and not (folder / "large_700_pages.pdf").exists()):
        subprocess.run([sys.executable, str(SHARED / "tools" / "bad_inputs.py"), str(folder), "--no-observe",
                        *(["--large"] if large else [])], check=True)
    pdfs = [p for p in folder.iterdir() if p.name != "EXPECT.json"]
    small = [p for p in pdfs if p.name != "large_700_pages.pdf"]
    code, wall = run(small, out)
    print(f"bad inputs: {len(small)} files, exit {code}, {wall:.1f} s")
    if large:
        code, wall = run([folder / "large_700_pages.pdf"], out, LARGE_TIMEOUT_S)
        record = next(r for r in batch_checks.manifest(out) if r["name"] == "large_700_pages.pdf")
        print(f"large_700_pages.pdf: {record['status']}, {record['pages_in_file']} pages, {wall:.1f} s, "
              f"worker peak RSS {record['worker_peak_rss_mb']} MB, exit {code}")
    problems, lines = batch_checks.check_expect(folder, out)
    print("\n".join(lines))
    problems += batch_checks.check_integrity(out)
    print("\n".join(f"PROBLEM {p}" for p in problems) or "every EXPECT.json entry met")
    print("outside the output folder:", "PWNED" if Path("/tmp/pwned.sh").exists() else "nothing written")


def damaged(work: Path, n: int) -> None:
    sources = sorted((SHARED / "corpus" / "pdf").glob("*.pdf"))
    ref_out, copies_dir, out = work / "corpus-ref", work / "damaged", work / "damaged-out"
    if not (ref_out / "manifest.jsonl").exists():
        code, wall = run(sources, ref_out)
        print(f"reference run of {len(sources)} originals: exit {code}, {wall:.1f} s")
    shutil.rmtree(copies_dir, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    made = damaged_copies(sources, n, seed=1, out=copies_dir)
    original = {r["name"]: batch_checks.cells(ref_out, r) for r in batch_checks.manifest(ref_out)}
    code, wall = run([c for c, _, _ in made], out)
    records = batch_checks.manifest(out)
    problems, counts = batch_checks.silent_losses(out, original, {c.name: s.name for c, s, _ in made})
    kinds: dict[str, dict[str, int]] = {}
    by_name = {r["name"]: r for r in records}
    for copy, _source, kind in made:
        status = by_name.get(copy.name, {}).get("status", "MISSING")
        kinds.setdefault(kind, {}).setdefault(status, 0)
        kinds[kind][status] += 1
    print(f"damaged copies: {n}, batch exit {code} (0/1 = finished on its own), {wall:.1f} s")
    print(f"recorded: {len(records)} of {n}; statuses: {counts}")
    for kind, statuses in sorted(kinds.items()):
        print(f"  {kind}: {statuses}")
    less = sum(1 for r in records if r["status"] in ("partial", "needs-ocr"))
    print(f"outputs holding less with a note (partial / needs-ocr): {less}; silent losses: {len(problems)}")
    print("\n".join(f"SILENT {p}" for p in problems))
    integrity = batch_checks.check_integrity(out)
    print("\n".join(f"PROBLEM {p}" for p in integrity) or "output folder: complete, no orphans")


def kill(work: Path, kills: int) -> None:
    sources = sorted((SHARED / "corpus" / "pdf").glob("*.pdf"))
    sources = [p for p in sources if p.stat().st_size < 1 << 20][:16]  # born-digital, a few minutes
    out = work / "kill-out"
    shutil.rmtree(out, ignore_errors=True)
    rng = random.Random(5)
    outlived: list[float] = []
    finished_before: dict[str, dict] = {}
    for attempt in range(kills):
        batch = subprocess.Popen([*RENJANA, *map(str, sources), "-o", str(out), "--workers", "2"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        moment = time.monotonic() + rng.uniform(2.0, 12.0)
        workers: set[int] = set()
        while time.monotonic() < moment and batch.poll() is None:
            workers |= batch_checks.children(batch.pid)
            time.sleep(POLL_S)
        if batch.poll() is not None:
            print(f"kill {attempt + 1}: the batch finished before the kill")
            break
        workers |= batch_checks.children(batch.pid)
        os.kill(batch.pid, signal.SIGKILL)
        killed = time.monotonic()
        batch.wait()
        while any(batch_checks.alive(p) for p in workers) and time.monotonic() - killed < 30:
            time.sleep(POLL_S)
        outlived.append(time.monotonic() - killed)
        records = {r["name"]: r for r in batch_checks.manifest(out)}
        redone = [n for n, r in finished_before.items() if records.get(n) != r]
        print(f"kill {attempt + 1}: {len(records)} of {len(sources)} recorded, {len(workers)} workers "
              f"gone {outlived[-1]:.3f} s after the kill, earlier files redone: {len(redone)}")
        finished_before = records
    code, wall = run(sources, out)
    records = {r["name"]: r for r in batch_checks.manifest(out)}
    redone = [n for n, r in finished_before.items() if records.get(n) != r]
    print(f"resume: exit {code}, {wall:.1f} s, {len(records)} of {len(sources)} recorded, "
          f"files finished before the kills redone: {len(redone)}")
    print(f"workers outlived the kill by at most {max(outlived, default=0):.3f} s")
    integrity = batch_checks.check_integrity(out)
    print("\n".join(f"PROBLEM {p}" for p in integrity) or "output folder: complete, no duplicates, no orphans")


def startup(work: Path, kills: int) -> None:
    source = min((SHARED / "corpus" / "pdf").glob("*.pdf"), key=lambda p: p.stat().st_size)
    outlived = []
    for attempt in range(kills):
        out = work / "startup-out"
        shutil.rmtree(out, ignore_errors=True)
        batch = subprocess.Popen([*RENJANA, str(source), "-o", str(out), "--workers", "2"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        workers: set[int] = set()
        while not workers and batch.poll() is None:
            workers = batch_checks.children(batch.pid)
        os.kill(batch.pid, signal.SIGKILL)
        killed = time.monotonic()
        batch.wait()
        while any(batch_checks.alive(p) for p in workers) and time.monotonic() - killed < 30:
            time.sleep(POLL_S / 10)
        outlived.append(time.monotonic() - killed)
        print(f"kill {attempt + 1}: {len(workers)} starting workers gone {outlived[-1]:.3f} s after the kill")
    print(f"starting workers outlived the kill by at most {max(outlived, default=0):.3f} s")


def main() -> None:
    global TIMEOUT_S
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["bad", "damaged", "kill", "startup"])
    parser.add_argument("work", type=Path)
    parser.add_argument("--large", action="store_true")
    parser.add_argument("-n", type=int, default=300)
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=TIMEOUT_S,
                        help="per-file limit of the batches, seconds (raise it on a loaded machine: "
                             "a scan that needs 40 s alone can pass 120 s when other jobs share the cores)")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    TIMEOUT_S = args.timeout
    {"bad": lambda: bad(args.work, args.large), "damaged": lambda: damaged(args.work, args.n),
     "kill": lambda: kill(args.work, args.kills), "startup": lambda: startup(args.work, args.kills)}[args.what]()


if __name__ == "__main__":
    main()
