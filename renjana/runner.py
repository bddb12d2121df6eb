"""Run the pipeline over many PDFs in long-lived worker processes, each file with its own time
and memory limit, every file accounted for in the run manifest.

A hostile PDF can crash C code (segfault, abort), loop, or eat memory; in a worker process it
costs only itself and is reported as a failure naming the file. Workers are started once (the
imports are paid once) and run one file at a time; a worker that crashes, runs past the file's
time limit or runs out of memory is killed and replaced, and its file is reported. The worker
runs the pipeline and writes the document into a staging folder inside OUT
(:func:`process_one`); the parent moves the files into place and appends the manifest record
(:class:`renjana.manifest.OutputStore`), so a document's files appear together with their record
or not at all, and only the parent writes the manifest.

Entry points for other schedulers (e.g. a Dask task):

* :func:`process_one` ``(path, staging_dir, process) -> Outcome``: one file in this process, no
  limits: the pipeline, its outputs written under ``staging_dir``, a small picklable
  :class:`Outcome` back.
* :func:`run_isolated` ``(path, staging_dir, settings) -> Outcome``: the same in a fresh child
  process with ``settings``' time and memory limits (a crash, hang or memory hog becomes a
  ``failed`` / ``timed-out`` / ``memory`` Outcome).
* :meth:`OutputStore.commit <renjana.manifest.OutputStore.commit>` with :func:`outcome_record`
  moves the staged files into place and writes the manifest record (client side).

Limits and clean-up: the memory limit is on resident memory (RSS, what a user means by memory):
the parent polls each busy worker's RSS (with its child processes) every :data:`RSS_POLL_S` and
kills a worker over the limit (status ``memory``). Address space is no measure: the OCR libraries
(onnxruntime, OpenCV, OpenBLAS) reserve gigabytes they never touch. Each worker sets a far
``RLIMIT_AS`` (:data:`ADDRESS_SPACE_FACTOR` × the limit) only as a backstop against a runaway
allocation between two polls, and no core files; the parent kills a
worker at its file's deadline, and the worker also arms ``alarm()`` (default action: terminate)
so the limit holds if the parent cannot act. On Linux a worker asks the kernel for ``SIGKILL``
when its parent dies (``prctl(PR_SET_PDEATHSIG)``), on its first import of renjana, before the
main module's imports (:mod:`renjana.lifeline`); elsewhere a watchdog thread exits when the
parent is gone. An idle worker exits at end-of-file on its pipe. A worker whose resident memory
has grown past half its limit is retired after its file, so the next file gets its full limit.
A worker that dies while it starts (its imports) is reported as such ("the worker could not
start: …"), as ``memory`` when that was memory.

The "spawn" start method: a worker is a fresh interpreter that inherits no threads, locks or open
files from the parent (the CLI's progress bar runs a thread). A caller's main script must guard
its work with ``if __name__ == "__main__":`` (spawn re-imports it).
"""

from __future__ import annotations

import dataclasses
import errno
import logging
import importlib
import math
import multiprocessing
import os
import signal
import sys
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path

from renjana.manifest import DONE_STATUSES, OutputStore, file_sha256
from renjana.wording import count, shorten, unreadable_input
from renjana.models import DocumentResult
from renjana.preflight import InputError, safe_name
from renjana.progress import set_listener
from renjana.lifeline import PARENT_ENV, die_with_parent

__all__ = ["FileResult", "Outcome", "RunReport", "RunSettings", "Summary", "run_files", "format_bytes",
           "process_one", "run_isolated", "outcome_record", "commit_outcome", "resumed"]

