"""Command line: ``renjana run``, ``audit``, ``dataset``, ``query``, ``schema`` and ``debug``.
Thin: the work is in runner, dask_runner, emit, dataset and export."""

from __future__ import annotations

import inspect
import json
import os
import signal
import time
from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from renjana.audit import DEFAULT_DPI, DEFAULT_MAX_CROPS, audit_paths, audit_process, write_index
from renjana.dataset import query as run_query
from renjana.dataset import refresh
from renjana.debug import DEFAULT_SCALE, draw_page
from renjana.emit import atomic_path
from renjana.extract import ExtractError
from renjana.export import CSV_DIR, export_views
from renjana.extract.ocr import OCR_ENV
from renjana.extract.reader import READER_ENV, READERS, reader_name
from renjana.manifest import FAILED_STATUSES, OutputError, OutputStore
from renjana.wording import count, printable
from renjana.models import json_schemas
from renjana.preflight import safe_name
from renjana.runner import DEFAULT_TIMEOUT_S, MIB, FileResult, RunReport, RunSettings, run_files

def _help_type(original):
    """typer's help prints a Python type beside arguments and flags (``<list[Path]>``,
    ``<bool>``) whatever their metavar; show the metavar for an argument, nothing for a flag."""
    def display(self, ctx):
        if isinstance(self, typer.core.TyperArgument):
            return None
        return "" if getattr(self, "is_flag", False) and self.metavar is None else original(self, ctx)
    return display


typer.core.TyperArgument.display_type_rich = _help_type(typer.core.TyperArgument.display_type_rich)
typer.core.TyperOption.display_type_rich = _help_type(typer.core.TyperOption.display_type_rich)

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Indonesian Renja PDF tables → validated JSON and Parquet.")


def _command(function):
    """``app.command()`` with the docstring's paragraphs each made one line: typer's rich help
    keeps a paragraph's own line breaks (after the first), and its wrapping at the terminal's
    width then breaks such a line again mid-sentence."""
    paragraphs = inspect.cleandoc(function.__doc__ or "").split("\n\n")
    return app.command(help="\n\n".join(" ".join(p.split()) for p in paragraphs))(function)


DEFAULT_MEMORY_MB = 2048
EXIT_FAILED = 1
EXIT_NO_INPUT = 2
EXIT_INTERRUPTED = 130  # as a shell reports a command stopped by Ctrl-C


def find_pdfs(inputs: list[Path]) -> tuple[list[Path], list[Path]]:
    """PDFs named or found under the inputs (recursively, ``*.pdf`` in any case, sorted), without
    repeats; and the inputs that do not exist. A path named twice (a file and its folder, ``a.pdf``
    and ``./a.pdf``) is one input; a symbolic link is an input of its own, like a copy, and one
    whose target is gone is kept too (its record then says it is not found): the user sees every
    name they gave in the manifest. Folders reached through a link are entered, each real folder
    once (a link back up the tree ends there)."""
    found, seen, missing = [], set(), []
    for item in inputs:
        if item.is_dir():
            pdfs = _pdfs_under(item)
        elif item.is_file():
            pdfs = [item]
        else:
            missing.append(item)
            continue
        for pdf in pdfs:
            key = os.path.abspath(pdf)
            if key not in seen:
                seen.add(key)
                found.append(pdf)
    return found, missing


def _pdfs_under(folder: Path) -> list[Path]:
    """Every ``*.pdf`` name (any case) under ``folder`` that is not a folder, links included,
    sorted; each real folder walked once."""
    walked, pdfs = set(), []
    for root, dirs, files in os.walk(folder, followlinks=True):
        real = os.path.realpath(root)
        if real in walked:
            dirs[:] = []
            continue
        walked.add(real)
        dirs.sort()  # the same walk, so the same names, on every run
        pdfs.extend(Path(root) / name for name in files if name.lower().endswith(".pdf"))
    return sorted(pdfs)


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
    table.add_row("findings", f"{count(report.total('errors'), 'error')}, {count(report.total('warnings'), 'warning')}")
    table.add_row("wall time", f"{report.wall_s:.1f} s")
    return table


