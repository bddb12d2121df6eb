#!/usr/bin/env python
"""Table extraction speed and memory: renjana against pdfplumber and camelot.

    python3 benchmarks/bench_extract.py                      # born-digital PDFs of the corpus
    python3 benchmarks/bench_extract.py a.pdf some/folder/   # given PDFs and folders
    python3 benchmarks/bench_extract.py --tools renjana,camelot-stream --json figures.json
    python3 benchmarks/bench_extract.py --repeat 5 FILES     # paired runs, median of 5, ratios
    python3 benchmarks/bench_extract.py --long 675           # the PDFs joined into one 675-page PDF

Each tool runs in its own freshly spawned process, so its peak RSS (``ru_maxrss``) is its own:
the interpreter, the tool's imports and the extraction of every file, and nothing else.
Wall seconds and CPU seconds cover the extraction loop only (imports excluded). "tables" is
each tool's own count of page tables; the tools split tables differently, so it is no measure of
correctness. With ``--repeat N`` the tools take turns (A, B, C, A, B, C, …: paired runs under the
same load) and the median of each tool's N runs is shown (``--stat min`` for the fastest).
``renjana-run`` is the whole job of ``renjana run`` for a file, in one process (extract,
normalize, validate, writing JSON and Parquet), without the per-file process start.
``--long N`` joins the PDFs (cycling through them) into one N-page PDF with pypdfium2 and runs
the tools on it: its peak RSS is the memory a long document needs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import multiprocessing as mp
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
import warnings
from importlib import metadata
from pathlib import Path

CORPUS = Path("/work/shared/corpus/pdf")
SKIP_MARK = "scan"  # image-only PDFs: no text layer, nothing for these tools to extract
DEFAULT_TOOLS = "renjana-run,renjana,pdfplumber,camelot-vector"
LONG_TOOLS = "renjana-run,renjana"  # the default tools of --long
# "camelot" stands for both lattice runs; each name may also be given on its own.
TOOL_GROUPS = {"camelot": ["camelot-lattice", "camelot-vector"]}
KNOWN_TOOLS = ["renjana-run", "renjana", "renjana-pdfplumber", "pdfplumber", "camelot-lattice", "camelot-vector",
               "camelot-stream"]
CAMELOT_DIST = "camelot-py"
KIB_PER_MIB = 1024  # ru_maxrss is in KiB on Linux
# Lattice options printed with their values (defaults included) to say what camelot ran.
LATTICE_SHOWN = ("engine", "backend", "resolution")


# --------------------------------------------------------------------------- runners (in the child)
def _renjana_runner(reader: str | None = None):
    from renjana.extract import extract_document
    from renjana.extract.reader import reader_name

    def run(path: Path) -> int:
        return len(extract_document(path, reader=reader).tables)

    return run, f"renjana.extract.extract_document(path, reader={reader_name(reader)!r})"


def _renjana_run_runner():
    from renjana.emit import write_all
    from renjana.extract.reader import reader_name
    from renjana.pipeline import process_file

    out = Path(tempfile.mkdtemp(prefix="bench-renjana-"))

    def run(path: Path) -> int:
        result = process_file(path)
        write_all(result, out)
        return len(result.tables)

    return run, (f"renjana.pipeline.process_file(path) + renjana.emit.write_all (reader "
                 f"{reader_name()!r}; outputs in a temporary folder)")


def _pdfplumber_runner():
    import pdfplumber

    def run(path: Path) -> int:
        found = 0
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                for table in page.find_tables():
                    table.extract()
                    found += 1
                page.close()
        return found

    return run, f"pdfplumber {metadata.version('pdfplumber')}: page.find_tables() + table.extract()"


def _camelot_runner(flavor: str, **options):
    import inspect

    import camelot
    from camelot.parsers import Lattice

    lattice = inspect.signature(Lattice.__init__).parameters
    missing = [name for name in options if flavor == "lattice" and name not in lattice]
    if missing:
        return None, f"camelot {camelot.__version__}: lattice has no {', '.join(missing)}= option"

    def run(path: Path) -> int:
        return camelot.read_pdf(str(path), pages="all", flavor=flavor, **options).n

    shown = dict(options)
    if flavor == "lattice":  # name the defaults too, so the output says exactly what ran
        shown = {name: lattice[name].default for name in LATTICE_SHOWN if name in lattice} | options
        if shown.get("engine") == "vector":  # no page is rendered: backend and resolution unused
            shown = {"engine": "vector"}
    shown_text = "".join(f", {k}={v!r}" for k, v in shown.items())
    return run, f"camelot {camelot.__version__}: read_pdf(pages='all', flavor={flavor!r}{shown_text})"


RUNNERS = {
    "renjana-run": _renjana_run_runner,
    "renjana": _renjana_runner,
    "renjana-pdfplumber": lambda: _renjana_runner("pdfplumber"),
    "pdfplumber": _pdfplumber_runner,
    # lattice defaults: render each page with pdfium, find rules with OpenCV, add vector rules
    "camelot-lattice": lambda: _camelot_runner("lattice", backend="pdfium"),
    # render-free lattice: rules read straight from the PDF's vector graphics
    "camelot-vector": lambda: _camelot_runner("lattice", engine="vector"),
    "camelot-stream": lambda: _camelot_runner("stream"),
}


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / KIB_PER_MIB


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _measure(tool: str, files: list[str], conn) -> None:
    """Child process: import the tool, extract every file, send the figures back."""
    warnings.simplefilter("ignore")  # camelot warns on every page without a table
    run, what = RUNNERS[tool]()
    result = {"tool": tool, "what": what, "rss_after_import_mib": _peak_mib()}
    if run is None:
        conn.send(result | {"skipped": what})
        return
    tables, errors, peaks = 0, [], []
    cpu = _cpu_s()
    start = time.perf_counter()
    for path in files:
        try:
            tables += run(Path(path))
        except Exception as exc:  # one broken file must not end the run
            errors.append(f"{Path(path).name}: {type(exc).__name__}: {exc}")
        peaks.append(round(_peak_mib(), 1))  # peak so far: flat when memory does not pile up
    result |= {"wall_s": time.perf_counter() - start, "cpu_s": _cpu_s() - cpu, "tables": tables, "errors": errors,
               "rss_first_file_mib": peaks[0], "rss_peak_mib": peaks[-1], "rss_peak_after_each_mib": peaks}
    conn.send(result)


# --------------------------------------------------------------------------- parent
def pdf_files(args: list[str]) -> list[Path]:
    if not args:
        return sorted(p for p in CORPUS.glob("*.pdf") if SKIP_MARK not in p.name)
    found: list[Path] = []
    for arg in map(Path, args):
        if not arg.exists():
            sys.exit(f"no such file or folder: {arg}")
        found.extend(sorted(arg.glob("*.pdf")) if arg.is_dir() else [arg])
    return found


def page_count(path: Path) -> int:
    import pypdfium2

    with pypdfium2.PdfDocument(str(path)) as pdf:
        return len(pdf)


def chosen_tools(spec: str) -> list[str]:
    tools: list[str] = []
    for name in (n.strip() for n in spec.split(",") if n.strip()):
        for tool in TOOL_GROUPS.get(name, [name]):
            if tool not in KNOWN_TOOLS:
                sys.exit(f"unknown tool {tool!r}; choose from {', '.join(KNOWN_TOOLS + list(TOOL_GROUPS))}")
            if tool not in tools:
                tools.append(tool)
    return tools


def run_tools(tools: list[str], files: list[Path], repeat: int, stat: str = "median") -> list[dict]:
    """Each tool ``repeat`` times, each run in a fresh process, the tools taking turns (paired
    runs: every round runs every tool once under the same load). Per tool, the run at the
    median wall time (``stat="min"``: the fastest); every wall and CPU time is kept."""
    rounds = [[run_once(tool, files) for tool in tools] for _ in range(repeat)]
    results = []
    for i, tool in enumerate(tools):
        runs = [r[i] for r in rounds]
        done = sorted((r for r in runs if "skipped" not in r), key=lambda r: r["wall_s"])
        if not done:
            results.append(runs[0])
            continue
        chosen = done[0] if stat == "min" else done[(len(done) - 1) // 2]
        results.append(chosen | {
            "wall_s": chosen["wall_s"] if stat == "min" else statistics.median(r["wall_s"] for r in done),
            "cpu_s": chosen["cpu_s"] if stat == "min" else statistics.median(r["cpu_s"] for r in done),
            "wall_s_runs": [round(r["wall_s"], 2) for r in runs if "skipped" not in r],
            "cpu_s_runs": [round(r["cpu_s"], 2) for r in runs if "skipped" not in r]})
    return results


def print_ratios(results: list[dict]) -> None:
    """Each tool's wall and CPU time against every other tool's (``a / b``: a takes that many
    times b's time)."""
    done = [r for r in results if "skipped" not in r]
    if len(done) < 2:
        return
    print("\nratios (row tool's time / column tool's time; wall, then CPU):")
    names = [r["tool"] for r in done]
    width = max(len(n) for n in names)
    print(" " * width + "  " + "  ".join(n.rjust(max(len(n), 11)) for n in names))
    for a in done:
        cells = [f"{a['wall_s'] / b['wall_s']:.2f}/{a['cpu_s'] / b['cpu_s']:.2f}".rjust(max(len(b["tool"]), 11))
                 for b in done]
        print(a["tool"].ljust(width) + "  " + "  ".join(cells))


def join_pdfs(files: list[Path], pages: int, out: Path) -> Path:
    """One PDF of ``pages`` pages: the files' pages one file after another, cycling through the
    files until there are enough (pypdfium2)."""
    import pypdfium2

    joined = pypdfium2.PdfDocument.new()
    while len(joined) < pages:
        for path in files:
            if len(joined) >= pages:
                break
            with pypdfium2.PdfDocument(str(path)) as src:
                take = min(len(src), pages - len(joined))
                joined.import_pages(src, list(range(take)))
    joined.save(str(out))
    joined.close()
    return out


def run_once(tool: str, files: list[Path]) -> dict:
    if tool.startswith("camelot") and importlib.util.find_spec("camelot") is None:
        return {"tool": tool, "skipped": "not installed (pip install camelot-py opencv-python-headless)"}
    ctx = mp.get_context("spawn")  # a fresh interpreter: nothing inherited from this process
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_measure, args=(tool, [str(f) for f in files], send))
    child.start()
    send.close()
    try:
        result = receive.recv()
    except EOFError:
        result = {"tool": tool, "skipped": "child process died"}
    child.join()
    if child.exitcode:
        result.setdefault("skipped", f"child exit code {child.exitcode}")
    return result


