"""Runner: one worker process per file; crashes, hangs and memory hogs cost only their own file.

The processing functions below are injected into the workers; they live at module level because
the "spawn" workers import them by name.
"""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from renjana.models import DocumentMeta, DocumentResult, Source
from renjana.runner import RunSettings, run_files

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
RAW_PDFS = sorted(RAW.glob("*.pdf"))
SHORT_TIMEOUT_S = 2.0
SMALL_MEMORY = 512 << 20
HOG_BYTES = 4 << 30
HOG_STEP_BYTES = 16 << 20
RESERVED_BYTES = 3 << 30
RUNAWAY_BYTES = 1 << 40


def fake_process(path: Path) -> DocumentResult:
    return DocumentResult(source=Source(file=path.name, sha256="0" * 64, pages=3),
                          document=DocumentMeta(), notes=["page 2: no text layer: needs OCR"])


def extract_only(path: Path) -> DocumentResult:
    """The real extract stage, nothing after it: real PDFs pass, broken ones raise."""
    from renjana.extract import extract_document

    doc = extract_document(path)
    return DocumentResult(source=Source(file=doc.file, sha256=doc.sha256, pages=doc.pages),
                          document=DocumentMeta(), notes=doc.notes)


def abort(path: Path) -> DocumentResult:
    os.abort()


def sleep_forever(path: Path) -> DocumentResult:
    time.sleep(3600)
    raise AssertionError("unreachable")