# Options shared by the batch commands.
# A metavar on every option (and "" on flags) keeps Python type names out of --help.
Inputs = Annotated[list[Path], typer.Argument(metavar="INPUT", help="PDF files or folders.")]
Out = Annotated[Path, typer.Option("-o", "--out", metavar="FOLDER", help="Output folder.")]
Timeout = Annotated[float, typer.Option(min=0.001, max=1e7, metavar="SECONDS", help="Wall-time limit per file.")]
MemoryMb = Annotated[int, typer.Option(min=1, metavar="MIB", help="Memory limit per file, MiB.")]
Workers = Annotated[int, typer.Option(min=1, metavar="N", help="Files processed at once (local pool).")]
Verbose = Annotated[bool, typer.Option("-v", "--verbose", metavar="", help="Show tracebacks of failures.")]


Force = Annotated[bool, typer.Option("--force", metavar="", help="Redo files whose output is already complete.")]
AllowPartial = Annotated[bool, typer.Option(
    "--allow-partial", metavar="", help="Exit 0 though some files were only partly read (pages lost, damaged).")]


Scheduler = Annotated[str | None, typer.Option(
    metavar="ADDRESS", help="Send each PDF to this Dask scheduler (tcp://host:8786) instead of "
    "the local pool; the same limits per file; needs the dask extra.")]
Csv = Annotated[bool, typer.Option("--csv", metavar="", help="Also write each table kind as CSV, beside "
    "its Parquet file (a rerun with or without --csv redoes the files).")]
Reader = Annotated[str | None, typer.Option(
    metavar="NAME", help=f"PDF reader of extract ({', '.join(READERS)}; default ${READER_ENV} or playa).")]


OcrCheck = Annotated[bool, typer.Option("--ocr-check", metavar="", help="Reread the number cells of "
    "scanned pages with a second OCR reader (RapidOCR; the ocr-check extra): where the two disagree "
    "the cell's confidence drops and both readings are kept.")]
NoOcr = Annotated[bool, typer.Option("--no-ocr", metavar="", help="Do not OCR scanned pages (they are "
    "noted as not read).")]


def _use_ocr(ocr_check: bool, no_ocr: bool) -> None:
    """Set the OCR mode for this run: the worker processes inherit ``$RENJANA_OCR``."""
    if ocr_check and no_ocr:
        raise typer.BadParameter("--ocr-check needs OCR: drop --no-ocr", param_hint="--ocr-check")
    if ocr_check or no_ocr:
        os.environ[OCR_ENV] = "check" if ocr_check else "off"


def _use_reader(reader: str | None) -> None:
    """Set the PDF reader for this run: the worker processes inherit ``$RENJANA_READER``."""
    if reader is None:
        return
    try:
        os.environ[READER_ENV] = reader_name(reader)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--reader") from exc


@_command
def run(inputs: Inputs, out: Out, timeout: Timeout = DEFAULT_TIMEOUT_S, memory_mb: MemoryMb = DEFAULT_MEMORY_MB,
        workers: Workers = 1, force: Force = False, allow_partial: AllowPartial = False,
        scheduler: Scheduler = None, csv: Csv = False, verbose: Verbose = False,
        reader: Reader = None, ocr_check: OcrCheck = False, no_ocr: NoOcr = False) -> None:
    """Extract, normalize and validate every PDF; write JSON and Parquet under OUT.

    OUT/manifest.jsonl records every input (status, pages, reason); a rerun skips the files
    already done (--force redoes them)."""
    _use_reader(reader)
    _use_ocr(ocr_check, no_ocr)
    settings = RunSettings(timeout_s=timeout, memory_bytes=memory_mb * MIB, workers=workers, csv=csv)
    _run(inputs, out, settings, verbose, force=force, allow_partial=allow_partial, scheduler=scheduler,
         extra_lines=lambda r: [f"csv {p}" for p in r.summary.outputs if p.endswith(".csv")])