GIB = 1 << 30
MIB = 1 << 20
DEFAULT_TIMEOUT_S = 300.0
DEFAULT_MEMORY_BYTES = 2 * GIB
DEFAULT_PROCESS = "renjana.pipeline:process_file"
START_METHOD = "spawn"
# Exit status of a worker that ran out of memory and could not even send its report.
EXIT_OUT_OF_MEMORY = 86
# A file's time limit starts when its worker says it has started the file; before that the
# worker may still be importing the pipeline (a fresh interpreter on a loaded machine), which
# gets this long.
WORKER_START_S = 120.0
# What a worker sends when it takes a file, before its Outcome.
STARTED = "started"
# What a worker sends after each page of its file: (PAGE, page, pages), for the progress display.
PAGE = "page"
# A worker's own alarm fires this long after the parent's deadline (the parent acts first).
ALARM_GRACE_S = 5.0
# The longest alarm a worker can set (signal.alarm's C int): about 68 years.
MAX_ALARM_S = 2**31 - 1
# A worker whose resident memory passed this share of its limit is retired after its file, so the
# next file gets a fresh process with its full limit (Python and glibc seldom give freed memory back).
RETIRE_SHARE = 0.5
# How often (seconds) the parent reads each busy worker's resident memory. A file's allocation
# between two polls is caught by the address-space backstop below, not by the poll.
RSS_POLL_S = 0.1
# Files a worker takes before it is replaced: its imports are paid once for that many files (issue
# 13), and a slow leak in a library cannot grow without end. A reused worker once carried state
# from one file into the next (playa's ContentStream spoiled Python's Mapping check: see
# extract/read_playa.py _forget_streams); the corpus scored in one worker is the check that none is left.
MAX_FILES_PER_WORKER = 50
# The worker's address-space limit (RLIMIT_AS) is this many times the memory limit: only a backstop
# against a runaway allocation between two polls. A worker reserves ~1.5 GB of address space for
# ~160 MB resident, and OCR (onnxruntime, OpenCV, OpenBLAS) reserves more, so a tighter limit
# breaks honest files (measured: a 405 MB-resident OCR file failed under RLIMIT_AS 2 GiB).
ADDRESS_SPACE_FACTOR = 4
# ... and never below this, so a small memory limit (300 MiB) still lets the libraries import.
MIN_ADDRESS_SPACE_BYTES = 8 * GIB
# No core files from aborting workers: a corpus of hostile PDFs would fill the disk with them.
CORE_LIMIT_BYTES = 0
# Python frames a worker may nest: pdfminer follows nested forms and /Prev chains by recursion,
# and a PDF nesting a few hundred forms passes Python's default 1000. Deeper than this is a loop
# or an attack; a C stack overflow before it kills only the worker (reported as a signal).
WORKER_RECURSION_LIMIT = 20000

ProcessFn = Callable[[Path], DocumentResult]


@dataclass(frozen=True)
class RunSettings:
    """How to run: per-file wall time and resident-memory limit, and how many files at once.

    ``process`` is the function turning one PDF into a DocumentResult, given as
    ``"module:function"`` or a module-level function (it is pickled into the worker by name).
    ``memory_bytes`` limits each worker, so the machine needs ``workers × memory_bytes``.
    ``csv``: each table kind's Parquet beside the JSON also as CSV, written by the worker with the
    document's other files (so the manifest lists them and a rerun's removal covers them).
    """

    timeout_s: float = DEFAULT_TIMEOUT_S
    memory_bytes: int | None = DEFAULT_MEMORY_BYTES
    workers: int = 1
    process: str | ProcessFn = DEFAULT_PROCESS
    csv: bool = False


@dataclass(frozen=True)
class Summary:
    """What came out of a file that went through: its outputs and how much it held.

    ``pages`` are the pages pdfminer read; ``pages_in_file`` what the file has (cross-checked
    with pdfium); ``pages_read`` those read as data (not needing OCR, not unreadable). ``status``
    is ``ok``, ``partial`` (pages unreadable or the file damaged), ``needs-ocr``, or ``failed``
    when no page could be read whole and no table came out (its outputs are then not kept).
    """

    outputs: list[str]
    pages: int
    tables: int
    rows: int
    errors: int
    warnings: int
    notes: list[str] = field(default_factory=list)
    pages_in_file: int = 0
    pages_read: int = 0
    status: str = "ok"
    reason: str = ""


@dataclass(frozen=True)
class Outcome:
    """One file's result as a worker sends it: ``status`` is one of the manifest's statuses;
    ``summary`` is set for a file that went through (outputs relative to ``staging``)."""

    status: str
    summary: Summary | None = None
    reason: str = ""
    detail: str = ""  # traceback of an exception in the worker, for debugging
    staging: str | None = None
    seconds: float = 0.0
    peak_rss_mb: float | None = None  # the worker's peak resident memory so far (this file or before)


