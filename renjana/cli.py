"""Command line: ``renjana run``, ``audit``, ``schema`` and ``debug``. Thin: the work is in runner and emit."""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from renjana.audit import DEFAULT_DPI, DEFAULT_MAX_CROPS, audit_paths, audit_process
from renjana.debug import DEFAULT_SCALE, draw_page
from renjana.emit import atomic_path
from renjana.extract import ExtractError
from renjana.manifest import FAILED_STATUSES, OutputError, OutputStore
from renjana.models import json_schemas
from renjana.preflight import safe_name
from renjana.runner import DEFAULT_TIMEOUT_S, MIB, FileResult, RunReport, RunSettings, run_files

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Indonesian Renja PDF tables → validated JSON and Parquet.")

DEFAULT_MEMORY_MB = 2048
EXIT_FAILED = 1
EXIT_NO_INPUT = 2
EXIT_INTERRUPTED = 130  # as a shell reports a command stopped by Ctrl-C


def find_pdfs(inputs: list[Path]) -> tuple[list[Path], list[Path]]:
    """PDFs named or found under the inputs (recursively, ``*.pdf`` in any case, sorted), without
    repeats; and the inputs that do not exist."""
    found, seen, missing = [], set(), []
    for item in inputs:
        if item.is_dir():
            pdfs = sorted(p for p in item.rglob("*") if p.suffix.lower() == ".pdf" and p.is_file())
        elif item.is_file():
            pdfs = [item]
        else:
            missing.append(item)
            continue
        for pdf in pdfs:
            if pdf.resolve() not in seen:
                seen.add(pdf.resolve())
                found.append(pdf)
    return found, missing


def _summary_table(report: RunReport, title: str = "renjana run") -> Table:
    """Counts from the run's manifest records: files read, not fully read, failed, skipped."""
    table = Table(title=title, show_header=False)
    table.add_column(style="bold")
    table.add_column(justify="right")
    skipped = sum(r.skipped for r in report.results)
    table.add_row("files", f"{len(report.results)} of {report.total_inputs or len(report.results)}"
                  + (f" ({skipped} already done, skipped)" if skipped else ""))
    table.add_row("read in full", str(report.count("ok")))
    table.add_row("partly read", str(report.count("partial")))
    table.add_row("need OCR", str(report.count("needs-ocr")))
    table.add_row("failed", str(report.count("failed", "timed-out", "memory")))
    for name in ("pages", "tables", "rows"):
        table.add_row(name, str(report.total(name)))
    table.add_row("findings", f"{report.total('errors')} errors, {report.total('warnings')} warnings")
    table.add_row("wall time", f"{report.wall_s:.1f} s")
    return table


# Options shared by the batch commands.
Inputs = Annotated[list[Path], typer.Argument(metavar="INPUT...", help="PDF files or folders.")]
Out = Annotated[Path, typer.Option("-o", "--out", help="Output folder.")]
Timeout = Annotated[float, typer.Option(help="Wall-time limit per file, seconds.")]
MemoryMb = Annotated[int, typer.Option(help="Memory limit per file, MiB.")]
Workers = Annotated[int, typer.Option(min=1, help="Files processed at once.")]
Verbose = Annotated[bool, typer.Option("-v", "--verbose", help="Show tracebacks of failures.")]
Force = Annotated[bool, typer.Option("--force", help="Redo files whose output is already complete.")]
AllowPartial = Annotated[bool, typer.Option(
    "--allow-partial", help="Exit 0 though some files were only partly read (pages lost, damaged).")]


@app.command()
def run(inputs: Inputs, out: Out, timeout: Timeout = DEFAULT_TIMEOUT_S, memory_mb: MemoryMb = DEFAULT_MEMORY_MB,
        workers: Workers = 1, force: Force = False, allow_partial: AllowPartial = False,
        verbose: Verbose = False) -> None:
    """Extract, normalize and validate every PDF; write JSON and Parquet under OUT.

    OUT/manifest.jsonl records every input (status, pages, reason); a rerun skips the files
    already done (--force redoes them)."""
    settings = RunSettings(timeout_s=timeout, memory_bytes=memory_mb * MIB, workers=workers)
    _run(inputs, out, settings, verbose, force=force, allow_partial=allow_partial)


@app.command()
def audit(
    inputs: Inputs, out: Out, timeout: Timeout = DEFAULT_TIMEOUT_S, memory_mb: MemoryMb = DEFAULT_MEMORY_MB,
    workers: Workers = 1, force: Force = False, allow_partial: AllowPartial = False,
    max_crops: int = typer.Option(DEFAULT_MAX_CROPS, min=0, help="Page crops per report."),
    dpi: int = typer.Option(DEFAULT_DPI, min=36, max=600, help="Resolution of the crops."),
    verbose: Verbose = False,
) -> None:
    """Like run, plus per PDF an HTML report of the findings with page crops, CSV and XLSX."""
    settings = RunSettings(timeout_s=timeout, memory_bytes=memory_mb * MIB, workers=workers,
                           process=audit_process(out, max_crops=max_crops, dpi=dpi))
    _run(inputs, out, settings, verbose, force=force, allow_partial=allow_partial, title="renjana audit",
         extra_lines=lambda r: [f"report {audit_paths(Path(p).parent, Path(p).stem)['html']}"
                           for p in r.summary.outputs if p.endswith(".json")])


def _print(console: Console, text: str) -> None:
    console.print(text, soft_wrap=True, markup=False, highlight=False)