@_command
def audit(
    inputs: Inputs, out: Out, timeout: Timeout = DEFAULT_TIMEOUT_S, memory_mb: MemoryMb = DEFAULT_MEMORY_MB,
    workers: Workers = 1, force: Force = False, allow_partial: AllowPartial = False,
    max_crops: int = typer.Option(DEFAULT_MAX_CROPS, min=0, metavar="N", help="Page crops per report."),
    dpi: int = typer.Option(DEFAULT_DPI, min=36, max=600, metavar="DPI", help="Resolution of the crops."),
    verbose: Verbose = False,
    reader: Reader = None,
    ocr_check: OcrCheck = False,
    no_ocr: NoOcr = False,
) -> None:
    """Like run, plus per PDF an HTML report of the findings with page crops, CSV and XLSX."""
    _use_reader(reader)
    _use_ocr(ocr_check, no_ocr)
    settings = RunSettings(timeout_s=timeout, memory_bytes=memory_mb * MIB, workers=workers,
                           process=audit_process(out, max_crops=max_crops, dpi=dpi))
    try:
        _run(inputs, out, settings, verbose, force=force, allow_partial=allow_partial, title="renjana audit",
             extra_lines=lambda r: [f"report {audit_paths(Path(p).parent, Path(p).stem)['html']}"
                               for p in r.summary.outputs if p.endswith(".json")])
    finally:  # the batch's index and combined findings, also when a file failed
        if out.is_dir():
            _print(_console(), f"index {write_index(out)['html']}")


def _console(stderr: bool = False, width: int | None = None) -> Console:
    """A console that prints text as given: no emoji codes (``:x:`` stays ``:x:``); what it
    prints is plain text (:func:`_print`) or :class:`Text` cells, never markup."""
    return Console(stderr=stderr, width=width, emoji=False)


def _print(console: Console, text: str, keep_newlines: bool = False) -> None:
    """One line of text as given, not read as rich markup or emoji, its control characters
    shown as escapes (a file name with a line break stays on its line)."""
    console.print(printable(text, keep_newlines), soft_wrap=True, markup=False, highlight=False,
                  emoji=False)


# The progress line (on a terminal): a bar this wide, then files done, pages per second and the
# ETA, then at most IN_FLIGHT_NAMES files in flight (``+N`` for more) with the page each has
# reached, each name cut to IN_FLIGHT_NAME_CHARS, so that with two workers the line fits 100
# columns whole (``40/400 files 123.4 pages/s 0:12:34 lapor…-satu p.120/1400, …``).
PROGRESS_BAR_CHARS = 16
IN_FLIGHT_NAMES = 2
IN_FLIGHT_NAME_CHARS = 12


