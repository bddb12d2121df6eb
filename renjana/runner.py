"""Run the pipeline over many PDFs, each in its own worker process with a time and memory limit.

A hostile PDF can crash C code (segfault, abort), loop, or eat memory; in its own process it costs
only itself and is reported as a failure naming the file. The worker runs the whole pipeline and
writes the outputs itself (:func:`renjana.emit.write_all`); the parent receives only a small
:class:`Summary`, so its memory stays flat however many files run.

Why one fresh process per file and not ``multiprocessing.Pool(maxtasksperchild=1)`` or a
``ProcessPoolExecutor``: a pool hangs (``Pool``) or breaks for every queued file
(``ProcessPoolExecutor``) when a worker dies of a signal, and neither can kill one task that runs
past its time. Starting our own processes gives each file its own exit status, its own deadline
and its own ``SIGKILL``; a start costs well under a second, small against a PDF's work.

Why the "spawn" start method: the child is a fresh interpreter, so it inherits no threads, locks
or open files from the parent (the CLI's progress bar runs a thread; forking a threaded process can
deadlock), and it behaves the same on Linux and macOS. "forkserver" with the pipeline preloaded
would start faster and is the first thing to try if start-up ever shows in a profile. A caller's
main script must guard its work with ``if __name__ == "__main__":`` (spawn re-imports it).
"""

from __future__ import annotations

import errno
import importlib
import multiprocessing
import os
import signal
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path

from renjana.emit import write_all
from renjana.models import DocumentResult

__all__ = ["FileResult", "RunReport", "RunSettings", "Summary", "run_files", "format_bytes"]

GIB = 1 << 30
MIB = 1 << 20
DEFAULT_TIMEOUT_S = 300.0
DEFAULT_MEMORY_BYTES = 2 * GIB
DEFAULT_PROCESS = "renjana.pipeline:process_file"
START_METHOD = "spawn"
# Exit status of a worker that ran out of memory and could not even send its report.
EXIT_OUT_OF_MEMORY = 86
# A worker that has sent its summary gets this long to exit before it is killed.
EXIT_GRACE_S = 10.0
# No core files from aborting workers: a corpus of hostile PDFs would fill the disk with them.
CORE_LIMIT_BYTES = 0

ProcessFn = Callable[[Path], DocumentResult]


@dataclass(frozen=True)
class RunSettings:
    """How to run: per-file wall time and address-space limit, and how many files at once.

    ``process`` is the function turning one PDF into a DocumentResult, given as
    ``"module:function"`` or a module-level function (it is pickled into the worker by name).
    ``memory_bytes`` limits each worker, so the machine needs ``workers × memory_bytes``.
    """

    timeout_s: float = DEFAULT_TIMEOUT_S
    memory_bytes: int | None = DEFAULT_MEMORY_BYTES
    workers: int = 1
    process: str | ProcessFn = DEFAULT_PROCESS


@dataclass(frozen=True)
class Summary:
    """What a worker reports back for a file it finished: where it wrote and how much it found."""

    outputs: list[str]
    pages: int
    tables: int
    rows: int
    errors: int
    warnings: int
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class FileResult:
    """One input file: its summary when it went through, else the reason it failed."""

    path: Path
    summary: Summary | None = None
    failure: str | None = None
    detail: str = ""  # traceback of an exception in the worker, for debugging

    @property
    def ok(self) -> bool:
        return self.summary is not None

    @property
    def message(self) -> str:
        return f"{self.path}: {self.failure}"


@dataclass(frozen=True)
class RunReport:
    results: list[FileResult]
    wall_s: float
    warnings: list[str] = field(default_factory=list)

    @property
    def failures(self) -> list[FileResult]:
        return [r for r in self.results if not r.ok]

    def total(self, name: str) -> int:
        """Sum of one Summary count (``pages``, ``tables``, ``rows``, ``errors``, ``warnings``)."""
        return sum(getattr(r.summary, name) for r in self.results if r.summary is not None)


def format_bytes(n: int) -> str:
    return f"{n / GIB:g} GiB" if n % GIB == 0 else f"{n / MIB:g} MiB"


# --------------------------------------------------------------------------- worker side
def _resolve(process: str | ProcessFn) -> ProcessFn:
    if callable(process):
        return process
    module, _, name = process.partition(":")
    return getattr(importlib.import_module(module), name)


def _summarize(result: DocumentResult, outputs: list[Path]) -> Summary:
    severities = [f.severity for f in result.findings]
    return Summary(
        outputs=[str(p) for p in outputs], pages=result.source.pages, tables=len(result.tables),
        rows=sum(len(t.rows) for t in result.tables), errors=severities.count("error"),
        warnings=severities.count("warning"), notes=list(result.notes),
    )