@dataclass(frozen=True)
class FileResult:
    """One input file: its summary when it went through, else the reason it failed.

    ``skipped`` is True for a file a resume did not redo (its earlier, complete output stands).
    """

    path: Path
    summary: Summary | None = None
    failure: str | None = None
    detail: str = ""
    status: str = "ok"
    sha256: str = ""
    skipped: bool = False
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.summary is not None

    @property
    def name(self) -> str:
        return safe_name(str(self.path))

    @property
    def message(self) -> str:
        return f"{self.name}: {self.failure}"


@dataclass(frozen=True)
class RunReport:
    results: list[FileResult]
    wall_s: float
    warnings: list[str] = field(default_factory=list)
    interrupted: bool = False
    total_inputs: int = 0
    cleaned: list[str] = field(default_factory=list)

    @property
    def failures(self) -> list[FileResult]:
        return [r for r in self.results if not r.ok]

    def count(self, *statuses: str) -> int:
        return sum(r.status in statuses for r in self.results)

    def total(self, name: str) -> int:
        """Sum of one Summary count (``pages``, ``tables``, ``rows``, ``errors``, ``warnings``)."""
        return sum(getattr(r.summary, name) for r in self.results if r.summary is not None)


def format_bytes(n: int) -> str:
    return f"{n / GIB:g} GiB" if n % GIB == 0 else f"{n / MIB:g} MiB"


# --------------------------------------------------------------------------- one file
def _resolve(process: str | ProcessFn) -> ProcessFn:
    if callable(process):
        return process
    module, _, name = process.partition(":")
    return getattr(importlib.import_module(module), name)


def _file_status(result: DocumentResult) -> tuple[str, str, int, int]:
    """(status, reason, pages in file, pages read) from what the pipeline says it did not read."""
    unread = result.source.unread_pages
    in_file = max([result.source.pages] + [u.page for u in unread])
    not_read = [u for u in unread if u.status != "ocr"]
    lost = [u for u in not_read if u.status in ("unreadable", "text-unreadable")]
    ocr = [u for u in not_read if u.status == "needs-ocr"]
    damaged = getattr(result.source, "damaged", None)
    if lost and not ocr and len(not_read) >= in_file and not result.tables:
        # No page read whole (none waiting for OCR) and not one table: the output would hold
        # nothing but notes, so the file fails, its notes kept in the manifest record.
        what = "its only page could not" if in_file == 1 else f"none of its {in_file} pages could"
        return ("failed", f"no table could be read: {what} be read whole (page {lost[0].page}: "
                f"{lost[0].reason})", in_file, 0)
    if lost or damaged:
        reasons = ([f"{count(len(lost), 'page')} unreadable: {lost[0].reason}"] if lost else []) + \
            ([damaged] if damaged else [])
        return "partial", "; ".join(reasons), in_file, in_file - len(not_read)
    if ocr:
        what = f"{count(len(ocr), 'page')} without a text layer {'needs' if len(ocr) == 1 else 'need'} OCR"
        return "needs-ocr", what, in_file, in_file - len(ocr)
    return "ok", "", in_file, in_file