class _Progress:
    """Progress of a batch: files done of all, the files in flight with the page each has reached,
    pages per second, an ETA (from the bytes of the files still to do, a file in flight counted
    by its pages read), and each failure as it happens.

    The bar is drawn on a terminal only; where the progress stream is not one (a CI log, cron,
    ``2> log``), rich draws nothing until the end, so each finished file is written as one line
    instead (:meth:`line`), and each failure as its ``FAILED`` line."""

    def __init__(self, paths: list[Path], console: Console):
        self.sizes = {p: _size(p) for p in paths}
        self.flight: dict[Path, float] = {}
        self.flight_pages: dict[Path, tuple[int, int]] = {}  # file in flight → (pages read, pages)
        self.done_bytes = 0
        self.pages = 0
        self.done = 0
        self.started = time.monotonic()
        # The files in flight come last, so a narrow terminal cuts them, not the rate and ETA;
        # every text column is plain text (file names are not rich markup).
        self.bar = Progress(BarColumn(bar_width=PROGRESS_BAR_CHARS), TextColumn("{task.fields[files]}", markup=False),
                            TextColumn("{task.fields[rate]}", markup=False), TimeRemainingColumn(),
                            TextColumn("{task.description}", markup=False), console=console,
                            transient=True)
        self.task = self.bar.add_task("", total=max(1, sum(self.sizes.values())), files="", rate="")
        self.total_files = len(paths)
        self._refresh()

    def _refresh(self) -> None:
        elapsed = max(1e-6, time.monotonic() - self.started)
        shown = list(self.flight)[:IN_FLIGHT_NAMES]
        names = ", ".join(_short_name(p) + (f" p.{self.flight_pages[p][0]}/{self.flight_pages[p][1]}"
                                                 if p in self.flight_pages else "") for p in shown)
        if len(self.flight) > len(shown):
            names += f" +{len(self.flight) - len(shown)}"
        pages = self.pages + sum(read for read, _ in self.flight_pages.values())
        # The bar (and its ETA) counts bytes: files done, and the read share of those in flight.
        partial = sum(self.sizes.get(p, 0) * read / max(1, total) for p, (read, total) in self.flight_pages.items())
        self.bar.update(self.task, completed=self.done_bytes + partial,
                        description=names, files=f"{self.done}/{self.total_files} files",
                        rate=f"{pages / elapsed:.1f} pages/s")

    def page(self, path: Path, page: int, pages: int) -> None:
        self.flight_pages[path] = (page, pages)
        self._refresh()

    def start(self, path: Path) -> None:
        self.flight[path] = time.monotonic()
        self._refresh()

    def done_file(self, result: FileResult) -> None:
        self.flight.pop(result.path, None)
        self.flight_pages.pop(result.path, None)
        self.done += 1
        if result.summary is not None and not result.skipped:
            self.pages += result.summary.pages
        self.done_bytes += self.sizes.get(result.path, 0)
        if not result.ok:
            _print(self.bar.console, f"FAILED {result.message}")
        elif not self.bar.console.is_terminal:
            _print(self.bar.console, self.line(result))
        self._refresh()

    def line(self, result: FileResult) -> str:
        """One finished file for a log: ``[12/40] name.pdf ok 3 tables 2.1 s`` (a partly read
        file says why; a file done by an earlier run says so)."""
        summary = result.summary
        head = f"[{self.done}/{self.total_files}] {safe_name(result.path.name)} {result.status}"
        if result.skipped:
            return f"{head}, done by an earlier run (skipped)"
        text = f"{head} {count(summary.tables, 'table')} {result.seconds:.1f} s"
        return f"{text}: {summary.reason}" if result.status != "ok" and summary.reason else text


def _short_name(path: Path) -> str:
    """A file for the progress line: its printable stem, cut in the middle to
    :data:`IN_FLIGHT_NAME_CHARS` (names of one batch often share their start or their end)."""
    text = printable(safe_name(path.stem if path.suffix.lower() == ".pdf" else path.name))
    if len(text) <= IN_FLIGHT_NAME_CHARS:
        return text
    head = (IN_FLIGHT_NAME_CHARS - 1) // 2
    return text[:head] + "…" + text[len(text) - (IN_FLIGHT_NAME_CHARS - 1 - head):]


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _variant(title: str, csv: bool = False) -> str:
    """What a resume must match besides the tool version: the command (an audit writes more
    files than a run), whether CSVs are written, and the reading modes that change outputs
    (reader, OCR mode), so a rerun with other modes redoes the files."""
    parts = ([] if title == "renjana run" else [title.split()[-1]]) + (["csv"] if csv else [])
    for env in (READER_ENV, OCR_ENV):
        if os.environ.get(env):
            parts.append(f"{env.removeprefix('RENJANA_').lower()}={os.environ[env]}")
    return "+".join(parts)