def print_table(results: list[dict], pages: int, n_files: int) -> None:
    head = ("tool", "files", "pages", "tables", "wall s", "pages/s", "CPU s", "RSS 1st file MiB", "peak RSS MiB")
    rows = []
    for r in results:
        if "skipped" in r:
            rows.append((r["tool"], "-", "-", "-", "-", "-", "-", "-", r["skipped"]))
            continue
        rows.append((r["tool"], str(n_files), str(pages), str(r["tables"]), f"{r['wall_s']:.1f}",
                     f"{pages / r['wall_s']:.1f}", f"{r['cpu_s']:.1f}", f"{r['rss_first_file_mib']:.0f}",
                     f"{r['rss_peak_mib']:.0f}"))
    widths = [max(len(row[i]) for row in [head, *rows]) for i in range(len(head))]
    for row in [head, ["-" * w for w in widths], *rows]:
        print("  ".join(cell.ljust(w) if i == 0 else cell.rjust(w)
                        for i, (cell, w) in enumerate(zip(row, widths))).rstrip())
    print()
    for r in results:
        if "what" in r:
            print(f"  {r['tool']}: {r['what']}")
        for error in r.get("errors", []):
            print(f"    error: {error}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help=f"PDFs or folders (default: {CORPUS}, without *{SKIP_MARK}*)")
    parser.add_argument("--tools", default=None,
                        help=f"comma-separated, from {', '.join(KNOWN_TOOLS + list(TOOL_GROUPS))} "
                             f"(default: {DEFAULT_TOOLS}; with --long: {LONG_TOOLS})")
    parser.add_argument("--repeat", type=int, default=1, help="paired runs per tool (the tools take turns)")
    parser.add_argument("--stat", choices=("median", "min"), default="median",
                        help="which of the repeated runs is shown (default: median)")
    parser.add_argument("--long", type=int, metavar="PAGES",
                        help="join the PDFs into one PDF of PAGES pages and measure that (peak memory)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    repeat = max(1, args.repeat)

    files = pdf_files(args.paths)
    if not files:
        sys.exit("no PDF files found")
    tools_spec = args.tools or (LONG_TOOLS if args.long else DEFAULT_TOOLS)
    if args.long:
        joined = Path(tempfile.mkdtemp(prefix="bench-long-")) / f"joined-{args.long}-pages.pdf"
        files = [join_pdfs(files, args.long, joined)]
        print(f"long document: {len(files)} file, {args.long} pages joined from the PDFs given ({joined})")
    pages_each = [page_count(f) for f in files]
    pages = sum(pages_each)
    camelot = metadata.version(CAMELOT_DIST) if importlib.util.find_spec("camelot") else "not installed"
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    print(f"{dt.date.today()}  {machine}  camelot-py {camelot}")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    shown = "fastest" if args.stat == "min" else "median"
    print(f"{len(files)} files, {pages} pages; each tool in its own spawned process, {shown} of "
          f"{repeat} paired run(s); load average at start {load}\n")

    results = run_tools(chosen_tools(tools_spec), files, repeat, args.stat)
    print_table(results, pages, len(files))
    print_ratios(results)
    if args.long:
        for r in results:
            if "skipped" not in r:
                print(f"long document ({pages} pages): {r['tool']} peak RSS {r['rss_peak_mib']:.0f} MiB")

    renjana = next((r for r in results if r["tool"] == "renjana" and "skipped" not in r), None)
    if renjana:
        print(f"\nrenjana memory flatness: peak RSS {renjana['rss_first_file_mib']:.0f} MiB after the first "
              f"file ({pages_each[0]} pages), {renjana['rss_peak_mib']:.0f} MiB after all {len(files)} "
              f"files ({pages} pages); {renjana['rss_after_import_mib']:.0f} MiB after imports")
        peaks = renjana["rss_peak_after_each_mib"]
        print(f"  the highest peak is first reached on {files[peaks.index(max(peaks))].name}")
    if args.json:
        figures = {"date": str(dt.date.today()), "machine": machine, "camelot_py": camelot, "repeat": repeat,
                   "stat": args.stat, "long": args.long,
                   "files": [{"file": str(f), "pages": n} for f, n in zip(files, pages_each)],
                   "pages": pages, "results": results}
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
        print(f"figures written to {args.json}")


if __name__ == "__main__":
    main()
