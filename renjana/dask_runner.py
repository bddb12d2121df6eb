"""Run the pipeline over many PDFs on an existing Dask distributed cluster (``--scheduler``).

Each PDF becomes one task. The client reads the PDF and sends its bytes with the task, so the
workers need no shared file system. On the worker the task writes the PDF to a temporary folder
and runs it with :func:`renjana.runner.run_isolated` (the file in its own child process, with the
same time and memory limits as ``--workers``) inside a fresh interpreter started with
:mod:`subprocess` (Dask's worker processes are daemons by default, and a daemon process may not
start multiprocessing children). The task returns the file's :class:`~renjana.runner.Outcome`
and the bytes of the outputs it staged; the **client** stages them in OUT and commits them with
their manifest record (:class:`renjana.manifest.OutputStore`), exactly as the local runner does.
So a worker that dies loses nothing: Dask runs its task again on another worker (up to the
scheduler's ``allowed-failures``), after which the file is recorded failed with the reason.
Resume works as for a local run: a file whose content and tool version already have a complete
output is skipped before it is sent.

At most :data:`IN_FLIGHT_PER_THREAD` tasks per worker thread are submitted at once, so the
client holds only that many PDFs in memory however long the list.
"""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from renjana.manifest import DONE_STATUSES, OutputStore, file_sha256
from renjana.wording import unreadable_input
from renjana.runner import (FileResult, Outcome, RunReport, RunSettings, commit_outcome, resumed,
                            run_isolated)

__all__ = ["run_files_dask", "run_one_isolated"]

# The environment variables that choose how a PDF is read (see renjana.extract.reader, .ocr).
MODE_ENVS = ("RENJANA_READER", "RENJANA_OCR")
# Tasks submitted per worker thread of the cluster: one running, one queued behind it.
IN_FLIGHT_PER_THREAD = 2
# The task's own process gets this long beyond the file's limit to start, report and exit.
TASK_GRACE_S = 180.0


def run_one_isolated(name: str, data: bytes, settings: RunSettings,
                     modes: dict[str, str] | None = None) -> tuple[Outcome, dict[str, bytes]]:
    """Worker side: the PDF ``data`` (file name ``name``) through :func:`run_isolated` in a fresh
    interpreter whose environment carries ``modes`` (the client's reading modes, e.g.
    ``RENJANA_READER``, ``RENJANA_OCR``). Returns the Outcome and the staged outputs (path
    relative to the staging folder → bytes; empty for a file that failed)."""
    if not isinstance(settings.process, str):
        raise TypeError("a Dask run needs settings.process as 'module:function'")
    with tempfile.TemporaryDirectory(prefix="renjana-dask-") as tmp:
        pdf = Path(tmp) / "in" / Path(name).name
        pdf.parent.mkdir()
        pdf.write_bytes(data)
        staging, answer = Path(tmp) / "staging", Path(tmp) / "outcome.pickle"
        staging.mkdir()
        args = {"pdf": str(pdf), "staging": str(staging), "answer": str(answer),
                "timeout_s": settings.timeout_s, "memory_bytes": settings.memory_bytes,
                "process": settings.process, "csv": settings.csv}
        try:
            done = subprocess.run([sys.executable, "-m", "renjana.dask_runner", json.dumps(args)],
                                  capture_output=True, text=True, timeout=settings.timeout_s + TASK_GRACE_S,
                                  env={**os.environ, **(modes or {})})
        except subprocess.TimeoutExpired:
            return Outcome("timed-out", reason=f"timed out after {settings.timeout_s:g} s"), {}
        if done.returncode != 0 or not answer.is_file():
            return Outcome("failed", reason=f"task process exited with status {done.returncode}",
                           detail=done.stderr[-4000:]), {}
        outcome = pickle.loads(answer.read_bytes())
        files = {str(p.relative_to(staging)): p.read_bytes() for p in staging.rglob("*") if p.is_file()}
        return outcome, files