def _sigterm_as_interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _run(inputs: list[Path], out: Path, settings: RunSettings, verbose: bool, *, force: bool = False,
         allow_partial: bool = False, title: str = "renjana run", extra_lines=lambda result: [],
         scheduler: str | None = None) -> None:
    """The files through the runner with a progress display, then the summary, notes and
    failures; ``extra_lines`` gives lines to print for each file done. The output folder is
    checked before any PDF is opened; SIGTERM is handled like Ctrl-C."""
    out_console, err_console = _console(), _console(stderr=True)
    try:
        store = OutputStore(out, variant=_variant(title, settings.csv))
    except OutputError as exc:
        _print(err_console, str(exc))
        raise typer.Exit(EXIT_NO_INPUT) from None
    with store:
        pdfs, missing = find_pdfs(inputs)
        if not pdfs and not missing:
            _print(err_console, "no input PDFs found")
            raise typer.Exit(EXIT_NO_INPUT)
        # A named input that does not exist is an input all the same (alone or with others): it
        # gets its manifest record ("failed", not found) and fails the run, reported like any
        # failure (once as it happens, once in the summary), never just a line on screen.
        pdfs += missing
        progress = _Progress(pdfs, err_console)
        previous = signal.signal(signal.SIGTERM, _sigterm_as_interrupt)
        try:
            with progress.bar:
                if scheduler:
                    from renjana.dask_runner import run_files_dask
                    report = run_files_dask(pdfs, out, settings, scheduler, on_done=progress.done_file,
                                            force=force, on_start=progress.start, store=store)
                else:
                    report = run_files(pdfs, out, settings, on_done=progress.done_file, force=force,
                                       on_start=progress.start, store=store, on_page=progress.page)
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
            _print(err_console, result.detail, keep_newlines=True)
    _print(out_console, f"manifest: {safe_name(str(store.manifest_path))}")
    if report.interrupted:
        _print(err_console, f"interrupted: {len(report.results)} of {count(report.total_inputs, 'file')} finished "
                            f"and recorded in {safe_name(str(store.manifest_path))}; run the same "
                            "command again to resume (finished files are skipped)")
        raise typer.Exit(EXIT_INTERRUPTED)
    failing = report.count(*FAILED_STATUSES) + (0 if allow_partial else report.count("partial"))
    if failing:
        raise typer.Exit(EXIT_FAILED)


@_command
def dataset(
    out: Annotated[Path, typer.Argument(metavar="OUT", help="The output folder of renjana run.")],
    csv: Annotated[bool, typer.Option("--csv", metavar="", help="Also write every view (but the KIND_leaf ones) as OUT/csv/VIEW.csv.")] = False,
) -> None:
    """Bring OUT/dataset in line with the documents in OUT, one schema per table kind, and
    build OUT/renjana.duckdb with a view per kind, KIND_leaf, findings and documents."""
    err_console = _console(stderr=True)
    try:
        report = refresh(out)
    except (OSError, ValueError) as exc:
        _print(err_console, str(exc))
        raise typer.Exit(EXIT_FAILED) from None
    for line in report.skipped:
        _print(err_console, f"skipped {line}")
    table = Table(title=Text(printable(f"renjana dataset: {report.database}")))
    table.add_column("view")
    table.add_column("rows", justify="right")
    for view, rows in report.views.items():
        table.add_row(Text(view), str(rows))
    _console().print(table)
    typer.echo(f"{count(len(report.written), 'document')} written from JSON, {count(len(report.removed), 'part')} "
               f"removed, {count(report.widened, 'part')} widened to their kind's schema")
    if csv:
        views = [v for v in report.views if not v.endswith("_leaf")]
        for path in export_views(report.database, views, Path(out) / CSV_DIR):
            typer.echo(f"csv {path}")


# Rows ``renjana query`` shows in its table unless --limit says otherwise.
QUERY_ROWS_SHOWN = 200
# The console width of ``renjana query --wide``: beyond any table's natural width.
WIDE_CONSOLE_CHARS = 1 << 16