class _Progress:
    """Progress of a batch: files done of all, the files in flight, pages per second, an ETA
    (from the bytes of the files still to do), and each failure as it happens."""

    def __init__(self, paths: list[Path], console: Console):
        self.sizes = {p: _size(p) for p in paths}
        self.flight: dict[Path, float] = {}
        self.pages = 0
        self.done = 0
        self.started = time.monotonic()
        self.bar = Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[files]}"),
                            TextColumn("{task.fields[rate]}"), TimeRemainingColumn(), console=console,
                            transient=True)
        self.task = self.bar.add_task("renjana", total=max(1, sum(self.sizes.values())), files="",
                                      rate="")
        self.total_files = len(paths)
        self._refresh()

    def _refresh(self) -> None:
        elapsed = max(1e-6, time.monotonic() - self.started)
        names = ", ".join(safe_name(p.name) for p in self.flight)
        self.bar.update(self.task, description=f"in flight: {names}" if names else "renjana",
                        files=f"{self.done}/{self.total_files} files",
                        rate=f"{self.pages} pages, {self.pages / elapsed:.1f} pages/s")

    def start(self, path: Path) -> None:
        self.flight[path] = time.monotonic()
        self._refresh()

    def done_file(self, result: FileResult) -> None:
        self.flight.pop(result.path, None)
        self.done += 1
        if result.summary is not None and not result.skipped:
            self.pages += result.summary.pages
        self.bar.update(self.task, advance=self.sizes.get(result.path, 0))
        if not result.ok:
            _print(self.bar.console, f"FAILED {result.message}")
        self._refresh()


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _sigterm_as_interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _run(inputs: list[Path], out: Path, settings: RunSettings, verbose: bool, *, force: bool = False,
         allow_partial: bool = False, title: str = "renjana run", extra_lines=lambda result: []) -> None:
    """The files through the runner with a progress display, then the summary, notes and
    failures; ``extra_lines`` gives lines to print for each file done. The output folder is
    checked before any PDF is opened; SIGTERM is handled like Ctrl-C."""
    out_console, err_console = Console(), Console(stderr=True)
    try:
        store = OutputStore(out, variant="" if title == "renjana run" else title.split()[-1])
    except OutputError as exc:
        _print(err_console, str(exc))
        raise typer.Exit(EXIT_NO_INPUT) from None
    with store:
        pdfs, missing = find_pdfs(inputs)
        for item in missing:
            _print(err_console, f"not found: {safe_name(str(item))}")
        if not pdfs:
            err_console.print("no input PDFs found", markup=False)
            raise typer.Exit(EXIT_NO_INPUT)
        progress = _Progress(pdfs, err_console)
        previous = signal.signal(signal.SIGTERM, _sigterm_as_interrupt)
        try:
            with progress.bar:
                report = run_files(pdfs, out, settings, on_done=progress.done_file, force=force,
                                   on_start=progress.start, store=store)
        finally:
            signal.signal(signal.SIGTERM, previous)

    out_console.print(_summary_table(report, title))
    for result in report.results:
        for note in result.summary.notes if result.summary and not result.skipped else []:
            _print(out_console, f"note {result.name}: {note}")
        if result.status in ("partial", "needs-ocr"):
            _print(out_console, f"{result.status.upper()} {result.name}: {result.summary.reason}")
        for line in extra_lines(result) if result.ok else []:
            _print(out_console, line)
    for warning in report.warnings:
        _print(err_console, f"warning {warning}")
    for result in report.failures:
        _print(out_console, f"FAILED {result.message}")
        if verbose and result.detail:
            _print(err_console, result.detail)
    _print(out_console, f"manifest: {safe_name(str(store.manifest_path))}")
    if report.interrupted:
        _print(err_console, f"interrupted: {len(report.results)} of {report.total_inputs} files finished "
                            f"and recorded in {safe_name(str(store.manifest_path))}; run the same "
                            "command again to resume (finished files are skipped)")
        raise typer.Exit(EXIT_INTERRUPTED)
    failing = report.count(*FAILED_STATUSES) + (0 if allow_partial else report.count("partial"))
    if failing:
        raise typer.Exit(EXIT_FAILED)


@app.command()
def schema(out: Path = typer.Option(..., "-o", "--out", help="Folder for the schema files.")) -> None:
    """Write the JSON Schemas of the output documents."""
    for name, document in json_schemas().items():
        target = out / f"{name}.schema.json"
        with atomic_path(target) as tmp:
            tmp.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
        typer.echo(str(target))


@app.command()
def debug(
    pdf: Annotated[Path, typer.Argument(exists=True, dir_okay=False, metavar="PDF", help="The PDF file.")],
    out: Annotated[Path, typer.Option("-o", "--out", help="The PNG to write.")],
    page: Annotated[int, typer.Option("--page", min=1, help="Page number, from 1.")] = 1,
    scale: Annotated[float, typer.Option(min=0.25, max=8.0, help="Pixels per PDF point.")] = DEFAULT_SCALE,
    text: Annotated[bool, typer.Option("--text/--no-text", help="Outline the text lines too.")] = False,
) -> None:
    """Draw one page with what extract found over it (rules, fills, tables, edges, cells) as PNG."""
    try:
        image = draw_page(pdf, page, scale=scale, text_lines=text)
    except (ExtractError, ValueError) as exc:
        Console(stderr=True).print(str(exc), soft_wrap=True, markup=False, highlight=False)
        raise typer.Exit(EXIT_FAILED) from None
    with atomic_path(out) as tmp:
        image.save(tmp, format="PNG", optimize=True)
    typer.echo(str(out))


if __name__ == "__main__":
    app()