def _one(args: dict) -> None:
    """The task's child interpreter: one file through :func:`run_isolated`, its Outcome pickled
    to ``args["answer"]``."""
    settings = RunSettings(timeout_s=args["timeout_s"], memory_bytes=args["memory_bytes"],
                           workers=1, process=args["process"], csv=args.get("csv", False))
    outcome = run_isolated(Path(args["pdf"]), Path(args["staging"]), settings)
    Path(args["answer"]).write_bytes(pickle.dumps(outcome))


def _commit(store: OutputStore, path: Path, sha: str, outcome: Outcome, files: dict[str, bytes],
            seconds: float) -> FileResult:
    """Client side: stage the task's outputs in OUT and commit them with their record."""
    staging = store.staging_dir()
    if outcome.status in DONE_STATUSES:
        for rel, data in files.items():
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    return commit_outcome(store, path, sha, outcome, staging, seconds)


def run_files_dask(paths: Iterable[Path], out_dir: Path, settings: RunSettings, address: str,
                   on_done: Callable[[FileResult], None] | None = None, *, force: bool = False,
                   on_start: Callable[[Path], None] | None = None,
                   store: OutputStore | None = None) -> RunReport:
    """Like :func:`renjana.runner.run_files`, on the Dask scheduler at ``address``
    (``tcp://host:8786``, or a ``distributed.LocalCluster``'s ``scheduler_address``); results
    come back in input order. Raises OSError when the scheduler cannot be reached and
    :class:`renjana.manifest.OutputError` when ``out_dir`` cannot be used."""
    from distributed import Client, as_completed  # an extra: imported only for a Dask run

    own_store = store is None
    store = OutputStore(Path(out_dir)) if store is None else store
    started = time.monotonic()
    todo = list(enumerate(Path(p) for p in paths))
    todo.reverse()
    results: list[FileResult | None] = [None] * len(todo)
    interrupted = False
    # The reading modes chosen on the client (renjana run --reader, --no-ocr, --ocr-check) go
    # with every task: a remote worker does not inherit the client's environment.
    modes = {env: os.environ[env] for env in MODE_ENVS if os.environ.get(env)}

    def finish(index: int, result: FileResult) -> None:
        results[index] = result
        if on_done is not None:
            on_done(result)

    try:
        with Client(address, timeout="30s") as client:
            threads = sum(client.nthreads().values()) or 1
            queue = as_completed()
            owner: dict[str, tuple[int, Path, str, float]] = {}

            def submit() -> None:
                index, path = todo.pop()
                try:
                    sha = file_sha256(path)
                    data = path.read_bytes()
                except OSError as exc:
                    finish(index, _commit(store, path, "", Outcome(
                        "failed", reason=unreadable_input(exc)), {}, 0.0))
                    return
                skipped = resumed(store, path, sha, force)
                if skipped is not None:
                    finish(index, skipped)
                    return
                future = client.submit(run_one_isolated, path.name, data, settings, modes, pure=False,
                                       key=f"renjana-{index}-{sha[:12]}")
                owner[future.key] = (index, path, sha, time.monotonic())
                queue.add(future)
                if on_start is not None:
                    on_start(path)

            def fill() -> None:
                while todo and queue.count() < threads * IN_FLIGHT_PER_THREAD:
                    submit()

            fill()
            for future in queue:
                index, path, sha, sent = owner.pop(future.key)
                try:
                    outcome, files = future.result()
                except Exception as exc:  # noqa: BLE001 - a lost worker, a task error: the file failed
                    outcome, files = Outcome("failed", reason=f"dask task failed: {type(exc).__name__}: {exc}"), {}
                finish(index, _commit(store, path, sha, outcome, files, time.monotonic() - sent))
                fill()
    except KeyboardInterrupt:
        interrupted = True
    finally:
        if own_store:
            store.close()
    done = [r for r in results if r is not None]
    return RunReport(done, time.monotonic() - started, interrupted=interrupted, total_inputs=len(results),
                     cleaned=list(store.cleaned))


if __name__ == "__main__":
    _one(json.loads(sys.argv[1]))