def _summarize(result: DocumentResult, outputs: list[str]) -> Summary:
    severities = [f.severity for f in result.findings]
    status, reason, in_file, read = _file_status(result)
    return Summary(
        outputs=outputs, pages=result.source.pages, tables=len(result.tables),
        rows=sum(len(t.rows) for t in result.tables), errors=severities.count("error"),
        warnings=severities.count("warning"), notes=list(result.notes),
        pages_in_file=in_file, pages_read=read, status=status, reason=reason,
    )


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception and those it was raised from or during (pdfminer wraps its causes)."""
    seen: list[BaseException] = []
    while exc is not None and exc not in seen:
        seen.append(exc)
        exc = exc.__cause__ or exc.__context__
    return seen


# A library's message quoted in a reason is cut here (pdfminer quotes whole damaged objects).
MAX_QUOTE_CHARS = 160


def _exception_reason(path: Path, exc: BaseException) -> str:
    """A failure in plain words: the file's own problem where it is known, else the library's."""
    return _cut(_reason_text(path, exc))


def _cut(text: str) -> str:
    return shorten(text, 2 * MAX_QUOTE_CHARS)


def _reason_text(path: Path, exc: BaseException) -> str:
    if isinstance(exc, InputError):
        return str(exc)
    chain = _chain(exc)
    if any(isinstance(e, RecursionError) for e in chain) or "recursion depth" in str(exc):
        return "the file's objects nest too deeply to read (a loop or absurd depth in the PDF)"
    text = str(exc)
    for prefix in (f"{path}: ", f"{path.name}: "):  # the message usually names the file already
        text = text.removeprefix(prefix)
    text = shorten(text, MAX_QUOTE_CHARS)
    if type(exc).__module__.split(".")[0] in ("pdfminer", "pdfplumber"):
        return f"the PDF could not be read: pdfminer says \"{text}\"" if text else \
            "the PDF could not be read (pdfminer gives no reason)"
    return f"{type(exc).__name__}: {text}" if text else f"{type(exc).__name__} (no message)"


# pdfminer's wording when zlib cannot get memory for a stream (the address-space limit).
_ALLOCATION_FAILED = "unable to allocate"


def _out_of_memory(exc: BaseException) -> bool:
    return any(isinstance(e, MemoryError) or (isinstance(e, OSError) and e.errno == errno.ENOMEM)
               or _ALLOCATION_FAILED in str(e).lower() for e in _chain(exc))


def process_one(path: Path, staging_dir: Path, process: str | ProcessFn = DEFAULT_PROCESS,
                csv: bool = False) -> Outcome:
    """Run one file through ``process`` in this process and write its outputs under
    ``staging_dir`` (``<region>/<dinas>/<year>/<stem>.json`` and ``.parquet``; with ``csv`` a
    ``.csv`` beside each of those Parquet files, never inside the dataset). Never raises for
    a bad file: the Outcome says ``failed`` (with a plain reason) or ``memory``."""
    from renjana.emit import write_all

    started = time.monotonic()
    path, staging_dir = Path(path), Path(staging_dir)
    try:
        result = _resolve(process)(path)
        written = write_all(result, staging_dir)
        if csv:
            from renjana.export import csv_beside

            written += csv_beside(p for p in written if p.parent == written[0].parent)  # JSON's folder
        summary = _summarize(result, [str(p.relative_to(staging_dir)) for p in written])
        del result
        return Outcome(summary.status, summary, summary.reason, staging=str(staging_dir),
                       seconds=time.monotonic() - started)
    except BaseException as exc:  # noqa: BLE001 - every failure is reported, none escapes
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            raise
        if _out_of_memory(exc):
            return Outcome("memory", seconds=time.monotonic() - started)
        return Outcome("failed", reason=_exception_reason(path, exc), detail=traceback.format_exc(),
                       seconds=time.monotonic() - started)


def outcome_record(path: Path, sha256: str, outcome: Outcome, seconds: float) -> dict:
    """The manifest fields of one file's outcome (see :mod:`renjana.manifest`)."""
    summary = outcome.summary
    record = {
        "name": safe_name(Path(path).name), "sha256": sha256, "size": _size(path),
        "pages_in_file": summary.pages_in_file if summary else None,
        "pages_read": summary.pages_read if summary else 0,
        "status": outcome.status, "reason": outcome.reason,
        "notes": summary.notes if summary else [],
        "tables": summary.tables if summary else 0, "rows": summary.rows if summary else 0,
        "findings": {"errors": summary.errors, "warnings": summary.warnings} if summary else {},
        "seconds": {"worker": round(outcome.seconds, 3), "total": round(seconds, 3)},
        "worker_peak_rss_mb": outcome.peak_rss_mb,
    }
    return record


def _size(path: Path) -> int | None:
    try:
        return Path(path).stat().st_size
    except OSError:
        return None


# --------------------------------------------------------------------------- worker side
def resident_bytes(pid: int) -> int:
    """Resident memory (RSS) of process ``pid`` and all its descendants, in bytes; 0 when it is
    gone. (An OCR engine or a helper a library starts counts against its worker's limit.)"""
    import psutil

    try:
        process = psutil.Process(pid)
        descendants = _descendants(pid)
        family = [process] + (process.children(recursive=True) if descendants is None else descendants)
    except psutil.Error:
        return 0
    total = 0
    for member in family:
        try:
            if isinstance(member, int):
                member = psutil.Process(member)
            total += member.memory_info().rss
        except psutil.Error:
            pass  # exited between the listing and the reading
    return total