@_command
def query(
    out: Annotated[Path, typer.Argument(metavar="OUT", help="The output folder of renjana dataset.")],
    sql: Annotated[str, typer.Argument(metavar="SQL", help="A query over the views, e.g. "
                                       "\"SELECT region, count(*) FROM findings GROUP BY region\".")],
    limit: Annotated[int | None, typer.Option(min=1, metavar="N", help=(
        f"Rows written at most (default: {QUERY_ROWS_SHOWN} in the table, all with --csv)."))] = None,
    csv_out: Annotated[bool, typer.Option("--csv", metavar="", help=(
        "Write the result as CSV to stdout (a header line, every value whole) instead of a table."))] = False,
    wide: Annotated[bool, typer.Option("--wide", metavar="", help=(
        "Never cut a value to fit the terminal: the table is as wide as its values."))] = False,
) -> None:
    """Run SQL on OUT/renjana.duckdb (read-only) and print the result as a table (values cut
    to fit the terminal; --wide keeps them whole) or, with --csv, as CSV for other tools."""
    import duckdb

    try:
        names, rows = run_query(out, sql)
    except (FileNotFoundError, duckdb.Error) as exc:
        hint = ("\n(a query reads the dataset's views and tables only, no other file)"
                if isinstance(exc, duckdb.PermissionException) else "")
        _print(_console(stderr=True), str(exc) + hint, keep_newlines=True)
        raise typer.Exit(EXIT_FAILED) from None
    if csv_out:
        _write_csv(names, rows if limit is None else rows[:limit])
        return
    limit = limit or QUERY_ROWS_SHOWN
    shown = rows[:limit]
    table = Table(caption=count(len(rows), "row") + (f", first {limit} shown" if len(rows) > limit else ""))
    for index, name in enumerate(names):
        values = [row[index] for row in shown if row[index] is not None]
        numeric = bool(values) and all(map(_is_number, values))
        table.add_column(Text(name), justify="right" if numeric else "left")
    for row in shown:  # Text cells: a value is data, never rich markup or an emoji code
        table.add_row(*(Text("null", style="dim") if v is None else Text(_cell(v)) for v in row))
    # --wide: a console wider than any table, so rich lays the table out at its natural width
    # (rich does not stretch a table to the console's width unless told to).
    _console(width=WIDE_CONSOLE_CHARS if wide else None).print(table)


def _is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _cell(value) -> str:
    """A value as ``renjana query`` shows it: a DECIMAL without the zeros its scale pads it with
    and with thousands separators (``7709750000.000000`` → ``7,709,750,000``, ``63.280000`` →
    ``63.28``); integers as they are (a year is no amount); anything else as ``str``."""
    if isinstance(value, Decimal) and value.is_finite():
        return f"{value.normalize():,f}"
    return str(value)


def _write_csv(names: list[str], rows: list[tuple]) -> None:
    """``rows`` as CSV (RFC 4180, ``\\r\\n`` line ends, NULL as an empty field) to stdout."""
    import csv
    import sys

    writer = csv.writer(sys.stdout)
    writer.writerow(names)
    writer.writerows(["" if v is None else v for v in row] for row in rows)


@_command
def schema(out: Path = typer.Option(..., "-o", "--out", metavar="FOLDER", help="Folder for the schema files.")) -> None:
    """Write the JSON Schemas of the output documents."""
    for name, document in json_schemas().items():
        target = out / f"{name}.schema.json"
        with atomic_path(target) as tmp:
            tmp.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
        typer.echo(str(target))


@_command
def debug(
    pdf: Annotated[Path, typer.Argument(exists=True, dir_okay=False, metavar="PDF", help="The PDF file.")],
    out: Annotated[Path, typer.Option("-o", "--out", metavar="PNG", help="The PNG to write.")],
    page: Annotated[int, typer.Option("--page", min=1, metavar="N", help="Page number, from 1.")] = 1,
    scale: Annotated[float, typer.Option(min=0.25, max=8.0, metavar="SCALE", help="Pixels per PDF point.")] = DEFAULT_SCALE,
    text: Annotated[bool, typer.Option("--text/--no-text", help="Outline the text lines too.")] = False,
) -> None:
    """Draw one page with what extract found over it (rules, fills, tables, edges, cells) as PNG."""
    try:
        image = draw_page(pdf, page, scale=scale, text_lines=text)
    except (ExtractError, ValueError) as exc:
        _print(_console(stderr=True), str(exc))
        raise typer.Exit(EXIT_FAILED) from None
    with atomic_path(out) as tmp:
        image.save(tmp, format="PNG", optimize=True)
    typer.echo(str(out))


if __name__ == "__main__":
    app()