def hog(path: Path) -> DocumentResult:
    """Resident memory grows (every byte written) in steps until the parent stops it."""
    blocks = [b"\x01" * HOG_STEP_BYTES for _ in range(HOG_BYTES // HOG_STEP_BYTES)]
    return fake_process(Path(str(len(blocks))))


def reserve_untouched(path: Path) -> DocumentResult:
    """Address space reserved and never used, as the OCR libraries do: not memory."""
    import mmap

    region = mmap.mmap(-1, RESERVED_BYTES)
    result = fake_process(path)
    region.close()
    return result


def runaway(path: Path) -> DocumentResult:
    """One allocation far past any sane size, faster than a poll: the address-space backstop."""
    blob = bytearray(RUNAWAY_BYTES)
    return fake_process(Path(str(len(blob))))


def boom(path: Path) -> DocumentResult:
    raise ValueError("no tables here")


def dispatch(path: Path) -> DocumentResult:
    """Behaviour picked by the file name, to mix failures and successes in one run."""
    return {"abort": abort, "sleep": sleep_forever, "boom": boom}.get(path.stem, fake_process)(path)


def touch(folder: Path, *names: str) -> list[Path]:
    paths = [folder / name for name in names]
    for path in paths:
        path.write_bytes(b"%PDF-1.4\n")
    return paths


def test_summary_counts_and_outputs(tmp_path: Path):
    [path] = touch(tmp_path, "a.pdf")
    report = run_files([path], tmp_path / "out", RunSettings(process=fake_process))
    [result] = report.results
    assert result.ok and result.failure is None
    assert result.summary.pages == 3 and result.summary.tables == 0
    assert result.summary.notes == ["page 2: no text layer: needs OCR"]
    assert json.loads(Path(result.summary.outputs[0]).read_text())["source"]["file"] == "a.pdf"
    assert report.total("pages") == 3 and report.failures == []


def test_not_a_pdf_fails_alone(tmp_path: Path):
    bad = tmp_path / "x.pdf"
    bad.write_bytes(os.urandom(4096))
    good = RAW_PDFS[0]
    report = run_files([bad, good], tmp_path / "out", RunSettings(process=extract_only))
    first, second = report.results
    assert not first.ok and "x.pdf" in first.message
    assert "ExtractError" in first.failure and first.detail
    assert second.ok and second.path == good and second.summary.pages > 0


def test_abort_is_reported_as_killed(tmp_path: Path):
    paths = touch(tmp_path, "abort.pdf", "fine.pdf")
    report = run_files(paths, tmp_path / "out", RunSettings(process=dispatch))
    crashed, fine = report.results
    assert crashed.failure == "killed by signal SIGABRT"
    assert "abort.pdf" in crashed.message
    assert fine.ok


def test_timeout(tmp_path: Path):
    paths = touch(tmp_path, "sleep.pdf", "fine.pdf")
    report = run_files(paths, tmp_path / "out", RunSettings(process=dispatch, timeout_s=SHORT_TIMEOUT_S))
    slow, fine = report.results
    assert slow.failure == f"timed out after {SHORT_TIMEOUT_S:g} s"
    assert fine.ok


def test_memory_limit(tmp_path: Path):
    [path] = touch(tmp_path, "hog.pdf")
    report = run_files([path], tmp_path / "out", RunSettings(process=hog, memory_bytes=SMALL_MEMORY))
    assert report.results[0].status == "memory"
    assert report.results[0].failure == "memory limit 512 MiB exceeded (resident memory)"


def test_memory_limit_is_resident_memory_not_address_space(tmp_path: Path):
    # 3 GiB reserved, untouched, under a 512 MiB limit: the OCR libraries' way, and not a hog.
    paths = touch(tmp_path, "reserve.pdf")
    report = run_files(paths, tmp_path / "out", RunSettings(process=reserve_untouched, memory_bytes=SMALL_MEMORY))
    assert report.results[0].ok, report.results[0].failure


def test_runaway_allocation_hits_the_backstop(tmp_path: Path):
    [path] = touch(tmp_path, "runaway.pdf")
    report = run_files([path], tmp_path / "out", RunSettings(process=runaway, memory_bytes=SMALL_MEMORY))
    assert report.results[0].status == "memory"


def test_a_small_memory_limit_still_lets_the_worker_start(tmp_path: Path):
    # A worker's imports reserve ~1.5 GB of address space for ~160 MB resident.
    [path] = touch(tmp_path, "a.pdf")
    report = run_files([path], tmp_path / "out", RunSettings(process=extract_only, memory_bytes=300 << 20))
    result = report.results[0]
    assert result.status == "failed" and "ExtractError" in result.failure  # the file's own failure, read


def test_a_worker_that_cannot_start_says_so(tmp_path: Path):
    paths = touch(tmp_path, "a.pdf", "b.pdf")
    report = run_files(paths, tmp_path / "out", RunSettings(process="renjana_no_such_module:process"))
    for result in report.results:
        assert result.status == "failed"
        assert result.failure.startswith("the worker could not start: ModuleNotFoundError"), result.failure


def test_exception_message_and_parallel_workers_keep_input_order(tmp_path: Path):
    paths = touch(tmp_path, "a.pdf", "boom.pdf", "abort.pdf", "d.pdf")
    seen = []
    report = run_files(paths, tmp_path / "out", RunSettings(process=dispatch, workers=2),
                       on_done=lambda r: seen.append(r.path))
    assert [r.path for r in report.results] == paths
    assert sorted(seen) == sorted(paths)
    assert report.results[1].failure == "ValueError: no tables here"
    assert [r.ok for r in report.results] == [True, False, False, True]


def test_process_given_by_name(tmp_path: Path):
    [path] = touch(tmp_path, "a.pdf")
    report = run_files([path], tmp_path / "out", RunSettings(process="test_runner:fake_process"))
    assert report.results[0].ok


def _pipeline_importable() -> bool:
    try:
        import renjana.pipeline  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.mark.skipif(not RAW_PDFS, reason="no sample PDFs in data/raw")
@pytest.mark.skipif(not _pipeline_importable(), reason="renjana.pipeline does not import yet")
def test_real_pipeline_on_sample_pdfs(tmp_path: Path):
    report = run_files(RAW_PDFS, tmp_path, RunSettings())
    assert report.failures == [], [r.message for r in report.failures]
    for result in report.results:
        doc = json.loads(Path(result.summary.outputs[0]).read_text(encoding="utf-8"))
        assert doc["source"]["file"] == result.path.name
        assert doc["source"]["pages"] == result.summary.pages > 0


def test_workers_report_each_page_read(tmp_path: Path):
    """The progress display hears of every page a worker has read, for the file it belongs to."""
    pdf = RAW_PDFS[0]
    seen: list[tuple[Path, int, int]] = []
    report = run_files([pdf], tmp_path / "out", RunSettings(process=extract_only),
                       on_page=lambda path, page, pages: seen.append((path, page, pages)))
    [result] = report.results
    assert result.ok
    pages = result.summary.pages
    assert [page for _, page, _ in seen] == list(range(1, pages + 1))
    assert {(path, total) for path, _, total in seen} == {(pdf, pages)}


PDEATHSIG_PROBE = ("import os, renjana\n"
                   "from renjana.lifeline import PARENT_ENV, parent_death_signal\n"
                   "print(parent_death_signal(), PARENT_ENV in os.environ)\n")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_a_worker_asks_to_die_with_its_parent_on_its_first_import():
    """A process started as a worker (its parent named in the environment) is armed by the
    kernel as soon as it imports renjana, before any other renjana import, and its own children
    do not inherit the request's variable."""
    from renjana.lifeline import PARENT_ENV

    env = {**os.environ, PARENT_ENV: str(os.getpid())}
    done = subprocess.run([sys.executable, "-c", PDEATHSIG_PROBE], env=env, capture_output=True,
                          text=True, check=True)
    assert done.stdout.split() == [str(int(signal.SIGKILL)), "False"]
    plain = {k: v for k, v in os.environ.items() if k != PARENT_ENV}
    done = subprocess.run([sys.executable, "-c", PDEATHSIG_PROBE], env=plain, capture_output=True,
                          text=True, check=True)
    assert done.stdout.split() == ["0", "False"]


def test_a_worker_whose_parent_is_gone_before_it_asked_exits():
    """The race: the parent named in the environment is not this process's parent any more (it
    died while the worker started), so no signal would come: the worker exits at once."""
    from renjana.lifeline import EXIT_ORPHAN, PARENT_ENV

    not_the_parent = os.getppid()  # alive, but not the child's parent
    env = {**os.environ, PARENT_ENV: str(not_the_parent)}
    done = subprocess.run([sys.executable, "-c", "import renjana; print('still here')"], env=env,
                          capture_output=True, text=True)
    assert done.returncode == EXIT_ORPHAN and "still here" not in done.stdout


def test_spawned_workers_are_armed_and_the_variable_stays_out_of_the_parent(tmp_path: Path):
    from renjana.lifeline import PARENT_ENV
    from renjana.runner import run_isolated

    outcome = run_isolated(tmp_path / "any.pdf", tmp_path / "staging",
                           RunSettings(process="test_runner:report_lifeline"))
    assert PARENT_ENV not in os.environ
    assert outcome.status == "ok", outcome.reason
    if sys.platform.startswith("linux"):
        assert outcome.summary.notes == [f"pdeathsig {int(signal.SIGKILL)}"]


def report_lifeline(path: Path) -> DocumentResult:
    from renjana.lifeline import parent_death_signal

    return DocumentResult(source=Source(file="x.pdf", sha256="0" * 64, pages=1),
                          document=DocumentMeta(), notes=[f"pdeathsig {parent_death_signal()}"])


def test_a_hard_address_space_limit_below_the_backstop_is_kept(tmp_path: Path):
    # ``ulimit -v 6 GiB`` in the user's shell: below the workers' 8 GiB RLIMIT_AS backstop. An
    # unprivileged worker cannot raise a hard limit, so the backstop must stay under it, not fail.
    [path] = touch(tmp_path, "a.pdf")
    code = (
        "import resource, sys\n"
        f"sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
        "limit = 6 << 30\n"
        "resource.setrlimit(resource.RLIMIT_AS, (limit, limit))\n"
        "from renjana.runner import RunSettings, run_files\n"
        f"report = run_files([__import__('pathlib').Path({str(path)!r})], __import__('pathlib').Path({str(tmp_path / 'out')!r}),\n"
        "                   RunSettings(process='test_runner:fake_process', memory_bytes=512 << 20))\n"
        "result = report.results[0]\n"
        "print(result.status, result.failure)\n"
        "sys.exit(0 if result.ok else 1)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr[-2000:]


def test_descendants_are_the_whole_process_tree():
    # The RSS poll's process tree, from /proc's children files: the same processes psutil finds.
    import psutil

    from renjana.runner import _descendants

    tree = subprocess.Popen(["bash", "-c", "sleep 30 & (sleep 30 & wait) & wait"])
    try:
        deadline = time.monotonic() + 10
        expected: set[int] = set()
        while time.monotonic() < deadline and len(expected) < 3:
            time.sleep(0.05)
            expected = {child.pid for child in psutil.Process(tree.pid).children(recursive=True)}
        found = _descendants(tree.pid)
        if found is None:
            pytest.skip("this kernel has no /proc/PID/task/TID/children")
        assert set(found) == expected and len(expected) >= 3
    finally:
        for child in psutil.Process(tree.pid).children(recursive=True):
            child.kill()
        tree.kill()
        tree.wait()


def test_an_endless_time_limit_is_the_longest_alarm_not_a_failure(tmp_path: Path):
    # signal.alarm takes a C int: an infinite or huge limit must not stop the worker from starting.
    [path] = touch(tmp_path, "a.pdf")
    report = run_files([path], tmp_path / "out", RunSettings(process=fake_process, timeout_s=math.inf))
    assert report.results[0].ok, report.results[0].failure