def _descendants(pid: int) -> list[int] | None:
    """The process ids below ``pid``, from Linux's ``/proc/PID/task/TID/children`` (a few small
    reads); None where the kernel has no such file, and psutil is asked instead. psutil's
    ``children(recursive=True)`` reads the ``stat`` file of every process on the machine: polled
    every :data:`RSS_POLL_S` for each busy worker, that took a tenth of a core from the workers."""
    if not os.path.exists(f"/proc/self/task/{os.getpid()}/children"):
        return None  # not Linux, or a kernel without CONFIG_PROC_CHILDREN
    found: list[int] = []
    stack = [pid]
    while stack:
        parent = stack.pop()
        try:
            tasks = os.listdir(f"/proc/{parent}/task")
        except OSError:
            continue  # gone between the listing and the reading
        for task in tasks:
            try:
                with open(f"/proc/{parent}/task/{task}/children", "rb") as handle:
                    children = [int(word) for word in handle.read().split()]
            except (OSError, ValueError):
                continue  # the thread or process ended meanwhile
            found.extend(children)
            stack.extend(children)
    return found


def address_space_limit(memory_bytes: int) -> int:
    """The worker's RLIMIT_AS backstop for a resident-memory limit of ``memory_bytes``."""
    return max(ADDRESS_SPACE_FACTOR * memory_bytes, MIN_ADDRESS_SPACE_BYTES)


def _start_failure(exc: BaseException) -> Outcome:
    """The Outcome of a worker that could not import or set up the pipeline."""
    if _out_of_memory(exc):
        return Outcome("memory", reason="the worker could not start: out of memory while importing")
    return Outcome("failed", reason=_cut(f"the worker could not start: {type(exc).__name__}: {exc}"),
                   detail=traceback.format_exc())


def _worker_main(conn: Connection, parent_pid: int, settings: RunSettings) -> None:
    """A worker: limits once, the pipeline imported once, then one file per message until EOF."""
    import resource

    die_with_parent(parent_pid)  # armed already on import when started by _spawn
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    resource.setrlimit(resource.RLIMIT_CORE, (CORE_LIMIT_BYTES, CORE_LIMIT_BYTES))
    if settings.memory_bytes is not None:
        # Never above the hard limit the worker inherited (``ulimit -v``): an unprivileged
        # process cannot raise it, and trying fails every file.
        hard = resource.getrlimit(resource.RLIMIT_AS)[1]
        backstop = address_space_limit(settings.memory_bytes)
        if hard != resource.RLIM_INFINITY:
            backstop = min(backstop, hard)
        resource.setrlimit(resource.RLIMIT_AS, (backstop, backstop))
    sys.setrecursionlimit(WORKER_RECURSION_LIMIT)
    # Library warnings (pdfminer's "Incorrect length for stream", …) would print on stderr
    # through logging's last resort, without the file's name, across the progress display; what
    # they mean for the file reaches the user as its notes and status instead.
    logging.getLogger().addHandler(logging.NullHandler())
    try:
        process = _resolve(settings.process)
    except BaseException as exc:  # noqa: BLE001 - told to the parent as its file's outcome
        try:
            conn.send((_start_failure(exc), True))
        except (OSError, MemoryError):
            pass
        conn.close()
        return
    set_listener(lambda page, pages: conn.send((PAGE, page, pages)))
    # signal.alarm takes a C unsigned int of seconds: a longer (or infinite) limit is the longest alarm.
    limit_s = settings.timeout_s + ALARM_GRACE_S
    alarm_s = math.ceil(limit_s) if math.isfinite(limit_s) and limit_s < MAX_ALARM_S else MAX_ALARM_S
    done = 0
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        path, staging = job
        conn.send(STARTED)
        signal.alarm(alarm_s)
        outcome = process_one(Path(path), Path(staging), process, csv=settings.csv)
        signal.alarm(0)
        outcome = dataclasses.replace(
            outcome, peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1))
        done += 1
        retire = outcome.status == "memory" or done >= MAX_FILES_PER_WORKER or (
            settings.memory_bytes is not None
            and resident_bytes(os.getpid()) > RETIRE_SHARE * settings.memory_bytes)
        try:
            conn.send((outcome, retire))
        except MemoryError:
            os._exit(EXIT_OUT_OF_MEMORY)
        if retire:
            conn.close()
            return


