"""Run the pipeline over many PDFs on an existing Dask distributed cluster (``--scheduler``).

Each PDF becomes one task. The client reads the PDF and sends its bytes with the task, so the
workers need no shared file system. On the worker the task writes the PDF to a temporary folder
and runs it with the local runner (:func:`renjana.runner.run_files`: the file in its own child
process, with the same time and memory limits as ``--workers``), inside a fresh interpreter
started with :mod:`subprocess` (Dask's worker processes are daemons by default, and a daemon
process may not start multiprocessing children). The task returns the document's JSON, or the
failure; the **client** writes every output (:func:`renjana.emit.write_all`), so a worker that
dies loses nothing: Dask runs its task again on another worker (up to the scheduler's
``allowed-failures``), after which the file is reported failed with the reason.

At most :data:`IN_FLIGHT_PER_THREAD` tasks per worker thread are submitted at once, so the
client holds only that many PDFs in memory however long the list.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from renjana.emit import write_all
from renjana.models import DocumentResult
from renjana.runner import FileResult, RunReport, RunSettings, Summary, run_files

__all__ = ["run_files_dask", "run_one_isolated"]

# Tasks submitted per worker thread of the cluster: one running, one queued behind it.
IN_FLIGHT_PER_THREAD = 2
# The task's own process gets this long beyond the file's limit to start, report and exit.
TASK_GRACE_S = 60.0


def run_one_isolated(name: str, data: bytes, settings: RunSettings) -> dict:
    """Worker side: the PDF ``data`` (file name ``name``) through the local runner in a fresh
    interpreter. Returns ``{"json": text}`` or ``{"failure": reason, "detail": traceback}``."""
    if not isinstance(settings.process, str):
        raise TypeError("a Dask run needs settings.process as 'module:function'")
    with tempfile.TemporaryDirectory(prefix="renjana-dask-") as tmp:
        pdf = Path(tmp) / "in" / Path(name).name
        pdf.parent.mkdir()
        pdf.write_bytes(data)
        args = {"pdf": str(pdf), "out": str(Path(tmp) / "out"), "timeout_s": settings.timeout_s,
                "memory_bytes": settings.memory_bytes, "process": settings.process}
        try:
            done = subprocess.run([sys.executable, "-m", "renjana.dask_runner", json.dumps(args)],
                                  capture_output=True, text=True,
                                  timeout=settings.timeout_s + TASK_GRACE_S)
        except subprocess.TimeoutExpired:
            return {"failure": f"timed out after {settings.timeout_s:g} s", "detail": ""}
        lines = done.stdout.strip().splitlines()
        if done.returncode != 0 or not lines:
            return {"failure": f"task process exited with status {done.returncode}",
                    "detail": done.stderr[-4000:]}
        answer = json.loads(lines[-1])
        if "json_path" in answer:
            return {"json": Path(answer.pop("json_path")).read_text(encoding="utf-8")}
        return answer


def _one(args: dict) -> dict:
    """The task's child interpreter: one file through :func:`run_files`."""
    settings = RunSettings(timeout_s=args["timeout_s"], memory_bytes=args["memory_bytes"],
                           workers=1, process=args["process"])
    [result] = run_files([Path(args["pdf"])], Path(args["out"]), settings).results
    if not result.ok:
        return {"failure": result.failure, "detail": result.detail}
    return {"json_path": next(p for p in result.summary.outputs if p.endswith(".json"))}


def _summary(result: DocumentResult, outputs: list[Path]) -> Summary:
    severities = [f.severity for f in result.findings]
    return Summary(outputs=[str(p) for p in outputs], pages=result.source.pages,
                   tables=len(result.tables), rows=sum(len(t.rows) for t in result.tables),
                   errors=severities.count("error"), warnings=severities.count("warning"),
                   notes=list(result.notes))


def _finish(path: Path, answer: dict, out_dir: Path) -> FileResult:
    """Client side: write the outputs of a task's answer."""
    if "json" not in answer:
        return FileResult(path, failure=answer.get("failure", "no result"),
                          detail=answer.get("detail", ""))
    try:
        result = DocumentResult.model_validate_json(answer["json"])
        return FileResult(path, summary=_summary(result, write_all(result, out_dir)))
    except (OSError, ValueError) as exc:
        return FileResult(path, failure=f"writing the outputs failed: {type(exc).__name__}: {exc}")


def run_files_dask(paths: Iterable[Path], out_dir: Path, settings: RunSettings, address: str,
                   on_done: Callable[[FileResult], None] | None = None) -> RunReport:
    """Like :func:`renjana.runner.run_files`, on the Dask scheduler at ``address``
    (``tcp://host:8786``, or a ``distributed.LocalCluster``'s ``scheduler_address``); results
    come back in input order. Raises OSError when the scheduler cannot be reached."""
    from distributed import Client, as_completed  # an extra: imported only for a Dask run

    started = time.monotonic()
    todo = list(enumerate(Path(p) for p in paths))
    todo.reverse()
    results: list[FileResult | None] = [None] * len(todo)
    with Client(address, timeout="30s") as client:
        threads = sum(client.nthreads().values()) or 1
        queue = as_completed()
        owner = {}

        def submit() -> None:
            index, path = todo.pop()
            try:
                data = path.read_bytes()
            except OSError as exc:
                results[index] = FileResult(path, failure=f"cannot read: {exc.strerror or exc}")
                if on_done is not None:
                    on_done(results[index])
                return
            future = client.submit(run_one_isolated, path.name, data, settings, pure=False,
                                   key=f"renjana-{index}-{path.name}")
            owner[future.key] = (index, path)
            queue.add(future)

        while todo and queue.count() < threads * IN_FLIGHT_PER_THREAD:
            submit()
        for future in queue:
            index, path = owner.pop(future.key)
            try:
                result = _finish(path, future.result(), Path(out_dir))
            except Exception as exc:  # noqa: BLE001 - a lost worker, a task error: the file failed
                result = FileResult(path, failure=f"dask task failed: {type(exc).__name__}: {exc}")
            results[index] = result
            if on_done is not None:
                on_done(result)
            while todo and queue.count() < threads * IN_FLIGHT_PER_THREAD:
                submit()
    done = [r for r in results if r is not None]
    return RunReport(done, time.monotonic() - started)


if __name__ == "__main__":
    print(json.dumps(_one(json.loads(sys.argv[1]))), flush=True)