def _exception_reason(path: Path, exc: BaseException) -> str:
    text = str(exc)
    for prefix in (f"{path}: ", f"{path.name}: "):  # the message usually names the file already
        text = text.removeprefix(prefix)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _worker(conn: Connection, path: Path, out_dir: Path, settings: RunSettings) -> None:
    """Child process: limits, then the pipeline and the writing; sends one message back."""
    import resource

    resource.setrlimit(resource.RLIMIT_CORE, (CORE_LIMIT_BYTES, CORE_LIMIT_BYTES))
    if settings.memory_bytes is not None:
        resource.setrlimit(resource.RLIMIT_AS, (settings.memory_bytes, settings.memory_bytes))
    try:
        result = _resolve(settings.process)(path)
        message: tuple = ("ok", _summarize(result, write_all(result, out_dir)))
        del result
    except BaseException as exc:  # noqa: BLE001 - every failure is reported, none escapes
        out_of_memory = isinstance(exc, MemoryError) or (
            isinstance(exc, OSError) and exc.errno == errno.ENOMEM)  # a failed mmap under the limit
        message = ("memory",) if out_of_memory else (
            "error", _exception_reason(path, exc), traceback.format_exc())
    try:
        conn.send(message)
    except MemoryError:
        os._exit(EXIT_OUT_OF_MEMORY)
    finally:
        conn.close()


# --------------------------------------------------------------------------- parent side
@dataclass
class _Job:
    index: int
    path: Path
    process: multiprocessing.process.BaseProcess
    reader: Connection
    deadline: float
    message: tuple | None = None

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.reader.close()


def _start(ctx, index: int, path: Path, out_dir: Path, settings: RunSettings) -> _Job:
    reader, writer = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_worker, args=(writer, path, out_dir, settings),
                          name=f"renjana:{path.name}", daemon=True)
    process.start()
    writer.close()  # only the child holds the write end now: its death reads as EOF here
    return _Job(index, path, process, reader, time.monotonic() + settings.timeout_s)


def _exit_reason(exitcode: int | None, settings: RunSettings) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            return f"killed by signal {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"killed by signal {-exitcode}"
    if exitcode == EXIT_OUT_OF_MEMORY:
        return _memory_reason(settings)
    return f"worker exited with status {exitcode} without a result"


def _memory_reason(settings: RunSettings) -> str:
    limit = settings.memory_bytes
    return f"memory limit {format_bytes(limit)} exceeded" if limit else "out of memory"


def _from_message(job: _Job, settings: RunSettings) -> FileResult:
    kind = job.message[0]
    if kind == "ok":
        return FileResult(job.path, summary=job.message[1])
    if kind == "memory":
        return FileResult(job.path, failure=_memory_reason(settings))
    return FileResult(job.path, failure=job.message[1], detail=job.message[2])


def _poll(job: _Job, settings: RunSettings) -> FileResult | None:
    """The job's result if it is over (answered, died, or out of time), else None."""
    alive = job.process.is_alive()  # before reading: a worker seen dead has sent all it will
    if job.message is None and job.reader.poll():
        try:
            job.message = job.reader.recv()
        except (EOFError, OSError):
            job.message = ()  # pipe closed without an answer: the worker died
    if job.message:
        job.process.join(EXIT_GRACE_S)
        job.stop()
        return _from_message(job, settings)
    if job.message == () or not alive:
        job.process.join(EXIT_GRACE_S)  # pipe closed: the worker is on its way out
        job.stop()
        return FileResult(job.path, failure=_exit_reason(job.process.exitcode, settings))
    if time.monotonic() >= job.deadline:
        job.stop()
        return FileResult(job.path, failure=f"timed out after {settings.timeout_s:g} s")
    return None


def _collisions(results: list[FileResult]) -> list[str]:
    """Two inputs that wrote the same output path: the later one replaced the earlier one's."""
    owner: dict[str, Path] = {}
    warnings = []
    for result in results:
        for output in result.summary.outputs if result.summary else []:
            if output in owner and owner[output] != result.path:
                warnings.append(f"{output}: written for both {owner[output]} and {result.path}")
            owner[output] = result.path
    return warnings


def run_files(paths: Iterable[Path], out_dir: Path, settings: RunSettings = RunSettings(),
              on_done: Callable[[FileResult], None] | None = None) -> RunReport:
    """Process every file (at most ``settings.workers`` at once); results come back in input
    order, ``on_done`` is called as each file finishes (for progress display)."""
    ctx = multiprocessing.get_context(START_METHOD)
    started = time.monotonic()
    todo = list(enumerate(Path(p) for p in paths))
    results: list[FileResult | None] = [None] * len(todo)
    todo.reverse()  # pop() takes the next file in input order
    running: list[_Job] = []
    try:
        while todo or running:
            while todo and len(running) < max(1, settings.workers):
                running.append(_start(ctx, *todo.pop(), Path(out_dir), settings))
            timeout = max(0.0, min(job.deadline for job in running) - time.monotonic())
            wait([job.reader for job in running] + [job.process.sentinel for job in running], timeout)
            for job in list(running):
                result = _poll(job, settings)
                if result is not None:
                    running.remove(job)
                    results[job.index] = result
                    if on_done is not None:
                        on_done(result)
    finally:  # interrupted (Ctrl-C, a failing callback): no worker outlives the run
        for job in running:
            job.stop()
    done = [r for r in results if r is not None]
    return RunReport(done, time.monotonic() - started, _collisions(done))