# --------------------------------------------------------------------------- parent side
@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    job: tuple | None = None  # (index, path, sha256, staging)
    deadline: float = math.inf
    started: float = 0.0
    began: bool = False  # it has said STARTED for a file once: its imports are done

    def over_limit(self, settings: RunSettings) -> bool:
        """Whether its resident memory (with its children's) passed the limit."""
        return settings.memory_bytes is not None and self.process.pid is not None and \
            resident_bytes(self.process.pid) > settings.memory_bytes

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.conn.close()


# One thread for the numeric and OCR libraries inside a worker: the batch's parallelism is its
# workers, and each extra OpenBLAS or OpenMP thread reserves its own buffers, which under the
# worker's address-space limit made OpenBLAS give up and exit the process mid-file.
WORKER_THREAD_ENV = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "OMP_THREAD_LIMIT": "1",
                     "MKL_NUM_THREADS": "1"}


def _spawn(ctx, settings: RunSettings) -> _Worker:
    for name, value in WORKER_THREAD_ENV.items():  # the spawned interpreter starts with them
        os.environ.setdefault(name, value)
    parent_conn, child_conn = ctx.Pipe(duplex=True)
    process = ctx.Process(target=_worker_main, args=(child_conn, os.getpid(), settings),
                          name="renjana-worker", daemon=True)
    # The worker asks to die with this process on its first import of renjana, before the main
    # module's imports (renjana.lifeline); only the worker's environment carries the variable.
    os.environ[PARENT_ENV] = str(os.getpid())
    try:
        process.start()
    finally:
        os.environ.pop(PARENT_ENV, None)
    child_conn.close()  # only the child holds its end now: its death reads as EOF here
    return _Worker(process, parent_conn)


def _exit_reason(exitcode: int | None, settings: RunSettings, began: bool = True) -> tuple[str, str]:
    """(status, reason) of a worker that died without an answer (``began``: after it had
    started the file, else while it was starting)."""
    if not began:
        status, reason = _exit_reason(exitcode, settings)
        if status == "timed-out":
            return status, reason
        reason = reason.replace(" without a result", "")
        return status, f"the worker could not start ({reason})"
    if exitcode == -signal.SIGALRM:
        return "timed-out", f"timed out after {settings.timeout_s:g} s"
    if exitcode is not None and exitcode < 0:
        try:
            return "failed", f"killed by signal {signal.Signals(-exitcode).name}"
        except ValueError:
            return "failed", f"killed by signal {-exitcode}"
    if exitcode == EXIT_OUT_OF_MEMORY:
        return "memory", _memory_reason(settings)
    return "failed", f"worker exited with status {exitcode} without a result"


def _memory_reason(settings: RunSettings) -> str:
    limit = settings.memory_bytes
    return f"memory limit {format_bytes(limit)} exceeded (resident memory)" if limit else "out of memory"


def _killed_for_memory(worker: _Worker, settings: RunSettings) -> Outcome:
    began = worker.began
    worker.kill()
    reason = _memory_reason(settings)
    return Outcome("memory", reason=reason if began else f"the worker could not start: {reason}")


def run_isolated(path: Path, staging_dir: Path, settings: RunSettings = RunSettings()) -> Outcome:
    """:func:`process_one` in a fresh child process under ``settings``' time and memory limits."""
    ctx = multiprocessing.get_context(START_METHOD)
    worker = _spawn(ctx, settings)
    started = time.monotonic()
    try:
        worker.conn.send((Path(path), Path(staging_dir)))
        worker.deadline = started + WORKER_START_S + settings.timeout_s
        outcome = _await(worker, settings)
    finally:
        try:
            worker.conn.send(None)
        except OSError:
            pass
        worker.process.join(1.0)
        worker.kill()
    return outcome


def _await(worker: _Worker, settings: RunSettings) -> Outcome:
    while True:
        wait([worker.conn, worker.process.sentinel], _poll_timeout([worker], settings))
        answer = _answer(worker, settings)
        if answer is not None:
            return answer[0]
        if worker.over_limit(settings):
            return _killed_for_memory(worker, settings)
        if time.monotonic() >= worker.deadline:
            worker.kill()
            return Outcome("timed-out", reason=f"timed out after {settings.timeout_s:g} s")


def _poll_timeout(busy: list[_Worker], settings: RunSettings) -> float:
    """How long to wait for the busy workers: until the next deadline, or the next memory poll."""
    timeout = max(0.0, min(w.deadline for w in busy) - time.monotonic())
    return min(timeout, RSS_POLL_S) if settings.memory_bytes is not None else timeout


def _answer(worker: _Worker, settings: RunSettings,
            on_page: Callable[[tuple, int, int], None] | None = None) -> tuple[Outcome, bool] | None:
    """(the worker's Outcome, whether it takes another file) once it has answered or died, else
    None (still working). Page messages on the way go to ``on_page(job, page, pages)``."""
    alive = worker.process.is_alive()  # before reading: a worker seen dead has sent all it will
    try:
        message = STARTED
        while message == STARTED and worker.conn.poll():
            message = worker.conn.recv()
            if message == STARTED:  # the file's time limit starts now
                worker.deadline = time.monotonic() + settings.timeout_s
                worker.began = True
            elif isinstance(message, tuple) and len(message) == 3 and message[0] == PAGE:
                if on_page is not None and worker.job is not None:
                    on_page(worker.job, message[1], message[2])
                message = STARTED  # not the answer yet: read on
        if message != STARTED:
            outcome, retiring = message
            if outcome.status == "memory" and worker.began:
                outcome = dataclasses.replace(outcome, reason=_memory_reason(settings))
            return outcome, not retiring
        if alive:
            return None
    except (EOFError, OSError, TypeError, ValueError):
        pass  # the pipe closed without an answer: the worker died
    worker.process.join(5.0)
    status, reason = _exit_reason(worker.process.exitcode, settings, worker.began)
    return Outcome(status, reason=reason), False


def still_done(record: dict) -> bool:
    """Whether a complete earlier output may stand on a resume: one whose pages needed OCR is
    redone once OCR can run here (installed since, and not switched off)."""
    if record.get("status") != "needs-ocr":
        return True
    from renjana.extract.ocr import ocr_mode
    from renjana.extract.ocr.engine import ocr_missing

    return ocr_mode() == "off" or ocr_missing() is not None


def _skipped(path: Path, sha256: str, record: dict) -> FileResult:
    summary = Summary(outputs=list(record.get("outputs", [])), pages=record.get("pages_in_file") or 0,
                      tables=record.get("tables", 0), rows=record.get("rows", 0),
                      errors=record.get("findings", {}).get("errors", 0),
                      warnings=record.get("findings", {}).get("warnings", 0),
                      pages_in_file=record.get("pages_in_file") or 0,
                      pages_read=record.get("pages_read", 0), status=record["status"],
                      reason=record.get("reason", ""))
    return FileResult(path, summary, status=record["status"], sha256=sha256, skipped=True)


def _result(path: Path, sha256: str, outcome: Outcome, record: dict, out_dir: Path) -> FileResult:
    seconds = record["seconds"]["total"]
    if outcome.summary is None or outcome.status not in DONE_STATUSES:  # no outputs kept
        return FileResult(path, failure=outcome.reason, detail=outcome.detail, status=outcome.status,
                          sha256=sha256, seconds=seconds)
    summary = Summary(**{**outcome.summary.__dict__,
                         "outputs": [str(out_dir / rel) for rel in record["outputs"]]})
    return FileResult(path, summary, status=outcome.status, sha256=sha256, seconds=seconds)


def resumed(store: OutputStore, path: Path, sha256: str, force: bool = False) -> FileResult | None:
    """The result of a file a resume skips (its earlier, complete output stands: same content,
    tool version and reading modes, see :func:`still_done`), else None (``force``: never)."""
    earlier = None if force else store.complete(path, sha256)
    if earlier is None or not still_done(earlier):
        return None
    return _skipped(path, sha256, earlier)


def commit_outcome(store: OutputStore, path: Path, sha256: str, outcome: Outcome, staging: Path | None,
                   seconds: float) -> FileResult:
    """Move a file's staged outputs into place with its manifest record (a file that did not go
    through has its staging folder removed) and return its FileResult. Used by the local pool
    and by the Dask client alike."""
    done = outcome.status in DONE_STATUSES
    item = store.commit(path, outcome_record(path, sha256, outcome, seconds), staging if done else None)
    if not done:
        store.discard(staging)
    elif item["status"] != outcome.status:  # its files could not be moved into place
        outcome = Outcome(item["status"], reason=item["reason"], seconds=outcome.seconds)
    return _result(path, sha256, outcome, item, store.out)


def run_files(paths: Iterable[Path], out_dir: Path, settings: RunSettings = RunSettings(),
              on_done: Callable[[FileResult], None] | None = None, *, force: bool = False,
              on_start: Callable[[Path], None] | None = None,
              store: OutputStore | None = None,
              on_page: Callable[[Path, int, int], None] | None = None) -> RunReport:
    """Process every file (at most ``settings.workers`` at once) into ``out_dir``.

    Results come back in input order; ``on_start`` / ``on_done`` are called as each file starts
    and finishes, ``on_page(path, page, pages)`` after each page a worker has read (progress
    display). Files whose content and tool version already have a complete
    output are skipped (reported with ``skipped=True``) unless ``force``. A KeyboardInterrupt
    (Ctrl-C, or SIGTERM turned into one by the CLI) stops the workers and returns the report so
    far with ``interrupted=True``. Raises :class:`renjana.manifest.OutputError` before any file is
    opened when ``out_dir`` cannot be used.
    """
    own_store = store is None
    store = OutputStore(out_dir) if store is None else store
    ctx = multiprocessing.get_context(START_METHOD)
    started = time.monotonic()
    todo = list(enumerate(Path(p) for p in paths))
    results: list[FileResult | None] = [None] * len(todo)
    todo.reverse()  # pop() takes the next file in input order
    workers: list[_Worker] = []
    interrupted = False

    def page_seen(job: tuple, page: int, pages: int) -> None:
        if on_page is not None:
            on_page(job[1], page, pages)

    def finish(index: int, result: FileResult) -> None:
        results[index] = result
        if on_done is not None:
            on_done(result)

    def settle(worker: _Worker, outcome: Outcome) -> None:
        index, path, sha, staging = worker.job
        worker.job, worker.deadline = None, math.inf
        finish(index, commit_outcome(store, path, sha, outcome, Path(staging), time.monotonic() - worker.started))

    try:
        while todo or any(w.job for w in workers):
            while todo and sum(w.job is not None for w in workers) < max(1, settings.workers):
                index, path = todo.pop()
                try:
                    sha = file_sha256(path)
                except OSError as exc:
                    unread = Outcome("failed", reason=unreadable_input(exc))
                    finish(index, commit_outcome(store, path, "", unread, None, 0.0))
                    continue
                skipped = resumed(store, path, sha, force)
                if skipped is not None:
                    finish(index, skipped)
                    continue
                idle = next((w for w in workers if w.job is None), None)
                if idle is None:
                    idle = _spawn(ctx, settings)
                    workers.append(idle)
                staging = store.staging_dir()
                idle.job = (index, path, sha, str(staging))
                idle.started = time.monotonic()
                idle.deadline = idle.started + WORKER_START_S + settings.timeout_s
                idle.conn.send((path, staging))
                if on_start is not None:
                    on_start(path)
            busy = [w for w in workers if w.job is not None]
            if not busy:
                continue
            wait([w.conn for w in busy] + [w.process.sentinel for w in busy], _poll_timeout(busy, settings))
            for worker in busy:
                answer = _answer(worker, settings, page_seen)
                if answer is None and worker.over_limit(settings):
                    answer = _killed_for_memory(worker, settings), False
                if answer is None and time.monotonic() >= worker.deadline:
                    worker.kill()
                    answer = Outcome("timed-out", reason=f"timed out after {settings.timeout_s:g} s"), False
                if answer is None:
                    continue
                outcome, reusable = answer
                if not reusable:
                    workers.remove(worker)
                    worker.kill()
                settle(worker, outcome)
    except KeyboardInterrupt:
        interrupted = True
    finally:  # interrupted or failing callback: no worker outlives the run, no staging is left
        for worker in workers:
            if worker.job is not None:
                store.discard(Path(worker.job[3]))
            try:
                worker.conn.send(None)
            except OSError:
                pass
        deadline = time.monotonic() + 1.0
        for worker in workers:
            if worker.job is None:
                worker.process.join(max(0.0, deadline - time.monotonic()))
            worker.kill()
        if own_store:
            store.close()
    done = [r for r in results if r is not None]
    return RunReport(done, time.monotonic() - started, interrupted=interrupted,
                     total_inputs=len(results), cleaned=list(store.cleaned))
